"""/broadcast (curator): a message to everyone in the programme, the mentors, the mentees or those
who have not finished a survey — written, previewed as they will see it, confirmed, then sent
through the outbox in the organisation's sending hours."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import BroadcastCallback
from bot.telegram.filters import TypedText
from bot.telegram.html import format_html
from bot.telegram.identity import TelegramPerson
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.states import BroadcastForm
from bot.telegram.texts import Texts
from services.core.errors import StaleAction
from services.organisations.broadcasts import KIND, MAX_LENGTH, BroadcastAudience
from services.questionnaires.as_form import language_of

UNFINISHED_PREFIX = "unfinished-"
PAIR_PREFIX = "pair-"  # from a pair's card in /pairs
_AUDIENCES: dict[BroadcastAudience, Callable[[], str]] = {
    BroadcastAudience.EVERYONE: lambda: _("everyone in the programme"),
    BroadcastAudience.MENTORS: lambda: _("the mentors"),
    BroadcastAudience.MENTEES: lambda: _("the mentees"),
    BroadcastAudience.UNFINISHED: lambda: _("those who have not finished a survey"),
    BroadcastAudience.PAIR: lambda: _("this pair"),
}


def _button(text: str, organisation_id: int, action: str, value: str = "") -> InlineKeyboardButton:
    data = BroadcastCallback(organisation_id=organisation_id, action=action, value=value)
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _audiences(organisation_id: int) -> InlineKeyboardMarkup:
    rows = [
        [_button(words(), organisation_id, "to", audience.value)]
        for audience, words in _AUDIENCES.items()
        if audience not in (BroadcastAudience.UNFINISHED, BroadcastAudience.PAIR)
    ]
    rows.append(
        [_button(_AUDIENCES[BroadcastAudience.UNFINISHED]() + "…", organisation_id, "surveys")]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _audience_of(value: str) -> tuple[BroadcastAudience, int | None]:
    """A button's audience, with the survey ("unfinished-7") or the pair ("pair-12") it names."""
    for prefix, audience in (
        (UNFINISHED_PREFIX, BroadcastAudience.UNFINISHED),
        (PAIR_PREFIX, BroadcastAudience.PAIR),
    ):
        if value.startswith(prefix):
            target = value.removeprefix(prefix)
            if not target.isdigit() or len(target) > 12:
                raise StaleAction
            return audience, int(target)
    try:
        audience = BroadcastAudience(value)
    except ValueError:
        raise StaleAction from None
    if audience in (BroadcastAudience.UNFINISHED, BroadcastAudience.PAIR):
        raise StaleAction
    return audience, None


async def cmd_broadcast(
    message: Message, person: TelegramPerson, services: Services, state: FSMContext
) -> None:
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation do you want to write to?"),
        lambda org_id: BroadcastCallback(organisation_id=org_id, action="who"),
    )
    if organisation_id is None:
        return
    await state.clear()
    await message.answer(
        _("Whom do you want to write to?"), reply_markup=_audiences(organisation_id)
    )


async def on_broadcast(
    callback: CallbackQuery,
    callback_data: BroadcastCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    bot: Bot,
) -> None:
    org, action, value = callback_data.organisation_id, callback_data.action, callback_data.value
    chat_id = person.chat_id
    if action == "who":
        await services.broadcasts.audience_size(person.id, org, BroadcastAudience.EVERYONE)
        await callback.answer()
        await bot.send_message(
            chat_id, _("Whom do you want to write to?"), reply_markup=_audiences(org)
        )
        return
    if action == "surveys":
        campaigns = [c for c in await services.campaigns.listing(person.id, org) if c.open]
        await callback.answer()
        if not campaigns:
            await bot.send_message(chat_id, _("There is no open survey."))
            return
        language = language_of(person.locale)
        rows = [
            [_button(c.titles[language], org, "to", f"{UNFINISHED_PREFIX}{c.id}")]
            for c in campaigns
        ]
        await bot.send_message(
            chat_id,
            _("Those who have not finished which survey?"),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
        )
        return
    if action == "to":
        audience, campaign_id = _audience_of(value)
        count = await services.broadcasts.audience_size(person.id, org, audience, campaign_id)
        await callback.answer()
        if count == 0:
            await bot.send_message(
                chat_id, _("Nobody fits this audience yet: no one would get it.")
            )
            return
        await state.set_state(BroadcastForm.text)
        await state.set_data({"organisation_id": org, "audience": value})
        await bot.send_message(
            chat_id,
            _(
                "Write the message in one text, up to {limit} characters: it goes to {count} "
                "people. /cancel to stop."
            ).format(limit=MAX_LENGTH, count=count),
        )
        return
    data = await state.get_data()
    if await state.get_state() != BroadcastForm.confirm.state or data.get("organisation_id") != org:
        raise StaleAction
    await state.clear()
    await callback.answer()
    if action == "cancel":
        await bot.send_message(chat_id, _("Cancelled. Nothing was sent."))
        return
    if action != "send":
        raise StaleAction
    audience, campaign_id = _audience_of(str(data["audience"]))
    sent = await services.broadcasts.send(person.id, org, audience, str(data["text"]), campaign_id)
    await bot.send_message(
        chat_id,
        _(
            "The message is queued for {count} people; it goes out in your organisation's "
            "sending hours."
        ).format(count=sent),
    )


async def on_text(
    message: Message, person: TelegramPerson, services: Services, texts: Texts, state: FSMContext
) -> None:
    """The message: shown as the participants will see it, with Send and Cancel (/cancel,
    handled by handlers/settings.py like any half-written input, sends nothing)."""
    data = await state.get_data()
    org = int(data["organisation_id"])
    audience, campaign_id = _audience_of(str(data["audience"]))
    text = message.text or ""
    if len(text) > MAX_LENGTH:
        await message.answer(
            _("That is too long: at most {limit} characters.").format(limit=MAX_LENGTH)
        )
        return
    organisation = await services.organisations.get(person.id, org)
    count = await services.broadcasts.audience_size(person.id, org, audience, campaign_id)
    preview = texts.render(f"notifications/{KIND}.j2", text=text, organisation=organisation.name)
    await state.set_state(BroadcastForm.confirm)
    await state.update_data({"text": text})
    await message.answer(
        format_html(
            "<i>{}</i>\n\n", _("This is how {count} people will see it:").format(count=count)
        )
        + preview,
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _button("✅ " + _("Send"), org, "send"),
                    _button("✖️ " + _("Cancel"), org, "cancel"),
                ]
            ]
        ),
    )


async def on_not_text(message: Message) -> None:
    await message.answer(_("Please write the message as text, or send /cancel."))


def get_router() -> Router:
    router = Router(name="broadcasts")
    writing = StateFilter(BroadcastForm.text)
    router.message.register(cmd_broadcast, Command("broadcast"))
    router.message.register(on_text, writing, TypedText())
    router.message.register(on_not_text, writing)
    router.callback_query.register(on_broadcast, BroadcastCallback.filter())
    return router
