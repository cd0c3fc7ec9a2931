"""/request: the mentee's form, the live request, suggestions and choosing a mentor; the
notifications about it; /request_for: a curator filing a request on a mentee's behalf."""

from __future__ import annotations

import re

from aiogram import Bot, Dispatcher
from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy import func, select

from bot.app import Application
from bot.telegram.callbacks import ChooseMentorCallback, FormAnswerCallback, RequestActionCallback
from bot.telegram.texts import TEMPLATES_DIR
from models import (
    DeclineReason,
    FormProgress,
    MeetingFormat,
    MentoringRequest,
    MentoringType,
    Notification,
    NotificationStatus,
    OfferStatus,
    Person,
    ProfileRole,
    RequestOffer,
    RequestStatus,
    Urgency,
)
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.helpers import complete_profile, consented_teacher, create_organisation
from tests.flows.mentoring import Cast, cast, file_request
from tests.identity import of_telegram

DONE = "✅ Готово"
BACK = "« Назад"
KEEP = "✔️ Оставить как есть"
SUBMIT = "✅ Отправить"
SAVE = "💾 Сохранить"
CANCEL = "✖️ Отмена"
TO_CURATOR = "🧭 Пусть выберет куратор"
STALE = "Эта кнопка больше не действует."
NOT_AVAILABLE = "Это вам недоступно."
NOT_A_MENTEE = "Запросы подают наставляемые. Сначала заполните анкету наставляемого: /profile."
MENTOR = "Сергей Петров"  # "Петров Сергей Иванович", the cast's first mentor
SECOND_MENTOR = "Ольга Смирнова"
ASK = "🙋 Выбрать: {}"
DIFFICULTY = "Дети шумят на уроках, не удаётся удержать внимание класса."
HOPES = "Научиться выстраивать урок так, чтобы все были заняты."
QUESTION = {
    "topics": "В чём вам нужна помощь?",
    "difficulty": "Что вызывает у вас трудности сейчас?",
    "hopes": "Чего вы хотите достичь с наставником?",
    "meeting_format": "Как вам удобнее встречаться?",
    "mentoring_type": "Какой вид наставничества вам подходит?",
    "group_ok": "Подойдёт ли вам групповое наставничество",
    "urgency": "Как скоро нужна помощь?",
    "summary": "Проверьте ваш запрос",
}


ALREADY = "Это уже сделано."


async def _question(app: Application, client: TelegramClient) -> str | None:
    """The question on the person's screen, as the form in progress stored in the database
    says ("~" for the summary); None when no form is open."""
    async with app.database.read() as db:
        row = await db.scalar(
            select(FormProgress).where(
                FormProgress.person_id
                == select(Person.id).where(of_telegram(client.user.id)).scalar_subquery(),
                FormProgress.submitted_at.is_(None),
            )
        )
    if row is None:
        return None
    return row.current_question or "~"


def _last_message(client: TelegramClient) -> SendMessage | EditMessageText:
    return client.session.sent_to(client.user.id)[-1]


async def _requests(app: Application) -> list[MentoringRequest]:
    async with app.database.read() as db:
        return list(
            (await db.scalars(select(MentoringRequest).order_by(MentoringRequest.id))).all()
        )


async def _offers(app: Application) -> list[RequestOffer]:
    async with app.database.read() as db:
        return list((await db.scalars(select(RequestOffer).order_by(RequestOffer.id))).all())


async def _notifications(app: Application, kind: str, recipient_id: int) -> list[Notification]:
    async with app.database.read() as db:
        rows = await db.scalars(
            select(Notification).where(
                Notification.kind == kind, Notification.recipient_id == recipient_id
            )
        )
        return list(rows.all())


async def _cast(
    app: Application,
    superadmin: TelegramClient,
    curator: TelegramClient,
    people: list[tuple[TelegramClient, ProfileRole]],
    **mentor_answers: object,
) -> Cast:
    """The shared cast, with everyone out of the profile form that followed their consent (its
    answers were stored through the service)."""
    team = await cast(app, superadmin, curator, people, **mentor_answers)
    for client, _role in people:
        await client.send("/cancel")
    return team


async def _mentee_and_mentor(
    app: Application, superadmin: TelegramClient, person: PersonFactory, **mentor_answers: object
) -> tuple[Cast, TelegramClient, TelegramClient]:
    mentee, mentor = person(3001), person(3002)
    curator = person(2001)
    team = await _cast(
        app,
        superadmin,
        curator,
        [(mentee, ProfileRole.MENTEE), (mentor, ProfileRole.MENTOR)],
        **mentor_answers,
    )
    return team, mentee, mentor


