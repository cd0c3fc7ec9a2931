"""How the Word documents print things: names, dates, decimals and shares the reader's way, in
the requester's language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal

from bot.documents.words import percent
from services.questionnaires.scores import MIN_GROUP
from services.reports.registers import Named

DASH = "—"


def person_name(person: Named) -> str:
    """The ФИО, or "participant № N" for someone who withdrew consent."""
    if person.full_name:
        return person.full_name
    if person.withdrawn_number is not None:
        return _("participant № {number}").format(number=person.withdrawn_number)
    return DASH


def day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def local_day(moment: datetime, timezone: str) -> str:
    if moment.tzinfo is None:  # stored UTC read back without its zone
        moment = moment.replace(tzinfo=UTC)
    return day(moment.astimezone(ZoneInfo(timezone)).date())


def current_language() -> str:
    return get_i18n().current_locale


def decimal_text(value: float | None) -> str:
    """ "3,75" in Russian, up to two decimals."""
    if value is None:
        return DASH
    return format_decimal(value, format="0.##", locale=current_language())


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def yes_no(value: bool | None) -> str:
    return DASH if value is None else _("yes") if value else _("no")


def share(part: int, whole: int) -> str:
    return percent(round(100 * part / whole, 1)) if whole else DASH


def fewer_than_minimum() -> str:
    return _("fewer than {minimum} answers").format(minimum=MIN_GROUP)
