"""The people `bench.update_path` measures with, made the way the flow tests make them.

Everything a person does in the setup goes through the real dispatcher (`/start <code>`, the
consent button, `/cancel`); only what the tests also do through services is done so here: the
profile a participant would type in (`complete_profile`), a mentee's request and the mentor the
mentee chooses. The setup is not timed.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from sqlalchemy import select

from bot.app import Application
from models import OfferStatus, ProfileRole, RequestOffer
from tests.fakes import FakeClock, RecordingSession, TelegramClient
from tests.flows.helpers import (
    complete_profile,
    curator_invite,
    join_with_consent,
    make_curator,
)
from tests.flows.mentoring import MENTEE_NAMES, MENTOR_NAMES, file_request

SUPERADMIN_ID = 1000
CURATOR_ID = 2000
# A person reads a reply before answering; a short pause keeps the setup inside the ten minutes
# in which the bot does not record a person's visit again (`LAST_SEEN_RESOLUTION`), so that the
# measured update of a known person finds them seen recently, as in a conversation.
SETUP_PAUSE_SECONDS = 0.01
# What the mentors of the flow tests answer: a good fit for the default mentee's request.
MENTOR_ANSWERS: dict[str, object] = {
    "subjects": ("Математика",),
    "experience_years": 12,
    "organisation_years": 5,
    "offered_domains": ("methodological", "ict"),
    "capacity": 2,
}


@dataclass(frozen=True, slots=True)
class Joined:
    """A person who opened an invite and agreed; the profile form's first question is on screen."""

    client: TelegramClient
    question: str  # the last text the bot showed them


@dataclass(frozen=True, slots=True)
class Offered:
    """A mentor with a pending offer of a mentee's request."""

    mentor: TelegramClient
    offer_id: int


class Programme:
    """One organisation with its curator and reusable invite links for mentees and mentors."""

    def __init__(
        self,
        app: Application,
        dispatcher: Dispatcher,
        bot: Bot,
        session: RecordingSession,
        clock: FakeClock,
    ) -> None:
        self.app = app
        self._dispatcher = dispatcher
        self._bot = bot
        self.session = session
        self._clock = clock
        self._mentee_code = ""
        self._mentor_code = ""

    def client(self, user_id: int) -> TelegramClient:
        return TelegramClient(
            self._dispatcher,
            self._bot,
            self.session,
            user_id=user_id,
            clock=self._clock,
            seconds_between_actions=SETUP_PAUSE_SECONDS,
        )

    def forget_calls(self) -> None:
        """Drop the recorded Bot API calls: the setup looks only at each person's own, and a
        long list would make every look slower."""
        self.session.requests.clear()
        self.session.message_ids.clear()

    async def open(self) -> None:
        """The superadmin creates the organisation, the curator joins and makes two invite
        links (a participant's link can be used by any number of people)."""
        superadmin = self.client(SUPERADMIN_ID)
        curator = self.client(CURATOR_ID)
        await make_curator(superadmin, curator)
        self._mentee_code = await curator_invite(curator, "Наставляемый")
        self._mentor_code = await curator_invite(curator, "Наставник")
        self.forget_calls()

    async def joined(self, user_id: int) -> Joined:
        """A teacher invited as a mentee opens the link and agrees to the consent."""
        self.forget_calls()
        client = self.client(user_id)
        await client.send(f"/start {self._mentee_code}")
        await client.click("✅ Я согласен(на)")
        shown = [method.text for method in self.session.sent_to(user_id) if method.text is not None]
        if not shown:
            raise RuntimeError(f"person {user_id} saw nothing after agreeing to the consent")
        return Joined(client, shown[-1])

    async def participant(self, user_id: int, role: ProfileRole = ProfileRole.MENTEE) -> int:
        """Joined, with a complete profile, no form open; returns the person id."""
        self.forget_calls()
        client = self.client(user_id)
        code = self._mentor_code if role == ProfileRole.MENTOR else self._mentee_code
        await join_with_consent(client, code)
        if role == ProfileRole.MENTOR:
            name, answers = MENTOR_NAMES[user_id % len(MENTOR_NAMES)], MENTOR_ANSWERS
        else:
            name, answers = MENTEE_NAMES[user_id % len(MENTEE_NAMES)], {}
        person_id = await complete_profile(self.app, user_id, full_name=name, role=role, **answers)
        # The profile form the consent opened was answered through the service: leave it.
        await client.send("/cancel")
        return person_id

    async def offered(self, mentee_user_id: int, mentor_user_id: int) -> Offered:
        """A mentee files a request and chooses this mentor: the mentor has a pending offer."""
        mentee_id = await self.participant(mentee_user_id)
        mentor_id = await self.participant(mentor_user_id, ProfileRole.MENTOR)
        request = await file_request(self.app, mentee_id)
        await self.app.services.requests.choose(mentee_id, request.id, mentor_id)
        async with self.app.database.read() as db:
            offer_id = await db.scalar(
                select(RequestOffer.id).where(
                    RequestOffer.request_id == request.id,
                    RequestOffer.status == OfferStatus.PENDING,
                )
            )
        if offer_id is None:
            raise RuntimeError(f"no pending offer for mentor {mentor_user_id}")
        return Offered(self.client(mentor_user_id), offer_id)

    async def accepted(self, offer_ids: list[int]) -> int:
        async with self.app.database.read() as db:
            rows = await db.scalars(
                select(RequestOffer.id).where(
                    RequestOffer.id.in_(offer_ids), RequestOffer.status == OfferStatus.ACCEPTED
                )
            )
            return len(rows.all())
