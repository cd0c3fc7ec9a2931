"""Jinja2 templates for long texts, rendered in the current language with autoescaping."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.telegram.html import Html
from bot.telegram.labels import role_name, subject_name
from bot.telegram.mentoring_labels import TEMPLATE_GLOBALS

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def format_local(moment: datetime | str, timezone: str) -> str:
    """A UTC moment (or its ISO text, as stored in a notification payload) as the organisation's
    local date and time, e.g. 22.12.2026 09:00."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")


def format_local_date(moment: datetime | str, timezone: str) -> str:
    """A UTC moment (or its ISO text, as stored in a notification) as a local date, 22.12.2026."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y")


def format_iso_date(value: str) -> str:
    """A calendar date kept as ISO text in a notification, as 22.12.2026."""
    return date.fromisoformat(value).strftime("%d.%m.%Y")


class Texts:
    """Renders `bot/telegram/templates/<feature>/<name>.j2`; anything passed in is HTML-escaped."""

    def __init__(self, i18n: I18n) -> None:
        self._i18n = i18n
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        # The callables read the locale from aiogram's context, so rendering inside a handler or
        # inside `i18n.use_locale(...)` (the outbox sender) picks the right language.
        self._env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=lambda message: i18n.gettext(message),
            ngettext=lambda singular, plural, n: i18n.gettext(singular, plural, n),
            newstyle=True,
        )
        self._env.filters["local_time"] = format_local
        self._env.globals["role_name"] = role_name
        self._env.globals["subject_name"] = subject_name
        self._env.globals.update(TEMPLATE_GLOBALS)
        self._env.filters["local_date"] = format_local_date
        self._env.filters["iso_date"] = format_iso_date
        # A text kept in both languages ({"ru": …, "en": …}, a questionnaire's title), in the
        # reader's.
        self._env.filters["in_language"] = lambda words: words.get(
            i18n.current_locale, words.get("ru", "")
        )

    def render(self, template: str, /, **context: Any) -> Html:
        """The template's HTML; every value passed in is escaped unless it is `Html` already,
        so a rendered text can be passed into another template (or `format_html`) as is."""
        return Html(self._env.get_template(template).render(**context).strip())

    def render_in(self, locale: str, template: str, /, **context: Any) -> Html:
        with self._i18n.context(), self._i18n.use_locale(locale):
            return self.render(template, **context)


def no_visible_text() -> str:
    """The hint for typed text that was only invisible characters (services.core.text: empty)."""
    return _("There is no visible text in this message.")
