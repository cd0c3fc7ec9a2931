"""Withdrawing consent while a request is open or a pair is running: texts erased, nobody left
waiting on the person, the others told without the person's details."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from models import (
    ChangeReason,
    Meeting,
    MeetingKind,
    MentoringPair,
    MentoringRequest,
    Notification,
    NotificationStatus,
    OfferStatus,
    PairStatus,
    PlanGoal,
    ProfileRole,
    RequestOffer,
    RequestStatus,
)
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import TelegramClient
from tests.flows.mentoring import cast, file_request


async def _withdraw(client: TelegramClient) -> None:
    await client.send("/privacy")
    await client.click("Отозвать согласие")
    await client.click("Да, отозвать")


async def test_mentee_withdraws_while_a_mentor_is_deciding(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    curator, mentee, mentor = person(2000), person(3001), person(3101)
    team = await cast(
        app, superadmin, curator, [(mentee, ProfileRole.MENTEE), (mentor, ProfileRole.MENTOR)]
    )
    mentee_id, mentor_id = team.id_of(mentee), team.id_of(mentor)
    request = await file_request(
        app, mentee_id, difficulty="Иванова Анна, 8-999-123-45-67, не справляюсь с классом"
    )
    await app.services.requests.choose(mentee_id, request.id, mentor_id)

    await _withdraw(mentee)

    async with app.database.read() as db:
        stored = await db.get(MentoringRequest, request.id)
        offer = await db.scalar(select(RequestOffer))
        to_mentor = (
            await db.scalars(select(Notification).where(Notification.recipient_id == mentor_id))
        ).all()
    assert stored is not None
    assert stored.status == RequestStatus.CLOSED
    assert stored.difficulty is None
    assert stored.hopes is None
    assert offer is not None
    assert offer.status == OfferStatus.CANCELLED
    received = next(n for n in to_mentor if n.kind == "offer_received")
    # The request was never delivered (the sender did not run): it is not sent, and its words
    # about the mentee are gone from the outbox.
    assert received.status == NotificationStatus.CANCELLED
    assert received.payload == {}
    assert any(n.kind == "offer_cancelled" for n in to_mentor)

    await sender.run_once()
    texts = " ".join(mentor.new_texts())
    assert "Иванова" not in texts
    assert "8-999" not in texts


async def test_mentor_withdraws_during_a_pair_and_the_mentee_is_not_left_alone(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    curator, mentee, mentor = person(2000), person(3001), person(3101)
    team = await cast(
        app, superadmin, curator, [(mentee, ProfileRole.MENTEE), (mentor, ProfileRole.MENTOR)]
    )
    mentee_id, mentor_id = team.id_of(mentee), team.id_of(mentor)
    request = await file_request(app, mentee_id)
    taken = await app.services.offers.take(mentor_id, request.id)
    now = app.clock.now()
    async with app.database.write() as db:
        db.add(
            Meeting(
                pair_id=taken.pair_id,
                kind=MeetingKind.INTRODUCTION,
                held_on=now.date(),
                topic="Знакомство с Петровым",
                note="Сергей Иванович рассказал о своей семье",
                answers={"note": "Сергей Иванович рассказал о своей семье"},
                created_at=now,
                updated_at=now,
            )
        )
        db.add(PlanGoal(pair_id=taken.pair_id, title="Посетить урок Петрова", created_at=now))

    await _withdraw(mentor)

    async with app.database.read() as db:
        pair = await db.scalar(select(MentoringPair))
        stored = await db.get(MentoringRequest, request.id)
        kinds = {
            (n.recipient_id, n.kind, n.status)
            for n in (await db.scalars(select(Notification))).all()
        }
        alert = await db.scalar(
            select(Notification).where(Notification.kind == "request_needs_curator")
        )
    assert pair is not None
    assert pair.status == PairStatus.ENDED_EARLY
    assert pair.end_reason == ChangeReason.LEFT
    assert stored is not None
    assert stored.status == RequestStatus.OPEN  # the search goes on
    assert (mentee_id, "pair_partner_left", NotificationStatus.PENDING) in kinds
    assert alert is not None
    assert alert.recipient_id == team.id_of(curator)
    assert alert.payload["why"] == "mentor_left"
    # The introduction the mentee got earlier no longer holds the mentor's name or contact.
    async with app.database.read() as db:
        intro = await db.scalar(
            select(Notification).where(
                Notification.kind == "pair_started", Notification.recipient_id == mentee_id
            )
        )
    assert intro is not None
    assert intro.payload == {}
    await sender.run_once()
    [told] = mentee.new_texts()
    assert "Ваш наставник вышел из программы наставничества" in told
    assert "Петров" not in told
    alerts = [text for text in curator.new_texts() if "Наставник вышел из программы" in text]
    assert alerts == [
        "🔔 <b>Запрос требует вашего внимания</b>\n\nЗапрос: Иванова Анна Петровна. Наставник "
        "вышел из программы, пара завершена, запрос снова открыт.\n\nОткройте запрос, чтобы "
        "назначить наставника вручную. Все открытые запросы: /requests."
    ]
    # What was written in the pair may describe the mentor: the words are gone, the facts stay.
    async with app.database.read() as db:
        meeting = await db.scalar(select(Meeting))
        goal = await db.scalar(select(PlanGoal))
    assert meeting is not None
    assert (meeting.kind, meeting.topic, meeting.note, meeting.answers) == (
        MeetingKind.INTRODUCTION,
        None,
        None,
        {},
    )
    assert goal is not None
    assert goal.title == "—"
    # A new mentor can be suggested to the mentee at once.
    assert await app.services.requests.suggestions(mentee_id, request.id) == []
