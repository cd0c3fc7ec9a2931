"""Asking for consent, and recording the answer."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import ConsentCallback, ConsentSettingsCallback
from bot.telegram.commands import CommandMenus
from bot.telegram.consent_prompt import ask_for_consent
from bot.telegram.html import Html
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.consent import renewal_refusal_keyboard, retention_keyboard
from bot.telegram.once import answer_already_done, claim, release
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.texts import Texts
from handlers import profile
from services.core.errors import DomainError, StaleAction


async def ask_pending(
    bot: Bot,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    *,
    prefix: Html | None = None,
) -> bool:
    """Show the first consent still missing (its introduction after `prefix`, in one message);
    False if there is none."""
    requests = await services.consent.pending(person.id, person.locale)
    if not requests:
        return False
    await ask_for_consent(bot, person.chat_id, requests[0], texts, prefix=prefix)
    return True


async def on_consent(
    callback: CallbackQuery,
    callback_data: ConsentCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
    menus: CommandMenus,
) -> None:
    """Agree, Decline, or the confirmed refusal of a changed text."""
    chat_id = person.chat_id
    if callback_data.answer in ("yes", "no") and not await claim(state, callback):
        # The same Agree or Decline pressed twice: the first press decided.
        await answer_already_done(callback)
        return
    if callback_data.answer == "yes":
        try:
            decision = await services.consent.agree(person.id, callback_data.document_id)
        except DomainError:
            await release(state, callback)
            raise
        await callback.answer()
        await _drop_buttons(callback, bot)
        # "Recorded" is said in the same message as what comes next: the next consent's
        # introduction, or the profile form's introduction and first question.
        agreed = texts.render("consent/agreed.j2", version=decision.version)
        if not await ask_pending(bot, person, services, texts, prefix=agreed):
            await profile.start_profile(
                bot,
                chat_id,
                state,
                person,
                services,
                texts,
                preset=decision.programme_role,
                intro=agreed,
            )
        return
    if callback_data.answer == "no":
        requests = await services.consent.pending(person.id, person.locale)
        request = next((r for r in requests if r.document_id == callback_data.document_id), None)
        if request is None:
            await release(state, callback)
            raise StaleAction
        await callback.answer()
        if request.renewal:
            # Only a question so far: the confirmed refusal ("erase") is the decision.
            await release(state, callback)
            await bot.send_message(
                chat_id,
                _(
                    "Declining the new text means withdrawing your consent: your participation "
                    "ends and your personal data are erased. Do you want that?"
                ),
                reply_markup=renewal_refusal_keyboard(callback_data.document_id),
            )
            return
        try:
            decision = await services.consent.decline(person.id, callback_data.document_id)
        except DomainError:
            await release(state, callback)
            raise
        await _drop_buttons(callback, bot)
        await state.clear()
        await bot.send_message(
            chat_id, texts.render("consent/declined.j2", organisation=decision.organisation_name)
        )
        return
    if callback_data.answer == "show":
        await callback.answer()
        await ask_pending(bot, person, services, texts)
        return
    if callback_data.answer == "erase":
        requests = await services.consent.pending(person.id, person.locale)
        if not any(r.document_id == callback_data.document_id and r.renewal for r in requests):
            raise StaleAction
        withdrawal = await services.privacy.withdraw(person.id)
        await state.clear()
        await callback.answer()
        await bot.send_message(
            chat_id, texts.render("privacy/withdrawn.j2", number=withdrawal.number)
        )
        await menus.reset_for(bot, chat_id)
        return
    raise StaleAction


async def _drop_buttons(callback: CallbackQuery, bot: Bot) -> None:
    """The consent message keeps its text (what was agreed to) but loses its buttons."""
    if callback.message is not None:
        await bot.edit_message_reply_markup(
            chat_id=callback.from_user.id, message_id=callback.message.message_id, reply_markup=None
        )


async def cmd_consent(
    message: Message, person: TelegramPerson, services: Services, texts: Texts, bot: Bot
) -> None:
    """/consent (curator): the consent text's version and storage period, which can be changed."""
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation?"),
        lambda org_id: ConsentSettingsCallback(organisation_id=org_id),
    )
    if organisation_id is None:
        return
    await _show_settings(bot, person, services, texts, organisation_id)


async def on_consent_settings(
    callback: CallbackQuery,
    callback_data: ConsentSettingsCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Show an organisation's consent settings, or change the storage period."""
    if callback_data.years:
        version = await services.consent.set_retention(
            person.id, callback_data.organisation_id, callback_data.years
        )
        await callback.answer(
            _("Saved. Version {version} is published; participants will be asked again.").format(
                version=version
            ),
            show_alert=True,
        )
    else:
        await callback.answer()
    await _show_settings(bot, person, services, texts, callback_data.organisation_id)


async def _show_settings(
    bot: Bot, person: TelegramPerson, services: Services, texts: Texts, organisation_id: int
) -> None:
    settings = await services.consent.settings_for(person.id, organisation_id)
    await bot.send_message(
        person.chat_id,
        texts.render(
            "consent/settings.j2",
            organisation=settings.organisation_name,
            version=settings.version,
            years=settings.retention_years,
            agreed=settings.agreed_to_current,
        ),
        reply_markup=retention_keyboard(organisation_id, settings.retention_years),
    )


def get_router() -> Router:
    router = Router(name="consent")
    router.callback_query.register(on_consent, ConsentCallback.filter())
    router.message.register(cmd_consent, Command("consent"))
    router.callback_query.register(on_consent_settings, ConsentSettingsCallback.filter())
    return router
