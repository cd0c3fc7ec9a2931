"""A programme with a curator, mentees and mentors, ready for requests and pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from bot.app import Application
from models import MeetingFormat, MentoringType, Organisation, Person, ProfileRole, Urgency
from services.requests.draft import RequestDraft
from services.requests.filing import RequestView
from tests.fakes import TelegramClient
from tests.flows.helpers import complete_profile, consented_teacher
from tests.identity import of_telegram

MENTEE_NAMES = ("Иванова Анна Петровна", "Кузнецова Мария Олеговна", "Орлов Дмитрий Юрьевич")
MENTOR_NAMES = ("Петров Сергей Иванович", "Смирнова Ольга Викторовна", "Волкова Елена Андреевна")


@dataclass
class Cast:
    """Who is who: clients to talk as, and person ids to check the database with."""

    organisation_id: int
    curator: TelegramClient
    mentees: list[TelegramClient] = field(default_factory=list)
    mentors: list[TelegramClient] = field(default_factory=list)
    person_ids: dict[int, int] = field(default_factory=dict)  # telegram id -> person id

    def id_of(self, client: TelegramClient) -> int:
        return self.person_ids[client.user.id]


async def cast(
    app: Application,
    superadmin: TelegramClient,
    curator: TelegramClient,
    people: list[tuple[TelegramClient, ProfileRole]],
    **mentor_answers: object,
) -> Cast:
    """Invite each person in their role, agree to the consent, store a complete profile.

    Mentors by default: subjects Математика, 12 years, offer the methodological and ICT domains
    (they cover "teaching methods"), capacity 2, in person, Mon/Wed mornings — a good fit for the
    default mentee (Математика, 2 years, needs methodological and ICT).
    """
    result: Cast | None = None
    mentee_count = mentor_count = 0
    for client, role in people:
        button = "Наставник" if role == ProfileRole.MENTOR else "Наставляемый"
        if role == ProfileRole.BOTH:
            button = "Наставник или наставляемый"
        await consented_teacher(superadmin, curator, client, button)
        if role.mentors:
            name = MENTOR_NAMES[mentor_count % len(MENTOR_NAMES)]
            mentor_count += 1
            answers: dict[str, object] = {
                "subjects": ("Математика",),
                "experience_years": 12,
                "organisation_years": 5,
                "offered_domains": ("methodological", "ict"),
                "capacity": 2,
                **mentor_answers,
            }
        else:
            name = MENTEE_NAMES[mentee_count % len(MENTEE_NAMES)]
            mentee_count += 1
            answers = {}
        person_id = await complete_profile(
            app, client.user.id, full_name=name, role=role, **answers
        )
        if result is None:
            async with app.database.read() as db:
                organisation_id = await db.scalar(select(Organisation.id).order_by(Organisation.id))
                curator_id = await db.scalar(select(Person.id).where(of_telegram(curator.user.id)))
            assert organisation_id is not None
            assert curator_id is not None
            result = Cast(organisation_id=organisation_id, curator=curator)
            result.person_ids[curator.user.id] = curator_id
        result.person_ids[client.user.id] = person_id
        (result.mentors if role == ProfileRole.MENTOR else result.mentees).append(client)
        # The profile form that followed the consent was answered through the service: leave it.
        await client.send("/cancel")
        client.new_texts()
    assert result is not None
    return result


def request_draft(**changes: object) -> RequestDraft:
    return RequestDraft(
        topics=("teaching_methods",),
        difficulty="Дети шумят на уроках, не удаётся удержать внимание класса.",
        hopes="Научиться выстраивать урок так, чтобы все были заняты.",
        meeting_format=MeetingFormat.IN_PERSON,
        mentoring_type=MentoringType.TRADITIONAL,
        group_ok=False,
        urgency=Urgency.TWO_WEEKS,
    ).with_changes(**changes)


async def file_request(app: Application, mentee_id: int, **changes: object) -> RequestView:
    """A request as if the mentee had filled in /request."""
    return await app.services.requests.submit(mentee_id, request_draft(**changes))
