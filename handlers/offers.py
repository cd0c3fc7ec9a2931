"""The mentor's side: answering an offered request (accept, accept and close the intake, decline
with a reason and a comment) and browsing open requests that fit (/requests for mentors)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import (
    DeclineReasonCallback,
    OfferCallback,
    OpenRequestsPageCallback,
    TakeRequestCallback,
)
from bot.telegram.filters import TypedText
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import offers as keyboards
from bot.telegram.labels import subject_name
from bot.telegram.redraw import drop_buttons, message_id_of, send_or_edit
from bot.telegram.states import OfferDecline
from bot.telegram.texts import Texts
from models import DeclineReason
from services.core.errors import StaleAction
from services.requests.brief import brief_payload
from services.requests.offers import COMMENT_MAX, PairResult

OPEN_PAGE_SIZE = 5


def _accepted_text(texts: Texts, result: PairResult, *, closed: bool) -> str:
    return texts.render(
        "offers/accepted.j2",
        name=result.other_name,
        pending_order=result.pending_order,
        closed=closed,
    )


# --- an offered request ----------------------------------------------------------------------


async def on_accept(
    callback: CallbackQuery,
    callback_data: OfferCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Accept, or Accept and close my intake."""
    closed = callback_data.action == keyboards.CLOSE
    result = await services.offers.accept(person.id, callback_data.offer_id, close_intake=closed)
    await callback.answer()
    await drop_buttons(bot, person.chat_id, message_id_of(callback))
    await bot.send_message(person.chat_id, _accepted_text(texts, result, closed=closed))


