"""The meeting log: /meeting (Russian and English), every hint of the form, Back, Skip, photos and
commands mid-form, /cancel, /meetings for both sides, corrections within a week, people outside
the pair, and the feedback form a check-in's "Met" opens."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date, timedelta

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import func, select

from bot.app import Application
from bot.telegram.callbacks import FormAnswerCallback, MeetingCallback
from bot.telegram.keyboards.meetings import MeetingPageCallback
from models import (
    AuditEntry,
    CycleStatus,
    MeetingFormat,
    MeetingKind,
    PairCycle,
)
from models.meeting import Meeting
from services.core.errors import NotAllowed, RequestUnavailable, ValidationFailed
from services.outbox.sender import OutboxSender
from services.rhythm.meeting_stages import create_met_meeting, next_kind
from services.rhythm.meetings import MeetingUnavailable
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.pairing import Pairing, deliver, programme

MENTEE = "Иванова Анна Петровна"
MENTOR = "Петров Сергей Иванович"
NOT_AVAILABLE = "Это вам недоступно."
STALE = "Эта кнопка больше не действует."
SAVE = "💾 Сохранить"
BACK = "« Назад"
KEEP = "✔️ Оставить как есть"
SKIP = "⏭ Пропустить"
KINDS = ["Встреча-знакомство", "Встреча по планированию", "Регулярная встреча", "Итоговая встреча"]
USE_BUTTONS = "Пожалуйста, воспользуйтесь кнопками ниже."
IN_FORM_COMMAND = "Эта команда не работает внутри анкеты."
RECORD = {
    "held_on": "2026-08-31",
    "kind": "introduction",
    "topic": "Знакомство",
    "meeting_format": "in_person",
    "duration_minutes": 45,
    "usefulness": 4,
    "note": None,
}


def _split(replies: list[str]) -> tuple[str, str]:
    """A form's introduction and its first question, sent as one message."""
    [message] = replies
    intro, question = message.rsplit("\n\n<i>", 1)
    return intro, "<i>" + question


async def paired(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    *,
    mentees: int = 1,
    language_code: str = "ru",
    require_order: bool = False,
) -> tuple[Pairing, int]:
    """A mentee and a mentor in one pair (active, or waiting for its order)."""
    setup = await programme(
        app,
        superadmin,
        person,
        mentees=mentees,
        language_code=language_code,
        require_order=require_order,
    )
    pair_id = await setup.pair(setup.mentee, setup.mentor)
    return setup, pair_id


async def meetings(app: Application) -> list[Meeting]:
    async with app.database.read() as db:
        return list((await db.scalars(select(Meeting).order_by(Meeting.id))).all())


async def answer_record(client: TelegramClient, *, note: str | None = None) -> list[str]:
    """Answer /meeting's questions after the date; returns the summary."""
    await client.click(KINDS[0])
    await client.send("Знакомство")
    await client.click("Очно")
    await client.send("45")
    await client.click("4")
    if note is None:
        return await client.click(SKIP)
    return await client.send(note)


