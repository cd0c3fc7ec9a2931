from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JsonDict, UTCDateTime, enum_column, json_column
from models.enums import NotificationStatus


class Notification(Base):
    """One message the bot sends on its own initiative: the outbox row.

    The row is the state: the sender claims due rows with a lease, sends, and marks each row right
    after its own send, so a crash repeats at most the messages in flight.
    """

    __tablename__ = "notification"
    __table_args__ = (
        sa.Index("ix_notification_due", "status", "due_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(64))
    # The pair a reminder is about: pausing or ending the pair cancels its unsent reminders.
    # Deliberately no foreign key: pairs are never deleted, and a plain column is added to the
    # table in place on SQLite (a foreign key would mean rebuilding it).
    pair_id: Mapped[int | None] = mapped_column(index=True)
    # The person the payload talks about (a mentee's request sent to a mentor): when they withdraw
    # consent, such payloads are erased and unsent rows cancelled.
    about_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[JsonDict] = mapped_column(json_column(), default=dict)
    # One event, one row: a second insert with the same key is ignored.
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # After this moment the message is no longer worth sending (a reminder for a past meeting).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[NotificationStatus] = mapped_column(
        enum_column(NotificationStatus, "notification_status"),
        default=NotificationStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The messenger's id of the delivered message.
    sent_message_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
