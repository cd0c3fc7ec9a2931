"""The fields of a meeting a form may fill, with their bounds: the single source of every bound
the meeting forms show (the bot's forms in bot/meeting_forms.py add the words)."""

from __future__ import annotations

from models import MeetingFormat, MeetingKind
from services.forms.definitions import FormSpec, Question, QuestionKind

TOPIC_MAX = 200
NOTE_MAX = 1000
NEXT_STEP_MAX = 300
DURATION_MIN = 5
DURATION_MAX = 600
USEFULNESS_MAX = 5

# The fields of a meeting a form may fill, with their bounds; the bot's forms add the words.
# Question ids are the Meeting columns they fill.
FIELDS: dict[str, Question] = {
    question.id: question
    for question in (
        Question("held_on", QuestionKind.DATE, "", minimum=-365, maximum=0),
        Question(
            "kind", QuestionKind.CHOICE, "", options=tuple((kind.value, "") for kind in MeetingKind)
        ),
        Question("topic", QuestionKind.TEXT, "", max_length=TOPIC_MAX),
        Question(
            "meeting_format",
            QuestionKind.CHOICE,
            "",
            options=((MeetingFormat.IN_PERSON.value, ""), (MeetingFormat.ONLINE.value, "")),
        ),
        Question(
            "duration_minutes", QuestionKind.NUMBER, "", minimum=DURATION_MIN, maximum=DURATION_MAX
        ),
        Question("usefulness", QuestionKind.SCALE, "", minimum=1, maximum=USEFULNESS_MAX),
        Question("note", QuestionKind.TEXT, "", required=False, max_length=NOTE_MAX),
        Question("next_step", QuestionKind.TEXT, "", required=False, max_length=NEXT_STEP_MAX),
    )
}


def _spec(form_id: str, field_ids: tuple[str, ...]) -> FormSpec:
    return FormSpec(form_id, 1, tuple(FIELDS[field_id] for field_id in field_ids))


# The shared log entry of a meeting the check-in recorded ("Met"), as its author corrects it.
FEEDBACK_FIELDS = _spec("meeting_feedback", ("kind", "topic", "usefulness", "note", "next_step"))
# /meeting: a meeting recorded at any time.
RECORD_FIELDS = _spec(
    "meeting_record",
    ("held_on", "kind", "topic", "meeting_format", "duration_minutes", "usefulness", "note"),
)
