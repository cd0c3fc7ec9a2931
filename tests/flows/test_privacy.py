"""/privacy: what is stored, the download, and withdrawal of consent with erasure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Application
from bot.telegram.callbacks import PrivacyCallback
from models import (
    AuditEntry,
    Consent,
    ConsentDecision,
    FormProgress,
    Notification,
    NotificationStatus,
    Person,
    PersonStatus,
    Profile,
    RoleAssignment,
    RoleKind,
)
from services.outbox import queue as outbox
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import RecordingSession, TelegramClient
from tests.flows.helpers import complete_profile, curator_invite, join_with_consent, make_curator
from tests.identity import of_telegram

NAME = "Иванова Анна Петровна"


@dataclass(frozen=True)
class Words:
    """What each language's person sees and taps."""

    language_code: str
    agree: str
    download: str
    withdraw: str
    yes: str
    no: str
    title: str
    consent_given: str
    curator_sees: str
    coordinator_sees: str
    in_writing: str
    confirm: tuple[str, ...]
    withdrawn: str
    kept: str


RUSSIAN = Words(
    language_code="ru",
    agree="✅ Я согласен(на)",
    download="📥 Скачать мои данные",
    withdraw="Отозвать согласие",
    yes="Да, отозвать",
    no="Нет, ничего не менять",
    title="Ваши данные и согласие",
    consent_given="МБОУ «СОШ № 7»: дано 01.09.2026 13:00, редакция текста 1.",
    curator_sees="Куратор вашей организации видит всё",
    coordinator_sees="Муниципальный координатор видит только обезличенные итоговые данные",
    in_writing="письменно — заявлением оператору",
    confirm=(
        "Обработка данных прекращается сразу",
        "персональные данные сразу удаляются",
        "анонимным номером",
        "Куратор узнает",
        "без каких-либо персональных сведений",
    ),
    withdrawn="«участник, отозвавший согласие, №1»",
    kept="Ничего не изменилось",
)
ENGLISH = Words(
    language_code="en",
    agree="✅ I agree",
    download="📥 Download my data",
    withdraw="Withdraw consent",
    yes="Yes, withdraw",
    no="No, keep everything",
    title="Your data and consent",
    consent_given="МБОУ «СОШ № 7»: given on 01.09.2026 13:00 to version 1 of the text.",
    curator_sees="The curator of your organisation sees everything",
    coordinator_sees="The municipal coordinator sees only anonymised totals",
    in_writing="withdraw consent in writing, with a statement to the operator",
    confirm=(
        "Processing stops at once",
        "personal data are erased right away",
        "anonymous number",
        "The curator is told",
        "without any personal details",
    ),
    withdrawn='"withdrawn participant #1"',
    kept="Nothing has changed",
)


@pytest.fixture(params=[RUSSIAN, ENGLISH], ids=["ru", "en"])
def words(request: pytest.FixtureRequest) -> Words:
    word: Words = request.param
    return word


async def _school(superadmin: TelegramClient, person: PersonFactory) -> tuple[TelegramClient, str]:
    curator = person(2001, first_name="Куратор")
    await make_curator(superadmin, curator)
    return curator, await curator_invite(curator, "Наставляемый")


async def _person(app: Application, telegram_id: int) -> Person | None:
    async with app.database.read() as db:
        return await db.scalar(select(Person).where(of_telegram(telegram_id)))


def _export(session: RecordingSession, chat_id: int) -> dict[str, Any]:
    [(_, filename, content)] = [doc for doc in session.documents if doc[0] == chat_id]
    assert filename == "nastavnik-my-data.json"
    data: dict[str, Any] = json.loads(content.decode("utf-8"))
    return data


async def test_privacy_before_joining_is_short_and_honest(person: PersonFactory) -> None:
    stranger = person(3001)
    [reply] = await stranger.send("/privacy")
    assert "Ваши данные и согласие" in reply
    assert "почти ничего" in reply
    assert "3001" in reply
    assert "Русский" in reply
    assert "01.09.2026 06:00 UTC" in reply  # no organisation, so no local zone to show it in
    assert "ни согласия, ни анкеты" in reply
    # Something to download, nothing to withdraw.
    assert stranger.buttons() == ["📥 Скачать мои данные"]


