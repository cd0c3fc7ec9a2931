"""Rules for what a person types about a pair: a return date, an order's number and date."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from services.core.errors import ValidationFailed
from services.core.text import normalise_text

# A pause is for a holiday, sick leave or exam season, not for leaving the programme.
PAUSE_MONTHS = 6
ORDER_NUMBER_MAX = 40
# An order is usually signed before the curator records it; a few weeks ahead is allowed for an
# order prepared in advance, and two years back covers the programme years a school keeps open.
ORDER_FUTURE_DAYS = 31
ORDER_PAST_YEARS = 2

_DAY = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*")
# Letters and digits of any alphabet, spaces, and - / . №  (e.g. "123-од", "45/1", "№ 7 о.д.")
_ORDER_NUMBER = re.compile(r"(?:[^\W_]|[ \-/.№])+")


def parse_day(text: str, field: str) -> date:
    """DD.MM.YYYY, or `ValidationFailed(field, "format")`."""
    match = _DAY.fullmatch(text)
    if not match:
        raise ValidationFailed(field, "format")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationFailed(field, "format") from None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_pause(today: date) -> date:
    return add_months(today, PAUSE_MONTHS)


def check_pause_until(until: date, today: date) -> date:
    """After today and at most six months ahead."""
    if until <= today:
        raise ValidationFailed("paused_until", "past")
    if until > latest_pause(today):
        raise ValidationFailed("paused_until", "too_far")
    return until


def clean_order_number(text: str) -> str:
    """The number as in the document, without the "№" in front (the texts add their own)."""
    number = normalise_text(text).removeprefix("№").lstrip()
    if not number:
        raise ValidationFailed("order_number", "empty")
    if len(number) > ORDER_NUMBER_MAX:
        raise ValidationFailed("order_number", "too_long")
    if not _ORDER_NUMBER.fullmatch(number):
        raise ValidationFailed("order_number", "characters")
    return number


def earliest_order_date(today: date) -> date:
    return add_months(today, -12 * ORDER_PAST_YEARS)


def check_order_date(order_date: date, today: date) -> date:
    if order_date > today + timedelta(days=ORDER_FUTURE_DAYS):
        raise ValidationFailed("order_date", "too_far")
    if order_date < earliest_order_date(today):
        raise ValidationFailed("order_date", "too_old")
    return order_date
