from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import LanguageCallback
from bot.telegram.commands import CommandMenus
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.common import language_keyboard


async def cmd_language(message: Message, person: TelegramPerson) -> None:
    """/language: offer the languages the bot speaks."""
    await message.answer(
        _("Choose the language of the bot:"), reply_markup=language_keyboard(person.locale)
    )


async def on_language(
    callback: CallbackQuery,
    callback_data: LanguageCallback,
    person: TelegramPerson,
    services: Services,
    i18n: I18n,
    menus: CommandMenus,
    bot: Bot,
) -> None:
    """A language button: store the choice and answer in the new language at once."""
    updated = await services.people.set_locale(person.id, callback_data.locale)
    with i18n.use_locale(updated.locale):
        await callback.answer()
        if callback.message is not None:
            await bot.edit_message_text(
                text=_("Done: I will speak English with you.")
                if updated.locale == "en"
                else _("Done: I will speak Russian with you."),
                chat_id=callback.from_user.id,
                message_id=callback.message.message_id,
            )
    await menus.refresh_for(bot, person.id)


async def cmd_cancel(message: Message, state: FSMContext) -> None:
    """/cancel in the middle of a form: leave it, keeping nothing half written."""
    await state.clear()
    await message.answer(_("Cancelled. Nothing was saved."))


async def cmd_cancel_idle(message: Message) -> None:
    """/cancel with no form open."""
    await message.answer(_("There is nothing to cancel."))


def get_router() -> Router:
    router = Router(name="settings")
    router.message.register(cmd_language, Command("language"))
    router.callback_query.register(on_language, LanguageCallback.filter())
    router.message.register(cmd_cancel, Command("cancel"), ~StateFilter(None))
    router.message.register(cmd_cancel_idle, Command("cancel"))
    return router
