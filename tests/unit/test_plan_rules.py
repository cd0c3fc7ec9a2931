"""Rules of the development plan: titles, comments, due dates, overdue, and when a task's two
reminders go out (the window's opening, weekends, pauses, daylight saving)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from models import TaskStatus
from services.core.errors import ValidationFailed
from services.organisations.sending_window import SendingWindow
from services.plans.rules import (
    BEFORE,
    ON_DAY,
    check_due,
    clean_comment,
    clean_title,
    is_overdue,
    reminder_times,
)

NORILSK = SendingWindow("Asia/Krasnoyarsk")
# Tuesday 1 September 2026, 13:00 in Norilsk.
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)


def reason(call: object, *args: object) -> str:
    with pytest.raises(ValidationFailed) as problem:
        call(*args)  # type: ignore[operator]
    return problem.value.reason


def test_titles_are_one_tidy_line_of_3_to_300_characters() -> None:
    assert clean_title("  Посетить\nдва   урока\x07 ") == "Посетить два урока"
    assert clean_title("абв") == "абв"
    assert clean_title("я" * 300) == "я" * 300
    assert reason(clean_title, "   ") == "empty"
    assert reason(clean_title, "аб") == "too_short"
    assert reason(clean_title, "я" * 301) == "too_long"


def test_comments_keep_their_lines() -> None:
    assert clean_comment(" Добавьте\r\n\n\n\nрефлексию ") == "Добавьте\n\nрефлексию"
    assert reason(clean_comment, " а ") == "too_short"
    assert reason(clean_comment, "к" * 501) == "too_long"


def test_due_dates_from_today_to_a_year_ahead() -> None:
    today = date(2026, 9, 1)
    assert check_due(today, today) == today
    assert check_due(date(2027, 9, 1), today) == date(2027, 9, 1)
    assert reason(check_due, date(2026, 8, 31), today) == "past"
    assert reason(check_due, date(2027, 9, 2), today) == "too_far"


def test_only_open_and_returned_tasks_with_a_past_date_are_overdue() -> None:
    today = date(2026, 9, 10)
    assert is_overdue(TaskStatus.OPEN, date(2026, 9, 9), today)
    assert is_overdue(TaskStatus.RETURNED, date(2026, 9, 9), today)
    assert not is_overdue(TaskStatus.OPEN, today, today)
    assert not is_overdue(TaskStatus.DONE, date(2026, 9, 9), today)
    assert not is_overdue(TaskStatus.CHECKED, date(2026, 9, 9), today)
    assert not is_overdue(TaskStatus.OPEN, None, today)


def test_both_reminders_at_the_window_opening_in_the_organisations_zone() -> None:
    [before, on_day] = reminder_times(NORILSK, date(2026, 9, 10), NOW)
    assert (before.when, before.due_at) == (BEFORE, datetime(2026, 9, 9, 2, 0, tzinfo=UTC))
    assert (on_day.when, on_day.due_at) == (ON_DAY, datetime(2026, 9, 10, 2, 0, tzinfo=UTC))
    # Both stop mattering when the due day ends in Norilsk.
    assert before.expires_at == on_day.expires_at == datetime(2026, 9, 10, 17, 0, tzinfo=UTC)


def test_reminders_already_past_are_skipped() -> None:
    # Due tomorrow, created after today's opening: only "today" tomorrow.
    assert [r.when for r in reminder_times(NORILSK, date(2026, 9, 2), NOW)] == [ON_DAY]
    # Due today, after 09:00: nothing.
    assert reminder_times(NORILSK, date(2026, 9, 1), NOW) == []
    # Due today, before the window opened: "today" at 09:00.
    early = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)
    [on_day] = reminder_times(NORILSK, date(2026, 9, 1), early)
    assert on_day.due_at == datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


def test_no_reminder_on_a_day_off_rather_than_a_wrong_tomorrow() -> None:
    # Due Monday 14 September: Sunday has no window, so only Monday's "today".
    assert [r.when for r in reminder_times(NORILSK, date(2026, 9, 14), NOW)] == [ON_DAY]
    # Due Saturday 12 September: Friday's "tomorrow" only.
    [before] = reminder_times(NORILSK, date(2026, 9, 12), NOW)
    assert (before.when, before.due_at) == (BEFORE, datetime(2026, 9, 11, 2, 0, tzinfo=UTC))
    holiday = SendingWindow("Asia/Krasnoyarsk", holidays=frozenset({date(2026, 9, 9)}))
    assert [r.when for r in reminder_times(holiday, date(2026, 9, 10), NOW)] == [ON_DAY]


def test_a_paused_pair_is_not_reminded_before_it_resumes() -> None:
    due = date(2026, 9, 10)
    assert [r.when for r in reminder_times(NORILSK, due, NOW, paused_until=due)] == [ON_DAY]
    assert reminder_times(NORILSK, due, NOW, paused_until=date(2026, 9, 11)) == []
    assert len(reminder_times(NORILSK, due, NOW, paused_until=date(2026, 9, 9))) == 2


def test_daylight_saving_zone_keeps_local_nine_oclock() -> None:
    berlin = SendingWindow("Europe/Berlin")
    now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    # Summer time ends on Sunday 25 October 2026: Friday is UTC+2, Monday and Tuesday UTC+1.
    [before, on_day] = reminder_times(berlin, date(2026, 10, 27), now)
    assert before.due_at == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert on_day.due_at == datetime(2026, 10, 27, 8, 0, tzinfo=UTC)
    [before] = reminder_times(berlin, date(2026, 10, 24), now)
    assert before.due_at == datetime(2026, 10, 23, 7, 0, tzinfo=UTC)
    assert before.expires_at == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
