"""How often a pair meets: the organisation's cadence, or a shorter one the pair agreed on.

The programme's rule is "не реже одного раза в две недели" (seed 004, 6.3), so a pair may agree to
meet more often, never less often than the organisation's maximum. A change applies from the next
cycle: the current cycle's reminder and "did you meet?" are already scheduled and both people have
been told when they come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CycleStatus, MentoringPair, PairCycle, PairStatus
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import RequestProblem, RequestUnavailable, StaleAction
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.organisations.programme import ProgrammeSettings
from services.organisations.windows import window_of
from services.pairs.changes import side_in, tell_pair
from services.pairs.views import names

# Offered besides the organisation's own cadence: weekly, every ten days, fortnightly.
CADENCE_CHOICES = (7, 10, 14)


@dataclass(frozen=True, slots=True)
class CadenceOptions:
    """What the cadence screen of a pair shows."""

    pair_id: int
    side: str  # "mentor", "mentee" or "curator"
    other_name: str  # for a curator: "mentor → mentee"
    current: int
    agreed: bool  # the pair chose its own cadence (not the organisation's)
    organisation_default: int
    longest: int
    choices: tuple[int, ...]
    next_cycle_from: date | None  # when a change takes effect (the current cycle's end)


@dataclass(frozen=True, slots=True)
class CadenceChange:
    pair_id: int
    days: int
    agreed: bool
    other_name: str
    next_cycle_from: date | None


def choices_for(settings: ProgrammeSettings) -> tuple[int, ...]:
    offered = {*CADENCE_CHOICES, settings.cadence_days}
    return tuple(sorted(days for days in offered if days <= settings.max_cadence_days))


class PairCadenceService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def options(self, actor_id: int, pair_id: int) -> CadenceOptions:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair, side = await side_in(session, actor, pair_id, lock=False)
            return await _options(session, pair, side)

    async def change(self, actor_id: int, pair_id: int, days: int | None) -> CadenceChange:
        """Set the pair's cadence (`None`: back to the organisation's); the other side is told."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair, side = await side_in(session, actor, pair_id)
            options = await _options(session, pair, side)
            if days is not None and days not in options.choices:
                # A forged button, or one drawn before the organisation lowered its maximum.
                raise StaleAction
            agreed = days is not None and days != options.organisation_default
            effective = days or options.organisation_default
            change = CadenceChange(
                pair_id=pair.id,
                days=effective,
                agreed=agreed,
                other_name=options.other_name,
                next_cycle_from=options.next_cycle_from,
            )
            if (effective, agreed) == (options.current, options.agreed):
                return change  # pressed twice, or the current choice: nothing to tell anyone
            pair.cadence_days = days if agreed else None
            audit.record(
                session,
                at=now,
                action="pair.cadence_changed",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                pair_id=pair.id,
                days=effective,
                agreed=agreed,
            )
            await tell_pair(
                session,
                pair,
                "pair_cadence_changed",
                f"{pair.id}:{now.isoformat()}",
                now,
                skip=actor_id if side != "curator" else None,
                by=side,
                days=effective,
                agreed=agreed,
                since=options.next_cycle_from.isoformat() if options.next_cycle_from else None,
            )
            return change


async def _options(session: AsyncSession, pair: MentoringPair, side: str) -> CadenceOptions:
    if pair.status not in (PairStatus.ACTIVE, PairStatus.PAUSED):
        raise RequestUnavailable(RequestProblem.PAIR_ENDED)
    organisation = await organisation_of(session, pair.organisation_id)
    settings = ProgrammeSettings.of(organisation)
    people = await names(session, {pair.mentor_id, pair.mentee_id})
    if side == "curator":
        other = f"{people.get(pair.mentor_id, '')} → {people.get(pair.mentee_id, '')}"
    else:
        other = people.get(pair.mentee_id if side == "mentor" else pair.mentor_id, "")
    current_end = await session.scalar(
        select(PairCycle.ends_at).where(
            PairCycle.pair_id == pair.id,
            PairCycle.status.in_((CycleStatus.OPEN, CycleStatus.POSTPONED)),
        )
    )
    return CadenceOptions(
        pair_id=pair.id,
        side=side,
        other_name=other,
        current=settings.cadence_for(pair.cadence_days),
        agreed=pair.cadence_days is not None,
        organisation_default=settings.cadence_days,
        longest=settings.max_cadence_days,
        choices=choices_for(settings),
        next_cycle_from=window_of(organisation).local_date(current_end) if current_end else None,
    )
