"""The meeting forms as data: the fields services/rhythm/meeting_fields.py defines (ids, kinds,
bounds), here given their words. They live under bot/ because that is where the message extractor
looks; the labels are msgids, translated by the form engine when a question is shown."""

from __future__ import annotations

from dataclasses import replace

from models import MeetingFormat, MeetingKind
from services.forms import registry
from services.forms.definitions import FormSpec, Question, lazy_gettext
from services.rhythm.meeting_fields import FEEDBACK_FIELDS, RECORD_FIELDS

LABELS = {
    "held_on": lazy_gettext("When did you meet?"),
    "kind": lazy_gettext("What kind of meeting was it?"),
    "topic": lazy_gettext("What was the meeting about? A few words."),
    "meeting_format": lazy_gettext("How did you meet?"),
    "duration_minutes": lazy_gettext("How long did the meeting last, in minutes?"),
    "usefulness": lazy_gettext("How useful was the meeting? 1 — not at all, 5 — very."),
    "note": lazy_gettext("A note about the meeting: what you discussed, what worked."),
    "next_step": lazy_gettext("What is the next step? For example, a task until the next meeting."),
}
OPTION_LABELS = {
    "kind": {
        MeetingKind.INTRODUCTION.value: lazy_gettext("Introductory meeting"),
        MeetingKind.PLANNING.value: lazy_gettext("Planning meeting"),
        MeetingKind.REGULAR.value: lazy_gettext("Regular meeting"),
        MeetingKind.FINAL.value: lazy_gettext("Final meeting"),
    },
    "meeting_format": {
        MeetingFormat.IN_PERSON.value: lazy_gettext("In person"),
        MeetingFormat.ONLINE.value: lazy_gettext("Online"),
    },
}


def _worded(question: Question) -> Question:
    options = OPTION_LABELS.get(question.id, {})
    return replace(
        question,
        label=LABELS[question.id],
        options=tuple((code, options[code]) for code, _blank in question.options),
    )


def _worded_spec(spec: FormSpec) -> FormSpec:
    return replace(spec, questions=tuple(_worded(question) for question in spec.questions))


# After "Met" in the check-in: type of meeting, topic, how useful, a note, the next step.
MEETING_FEEDBACK = registry.register(_worded_spec(FEEDBACK_FIELDS))
# /meeting: date, type, topic, format, duration, how useful, a note.
MEETING_RECORD = registry.register(_worded_spec(RECORD_FIELDS))
FORMS = {spec.id: spec for spec in (MEETING_FEEDBACK, MEETING_RECORD)}
