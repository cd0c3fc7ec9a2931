"""Capacity and request races settle in the database: exactly one pair, a clear answer to the
other side. Run with truly concurrent tasks on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import Application
from models import MentoringPair, ProfileRole, RequestStatus
from services.errors import RequestProblem, RequestUnavailable
from tests.fakes import TelegramClient
from tests.flows.mentoring import cast, file_request

PersonFactory = object


async def test_offer_accept_creates_an_active_pair(
    app: Application, superadmin: TelegramClient, person: object
) -> None:
    make = person  # type: ignore[assignment]
    curator = make(2000)  # type: ignore[operator]
    mentee, mentor = make(3001), make(3002)  # type: ignore[operator]
    team = await cast(
        app, superadmin, curator, [(mentee, ProfileRole.MENTEE), (mentor, ProfileRole.MENTOR)]
    )
    request = await file_request(app, team.id_of(mentee))
    suggestions = await app.services.requests.suggestions(team.id_of(mentee), request.id)
    assert [s.mentor_id for s in suggestions] == [team.id_of(mentor)]
    assert suggestions[0].score > 50
    await app.services.requests.choose(team.id_of(mentee), request.id, team.id_of(mentor))
    view = await app.services.requests.current(team.id_of(mentee))
    assert view is not None
    assert view.status == RequestStatus.AWAITING_MENTOR
    async with app.database.read() as db:
        from models import RequestOffer

        offer_id = await db.scalar(select(RequestOffer.id))
    assert offer_id is not None
    result = await app.services.offers.accept(team.id_of(mentor), offer_id)
    assert not result.pending_order
    try:
        await app.services.offers.accept(team.id_of(mentor), offer_id)
    except RequestUnavailable as error:
        assert error.problem == RequestProblem.ALREADY_ACCEPTED
    else:
        raise AssertionError("second accept changed something")
    async with app.database.read() as db:
        assert await db.scalar(select(func.count()).select_from(MentoringPair)) == 1
