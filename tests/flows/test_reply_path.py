"""Replies survive Telegram's limits: a person's action is never lost because Telegram asked the
bot to wait, failed for a moment, or the press was too old; presses are answered once, after the
decision; two quick updates from one person are handled in order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from sqlalchemy import func, select

from bot.app import Application
from models import Notification, Organisation
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient, api_error
from tests.flows.helpers import consented_teacher, create_organisation, invite_code
from tests.flows.test_profile import CONFIRM, _mentee_to_summary, _stored, _up_to_role
from tests.telegram_limits import LimitedTelegram


@pytest.fixture
def session(clock: FakeClock) -> LimitedTelegram:
    """Every test here talks to a Bot API that enforces Telegram's flood limits."""
    return LimitedTelegram(clock)


def _to(chat_id: int, kind: type[TelegramMethod[Any]] = SendMessage) -> Any:
    def matches(method: TelegramMethod[Any]) -> bool:
        return isinstance(method, kind) and int(getattr(method, "chat_id", 0) or 0) == chat_id

    return matches


def _retry_after(seconds: int) -> Any:
    return api_error(TelegramRetryAfter, "Too Many Requests", retry_after=seconds)


async def _organisations(app: Application) -> int:
    async with app.database.read() as db:
        return int(await db.scalar(select(func.count()).select_from(Organisation)) or 0)


async def test_full_onboarding_at_a_persons_pace_loses_nothing(
    app: Application, superadmin: TelegramClient, person: PersonFactory, session: LimitedTelegram
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher)
    await _up_to_role(teacher)
    await _mentee_to_summary(teacher)
    replies = await teacher.click(CONFIRM)
    assert "профиль сохранён" in replies[-1]
    _, profile = await _stored(app, 4001)
    assert profile is not None
    assert (profile.experience_years, profile.organisation_years) == (12, 5)
    assert session.refused == []  # a person's pace stays inside the limits


async def test_a_hurried_person_meets_the_limit_and_still_sees_every_question(
    app: Application, superadmin: TelegramClient, person: PersonFactory, session: LimitedTelegram
) -> None:
    curator = person(2001)
    teacher = person(4001, seconds_between_actions=0.1)
    await consented_teacher(superadmin, curator, teacher)
    await _up_to_role(teacher)
    await _mentee_to_summary(teacher)
    await teacher.click(CONFIRM)

    assert session.refused, "the test must actually run into Telegram's per-chat limit"
    shown = "\n".join(session.shown_to(4001))
    for question in ("Как вас зовут?", "общий педагогический стаж", "работаете в этой организации"):
        assert question in shown
    _, profile = await _stored(app, 4001)
    assert profile is not None
    assert (profile.experience_years, profile.organisation_years) == (12, 5)


async def test_a_429_on_the_reply_to_create_still_creates_the_organisation(
    app: Application, superadmin: TelegramClient, session: LimitedTelegram, clock: FakeClock
) -> None:
    await superadmin.send("/org_new")
    await superadmin.send("Школа № 1")
    await superadmin.send("663300, г. Норильск, ул. Ленина, 1")
    await superadmin.click("Krasnoyarsk (UTC+7)")
    session.fail_next(_retry_after(3), when=_to(superadmin.user.id))
    before = clock.monotonic()

    replies = await superadmin.click("Создать")

    assert await _organisations(app) == 1
    assert invite_code(replies[-1])  # the curator link arrived after the wait
    assert clock.monotonic() - before >= 3


@pytest.mark.parametrize(
    "failure",
    [
        _retry_after(2),
        api_error(TelegramServerError, "Internal Server Error"),
        lambda method: TelegramNetworkError(method=method, message="connection reset"),
    ],
    ids=["429", "500", "network"],
)
async def test_a_failed_reply_to_a_form_answer_keeps_the_answer_and_shows_the_next_question(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    session: LimitedTelegram,
    failure: Any,
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher)
    await teacher.send("Иванова Анна Сергеевна")
    await teacher.click("Учитель")
    await teacher.click("Математика")
    await teacher.click("✅ Готово")
    session.fail_next(failure, when=_to(4001))

    replies = await teacher.send("10")

    assert "Сколько полных лет вы работаете в этой организации?" in replies[-1]
    replies = await teacher.send("3")
    assert "Что лучше всего описывает" in replies[-1]  # the invite settled the role
    await _mentee_to_summary(teacher)
    await teacher.click(CONFIRM)
    _, profile = await _stored(app, 4001)
    assert profile is not None
    assert (profile.experience_years, profile.organisation_years) == (10, 3)


