"""The head's order (приказ о закреплении): one order starts many pairs that waited for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringPair, PairOrder, PairStatus
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.identity import AccountKey
from services.core.lookups import organisation_of, timezone_of
from services.core.transactions import Transactions
from services.organisations.timezones import local_date
from services.pairs.creation import announce_start
from services.pairs.rules import check_order_date, clean_order_number
from services.pairs.views import PairRow, organisation_rows


@dataclass(frozen=True, slots=True)
class PendingOrder:
    organisation_name: str
    timezone: str
    today: date
    rows: list[PairRow]


@dataclass(frozen=True, slots=True)
class OrderResult:
    order_id: int | None
    number: str
    order_date: date
    started: list[PairRow]
    skipped: int  # chosen pairs that no longer waited for the order


async def waiting_rows(session: AsyncSession, organisation_id: int) -> list[PairRow]:
    rows = await organisation_rows(session, organisation_id, status=PairStatus.PENDING_ORDER)
    return sorted(rows, key=lambda row: row.id)  # in the order they were matched


async def start_by_order(
    session: AsyncSession,
    *,
    actor_id: int,
    organisation_id: int,
    pair_ids: list[int],
    number: str,
    order_date: date,
    now: datetime,
) -> OrderResult:
    """Each chosen pair still waiting starts now under the order, and both its people get their
    introduction. An order with the same number and date is the same order (recorded in two
    goes); pairs that changed meanwhile are skipped."""
    chosen = list(dict.fromkeys(pair_ids))
    pairs = []
    for pair_id in chosen:
        pair = await session.get(MentoringPair, pair_id, with_for_update=True)
        if (
            pair is not None
            and pair.organisation_id == organisation_id
            and pair.status == PairStatus.PENDING_ORDER
        ):
            pairs.append(pair)
    skipped = len(chosen) - len(pairs)
    if not pairs:
        return OrderResult(None, number, order_date, [], skipped)
    order = await _order(session, organisation_id, number, order_date, actor_id, now)
    for pair in pairs:
        pair.status = PairStatus.ACTIVE
        pair.started_at = now
        pair.order_id = order.id
        audit.record(
            session,
            at=now,
            action="pair.started",
            actor_id=actor_id,
            organisation_id=organisation_id,
            target_person_id=pair.mentee_id,
            pair_id=pair.id,
            order_id=order.id,
        )
        await announce_start(session, pair, now)
    audit.record(
        session,
        at=now,
        action="pair_order.recorded",
        actor_id=actor_id,
        organisation_id=organisation_id,
        order_id=order.id,
        pairs=[pair.id for pair in pairs],
        skipped=skipped,
    )
    started_ids = {pair.id for pair in pairs}
    rows = await organisation_rows(session, organisation_id)
    started = sorted((row for row in rows if row.id in started_ids), key=lambda row: row.id)
    return OrderResult(order.id, number, order_date, started, skipped)


async def _order(
    session: AsyncSession,
    organisation_id: int,
    number: str,
    order_date: date,
    actor_id: int,
    now: datetime,
) -> PairOrder:
    order = await session.scalar(
        select(PairOrder).where(
            PairOrder.organisation_id == organisation_id,
            PairOrder.number == number,
            PairOrder.order_date == order_date,
        )
    )
    if order is None:
        order = PairOrder(
            organisation_id=organisation_id,
            number=number,
            order_date=order_date,
            recorded_by_id=actor_id,
            recorded_at=now,
        )
        session.add(order)
        await session.flush()
    return order


class PairOrderService:
    """/order: the pairs that wait for the order, and recording one."""

    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def awaiting_order(self, actor_id: int, organisation_id: int) -> PendingOrder:
        """Pairs of the organisation that wait for the order."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            return PendingOrder(
                organisation.name,
                organisation.timezone,
                local_date(self._clock.now(), organisation.timezone),
                await waiting_rows(session, organisation_id),
            )

    async def record_order(
        self,
        actor_id: int,
        organisation_id: int,
        pair_ids: list[int],
        number: str,
        order_date: date,
    ) -> OrderResult:
        """Record the head's order for the chosen pairs: those still waiting start now."""
        number = clean_order_number(number)
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            today = local_date(now, await timezone_of(session, organisation_id))
            check_order_date(order_date, today)
            return await start_by_order(
                session,
                actor_id=actor_id,
                organisation_id=organisation_id,
                pair_ids=pair_ids,
                number=number,
                order_date=order_date,
                now=now,
            )
