"""Time zones an organisation may have, with the Russian ones offered as buttons."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from services.core.errors import ValidationFailed
from services.core.text import normalise_text

# Russia's eleven zones, west to east, each with a city a curator recognises.
RUSSIAN_TIMEZONES: tuple[tuple[str, int], ...] = (
    ("Europe/Kaliningrad", 2),
    ("Europe/Moscow", 3),
    ("Europe/Samara", 4),
    ("Asia/Yekaterinburg", 5),
    ("Asia/Omsk", 6),
    ("Asia/Krasnoyarsk", 7),
    ("Asia/Irkutsk", 8),
    ("Asia/Yakutsk", 9),
    ("Asia/Vladivostok", 10),
    ("Asia/Magadan", 11),
    ("Asia/Kamchatka", 12),
)


def validate_timezone(name: str) -> str:
    """Return the canonical IANA name or raise `ValidationFailed("timezone", "unknown")`."""
    candidate = normalise_text(name)
    if not candidate or len(candidate) > 64:
        raise ValidationFailed("timezone", "unknown")
    by_lower = {zone.lower(): zone for zone in available_timezones()}
    canonical = by_lower.get(candidate.lower())
    if canonical is None:
        raise ValidationFailed("timezone", "unknown")
    try:
        ZoneInfo(canonical)
    except ZoneInfoNotFoundError:
        raise ValidationFailed("timezone", "unknown") from None
    return canonical


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar date at `moment` in the organisation's zone."""
    return moment.astimezone(ZoneInfo(timezone)).date()
