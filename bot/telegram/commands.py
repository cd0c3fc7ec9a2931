"""Command menus (setMyCommands) per role and language. Failures are logged, never fatal."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.telegram.identity import TELEGRAM
from services.people.directory import MenuLevel, MenuTarget, PeopleService

logger = logging.getLogger(__name__)


def commands_for(level: MenuLevel) -> list[BotCommand]:
    """The menu of a role, in the current language."""
    staff = level in (MenuLevel.CURATOR, MenuLevel.SUPERADMIN)
    commands = [
        BotCommand(command="start", description=_("Start, or join with an invite")),
        BotCommand(command="help", description=_("What I can do")),
        BotCommand(command="request", description=_("Ask for a mentor")),
        BotCommand(command="mypairs", description=_("My mentoring pairs")),
        BotCommand(command="meeting", description=_("Record a meeting of my pair")),
        BotCommand(command="meetings", description=_("Meeting log of my pair")),
        BotCommand(command="plan", description=_("Development plan: goals and tasks")),
        BotCommand(
            command="requests",
            description=_("All requests, assign mentors")
            if staff
            else _("Open requests (for mentors)"),
        ),
        BotCommand(command="profile", description=_("My profile")),
        BotCommand(command="privacy", description=_("My data and consent")),
        BotCommand(command="language", description=_("Change the language")),
    ]
    if staff:
        commands += [
            BotCommand(command="stats", description=_("Live numbers and indicators")),
            BotCommand(command="report", description=_("Documents for a period: Excel, Word")),
            BotCommand(command="participants", description=_("Participants and their status")),
            BotCommand(command="match", description=_("Match all open requests at once")),
            BotCommand(command="pairs", description=_("Mentoring pairs")),
            BotCommand(command="order", description=_("Record an order fixing pairs")),
            BotCommand(command="request_for", description=_("File a request for a teacher")),
            BotCommand(command="programme", description=_("Matching and pair settings")),
            BotCommand(command="questionnaires", description=_("Questionnaires: see, change")),
            BotCommand(command="survey", description=_("Send a questionnaire, see who answered")),
            BotCommand(command="capacity", description=_("Mentors' places for mentees")),
            BotCommand(command="invite", description=_("Create an invite link")),
            BotCommand(command="invites", description=_("Active invites, revoke")),
            BotCommand(command="consent", description=_("Consent text and storage period")),
            BotCommand(command="broadcast", description=_("A message to many participants")),
            BotCommand(command="audit", description=_("Who did what, and when")),
        ]
    if level == MenuLevel.COORDINATOR:
        commands += [
            BotCommand(command="stats", description=_("Numbers of my organisations")),
            BotCommand(command="report", description=_("Roll-up documents for a period")),
        ]
    if level == MenuLevel.SUPERADMIN:
        commands += [
            BotCommand(command="org_new", description=_("Create an organisation")),
            BotCommand(command="orgs", description=_("All organisations")),
        ]
    commands.append(BotCommand(command="cancel", description=_("Leave the current form")))
    return commands


class CommandMenus:
    def __init__(self, i18n: I18n, people: PeopleService) -> None:
        self._i18n = i18n
        self._people = people

    async def set_defaults(self, bot: Bot) -> None:
        """The participant menu for everyone: Russian by default, English for English clients."""
        for language_code in (None, *self._i18n.available_locales):
            locale = language_code or self._i18n.default_locale
            with self._i18n.context(), self._i18n.use_locale(locale):
                commands = commands_for(MenuLevel.PARTICIPANT)
            try:
                await bot.set_my_commands(
                    commands, scope=BotCommandScopeDefault(), language_code=language_code
                )
            except Exception as error:  # a menu is a convenience; the bot works without one
                logger.warning("Could not set the default command menu: %s", type(error).__name__)
                return

    async def set_for_staff(self, bot: Bot) -> None:
        for target in await self._people.staff_menu_targets(TELEGRAM):
            await self._apply(bot, target)

    async def refresh_for(self, bot: Bot, person_id: int) -> None:
        """After a role or language change: this person's own menu, in their chosen language."""
        target = await self._people.menu_target(person_id, TELEGRAM)
        if target is not None:
            await self._apply(bot, target)

    async def reset_for(self, bot: Bot, chat_id: int) -> None:
        """Back to the default menu (after withdrawal the person holds no role any more)."""
        try:
            await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=chat_id))
        except Exception as error:
            logger.warning("Could not reset a command menu: %s", type(error).__name__)

    async def _apply(self, bot: Bot, target: MenuTarget) -> None:
        scope = BotCommandScopeChat(chat_id=int(target.address))
        try:
            with self._i18n.context(), self._i18n.use_locale(target.locale):
                commands = commands_for(target.level)
            await bot.set_my_commands(commands, scope=scope)
        except Exception as error:
            logger.warning("Could not set a command menu: %s", type(error).__name__)
