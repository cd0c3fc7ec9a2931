from __future__ import annotations

from services.clock import Clock
from services.transactions import Transactions


class PetitionService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[int]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids
