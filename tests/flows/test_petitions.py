"""Petitions about a pair: a mentee asks for another mentor, a mentor asks to be relieved; the
curator approves or rejects, once."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.app import Application
from bot.telegram.callbacks import (
    PairActionCallback,
    PetitionDecisionCallback,
    PetitionReasonCallback,
)
from models import (
    AuditEntry,
    ChangeReason,
    MentoringRequest,
    PairingBlock,
    PairPetition,
    PairStatus,
    PetitionKind,
    PetitionStatus,
    RequestStatus,
)
from services.core.errors import RequestProblem, RequestUnavailable
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import TelegramClient
from tests.flows.pairing import deliver, last_buttons, programme

NOT_AVAILABLE = "Это вам недоступно."
ALREADY_PENDING = "Заявление по этой паре уже у куратора."
PAIR_ENDED = "Эта пара уже завершена."
MENTEE = "Иванова Анна Петровна"
MENTOR = "Петров Сергей Иванович"
ASK_ANOTHER = "🔁 Попросить другого наставника"
ASK_RELIEF = "🔁 Сложить обязанности наставника"


async def _petitions(app: Application) -> list[PairPetition]:
    async with app.database.read() as db:
        return list((await db.scalars(select(PairPetition).order_by(PairPetition.id))).all())


async def test_mentee_petition_approved_ends_the_pair_and_reopens_the_search(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup = await programme(app, superadmin, person, mentors=2)
    mentee, mentor, other_mentor = setup.mentee, setup.mentor, setup.team.mentors[1]
    curator = setup.curator
    pair_id = await setup.pair(mentee, mentor)
    await deliver(sender, mentee, mentor, other_mentor, curator)

    await mentee.send("/mypairs")
    [ask] = await mentee.click(ASK_ANOTHER)
    assert "<b>Попросить другого наставника</b>" in ask
    assert f"Если работа с наставником ({MENTOR}) не складывается" in ask
    assert f"а {MENTOR} ничего не узнает" in ask
    assert "Слишком большая нагрузка" not in mentee.buttons()
    assert await mentee.click("Не совпадают запросы и опыт") == [
        "📝 Отправлено куратору. Я напишу вам, когда он примет решение."
    ]
    [petition] = await _petitions(app)
    assert petition.kind == PetitionKind.REPLACE_MENTOR
    assert petition.reason == ChangeReason.MISMATCH
    assert petition.status == PetitionStatus.PENDING

    [text] = await mentee.send("/mypairs")
    assert "Ваше обращение к куратору по этой паре ждёт решения." in text
    assert last_buttons(mentee) == ["⏸ Пауза", "🗓 Как часто встречаемся"]

    to_curator, to_mentor = await deliver(sender, curator, mentor)
    assert to_mentor == []  # the mentor hears only of a decision that ends the pair
    [alert] = to_curator
    assert "<b>Ходатайство о замене наставника</b>" in alert
    assert f"Наставляемый {MENTEE} просит заменить наставника (сейчас: {MENTOR})." in alert
    assert "Причина: Не совпадают запросы и опыт" in alert
    assert curator.buttons() == ["✅ Одобрить", "❌ Отклонить"]

    [done] = await curator.click("✅ Одобрить")
    assert done.startswith(f"✅ Одобрено. Пара {MENTOR} → {MENTEE} завершена досрочно")
    assert "Запрос наставляемого снова открыт" in done
    pair = await setup.pair_row(pair_id)
    assert pair.status == PairStatus.ENDED_EARLY
    assert pair.end_reason == ChangeReason.MISMATCH
    assert pair.ended_at is not None
    async with app.database.read() as db:
        block = await db.scalar(select(PairingBlock))
        request = await db.get(MentoringRequest, pair.request_id)
    assert block is not None
    assert (block.mentee_id, block.mentor_id) == (setup.id_of(mentee), setup.id_of(mentor))
    assert request is not None
    assert request.status == RequestStatus.OPEN
    assert request.failed_offers == 0
    assert not request.left_to_curator
    suggestions = await app.services.requests.suggestions(setup.id_of(mentee), request.id)
    assert [s.mentor_id for s in suggestions] == [setup.id_of(other_mentor)]

    to_mentee, to_mentor = await deliver(sender, mentee, mentor)
    [decided] = to_mentee
    assert decided.startswith("✅ Куратор одобрил ваше ходатайство о замене наставника.")
    assert "Ваш запрос снова открыт: отправьте /request" in decided
    assert to_mentor == [
        f"По решению куратора ваша пара ({MENTEE}) завершена досрочно. "
        "Причина: Не совпадают запросы и опыт\n\nСпасибо за вашу работу!"
    ]

    # Deciding again changes nothing, and says so.
    assert await curator.click("❌ Отклонить") == [
        "Решение уже принято (одобрено). Ничего не изменено."
    ]
    [petition] = await _petitions(app)
    assert petition.status == PetitionStatus.APPROVED
    # A petition about the ended pair cannot be filed any more.
    reason = PetitionReasonCallback(pair_id=pair_id, reason="other").pack()
    assert await mentee.press(reason) == [PAIR_ENDED]
    async with app.database.read() as db:
        actions = set(
            (
                await db.scalars(select(AuditEntry.action).where(AuditEntry.actor_id.is_not(None)))
            ).all()
        )
    assert {"petition.filed", "petition.approved", "pair.ended_early"} <= actions


async def test_mentor_relief_rejected_in_english(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup = await programme(app, superadmin, person, language_code="en")
    mentee, mentor, curator = setup.mentee, setup.mentor, setup.curator
    pair_id = await setup.pair(mentee, mentor)
    await deliver(sender, mentee, mentor, curator)

    await mentor.send("/mypairs")
    [ask] = await mentor.click("🔁 Ask to be relieved")
    assert f"If you cannot go on mentoring {MENTEE}" in ask
    assert "Too much workload" in mentor.buttons()
    assert await mentor.click("Too much workload") == [
        "📝 Sent to the curator. I will write to you when they decide."
    ]
    [alert] = (await deliver(sender, curator))[0]
    assert "Заявление о сложении обязанностей наставника" in alert

    # The curator decides from the pair's card in /pairs this time.
    [text] = await curator.send("/pairs")
    assert "📝" in text
    [card] = await curator.click("📝 1. Петров → Иванова")
    assert "Заявление о сложении обязанностей наставника" in card
    assert "Причина: Слишком большая нагрузка" in card
    assert curator.buttons()[:2] == ["✅ Одобрить", "❌ Отклонить"]
    [done] = await curator.click("❌ Отклонить")
    assert done.startswith(f"❌ Отклонено. Пара {MENTOR} → {MENTEE} продолжает работу")
    assert (await setup.pair_row(pair_id)).status == PairStatus.ACTIVE
    [petition] = await _petitions(app)
    assert petition.status == PetitionStatus.REJECTED

    to_mentor, to_mentee = await deliver(sender, mentor, mentee)
    assert to_mentor == [
        "The curator did not approve your application to be relieved. Your pair with "
        f"{MENTEE} goes on. If you want to discuss it, talk to the curator."
    ]
    assert to_mentee == []
    # After a rejection a new application may be filed.
    [text] = await mentor.send("/mypairs")
    assert "🔁 Ask to be relieved" in mentor.buttons()


async def test_one_pending_petition_per_pair(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup = await programme(app, superadmin, person)
    mentee, mentor, curator = setup.mentee, setup.mentor, setup.curator
    pair_id = await setup.pair(mentee, mentor)

    await mentee.send("/mypairs")
    await mentee.click(ASK_ANOTHER)
    await mentee.click("Не получается найти время для встреч")
    await mentor.send("/mypairs")
    assert await mentor.click(ASK_RELIEF) == [ALREADY_PENDING]
    forged = PetitionReasonCallback(pair_id=pair_id, reason="workload").pack()
    assert await mentor.press(forged) == [ALREADY_PENDING]
    # The mentee's old reason buttons, pressed again, do not file a second petition either.
    assert await mentee.click("Личные причины") == [ALREADY_PENDING]
    assert len(await _petitions(app)) == 1

    # Someone outside the organisation's curators cannot decide it.
    [petition] = await _petitions(app)
    decision = PetitionDecisionCallback(petition_id=petition.id, decision="yes").pack()
    assert await mentee.press(decision) == [NOT_AVAILABLE]
    assert await mentor.press(decision) == [NOT_AVAILABLE]

    # The curator ends the pair another way; the petition can no longer be decided.
    await app.services.pairs.end_early(setup.curator_id, pair_id, ChangeReason.NO_CONTACT)
    assert await curator.press(decision) == [PAIR_ENDED]
    # Nothing is left waiting on the curator: the petition closed with the pair, undecided.
    [closed] = await _petitions(app)
    assert closed.status == PetitionStatus.REJECTED
    assert closed.decided_by_id is None
    assert await mentee.press(PairActionCallback(pair_id=pair_id, action="petition").pack()) == [
        PAIR_ENDED
    ]


async def test_both_sides_filing_at_once_leaves_one_petition(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person)
    pair_id = await setup.pair(setup.mentee, setup.mentor)
    petitions = app.services.petitions
    results = await asyncio.gather(
        petitions.file(setup.id_of(setup.mentee), pair_id, ChangeReason.MISMATCH),
        petitions.file(setup.id_of(setup.mentor), pair_id, ChangeReason.WORKLOAD),
        return_exceptions=True,
    )
    failures = [result for result in results if isinstance(result, BaseException)]
    assert len(failures) == 1
    assert isinstance(failures[0], RequestUnavailable)
    assert failures[0].problem == RequestProblem.PETITION_PENDING
    async with app.database.read() as db:
        assert await db.scalar(select(func.count()).select_from(PairPetition)) == 1
    with pytest.raises(RequestUnavailable):
        await petitions.file(setup.id_of(setup.mentee), pair_id, ChangeReason.OTHER)
