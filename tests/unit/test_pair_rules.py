"""What a person may type about a pair: return dates, an order's number and date."""

from __future__ import annotations

from datetime import date

import pytest

from services.core.errors import ValidationFailed
from services.pairs.rules import (
    add_months,
    check_order_date,
    check_pause_until,
    clean_order_number,
    parse_day,
)

TODAY = date(2026, 8, 31)


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(TODAY, 6) == date(2027, 2, 28)
    assert add_months(date(2026, 9, 1), 6) == date(2027, 3, 1)
    assert add_months(date(2028, 2, 29), -24) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


@pytest.mark.parametrize("text", ["", "1.9", "31.02.2026", "2026-09-01", "01.09.26", "ab.cd.efgh"])
def test_parse_day_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValidationFailed) as problem:
        parse_day(text, "paused_until")
    assert (problem.value.field, problem.value.reason) == ("paused_until", "format")


def test_pause_runs_from_tomorrow_to_six_months() -> None:
    assert check_pause_until(date(2026, 9, 1), TODAY) == date(2026, 9, 1)
    assert check_pause_until(date(2027, 2, 28), TODAY) == date(2027, 2, 28)
    for until, reason in ((TODAY, "past"), (date(2027, 3, 1), "too_far")):
        with pytest.raises(ValidationFailed) as problem:
            check_pause_until(until, TODAY)
        assert problem.value.reason == reason


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("45-од", "45-од"),
        ("  № 12 / 3 ", "12 / 3"),
        ("№7", "7"),
        ("01-02.ОД/15", "01-02.ОД/15"),
        ("A" * 40, "A" * 40),
    ],
)
def test_order_numbers_as_in_documents(text: str, number: str) -> None:
    assert clean_order_number(text) == number


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("№", "empty"),
        ("A" * 41, "too_long"),
        ("<b>45</b>", "characters"),
        ("45_од", "characters"),
        ("45; DROP", "characters"),
    ],
)
def test_order_numbers_refused(text: str, reason: str) -> None:
    with pytest.raises(ValidationFailed) as problem:
        clean_order_number(text)
    assert (problem.value.field, problem.value.reason) == ("order_number", reason)


def test_order_date_within_two_years_back_and_a_month_ahead() -> None:
    assert check_order_date(date(2026, 10, 1), TODAY) == date(2026, 10, 1)
    assert check_order_date(date(2024, 8, 31), TODAY) == date(2024, 8, 31)
    for order_date, reason in ((date(2026, 10, 2), "too_far"), (date(2024, 8, 30), "too_old")):
        with pytest.raises(ValidationFailed) as problem:
            check_order_date(order_date, TODAY)
        assert problem.value.reason == reason
