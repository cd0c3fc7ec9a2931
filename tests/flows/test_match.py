"""/match: the whole cohort matched optimally as a draft the curator reviews, edits, approves."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from models import MentoringPair, Notification, PairingBlock, PairOrigin, ProfileRole, RequestStatus
from services.matching.cohort import Candidate, greedy, total
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.mentoring import Cast, cast, file_request


async def _cohort(
    app: Application, superadmin: TelegramClient, person: PersonFactory, clock: FakeClock
) -> tuple[Cast, dict[str, int]]:
    """Two mentees, two mentors with one place each. Mentor A fits the first mentee best (same
    subject); the second mentee may only go to A ("don't pair us again" with B). First come,
    first served gives A to the first mentee and leaves the second without anyone."""
    curator = person(2000)
    first, second = person(3001), person(3002)
    mentor_a, mentor_b = person(3101), person(3102)
    team = await cast(
        app,
        superadmin,
        curator,
        [(first, ProfileRole.MENTEE), (second, ProfileRole.MENTEE), (mentor_a, ProfileRole.MENTOR)],
        capacity=1,
    )
    extra = await cast(
        app,
        superadmin,
        curator,
        [(mentor_b, ProfileRole.MENTOR)],
        capacity=1,
        subjects=("Химия",),
    )
    team.person_ids.update(extra.person_ids)
    team.mentors += extra.mentors
    ids = {
        "first": team.id_of(first),
        "second": team.id_of(second),
        "a": team.id_of(mentor_a),
        "b": team.id_of(mentor_b),
    }
    async with app.database.write() as db:
        db.add(PairingBlock(mentee_id=ids["second"], mentor_id=ids["b"], created_at=clock.now()))
    await file_request(app, ids["first"])
    clock.advance(minutes=5)
    await file_request(app, ids["second"])
    return team, ids


async def test_match_finds_the_optimal_total_where_first_come_first_served_does_not(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
) -> None:
    team, ids = await _cohort(app, superadmin, person, clock)
    curator_id = team.id_of(team.curator)
    first_request = (await app.services.requests.current(ids["first"])).id  # type: ignore[union-attr]
    second_request = (await app.services.requests.current(ids["second"])).id  # type: ignore[union-attr]
    scores = {}
    for request_id in (first_request, second_request):
        for option in await app.services.requests.suggestions(curator_id, request_id, limit=5):
            scores[(request_id, option.mentor_id)] = option.score
    candidates = [Candidate(r, m, s) for (r, m), s in scores.items()]
    assert (second_request, ids["b"]) not in scores
    assert scores[(first_request, ids["a"])] > scores[(first_request, ids["b"])]
    first_come = greedy(candidates, {ids["a"]: 1, ids["b"]: 1})
    assert first_come == {first_request: ids["a"]}
    optimal = scores[(first_request, ids["b"])] + scores[(second_request, ids["a"])]
    assert total(first_come, candidates) < optimal

    [draft] = await team.curator.send("/match")
    assert "Подобрано: 2 из 2 запросов" in draft
    assert f"общее совпадение {optimal}" in draft
    assert "Пока вы не утвердите, ничего не создаётся" in draft
    async with app.database.read() as db:
        assert (await db.scalars(select(MentoringPair))).all() == []

    [result] = await team.curator.click("✅ Утвердить и создать пары: 2")
    assert "Создано 2 пары" in result
    async with app.database.read() as db:
        pairs = {pair.mentee_id: pair for pair in (await db.scalars(select(MentoringPair))).all()}
    assert pairs[ids["first"]].mentor_id == ids["b"]
    assert pairs[ids["second"]].mentor_id == ids["a"]
    assert {pair.origin for pair in pairs.values()} == {PairOrigin.COHORT_MATCH}
    assert await app.services.requests.current(ids["first"]) is None

    # Everyone is told: both mentees and both mentors get an introduction.
    async with app.database.read() as db:
        told = (
            await db.scalars(
                select(Notification.recipient_id).where(Notification.kind == "pair_started")
            )
        ).all()
    assert sorted(told) == sorted(ids.values())
    # The draft is gone: a second press of Approve is told it is done and changes nothing.
    [again] = await team.curator.click("✅ Утвердить и создать пары: 2")
    assert again == "Это уже сделано."


async def test_curator_edits_a_line_and_approves_only_what_was_shown(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
) -> None:
    team, ids = await _cohort(app, superadmin, person, clock)
    await team.curator.send("/match")
    [options] = await team.curator.click("Изменить 1")
    assert "Иванова Анна Петровна" in options
    [draft] = await team.curator.click("Оставить без наставника")
    assert "Подобрано: 1 из 2 запросов" in draft
    assert "✎" in draft
    [objective] = await team.curator.click("Приоритет: наставник каждому")
    assert "наставник как можно большему числу" in objective
    assert "Подобрано: 1 из 2 запросов" in objective  # the edit is kept
    await team.curator.click("✅ Утвердить и создать пары: 1")
    async with app.database.read() as db:
        pairs = (await db.scalars(select(MentoringPair))).all()
    assert [(pair.mentee_id, pair.mentor_id) for pair in pairs] == [(ids["second"], ids["a"])]
    first = await app.services.requests.current(ids["first"])
    assert first is not None
    assert first.status == RequestStatus.OPEN


async def test_a_line_that_changed_meanwhile_is_skipped_and_reported(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
) -> None:
    team, ids = await _cohort(app, superadmin, person, clock)
    await team.curator.send("/match")
    request = await app.services.requests.current(ids["second"])
    assert request is not None
    await app.services.requests.withdraw(ids["second"], request.id)
    [result] = await team.curator.click("✅ Утвердить и создать пары: 2")
    assert "Создана 1 пара" in result
    assert "Кузнецова Мария Олеговна: Этот запрос отозван" in result


async def test_match_is_for_curators_only(
    app: Application, superadmin: TelegramClient, person: PersonFactory, clock: FakeClock
) -> None:
    team, _ids = await _cohort(app, superadmin, person, clock)
    [reply] = await team.mentees[0].send("/match")
    assert reply == "Это вам недоступно."
    [forged] = await team.mentees[0].press("mt:approve:0")
    assert forged == "Эта кнопка больше не действует."
    async with app.database.read() as db:
        assert (await db.scalars(select(MentoringPair))).all() == []


async def test_nothing_to_match(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    curator, mentee = person(2000), person(3001)
    await cast(app, superadmin, curator, [(mentee, ProfileRole.MENTEE)])
    [reply] = await curator.send("/match")
    assert "Нет открытых запросов для подбора" in reply