async def _fill(mentee: TelegramClient, *, difficulty: str = DIFFICULTY) -> list[str]:
    """Answer every question of the Russian form; returns the summary."""
    await mentee.send("/request")
    await mentee.click("Методика преподавания")
    await mentee.click(DONE)
    await mentee.send(difficulty)
    await mentee.send(HOPES)
    await mentee.click("Очно")
    await mentee.click("Традиционное (регулярные встречи несколько месяцев)")
    await mentee.click("Нет, только индивидуально")
    return await mentee.click("В ближайшие две недели")


async def test_full_journey_in_russian(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    team, mentee, mentor = await _mentee_and_mentor(app, superadmin, person)

    # The introduction and the first question come as one message.
    [reply] = await mentee.send("/request")
    assert "Семь коротких вопросов" in reply
    assert QUESTION["topics"] in reply
    assert "Вопрос 1 из 7" in reply
    assert BACK not in mentee.buttons()  # the first question has no Back
    assert await _question(app, mentee) == "topics"

    # Ticking redraws the same message with a check mark; ticking again unticks.
    await mentee.click("Содержание предмета")
    assert "✓ Содержание предмета" in mentee.buttons()
    await mentee.click("Методика преподавания")
    await mentee.click("✓ Содержание предмета")
    assert "Содержание предмета" in mentee.buttons()
    assert "✓ Методика преподавания" in mentee.buttons()
    replies = await mentee.click(DONE)
    assert QUESTION["difficulty"] in replies[-1]
    assert "до 1000 символов" in replies[-1]
    assert BACK in mentee.buttons()

    assert QUESTION["hopes"] in (await mentee.send(DIFFICULTY))[-1]
    assert QUESTION["meeting_format"] in (await mentee.send(HOPES))[-1]
    assert {"Очно", "Онлайн", "Не важно"} <= set(mentee.buttons())
    assert QUESTION["mentoring_type"] in (await mentee.click("Онлайн"))[-1]
    assert (
        QUESTION["group_ok"]
        in (await mentee.click("Ситуационное (помощь по мере необходимости)"))[-1]
    )
    assert QUESTION["urgency"] in (await mentee.click("Да, группа подойдёт"))[-1]
    summary = (await mentee.click("На этой неделе"))[-1]
    assert QUESTION["summary"] in summary
    for shown in (
        "Темы:</b> методика преподавания",
        DIFFICULTY,
        HOPES,
        "Формат встреч:</b> Онлайн",
        "ситуационное (помощь по мере необходимости)",
        "Групповое наставничество:</b> подходит",
        "Срочность:</b> на этой неделе",
    ):
        assert shown in summary, shown
    assert {SUBMIT, CANCEL, "✏️ Темы", "✏️ Срочность"} <= set(mentee.buttons())
    assert await _requests(app) == []  # nothing is stored before Submit

    replies = await mentee.click(SUBMIT)
    assert "Ваш запрос подан." in replies[-1]
    assert "Под ваш запрос лучше всего подходят:" in replies[-1]
    assert f"1. <b>{MENTOR}</b> — Математика, стаж 12 лет" in replies[-1]
    assert "Соответствие" in replies[-1]
    assert mentee.buttons() == [ASK.format(MENTOR), TO_CURATOR]
    assert await _question(app, mentee) is None

    [request] = await _requests(app)
    assert request.status == RequestStatus.OPEN
    assert request.mentee_id == team.id_of(mentee)
    assert request.filed_by_id == team.id_of(mentee)
    assert request.topics == ["teaching_methods"]
    assert request.meeting_format == MeetingFormat.ONLINE
    assert request.mentoring_type == MentoringType.SITUATIONAL
    assert request.group_ok is True
    assert request.urgency == Urgency.THIS_WEEK

    replies = await mentee.click(ASK.format(MENTOR))
    assert re.fullmatch(
        f"Ваш запрос отправлен наставнику: <b>{MENTOR}</b>. На ответ у наставника 3 дня "
        r"\(до 04\.09\.2026 13:\d\d\)\. Я сообщу вам о решении\.",
        replies[-1],
    ), replies[-1]
    [request] = await _requests(app)
    assert request.status == RequestStatus.AWAITING_MENTOR
    [offer] = await _offers(app)
    assert offer.status == OfferStatus.PENDING
    assert offer.mentor_id == team.id_of(mentor)

    [row] = await _notifications(app, "offer_received", team.id_of(mentor))
    await sender.run_once()
    if (TEMPLATES_DIR / "notifications" / "offer_received.j2").exists():
        assert mentor.new_texts(), "the mentor is told about the request"
    else:  # written by the offers feature; until then the row is all there is to check
        async with app.database.read() as db:
            status = await db.scalar(select(Notification.status).where(Notification.id == row.id))
        assert status in (NotificationStatus.SENT, NotificationStatus.FAILED)

    # /request now shows the live request and who is deciding.
    view = (await mentee.send("/request"))[-1]
    assert "<b>Ваш запрос</b>" in view
    assert "Статус:</b> ждёт ответа наставника" in view
    assert "Подан:</b> 01.09.2026" in view
    assert f"Сейчас его рассматривает <b>{MENTOR}</b>; ответ — до 04.09.2026 13:" in view
    assert mentee.buttons() == ["✏️ Изменить", "🗑 Отозвать"]


async def test_journey_in_english(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    mentee, mentor, curator = person(3001, language_code="en"), person(3002), person(2001)
    team = await _cast(
        app, superadmin, curator, [(mentee, ProfileRole.MENTEE), (mentor, ProfileRole.MENTOR)]
    )
    [reply] = await mentee.send("/request")
    assert "Seven short questions" in reply
    assert "What do you need help with?" in reply
    await mentee.click("Teaching methods")
    await mentee.click("✅ Done")
    assert "up to 1000 characters" in (await mentee.send("Too many pupils, too little time."))[-1]
    await mentee.send("Plan lessons calmly.")
    await mentee.click("In person")
    await mentee.click("Short-term, towards a set goal")
    await mentee.click("No, one-to-one only")
    summary = (await mentee.click("Within a month"))[-1]
    assert "Please check your request" in summary
    assert "<b>Topics:</b> teaching methods" in summary
    assert "<b>Group mentoring:</b> one-to-one only" in summary
    replies = await mentee.click("✅ Submit")
    assert "Your request is submitted." in replies[-1]
    assert f"<b>{MENTOR}</b> — Mathematics, 12 years of experience" in replies[-1]
    assert "Fit " in replies[-1] and " of 100" in replies[-1]
    assert mentee.buttons() == [f"🙋 Ask {MENTOR}", "🧭 Let the curator choose"]
    replies = await mentee.click(f"🙋 Ask {MENTOR}")
    assert replies[-1].startswith(f"Your request was sent to <b>{MENTOR}</b>. They have 3 days")
    [request] = await _requests(app)
    assert request.mentee_id == team.id_of(mentee)
    assert request.status == RequestStatus.AWAITING_MENTOR


async def test_every_typed_answer_is_checked(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    _team, mentee, _mentor = await _mentee_and_mentor(app, superadmin, person)
    await mentee.send("/request")

    # Done with nothing ticked, a typed text or a photo at a button question.
    assert await mentee.click(DONE) == ["Отметьте хотя бы одну тему."]
    replies = await mentee.send("методика")
    assert replies[0].startswith("Пожалуйста, воспользуйтесь кнопками ниже.")
    assert QUESTION["topics"] in replies[0]
    replies = await mentee.send_photo()
    assert replies[0].startswith("Пожалуйста, воспользуйтесь кнопками ниже.")
    await mentee.click("Методика преподавания")
    await mentee.click(DONE)

    for step, following in (("difficulty", "hopes"), ("hopes", "meeting_format")):
        replies = await mentee.send("ok")
        assert replies[0].startswith("Слишком коротко: 2 символа. Напишите хотя бы 3."), replies
        assert QUESTION[step] in replies[0]
        replies = await mentee.send("   \n  a ")
        assert replies[0].startswith("Слишком коротко: 1 символ."), replies
        for invisible in ("\u200b\u200b\u200b", "\x00\x01", "\u200f\u200d\u0301\n\u3000"):
            replies = await mentee.send(invisible)
            assert replies[0].startswith("В сообщении нет видимого текста."), replies
            assert QUESTION[step] in replies[0]
        replies = await mentee.send("х" * 1001)
        assert replies[0].startswith(
            "Слишком длинно: 1001 символ, а можно не больше 1000. Сократите, пожалуйста."
        )
        replies = await mentee.send("х" * 1005)
        assert replies[0].startswith("Слишком длинно: 1005 символов")
        replies = await mentee.send_photo()
        assert replies[0].startswith("Пожалуйста, ответьте текстом.")
        assert QUESTION[step] in replies[0]
        replies = await mentee.send_sticker()
        assert replies[0].startswith("Пожалуйста, ответьте текстом.")
        replies = await mentee.send("/profile")
        assert replies[0].startswith("Эта команда не работает внутри анкеты.")
        assert QUESTION[step] in replies[0]
        replies = await mentee.send("/request")
        assert replies[0].startswith("Эта команда не работает внутри анкеты.")
        # Exactly the limit is fine; HTML characters are kept as typed.
        text = "х" * 1000 if step == "difficulty" else '<b>Хочу</b> & "всё" <script>'
        assert QUESTION[following] in (await mentee.send(text))[-1]

    await mentee.click("Очно")
    await mentee.click("Традиционное (регулярные встречи несколько месяцев)")
    await mentee.click("Нет, только индивидуально")
    summary = (await mentee.click("В ближайшие две недели"))[-1]
    assert "&lt;b&gt;Хочу&lt;/b&gt; &amp; &#34;всё&#34; &lt;script&gt;" in summary
    assert "<script>" not in summary

    # At the summary, typing is answered with a hint and the summary again.
    replies = await mentee.send("готово")
    assert replies[0].startswith("Пожалуйста, воспользуйтесь кнопками ниже.")
    assert QUESTION["summary"] in replies[0]

    await mentee.click(SUBMIT)
    [request] = await _requests(app)
    assert request.difficulty == "х" * 1000
    assert request.hopes == '<b>Хочу</b> & "всё" <script>'


async def test_back_goes_to_the_previous_question(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    _team, mentee, _mentor = await _mentee_and_mentor(app, superadmin, person)
    await mentee.send("/request")
    await mentee.click("Методика преподавания")
    await mentee.click(DONE)
    replies = await mentee.click(BACK)
    assert QUESTION["topics"] in replies[-1]
    assert "✓ Методика преподавания" in mentee.buttons()  # the ticks are kept
    await mentee.click(DONE)
    await mentee.send(DIFFICULTY)
    await mentee.send(HOPES)

    # Back to a typed answer shows it, and "Keep as it is" moves on without retyping.
    replies = await mentee.click(BACK)
    assert QUESTION["hopes"] in replies[-1]
    assert f"Сейчас: {HOPES}" in replies[-1]
    replies = await mentee.click(BACK)
    assert QUESTION["difficulty"] in replies[-1]
    assert f"Сейчас: {DIFFICULTY}" in replies[-1]
    assert KEEP in mentee.buttons()
    # The answers after it are kept too: "Keep as it is" walks on through them.
    assert f"Сейчас: {HOPES}" in (await mentee.click(KEEP))[-1]
    assert QUESTION["meeting_format"] in (await mentee.click(KEEP))[-1]

    assert QUESTION["mentoring_type"] in (await mentee.click("Онлайн"))[-1]
    replies = await mentee.click(BACK)
    assert QUESTION["meeting_format"] in replies[-1]
    assert await _question(app, mentee) == "meeting_format"
    assert "✓ Онлайн" in mentee.buttons()

    # A Back button of an earlier question no longer works, and the first has none.
    stale = FormAnswerCallback(question="hopes", value="back").pack()
    assert await mentee.press(stale) == [STALE]
    assert await _question(app, mentee) == "meeting_format"
    await mentee.click(BACK)
    await mentee.click(BACK)
    await mentee.click(BACK)
    assert await _question(app, mentee) == "topics"
    assert await mentee.press(FormAnswerCallback(question="topics", value="back").pack()) == [STALE]
    assert await _question(app, mentee) == "topics"


async def test_editing_from_the_summary(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    _team, mentee, _mentor = await _mentee_and_mentor(app, superadmin, person)
    await _fill(mentee)

    replies = await mentee.click("✏️ Срочность")
    assert QUESTION["urgency"] in replies[-1]
    assert "✓ В ближайшие две недели" in mentee.buttons()
    summary = (await mentee.click("На этой неделе"))[-1]
    assert QUESTION["summary"] in summary
    assert "Срочность:</b> на этой неделе" in summary

    replies = await mentee.click("✏️ Трудности")
    assert f"Сейчас: {DIFFICULTY}" in replies[-1]
    assert KEEP not in mentee.buttons()  # Back keeps it while editing
    summary = (await mentee.send("Не хватает времени на проверку тетрадей."))[-1]
    assert "Не хватает времени на проверку тетрадей." in summary

    # Back from an edit returns to the summary with nothing changed, even ticks.
    await mentee.click("✏️ Темы")
    await mentee.click("Работа с родителями")
    summary = (await mentee.click(BACK))[-1]
    assert QUESTION["summary"] in summary
    assert "Темы:</b> методика преподавания" in summary
    assert "работа с родителями" not in summary

    await mentee.click("✏️ Темы")
    await mentee.click("Работа с родителями")
    summary = (await mentee.click(DONE))[-1]
    assert "Темы:</b> методика преподавания, работа с родителями" in summary

    await mentee.click(SUBMIT)
    [request] = await _requests(app)
    assert request.topics == ["teaching_methods", "parents"]
    assert request.urgency == Urgency.THIS_WEEK
    assert request.difficulty == "Не хватает времени на проверку тетрадей."


async def test_cancel_keeps_nothing(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    _team, mentee, _mentor = await _mentee_and_mentor(app, superadmin, person)
    await mentee.send("/request")
    await mentee.click("Методика преподавания")
    await mentee.click(DONE)
    await mentee.send(DIFFICULTY)
    assert await mentee.send("/cancel") == ["Отменено. Ничего не сохранено."]
    assert await _question(app, mentee) is None
    assert await mentee.click(DONE) == [STALE]  # a button of the abandoned form

    # The summary's Cancel does the same; a new /request starts from the beginning.
    await _fill(mentee)
    assert await mentee.click(CANCEL) == ["Отменено. Ничего не сохранено."]
    assert await _question(app, mentee) is None
    assert await mentee.click(SUBMIT) == [STALE]
    assert await _requests(app) == []
    replies = await mentee.send("/request")
    assert QUESTION["topics"] in replies[-1]
    assert "✓ Методика преподавания" not in mentee.buttons()


async def test_one_live_request_per_mentee(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    _team, mentee, _mentor = await _mentee_and_mentor(app, superadmin, person)
    await _fill(mentee)
    await mentee.click(SUBMIT)
    assert await mentee.click(SUBMIT) == [ALREADY]  # pressed twice: saved once

    view = (await mentee.send("/request"))[-1]
    assert "<b>Ваш запрос</b>" in view
    assert "Статус:</b> ждёт выбора наставника" in view
    assert DIFFICULTY in view
    assert mentee.buttons() == [
        "✏️ Изменить",
        "🗑 Отозвать",
        "🔎 Подходящие наставники",
        TO_CURATOR,
    ]
    assert len(await _requests(app)) == 1

    # A form opened before the request was filed cannot file a second one.
    replies = await mentee.click("✏️ Изменить")
    assert "Проверьте ваш запрос" in replies[-1]
    assert SAVE in mentee.buttons()
    assert SUBMIT not in mentee.buttons()
    forged_submit = FormAnswerCallback(question="~", value="submit").pack()
    assert await mentee.press(forged_submit) == [STALE]
    assert len(await _requests(app)) == 1

    replies = await mentee.click("🔎 Подходящие наставники")
    assert f"<b>{MENTOR}</b>" in replies[-1]
    assert "подан" not in replies[-1]


async def test_edit_and_withdraw_a_live_request(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    team, mentee, mentor = await _mentee_and_mentor(app, superadmin, person)
    filed = await file_request(app, team.id_of(mentee))
    await app.services.requests.choose(team.id_of(mentee), filed.id, team.id_of(mentor))

    await mentee.send("/request")
    replies = await mentee.click("✏️ Изменить")
    assert (
        "Чтобы изменить ответ, нажмите его кнопку. Если всё верно, нажмите «Сохранить»."
        in (replies[-1])
    )
    await mentee.click("✏️ Формат")
    summary = (await mentee.click("Онлайн"))[-1]
    assert "Формат встреч:</b> Онлайн" in summary
    replies = await mentee.click(SAVE)
    assert replies[-1].startswith("Сохранено.")
    assert "Формат встреч:</b> Онлайн" in replies[-1]
    assert await _question(app, mentee) is None
    [request] = await _requests(app)
    assert request.meeting_format == MeetingFormat.ONLINE
    assert request.status == RequestStatus.AWAITING_MENTOR

    replies = await mentee.click("🗑 Отозвать")
    assert replies[-1].startswith("Отозвать запрос?")
    replies = await mentee.click("Нет, оставить")
    assert "<b>Ваш запрос</b>" in replies[-1]
    [request] = await _requests(app)
    assert request.status == RequestStatus.AWAITING_MENTOR

    await mentee.click("🗑 Отозвать")
    replies = await mentee.click("Да, отозвать")
    assert replies[-1] == "Запрос отозван. Когда снова понадобится помощь, отправьте /request."
    [request] = await _requests(app)
    assert request.status == RequestStatus.WITHDRAWN
    [offer] = await _offers(app)
    assert offer.status == OfferStatus.CANCELLED
    assert await _notifications(app, "offer_cancelled", team.id_of(mentor))

    # Old buttons change nothing; a new request can be filed.
    replies = await mentee.press(
        RequestActionCallback(request_id=filed.id, action="withdraw_yes").pack()
    )
    assert replies == ["Этот запрос отозван. Ничего не изменено."]
    assert await mentee.click("✏️ Изменить") == [STALE]
    assert QUESTION["topics"] in (await mentee.send("/request"))[-1]


async def test_no_mentor_fits_the_curator_is_alerted(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    mentee, curator = person(3001), person(2001)
    await _cast(app, superadmin, curator, [(mentee, ProfileRole.MENTEE)])
    await _fill(mentee)
    replies = await mentee.click(SUBMIT)
    assert "Ваш запрос подан." in replies[-1]
    assert "Сейчас под ваш запрос не подходит ни один наставник." in replies[-1]
    assert "Куратор уже знает об этом" in replies[-1]
    assert _last_message(mentee).reply_markup is None
    async with app.database.read() as db:
        curator_id = await db.scalar(select(Person.id).where(of_telegram(2001)))
        rows = (
            await db.scalars(
                select(Notification).where(Notification.kind == "request_needs_curator")
            )
        ).all()
    assert [(row.recipient_id, row.payload["why"]) for row in rows] == [(curator_id, "no_mentor")]

    # Asking again later shows the same, with the curator button.
    await mentee.send("/request")
    replies = await mentee.click("🔎 Подходящие наставники")
    assert replies[-1] == (
        "Сейчас нет свободного подходящего наставника. Куратор может подобрать его для вас."
    )
    assert mentee.buttons() == [TO_CURATOR]


async def test_leave_the_choice_to_the_curator(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    _team, mentee, _mentor = await _mentee_and_mentor(app, superadmin, person)
    await _fill(mentee)
    await mentee.click(SUBMIT)
    replies = await mentee.click(TO_CURATOR)
    assert replies[-1] == (
        "Готово: наставника для вас подберёт куратор. Я напишу, когда будут новости."
    )
    [request] = await _requests(app)
    assert request.left_to_curator is True
    assert request.status == RequestStatus.OPEN
    async with app.database.read() as db:
        reasons = (
            await db.scalars(
                select(Notification.payload).where(Notification.kind == "request_needs_curator")
            )
        ).all()
    assert [payload["why"] for payload in reasons] == ["left_to_curator"]

    view = (await mentee.send("/request"))[-1]
    assert "Наставника для вас подбирает куратор." in view
    assert TO_CURATOR not in mentee.buttons()
    assert "🔎 Подходящие наставники" in mentee.buttons()


async def test_forged_and_stale_choices_change_nothing(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    mentee, other, mentor, curator = person(3001), person(3003), person(3002), person(2001)
    team = await _cast(
        app,
        superadmin,
        curator,
        [
            (mentee, ProfileRole.MENTEE),
            (other, ProfileRole.MENTEE),
            (mentor, ProfileRole.MENTOR),
        ],
    )
    filed = await file_request(app, team.id_of(mentee))
    mentor_id = team.id_of(mentor)

    # Someone else's request: refused, nothing changes.
    forged = ChooseMentorCallback(request_id=filed.id, mentor_id=mentor_id).pack()
    assert await other.press(forged) == [NOT_AVAILABLE]
    for action in ("withdraw_yes", "curator", "suggest"):
        data = RequestActionCallback(request_id=filed.id, action=action).pack()
        assert await other.press(data) == [NOT_AVAILABLE], action
    for action in ("edit", "withdraw", "show"):
        data = RequestActionCallback(request_id=filed.id, action=action).pack()
        assert await other.press(data) == [STALE], action
    assert await other.press(ChooseMentorCallback(request_id=999, mentor_id=mentor_id).pack()) == [
        STALE
    ]
    [request] = await _requests(app)
    assert request.status == RequestStatus.OPEN
    assert request.left_to_curator is False
    assert await _offers(app) == []

    # A mentor who is no longer eligible (no free places).
    await complete_profile(
        app,
        mentor.user.id,
        full_name="Петров Сергей Иванович",
        role=ProfileRole.MENTOR,
        subjects=("Математика",),
        experience_years=12,
        organisation_years=5,
        offered_domains=("methodological", "ict"),
        capacity=0,
    )
    assert await mentee.press(forged) == [
        "Этот наставник сейчас не может взять запрос (недоступен, нет мест или пара уже есть)."
    ]
    assert await _offers(app) == []

    # A withdrawn request.
    await app.services.requests.withdraw(team.id_of(mentee), filed.id)
    assert await mentee.press(forged) == ["Этот запрос отозван. Ничего не изменено."]
    assert await _offers(app) == []


async def test_a_mentor_gets_no_form(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    _team, _mentee, mentor = await _mentee_and_mentor(app, superadmin, person)
    assert await mentor.send("/request") == [NOT_A_MENTEE]
    assert await _question(app, mentor) is None

    # A teacher who agreed but has no profile yet: the same answer.
    newcomer = person(3005)
    await consented_teacher(superadmin, person(2001), newcomer)
    await newcomer.send("/cancel")
    assert await newcomer.send("/request") == [NOT_A_MENTEE]


async def test_offer_failed_offers_the_next_mentor(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    mentee, first, second, curator = person(3001), person(3002), person(3004), person(2001)
    team = await _cast(
        app,
        superadmin,
        curator,
        [(mentee, ProfileRole.MENTEE), (first, ProfileRole.MENTOR), (second, ProfileRole.MENTOR)],
    )
    filed = await file_request(app, team.id_of(mentee))
    name = await app.services.requests.choose(team.id_of(mentee), filed.id, team.id_of(first))
    [offer] = await _offers(app)
    await app.services.offers.decline(team.id_of(first), offer.id, DeclineReason.NO_TIME)
    await sender.run_once()
    text = mentee.new_texts()[-1]
    assert text.startswith(f"<b>{name}</b> сейчас не может взять ваш запрос. Так бывает")
    assert f"Следующий подходящий наставник — <b>{SECOND_MENTOR}</b>" in text
    assert mentee.buttons() == [ASK.format(SECOND_MENTOR), TO_CURATOR]

    replies = await mentee.click(ASK.format(SECOND_MENTOR))
    assert replies[-1].startswith(f"Ваш запрос отправлен наставнику: <b>{SECOND_MENTOR}</b>.")
    offers = await _offers(app)
    assert [o.status for o in offers] == [OfferStatus.DECLINED, OfferStatus.PENDING]
    assert offers[1].mentor_id == team.id_of(second)

    # The second lets it expire: nobody is left, and the curator is finding a mentor.
    clock.advance(hours=73)
    await app.services.offer_expiry.process_due()
    await sender.run_once()
    text = mentee.new_texts()[-1]
    assert text.startswith(f"<b>{SECOND_MENTOR}</b> не ответил(а) на ваш запрос вовремя.")
    assert "Куратор уже знает об этом и подбирает вам наставника." in text
    assert _last_message(mentee).reply_markup is None


async def test_curator_files_a_request_for_a_mentee(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    team, mentee, _mentor = await _mentee_and_mentor(app, superadmin, person)
    curator = team.curator
    replies = await curator.send("/request_for")
    assert "<b>Запрос за наставляемого</b>" in replies[-1]
    assert curator.buttons() == ["Иванова Анна Петровна"]

    replies = await curator.click("Иванова Анна Петровна")
    assert "Вы подаёте запрос от имени наставляемого: <b>Иванова Анна Петровна</b>." in replies[0]
    assert "Запрос от имени: Иванова Анна Петровна" in replies[-1]
    await curator.click("Работа с родителями")
    await curator.click(DONE)
    await curator.send("Сложно выстроить общение с родителями пятиклассников.")
    await curator.send("Спокойно проводить родительские собрания.")
    await curator.click("Не важно")
    await curator.click("Краткосрочное, на конкретную цель")
    await curator.click("Да, группа подойдёт")
    summary = (await curator.click("В течение месяца"))[-1]
    assert "Проверьте запрос от имени: Иванова Анна Петровна" in summary
    assert await _requests(app) == []
    replies = await curator.click(SUBMIT)
    assert replies[-1].startswith(
        "Запрос подан от имени наставляемого: <b>Иванова Анна Петровна</b>."
    )
    assert await _question(app, curator) is None

    [request] = await _requests(app)
    assert request.mentee_id == team.id_of(mentee)
    assert request.filed_by_id != team.id_of(mentee)
    assert request.topics == ["parents"]
    assert request.status == RequestStatus.OPEN

    await sender.run_once()
    told = mentee.new_texts()
    assert any("После вашей беседы куратор программы подал за вас запрос" in t for t in told)
    view = (await mentee.send("/request"))[-1]
    assert "Подан:</b> 01.09.2026 (куратором)" in view

    # The list no longer offers this mentee; the old button is stale, and a form opened before
    # the mentee filed themself files nothing.
    replies = await curator.send("/request_for")
    assert "уже есть открытый запрос" in replies[-1]
    assert await curator.click("Иванова Анна Петровна") == [STALE]
    await app.services.requests.withdraw(team.id_of(mentee), request.id)
    await curator.send("/request_for")
    await curator.click("Иванова Анна Петровна")
    await curator.click("Работа с родителями")
    await curator.click(DONE)
    await curator.send("Сложно выстроить общение с родителями.")
    await curator.send("Спокойные собрания.")
    await curator.click("Не важно")
    await curator.click("Краткосрочное, на конкретную цель")
    await curator.click("Да, группа подойдёт")
    await curator.click("В течение месяца")
    await file_request(app, team.id_of(mentee))
    assert await curator.click(SUBMIT) == [
        "У этого педагога уже есть открытый запрос. Ничего не подано."
    ]
    assert await _question(app, curator) is None
    assert len(await _requests(app)) == 2


async def test_request_for_is_for_curators(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    _team, mentee, _mentor = await _mentee_and_mentor(app, superadmin, person)
    assert await mentee.send("/request_for") == [NOT_AVAILABLE]
    assert await _question(app, mentee) is None
    async with app.database.read() as db:
        assert await db.scalar(select(func.count()).select_from(MentoringRequest)) == 0


async def test_a_curator_of_two_organisations_picks_one(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    mentee, curator = person(3001), person(2001)
    await _cast(app, superadmin, curator, [(mentee, ProfileRole.MENTEE)])
    code = await create_organisation(superadmin, name="МБДОУ «Детский сад № 3»")
    await curator.send(f"/start {code}")

    replies = await curator.send("/request_for")
    assert replies == ["Для какой организации вы подаёте запрос?"]
    assert curator.buttons() == ["МБДОУ «Детский сад № 3»", "МБОУ «СОШ № 7»"]
    replies = await curator.click("МБДОУ «Детский сад № 3»")
    assert "наставляемых пока нет" in replies[-1]
    await curator.send("/request_for")
    replies = await curator.click("МБОУ «СОШ № 7»")
    assert "Наставляемые без открытого запроса." in replies[-1]
    assert curator.buttons() == ["Иванова Анна Петровна"]
    replies = await curator.click("Иванова Анна Петровна")
    assert "Запрос от имени: Иванова Анна Петровна" in replies[-1]


async def test_notification_texts(app: Application) -> None:
    payload = {
        "request_id": 4,
        "outcome": "cancelled",
        "mentor_name": "Сергей Петров",
        "next_mentor_id": 12,
        "next_mentor_name": "Ольга <Смирнова>",
        "next_score": 80,
        "next_reasons": [{"code": "topics", "params": {"covered": 2, "total": 3}}],
        "curator_alerted": True,
    }
    text = app.texts.render_in("ru", "notifications/offer_failed.j2", **payload)
    assert text.startswith("Ваш запрос к наставнику (<b>Сергей Петров</b>) отменён.")
    assert "<b>Ольга &lt;Смирнова&gt;</b> (соответствие 80 из 100): закрывает 2 из 3" in text
    assert "Куратор тоже в курсе. Отправьте запрос этому наставнику" in text
    text = app.texts.render_in("en", "notifications/offer_failed.j2", **payload)
    assert text.startswith("Your request to <b>Сергей Петров</b> was cancelled.")
    assert "The curator has been told as well. Ask them" in text
    alone = {**payload, "outcome": "expired", "next_mentor_id": None, "next_reasons": []}
    text = app.texts.render_in("en", "notifications/offer_failed.j2", **alone)
    assert text == (
        "<b>Сергей Петров</b> did not answer your request in time. This happens, and it is "
        "not about you.\n\nThe curator has been told and is finding a mentor for you. I will "
        "write when there is news."
    )
    text = app.texts.render_in("en", "notifications/request_filed_for_you.j2")
    assert text.startswith("After your conversation, the programme curator filed")
    assert "Send /request to see it" in text