async def test_a_reply_telegram_will_not_take_for_long_is_delivered_by_the_outbox_once(
    app: Application,
    superadmin: TelegramClient,
    session: LimitedTelegram,
    sender: OutboxSender,
) -> None:
    await superadmin.send("/org_new")
    await superadmin.send("Школа № 1")
    await superadmin.send("663300, г. Норильск, ул. Ленина, 1")
    await superadmin.click("Krasnoyarsk (UTC+7)")
    session.fail_next(_retry_after(600), when=_to(superadmin.user.id))

    await superadmin.click("Создать")

    assert await _organisations(app) == 1
    async with app.database.read() as db:
        kinds = list(await db.scalars(select(Notification.kind)))
    assert kinds == ["reply"]
    await sender.run_once()
    await sender.run_once()
    links = [text for text in session.shown_to(superadmin.user.id) if "start=" in text]
    assert len(links) == 1
    assert invite_code(links[0])


async def test_a_forged_press_is_answered_once_with_the_refusal(
    app: Application, superadmin: TelegramClient, person: PersonFactory, session: LimitedTelegram
) -> None:
    await create_organisation(superadmin)
    stranger = person(7777)
    await stranger.send("/start")
    seen = len(session.requests)

    replies = await stranger.press("pp:org:1")

    answers = [m for m in session.requests[seen:] if isinstance(m, AnswerCallbackQuery)]
    assert len(answers) == 1
    assert answers[0].text in replies
    assert answers[0].show_alert


async def test_an_answer_too_late_for_a_pop_up_comes_as_a_message(
    superadmin: TelegramClient, person: PersonFactory, session: LimitedTelegram
) -> None:
    stranger = person(7777)
    await stranger.send("/start")
    session.fail_next(
        api_error(TelegramBadRequest, "Bad Request: query is too old and response timeout expired"),
        when=lambda method: isinstance(method, AnswerCallbackQuery),
    )

    replies = await stranger.press("no-such-button")

    assert replies[-1] == "Эта кнопка больше не действует."
    assert isinstance(session.requests[-1], SendMessage)


async def test_an_edit_of_a_message_that_is_gone_comes_as_a_new_message(
    superadmin: TelegramClient, session: LimitedTelegram
) -> None:
    for number in range(12):
        await create_organisation(superadmin, name=f"Школа № {number + 1}")
    await superadmin.send("/orgs")
    session.fail_next(
        api_error(TelegramBadRequest, "Bad Request: message to edit not found"),
        when=lambda method: isinstance(method, EditMessageText),
    )
    before = len(session.requests)

    await superadmin.click("Далее »")

    shown = [m for m in session.requests[before:] if isinstance(m, SendMessage)]
    assert shown and "(2/2)" in (shown[-1].text or "")


async def test_two_quick_updates_from_one_person_are_handled_in_order(
    superadmin: TelegramClient, session: LimitedTelegram, dispatcher: Dispatcher, bot: Bot
) -> None:
    await superadmin.send("/help")
    # The first reply has to wait; the second update must not overtake it.
    session.fail_next(_retry_after(2), when=_to(superadmin.user.id))
    before = len(session.requests)

    await asyncio.gather(superadmin.send("/help"), superadmin.send("/language"))

    # A retried reply is the same request object sent again: count each once, as Telegram did.
    accepted = {id(m): m for m in session.requests[before:] if id(m) in session.message_ids}
    replies = [m.text for m in accepted.values() if isinstance(m, SendMessage)]
    assert len(replies) == 2
    assert "/org_new" in (replies[0] or "")  # /help first
    assert "/org_new" not in (replies[1] or "")
