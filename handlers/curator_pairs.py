"""/pairs (curator): the organisation's pairs, one pair's card and actions, petition decisions."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import (
    CuratorPairsCallback,
    PairManageCallback,
    PetitionDecisionCallback,
)
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.curator_pairs import (
    COMPLETE,
    COMPLETE_YES,
    END,
    END_PREFIX,
    PAUSE,
    RESUME,
    SHOW,
    complete_confirm_keyboard,
    end_reasons_keyboard,
    pair_manage_keyboard,
    pairs_page_keyboard,
)
from bot.telegram.keyboards.pairs import APPROVE, REJECT
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.pair_labels import petition_kind_name
from bot.telegram.texts import Texts
from handlers.pairs import ask_pause_date, drop_buttons_of, redraw, resumed_text
from models import ChangeReason, PairStatus, PetitionStatus
from services.core.errors import RequestProblem, RequestUnavailable, StaleAction
from services.pairs.lifecycle import PAGE_SIZE

STATUSES = list(PairStatus)


async def cmd_pairs(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/pairs (curator): the pairs of the organisation, or first a choice of organisation."""
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's pairs do you want to see?"),
        lambda org_id: CuratorPairsCallback(organisation_id=org_id),
    )
    if organisation_id is None:
        return
    text, markup = await _page(person, services, texts, organisation_id, 0)
    await message.answer(text, reply_markup=markup)


async def on_pairs_page(
    callback: CallbackQuery,
    callback_data: CuratorPairsCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """An organisation chosen or another page: the same message shows the list."""
    text, markup = await _page(
        person, services, texts, callback_data.organisation_id, callback_data.page
    )
    await callback.answer()
    await redraw(bot, person.chat_id, callback, text, markup)


async def _page(
    person: TelegramPerson, services: Services, texts: Texts, organisation_id: int, page_number: int
) -> tuple[str, InlineKeyboardMarkup]:
    page = await services.pairs.organisation_page(person.id, organisation_id, page_number)
    first = page.page * PAGE_SIZE + 1
    text = texts.render("curator_pairs/list.j2", page=page, first=first, statuses=STATUSES)
    return text, pairs_page_keyboard(organisation_id, page, first)


async def on_pair_manage(
    callback: CallbackQuery,
    callback_data: PairManageCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """One pair's card and the curator's actions on it."""
    pair_id, action = callback_data.pair_id, callback_data.action
    chat_id = person.chat_id
    notice = None
    if action == PAUSE:
        window = await services.pairs.pause_window(person.id, pair_id)
        await callback.answer()
        await ask_pause_date(bot, chat_id, state, texts, window)
        return
    if action == RESUME:
        notice = resumed_text(await services.pairs.resume(person.id, pair_id))
    elif action == COMPLETE_YES:
        await services.pairs.complete(person.id, pair_id)
        notice = _("🏁 The pair is marked as completed; both are told.")
    elif action.startswith(END_PREFIX):
        try:
            reason = ChangeReason(action.removeprefix(END_PREFIX))
        except ValueError:
            raise StaleAction from None
        await services.pairs.end_early(person.id, pair_id, reason)
        notice = _("⛔ The pair has ended early; both are told.")
    elif action not in (SHOW, COMPLETE, END):
        raise StaleAction
    pair = await services.pairs.details(person.id, pair_id)
    if action in (COMPLETE, END) and not pair.status.is_live:
        raise RequestUnavailable(RequestProblem.PAIR_ENDED)
    text = texts.render(
        "curator_pairs/card.j2", p=pair, notice=notice, petition_kind_name=petition_kind_name
    )
    if action == COMPLETE:
        markup = complete_confirm_keyboard(pair.id)
        text += "\n\n" + _("Mark the pair as having completed the programme? Both are told.")
    elif action == END:
        markup = end_reasons_keyboard(pair.id)
        text += "\n\n" + _("Why does the pair end early? Both are told.")
    else:
        markup = pair_manage_keyboard(pair)
    await callback.answer()
    await redraw(bot, chat_id, callback, text, markup)


async def on_petition_decision(
    callback: CallbackQuery,
    callback_data: PetitionDecisionCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Approve or Reject under a petition (its notification or the pair's card)."""
    if callback_data.decision not in (APPROVE, REJECT):
        raise StaleAction
    outcome = await services.petitions.decide(
        person.id, callback_data.petition_id, approve=callback_data.decision == APPROVE
    )
    await drop_buttons_of(bot, callback)
    if outcome.already_decided:
        decision = _("approved") if outcome.status == PetitionStatus.APPROVED else _("rejected")
        await callback.answer(
            _("This was already decided ({decision}). Nothing was changed.").format(
                decision=decision
            ),
            show_alert=True,
        )
        return
    await callback.answer()
    await bot.send_message(
        person.chat_id, texts.render("curator_pairs/petition_decided.j2", outcome=outcome)
    )


def get_router() -> Router:
    router = Router(name="curator_pairs")
    router.message.register(cmd_pairs, Command("pairs"), StateFilter(None))
    router.callback_query.register(on_pairs_page, CuratorPairsCallback.filter())
    router.callback_query.register(on_pair_manage, PairManageCallback.filter())
    router.callback_query.register(on_petition_decision, PetitionDecisionCallback.filter())
    return router
