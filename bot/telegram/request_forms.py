"""The /request form as data (topics → what is hard → hopes → format → type → group → urgency),
asked by the one form engine; its own summary (the request as the mentee and the curator see it)
and the words for a typed answer's length. The rules of each answer are services/requests/draft.py.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.telegram.forms import problem_words
from bot.telegram.labels import MEETING_FORMAT_OPTIONS, meeting_format_name
from bot.telegram.mentoring_labels import mentoring_type_name, topic_name, urgency_name
from bot.telegram.texts import Texts, no_visible_text
from models import MentoringType, RequestTopic, Urgency
from services.core.errors import ValidationFailed
from services.forms import registry
from services.forms.definitions import (
    Answer,
    FormSpec,
    Question,
    QuestionKind,
    lazy_gettext,
    register_validator,
)
from services.forms.flow import Progress
from services.requests.draft import (
    DIFFICULTY_MAX,
    HOPES_MAX,
    TEXT_MIN,
    RequestDraft,
    clean_request_text,
    draft_from_answers,
)

URGENCIES = (Urgency.THIS_WEEK, Urgency.TWO_WEEKS, Urgency.MONTH)


def _difficulty(raw: str, answers: Mapping[str, Answer]) -> Answer:
    return clean_request_text(raw, "difficulty", DIFFICULTY_MAX)


def _hopes(raw: str, answers: Mapping[str, Answer]) -> Answer:
    return clean_request_text(raw, "hopes", HOPES_MAX)


register_validator("request_difficulty", _difficulty)
register_validator("request_hopes", _hopes)

REQUEST = registry.register(
    FormSpec(
        "request",
        1,
        (
            Question(
                "topics",
                QuestionKind.MULTI,
                lazy_gettext(
                    "What do you need help with? Tick one or more topics, then press Done."
                ),
                # Given their words (capitalised names) when the form starts.
                options=tuple((topic.value, topic.value) for topic in RequestTopic),
                messages=(("empty", lazy_gettext("Please tick at least one topic.")),),
                detail="",
                short_label=lazy_gettext("Topics"),
            ),
            Question(
                "difficulty",
                QuestionKind.TEXT,
                lazy_gettext(
                    "What is hard for you right now? Describe it in your own words "
                    "(up to {limit} characters)."
                ),
                max_length=DIFFICULTY_MAX,
                validator="request_difficulty",
                detail="",
                short_label=lazy_gettext("What is hard"),
            ),
            Question(
                "hopes",
                QuestionKind.TEXT,
                lazy_gettext(
                    "What do you hope to achieve with a mentor? (up to {limit} characters)"
                ),
                max_length=HOPES_MAX,
                validator="request_hopes",
                detail="",
                short_label=lazy_gettext("Hopes"),
            ),
            Question(
                "meeting_format",
                QuestionKind.CHOICE,
                lazy_gettext("How would you prefer to meet?"),
                options=MEETING_FORMAT_OPTIONS,
                short_label=lazy_gettext("Format"),
            ),
            Question(
                "mentoring_type",
                QuestionKind.CHOICE,
                lazy_gettext("What kind of mentoring suits you?"),
                options=tuple((kind.value, kind.value) for kind in MentoringType),
                short_label=lazy_gettext("Type"),
            ),
            Question(
                "group_ok",
                QuestionKind.CHOICE,
                lazy_gettext("Would mentoring in a group (one mentor, several mentees) suit you?"),
                options=(
                    ("yes", lazy_gettext("Yes, a group is fine")),
                    ("no", lazy_gettext("No, one-to-one only")),
                ),
                short_label=lazy_gettext("Group"),
            ),
            Question(
                "urgency",
                QuestionKind.CHOICE,
                lazy_gettext("How soon do you need help?"),
                options=tuple((urgency.value, urgency.value) for urgency in URGENCIES),
                short_label=lazy_gettext("Urgency"),
            ),
        ),
    )
)


def request_options() -> dict[str, list[list[str]]]:
    """The options whose words are the names used everywhere else, capitalised for a button,
    in the current language."""
    return {
        "topics": [[topic.value, topic_name(topic).capitalize()] for topic in RequestTopic],
        "mentoring_type": [
            [kind.value, mentoring_type_name(kind).capitalize()] for kind in MentoringType
        ],
        "urgency": [[urgency.value, urgency_name(urgency).capitalize()] for urgency in URGENCIES],
    }


def group_name(group_ok: bool | None) -> str:
    return _("acceptable") if group_ok else _("one-to-one only")


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


def summary(texts: Texts, progress: Progress, hint: str | None) -> str:
    """The request as it will be filed (or saved, when a live one is changed)."""
    return texts.render(
        "requests/summary.j2",
        r=display(draft_from_answers(progress.answers)),
        mentee_name=progress.context.get("mentee_name", ""),
        saving=progress.context.get("request_id") is not None,
        hint=hint,
    )


def submit_label() -> str:
    return "✅ " + _("Submit")


def _length(text: str) -> int:
    """The length the rules count: the text as it would be stored."""
    try:
        return len(clean_request_text(text, "text", sys.maxsize))
    except ValidationFailed:
        return len(text.strip())


@problem_words("request_difficulty")
@problem_words("request_hopes")
def problem_text(
    question: Question, reason: str, text: str, answers: dict[str, Answer] | None = None
) -> str:
    """What was wrong with a typed answer, with the limit and the length sent."""
    if reason == "empty":
        return no_visible_text()
    length = _length(text)
    if reason == "too_long":
        return ngettext(
            "That is too long: {length} character, and at most {limit} fit. Please shorten it.",
            "That is too long: {length} characters, and at most {limit} fit. Please shorten it.",
            length,
        ).format(length=length, limit=question.max_length)
    return ngettext(
        "That is too short: {length} character. Please write at least {minimum}.",
        "That is too short: {length} characters. Please write at least {minimum}.",
        length,
    ).format(length=length, minimum=TEXT_MIN)
