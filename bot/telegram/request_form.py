"""The /request form's answers and rules of moving through it, kept apart from the handlers.

A `Form` is what the FSM stores between messages: the draft, which questions are answered, and
whose request it is (the mentee's own, a curator's on a mentee's behalf, or a live request being
edited). The functions here turn a typed text or a button into a change of its draft and give
the question and problem texts of each step.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.telegram.labels import meeting_format_name
from bot.telegram.mentoring_labels import mentoring_type_name, topic_name, urgency_name
from bot.telegram.texts import no_visible_text
from models import MeetingFormat, MentoringType, RequestTopic, Urgency
from services.core.errors import StaleAction, ValidationFailed
from services.requests.draft import (
    DIFFICULTY_MAX,
    HOPES_MAX,
    TEXT_MIN,
    RequestDraft,
    clean_request_text,
)

STEPS = (
    "topics",
    "difficulty",
    "hopes",
    "meeting_format",
    "mentoring_type",
    "group_ok",
    "urgency",
)
SUMMARY = "summary"
TEXT_LIMITS = {"difficulty": DIFFICULTY_MAX, "hopes": HOPES_MAX}
TOPICS = tuple(topic.value for topic in RequestTopic)
# The button steps and the values each may take.
CHOICES: dict[str, tuple[str, ...]] = {
    "meeting_format": tuple(value.value for value in MeetingFormat),
    "mentoring_type": tuple(value.value for value in MentoringType),
    "group_ok": ("yes", "no"),
    "urgency": (Urgency.THIS_WEEK.value, Urgency.TWO_WEEKS.value, Urgency.MONTH.value),
}


@dataclass(slots=True)
class Form:
    """The form's FSM data."""

    draft: RequestDraft
    answered: set[str] = field(default_factory=set)
    # Editing a live request: the summary saves it instead of filing a new one.
    request_id: int | None = None
    # A curator filing on a mentee's behalf (after an interview).
    mentee_id: int | None = None
    mentee_name: str = ""
    # One answer is being changed from the summary; Back restores the snapshot.
    editing: bool = False
    snapshot: dict[str, Any] | None = None

    def to_state(self) -> dict[str, Any]:
        return {
            "draft": self.draft.to_state(),
            "answered": sorted(self.answered),
            "request_id": self.request_id,
            "mentee_id": self.mentee_id,
            "mentee_name": self.mentee_name,
            "editing": self.editing,
            "snapshot": self.snapshot,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Form:
        request_id = data["request_id"]
        mentee_id = data["mentee_id"]
        return cls(
            draft=RequestDraft.from_state(data["draft"]),
            answered=set(data["answered"]),
            request_id=int(request_id) if request_id is not None else None,
            mentee_id=int(mentee_id) if mentee_id is not None else None,
            mentee_name=str(data["mentee_name"]),
            editing=bool(data["editing"]),
            snapshot=data.get("snapshot"),
        )

    @classmethod
    def prefilled(cls, draft: RequestDraft, request_id: int) -> Form:
        """A live request to edit: every question answered, the summary comes first."""
        return cls(draft=draft, answered=set(STEPS), request_id=request_id)

    def next_step(self) -> str | None:
        """The first question not answered yet; None when the summary comes next."""
        missing = set(self.draft.missing())
        for step in STEPS:
            if step not in self.answered or step in missing:
                return step
        return None

    def can_go_back(self, step: str) -> bool:
        return self.editing or step != STEPS[0]

    def previous_step(self, step: str) -> str:
        if step not in STEPS or STEPS.index(step) == 0:
            raise StaleAction
        return STEPS[STEPS.index(step) - 1]

    def begin_edit(self) -> None:
        self.snapshot = {"draft": self.draft.to_state(), "answered": sorted(self.answered)}
        self.editing = True

    def end_edit(self) -> None:
        self.snapshot = None
        self.editing = False

    def undo_edit(self) -> None:
        if self.snapshot is not None:
            self.draft = RequestDraft.from_state(self.snapshot["draft"])
            self.answered = set(self.snapshot["answered"])
        self.end_edit()


def question(step: str) -> str:
    questions = {
        "topics": _("What do you need help with? Tick one or more topics, then press Done."),
        "difficulty": _(
            "What is hard for you right now? Describe it in your own words "
            "(up to {limit} characters)."
        ).format(limit=DIFFICULTY_MAX),
        "hopes": _("What do you hope to achieve with a mentor? (up to {limit} characters)").format(
            limit=HOPES_MAX
        ),
        "meeting_format": _("How would you prefer to meet?"),
        "mentoring_type": _("What kind of mentoring suits you?"),
        "group_ok": _("Would mentoring in a group (one mentor, several mentees) suit you?"),
        "urgency": _("How soon do you need help?"),
    }
    return questions[step]


def current_answer(form: Form, step: str) -> str | None:
    """A typed answer given before (Back or Edit), so the person sees what they change."""
    if step not in form.answered or step not in TEXT_LIMITS:
        return None
    value: str | None = getattr(form.draft, step)
    return value


def _length(text: str) -> int:
    """The length the rules count: the text as it would be stored."""
    try:
        return len(clean_request_text(text, "text", sys.maxsize))
    except ValidationFailed:
        return len(text.strip())


def apply_text(form: Form, step: str, text: str) -> None:
    """A typed answer to a free-text question; ValidationFailed when it breaks a rule."""
    if step not in TEXT_LIMITS:
        raise LookupError(step)
    cleaned = clean_request_text(text, step, TEXT_LIMITS[step])
    form.draft = form.draft.with_changes(**{step: cleaned})
    form.answered.add(step)


def problem_text(reason: str, step: str, text: str) -> str:
    """What was wrong with a typed answer, with the limit and the length sent."""
    length = _length(text)
    if reason == "empty":
        return no_visible_text()
    if reason == "too_long":
        return ngettext(
            "That is too long: {length} character, and at most {limit} fit. Please shorten it.",
            "That is too long: {length} characters, and at most {limit} fit. Please shorten it.",
            length,
        ).format(length=length, limit=TEXT_LIMITS[step])
    return ngettext(
        "That is too short: {length} character. Please write at least {minimum}.",
        "That is too short: {length} characters. Please write at least {minimum}.",
        length,
    ).format(length=length, minimum=TEXT_MIN)


def toggle(form: Form, value: str) -> None:
    """Tick or untick a topic; stored in the order of the buttons."""
    if value not in TOPICS:
        raise StaleAction
    chosen = set(form.draft.topics) ^ {value}
    form.draft = form.draft.with_changes(topics=tuple(t for t in TOPICS if t in chosen))


def choose(form: Form, step: str, value: str) -> None:
    """A button answer to a one-choice question."""
    if value not in CHOICES.get(step, ()):
        raise StaleAction
    if step == "meeting_format":
        form.draft = form.draft.with_changes(meeting_format=MeetingFormat(value))
    elif step == "mentoring_type":
        form.draft = form.draft.with_changes(mentoring_type=MentoringType(value))
    elif step == "group_ok":
        form.draft = form.draft.with_changes(group_ok=value == "yes")
    else:
        form.draft = form.draft.with_changes(urgency=Urgency(value))
    form.answered.add(step)


def group_name(group_ok: bool | None) -> str:
    return _("acceptable") if group_ok else _("one-to-one only")


def field_name(step: str) -> str:
    """The short name of an answer, on the summary's Edit buttons."""
    names = {
        "topics": _("Topics"),
        "difficulty": _("What is hard"),
        "hopes": _("Hopes"),
        "meeting_format": _("Format"),
        "mentoring_type": _("Type"),
        "group_ok": _("Group"),
        "urgency": _("Urgency"),
    }
    return names[step]


def display(draft: RequestDraft) -> dict[str, Any]:
    """The answers in words of the current language, for the summary and the request."""
    return {
        "topics": [topic_name(topic) for topic in draft.topics],
        "difficulty": draft.difficulty or "",
        "hopes": draft.hopes or "",
        "format": meeting_format_name(draft.meeting_format) if draft.meeting_format else "",
        "type": mentoring_type_name(draft.mentoring_type) if draft.mentoring_type else "",
        "group": group_name(draft.group_ok),
        "urgency": urgency_name(draft.urgency) if draft.urgency else "",
    }