async def test_meeting_journey_in_russian_the_other_side_told_and_the_log_for_both(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup, pair_id = await paired(app, superadmin, person)
    mentee, mentor = setup.mentee, setup.mentor
    await deliver(sender, mentee, mentor)

    # The introduction is now the first lines of the first question's message.
    intro, first = _split(await mentee.send("/meeting"))
    assert intro == (
        f"📝 Запись встречи (пара: {MENTOR}): 7 коротких вопросов, затем сводка для проверки.\n\n"
        "Отправьте /cancel, чтобы выйти без сохранения."
    )
    assert first == (
        "<i>Вопрос 1 из 7</i>\n<b>Когда вы встретились?</b>\n"
        "Отправьте дату в формате ДД.ММ.ГГГГ или нажмите кнопку."
    )
    assert mentee.buttons() == ["Сегодня", "Вчера"]
    [question] = await mentee.click("Вчера")
    assert question == "<i>Вопрос 2 из 7</i>\n<b>Какая это была встреча?</b>"
    # The pair's next stage comes first: no meeting yet, so the introduction.
    assert mentee.buttons() == [*KINDS, BACK]
    await mentee.click(KINDS[0])
    [question] = await mentee.send("Знакомство, цели на год")
    assert question == ("<i>Вопрос 4 из 7</i>\n<b>Как вы встречались?</b>")
    assert mentee.buttons() == ["Очно", "Онлайн", BACK]
    [question] = await mentee.click("Очно")
    assert "Целое число от 5 до 600." in question
    [question] = await mentee.send("45")
    assert "Насколько полезной была встреча?" in question
    assert mentee.buttons() == ["1", "2", "3", "4", "5", BACK]
    [question] = await mentee.click("5")
    assert question == (
        "<i>Вопрос 7 из 7</i>\n<b>Заметка о встрече: что обсудили, что получилось.</b>\n"
        "Не больше 1000 символов. Этот вопрос можно пропустить."
    )
    assert mentee.buttons() == [SKIP, BACK]
    [summary] = await mentee.send("Обсудили <b>план</b> & цели")
    assert summary == (
        "<b>Проверьте ответы</b>\n\n"
        "1. <i>Когда вы встретились?</i>\n31.08.2026\n\n"
        "2. <i>Какая это была встреча?</i>\nВстреча-знакомство\n\n"
        "3. <i>О чём была встреча? В нескольких словах.</i>\nЗнакомство, цели на год\n\n"
        "4. <i>Как вы встречались?</i>\nОчно\n\n"
        "5. <i>Сколько минут длилась встреча?</i>\n45\n\n"
        "6. <i>Насколько полезной была встреча? 1 — совсем нет, 5 — очень.</i>\n5 / 5\n\n"
        "7. <i>Заметка о встрече: что обсудили, что получилось.</i>\n"
        "Обсудили &lt;b&gt;план&lt;/b&gt; &amp; цели\n\n"
        "Если всё верно, нажмите «Сохранить». Чтобы изменить ответ, нажмите ✏️ с его номером."
    )
    assert mentee.buttons() == [SAVE, *(f"✏️ {n}" for n in range(1, 8)), BACK, "✖️ Отмена"]
    assert await mentee.click(SAVE) == [
        f"✅ Встреча 31.08.2026 записана в журнал; я сообщил участнику: {MENTOR}. "
        "Журнал: /meetings."
    ]
    # Pressed twice: nothing more is saved, and the second press is told so calmly.
    assert await mentee.click(SAVE) == ["Это уже сделано."]

    [meeting] = await meetings(app)
    assert (meeting.pair_id, meeting.cycle_id, meeting.kind) == (
        pair_id,
        None,
        MeetingKind.INTRODUCTION,
    )
    assert meeting.held_on == date(2026, 8, 31)
    assert meeting.meeting_format == MeetingFormat.IN_PERSON
    assert (meeting.duration_minutes, meeting.usefulness) == (45, 5)
    assert meeting.topic == "Знакомство, цели на год"
    assert meeting.note == "Обсудили <b>план</b> & цели"
    assert meeting.next_step is None
    assert meeting.recorded_by_id == setup.id_of(mentee)
    assert meeting.answers["duration_minutes"] == 45
    async with app.database.read() as db:
        audit = await db.scalar(select(AuditEntry).where(AuditEntry.action == "meeting.recorded"))
    assert audit is not None
    assert audit.details == {"pair_id": pair_id, "meeting_id": meeting.id}

    to_mentee, to_mentor = await deliver(sender, mentee, mentor)
    assert to_mentee == []
    assert to_mentor == [
        f"📝 {MENTEE} записал(а) в журнал встречу вашей пары 31.08.2026 (встреча-знакомство).\n\n"
        "Запись есть в журнале встреч: /meetings."
    ]

    [log] = await mentor.send("/meetings")
    assert log == (
        "<b>Журнал встреч</b>\n"
        f"🌱 Наставляемый: {MENTEE}\n\n"
        "📅 <b>31.08.2026</b> — Встреча-знакомство\n"
        "Тема: Знакомство, цели на год\n"
        "Очно · 45 мин · польза 5/5\n"
        "Заметка: Обсудили &lt;b&gt;план&lt;/b&gt; &amp; цели\n"
        f"<i>Записал(а): {MENTEE}</i>"
    )
    assert mentor.buttons() == ["➕ Записать встречу"]
    [log] = await mentee.send("/meetings")
    assert f"🧑‍🏫 Наставник: {MENTOR}" in log
    assert log.endswith("<i>Записали вы</i>")
    assert mentee.buttons() == ["✏️ Исправить запись от 31.08", "➕ Записать встречу"]

    # The next meeting the mentor records is offered as the planning meeting first.
    await mentor.click("➕ Записать встречу")
    await mentor.click("Сегодня")
    assert mentor.buttons() == [KINDS[1], KINDS[0], KINDS[2], KINDS[3], BACK]


async def test_english_journey_typed_option_and_skip(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup, _pair_id = await paired(app, superadmin, person, language_code="en")
    mentee, mentor = setup.mentee, setup.mentor
    await deliver(sender, mentee, mentor)
    await app.services.meetings.record(setup.id_of(mentee), _pair_id, RECORD)
    await deliver(sender, mentee, mentor)

    intro, first = _split(await mentor.send("/meeting"))
    assert intro.startswith(f"📝 A meeting with {MENTEE}: 7 short questions")
    assert first.startswith("<i>Question 1 of 7</i>\n<b>When did you meet?</b>")
    await mentor.click("Today")
    assert mentor.buttons() == [
        "Planning meeting",
        "Introductory meeting",
        "Regular meeting",
        "Final meeting",
        "« Back",
    ]
    # Typing an option's words counts as pressing it.
    [question] = await mentor.send("regular meeting")
    assert "What was the meeting about?" in question
    await mentor.send("Lesson plans for the <i>7th</i> grade")
    await mentor.click("Online")
    await mentor.send("90")
    await mentor.click("3")
    [summary] = await mentor.click("⏭ Skip")
    assert "<i>A note about the meeting: what you discussed, what worked.</i>\n—" in summary
    assert "Lesson plans for the &lt;i&gt;7th&lt;/i&gt; grade" in summary
    assert await mentor.click("💾 Save") == [
        f"✅ The meeting of 01.09.2026 is in the log; I have told {MENTEE}. See /meetings."
    ]
    latest = (await meetings(app))[-1]
    assert (latest.kind, latest.meeting_format, latest.note) == (
        MeetingKind.REGULAR,
        MeetingFormat.ONLINE,
        None,
    )
    to_mentee, to_mentor = await deliver(sender, mentee, mentor)
    assert to_mentor == []
    assert to_mentee == [
        f"📝 {MENTOR} logged a meeting of your pair on 01.09.2026 (regular meeting).\n\n"
        "You can see it in the meeting log: /meetings."
    ]
    [log] = await mentee.send("/meetings")
    assert log.startswith(f"<b>Meeting log</b>\n🧑‍🏫 Mentor: {MENTOR}\n\n📅 <b>01.09.2026</b>")
    assert "Online · 90 min · usefulness 3/5" in log
    assert f"<i>Recorded by {MENTOR}</i>" in log
    assert "<i>Recorded by you</i>" in log


async def test_every_hint_of_the_form(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup, _pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    await mentee.send("/meeting")

    async def hint(action: Awaitable[list[str]]) -> str:
        [reply] = await action
        return reply

    assert (await hint(mentee.send("31.02.2026"))).startswith(
        "Отправьте дату в формате ДД.ММ.ГГГГ.\n\n<i>Вопрос 1 из 7</i>"
    )
    assert (await hint(mentee.send("02.09.2026"))).startswith(
        "Эта дата ещё не наступила. Отправьте сегодняшнюю или более раннюю дату."
    )
    assert (await hint(mentee.send("31.08.2025"))).startswith(
        "Это слишком давно. Отправьте дату не раньше 01.09.2025."
    )
    assert (await hint(mentee.send_photo())).startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    # The button's word typed in Russian counts as the button.
    assert "Вопрос 2 из 7" in await hint(mentee.send("вчера"))

    assert (await hint(mentee.send("что-то другое"))).startswith(USE_BUTTONS)
    assert (await hint(mentee.send_sticker())).startswith(USE_BUTTONS)
    await mentee.click(KINDS[2])

    assert (await hint(mentee.send("x" * 201))).startswith(
        "Слишком длинно: не больше 200 символов.\n\n<i>Вопрос 3 из 7</i>"
    )
    assert (await hint(mentee.send("   "))).startswith("Напишите хотя бы несколько слов.")
    assert (await hint(mentee.send_photo())).startswith("Пожалуйста, ответьте текстом.")
    assert "Вопрос 4 из 7" in await hint(mentee.send("x" * 200))

    assert (await hint(mentee.send("Лично"))).startswith(USE_BUTTONS)
    await mentee.click("Онлайн")

    assert (await hint(mentee.send("сорок"))).startswith("Отправьте целое число от 5 до 600.")
    assert (await hint(mentee.send("4"))).startswith(
        "Это меньше 5. Отправьте целое число от 5 до 600."
    )
    assert (await hint(mentee.send("601"))).startswith(
        "Это больше 600. Отправьте целое число от 5 до 600."
    )
    assert (await hint(mentee.send_sticker())).startswith("Пожалуйста, ответьте текстом.")
    await mentee.send("600")

    assert (await hint(mentee.send("7"))).startswith("Нажмите одну из кнопок от 1 до 5.")
    assert (await hint(mentee.send("отлично"))).startswith("Нажмите одну из кнопок от 1 до 5.")
    assert "Вопрос 7 из 7" in await hint(mentee.send("4"))  # a typed number is fine

    assert (await hint(mentee.send("y" * 1001))).startswith(
        "Слишком длинно: не больше 1000 символов."
    )
    assert (await hint(mentee.send("  "))).startswith(
        "Напишите несколько слов или нажмите «Пропустить»."
    )
    [summary] = await mentee.send("y" * 1000)
    assert summary.startswith("<b>Проверьте ответы</b>")
    assert (await hint(mentee.send("готово"))).startswith(USE_BUTTONS)
    assert (await hint(mentee.send("/meetings"))).startswith(IN_FORM_COMMAND)
    await mentee.click(SAVE)
    [meeting] = await meetings(app)
    assert (meeting.topic, meeting.note) == ("x" * 200, "y" * 1000)
    assert (meeting.duration_minutes, meeting.usefulness) == (600, 4)
    assert meeting.kind == MeetingKind.REGULAR


async def test_back_keep_skip_photo_command_and_cancel(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    setup, _pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    await mentee.send("/meeting")
    assert BACK not in mentee.buttons()  # the first question has no Back
    await mentee.click("Вчера")
    [question] = await mentee.click(BACK)
    assert question.startswith("<i>Вопрос 1 из 7</i>")
    assert question.endswith("Сейчас: 31.08.2026")
    assert mentee.buttons() == ["Сегодня", "Вчера", KEEP]
    [question] = await mentee.click(KEEP)
    assert question.startswith("<i>Вопрос 2 из 7</i>")

    [reply] = await mentee.send_photo()
    assert reply.startswith(f"{USE_BUTTONS}\n\n<i>Вопрос 2 из 7</i>")
    [reply] = await mentee.send("/mypairs")
    assert reply.startswith(IN_FORM_COMMAND)
    [reply] = await mentee.send("/meeting")
    assert reply.startswith(IN_FORM_COMMAND)
    # A button of an earlier question is stale once the form moved on.
    assert await mentee.press(FormAnswerCallback(question="held_on", value="today").pack()) == [
        STALE
    ]
    assert await mentee.press(FormAnswerCallback(question="kind", value="nonsense").pack()) == [
        STALE
    ]

    summary = await answer_record(mentee)
    assert "<i>Заметка о встрече: что обсудили, что получилось.</i>\n—" in summary[0]
    [question] = await mentee.click(BACK)  # from the summary to the last question
    assert question.startswith("<i>Вопрос 7 из 7</i>")
    await mentee.click(SKIP)
    assert await mentee.click("✖️ Отмена") == ["Отменено. Ничего не сохранено."]
    assert await meetings(app) == []

    # /cancel in the middle leaves without saving, through the usual /cancel.
    await mentee.send("/meeting")
    await mentee.click("Сегодня")
    assert await mentee.send("/cancel") == ["Отменено. Ничего не сохранено."]
    context = dispatcher.fsm.get_context(bot, chat_id=mentee.user.id, user_id=mentee.user.id)
    assert await context.get_state() is None
    assert await mentee.click(KINDS[0]) == [STALE]
    assert await meetings(app) == []


async def test_correct_within_seven_days_refused_after(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
) -> None:
    setup, pair_id = await paired(app, superadmin, person)
    mentee, mentor = setup.mentee, setup.mentor
    await app.services.meetings.record(setup.id_of(mentee), pair_id, RECORD)
    [meeting] = await meetings(app)
    created = meeting.created_at
    clock.advance(days=3)

    await mentor.send("/meetings")
    assert mentor.buttons() == ["➕ Записать встречу"]  # not the mentor's entry
    forged = MeetingCallback(action="edit", value=meeting.id).pack()
    assert await mentor.press(forged) == [NOT_AVAILABLE]

    await mentee.send("/meetings")
    intro, question = _split(await mentee.click("✏️ Исправить запись от 31.08"))
    assert intro == (
        "✏️ Исправляем запись от 31.08.2026. Чтобы оставить ответ без изменений, нажмите "
        "«Оставить как есть».\n\nОтправьте /cancel, чтобы выйти без сохранения."
    )
    assert question.endswith("Сейчас: 31.08.2026")
    await mentee.click(KEEP)
    [question] = await mentee.click(KEEP)
    assert question.endswith("Сейчас: Знакомство")
    await mentee.send("Знакомство и <план>")
    for _step in range(3):
        await mentee.click(KEEP)
    [question] = await mentee.send("Договорились о встречах по средам")  # the note, empty before
    assert question.startswith("<b>Проверьте ответы</b>")
    assert await mentee.click(SAVE) == ["✅ Запись от 31.08.2026 исправлена."]
    [meeting] = await meetings(app)
    assert meeting.topic == "Знакомство и <план>"
    assert meeting.note == "Договорились о встречах по средам"
    assert (meeting.kind, meeting.duration_minutes, meeting.usefulness) == (
        MeetingKind.INTRODUCTION,
        45,
        4,
    )
    assert meeting.created_at == created
    assert meeting.updated_at > created

    # A correction begun on day 6 and saved on day 8 is refused at Save.
    clock.advance(days=3)
    await mentee.send("/meetings")
    await mentee.click("✏️ Исправить запись от 31.08")
    clock.advance(days=2)
    for _step in range(7):
        await mentee.click(KEEP)
    assert await mentee.click(SAVE) == [
        "Запись можно исправить только в течение 7 дней после того, как она сделана. "
        "Ничего не изменено."
    ]
    [log] = await mentee.send("/meetings")
    assert "Записали вы" in log
    assert mentee.buttons() == ["➕ Записать встречу"]
    assert await mentee.press(forged) == [
        "Запись можно исправить только в течение 7 дней после того, как она сделана. "
        "Ничего не изменено."
    ]
    with pytest.raises(MeetingUnavailable):
        await app.services.meetings.update(setup.id_of(mentee), meeting.id, RECORD)


async def test_people_outside_the_pair_and_pairs_not_working(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup, pair_id = await paired(app, superadmin, person, mentees=2)
    stranger = setup.team.mentees[1]
    stranger_id = setup.id_of(stranger)
    view = await app.services.meetings.record(setup.id_of(setup.mentee), pair_id, RECORD)

    for action, value in (("pair", pair_id), ("log", pair_id), ("edit", view.id)):
        forged = MeetingCallback(action=action, value=value).pack()
        assert await stranger.press(forged) == [NOT_AVAILABLE]
    assert await stranger.press(MeetingPageCallback(pair_id=pair_id, page=1).pack()) == [
        NOT_AVAILABLE
    ]
    assert await stranger.press(MeetingCallback(action="log", value=999).pack()) == [STALE]
    assert await stranger.press(MeetingCallback(action="other", value=pair_id).pack()) == [STALE]
    assert await stranger.press(FormAnswerCallback(question="kind", value="final").pack()) == [
        STALE
    ]
    with pytest.raises(NotAllowed):
        await app.services.meetings.record(stranger_id, pair_id, RECORD)
    with pytest.raises(NotAllowed):
        await app.services.meetings.log(stranger_id, pair_id)
    assert await stranger.send("/meeting") == [
        "Встречи записываются для действующей наставнической пары (или пары на паузе), а такой "
        "пары у вас сейчас нет. Ваши пары: /mypairs."
    ]
    assert await stranger.send("/meetings") == [
        "Вы пока не состоите в наставнической паре, поэтому журнала встреч нет."
    ]
    # The service checks the answers itself, whatever a caller sends.
    with pytest.raises(ValidationFailed):
        await app.services.meetings.record(
            setup.id_of(setup.mentee), pair_id, {**RECORD, "usefulness": 9}
        )
    with pytest.raises(ValidationFailed):
        await app.services.meetings.record(
            setup.id_of(setup.mentee), pair_id, {**RECORD, "held_on": "2026-09-05"}
        )

    # The organisation's curator may read the log (the service allows it); outsiders may not.
    entries = await app.services.meetings.log(setup.curator_id, pair_id)
    assert [entry.id for entry in entries] == [view.id]
    assert not entries[0].editable

    # An ended pair keeps its log, read-only.
    await app.services.pairs.complete(setup.curator_id, pair_id)
    mentee = setup.mentee
    [log] = await mentee.send("/meetings")
    assert "Знакомство" in log
    assert mentee.buttons() == ["✏️ Исправить запись от 31.08"]
    assert await mentee.press(MeetingCallback(action="pair", value=pair_id).pack()) == [
        "Эта пара уже завершена."
    ]
    with pytest.raises(RequestUnavailable):
        await app.services.meetings.record(setup.id_of(mentee), pair_id, RECORD)


async def test_a_pair_waiting_for_its_order_logs_nothing(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup, pair_id = await paired(app, superadmin, person, require_order=True)
    mentee = setup.mentee
    assert (await mentee.send("/meeting"))[0].startswith("Встречи записываются для действующей")
    assert await mentee.press(MeetingCallback(action="pair", value=pair_id).pack()) == [
        "Пара начнёт работу, когда куратор внесёт приказ; после этого можно записывать встречи."
    ]
    [log] = await mentee.send("/meetings")
    assert "Встречи не записывались." in log


async def test_log_pages(
    app: Application, superadmin: TelegramClient, person: PersonFactory, clock: FakeClock
) -> None:
    setup, pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    for day in range(7):
        held_on = (date(2026, 8, 20) + timedelta(days=day)).isoformat()
        topic = f"Встреча {day + 1}"
        await app.services.meetings.record(
            setup.id_of(mentee), pair_id, {**RECORD, "held_on": held_on, "topic": topic}
        )
    [log] = await mentee.send("/meetings")
    assert log.count("📅") == 5
    assert "Тема: Встреча 7" in log and "Тема: Встреча 3" in log and "Встреча 2" not in log
    assert "Страница 1 из 2" in log
    [page] = await mentee.click("Далее ▶️")
    assert page.count("📅") == 2
    assert "Тема: Встреча 1" in page
    assert "Страница 2 из 2" in page
    assert "◀️ Назад" in mentee.buttons()


async def test_the_entry_of_a_met_meeting_is_filled_in_by_its_author(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
) -> None:
    """A check-in's "Met" makes a minimal log entry (its date and the pair's next stage); the one
    who answered fills in the shared entry by correcting it. Each side's own view of the meeting
    is their questionnaire (tests/flows/test_meeting_feedback.py)."""
    setup, pair_id = await paired(app, superadmin, person)
    mentee = setup.mentee
    now = clock.now()
    async with app.database.write() as db:
        number = await db.scalar(
            select(func.coalesce(func.max(PairCycle.number), 0)).where(PairCycle.pair_id == pair_id)
        )
        cycle = PairCycle(
            pair_id=pair_id,
            number=(number or 0) + 1,
            starts_at=now - timedelta(days=14),
            ends_at=now,
            status=CycleStatus.MET,
        )
        db.add(cycle)
        await db.flush()
        assert await next_kind(db, pair_id) == MeetingKind.INTRODUCTION
        meeting = await create_met_meeting(
            db, pair_id, cycle.id, setup.id_of(mentee), date(2026, 9, 1), now
        )
        assert meeting.kind == MeetingKind.INTRODUCTION
        assert await next_kind(db, pair_id) == MeetingKind.PLANNING

    _intro, question = _split(await _correct(mentee, "✏️ Исправить запись от 01.09"))
    assert question.startswith("<i>Вопрос 1 из 5</i>")
    assert question.endswith("Сейчас: Встреча-знакомство")
    await mentee.click("✓ " + KINDS[0])
    await mentee.send("Познакомились")
    await mentee.click("5")
    await mentee.click(SKIP)
    await mentee.send("Прислать план к пятнице")
    await mentee.click(SAVE)
    [saved] = await meetings(app)
    assert (saved.topic, saved.usefulness, saved.next_step) == (
        "Познакомились",
        5,
        "Прислать план к пятнице",
    )
    [log] = await mentee.send("/meetings")
    assert "Следующий шаг: Прислать план к пятнице" in log
    async with app.database.read() as db:
        assert await next_kind(db, pair_id) == MeetingKind.PLANNING


async def _correct(client: TelegramClient, button: str) -> list[str]:
    await client.send("/meetings")
    return await client.click(button)


async def test_next_kind_follows_the_stages(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup, pair_id = await paired(app, superadmin, person)
    mentee_id = setup.id_of(setup.mentee)
    expected = []
    for chosen in ("introduction", "introduction", "planning", "final", "regular"):
        async with app.database.read() as db:
            expected.append((await next_kind(db, pair_id)).value)
        await app.services.meetings.record(mentee_id, pair_id, {**RECORD, "kind": chosen})
    assert expected == ["introduction", "planning", "planning", "regular", "regular"]
