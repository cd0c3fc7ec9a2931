"""The form in progress in the database: one row per person, replaced by a new form, expiring
after EXPIRY_DAYS untouched, kept (marked submitted) after Confirm so a second press cannot save
twice. Every change is conditional on the step it was made from, so two presses of one screen
cannot both apply.

Every change goes through this service, so it also remembers each form as last written or read
and a step needs no read of its own (`FormMemory`)."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, bindparam, delete, select, update

from models import FormProgress
from services.core.clock import Clock
from services.core.transactions import (
    REMEMBERED_BY_WRITER,
    UNKNOWN_TABLE,
    CommittedWrites,
    Transactions,
)
from services.forms.definitions import Answer
from services.forms.flow import Progress

EXPIRY_DAYS = 7
# Forms remembered at most; a form not remembered is read from the database.
MAX_REMEMBERED = 10_000
# Marks this service's own statements, which it remembers the outcome of; a commit of any other
# write to the table (a withdrawal erasing the person's form) forgets what is remembered.
_OWN = {REMEMBERED_BY_WRITER: True}
_TABLES = frozenset([FormProgress.__tablename__, UNKNOWN_TABLE])


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


def _copy(progress: Progress) -> Progress:
    # The context and answers are JSON (the database keeps them so); a JSON round trip copies
    # them several times faster than `copy.deepcopy`.
    return replace(
        progress,
        context=json.loads(json.dumps(progress.context)),
        answers=json.loads(json.dumps(progress.answers)),
    )


# A step's two writes, built once (building costs more than running them) and run without an
# ORM session (`Transactions.write_one`): this service remembers what they wrote.
_COLUMNS = FormProgress.__table__.c


def _new(column: str) -> BindParameter[Any]:
    """A parameter for a new value, typed like its column (JSON, UTC datetimes)."""
    return bindparam(f"new_{column}", type_=_COLUMNS[column].type)


_SAVE = (
    update(FormProgress)
    .where(
        FormProgress.id == bindparam("form"),
        FormProgress.step == bindparam("from_step"),
        FormProgress.submitted_at.is_(None),
    )
    .values(
        {
            column: _new(column)
            for column in (
                "context",
                "answers",
                "current_question",
                "reviewing",
                "message_id",
                "step",
                "updated_at",
                "expires_at",
            )
        }
    )
)
_SHOWN = (
    update(FormProgress)
    .where(FormProgress.id == bindparam("form"), FormProgress.step == bindparam("at_step"))
    .values(message_id=_new("message_id"))
)


class FormMemory:
    """Person id → their form as last written or read by this process, and when it expires.

    What is handed out is a copy: a step changes its progress before the change is known to be
    stored. A read that began before a change of this process does not store what it read
    (`token`), so a slow read cannot bring back a form just replaced.
    """

    def __init__(self) -> None:
        self._forms: OrderedDict[int, tuple[Progress, datetime]] = OrderedDict()
        self._generation = 0

    def token(self) -> int:
        return self._generation

    def get(self, person_id: int, now: datetime) -> Progress | None:
        entry = self._forms.get(person_id)
        if entry is None:
            return None
        progress, expires_at = entry
        if expires_at <= now:
            del self._forms[person_id]
            return None
        self._forms.move_to_end(person_id)
        return _copy(progress)

    def has(self, person_id: int) -> bool:
        return person_id in self._forms

    def put(self, progress: Progress, expires_at: datetime, *, token: int | None = None) -> None:
        if token is not None and token != self._generation:
            return
        self._forms[progress.person_id] = (_copy(progress), expires_at)
        self._forms.move_to_end(progress.person_id)
        while len(self._forms) > MAX_REMEMBERED:
            self._forms.popitem(last=False)

    def shown(self, person_id: int, step: int, message_id: int) -> None:
        entry = self._forms.get(person_id)
        if entry is not None and entry[0].step == step:
            entry[0].shown_message_id = message_id

    def forget(self, person_id: int) -> None:
        self._generation += 1
        self._forms.pop(person_id, None)

    def forget_everyone(self) -> None:
        self._generation += 1
        self._forms.clear()

    def note(self, writes: CommittedWrites) -> None:
        """A commit that touched forms other than through this service's marked statements."""
        if writes.tables & _TABLES:
            self.forget_everyone()
            return
        for row in writes.rows:
            if isinstance(row, FormProgress):
                self.forget(row.person_id)


