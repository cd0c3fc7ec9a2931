"""/participants: the curator's list with statuses, filters, pages, and consent reminders."""

from __future__ import annotations

import html
import re

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy import func, or_, select, update

from bot.app import Application
from bot.telegram.callbacks import ParticipantsActionCallback, ParticipantsCallback
from models import Notification, Organisation, Person, ProfileRole
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient, api_error, last_shown
from tests.flows.helpers import (
    complete_profile,
    create_organisation,
    curator_invite,
    join_with_consent,
    make_curator,
)
from tests.identity import of_telegram

REMIND = "🔔 Напомнить ожидающим согласия"
NOT_AVAILABLE = "Это вам недоступно."
STALE = "Эта кнопка больше не действует."


async def _curator(superadmin: TelegramClient, person: PersonFactory) -> TelegramClient:
    curator = person(2001)
    await make_curator(superadmin, curator)
    return curator


async def _person_id(app: Application, telegram_id: int) -> int:
    async with app.database.read() as db:
        person_id = await db.scalar(select(Person.id).where(of_telegram(telegram_id)))
    assert person_id is not None
    return person_id


async def _organisation_id(app: Application, name: str = "МБОУ «СОШ № 7»") -> int:
    async with app.database.read() as db:
        organisation_id = await db.scalar(select(Organisation.id).where(Organisation.name == name))
    assert organisation_id is not None
    return organisation_id


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\d+\. ", line)]


