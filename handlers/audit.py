"""/audit: the recent audit log (who did what, when) for a curator's organisation, or every
organisation for the superadmin; filtered by period, kind of action and "only mine"."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import AuditCallback
from bot.telegram.html import Html
from bot.telegram.identity import TelegramPerson
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import send_or_edit
from bot.telegram.texts import Texts, format_local
from services.core.audit_log import CATEGORIES, PERIOD_DAYS
from services.core.errors import StaleAction

ROW = 4
_CATEGORIES: dict[str, Callable[[], str]] = {
    "consent": lambda: _("consent"),
    "invite": lambda: _("invites"),
    "meeting": lambda: _("meetings"),
    "organisation": lambda: _("organisation"),
    "pair": lambda: _("pairs"),
    "person": lambda: _("people"),
    "petition": lambda: _("petitions"),
    "plan": lambda: _("plans"),
    "profile": lambda: _("profiles"),
    "questionnaire": lambda: _("questionnaires"),
    "request": lambda: _("requests"),
    "role": lambda: _("roles"),
    "survey": lambda: _("surveys"),
}
_PERIODS: dict[int, Callable[[], str]] = {
    1: lambda: _("a day"),
    7: lambda: _("a week"),
    30: lambda: _("a month"),
    365: lambda: _("a year"),
}


def _keyboard(query: AuditCallback, pages: int) -> InlineKeyboardMarkup:
    def button(text: str, chosen: bool = False, **changes: int | str) -> InlineKeyboardButton:
        data = query.model_copy(update={"page": 0, **changes})
        return InlineKeyboardButton(text=("✓ " if chosen else "") + text, callback_data=data.pack())

    periods = [button(_PERIODS[days](), query.days == days, days=days) for days in PERIOD_DAYS]
    kinds = [button(_("all"), not query.category, category="")] + [
        button(words(), query.category == code, category=code)
        for code, words in _CATEGORIES.items()
    ]
    rows = [periods, *(kinds[start : start + ROW] for start in range(0, len(kinds), ROW))]
    rows.append([button("👤 " + _("Only my actions"), bool(query.mine), mine=1 - query.mine)])
    paging = []
    if query.page > 0:
        paging.append(button("◀️", page=query.page - 1))
    if query.page + 1 < pages:
        paging.append(button("▶️", page=query.page + 1))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _who(name: str | None, person_id: int | None) -> str:
    if person_id is None:
        return _("the bot")
    return name or _("participant #{number}").format(number=person_id)


async def _screen(
    services: Services, texts: Texts, person: TelegramPerson, query: AuditCallback
) -> tuple[Html, InlineKeyboardMarkup]:
    if query.days not in PERIOD_DAYS or (query.category and query.category not in CATEGORIES):
        raise StaleAction
    organisation_id = query.organisation_id or None
    found = await services.audit_log.recent(
        person.id,
        organisation_id,
        days=query.days,
        category=query.category or None,
        mine=bool(query.mine),
        page=query.page,
    )
    if organisation_id is None:
        scope = _("every organisation")
    else:
        scope = (await services.organisations.get(person.id, organisation_id)).name
    lines = [
        {
            "when": format_local(line.at, line.timezone),
            "actor": _who(line.actor, line.actor_id),
            "what": f"{_CATEGORIES[line.action.split('.')[0]]()}: {line.action}"
            if line.action.split(".")[0] in _CATEGORIES
            else line.action,
            "target": _who(line.target, line.target_id) if line.target_id else None,
            "organisation": line.organisation if organisation_id is None else None,
        }
        for line in found.lines
    ]
    text = texts.render(
        "audit/page.j2",
        scope=scope,
        period=_PERIODS[query.days](),
        category=_CATEGORIES[query.category]() if query.category else _("every kind"),
        mine=bool(query.mine),
        total=found.total,
        lines=lines,
        page=found.page,
        pages=found.pages,
    )
    return text, _keyboard(query.model_copy(update={"page": found.page}), found.pages)


async def cmd_audit(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """The superadmin sees every organisation; a curator theirs (asked which, if several)."""
    if person.actor.is_superadmin:
        query = AuditCallback(organisation_id=0)
    else:
        organisation_id = await curated_organisation(
            message,
            person,
            services,
            _("Which organisation's audit log?"),
            lambda org_id: AuditCallback(organisation_id=org_id),
        )
        if organisation_id is None:
            return
        query = AuditCallback(organisation_id=organisation_id)
    text, markup = await _screen(services, texts, person, query)
    await message.answer(text, reply_markup=markup)


async def on_audit(
    callback: CallbackQuery,
    callback_data: AuditCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    text, markup = await _screen(services, texts, person, callback_data)
    await callback.answer()
    message_id = callback.message.message_id if callback.message else None
    await send_or_edit(bot, person.chat_id, text, markup, message_id)


def get_router() -> Router:
    router = Router(name="audit")
    router.message.register(cmd_audit, Command("audit"))
    router.callback_query.register(on_audit, AuditCallback.filter())
    return router
