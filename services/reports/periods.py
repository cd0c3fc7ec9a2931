"""The periods reports are made for: a quarter, the programme year, or dates the curator types.
Dates are the organisation's local days, both ends included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The longest custom period: two programme years (a report of a longer span means little).
MAX_DAYS = 731
_DATE = r"(\d{1,2})\.(\d{1,2})\.(\d{4})"
_RANGE = re.compile(rf"^\s*{_DATE}\s*(?:-|–|—|\.\.|\s)\s*{_DATE}\s*$")


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends after it begins")

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, end) as moments, for comparing with stored UTC timestamps."""
        zone = ZoneInfo(timezone)
        return (
            datetime.combine(self.first, time(), zone),
            datetime.combine(self.last + timedelta(days=1), time(), zone),
        )

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def months(self) -> list[date]:
        """The first day of each calendar month the period touches."""
        months, month = [], self.first.replace(day=1)
        while month <= self.last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months

    def code(self) -> str:
        """For buttons: "20260901-20270831"."""
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"

    @classmethod
    def from_code(cls, code: str) -> Period:
        first, _, last = code.partition("-")
        return cls(
            datetime.strptime(first, "%Y%m%d").date(),  # noqa: DTZ007 (a date, no zone)
            datetime.strptime(last, "%Y%m%d").date(),  # noqa: DTZ007
        )


def programme_year(today: date) -> Period:
    """The programme year follows the school year: 1 September to 31 August."""
    year = today.year if today.month >= 9 else today.year - 1
    return Period(date(year, 9, 1), date(year + 1, 8, 31))


def programme_year_so_far(today: date) -> Period:
    """What `/stats` shows: the programme year from its first day to today."""
    return Period(programme_year(today).first, today)


def quarter(today: date, back: int = 0) -> Period:
    """The calendar quarter of `today`, or `back` quarters before it (the quarterly report to the
    coordinator is due by the 10th of the month after a quarter, seed 002)."""
    index = (today.year * 4 + (today.month - 1) // 3) - back
    year, number = divmod(index, 4)
    first = date(year, number * 3 + 1, 1)
    last = (first + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    return Period(first, last)


def parse(text: str) -> Period:
    """ "01.09.2026 – 31.12.2026" → a period; ValueError for anything else, reversed or too long."""
    match = _RANGE.match(text)
    if match is None:
        raise ValueError("not two dates")
    d1, m1, y1, d2, m2, y2 = (int(part) for part in match.groups())
    period = Period(date(y1, m1, d1), date(y2, m2, d2))
    if period.days > MAX_DAYS:
        raise ValueError("too long")
    return period
