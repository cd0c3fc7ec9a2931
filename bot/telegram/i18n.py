"""Translations: compile the gettext catalogs, pick each person's language for every update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from services.people.directory import PersonView, locale_from_language_code

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> list[str]:
    """Compile every `<lang>/LC_MESSAGES/messages.po` into `.mo` when the `.po` is newer."""
    compiled = []
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as target:
            write_mo(target, catalog)
        compiled.append(po_path.parent.parent.name)
    return compiled


def create_i18n(default_locale: str, locales_dir: Path = LOCALES_DIR) -> I18n:
    compile_catalogs(locales_dir)
    return I18n(path=locales_dir, default_locale=default_locale, domain=DOMAIN)


class PersonLocaleMiddleware(I18nMiddleware):
    """The language stored for the person; before first contact, Telegram's language_code."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        person: PersonView | None = data.get("person")
        if person is not None:
            return person.locale
        user: User | None = data.get("event_from_user")
        return locale_from_language_code(
            user.language_code if user else None, self.i18n.default_locale
        )
