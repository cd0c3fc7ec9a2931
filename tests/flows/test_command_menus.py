"""Command menus per role and language; a failing setMyCommands never stops the bot."""

from __future__ import annotations

import logging

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramServerError
from aiogram.methods import DeleteMyCommands, SetMyCommands
from aiogram.types import BotCommandScopeChat, BotCommandScopeDefault

from bot.telegram.commands import CommandMenus
from tests.conftest import PersonFactory
from tests.fakes import RecordingSession, TelegramClient, api_error
from tests.flows.helpers import curator_invite, join_with_consent, make_curator


def _menus(session: RecordingSession) -> list[SetMyCommands]:
    return [m for m in session.requests if isinstance(m, SetMyCommands)]


async def test_default_menus_in_both_languages(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession
) -> None:
    menus: CommandMenus = dispatcher["menus"]
    await menus.set_defaults(bot)
    calls = _menus(session)
    by_language = {call.language_code: call for call in calls}
    assert set(by_language) == {None, "ru", "en"}
    assert all(isinstance(call.scope, BotCommandScopeDefault) for call in calls)
    default, english = by_language[None], by_language["en"]
    assert [c.command for c in default.commands] == [
        "start",
        "help",
        "request",
        "mypairs",
        "meeting",
        "meetings",
        "plan",
        "requests",
        "profile",
        "privacy",
        "language",
        "cancel",
    ]
    assert default.commands[1].description == "Что я умею"
    descriptions = {command.command: command.description for command in default.commands}
    assert descriptions["requests"] == "Открытые запросы (для наставников)"
    assert english.commands[1].description == "What I can do"


async def test_menu_failure_is_a_warning(
    dispatcher: Dispatcher,
    bot: Bot,
    session: RecordingSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    session.fail_next(api_error(TelegramServerError, "Internal Server Error"))
    menus: CommandMenus = dispatcher["menus"]
    with caplog.at_level(logging.WARNING):
        await menus.set_defaults(bot)
    assert "Could not set the default command menu" in caplog.text


async def test_curator_gets_curator_menu_on_joining(
    superadmin: TelegramClient, person: PersonFactory, session: RecordingSession
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    personal = [
        call
        for call in _menus(session)
        if isinstance(call.scope, BotCommandScopeChat) and call.scope.chat_id == 2001
    ]
    assert personal, "the curator's own menu was not set"
    commands = {c.command: c.description for c in personal[-1].commands}
    assert {"invite", "match", "pairs", "order", "request_for", "programme"} <= set(commands)
    assert commands["requests"] == "Все запросы, назначить наставников"
    assert "org_new" not in commands


async def test_staff_menus_at_start_up(
    superadmin: TelegramClient,
    person: PersonFactory,
    dispatcher: Dispatcher,
    bot: Bot,
    session: RecordingSession,
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    session.requests.clear()
    menus: CommandMenus = dispatcher["menus"]
    await menus.set_for_staff(bot)
    by_chat = {
        call.scope.chat_id: [c.command for c in call.commands]
        for call in _menus(session)
        if isinstance(call.scope, BotCommandScopeChat)
    }
    assert "org_new" in by_chat[superadmin.user.id]
    assert "invite" in by_chat[2001] and "org_new" not in by_chat[2001]


async def test_language_change_updates_own_menu(
    person: PersonFactory, session: RecordingSession
) -> None:
    teacher = person(42)
    await teacher.send("/language")
    await teacher.click("English")
    personal = [c for c in _menus(session) if isinstance(c.scope, BotCommandScopeChat)]
    assert personal[-1].commands[1].description == "What I can do"


async def test_withdrawal_resets_the_personal_menu(
    superadmin: TelegramClient, person: PersonFactory, session: RecordingSession
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    code = await curator_invite(curator, "Наставник")
    await join_with_consent(curator, code)  # the curator also mentors
    await curator.send("/cancel")
    await curator.send("/privacy")
    await curator.click("Отозвать согласие")
    await curator.click("Да, отозвать")
    resets = [
        m
        for m in session.requests
        if isinstance(m, DeleteMyCommands)
        and isinstance(m.scope, BotCommandScopeChat)
        and m.scope.chat_id == 2001
    ]
    assert len(resets) == 1
