"""The person behind each update, remembered between their updates so most updates need no
database at all.

Every update starts by finding its person, their roles and whether a consent is missing; that read
transaction was most of the cost of an update. This process is the only one that changes people
while the bot runs (Telegram lets one process poll a bot), so it can remember what it read and
forget it the moment its own commits change it:

- a committed write to a person, their messenger accounts, role assignments or consents forgets
  that person;
- a committed write to a consent text or an organisation (a new text version concerns everyone
  in it; deleting an organisation deletes roles in the database itself), or a bulk statement on
  any of these tables, forgets everyone;
- a read that began before such a commit does not store what it read (`token`), so a slow read
  cannot put back what a commit has just made stale;
- whatever is remembered is forgotten after `CACHED_FOR` anyway, so a change made from outside
  the bot (by hand in the database) is seen within that time.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from models import Consent, ConsentDocument, MessengerAccount, Organisation, Person, RoleAssignment
from services.core.clock import Clock
from services.core.identity import AccountKey
from services.core.transactions import UNKNOWN_TABLE, CommittedWrites

CACHED_FOR = timedelta(minutes=1)
# About 1 KB a person (measured with tracemalloc): 50 000 people, a large region's active
# teachers, is about 50 MB.
MAX_PEOPLE = 50_000

# Rows whose change changes one person's standing, and how to find that person in them.
_PERSON_ROWS: tuple[type, ...] = (MessengerAccount, RoleAssignment, Consent)
# Rows whose change may change anyone's standing.
_EVERYONE_ROWS: tuple[type, ...] = (ConsentDocument, Organisation)
# Bulk statements on these (or on a target the database layer could not name) forget everyone.
_TABLES = frozenset(
    [
        UNKNOWN_TABLE,
        *(model.__tablename__ for model in (Person, *_PERSON_ROWS, *_EVERYONE_ROWS)),  # type: ignore[attr-defined]
    ]
)

Value = TypeVar("Value")


@dataclass(frozen=True, slots=True)
class _Entry(Generic[Value]):
    person_id: int
    value: Value
    stored_at: datetime


class StandingCache(Generic[Value]):
    """Account → what was last read about its person, with the rules in the module docstring."""

    def __init__(
        self, clock: Clock, *, cached_for: timedelta = CACHED_FOR, capacity: int = MAX_PEOPLE
    ) -> None:
        self._clock = clock
        self._cached_for = cached_for
        self._capacity = capacity
        self._entries: OrderedDict[AccountKey, _Entry[Value]] = OrderedDict()
        self._accounts_of: dict[int, set[AccountKey]] = {}
        # Bumped by every forgetting; a read stores its result only if none happened meanwhile.
        self._generation = 0

    def token(self) -> int:
        """Take before reading from the database; hand to `put` with what was read."""
        return self._generation

    def get(self, key: AccountKey) -> Value | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self._clock.now() - entry.stored_at >= self._cached_for:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry.value

    def put(self, key: AccountKey, person_id: int, value: Value, token: int) -> None:
        if token != self._generation:
            return
        self._drop(key)
        self._entries[key] = _Entry(person_id, value, self._clock.now())
        self._accounts_of.setdefault(person_id, set()).add(key)
        while len(self._entries) > self._capacity:
            self._drop(next(iter(self._entries)))

    def forget_everyone(self) -> None:
        self._generation += 1
        self._entries.clear()
        self._accounts_of.clear()

    def forget(self, person_ids: set[int]) -> None:
        self._generation += 1
        for person_id in person_ids:
            for key in self._accounts_of.pop(person_id, set()):
                self._entries.pop(key, None)

    def _drop(self, key: AccountKey) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        keys = self._accounts_of.get(entry.person_id)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._accounts_of[entry.person_id]

    def note(self, writes: CommittedWrites) -> None:
        """A transaction committed: forget whatever it may have changed."""
        if writes.tables & _TABLES or any(isinstance(row, _EVERYONE_ROWS) for row in writes.rows):
            self.forget_everyone()
            return
        people = {person_id for row in writes.rows if (person_id := _person_of(row)) is not None}
        if people:
            self.forget(people)


def _person_of(row: object) -> int | None:
    if isinstance(row, Person):
        return row.id
    if isinstance(row, _PERSON_ROWS):
        person_id: int = row.person_id  # type: ignore[attr-defined]
        return person_id
    return None
