"""The Telegram side of identity: a Telegram user as an account key, and the person an update
comes from with the chat to answer in. Only the adapter knows these numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from services.core.identity import AccountKey
from services.people.directory import PersonView

# The messenger's name on `messenger_account` rows written by this adapter.
TELEGRAM = "telegram"


def telegram_key(user_id: int) -> AccountKey:
    return AccountKey(TELEGRAM, str(user_id))


def superadmin_keys(telegram_ids: Iterable[int]) -> frozenset[AccountKey]:
    """SUPERADMIN_IDS are Telegram user ids; services receive them as account keys."""
    return frozenset(telegram_key(user_id) for user_id in telegram_ids)


@dataclass(frozen=True, slots=True, kw_only=True)
class TelegramPerson(PersonView):
    """The person behind an update plus the private chat it came from (handlers reply there).

    Services take it as a plain `PersonView`; the chat id never goes past the adapter.
    """

    chat_id: int

    @classmethod
    def of(cls, person: PersonView, chat_id: int) -> TelegramPerson:
        values = {field.name: getattr(person, field.name) for field in fields(person)}
        return cls(**values, chat_id=chat_id)
