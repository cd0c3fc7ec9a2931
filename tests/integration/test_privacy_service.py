"""PrivacyService (overview, export, withdrawal) and ParticipantService (status of each person)
against a real database: SQLite, and PostgreSQL when configured."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from bot.app import Application
from bot.telegram.identity import telegram_key
from models import (
    AuditEntry,
    Consent,
    ConsentDecision,
    InviteRole,
    MeetingFormat,
    MenteeCategory,
    MessengerAccount,
    Notification,
    NotificationStatus,
    Person,
    PersonStatus,
    ProfileRole,
    RoleAssignment,
    RoleKind,
)
from services.core.errors import NotAllowed, StaleAction
from services.organisations.participants import PAGE_SIZE, ParticipantStatus
from services.outbox import queue as outbox
from services.people.profiles import ProfileDraft
from tests.conftest import SUPERADMIN_TELEGRAM_ID
from tests.fakes import FakeClock


@dataclass(frozen=True)
class School:
    organisation_id: int
    curator_id: int
    mentee_code: str
    mentor_code: str


async def _school(app: Application, clock: FakeClock, name: str = "Школа № 1") -> School:
    services = app.services
    admin = await services.people.touch(telegram_key(SUPERADMIN_TELEGRAM_ID), "ru")
    organisation, curator_invite = await services.organisations.create(
        admin.id,
        name=name,
        address="630000, г. Новосибирск, ул. Ленина, 1",
        timezone="Asia/Novosibirsk",
    )
    curator = await services.people.touch(telegram_key(2000 + organisation.id), "ru")
    await services.invites.redeem(curator.id, curator_invite.code)
    mentee = await services.invites.create(curator.id, organisation.id, InviteRole.MENTEE)
    mentor = await services.invites.create(curator.id, organisation.id, InviteRole.EITHER)
    await services.consent.refresh_documents(organisation.id)
    clock.advance(minutes=1)
    return School(organisation.id, curator.id, mentee.code, mentor.code)


async def _join(app: Application, clock: FakeClock, telegram_id: int, code: str) -> int:
    person = await app.services.people.touch(
        telegram_key(telegram_id), "ru", chat_id=str(telegram_id)
    )
    await app.services.invites.redeem(person.id, code)
    clock.advance(minutes=1)
    return person.id


async def _agree(app: Application, clock: FakeClock, person_id: int) -> None:
    [request] = await app.services.consent.pending(person_id, "ru")
    await app.services.consent.agree(person_id, request.document_id)
    clock.advance(minutes=1)


async def _profile(
    app: Application, person_id: int, organisation_id: int, role: ProfileRole, name: str
) -> None:
    draft = ProfileDraft(
        full_name=name,
        position="учитель",
        subjects=("Химия",),
        experience_years=12,
        organisation_years=5,
        role=role,
        mentee_category=MenteeCategory.NEW_TO_STAFF if role.is_mentee else None,
        needed_domains=("ict",) if role.is_mentee else (),
        offered_domains=("subject", "methodological") if role.mentors else (),
        meeting_format=MeetingFormat.ONLINE,
        days=("tue",),
        times=("evening",),
        capacity=3 if role.mentors else None,
    )
    await app.services.profiles.save(person_id, organisation_id, draft)


async def test_export_holds_every_stored_field(app: Application, clock: FakeClock) -> None:
    school = await _school(app, clock)
    teacher = await _join(app, clock, 4001, school.mentee_code)
    await _agree(app, clock, teacher)
    await _profile(app, teacher, school.organisation_id, ProfileRole.BOTH, "Козлова Мария Игоревна")
    async with app.database.write() as db:
        await outbox.enqueue(
            db,
            recipient_id=teacher,
            kind="consent_reminder",
            dedupe_key="t:1",
            due_at=clock.now(),
            now=clock.now(),
            payload={"organisation_name": "Школа № 1"},
        )

    data = await app.services.privacy.export(teacher)
    assert set(data) == {
        "person",
        "roles",
        "consents",
        "profiles",
        "requests",
        "pairs",
        "questionnaires",
        "notifications",
        "activity_log",
        "messenger_accounts",
        "exported_at",
    }
    assert data["exported_at"] == clock.now().isoformat()
    assert data["questionnaires"] == []  # answered ones: tests/flows/test_questionnaires.py
    assert "telegram_id" not in data["person"]
    assert data["messenger_accounts"] == [
        {
            "messenger": "telegram",
            "external_user_id": "4001",
            "chat_id": "4001",
            "since": data["messenger_accounts"][0]["since"],
        }
    ]
    assert data["person"]["full_name"] == "Козлова Мария Игоревна"
    assert data["person"]["language"] == "ru"
    [profile] = data["profiles"]
    assert profile == {
        "organisation": "Школа № 1",
        "position": "учитель",
        "subjects": ["Химия"],
        "experience_years": 12,
        "organisation_years": 5,
        "role": "both",
        "mentee_category": "new_to_staff",
        "offered_domains": ["subject", "methodological"],
        "needed_domains": ["ict"],
        "meeting_format": "online",
        "days": ["tue"],
        "times": ["evening"],
        "capacity": 3,
        "unavailable_until": None,
        "completed_at": profile["completed_at"],
        "updated_at": profile["updated_at"],
    }
    assert [n["kind"] for n in data["notifications"]] == ["consent_reminder"]
    assert [c["decision"] for c in data["consents"]] == ["agreed"]
    actions = [entry["action"] for entry in data["activity_log"]]
    assert actions[0] == "person.first_contact"
    assert "consent.agreed" in actions and "profile.completed" in actions
    # The log says what and when, never whom: other people's ids stay out.
    assert all(set(entry) == {"action", "organisation", "at"} for entry in data["activity_log"])


async def test_overview_zone_and_what_can_be_withdrawn(app: Application, clock: FakeClock) -> None:
    school = await _school(app, clock)
    stranger = await app.services.people.touch(telegram_key(3001), "en")
    overview = await app.services.privacy.overview(stranger.id)
    assert overview.timezone is None
    assert not overview.has_agreed
    assert overview.roles == [] and overview.consents == [] and overview.profiles == []

    teacher = await _join(app, clock, 4001, school.mentee_code)
    overview = await app.services.privacy.overview(teacher)
    assert overview.timezone == "Asia/Novosibirsk"
    assert not overview.has_agreed
    await _agree(app, clock, teacher)
    overview = await app.services.privacy.overview(teacher)
    assert overview.has_agreed
    assert [(c.decision, c.version) for c in overview.consents] == [(ConsentDecision.AGREED, 1)]

    # Someone who declined keeps no role, yet their dates are still shown in the school's zone.
    refuser = await _join(app, clock, 4002, school.mentee_code)
    [request] = await app.services.consent.pending(refuser, "ru")
    await app.services.consent.decline(refuser, request.document_id)
    overview = await app.services.privacy.overview(refuser)
    assert overview.roles == []
    assert overview.timezone == "Asia/Novosibirsk"
    assert not overview.has_agreed


async def test_withdraw_erases_numbers_and_notifies(app: Application, clock: FakeClock) -> None:
    school = await _school(app, clock)
    first = await _join(app, clock, 4001, school.mentee_code)
    await _agree(app, clock, first)
    await _profile(app, first, school.organisation_id, ProfileRole.MENTEE, "Орлова Вера Павловна")
    # The same person is also the head: a staff role ends with the withdrawal.
    head_invite = await app.services.invites.create(
        school.curator_id, school.organisation_id, InviteRole.HEAD
    )
    await app.services.invites.redeem(first, head_invite.code)
    second = await _join(app, clock, 4002, school.mentor_code)
    await _agree(app, clock, second)

    withdrawal = await app.services.privacy.withdraw(first)
    assert withdrawal.number == 1
    assert withdrawal.organisation_ids == [school.organisation_id]
    assert (await app.services.privacy.withdraw(second)).number == 2

    async with app.database.read() as db:
        people = {
            p.id: p for p in await db.scalars(select(Person).where(Person.id.in_([first, second])))
        }
        roles = (
            await db.scalars(select(RoleAssignment).where(RoleAssignment.person_id == first))
        ).all()
        consents = (
            await db.scalars(select(Consent).where(Consent.person_id == first).order_by(Consent.id))
        ).all()
        notices = (
            await db.scalars(
                select(Notification)
                .where(Notification.kind == "participant_withdrew")
                .order_by(Notification.id)
            )
        ).all()
        audit = (
            await db.scalars(
                select(AuditEntry).where(
                    AuditEntry.action.in_(["person.erased", "consent.withdrawn"])
                )
            )
        ).all()
        accounts = (
            await db.scalars(
                select(MessengerAccount).where(MessengerAccount.person_id.in_([first, second]))
            )
        ).all()
    for person in people.values():
        assert person.full_name is None
        assert person.status == PersonStatus.WITHDRAWN
    assert [people[first].withdrawn_number, people[second].withdrawn_number] == [1, 2]
    # The participant row stays (it is what the curator's totals count); the headship is gone.
    assert [(r.role, r.programme_role) for r in roles] == [(RoleKind.PARTICIPANT, "mentee")]
    assert [(c.decision, c.version) for c in consents] == [
        (ConsentDecision.AGREED, 1),
        (ConsentDecision.WITHDRAWN, 1),
    ]
    assert [(n.recipient_id, n.payload) for n in notices] == [
        (school.curator_id, {"organisation_name": "Школа № 1", "number": 1}),
        (school.curator_id, {"organisation_name": "Школа № 1", "number": 2}),
    ]
    assert sorted(entry.action for entry in audit) == [
        "consent.withdrawn",
        "consent.withdrawn",
        "person.erased",
        "person.erased",
    ]
    # Without an account left, nobody can be found by their messenger id any more.
    assert accounts == []
    erased = next(e for e in audit if e.action == "person.erased" and e.target_person_id == first)
    assert erased.details["fields"] == [
        "messenger_accounts",
        "full_name",
        "username",
        "profile",
        "request_texts",
    ]

    with pytest.raises(StaleAction):
        await app.services.privacy.withdraw(first)
    with pytest.raises(StaleAction):
        await app.services.privacy.export(first)
    with pytest.raises(StaleAction):
        await app.services.privacy.overview(first)


async def test_withdraw_cancels_only_pending_notifications(
    app: Application, clock: FakeClock
) -> None:
    school = await _school(app, clock)
    teacher = await _join(app, clock, 4001, school.mentee_code)
    await _agree(app, clock, teacher)
    async with app.database.write() as db:
        for key in ("sent", "pending"):
            await outbox.enqueue(
                db,
                recipient_id=teacher,
                kind="consent_reminder",
                dedupe_key=key,
                due_at=clock.now(),
                now=clock.now(),
                payload={"organisation_name": "x"},
            )
        sent = await db.scalar(select(Notification).where(Notification.dedupe_key == "sent"))
        assert sent is not None
        sent.status = NotificationStatus.SENT
    await app.services.privacy.withdraw(teacher)
    async with app.database.read() as db:
        statuses = {
            row.dedupe_key: row.status
            for row in await db.execute(select(Notification.dedupe_key, Notification.status))
        }
    assert statuses["sent"] == NotificationStatus.SENT
    assert statuses["pending"] == NotificationStatus.CANCELLED


async def test_nothing_to_withdraw_changes_nothing(app: Application, clock: FakeClock) -> None:
    school = await _school(app, clock)
    stranger = await app.services.people.touch(telegram_key(3001), "ru")
    invited = await _join(app, clock, 4001, school.mentee_code)
    refuser = await _join(app, clock, 4002, school.mentee_code)
    [request] = await app.services.consent.pending(refuser, "ru")
    await app.services.consent.decline(refuser, request.document_id)
    for person_id in (stranger.id, invited, refuser, school.curator_id):
        with pytest.raises(StaleAction):
            await app.services.privacy.withdraw(person_id)
    async with app.database.read() as db:
        withdrawn = await db.scalar(
            select(func.count()).where(Person.status == PersonStatus.WITHDRAWN)
        )
        erased = await db.scalar(select(func.count()).where(AuditEntry.action == "person.erased"))
    assert withdrawn == 0 and erased == 0


async def test_participant_statuses_roles_and_filters(app: Application, clock: FakeClock) -> None:
    school = await _school(app, clock)
    participants = app.services.participants
    invited = await _join(app, clock, 4001, school.mentee_code)
    consented = await _join(app, clock, 4002, school.mentor_code)
    await _agree(app, clock, consented)
    complete = await _join(app, clock, 4003, school.mentor_code)
    await _agree(app, clock, complete)
    await _profile(
        app, complete, school.organisation_id, ProfileRole.BOTH, "Яковлева Ирина Олеговна"
    )
    completed_at = clock.now()
    refuser = await _join(app, clock, 4004, school.mentee_code)
    [request] = await app.services.consent.pending(refuser, "ru")
    await app.services.consent.decline(refuser, request.document_id)
    declined_at = clock.now()
    leaver = await _join(app, clock, 4005, school.mentee_code)
    await _agree(app, clock, leaver)
    await app.services.privacy.withdraw(leaver)
    withdrawn_at = clock.now()
    clock.advance(minutes=1)
    blocker = await _join(app, clock, 4006, school.mentee_code)
    await _agree(app, clock, blocker)
    await app.services.people.set_reachable(telegram_key(4006), reachable=False)
    blocked_at = clock.now()

    page = await participants.list_page(school.curator_id, school.organisation_id)
    assert page.total == 6 and page.pages == 1
    assert page.organisation_name == "Школа № 1"
    assert page.timezone == "Asia/Novosibirsk"
    assert all(count == 1 for count in page.counts.values())
    rows = {row.person_id: row for row in page.rows}
    assert rows[invited].status == ParticipantStatus.INVITED
    assert rows[consented].status == ParticipantStatus.CONSENTED
    assert rows[complete].status == ParticipantStatus.PROFILE_COMPLETE
    assert rows[complete].since == completed_at
    assert rows[refuser].status == ParticipantStatus.DECLINED
    assert rows[refuser].since == declined_at
    assert rows[leaver].status == ParticipantStatus.WITHDRAWN
    assert rows[leaver].since == withdrawn_at and rows[leaver].withdrawn_number == 1
    assert rows[blocker].status == ParticipantStatus.UNREACHABLE
    assert rows[blocker].since == blocked_at
    # The profile's role wins over the invite's; without either, "either".
    assert rows[complete].role == "both"
    assert rows[consented].role == "either"
    assert rows[invited].role == "mentee"
    assert rows[refuser].role == "either"  # declining removed the role
    assert page.rows[0].person_id == complete  # named people first

    mentors = await participants.list_page(school.curator_id, school.organisation_id, role="mentor")
    assert {row.person_id for row in mentors.rows} == {consented, complete, refuser}
    mentees = await participants.list_page(school.curator_id, school.organisation_id, role="mentee")
    assert complete in {row.person_id for row in mentees.rows}
    assert invited in {row.person_id for row in mentees.rows}
    waiting = await participants.list_page(
        school.curator_id, school.organisation_id, status=ParticipantStatus.INVITED
    )
    assert [row.person_id for row in waiting.rows] == [invited]
    assert waiting.counts == page.counts  # counts are always the whole organisation's


async def test_pages_clamp_and_access(app: Application, clock: FakeClock) -> None:
    school = await _school(app, clock)
    for number in range(PAGE_SIZE + 3):
        await _join(app, clock, 5000 + number, school.mentee_code)
    participants = app.services.participants
    last = await participants.list_page(school.curator_id, school.organisation_id, page=99)
    assert (last.page, last.pages, len(last.rows), last.total) == (1, 2, 3, PAGE_SIZE + 3)
    first = await participants.list_page(school.curator_id, school.organisation_id, page=-5)
    assert first.page == 0 and len(first.rows) == PAGE_SIZE

    other = await _school(app, clock, name="Школа № 2")
    with pytest.raises(NotAllowed):
        await participants.list_page(other.curator_id, school.organisation_id)
    with pytest.raises(NotAllowed):
        await participants.remind_waiting(other.curator_id, school.organisation_id)
    teacher = await _join(app, clock, 4001, school.mentee_code)
    with pytest.raises(NotAllowed):
        await participants.list_page(teacher, school.organisation_id)
    admin = await app.services.people.touch(telegram_key(SUPERADMIN_TELEGRAM_ID), "ru")
    with pytest.raises(StaleAction):
        await participants.list_page(admin.id, 99_999)


async def test_reminders_skip_those_reminded_in_three_days(
    app: Application, clock: FakeClock
) -> None:
    school = await _school(app, clock)
    participants = app.services.participants
    first = await _join(app, clock, 4001, school.mentee_code)
    consented = await _join(app, clock, 4002, school.mentee_code)
    await _agree(app, clock, consented)

    reminders = await participants.remind_waiting(school.curator_id, school.organisation_id)
    assert (reminders.queued, reminders.waiting) == (1, 1)
    clock.advance(days=1)
    second = await _join(app, clock, 4003, school.mentee_code)
    reminders = await participants.remind_waiting(school.curator_id, school.organisation_id)
    assert (reminders.queued, reminders.waiting) == (1, 2)
    clock.advance(days=1, hours=23)
    reminders = await participants.remind_waiting(school.curator_id, school.organisation_id)
    assert (reminders.queued, reminders.waiting) == (0, 2)
    clock.advance(hours=1)
    reminders = await participants.remind_waiting(school.curator_id, school.organisation_id)
    assert reminders.queued == 1  # the first one's three days are over; the second's are not

    async with app.database.read() as db:
        recipients = (
            await db.scalars(
                select(Notification.recipient_id)
                .where(Notification.kind == "consent_reminder")
                .order_by(Notification.id)
            )
        ).all()
    assert recipients == [first, second, first]


async def test_many_withdrawals_at_once_get_distinct_numbers(
    app: Application, clock: FakeClock
) -> None:
    """Concurrent withdrawals: each person gets their own "withdrawn participant #N"."""
    import asyncio

    school = await _school(app, clock)
    people = []
    for index in range(8):
        person_id = await _join(app, clock, 90_000 + index, school.mentee_code)
        await _agree(app, clock, person_id)
        people.append(person_id)
    results = await asyncio.gather(
        *(app.services.privacy.withdraw(person_id) for person_id in people),
        return_exceptions=True,
    )
    numbers = sorted(r.number for r in results if not isinstance(r, BaseException))
    assert numbers == list(range(1, 9)), results
