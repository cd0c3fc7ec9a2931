from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime

# Long enough for any messenger's user or chat id written as text.
EXTERNAL_ID_LENGTH = 64


class MessengerAccount(Base):
    """How one person is reached in one messenger: the only place that knows which one they use.

    The programme's rules speak person ids; a messenger adapter finds the person by their account
    on each update and the address to write to when it sends. `messenger` is a short name chosen
    by the adapter, not an enum in the database, so a second adapter needs no migration.
    Ids are text: Telegram's fit a bigint, but another messenger's need not be a number at all.
    """

    __tablename__ = "messenger_account"
    __table_args__ = (
        # One account in a messenger belongs to one person.
        sa.UniqueConstraint("messenger", "external_user_id", name="messenger_user"),
        # A person has at most one account per messenger. Its leading column makes it the index
        # on person_id as well (every lookup by person), so there is no separate one.
        sa.UniqueConstraint("person_id", "messenger", name="person_messenger"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    messenger: Mapped[str] = mapped_column(sa.String(16))
    external_user_id: Mapped[str] = mapped_column(sa.String(EXTERNAL_ID_LENGTH))
    # Where to write to them; NULL while the messenger has given no chat for the account yet.
    chat_id: Mapped[str | None] = mapped_column(sa.String(EXTERNAL_ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
