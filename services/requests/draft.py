"""The mentee's request as it is being filled in, and the rules each answer must meet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from models import MeetingFormat, MentoringType, RequestTopic, Urgency
from services.core.errors import ValidationFailed
from services.core.text import clean_text

TEXT_MIN = 3
DIFFICULTY_MAX = 1000
HOPES_MAX = 1000


def clean_request_text(value: str, field_name: str, limit: int) -> str:
    """Free text as the mentee wrote it, tidied: line breaks kept, invisible characters dropped."""
    return clean_text(
        value, field=field_name, min_length=TEXT_MIN, max_length=limit, multiline=True
    )


@dataclass(frozen=True, slots=True)
class RequestDraft:
    topics: tuple[str, ...] = ()
    difficulty: str | None = None
    hopes: str | None = None
    meeting_format: MeetingFormat | None = None
    mentoring_type: MentoringType | None = None
    group_ok: bool | None = None
    urgency: Urgency | None = None

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> RequestDraft:
        return cls(
            topics=tuple(data.get("topics") or ()),
            difficulty=data.get("difficulty"),
            hopes=data.get("hopes"),
            meeting_format=MeetingFormat(data["meeting_format"])
            if data.get("meeting_format")
            else None,
            mentoring_type=MentoringType(data["mentoring_type"])
            if data.get("mentoring_type")
            else None,
            group_ok=data.get("group_ok"),
            urgency=Urgency(data["urgency"]) if data.get("urgency") else None,
        )

    def with_changes(self, **changes: Any) -> RequestDraft:
        return replace(self, **changes)

    def missing(self) -> list[str]:
        """Unanswered questions, in the order the form asks them."""
        answers: list[tuple[str, object]] = [
            ("topics", self.topics),
            ("difficulty", self.difficulty),
            ("hopes", self.hopes),
            ("meeting_format", self.meeting_format),
            ("mentoring_type", self.mentoring_type),
            ("group_ok", self.group_ok),
            ("urgency", self.urgency),
        ]
        return [name for name, value in answers if value is None or value == ()]

    def validate(self) -> None:
        missing = self.missing()
        if missing:
            raise ValidationFailed(missing[0], "missing")
        known = {topic.value for topic in RequestTopic}
        if not set(self.topics) <= known:
            raise ValidationFailed("topics", "invalid")
        assert self.difficulty is not None
        assert self.hopes is not None
        clean_request_text(self.difficulty, "difficulty", DIFFICULTY_MAX)
        clean_request_text(self.hopes, "hopes", HOPES_MAX)


def draft_from_answers(answers: Mapping[str, Any]) -> RequestDraft:
    """The request as the form's answers give it (codes as the form stores them; topics in the
    order of RequestTopic whatever the order of the taps)."""
    chosen = {str(topic) for topic in answers.get("topics") or ()}
    group = answers.get("group_ok")
    return RequestDraft.from_state(
        {
            "topics": [topic.value for topic in RequestTopic if topic.value in chosen],
            "difficulty": answers.get("difficulty"),
            "hopes": answers.get("hopes"),
            "meeting_format": answers.get("meeting_format"),
            "mentoring_type": answers.get("mentoring_type"),
            "group_ok": None if group is None else group == "yes",
            "urgency": answers.get("urgency"),
        }
    )


def answers_of(draft: RequestDraft) -> dict[str, Any]:
    """A saved request as the form's answers, to change it."""
    return {
        "topics": list(draft.topics),
        "difficulty": draft.difficulty,
        "hopes": draft.hopes,
        "meeting_format": draft.meeting_format.value if draft.meeting_format else None,
        "mentoring_type": draft.mentoring_type.value if draft.mentoring_type else None,
        "group_ok": None if draft.group_ok is None else ("yes" if draft.group_ok else "no"),
        "urgency": draft.urgency.value if draft.urgency else None,
    }