async def test_privacy_is_allowed_before_consent(
    superadmin: TelegramClient, person: PersonFactory, session: RecordingSession
) -> None:
    _, code = await _school(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    [reply] = await teacher.send("/privacy")
    assert "Роли:" in reply
    assert "МБОУ «СОШ № 7»: наставляемый" in reply
    assert "вы ещё не ответили" in reply
    assert "Кто что видит" in reply
    assert teacher.buttons() == ["📥 Скачать мои данные"]
    # The button passes the consent gate too.
    assert await teacher.click("📥 Скачать мои данные") == []
    data = _export(session, 4001)
    assert data["consents"] == []
    assert data["roles"][0]["programme_role"] == "mentee"


async def test_privacy_after_consent(
    superadmin: TelegramClient, person: PersonFactory, words: Words
) -> None:
    _, code = await _school(superadmin, person)
    teacher = person(4001, language_code=words.language_code)
    await join_with_consent(teacher, code, words.agree)
    [reply] = await teacher.send("/privacy")
    assert words.title in reply
    assert "<code>4001</code>" in reply
    assert words.consent_given in reply  # Krasnoyarsk time: 06:00 UTC is 13:00 there
    assert words.curator_sees in reply
    assert words.coordinator_sees in reply
    assert words.in_writing in reply
    assert teacher.buttons() == [words.download, words.withdraw]


async def test_privacy_shows_every_profile_field(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _, code = await _school(superadmin, person)
    teacher = person(4001)
    await join_with_consent(teacher, code)
    await complete_profile(app, 4001, full_name=NAME)
    [reply] = await teacher.send("/privacy")
    for shown in (
        f"ФИО: {NAME}",
        "Язык: Русский",
        "Первое обращение: 01.09.2026 13:00",
        "МБОУ «СОШ № 7»: согласие дано, редакция 1, 01.09.2026 13:00",
        "Анкета (МБОУ «СОШ № 7»):",
        "Математика, Физика",
        "2 года",
        "1 год",
        "Пн, Ср",
        "заполнена 01.09.2026 13:00",
        "записи в журнале действий",
    ):
        assert shown in reply, shown


async def test_download_holds_everything_stored_and_nothing_of_others(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    session: RecordingSession,
    words: Words,
) -> None:
    _, code = await _school(superadmin, person)
    teacher = person(4001, language_code=words.language_code, username="anna_teacher")
    colleague = person(4002)
    await join_with_consent(teacher, code, words.agree)
    await join_with_consent(colleague, code)
    await complete_profile(app, 4001, full_name=NAME)
    await complete_profile(app, 4002, full_name="Сидоров Семён Ильич")

    await teacher.send("/privacy")
    await teacher.click(words.download)
    data = _export(session, 4001)
    assert data["messenger_accounts"] == [
        {
            "messenger": "telegram",
            "external_user_id": "4001",
            "chat_id": "4001",
            "since": data["person"]["first_contact"],
        }
    ]
    assert data["person"] == {
        "full_name": NAME,
        # Kept once there is a profile, so a mentor or mentee can reach them.
        "username": "anna_teacher",
        "language": words.language_code,
        "status": "active",
        "first_contact": data["person"]["first_contact"],
        "last_seen": data["person"]["last_seen"],
        "unreachable_since": None,
    }
    [role] = data["roles"]
    assert role["organisation"] == "МБОУ «СОШ № 7»"
    assert role["role"] == "participant" and role["programme_role"] == "mentee"
    [consent] = data["consents"]
    assert consent["decision"] == "agreed" and consent["version"] == 1
    [profile] = data["profiles"]
    assert profile["subjects"] == ["Математика", "Физика"]
    assert profile["needed_domains"] == ["methodological", "ict"]
    assert profile["experience_years"] == 2
    assert {"person.first_contact", "consent.agreed", "profile.completed"} <= {
        entry["action"] for entry in data["activity_log"]
    }
    assert data["requests"] == []
    assert data["pairs"] == []
    assert "notifications" in data and "exported_at" in data
    # Human-readable in a text editor: real letters, not \u escapes.
    [(_, _, raw)] = [doc for doc in session.documents if doc[0] == 4001]
    text = raw.decode("utf-8")
    assert NAME in text and "\\u" not in text
    # Nobody else's data: not the colleague, not the curator.
    for foreign in ("Сидоров", "4002", "2001", "Куратор"):
        assert foreign not in text


async def test_withdrawal_erases_and_tells_the_curator_without_names(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    dispatcher: Dispatcher,
    bot: Bot,
    words: Words,
) -> None:
    curator, code = await _school(superadmin, person)
    teacher = person(4001, language_code=words.language_code)
    await join_with_consent(teacher, code, words.agree)
    person_id = await complete_profile(app, 4001, full_name=NAME)
    # Something still waiting to be sent to them, and a form in progress.
    async with app.database.write() as db:
        await outbox.enqueue(
            db,
            recipient_id=person_id,
            kind="consent_reminder",
            dedupe_key="test:pending",
            due_at=app.clock.now() + timedelta(days=1),
            now=app.clock.now(),
            payload={"organisation_name": "x"},
        )
    state = dispatcher.fsm.get_context(bot, chat_id=4001, user_id=4001)
    await state.set_state("FormStates:answering")
    await app.services.forms.start(
        person_id, "profile", first="full_name", context={}, answers={"full_name": NAME}
    )
    curator.new_texts()

    await teacher.send("/privacy")
    [question] = await teacher.click(words.withdraw)
    for part in words.confirm:
        assert part in question, part
    assert teacher.buttons() == [words.yes, words.no]
    [done] = await teacher.click(words.yes)
    assert words.withdrawn in done
    assert await state.get_state() is None

    async with app.database.read() as db:
        stored = await db.get(Person, person_id)
        assert stored is not None
        # No account left: the person can no longer be found by their Telegram id.
        assert await db.scalar(select(Person.id).where(of_telegram(4001))) is None
        assert stored.full_name is None
        assert stored.status == PersonStatus.WITHDRAWN
        assert stored.withdrawn_number == 1
        assert (await db.scalars(select(Profile))).all() == []
        # The form in progress with their answers is gone as well.
        assert (
            await db.scalars(select(FormProgress).where(FormProgress.person_id == person_id))
        ).all() == []
        decisions = [
            c.decision
            for c in await db.scalars(
                select(Consent).where(Consent.person_id == person_id).order_by(Consent.id)
            )
        ]
        erased = (
            await db.scalars(select(AuditEntry).where(AuditEntry.action == "person.erased"))
        ).all()
        pending = await db.scalar(
            select(Notification).where(Notification.dedupe_key == "test:pending")
        )
        staff = (
            await db.scalars(
                select(RoleAssignment).where(
                    RoleAssignment.person_id == person_id,
                    RoleAssignment.role != RoleKind.PARTICIPANT,
                )
            )
        ).all()
    assert decisions == [ConsentDecision.AGREED, ConsentDecision.WITHDRAWN]
    assert len(erased) == 1 and erased[0].target_person_id == person_id
    assert pending is not None and pending.status == NotificationStatus.CANCELLED
    assert staff == []

    await sender.run_once()
    [notice] = [text for text in curator.new_texts() if "отозвал согласие" in text]
    assert "МБОУ «СОШ № 7»" in notice
    assert "№1" in notice
    for personal in ("Иванова", "Анна", "4001"):
        assert personal not in notice

    # What remains: an anonymous row in the curator's list.
    [listing] = await curator.send("/participants")
    assert "участник, отозвавший согласие, №1" in listing
    assert "Иванова" not in listing


async def test_coming_back_after_withdrawal_starts_from_a_clean_slate(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _, code = await _school(superadmin, person)
    teacher = person(4001)
    await join_with_consent(teacher, code)
    old_id = await complete_profile(app, 4001, full_name=NAME)
    await teacher.send("/privacy")
    await teacher.click("Отозвать согласие")
    await teacher.click("Да, отозвать")

    replies = await teacher.send(f"/start {code}")
    assert "Добро пожаловать" in replies[0]
    assert "Согласие на обработку персональных данных" in replies[-1]
    assert teacher.buttons() == ["✅ Я согласен(на)", "Отказаться"]
    fresh = await _person(app, 4001)
    assert fresh is not None and fresh.id != old_id
    assert fresh.full_name is None and fresh.status == PersonStatus.ACTIVE
    [reply] = await teacher.send("/privacy")
    assert "Иванова" not in reply
    assert "вы ещё не ответили" in reply
    async with app.database.read() as db:
        consents = (await db.scalars(select(Consent).where(Consent.person_id == fresh.id))).all()
    assert consents == []


async def test_no_keeps_everything(
    superadmin: TelegramClient, person: PersonFactory, app: Application, words: Words
) -> None:
    _, code = await _school(superadmin, person)
    teacher = person(4001, language_code=words.language_code)
    await join_with_consent(teacher, code, words.agree)
    await complete_profile(app, 4001, full_name=NAME)
    await teacher.send("/privacy")
    await teacher.click(words.withdraw)
    [reply] = await teacher.click(words.no)
    assert words.kept in reply
    stored = await _person(app, 4001)
    assert stored is not None and stored.full_name == NAME
    assert stored.status == PersonStatus.ACTIVE
    async with app.database.read() as db:
        assert len((await db.scalars(select(Profile))).all()) == 1
        decisions = [c.decision for c in await db.scalars(select(Consent))]
    assert decisions == [ConsentDecision.AGREED]


async def test_stale_and_forged_privacy_buttons_change_nothing(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _, code = await _school(superadmin, person)
    teacher = person(4001)
    await join_with_consent(teacher, code)
    await teacher.send("/privacy")
    await teacher.click("Отозвать согласие")
    message_id, yes = teacher.keyboard_message("Да, отозвать")
    await teacher.press(yes, message_id=message_id)

    # The same button again, and the question itself: the Telegram user is a new, empty person.
    assert await teacher.press(yes, message_id=message_id) == ["Эта кнопка больше не действует."]
    withdraw = PrivacyCallback(action="withdraw").pack()
    assert await teacher.press(withdraw) == ["Эта кнопка больше не действует."]
    assert await teacher.press("pv:nonsense") == ["Эта кнопка больше не действует."]
    async with app.database.read() as db:
        withdrawn = (
            await db.scalars(select(Person).where(Person.status == PersonStatus.WITHDRAWN))
        ).all()
    assert [p.withdrawn_number for p in withdrawn] == [1]

    # Someone who never consented cannot be "withdrawn" by a forged button either.
    stranger = person(3001)
    assert await stranger.press(PrivacyCallback(action="withdraw_yes").pack()) == [
        "Эта кнопка больше не действует."
    ]
    assert (await _person(app, 3001)) is not None


async def test_long_consent_history_keeps_the_message_short(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _, code = await _school(superadmin, person)
    teacher = person(4001)
    await join_with_consent(teacher, code)
    teacher_id = await complete_profile(app, 4001, full_name=NAME)
    curator = await _person(app, 2001)
    assert curator is not None
    curator_id = curator.id
    organisation_id = await app.services.profiles.organisation_for_form(teacher_id)
    # Every change of the storage period is a new text that the teacher agrees to again.
    for years in (1, 5, 3) * 4:
        await app.services.consent.set_retention(curator_id, organisation_id, years)
        [request] = await app.services.consent.pending(teacher_id, "ru")
        await app.services.consent.agree(teacher_id, request.document_id)
    [reply] = await teacher.send("/privacy")
    assert "ещё 3 более ранних решения — в файле" in reply
    assert "редакция текста 13" in reply
    assert len(reply) < 4096
