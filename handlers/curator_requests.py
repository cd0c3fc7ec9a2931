"""/requests: the curator's list of live requests with manual assignment; mentors get their own
list of open requests that fit them (handlers/offers.py)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import AssignCallback, CuratorRequestCallback, CuratorRequestsCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import offers as keyboards
from bot.telegram.labels import subject_name
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import drop_buttons, message_id_of, send_or_edit
from bot.telegram.texts import Texts
from handlers.offers import show_open_requests
from services.core.clock import Clock
from services.core.errors import RequestProblem, RequestUnavailable, StaleAction
from services.requests.curator import CURATOR_PAGE_SIZE

# Enough to find the mentor the curator picked among the shown five, even if the order shifted.
ALL_SUGGESTIONS = 1000


async def cmd_requests(
    message: Message,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """/requests: curators see their organisation's requests, everybody else the mentor's list."""
    actor = person.actor
    if not actor.curated_organisation_ids():
        await show_open_requests(bot, person, services, texts)
        return
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's requests do you want to see?"),
        lambda org_id: CuratorRequestsCallback(organisation_id=org_id),
    )
    if organisation_id is None:
        return
    await _show_list(bot, person, services, texts, organisation_id, page=0, message_id=None)


async def _show_list(
    bot: Bot,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    organisation_id: int,
    *,
    page: int,
    message_id: int | None,
) -> None:
    requests = await services.curator_requests.open_requests(person.id, organisation_id, page)
    text = texts.render(
        "curator_requests/list.j2",
        page=requests,
        first_number=requests.page * CURATOR_PAGE_SIZE + 1,
    )
    markup = keyboards.curator_requests_keyboard(requests)
    await send_or_edit(bot, person.chat_id, text, markup, message_id)


async def on_curator_requests_page(
    callback: CallbackQuery,
    callback_data: CuratorRequestsCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """An organisation chosen, another page, or back to the list."""
    await _show_list(
        bot,
        person,
        services,
        texts,
        callback_data.organisation_id,
        page=callback_data.page,
        message_id=message_id_of(callback),
    )
    await callback.answer()


async def on_curator_request(
    callback: CallbackQuery,
    callback_data: CuratorRequestCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    clock: Clock,
    bot: Bot,
) -> None:
    """One request in full, then the five best-fitting mentors to assign."""
    view = await services.curator_requests.request_for_curator(person.id, callback_data.request_id)
    text = texts.render(
        "curator_requests/request.j2",
        v=view,
        age_days=max((clock.now() - view.created_at).days, 0),
    )
    await callback.answer()
    if not view.status.is_live:
        markup = keyboards.curator_request_keyboard(view.id, view.organisation_id, [])
        await bot.send_message(person.chat_id, text, reply_markup=markup)
        return
    suggestions = await services.requests.suggestions(person.id, view.id, limit=5)
    # Two messages: the request's own texts may take up to 2000 characters, and five
    # suggestions with their reasons would push one message past Telegram's 4096.
    await bot.send_message(person.chat_id, text)
    await bot.send_message(
        person.chat_id,
        texts.render(
            "curator_requests/suggestions.j2",
            v=view,
            suggestions=suggestions,
            subject_name=subject_name,
        ),
        reply_markup=keyboards.curator_request_keyboard(view.id, view.organisation_id, suggestions),
    )


async def on_assign(
    callback: CallbackQuery,
    callback_data: AssignCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Assign <name>: `ask` confirms, `yes` creates the pair."""
    view = await services.curator_requests.request_for_curator(person.id, callback_data.request_id)
    if callback_data.step == keyboards.YES:
        result = await services.offers.assign(
            person.id, callback_data.request_id, callback_data.mentor_id
        )
        await callback.answer()
        await drop_buttons(bot, person.chat_id, message_id_of(callback))
        await bot.send_message(
            person.chat_id,
            texts.render(
                "curator_requests/assigned.j2",
                mentor=result.other_name,
                mentee=view.mentee_name,
                pending_order=result.pending_order,
            ),
        )
        return
    if callback_data.step != keyboards.ASK:
        raise StaleAction
    suggestions = await services.requests.suggestions(person.id, view.id, limit=ALL_SUGGESTIONS)
    chosen = next((s for s in suggestions if s.mentor_id == callback_data.mentor_id), None)
    if chosen is None:
        raise RequestUnavailable(RequestProblem.NOT_ELIGIBLE)
    await callback.answer()
    await bot.send_message(
        person.chat_id,
        texts.render("curator_requests/assign_confirm.j2", v=view, s=chosen),
        reply_markup=keyboards.assign_confirm_keyboard(view.id, chosen.mentor_id),
    )


def get_router() -> Router:
    router = Router(name="curator_requests")
    router.message.register(cmd_requests, Command("requests"))
    router.callback_query.register(on_curator_requests_page, CuratorRequestsCallback.filter())
    router.callback_query.register(
        on_curator_request, CuratorRequestCallback.filter(F.action == keyboards.SHOW)
    )
    router.callback_query.register(on_assign, AssignCallback.filter())
    return router
