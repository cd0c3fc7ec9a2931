"""The one form engine end to end: a form survives a restart on the embedded default (SQLite, no
Redis: a new Application and Dispatcher with a new MemoryStorage on the same database) and goes on
from the question that was on screen; a question whose reply failed is shown again rather than
answered blindly; Confirm twice saves once; a photo, a huge text and markup; /cancel after a
restart; a form abandoned for a week is gone. The request and the profile forms do the same:
they go on after restarts and are saved once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest
from aiogram.exceptions import TelegramServerError
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.app import Application, create_application, create_dispatcher, prepare_content
from bot.config import Settings
from bot.scheduler import run_programme_jobs
from bot.telegram.callbacks import ResponseCallback
from models import AuditEntry, CycleStatus, FormProgress, PairCycle, QuestionnaireResponse
from services.forms import registry
from services.questionnaires.as_form import FORM_PREFIX
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient, api_error
from tests.flows import test_profile as profile_flow
from tests.flows import test_requests as requests_flow
from tests.flows.helpers import consented_teacher
from tests.flows.test_meetings import KINDS, SAVE, SKIP, meetings, paired

ALREADY = "Это уже сделано."
Restart = Callable[[TelegramClient], Awaitable[Application]]


@pytest.fixture
async def restart(settings: Settings, clock: FakeClock) -> AsyncIterator[Restart]:
    """Stop the bot and start a new one on the same database, forgetting every FSM state."""
    started: list[Application] = []

    async def again(client: TelegramClient) -> Application:
        # A new process knows only the forms written in code until its start-up registers the
        # stored questionnaires again.
        for form_id in [known for known in registry._FORMS if known.startswith(FORM_PREFIX)]:
            del registry._FORMS[form_id]
        application = create_application(settings, clock)
        await prepare_content(application)
        started.append(application)
        client.dispatcher = create_dispatcher(application)
        return application

    yield again
    for application in started:
        await application.database.dispose()


async def progress_rows(app: Application) -> list[FormProgress]:
    async with app.database.read() as db:
        return list((await db.scalars(select(FormProgress))).all())


async def test_meeting_record_goes_on_after_a_restart(
    app: Application, superadmin: TelegramClient, person: PersonFactory, restart: Restart
) -> None:
    setup, _pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    await mentee.send("/meeting")
    await mentee.click("Вчера")
    [question] = await mentee.click(KINDS[0])
    assert question.startswith("<i>Вопрос 3 из 7</i>")

    await restart(mentee)
    # The question on screen before the restart is answered by the next message.
    [question] = await mentee.send("Знакомство")
    assert question == "<i>Вопрос 4 из 7</i>\n<b>Как вы встречались?</b>"
    await mentee.click("Очно")
    await mentee.send("45")
    await mentee.click("4")
    [summary] = await mentee.click(SKIP)
    assert "3. <i>О чём была встреча? В нескольких словах.</i>\nЗнакомство" in summary
    [reply] = await mentee.click(SAVE)
    assert reply.startswith("✅ Встреча 31.08.2026 записана в журнал")
    [meeting] = await meetings(app)
    assert (meeting.topic, meeting.duration_minutes, meeting.usefulness) == ("Знакомство", 45, 4)


async def test_the_questionnaire_after_a_meeting_goes_on_after_a_restart_and_saves_once(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    restart: Restart,
    clock: FakeClock,
) -> None:
    setup, pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    async with app.database.write() as db:
        cycle = PairCycle(
            pair_id=pair_id,
            number=99,
            starts_at=clock.now() - timedelta(days=14),
            ends_at=clock.now(),
            status=CycleStatus.OPEN,
        )
        db.add(cycle)
        await db.flush()
        cycle_id = cycle.id
    result = await app.services.checkins.answer(setup.id_of(mentee), cycle_id, CycleStatus.MET)
    assert result.feedback_id is not None
    [first] = await mentee.press(ResponseCallback(response_id=result.feedback_id).pack())
    assert "Вопрос 1 из 4" in first
    await mentee.click("5")

    await restart(mentee)
    [question] = await mentee.send("Разобрали план уроков")
    assert question.startswith("<b>Отзыв о встрече</b>\n<i>Вопрос 3 из 4</i>")
    await mentee.click(SKIP)
    [summary] = await mentee.click(SKIP)
    assert summary.startswith("<b>Проверьте ответы</b>")

    await restart(mentee)
    assert await mentee.click(SAVE) == ["Спасибо! Ваши ответы сохранены."]
    assert await mentee.click(SAVE) == [ALREADY]
    async with app.database.read() as db:
        response = await db.get(QuestionnaireResponse, result.feedback_id)
    assert response is not None and response.submitted_at is not None
    assert response.answers == {
        "usefulness": 5,
        "worked_on": "Разобрали план уроков",
        "next_step": None,
        "obstacles": None,
    }
    # The pair's shared log does not show anyone's own answers.
    [entry] = [m for m in await meetings(app) if m.cycle_id == cycle_id]
    assert (entry.topic, entry.usefulness, entry.next_step) == (None, None, None)


async def test_a_question_whose_reply_failed_is_shown_before_it_is_answered(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    session: RecordingSession,
) -> None:
    setup, _pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    await mentee.send("/meeting")
    await mentee.click("Вчера")
    await mentee.click(KINDS[0])
    await mentee.send("Знакомство")
    await mentee.click("Онлайн")
    # The answer "45" is kept, but Telegram keeps failing the reply with the next question, so
    # it goes to the outbox for later (the reply path retries a 500 three times first).
    session.fail_next(
        api_error(TelegramServerError, "Internal Server Error"),
        when=lambda method: isinstance(method, SendMessage) and "Вопрос 6 из 7" in method.text,
        times=4,
    )
    await mentee.send("45")
    # The person, seeing nothing, types 45 again: it is not taken as the next answer.
    replies = await mentee.send("45")
    assert replies[-1].startswith("<i>Вопрос 6 из 7</i>\n<b>Насколько полезной была встреча?")
    await mentee.click("3")
    [summary] = await mentee.click(SKIP)
    assert "5. <i>Сколько минут длилась встреча?</i>\n45" in summary
    assert "6. <i>Насколько полезной была встреча? 1 — совсем нет, 5 — очень.</i>\n3 / 5" in summary


async def test_photo_huge_text_and_markup_in_a_text_question(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup, _pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    await mentee.send("/meeting")
    await mentee.click("Вчера")
    await mentee.click(KINDS[0])
    [reply] = await mentee.send_photo()
    assert reply.startswith("Пожалуйста, ответьте текстом.\n\n<i>Вопрос 3 из 7</i>")
    [reply] = await mentee.send("x" * 10_000)
    assert reply.startswith("Слишком длинно: не больше 200 символов.\n\n<i>Вопрос 3 из 7</i>")
    await mentee.send("<b>&")
    await mentee.click("Очно")
    await mentee.send("45")
    await mentee.click("4")
    [summary] = await mentee.send("</i> <a href='x'>&amp;")
    assert "3. <i>О чём была встреча? В нескольких словах.</i>\n&lt;b&gt;&amp;" in summary
    assert "&lt;/i&gt; &lt;a href=&#39;x&#39;&gt;&amp;amp;" in summary
    await mentee.click(SAVE)
    [meeting] = await meetings(app)
    assert (meeting.topic, meeting.note) == ("<b>&", "</i> <a href='x'>&amp;")


async def test_cancel_after_a_restart_and_a_form_abandoned_for_a_week(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    restart: Restart,
    clock: FakeClock,
) -> None:
    setup, _pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    await mentee.send("/meeting")
    await mentee.click("Вчера")
    await restart(mentee)
    assert await mentee.send("/cancel") == ["Отменено. Ничего не сохранено."]
    assert await progress_rows(app) == []
    assert await mentee.click(KINDS[0]) == ["Эта кнопка больше не действует."]

    await mentee.send("/meeting")
    await mentee.click("Вчера")
    clock.advance(days=8)
    await restart(mentee)
    [reply] = await mentee.send("Знакомство")
    assert "Вопрос" not in reply  # the form expired: plain text is not an answer any more
    # The minute job forgets it.
    await run_programme_jobs(app.services)
    assert await progress_rows(app) == []


async def test_request_goes_on_after_a_restart_and_submits_once(
    app: Application, superadmin: TelegramClient, person: PersonFactory, restart: Restart
) -> None:
    _team, mentee, _mentor = await requests_flow._mentee_and_mentor(app, superadmin, person)
    await mentee.send("/request")
    await mentee.click("Методика преподавания")
    await mentee.click(requests_flow.DONE)

    await restart(mentee)
    # The question on screen before the restart ("what is hard") takes the next message.
    [question] = await mentee.send(requests_flow.DIFFICULTY)
    assert requests_flow.QUESTION["hopes"] in question
    assert "Вопрос 3 из 7" in question
    await mentee.send(requests_flow.HOPES)
    await restart(mentee)
    await mentee.click("Очно")
    await mentee.click("Традиционное (регулярные встречи несколько месяцев)")
    await mentee.click("Нет, только индивидуально")
    [summary] = await mentee.click("В ближайшие две недели")
    assert requests_flow.DIFFICULTY in summary

    await restart(mentee)
    [reply] = await mentee.click(requests_flow.SUBMIT)
    assert "Ваш запрос подан." in reply
    assert await mentee.click(requests_flow.SUBMIT) == [ALREADY]
    [request] = await requests_flow._requests(app)
    assert (request.difficulty, request.hopes) == (requests_flow.DIFFICULTY, requests_flow.HOPES)


async def test_profile_goes_on_after_a_restart_and_is_saved_once(
    app: Application, superadmin: TelegramClient, person: PersonFactory, restart: Restart
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button="Наставляемый")
    await teacher.send(profile_flow.NAME)
    await teacher.click("Учитель")
    await teacher.click("Математика")
    await teacher.send("Астрономия")  # a typed subject is kept across the restart too

    await restart(teacher)
    # The subjects question was on screen: its Done button still works, then the next question
    # takes the typed answer.
    [question] = await teacher.click(profile_flow.DONE)
    assert profile_flow.QUESTION["experience_years"] in question
    [question] = await teacher.send("12")
    assert profile_flow.QUESTION["organisation_years"] in question
    await restart(teacher)
    [question] = await teacher.send("5")
    assert profile_flow.QUESTION["mentee_category"] in question  # the invite's role is kept
    [summary] = await profile_flow._mentee_to_summary(teacher)
    assert "<b>Предметы:</b> Математика, Астрономия" in summary

    await restart(teacher)
    [saved] = await teacher.click(profile_flow.CONFIRM)
    assert "профиль сохранён" in saved
    assert await teacher.click(profile_flow.CONFIRM) == [ALREADY]
    _stored_person, profile = await profile_flow._stored(app, 4001)
    assert profile is not None
    assert profile.subjects == ["Математика", "Астрономия"]
    assert (profile.experience_years, profile.organisation_years) == (12, 5)
    async with app.database.read() as db:
        completed = (
            await db.scalars(select(AuditEntry).where(AuditEntry.action == "profile.completed"))
        ).all()
    assert len(completed) == 1
