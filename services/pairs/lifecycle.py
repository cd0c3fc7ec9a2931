"""A pair after it is created: its people's view, pause and resume, the curator's list and
decisions, and pauses that run out (the head's order is in `services/pair_orders.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ChangeReason,
    MentoringPair,
    Organisation,
    PairStatus,
)
from services.core import audit
from services.core.access import Actor, load_actor
from services.core.clock import Clock
from services.core.errors import NotAllowed, RequestProblem, RequestUnavailable, StaleAction
from services.core.identity import AccountKey
from services.core.lookups import organisation_of, timezone_of
from services.core.transactions import Transactions
from services.organisations.timezones import local_date
from services.pairs.changes import (
    PairChange,
    change_of,
    close_pending_petitions,
    end_pair,
    side_in,
    tell_pair,
)
from services.pairs.rules import (
    check_pause_until,
    latest_pause,
)
from services.pairs.views import (
    MyPair,
    PairDetails,
    PairPage,
    details,
    group_sizes,
    my_pair,
    my_pairs,
    names,
    organisation_rows,
    pending_petitions,
)
from services.rhythm.cycles import stop_rhythm

PAGE_SIZE = 10
# The zone furthest ahead of UTC (Kamchatka, Pacific islands): no organisation's today is later.
_FURTHEST_AHEAD = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class PauseWindow:
    """The dates a pause may run to, asked before the person types one."""

    pair_id: int
    today: date
    latest: date


def _require_live(pair: MentoringPair) -> None:
    if not pair.status.is_live:
        raise RequestUnavailable(RequestProblem.PAIR_ENDED)


class PairService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    # --- the people of a pair ------------------------------------------------------------

    async def mine(self, actor_id: int) -> list[MyPair]:
        """Every pair the person is in, as mentor or mentee: live ones first."""
        async with self._transactions.read() as session:
            return await my_pairs(session, actor_id)

    async def one_of_mine(self, actor_id: int, pair_id: int) -> MyPair:
        async with self._transactions.read() as session:
            pair = await session.get(MentoringPair, pair_id)
            if pair is None:
                raise StaleAction
            if actor_id not in (pair.mentor_id, pair.mentee_id):
                raise NotAllowed
            people = await names(session, {pair.mentor_id, pair.mentee_id})
            sizes = await group_sizes(session, {pair.group_id} if pair.group_id else set())
            petitions = await pending_petitions(session, [pair.id])
            return my_pair(
                pair,
                actor_id,
                people,
                sizes,
                petition=petitions.get(pair.id),
                organisation=await organisation_of(session, pair.organisation_id),
            )

    async def pause_window(self, actor_id: int, pair_id: int) -> PauseWindow:
        """Checks a pause may start (an active pair, the actor's or curated) before the date is
        asked."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair, _side = await side_in(session, actor, pair_id, lock=False)
            _require_live(pair)
            if pair.status != PairStatus.ACTIVE:
                raise StaleAction
            today = local_date(self._clock.now(), await timezone_of(session, pair.organisation_id))
            return PauseWindow(pair_id=pair.id, today=today, latest=latest_pause(today))

    async def pause(self, actor_id: int, pair_id: int, until: date) -> PairChange:
        """Pause an active pair until a date (holiday, sick leave); the others are told."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair, side = await side_in(session, actor, pair_id)
            _require_live(pair)
            if pair.status != PairStatus.ACTIVE:
                raise StaleAction
            today = local_date(now, await timezone_of(session, pair.organisation_id))
            check_pause_until(until, today)
            pair.status = PairStatus.PAUSED
            await stop_rhythm(session, pair.id)
            pair.paused_until = until
            audit.record(
                session,
                at=now,
                action="pair.paused",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                until=until.isoformat(),
            )
            await tell_pair(
                session,
                pair,
                "pair_paused",
                f"{pair.id}:{now.isoformat()}",
                now,
                skip=actor_id if side != "curator" else None,
                by=side,
                until=until.isoformat(),
            )
            return await change_of(session, pair, side)

    async def resume(self, actor_id: int, pair_id: int) -> PairChange:
        """A paused pair is active again before its date; the others are told."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair, side = await side_in(session, actor, pair_id)
            _require_live(pair)
            if pair.status != PairStatus.PAUSED:
                raise StaleAction
            await self._resume(session, pair, now, actor_id=actor_id, side=side)
            return await change_of(session, pair, side)

    async def _resume(
        self,
        session: AsyncSession,
        pair: MentoringPair,
        now: datetime,
        *,
        actor_id: int | None,
        side: str,
    ) -> None:
        pair.status = PairStatus.ACTIVE
        pair.paused_until = None
        audit.record(
            session,
            at=now,
            action="pair.resumed",
            actor_id=actor_id,
            organisation_id=pair.organisation_id,
            target_person_id=pair.mentee_id,
            pair_id=pair.id,
        )
        await tell_pair(
            session,
            pair,
            "pair_resumed",
            f"{pair.id}:{now.isoformat()}",
            now,
            skip=actor_id if side in ("mentor", "mentee") else None,
            by=side,
        )

    async def resume_due(self) -> int:
        """Pauses whose return date has come (in each organisation's zone) end: the pairs are
        active again and both people are told. Returns how many pairs resumed."""
        now = self._clock.now()
        horizon = (now + _FURTHEST_AHEAD).date()
        resumed = 0
        async with self._transactions.write() as session:
            rows = (
                await session.execute(
                    select(MentoringPair, Organisation.timezone)
                    .join(Organisation, Organisation.id == MentoringPair.organisation_id)
                    .where(
                        MentoringPair.status == PairStatus.PAUSED,
                        MentoringPair.paused_until <= horizon,
                    )
                    .order_by(MentoringPair.id)
                    .with_for_update(of=MentoringPair, skip_locked=True)
                )
            ).all()
            for pair, timezone in rows:
                if pair.paused_until is None or pair.paused_until > local_date(now, timezone):
                    continue
                await self._resume(session, pair, now, actor_id=None, side="schedule")
                resumed += 1
        return resumed

    # --- the curator -----------------------------------------------------------------------

    async def organisation_page(
        self, actor_id: int, organisation_id: int, page: int = 0
    ) -> PairPage:
        """The organisation's pairs, ten a page, with how many are in each state."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            rows = await organisation_rows(session, organisation_id)
            counts = {status: 0 for status in PairStatus}
            for row in rows:
                counts[row.status] += 1
            pages = max(1, -(-len(rows) // PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            return PairPage(
                rows=rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE],
                page=page,
                pages=pages,
                total=len(rows),
                counts=counts,
                organisation_name=organisation.name,
                timezone=organisation.timezone,
            )

    async def details(self, actor_id: int, pair_id: int) -> PairDetails:
        """One pair as its curator sees it."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair = await session.get(MentoringPair, pair_id)
            if pair is None:
                raise StaleAction
            actor.require_curator(pair.organisation_id)
            return await details(session, pair)

    async def complete(self, actor_id: int, pair_id: int) -> PairChange:
        """The curator marks a working pair as having completed the programme."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair = await self._curated(session, actor, pair_id)
            if pair.status == PairStatus.PENDING_ORDER:
                raise StaleAction
            end_pair(pair, PairStatus.COMPLETED, now)
            await close_pending_petitions(session, pair.id, now)
            await stop_rhythm(session, pair.id)
            audit.record(
                session,
                at=now,
                action="pair.completed",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
            )
            await tell_pair(
                session,
                pair,
                "pair_ended",
                str(pair.id),
                now,
                outcome="completed",
                via="curator",
                reason=None,
                request_reopened=False,
            )
            return await change_of(session, pair, "curator")

    async def end_early(self, actor_id: int, pair_id: int, reason: ChangeReason) -> PairChange:
        """The curator ends a pair before its time, with a reason."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair = await self._curated(session, actor, pair_id)
            end_pair(pair, PairStatus.ENDED_EARLY, now, reason)
            await close_pending_petitions(session, pair.id, now)
            await stop_rhythm(session, pair.id)
            audit.record(
                session,
                at=now,
                action="pair.ended_early",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                reason=reason.value,
            )
            await tell_pair(
                session,
                pair,
                "pair_ended",
                str(pair.id),
                now,
                outcome="ended_early",
                via="curator",
                reason=reason.value,
                request_reopened=False,
            )
            return await change_of(session, pair, "curator")

    async def _curated(self, session: AsyncSession, actor: Actor, pair_id: int) -> MentoringPair:
        pair = await session.get(MentoringPair, pair_id, with_for_update=True)
        if pair is None:
            raise StaleAction
        actor.require_curator(pair.organisation_id)
        _require_live(pair)
        return pair
