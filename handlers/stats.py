"""/stats: the curator's live numbers for the programme year with the indicators against their
targets, and the charts; a coordinator's (or the superadmin's) roll-up of their organisations."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.documents.words import indicator_line, indicator_name, percent, period_name, source_name
from bot.telegram.callbacks import StatsCallback
from bot.telegram.html import Html
from bot.telegram.identity import TelegramPerson
from bot.telegram.mentoring_labels import pair_status_name
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import send_or_edit
from bot.telegram.texts import Texts, format_local
from models import RoleKind
from services.core.errors import StaleAction
from services.reports.indicators import Measured
from services.reports.stats import OrganisationStats, RollUp
from services.reports.tallies import Counts

SHOW, CHARTS, ROLLUP = "show", "charts", "rollup"
ROWS_PER_PAGE = 20


def _indicator_lines(values: tuple[Measured, ...]) -> list[dict[str, str]]:
    return [
        {
            "name": indicator_name(value.indicator),
            "value": indicator_line(value),
            "source": _("denominator: {source}").format(source=source_name(value.source)),
        }
        for value in values
    ]


def _common(counts: Counts) -> dict[str, Any]:
    return {
        "counts": counts,
        "compliance": percent(counts.compliance),
        "completion": percent(counts.completion),
        "cycles": counts.cycles_met + counts.cycles_missed,
    }


def organisation_text(texts: Texts, stats: OrganisationStats) -> Html:
    counts = stats.counts
    return texts.render(
        "stats/organisation.j2",
        organisation_name=stats.organisation_name,
        period=period_name(stats.period),
        made_at=format_local(stats.made_at, stats.timezone),
        roles={key: counts.roles.get(key, 0) for key in ("mentor", "mentee", "both", "no_profile")},
        statuses={key: counts.statuses.get(key, 0) for key in ("unreachable", "withdrawn")},
        pairs=", ".join(
            f"{pair_status_name(status)} {number}"
            for status, number in sorted(counts.pairs.items())
        ),
        indicators=_indicator_lines(stats.indicators),
        **_common(counts),
    )


def rollup_text(texts: Texts, roll_up: RollUp, page: int, timezone: str) -> tuple[Html, int]:
    pages = max(1, -(-len(roll_up.rows) // ROWS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = roll_up.rows[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]
    text = texts.render(
        "stats/rollup.j2",
        organisations=len(roll_up.rows),
        period=period_name(roll_up.period),
        made_at=format_local(roll_up.made_at, timezone),
        totals=roll_up.totals,
        indicators=_indicator_lines(roll_up.indicators),
        rows=[
            {
                "name": row.organisation_name,
                "participants": row.counts.participants,
                "pairs": row.counts.pairs_total,
                "meetings": row.counts.meetings,
                "compliance": percent(row.counts.compliance),
            }
            for row in shown
        ],
        page=page,
        pages=pages,
        **_common(roll_up.totals),
    )
    return text, pages


def _organisation_keyboard(organisation_id: int) -> InlineKeyboardMarkup:
    def button(text: str, action: str) -> InlineKeyboardButton:
        data = StatsCallback(organisation_id=organisation_id, action=action)
        return InlineKeyboardButton(text=text, callback_data=data.pack())

    return InlineKeyboardMarkup(
        inline_keyboard=[[button("📈 " + _("Charts"), CHARTS), button("🔄 " + _("Refresh"), SHOW)]]
    )


def _rollup_keyboard(page: int, pages: int) -> InlineKeyboardMarkup:
    def button(text: str, action: str, to: int = 0) -> InlineKeyboardButton:
        data = StatsCallback(organisation_id=0, action=action, page=to)
        return InlineKeyboardButton(text=text, callback_data=data.pack())

    paging = []
    if page > 0:
        paging.append(button("◀️", ROLLUP, page - 1))
    if page + 1 < pages:
        paging.append(button("▶️", ROLLUP, page + 1))
    rows = [[button("📈 " + _("Charts"), CHARTS), button("🔄 " + _("Refresh"), ROLLUP, page)]]
    return InlineKeyboardMarkup(inline_keyboard=[paging, *rows] if paging else rows)


def coordinates(person: TelegramPerson) -> bool:
    """The roll-up is for coordinators who curate nowhere, and for the superadmin."""
    actor = person.actor
    return actor.is_superadmin or (
        actor.has_role(RoleKind.COORDINATOR) and not actor.has_role(RoleKind.CURATOR)
    )


async def cmd_stats(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    if coordinates(person):
        roll_up = await services.stats.for_coordinator(person.id)
        text, pages = rollup_text(texts, roll_up, 0, _timezone(roll_up))
        await message.answer(text, reply_markup=_rollup_keyboard(0, pages))
        return
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's numbers?"),
        lambda org_id: StatsCallback(organisation_id=org_id, action=SHOW),
    )
    if organisation_id is None:
        return
    stats = await services.stats.for_organisation(person.id, organisation_id)
    await message.answer(
        organisation_text(texts, stats), reply_markup=_organisation_keyboard(organisation_id)
    )


def _timezone(roll_up: RollUp) -> str:
    return roll_up.rows[0].timezone if roll_up.rows else "Europe/Moscow"


async def on_stats(
    callback: CallbackQuery,
    callback_data: StatsCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    organisation_id, action = callback_data.organisation_id, callback_data.action
    message_id = callback.message.message_id if callback.message else None
    if action == ROLLUP and organisation_id == 0:
        roll_up = await services.stats.for_coordinator(person.id)
        text, pages = rollup_text(texts, roll_up, callback_data.page, _timezone(roll_up))
        await callback.answer()
        page = min(callback_data.page, pages - 1)
        await send_or_edit(bot, person.chat_id, text, _rollup_keyboard(page, pages), message_id)
    elif action == SHOW and organisation_id > 0:
        stats = await services.stats.for_organisation(person.id, organisation_id)
        await callback.answer()
        await send_or_edit(
            bot,
            person.chat_id,
            organisation_text(texts, stats),
            _organisation_keyboard(organisation_id),
            message_id,
        )
    elif action == CHARTS:
        if organisation_id > 0:
            found: OrganisationStats | RollUp = await services.stats.for_organisation(
                person.id, organisation_id
            )
        else:
            found = await services.stats.for_coordinator(person.id)
        await callback.answer(_("Drawing the charts…"))
        await send_charts(bot, person.chat_id, found)
    else:
        raise StaleAction


def counts_of(found: OrganisationStats | RollUp) -> Counts:
    return found.counts if isinstance(found, OrganisationStats) else found.totals


async def send_charts(bot: Bot, chat_id: int, found: OrganisationStats | RollUp) -> None:
    """The four charts as PNG files, drawn in a worker thread (the bot keeps answering)."""
    from bot.documents import charts  # on first use, as `bot.documents.maker` explains

    for chart in await charts.draw_counts(counts_of(found), found.period, found.changes):
        await bot.send_document(chat_id, BufferedInputFile(chart.png, filename=chart.filename))


def get_router() -> Router:
    router = Router(name="stats")
    router.message.register(cmd_stats, Command("stats"))
    router.callback_query.register(on_stats, StatsCallback.filter())
    return router