class FormProgressService:
    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock
        self._memory = FormMemory()
        transactions.on_commit(self._memory.note)

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
        self._memory.forget(person_id)
        async with self._transactions.write() as session:
            await session.execute(
                delete(FormProgress)
                .where(FormProgress.person_id == person_id)
                .execution_options(**_OWN)
            )
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
            progress = _view(row)
        # After the commit, which reported the new row and so forgot the person.
        self._memory.put(progress, row.expires_at)
        return progress

    async def current(self, person_id: int) -> Progress | None:
        """The person's form, submitted or not; None when there is none or it expired."""
        now = self._clock.now()
        remembered = self._memory.get(person_id, now)
        if remembered is not None:
            return remembered
        token = self._memory.token()
        async with self._transactions.read() as session:
            row = await session.scalar(
                select(FormProgress).where(
                    FormProgress.person_id == person_id, FormProgress.expires_at > now
                )
            )
            if row is None:
                return None
            progress = _view(row)
        self._memory.put(progress, row.expires_at, token=token)
        return progress

    async def save(self, progress: Progress, *, from_step: int) -> bool:
        """Store a changed form; False when another change from the same step came first."""
        now = self._clock.now()
        self._memory.forget(progress.person_id)
        expires_at = now + timedelta(days=EXPIRY_DAYS)
        saved = (
            await self._transactions.write_one(
                _SAVE,
                {
                    "form": progress.id,
                    "from_step": from_step,
                    # The context too: an edit's undo lives there.
                    "new_context": progress.context,
                    "new_answers": progress.answers,
                    "new_current_question": progress.current,
                    "new_reviewing": progress.reviewing,
                    "new_message_id": progress.shown_message_id,
                    "new_step": progress.step,
                    "new_updated_at": now,
                    "new_expires_at": expires_at,
                },
            )
            > 0
        )
        if saved:
            self._memory.put(progress, expires_at)
        return saved

    async def shown(self, progress: Progress, message_id: int) -> None:
        """The current question reached the person's screen in this message."""
        marked = (
            await self._transactions.write_one(
                _SHOWN,
                {"form": progress.id, "at_step": progress.step, "new_message_id": message_id},
            )
            > 0
        )
        progress.shown_message_id = message_id
        if marked:
            self._memory.shown(progress.person_id, progress.step, message_id)
        else:
            self._memory.forget(progress.person_id)

    async def claim(self, progress: Progress) -> bool:
        """Confirm pressed: True for the one press that submits, False for any other."""
        self._memory.forget(progress.person_id)
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
        self._memory.forget(progress.person_id)
        async with self._transactions.write() as session:
            await session.execute(
                update(FormProgress)
                .where(FormProgress.id == progress.id)
                .values(submitted_at=None)
                .execution_options(synchronize_session=False)
            )

    async def drop(self, person_id: int) -> bool:
        """Leave the form (/cancel, or a save the domain refused); True if there was one."""
        self._memory.forget(person_id)
        async with self._transactions.write() as session:
            result = await session.execute(
                delete(FormProgress).where(FormProgress.person_id == person_id)
            )
            return bool(getattr(result, "rowcount", 0))

    async def purge_expired(self) -> int:
        """Forget abandoned forms (and submitted ones past their week)."""
        async with self._transactions.write() as session:
            result = await session.execute(
                delete(FormProgress)
                .where(FormProgress.expires_at <= self._clock.now())
                # Only forms already expired, which the memory does not hand out either.
                .execution_options(**_OWN)
            )
            return int(getattr(result, "rowcount", 0))
