"""A curator with mentees and mentors already paired, for the tests of pairs, petitions, orders."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select

from bot.app import Application
from models import MentoringPair, Person, ProfileRole
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import TelegramClient
from tests.flows.mentoring import Cast, cast, file_request
from tests.identity import of_telegram


@dataclass
class Pairing:
    app: Application
    team: Cast
    curator: TelegramClient
    curator_id: int

    @property
    def mentee(self) -> TelegramClient:
        return self.team.mentees[0]

    @property
    def mentor(self) -> TelegramClient:
        return self.team.mentors[0]

    def id_of(self, client: TelegramClient) -> int:
        return self.team.id_of(client)

    async def pair(self, mentee: TelegramClient, mentor: TelegramClient) -> int:
        """The mentee files a request and the mentor takes it: returns the pair's id."""
        request = await file_request(self.app, self.id_of(mentee))
        result = await self.app.services.offers.take(self.id_of(mentor), request.id)
        return result.pair_id

    async def pair_row(self, pair_id: int) -> MentoringPair:
        async with self.app.database.read() as db:
            pair = await db.get(MentoringPair, pair_id)
        assert pair is not None
        return pair


async def person_id(app: Application, telegram_id: int) -> int:
    async with app.database.read() as db:
        found = await db.scalar(select(Person.id).where(of_telegram(telegram_id)))
    assert found is not None
    return found


async def programme(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    *,
    mentees: int = 1,
    mentors: int = 1,
    language_code: str = "ru",
    require_order: bool = False,
) -> Pairing:
    """A curator (2000), mentees 3001…, mentors 3101… (in `language_code`), all with complete
    profiles; nobody paired yet."""
    # The curator speaks Russian: the cast invites people with the Russian buttons.
    curator = person(2000)
    people = [
        (person(3001 + n, language_code=language_code), ProfileRole.MENTEE) for n in range(mentees)
    ]
    people += [
        (person(3101 + n, language_code=language_code), ProfileRole.MENTOR) for n in range(mentors)
    ]
    team = await cast(app, superadmin, curator, people)
    for client, _role in people:
        # The profile form opened after consent is still waiting; it was filled by the service.
        await client.send("/cancel")
        client.new_texts()
    curator_id = await person_id(app, curator.user.id)
    if require_order:
        await app.services.programme.change(
            curator_id, team.organisation_id, pairs_require_order=True
        )
    curator.new_texts()
    return Pairing(app, team, curator, curator_id)


async def deliver(sender: OutboxSender, *clients: TelegramClient) -> list[list[str]]:
    """Send what is queued; return what each client received since their last look."""
    await sender.run_once()
    return [client.new_texts() for client in clients]


def last_buttons(client: TelegramClient) -> list[str]:
    """Labels under the newest message to this person (none: an empty list)."""
    sent = client.session.sent_to(client.user.id)
    assert sent, "nothing was sent to this person"
    markup = sent[-1].reply_markup
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [button.text for row in markup.inline_keyboard for button in row]