def _visible_length(text: str) -> int:
    """What Telegram counts against 4096: the text after the HTML entities are parsed."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", text)))


async def test_every_status_with_its_date_and_the_counts(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    mentees = await curator_invite(curator, "Наставляемый")
    mentors = await curator_invite(curator, "Наставник")

    invited = person(4001)
    await invited.send(f"/start {mentees}")
    await join_with_consent(person(4002), mentors)
    await join_with_consent(person(4003), mentors)
    await complete_profile(app, 4003, full_name="Смирнова Ольга Ивановна", role=ProfileRole.MENTOR)
    declined = person(4004)
    await declined.send(f"/start {mentees}")
    await declined.click("Отказаться")
    leaver = person(4005)
    await join_with_consent(leaver, mentees)
    await complete_profile(app, 4005, full_name="Иванова Анна Петровна")
    await leaver.send("/privacy")
    await leaver.click("Отозвать согласие")
    await leaver.click("Да, отозвать")
    blocker = person(4006)
    await join_with_consent(blocker, mentees)
    await blocker.block_bot()

    [listing] = await curator.send("/participants")
    assert "<b>Участники: МБОУ «СОШ № 7»</b>" in listing
    assert "Всего 6 участников:" in listing
    for status in (
        "ждёт согласия",
        "согласие дано, профиль не заполнен",
        "профиль заполнен",
        "отказался(ась) от согласия",
        "отозвал(а) согласие",
        "заблокировал(а) бота",
    ):
        assert f"• {status}: 1" in listing, status
    rows = _lines(listing)
    assert len(rows) == 6
    ids = {telegram_id: await _person_id(app, telegram_id) for telegram_id in (4001, 4002, 4006)}
    declined_id = await _person_id(app, 4004)
    # Named people first, alphabetically; then the rest by when they came.
    assert rows[0].startswith("1. <b>Смирнова Ольга Ивановна</b> — наставник — профиль заполнен")
    assert rows[1].startswith(f"2. <b>участник №{ids[4001]}</b> — наставляемый — ждёт согласия")
    assert rows[2].startswith(
        f"3. <b>участник №{ids[4002]}</b> — наставник — согласие дано, профиль не заполнен"
    )
    assert f"<b>участник №{declined_id}</b>" in listing
    assert "отказался(ась) от согласия" in rows[3]
    assert "<b>участник, отозвавший согласие, №1</b> — наставляемый — отозвал(а) согласие" in (
        listing
    )
    assert f"<b>участник №{ids[4006]}</b> — наставляемый — заблокировал(а) бота" in listing
    # Each status with its date, in Krasnoyarsk time (06:00 UTC is 13:00 there).
    assert all(re.search(r", 01\.09\.2026 13:0\d$", row) for row in rows), rows
    assert "Иванова" not in listing
    assert REMIND in curator.buttons()


async def test_filters_and_pages_edit_the_same_message(
    superadmin: TelegramClient,
    person: PersonFactory,
    session: RecordingSession,
) -> None:
    curator = await _curator(superadmin, person)
    mentees = await curator_invite(curator, "Наставляемый")
    mentors = await curator_invite(curator, "Наставник")
    for number in range(26):
        await person(5000 + number).send(f"/start {mentees}")
    for number in range(3):
        await join_with_consent(person(6000 + number), mentors)

    [first] = await curator.send("/participants")
    list_message = [m for m in session.requests if isinstance(m, SendMessage)][-1]
    message_id = session.message_ids[id(list_message)]
    assert "Всего 29 участников:" in first
    assert "• ждёт согласия: 26" in first
    assert len(_lines(first)) == 20
    assert "Страница 1 из 2." in first
    assert curator.buttons() == [
        "✓ Все роли",
        "Наставляемые",
        "Наставники",
        "✓ Все статусы",
        "Ждёт согласия",
        "Согласие дано, профиль не заполнен",
        "Профиль заполнен",
        "Отказался(ась) от согласия",
        "Отозвал(а) согласие",
        "Заблокировал(а) бота",
        "Далее ▶️",
        REMIND,
    ]

    [second] = await curator.click("Далее ▶️")
    edit = last_shown(session)
    assert isinstance(edit, EditMessageText) and edit.message_id == message_id
    rows = _lines(second)
    assert [row.split(".")[0] for row in rows] == [str(n) for n in range(21, 30)]
    assert "Страница 2 из 2." in second
    assert "◀️ Назад" in curator.buttons()

    [mentors_only] = await curator.click("Наставники")
    assert "Показаны: наставники; все статусы. Подходят 3 человека." in mentors_only
    assert len(_lines(mentors_only)) == 3
    assert "Страница" not in mentors_only  # a new filter starts on the first page
    assert all("наставник" in row for row in _lines(mentors_only))

    [waiting] = await curator.click("Ждёт согласия")
    assert "Показаны: наставники; ждёт согласия." in waiting
    assert "Под этот фильтр никто не подходит." in waiting
    assert "✓ Наставники" in curator.buttons() and "✓ Ждёт согласия" in curator.buttons()

    [mentees_waiting] = await curator.click("Наставляемые")
    assert "Подходят 26 человек." in mentees_waiting
    assert len(_lines(mentees_waiting)) == 20

    # Pressing the filter that is already shown: Telegram says "not modified"; nothing breaks.
    session.fail_next(
        api_error(TelegramBadRequest, "Bad Request: message is not modified"),
        when=lambda method: isinstance(method, EditMessageText),
    )
    sent_before = sum(isinstance(m, SendMessage) for m in session.requests)
    [unchanged] = await curator.click("✓ Наставляемые")
    assert "Подходят 26 человек." in unchanged  # the edit that Telegram refused
    assert sum(isinstance(m, SendMessage) for m in session.requests) == sent_before
    # Every view was an edit of the one message.
    edits = [m for m in session.requests if isinstance(m, EditMessageText)]
    assert {m.message_id for m in edits} == {message_id}


async def test_long_names_and_markup_are_escaped_and_fit(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = person(2001)
    code = await create_organisation(superadmin, name='<b>Школа</b> & "Ко"')
    await curator.send(f"/start {code}")
    invite = await curator_invite(curator, "Наставляемый")
    for number in range(22):
        await person(5000 + number).send(f"/start {invite}")
    # Names are checked by the profile form; this is what an older or imported row might hold.
    long_name = ('<i>Константинопольская</i> & "Ко" ' * 8)[:200]
    async with app.database.write() as db:
        await db.execute(
            update(Person)
            .where(or_(*(of_telegram(5000 + number) for number in range(22))))
            .values(full_name=long_name)
        )

    [listing] = await curator.send("/participants")
    assert "<b>Участники: &lt;b&gt;Школа&lt;/b&gt; &amp; &#34;Ко&#34;</b>" in listing
    assert "<i>Константинопольская" not in listing
    assert "&lt;i&gt;Константинопольская&lt;/i&gt; &amp; &#34;Ко&#34;" in listing
    assert len(_lines(listing)) == 20
    assert all("…" in row for row in _lines(listing))
    assert _visible_length(listing) <= 4096


async def test_curator_of_two_schools_chooses_one(
    superadmin: TelegramClient, person: PersonFactory, session: RecordingSession
) -> None:
    curator = person(2001)
    for name in ("Школа № 1", "Школа № 2"):
        code = await create_organisation(superadmin, name=name)
        await curator.send(f"/start {code}")
    [question] = await curator.send("/participants")
    assert "Участников какой организации показать?" in question
    assert curator.buttons() == ["Школа № 1", "Школа № 2"]
    [listing] = await curator.click("Школа № 2")
    assert "Участники: Школа № 2" in listing
    assert "Пока никто не присоединился" in listing
    assert isinstance(last_shown(session), EditMessageText)


async def test_reminders_once_in_three_days_in_each_persons_language(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    curator = await _curator(superadmin, person)
    code = await curator_invite(curator, "Наставляемый")
    russian = person(4001)
    english = person(4002, language_code="en")
    for teacher in (russian, english):
        await teacher.send(f"/start {code}")
        teacher.new_texts()
    await join_with_consent(person(4003), code)  # consented: not reminded

    await curator.send("/participants")
    [queued] = await curator.click(REMIND)
    assert queued == "2 напоминания поставлены в очередь и уйдут в ближайшие минуты."
    await sender.run_once()
    [reminder] = russian.new_texts()
    assert reminder == (
        "Куратор <b>МБОУ «СОШ № 7»</b> напоминает: чтобы участвовать в программе наставничества,"
        " ответьте, пожалуйста, на запрос согласия. Отправьте /start, чтобы увидеть его снова."
    )
    [reminder] = english.new_texts()
    assert reminder.startswith("The curator of <b>МБОУ «СОШ № 7»</b> reminds you")
    assert "/start" in reminder

    # Not again within three days, even for a newcomer's sake.
    [again] = await curator.click(REMIND)
    assert again.startswith("Напоминания не отправлены: всем, кто ожидает согласия, уже напоминали")
    newcomer = person(4004)
    await newcomer.send(f"/start {code}")
    [partly] = await curator.click(REMIND)
    assert partly == (
        "1 напоминание поставлено в очередь и уйдёт в ближайшие минуты."
        " Ещё 2 участникам уже напоминали за последние 3 дня."
    )

    clock.advance(days=3)
    [later] = await curator.click(REMIND)
    assert later.startswith("3 напоминания поставлены в очередь")
    async with app.database.read() as db:
        count = await db.scalar(select(func.count()).where(Notification.kind == "consent_reminder"))
    assert count == 6


async def test_nobody_waiting_means_nothing_to_remind(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    organisation_id = await _organisation_id(app)
    remind = ParticipantsActionCallback(organisation_id=organisation_id, action="remind").pack()
    assert await curator.press(remind) == ["Никто не ожидает согласия — напоминать некому."]


async def test_participants_and_other_curators_are_refused(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    code = await curator_invite(curator, "Наставляемый")
    teacher = person(4001)
    await join_with_consent(teacher, code)
    waiting = person(4002)
    await waiting.send(f"/start {code}")
    await teacher.send("/cancel")  # leave the profile form that follows consent
    assert await teacher.send("/participants") == [NOT_AVAILABLE]

    organisation_id = await _organisation_id(app)
    other = person(2002)
    other_code = await create_organisation(superadmin, name="Школа № 2")
    await other.send(f"/start {other_code}")
    forged_page = ParticipantsCallback(organisation_id=organisation_id, status="i").pack()
    assert await other.press(forged_page) == [NOT_AVAILABLE]
    forged_remind = ParticipantsActionCallback(
        organisation_id=organisation_id, action="remind"
    ).pack()
    assert await other.press(forged_remind) == [NOT_AVAILABLE]
    assert await teacher.press(forged_page) == [NOT_AVAILABLE]
    async with app.database.read() as db:
        reminders = await db.scalar(
            select(func.count()).where(Notification.kind == "consent_reminder")
        )
    assert reminders == 0

    # Made-up filters and actions are stale buttons, even for the right curator.
    for bad in (
        ParticipantsCallback(organisation_id=organisation_id, role="king").pack(),
        ParticipantsCallback(organisation_id=organisation_id, status="invited").pack(),
        ParticipantsActionCallback(organisation_id=organisation_id, action="explode").pack(),
    ):
        assert await curator.press(bad) == [STALE], bad
    missing = ParticipantsCallback(organisation_id=99_999).pack()
    assert await curator.press(missing) == [NOT_AVAILABLE]
