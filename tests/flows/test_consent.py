"""Consent to the processing of personal data: a separate message, a separate action."""

from __future__ import annotations

import asyncio

from aiogram.methods import SendMessage
from sqlalchemy import func, select

from bot.app import Application
from bot.telegram.callbacks import ConsentCallback
from models import (
    AuditEntry,
    Consent,
    ConsentDecision,
    ConsentDocument,
    MessengerAccount,
    Person,
    PersonStatus,
    Profile,
    RoleAssignment,
    RoleKind,
)
from tests.conftest import PersonFactory
from tests.fakes import RecordingSession, TelegramClient
from tests.flows.helpers import curator_invite, make_curator
from tests.identity import of_telegram

AGREE = "✅ Я согласен(на)"
DECLINE = "Отказаться"


async def _invite(superadmin: TelegramClient, person: PersonFactory) -> tuple[TelegramClient, str]:
    curator = person(2001)
    await make_curator(superadmin, curator)
    return curator, await curator_invite(curator, "Наставляемый")


async def _consents(app: Application, telegram_id: int) -> list[Consent]:
    async with app.database.read() as db:
        person_id = await db.scalar(select(Person.id).where(of_telegram(telegram_id)))
        return list(
            (
                await db.scalars(
                    select(Consent).where(Consent.person_id == person_id).order_by(Consent.id)
                )
            ).all()
        )


async def test_consent_is_a_separate_message_naming_the_operator(
    superadmin: TelegramClient, person: PersonFactory, session: RecordingSession
) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4001)
    replies = await teacher.send(f"/start {code}")
    # The welcome and the consent's introduction are one message; the document is its own.
    welcome, document = replies
    assert "Добро пожаловать" in welcome
    assert "согласие" in welcome
    assert document.startswith("<b>Согласие на обработку персональных данных</b>")
    # The operator, its address, the purpose, the data, the actions, the period, the withdrawal.
    for part in (
        "МБОУ «СОШ № 7»",
        "г. Норильск, ул. Ленина, 1",
        "программы наставничества",
        "фамилия, имя, отчество",
        "хранение",
        "3 года",
        "/privacy",
    ):
        assert part in document
    assert teacher.buttons() == [AGREE, DECLINE]
    # Six paragraphs (title, statement, data, actions, period, withdrawal) a phone can read.
    assert document.count("\n\n") == 5
    assert "\n\n\n" not in document
    # The buttons belong to the document message itself, nothing else is in that message.
    last = [m for m in session.requests if isinstance(m, SendMessage)][-1]
    assert last.text == document


