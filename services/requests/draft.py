"""The mentee's request as it is being filled in, and the rules each answer must meet."""

from __future__ import annotations

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
