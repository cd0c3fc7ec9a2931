"""Each organisation's sending window (time zone, hours, working days, holidays)."""

from __future__ import annotations

from models import Organisation
from services.organisations.sending_window import SendingWindow

WINDOW_KEY = "window"


def window_of(organisation: Organisation) -> SendingWindow:
    """The organisation's window; defaults (weekdays 09:00–19:00) where it set nothing."""
    return SendingWindow.from_settings(
        organisation.timezone, (organisation.settings or {}).get(WINDOW_KEY) or {}
    )
