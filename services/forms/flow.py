"""Where a form goes next: which questions its show-if conditions leave visible, the next and the
previous one, the progress ("3 of 8"), and each step applied to a form in progress. Pure
functions over `Progress`; services/forms/progress.py keeps it in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.core.errors import StaleAction, ValidationFailed
from services.forms.definitions import (
    Answer,
    FormSpec,
    Question,
    QuestionKind,
    add_other,
    drop_other,
    stored,
    toggle,
    validate,
)


@dataclass(slots=True)
class Progress:
    """A form being answered by one person, as the database keeps it."""

    id: int
    person_id: int
    form_id: str
    # What the form is about, as its starter gave it (a pair, a meeting, edit or create) and
    # the options of choices resolved when it started ("options": {question id: [[code, label]]}).
    context: dict[str, Any]
    answers: dict[str, Answer]
    current: str | None  # the question on screen; None: the summary
    # The summary was reached once: after an answer, return to it instead of walking on.
    reviewing: bool
    # The message that shows the current question; None until it was delivered.
    shown_message_id: int | None
    step: int  # bumped by every change: two changes from the same screen cannot both apply
    submitted: bool = False

    @property
    def options(self) -> dict[str, list[list[str]]]:
        return dict(self.context.get("options", {}))

    @property
    def editing(self) -> str | None:
        """The question being changed from the summary (or, live, from a view screen): Back
        undoes the change instead of walking to the previous question."""
        edit = self.context.get(EDIT)
        return str(edit["question"]) if isinstance(edit, dict) else None

    @property
    def live(self) -> bool:
        """One answer of a saved record is being changed: it is saved as soon as it is given."""
        return bool(self.context.get(LIVE))


# Keys of Progress.context the engine itself keeps.
EDIT = "edit"  # {"question": id, "answers": the answers before the edit}
LIVE = "live"
FIXED = "fixed"  # ids of questions answered when the form started and not asked (an invite's role)
# A button that takes a typed "other" of a multiple choice out: OTHER_PREFIX + its index.
OTHER_PREFIX = "x"


def visible(spec: FormSpec, answers: dict[str, Answer]) -> list[Question]:
    """The questions asked with these answers, in order."""
    return [
        question
        for question in spec.questions
        if question.show_if is None or question.show_if.holds(answers)
    ]


def asked(spec: FormSpec, progress: Progress) -> list[Question]:
    """The visible questions the person answers (not the fixed ones), in order."""
    fixed = set(progress.context.get(FIXED, ()))
    return [question for question in visible(spec, progress.answers) if question.id not in fixed]


def first(spec: FormSpec, answers: dict[str, Answer], fixed: tuple[str, ...] = ()) -> str:
    return next(question.id for question in visible(spec, answers) if question.id not in fixed)


def first_unanswered(spec: FormSpec, answers: dict[str, Answer]) -> str | None:
    """The first question to ask that has no answer yet (a skipped one has None: answered)."""
    return next(
        (question.id for question in visible(spec, answers) if question.id not in answers), None
    )


def position(spec: FormSpec, progress: Progress) -> tuple[int, int]:
    """(number of the current question among the asked ones, how many are asked)."""
    ids = [question.id for question in asked(spec, progress)]
    number = ids.index(progress.current) + 1 if progress.current in ids else len(ids)
    return number, len(ids)


def _after(spec: FormSpec, progress: Progress) -> str | None:
    ids = [question.id for question in asked(spec, progress)]
    if progress.reviewing:
        # Back to the summary, unless an answer made a new question appear.
        for question_id in ids:
            if question_id not in progress.answers:
                return question_id
        return None
    if progress.current not in ids:
        return None
    index = ids.index(progress.current)
    return ids[index + 1] if index + 1 < len(ids) else None


def previous(spec: FormSpec, progress: Progress) -> str | None:
    """The question Back leads to; None on the first one."""
    if progress.editing is not None and progress.editing == progress.current:
        return None
    ids = [question.id for question in asked(spec, progress)]
    if progress.current is None:
        return ids[-1]
    if progress.current not in ids:
        return None
    index = ids.index(progress.current)
    return ids[index - 1] if index > 0 else None


def can_go_back(spec: FormSpec, progress: Progress) -> bool:
    """Whether the screen shows Back: to the previous question, or to undo an edit."""
    if progress.editing is not None and progress.editing == progress.current:
        return True
    return previous(spec, progress) is not None


def _moved(progress: Progress, current: str | None) -> None:
    progress.current = current
    if current is None:
        progress.reviewing = True
        progress.context.pop(EDIT, None)
    progress.shown_message_id = None
    progress.step += 1


def _current(spec: FormSpec, progress: Progress, question_id: str) -> Question:
    """The question being answered; a button or a message for another one is stale."""
    if progress.submitted or progress.current is None or progress.current != question_id:
        raise StaleAction
    return spec.question(question_id)


def answer(spec: FormSpec, progress: Progress, question_id: str, raw: str, *, today: date) -> None:
    """A typed answer or a pressed option: kept, and the form moves on (a multiple choice
    stays on its question: a press toggles, typed text adds an "other")."""
    question = _current(spec, progress, question_id)
    if question.kind == QuestionKind.MULTI:
        chosen = list(progress.answers.get(question.id) or [])
        if raw in dict(question.options):
            chosen = toggle(question, chosen, raw)
        else:
            chosen = add_other(question, chosen, raw, progress.answers)
        progress.answers[question.id] = chosen
        progress.step += 1
        return
    value = validate(question, raw, today=today, answers=progress.answers)
    progress.answers[question.id] = stored(value)
    _drop_hidden(spec, progress)
    _drop_contradicted(spec, progress, question.id, today)
    _moved(progress, _after(spec, progress))


def untick_other(spec: FormSpec, progress: Progress, question_id: str, index: int) -> None:
    """A typed "other" of a multiple choice pressed (it is shown ticked): taken out."""
    question = _current(spec, progress, question_id)
    if question.kind != QuestionKind.MULTI:
        raise StaleAction
    chosen = list(progress.answers.get(question.id) or [])
    progress.answers[question.id] = drop_other(question, chosen, index)
    progress.step += 1


def done(spec: FormSpec, progress: Progress, question_id: str) -> None:
    """Done under a multiple choice."""
    question = _current(spec, progress, question_id)
    if question.required and not progress.answers.get(question.id):
        raise ValidationFailed(question.id, "empty")
    progress.answers.setdefault(question.id, None)
    _drop_hidden(spec, progress)
    _moved(progress, _after(spec, progress))


def skip(spec: FormSpec, progress: Progress, question_id: str) -> None:
    question = _current(spec, progress, question_id)
    if question.required:
        raise StaleAction
    progress.answers[question.id] = None
    _drop_hidden(spec, progress)
    _moved(progress, _after(spec, progress))


def keep(spec: FormSpec, progress: Progress, question_id: str) -> None:
    """Keep the answer given before (a correction pre-fills them)."""
    question = _current(spec, progress, question_id)
    if progress.answers.get(question.id) is None:
        raise StaleAction
    _moved(progress, _after(spec, progress))


def back(spec: FormSpec, progress: Progress, question_id: str | None) -> None:
    """Back from the question on screen (None: from the summary)."""
    if progress.submitted or progress.current != question_id:
        raise StaleAction
    edit = progress.context.get(EDIT)
    if isinstance(edit, dict) and edit.get("question") == question_id:
        # Back from an edit: the answers as they were before it, and the summary again.
        progress.answers = dict(edit.get("answers") or {})
        _moved(progress, None)
        return
    target = previous(spec, progress)
    if target is None:
        raise StaleAction
    _moved(progress, target)


def edit(spec: FormSpec, progress: Progress, question_id: str) -> None:
    """Edit under the summary: that question again, then back to the summary."""
    if progress.submitted or progress.current is not None:
        raise StaleAction
    if question_id not in {question.id for question in asked(spec, progress)}:
        raise StaleAction
    begin_edit(progress, question_id)
    _moved(progress, question_id)


def begin_edit(progress: Progress, question_id: str) -> None:
    """Remember the answers before changing one, so that Back can undo the change."""
    progress.context[EDIT] = {"question": question_id, "answers": dict(progress.answers)}


def _drop_contradicted(spec: FormSpec, progress: Progress, changed: str, today: date) -> None:
    """Typed answers whose rule depends on other answers are checked again after a change (a
    total experience now shorter than the years in this organisation): one that no longer
    holds is forgotten, so that its question is asked again."""
    for question in visible(spec, progress.answers):
        value = progress.answers.get(question.id)
        if (
            question.id == changed
            or question.validator is None
            or question.kind not in (QuestionKind.TEXT, QuestionKind.NUMBER)
            or value is None
        ):
            continue
        try:
            validate(question, str(value), today=today, answers=progress.answers)
        except ValidationFailed:
            progress.answers.pop(question.id, None)


def _drop_hidden(spec: FormSpec, progress: Progress) -> None:
    """Answers of questions a changed answer now hides are forgotten, so they are neither shown
    in the summary nor saved."""
    shown = {question.id for question in visible(spec, progress.answers)}
    for question in spec.questions:
        if question.id not in shown:
            progress.answers.pop(question.id, None)
