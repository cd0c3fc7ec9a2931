"""Test helpers for the Telegram side of identity: find a person by their Telegram id, or give a
person made directly in the database the account the bot would have made on first contact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select

from bot.telegram.identity import TELEGRAM
from models import MessengerAccount, Person


def of_telegram(user_id: int) -> ColumnElement[bool]:
    """A WHERE clause on `Person`: the person whose Telegram account is `user_id`."""
    return Person.id.in_(
        select(MessengerAccount.person_id).where(
            MessengerAccount.messenger == TELEGRAM,
            MessengerAccount.external_user_id == str(user_id),
        )
    )


def telegram_account_row(person_id: int, user_id: int, now: datetime) -> dict[str, Any]:
    """Column values of the account a first contact from `user_id` creates (bulk inserts)."""
    return {
        "person_id": person_id,
        "messenger": TELEGRAM,
        "external_user_id": str(user_id),
        "chat_id": str(user_id),
        "created_at": now,
    }


def telegram_account(person_id: int, user_id: int, now: datetime) -> MessengerAccount:
    return MessengerAccount(**telegram_account_row(person_id, user_id, now))
