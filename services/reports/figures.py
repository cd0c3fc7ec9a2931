"""The figures a curator enters for a programme year because the bot cannot know them: how many
teachers the organisation has, its young specialists, its teachers under 35 in their first three
years, and how many young specialists left the profession. Kept in `organisation.settings`, per
programme year (the year's first calendar year), so last year's report keeps last year's figures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from models import Organisation
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import StaleAction, ValidationFailed
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.organisations.windows import window_of
from services.reports.periods import Period, programme_year

FIGURES_KEY = "figures"
MAX_FIGURE = 100_000


@dataclass(frozen=True, slots=True)
class EnteredFigures:
    """None: not entered (the reports then count from profiles, and say so)."""

    teachers: int | None = None
    young_specialists: int | None = None
    young_teachers: int | None = None
    young_left: int | None = None

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))

    @classmethod
    def of(cls, organisation: Organisation, year: int) -> EnteredFigures:
        by_year: dict[str, Any] = (organisation.settings or {}).get(FIGURES_KEY) or {}
        stored: dict[str, Any] = by_year.get(str(year)) or {}
        return cls(**{name: stored.get(name) for name in cls.names()})


class FiguresService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def current(self, actor_id: int, organisation_id: int) -> tuple[Period, EnteredFigures]:
        """The programme year under way where the organisation is, and its figures."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            year = programme_year(window_of(organisation).local_date(self._clock.now()))
            return year, EnteredFigures.of(organisation, year.first.year)

    async def change(
        self, actor_id: int, organisation_id: int, year: int, name: str, value: int | None
    ) -> EnteredFigures:
        """Enter one figure (None clears it); audited."""
        if name not in EnteredFigures.names():
            raise StaleAction
        if value is not None and not 0 <= value <= MAX_FIGURE:
            raise ValidationFailed(name, "range")
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await session.get(Organisation, organisation_id, with_for_update=True)
            if organisation is None:
                raise StaleAction
            updated = replace(EnteredFigures.of(organisation, year), **{name: value})
            if (
                updated.young_left is not None
                and updated.young_specialists is not None
                and updated.young_left > updated.young_specialists
            ):
                raise ValidationFailed("young_left", "above_young_specialists")
            settings = dict(organisation.settings or {})
            by_year = dict(settings.get(FIGURES_KEY) or {})
            by_year[str(year)] = {key: v for key, v in asdict(updated).items() if v is not None}
            organisation.settings = {**settings, FIGURES_KEY: by_year}
            audit.record(
                session,
                at=self._clock.now(),
                action="organisation.figures_changed",
                actor_id=actor_id,
                organisation_id=organisation_id,
                year=year,
                figure=name,
                value=value,
            )
            return updated
