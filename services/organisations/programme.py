"""An organisation's rules for matching and pairs, kept in `organisation.settings`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, time
from typing import Any

from models import Organisation
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import StaleAction, ValidationFailed
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.organisations.sending_window import SendingWindow
from services.organisations.windows import WINDOW_KEY, window_of

SETTINGS_KEY = "programme"
MAX_CAPACITY = 10
OFFER_TTL_CHOICES_HOURS = (24, 48, 72, 120, 168)
MAX_CADENCE_DAYS = 31
MAX_QUIET_CYCLES = 6
SATISFACTION_THRESHOLDS = (5, 6, 7, 8, 9)


@dataclass(frozen=True, slots=True)
class ProgrammeSettings:
    # Mentees a mentor takes at once unless they (or the curator) said otherwise.
    default_capacity: int = 2
    # How long a mentor has to answer a request; the reminder comes at half-time.
    offer_ttl_hours: int = 72
    # Pairs wait for the head's order (приказ о закреплении) before they start.
    pairs_require_order: bool = False
    # "Встречи проводятся не реже одного раза в две недели" (004 6.3): the default cycle, and the
    # longest a pair may agree on.
    cadence_days: int = 14
    max_cadence_days: int = 14
    # Cycles in a row without a met meeting before the pair is nudged / the curator is alerted.
    quiet_nudge_cycles: int = 2
    quiet_alert_cycles: int = 3
    # "Satisfaction %" counts respondents whose overall score (of 10) is at least this.
    satisfaction_threshold: int = 7
    # Questionnaires the bot sends by itself (services/questionnaires/automatic.py): the entry
    # diagnosis when a pair starts, the fit check after its first meeting, the pulse on day 30
    # and every 60 days, the exit diagnosis and satisfaction when it completes.
    auto_entry: bool = True
    auto_fit: bool = True
    auto_pulse: bool = True
    auto_exit: bool = True

    @classmethod
    def of(cls, organisation: Organisation) -> ProgrammeSettings:
        stored: dict[str, Any] = (organisation.settings or {}).get(SETTINGS_KEY) or {}
        known = {key: stored[key] for key in cls.__dataclass_fields__ if key in stored}
        return cls(**known)

    def cadence_for(self, agreed_days: int | None) -> int:
        """A pair's cadence: what it agreed on, else the organisation's; never above the maximum."""
        return min(agreed_days or self.cadence_days, self.max_cadence_days)

    def validated(self) -> ProgrammeSettings:
        if not 0 <= self.default_capacity <= MAX_CAPACITY:
            raise ValidationFailed("default_capacity", "range")
        if self.offer_ttl_hours not in OFFER_TTL_CHOICES_HOURS:
            raise ValidationFailed("offer_ttl_hours", "range")
        if not 1 <= self.max_cadence_days <= MAX_CADENCE_DAYS:
            raise ValidationFailed("max_cadence_days", "range")
        if not 1 <= self.cadence_days <= self.max_cadence_days:
            raise ValidationFailed("cadence_days", "range")
        if not 1 <= self.quiet_nudge_cycles < self.quiet_alert_cycles <= MAX_QUIET_CYCLES:
            raise ValidationFailed("quiet_alert_cycles", "range")
        if self.satisfaction_threshold not in SATISFACTION_THRESHOLDS:
            raise ValidationFailed("satisfaction_threshold", "range")
        return self


class ProgrammeSettingsService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def get(self, actor_id: int, organisation_id: int) -> ProgrammeSettings:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            return ProgrammeSettings.of(organisation)

    async def change(
        self, actor_id: int, organisation_id: int, **changes: Any
    ) -> ProgrammeSettings:
        """Change one or more settings (curator of the organisation); audited."""
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await session.get(Organisation, organisation_id, with_for_update=True)
            if organisation is None:
                raise StaleAction
            updated = replace(ProgrammeSettings.of(organisation), **changes).validated()
            organisation.settings = {**(organisation.settings or {}), SETTINGS_KEY: asdict(updated)}
            audit.record(
                session,
                at=self._clock.now(),
                action="organisation.programme_settings_changed",
                actor_id=actor_id,
                organisation_id=organisation_id,
                **changes,
            )
            return updated


WINDOW_STARTS = (8, 9, 10)
WINDOW_HOURS = 10
HOLIDAYS_MAX = 60
SATURDAY = 5


class SendingWindowService:
    """The organisation's sending window: hours, Saturday, holidays (curators)."""

    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def get(self, actor_id: int, organisation_id: int) -> SendingWindow:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            return window_of(organisation)

    async def change(
        self,
        actor_id: int,
        organisation_id: int,
        *,
        start_hour: int | None = None,
        saturday: bool | None = None,
        holidays: frozenset[date] | None = None,
    ) -> SendingWindow:
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await session.get(Organisation, organisation_id, with_for_update=True)
            if organisation is None:
                raise StaleAction
            window = window_of(organisation)
            if start_hour is not None:
                if start_hour not in WINDOW_STARTS:
                    raise ValidationFailed("window_start", "range")
                window = replace(
                    window, start=time(start_hour), end=time(start_hour + WINDOW_HOURS)
                )
            if saturday is not None:
                weekdays = set(window.weekdays) - {SATURDAY}
                window = replace(
                    window, weekdays=frozenset(weekdays | ({SATURDAY} if saturday else set()))
                )
            if holidays is not None:
                if len(holidays) > HOLIDAYS_MAX:
                    raise ValidationFailed("holidays", "too_many")
                window = replace(window, holidays=holidays)
            organisation.settings = {
                **(organisation.settings or {}),
                WINDOW_KEY: window.to_settings(),
            }
            audit.record(
                session,
                at=self._clock.now(),
                action="organisation.window_changed",
                actor_id=actor_id,
                organisation_id=organisation_id,
                start_hour=start_hour,
                saturday=saturday,
                holidays=len(holidays) if holidays is not None else None,
            )
            return window