async def test_nothing_but_the_basics_works_before_consent(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    for blocked in ("/profile", "/participants", "Здравствуйте"):
        # The notice and the consent's introduction in one message, then the document.
        notice, document = await teacher.send(blocked)
        assert notice.startswith(
            "Сначала, пожалуйста, ответьте на запрос согласия: без него я не могу ничего сохранять."
            "\n\nПрежде чем продолжить, <b>МБОУ «СОШ № 7»</b> нужно ваше согласие"
        )
        assert document.startswith("<b>Согласие на обработку персональных данных</b>")
        assert teacher.buttons() == [AGREE, DECLINE]
    assert "Наставник" in (await teacher.send("/help"))[-1]
    assert "Выберите язык" in (await teacher.send("/language"))[-1]
    replies = await teacher.send("/start")
    assert teacher.buttons() == [AGREE, DECLINE]
    assert "согласие" in replies[0]


async def test_agreement_records_who_which_version_and_when(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    replies = await teacher.click(AGREE)
    assert "Ваше согласие (редакция 1) записано" in replies[0]
    [consent] = await _consents(app, 4001)
    assert consent.decision == ConsentDecision.AGREED
    assert consent.version == 1
    assert consent.decided_at == app.clock.now()
    async with app.database.read() as db:
        document = await db.get(ConsentDocument, consent.document_id)
        actions = [e.action for e in await db.scalars(select(AuditEntry))]
    assert document is not None and document.locale == "ru" and document.version == 1
    assert "consent.agreed" in actions


async def test_decline_keeps_only_the_refusal(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    replies = await teacher.click(DECLINE)
    assert "это ваше право" in replies[-1]
    assert "отказа.\n\nБез согласия" in replies[-1]
    assert "ссылку-приглашение ещё раз" in replies[-1]
    [consent] = await _consents(app, 4001)
    assert consent.decision == ConsentDecision.DECLINED
    async with app.database.read() as db:
        stored = await db.scalar(select(Person).where(of_telegram(4001)))
        assert stored is not None
        assert stored.full_name is None
        roles = (
            await db.scalars(select(RoleAssignment).where(RoleAssignment.person_id == stored.id))
        ).all()
        profiles = (await db.scalars(select(Profile))).all()
    assert roles == []
    assert profiles == []
    # Declining does not lock them out of the basics.
    assert "Наставник" in (await teacher.send("/help"))[-1]


async def test_decline_then_come_back(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    await teacher.click(DECLINE)
    replies = await teacher.send(f"/start {code}")
    assert teacher.buttons() == [AGREE, DECLINE]
    assert "Добро пожаловать" in replies[0]
    await teacher.click(AGREE)
    decisions = [c.decision for c in await _consents(app, 4001)]
    assert decisions == [ConsentDecision.DECLINED, ConsentDecision.AGREED]


async def test_english_consent(superadmin: TelegramClient, person: PersonFactory) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4002, language_code="en")
    replies = await teacher.send(f"/start {code}")
    assert replies[-1].startswith("<b>Consent to the processing of personal data</b>")
    assert "3 years" in replies[-1]
    assert teacher.buttons() == ["✅ I agree", "Decline"]
    replies = await teacher.click("✅ I agree")
    assert "Your consent (version 1) is recorded" in replies[0]


async def test_new_version_is_asked_again_at_the_next_message(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    await teacher.click(AGREE)

    replies = await curator.send("/consent")
    assert "Действующая редакция: 1" in replies[-1]
    assert "1 участник" in replies[-1]
    replies = await curator.click("5 лет")
    assert any("редакция 2" in text for text in replies)

    notice, document = await teacher.send("/profile")
    assert notice.startswith("Сначала, пожалуйста, ответьте на запрос согласия")
    assert "изменился" in notice
    assert "5 лет" in document
    await teacher.click(AGREE)
    consents = await _consents(app, 4001)
    assert [c.version for c in consents] == [1, 2]


async def test_refusing_a_new_version_is_a_withdrawal(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    await teacher.click(AGREE)
    await curator.send("/consent")
    await curator.click("1 год")
    await teacher.send("/start")
    replies = await teacher.click(DECLINE)
    assert "отзыв согласия" in replies[-1]
    replies = await teacher.click("Вернуться к тексту согласия")
    assert teacher.buttons() == [AGREE, DECLINE]
    await teacher.click(DECLINE)
    replies = await teacher.click("Да, отозвать и удалить мои данные")
    assert "Согласие отозвано" in replies[-1]
    async with app.database.read() as db:
        anonymous = (
            await db.scalars(select(Person).where(Person.status == PersonStatus.WITHDRAWN))
        ).one()
        accounts = await db.scalar(
            select(func.count(MessengerAccount.id)).where(
                MessengerAccount.person_id == anonymous.id
            )
        )
    assert accounts == 0
    assert anonymous.withdrawn_number == 1


async def test_old_or_forged_consent_buttons_change_nothing(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    old_message, old_agree = teacher.keyboard_message(AGREE)
    await curator.send("/consent")
    await curator.click("1 год")  # version 2 replaces the text the teacher is looking at
    replies = await teacher.press(old_agree, message_id=old_message)
    assert replies == ["Эта кнопка больше не действует."]
    assert await _consents(app, 4001) == []

    stranger = person(4009)
    await stranger.send("/start")
    forged = ConsentCallback(document_id=1, answer="yes").pack()
    assert await stranger.press(forged) == ["Эта кнопка больше не действует."]
    assert await stranger.press("cs:1:maybe") == ["Эта кнопка больше не действует."]


async def test_two_presses_on_agree_record_one_consent(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    message_id, data = teacher.keyboard_message(AGREE)
    await asyncio.gather(
        teacher.press(data, message_id=message_id), teacher.press(data, message_id=message_id)
    )
    consents = await _consents(app, 4001)
    assert [c.decision for c in consents] == [ConsentDecision.AGREED]


async def test_participant_cannot_change_consent_settings(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    await teacher.click(AGREE)
    replies = await teacher.send("/consent")
    assert replies[-1] == "Это вам недоступно."


async def test_curator_roles_need_no_participant_consent(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, _ = await _invite(superadmin, person)
    replies = await curator.send("/invites")
    assert "https://t.me/" in replies[-1]
    async with app.database.read() as db:
        roles = (await db.scalars(select(RoleAssignment.role))).all()
    assert RoleKind.CURATOR in roles


async def test_second_start_after_leaving_the_form_resumes_it(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    _, code = await _invite(superadmin, person)
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    await teacher.click(AGREE)
    await teacher.send("Иванова Анна Сергеевна")
    # The form is kept: a reminder and the question that was waiting, in one message.
    [reply] = await teacher.send("/start")
    assert "незаконченная анкета" in reply
    assert "должность" in reply.lower()
    await teacher.send("/cancel")
    # Once they have left the form, /start picks the profile up again from the beginning.
    replies = await teacher.send("/start")
    assert any("профиль" in text for text in replies)
    assert any("фамилию, имя и отчество" in text for text in replies)
