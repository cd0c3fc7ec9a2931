"""An organisation named `Школа <№1> & "Лицей"`: every command that shows the name still works.

The fake Bot API refuses HTML Telegram would refuse, so a name formatted into a message without
escaping fails here as it failed live ("can't parse entities")."""

from __future__ import annotations

from html import escape

from sqlalchemy import update

from bot.app import Application
from models import Organisation
from tests.conftest import PersonFactory
from tests.fakes import TelegramClient
from tests.flows.helpers import create_organisation, invite_code
from tests.flows.pairing import programme

NAME = 'Школа <№1> & "Лицей"'
APOLOGY = "что-то пошло не так"


def _shows_name(replies: list[str]) -> bool:
    """The name as Telegram would show it: escaped in the HTML the bot sent."""
    plain = escape(NAME, quote=False)
    return any(plain in r.replace("&#34;", '"').replace("&quot;", '"') for r in replies)


def _no_apology(replies: list[str]) -> None:
    assert replies, "the bot said nothing"
    assert not any(APOLOGY in reply for reply in replies), replies


async def test_onboarding_into_an_organisation_with_markup_in_its_name(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    code = await create_organisation(superadmin, name=NAME)
    created = superadmin.session.sent_to(superadmin.user.id)[-1].text or ""
    assert escape(NAME, quote=False) in created.replace("&#34;", '"')

    curator = person(2001)
    replies = await curator.send(f"/start {code}")
    _no_apology(replies)
    assert _shows_name(replies)

    replies = await curator.send("/invite")
    _no_apology(replies)
    assert _shows_name(replies)
    replies = await curator.click("Наставляемый")
    _no_apology(replies)
    teacher_code = invite_code(replies[-1])

    replies = await curator.send("/invites")
    _no_apology(replies)

    teacher = person(4001)
    replies = await teacher.send(f"/start {teacher_code}")
    _no_apology(replies)
    assert _shows_name(replies)
    assert any("СОГЛАСИЕ" in reply.upper() for reply in replies)
    replies = await teacher.click("✅ Я согласен(на)")
    _no_apology(replies)

    replies = await superadmin.send("/orgs")
    _no_apology(replies)
    assert _shows_name(replies)


async def test_every_curator_command_with_markup_in_the_name(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=2, mentors=1)
    async with app.database.write() as db:
        await db.execute(update(Organisation).values(name=NAME))
    await setup.pair(setup.team.mentees[0], setup.mentor)
    curator = setup.curator
    commands = [
        "/invite",
        "/invites",
        "/participants",
        "/requests",
        "/pairs",
        "/programme",
        "/consent",
        "/capacity",
        "/match",
        "/order",
        "/request_for",
        "/help",
    ]
    for command in commands:
        replies = await curator.send(command)
        _no_apology(replies)
        await curator.send("/cancel")
    # The ones that name the organisation in their text do it escaped, not dropped.
    for command in ("/invite", "/consent", "/capacity", "/programme"):
        replies = await curator.send(command)
        assert _shows_name(replies), (command, replies)
        await curator.send("/cancel")
    replies = await superadmin.send("/orgs")
    assert _shows_name(replies)
    _no_apology(await curator.send("/start"))
    _no_apology(await setup.mentor.send("/mypairs"))
    _no_apology(await setup.team.mentees[0].send("/mypairs"))
    _no_apology(await setup.team.mentees[1].send("/request"))
