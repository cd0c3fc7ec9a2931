"""When an organisation's reminders may go out: its local working hours, days and holidays.

Pure time arithmetic (stdlib `zoneinfo` only), so the outbox can compute a reminder's `due_at` and
tests can check every zone without a clock or a database. All results are aware UTC datetimes.

Daylight saving, day by day: the window opens at the *last* instant the local clock reads `start`
and closes at the first instant after that when it reads `end`. A skipped time (spring forward)
resolves to the first valid local time after it; a repeated hour (fall back) counts once, so the
clock never reads outside [start, end) while the window is open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

# How far ahead to look for an allowed day: a year of holidays must fail, not loop.
MAX_DAYS_AHEAD = 400
# 2**64 / golden ratio: multiplicative (Fibonacci) hashing spreads consecutive ids evenly.
_HASH_MULTIPLIER = 0x9E3779B97F4A7C15
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RU_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


@dataclass(frozen=True, slots=True)
class SendingWindow:
    """An organisation's sending hours: local [start, end) on allowed weekdays, minus holidays."""

    timezone: str
    start: time = time(9, 0)
    end: time = time(19, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"unknown time zone: {self.timezone!r}") from None
        for name, value in (("start", self.start), ("end", self.end)):
            if value.tzinfo is not None or value.second or value.microsecond:
                raise ValueError(f"{name} must be a naive local time in whole minutes")
        if self.end <= self.start:
            raise ValueError(f"window end {self.end:%H:%M} must be after start {self.start:%H:%M}")
        if not self.weekdays:
            raise ValueError("no weekday allowed: nothing could ever be sent")
        if not self.weekdays <= set(range(7)):
            raise ValueError(f"weekdays must be 0 (Monday) … 6 (Sunday): {sorted(self.weekdays)}")

    @classmethod
    def from_settings(cls, timezone: str, settings: Mapping[str, Any]) -> SendingWindow:
        """Build from an organisation's JSON settings; missing (or null) keys keep the defaults."""
        fields: dict[str, Any] = {}
        for key, field in (("window_start", "start"), ("window_end", "end")):
            if settings.get(key) is not None:
                fields[field] = _parse_hhmm(key, settings[key])
        if (weekdays := settings.get("weekdays")) is not None:
            if not isinstance(weekdays, list | tuple) or not all(
                type(day) is int and 0 <= day <= 6 for day in weekdays
            ):
                raise ValueError(
                    f"weekdays must be a list of 0 (Monday) … 6 (Sunday): {weekdays!r}"
                )
            fields["weekdays"] = frozenset(weekdays)
        if (holidays := settings.get("holidays")) is not None:
            if not isinstance(holidays, list | tuple):
                raise ValueError(f"holidays must be a list of YYYY-MM-DD dates: {holidays!r}")
            fields["holidays"] = frozenset(_parse_iso_date(item) for item in holidays)
        return cls(timezone, **fields)

    def to_settings(self) -> dict[str, Any]:
        """The JSON-ready inverse of `from_settings` (the time zone is stored separately)."""
        return {
            "window_start": f"{self.start:%H:%M}",
            "window_end": f"{self.end:%H:%M}",
            "weekdays": sorted(self.weekdays),
            "holidays": [day.isoformat() for day in sorted(self.holidays)],
        }

    def local_date(self, moment: datetime) -> date:
        """The organisation's calendar date at `moment`."""
        return _aware(moment).astimezone(ZoneInfo(self.timezone)).date()

    def is_open(self, moment: datetime) -> bool:
        """Whether a message may go out at `moment`."""
        day = self.local_date(moment)
        if not self._allowed(day):
            return False
        opening, closing = self._day_window(day)
        return opening <= moment < closing

    def next_opening(self, moment: datetime) -> datetime:
        """The earliest instant at or after `moment` inside the window (`moment` if open)."""
        opening, _, instant = self._next_window(moment)
        return max(opening, instant)

    def spread(self, moment: datetime, key: int, *, slots: int | None = None) -> datetime:
        """Send time of item `key` in the first window that has not closed by `moment`.

        The key's stable hash picks an offset within that day's window, so thousands of items due
        the same day fan out over the whole window, and a restart recomputes the same time. With
        `slots`, the window is cut into that many equal parts and the key gets the start of its
        part. Rule for a late start: if `moment` is inside the window and the key's time has
        already passed, the result is `moment` itself (send now rather than a day late); the
        outbox's rate limiter paces that burst. Never earlier than `moment`.
        """
        if slots is not None and slots < 1:
            raise ValueError(f"slots must be at least 1: {slots}")
        opening, closing, instant = self._next_window(moment)
        length = int((closing - opening).total_seconds())
        fraction = (key * _HASH_MULTIPLIER) % 2**64  # in [0, 2**64): a fraction of the window
        if slots is None:
            offset = (fraction * length) >> 64
        else:
            offset = ((fraction * slots) >> 64) * length // slots
        return max(opening + timedelta(seconds=offset), instant)

    def _allowed(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def _next_window(self, moment: datetime) -> tuple[datetime, datetime, datetime]:
        """(opening, closing, moment in UTC) of the first allowed window closing after `moment`."""
        instant = _aware(moment).astimezone(UTC)
        first = self.local_date(instant)
        for ahead in range(MAX_DAYS_AHEAD + 1):
            day = first + timedelta(days=ahead)
            if self._allowed(day):
                opening, closing = self._day_window(day)
                if instant < closing:
                    return opening, closing, instant
        raise ValueError(f"no sending day within {MAX_DAYS_AHEAD} days after {first}")

    def _day_window(self, day: date) -> tuple[datetime, datetime]:
        """The window of local `day` as UTC instants [opening, closing), DST resolved."""
        zone = ZoneInfo(self.timezone)
        opening = _resolve(datetime.combine(day, self.start), zone, later=True)
        closing = _resolve(datetime.combine(day, self.end), zone, later=False)
        if closing <= opening:  # both ends inside the same repeated hour
            closing = _resolve(datetime.combine(day, self.end), zone, later=True)
        return opening, closing


def parse_holidays(text: str) -> frozenset[date]:
    """Dates a curator types, DD.MM.YYYY, separated by commas, semicolons, spaces or lines."""
    days: set[date] = set()
    for item in re.split(r"[,;\s]+", text.strip()):
        if not item:
            continue
        match = _RU_DATE.fullmatch(item)
        try:
            if match is None:
                raise ValueError
            day, month, year = (int(part) for part in match.groups())
            days.add(date(year, month, day))
        except ValueError:
            raise ValueError(f"not a date DD.MM.YYYY: {item!r}") from None
    return frozenset(days)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime, a time zone is required: {moment.isoformat()}")
    return moment


def _resolve(local: datetime, zone: ZoneInfo, *, later: bool) -> datetime:
    """The UTC instant the clock in `zone` reads `local`: the later or earlier of a repeated time,
    or the first valid time after a skipped one."""
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first <= second:  # ordinary (equal) or repeated (fold 0 is the earlier pass)
        return second if later else first
    # Skipped: the transition lies in (second, first]; bisect whole seconds to find it.
    low, high = int(second.timestamp()), int(first.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= local:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _parse_hhmm(key: str, value: Any) -> time:
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"{key} must be a time of day HH:MM: {value!r}")
    return time(int(match[1]), int(match[2]))


def _parse_iso_date(value: Any) -> date:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"holiday must be a date YYYY-MM-DD: {value!r}")
