"""The form in progress in the database: one row per person, replaced by a new form, expiring
after EXPIRY_DAYS untouched, kept (marked submitted) after Confirm so a second press cannot save
twice. Every change is conditional on the step it was made from, so two presses of one screen
cannot both apply."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update

from models import FormProgress
from services.core.clock import Clock
from services.core.transactions import Transactions
from services.forms.definitions import Answer
from services.forms.flow import Progress

EXPIRY_DAYS = 7


def _view(row: FormProgress) -> Progress:
    return Progress(
        id=row.id,
        person_id=row.person_id,
        form_id=row.form_id,
        context=dict(row.context or {}),
        answers=dict(row.answers or {}),
        current=row.current_question,
        reviewing=row.reviewing,
        shown_message_id=row.message_id,
        step=row.step,
        submitted=row.submitted_at is not None,
    )


class FormProgressService:
    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    async def start(
        self,
        person_id: int,
        form_id: str,
        *,
        first: str | None,
        context: dict[str, Any],
        answers: dict[str, Answer],
        reviewing: bool = False,
    ) -> Progress:
        """A new form for the person, replacing the one in progress (if any); `first` None
        starts at the summary, `reviewing` returns to it after the first answer (an answer of a
        saved record being changed)."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            await session.execute(delete(FormProgress).where(FormProgress.person_id == person_id))
            row = FormProgress(
                person_id=person_id,
                form_id=form_id,
                context=context,
                answers=answers,
                current_question=first,
                reviewing=reviewing or first is None,
                message_id=None,
                step=0,
                started_at=now,
                updated_at=now,
                expires_at=now + timedelta(days=EXPIRY_DAYS),
            )
            session.add(row)
            await session.flush()
            return _view(row)

    async def current(self, person_id: int) -> Progress | None:
        """The person's form, submitted or not; None when there is none or it expired."""
        async with self._transactions.read() as session:
            row = await session.scalar(
                select(FormProgress).where(
                    FormProgress.person_id == person_id,
                    FormProgress.expires_at > self._clock.now(),
                )
            )
            return None if row is None else _view(row)

    async def save(self, progress: Progress, *, from_step: int) -> bool:
        """Store a changed form; False when another change from the same step came first."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            result = await session.execute(
                update(FormProgress)
                .where(
                    FormProgress.id == progress.id,
                    FormProgress.step == from_step,
                    FormProgress.submitted_at.is_(None),
                )
                .values(
                    # The context too: an edit's undo lives there.
                    context=progress.context,
                    answers=progress.answers,
                    current_question=progress.current,
                    reviewing=progress.reviewing,
                    message_id=progress.shown_message_id,
                    step=progress.step,
                    updated_at=now,
                    expires_at=now + timedelta(days=EXPIRY_DAYS),
                )
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0))

    async def shown(self, progress: Progress, message_id: int) -> None:
        """The current question reached the person's screen in this message."""
        async with self._transactions.write() as session:
            await session.execute(
                update(FormProgress)
                .where(FormProgress.id == progress.id, FormProgress.step == progress.step)
                .values(message_id=message_id)
                .execution_options(synchronize_session=False)
            )
        progress.shown_message_id = message_id

    async def claim(self, progress: Progress) -> bool:
        """Confirm pressed: True for the one press that submits, False for any other."""
        async with self._transactions.write() as session:
            result = await session.execute(
                update(FormProgress)
                .where(
                    FormProgress.id == progress.id,
                    FormProgress.step == progress.step,
                    FormProgress.current_question.is_(None),
                    FormProgress.submitted_at.is_(None),
                )
                .values(submitted_at=self._clock.now())
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0))

    async def release(self, progress: Progress) -> None:
        """Saving failed unexpectedly after the claim: the person may press Confirm again."""
        async with self._transactions.write() as session:
            await session.execute(
                update(FormProgress)
                .where(FormProgress.id == progress.id)
                .values(submitted_at=None)
                .execution_options(synchronize_session=False)
            )

    async def drop(self, person_id: int) -> bool:
        """Leave the form (/cancel, or a save the domain refused); True if there was one."""
        async with self._transactions.write() as session:
            result = await session.execute(
                delete(FormProgress).where(FormProgress.person_id == person_id)
            )
            return bool(getattr(result, "rowcount", 0))

    async def purge_expired(self) -> int:
        """Forget abandoned forms (and submitted ones past their week)."""
        async with self._transactions.write() as session:
            result = await session.execute(
                delete(FormProgress).where(FormProgress.expires_at <= self._clock.now())
            )
            return int(getattr(result, "rowcount", 0))