async def on_show_offer(
    callback: CallbackQuery,
    callback_data: OfferCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """ "Show the request" under a reminder: the request again, with the answer buttons."""
    brief = await services.offers.brief(person.id, callback_data.offer_id)
    await callback.answer()
    await bot.send_message(
        person.chat_id,
        texts.render("offers/request.j2", **brief_payload(brief), subject_name=subject_name),
        reply_markup=keyboards.offer_keyboard(callback_data.offer_id),
    )


async def on_decline(
    callback: CallbackQuery,
    callback_data: OfferCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    bot: Bot,
) -> None:
    """Decline: first the reason, from a short list."""
    # Only the mentor the request went to gets this far: a forged id fails here.
    await services.offers.brief(person.id, callback_data.offer_id)
    await state.clear()
    # Remembered so that the request's own buttons go once the decline is done.
    await state.set_data(
        {"offer_id": callback_data.offer_id, "offer_message_id": message_id_of(callback)}
    )
    await callback.answer()
    await bot.send_message(
        person.chat_id,
        _("Why do you decline the request? The curator sees the reason, the mentee does not."),
        reply_markup=keyboards.decline_reasons_keyboard(callback_data.offer_id),
    )


async def on_decline_reason(
    callback: CallbackQuery,
    callback_data: DeclineReasonCallback,
    state: FSMContext,
    person: TelegramPerson,
    bot: Bot,
) -> None:
    """A reason chosen: an optional comment next."""
    if callback_data.reason not in set(DeclineReason):
        raise StaleAction
    data = await state.get_data()
    same_offer = data.get("offer_id") == callback_data.offer_id
    await state.set_state(OfferDecline.comment)
    await state.set_data(
        {
            "offer_id": callback_data.offer_id,
            "reason": callback_data.reason,
            "offer_message_id": data.get("offer_message_id") if same_offer else None,
        }
    )
    await callback.answer()
    await drop_buttons(bot, person.chat_id, message_id_of(callback))
    await bot.send_message(
        person.chat_id,
        _("Add a comment for the curator (up to {limit} characters), or press Skip.").format(
            limit=COMMENT_MAX
        ),
        reply_markup=keyboards.skip_comment_keyboard(callback_data.offer_id),
    )


async def _decline(
    bot: Bot,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    comment: str | None,
) -> None:
    data = await state.get_data()
    # Leave the form first: if the request is gone meanwhile, the person is not stuck in it.
    await state.clear()
    try:
        offer_id, reason = int(data["offer_id"]), DeclineReason(data["reason"])
    except (KeyError, TypeError, ValueError):
        raise StaleAction from None
    await services.offers.decline(person.id, offer_id, reason, comment)
    await drop_buttons(bot, person.chat_id, data.get("offer_message_id"))
    await bot.send_message(
        person.chat_id, _("Thank you, the mentee will be offered another mentor.")
    )


async def on_skip_comment(
    callback: CallbackQuery,
    callback_data: OfferCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    bot: Bot,
) -> None:
    """Skip: decline without a comment."""
    if (await state.get_data()).get("offer_id") != callback_data.offer_id:
        raise StaleAction
    await callback.answer()
    await drop_buttons(bot, person.chat_id, message_id_of(callback))
    await _decline(bot, state, person, services, None)


async def decline_comment(
    message: Message, state: FSMContext, person: TelegramPerson, services: Services, bot: Bot
) -> None:
    """The typed comment to a decline."""
    comment = " ".join((message.text or "").split())
    skip = keyboards.skip_comment_keyboard(int((await state.get_data()).get("offer_id", 0)))
    if len(comment) > COMMENT_MAX:
        await message.answer(
            _(
                "That is {length} characters; please keep the comment within {limit}, "
                "or press Skip."
            ).format(length=len(comment), limit=COMMENT_MAX),
            reply_markup=skip,
        )
        return
    await _decline(bot, state, person, services, comment or None)


async def decline_unexpected(message: Message, state: FSMContext) -> None:
    """A photo, a sticker or a command while a comment is expected."""
    skip = keyboards.skip_comment_keyboard(int((await state.get_data()).get("offer_id", 0)))
    if message.text and message.text.startswith("/"):
        hint = _("Please write the comment or press Skip first, or send /cancel to stop.")
    else:
        hint = _("Please send the comment as text, or press Skip.")
    await message.answer(hint, reply_markup=skip)


# --- /requests for mentors -------------------------------------------------------------------


async def show_open_requests(
    bot: Bot,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    *,
    page: int = 0,
    message_id: int | None = None,
) -> None:
    """A mentor's /requests: open requests that fit them, best fit first, five a page."""
    profile = await services.profiles.get(person.id)
    if profile is None or profile.draft.role is None or not profile.draft.role.mentors:
        await bot.send_message(
            person.chat_id,
            _("Only mentors can browse requests. If you need a mentor yourself, send /request."),
        )
        return
    briefs = await services.offers.open_for_mentor(person.id)
    if not briefs:
        await send_or_edit(
            bot,
            person.chat_id,
            _(
                "There are no open requests that fit you right now. When a mentee asks for "
                "help you can give, they can also send the request to you directly."
            ),
            None,
            message_id,
        )
        return
    pages = -(-len(briefs) // OPEN_PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    shown = briefs[page * OPEN_PAGE_SIZE : (page + 1) * OPEN_PAGE_SIZE]
    text = texts.render(
        "offers/open_list.j2",
        briefs=shown,
        first_number=page * OPEN_PAGE_SIZE + 1,
        page=page,
        pages=pages,
        subject_name=subject_name,
    )
    markup = keyboards.open_requests_keyboard(shown, page, pages)
    await send_or_edit(bot, person.chat_id, text, markup, message_id)


async def on_open_requests_page(
    callback: CallbackQuery,
    callback_data: OpenRequestsPageCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Another page of the mentor's open requests (or back to the list)."""
    await callback.answer()
    await show_open_requests(
        bot,
        person,
        services,
        texts,
        page=callback_data.page,
        message_id=message_id_of(callback),
    )


async def on_take_request(
    callback: CallbackQuery,
    callback_data: TakeRequestCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Take <name>'s request: `ask` shows it in full, `yes` makes the pair."""
    if callback_data.step == keyboards.YES:
        result = await services.offers.take(person.id, callback_data.request_id)
        await callback.answer()
        await drop_buttons(bot, person.chat_id, message_id_of(callback))
        await bot.send_message(person.chat_id, _accepted_text(texts, result, closed=False))
        return
    if callback_data.step != keyboards.ASK:
        raise StaleAction
    briefs = await services.offers.open_for_mentor(person.id)
    brief = next((b for b in briefs if b.request_id == callback_data.request_id), None)
    if brief is None:
        await callback.answer(
            _(
                "This request is no longer open to you: it was taken, withdrawn "
                "or sent to a mentor."
            ),
            show_alert=True,
        )
        return
    await callback.answer()
    await bot.send_message(
        person.chat_id,
        texts.render("offers/take_confirm.j2", **brief_payload(brief), subject_name=subject_name),
        reply_markup=keyboards.take_confirm_keyboard(brief.request_id),
    )


def get_router() -> Router:
    router = Router(name="offers")
    router.callback_query.register(
        on_accept, OfferCallback.filter(F.action.in_({keyboards.ACCEPT, keyboards.CLOSE}))
    )
    router.callback_query.register(on_show_offer, OfferCallback.filter(F.action == keyboards.SHOW))
    router.callback_query.register(on_decline, OfferCallback.filter(F.action == keyboards.DECLINE))
    router.callback_query.register(
        on_skip_comment,
        StateFilter(OfferDecline.comment),
        OfferCallback.filter(F.action == keyboards.SKIP),
    )
    router.callback_query.register(on_decline_reason, DeclineReasonCallback.filter())
    router.message.register(decline_comment, StateFilter(OfferDecline.comment), TypedText())
    router.message.register(decline_unexpected, StateFilter(OfferDecline.comment))
    router.callback_query.register(on_open_requests_page, OpenRequestsPageCallback.filter())
    router.callback_query.register(on_take_request, TakeRequestCallback.filter())
    return router
