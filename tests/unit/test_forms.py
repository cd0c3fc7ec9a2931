"""Forms as data: every kind of question, its bounds, required and optional answers, the
round trip through the FSM data, and the meeting forms built from the meeting fields."""

from __future__ import annotations

from datetime import date

import pytest

from bot.telegram.callbacks import FormAnswerCallback
from bot.telegram.keyboards.meetings import MeetingPageCallback
from bot.telegram.meeting_forms import FORMS, MEETING_FEEDBACK, MEETING_RECORD
from services.core.errors import ValidationFailed
from services.forms.definitions import (
    FormSpec,
    Question,
    QuestionKind,
    check_answers,
    stored,
    validate,
)
from services.rhythm.meeting_fields import FEEDBACK_FIELDS, RECORD_FIELDS

TODAY = date(2026, 9, 1)
CHOICE = Question("kind", QuestionKind.CHOICE, "Kind?", options=(("a", "A"), ("b", "B")))
SCALE = Question("useful", QuestionKind.SCALE, "Useful?", minimum=1, maximum=5)
TEXT = Question("topic", QuestionKind.TEXT, "Topic?", max_length=10)
NOTE = Question("note", QuestionKind.TEXT, "Note?", required=False, max_length=10)
WHEN = Question("held_on", QuestionKind.DATE, "When?")
MINUTES = Question("minutes", QuestionKind.NUMBER, "Minutes?", minimum=5, maximum=600)


def reason(question: Question, raw: str) -> str:
    with pytest.raises(ValidationFailed) as problem:
        validate(question, raw, today=TODAY)
    assert problem.value.field == question.id
    return problem.value.reason


def test_choice_accepts_only_its_codes() -> None:
    assert validate(CHOICE, "b") == "b"
    assert reason(CHOICE, "c") == "not_an_option"
    assert reason(CHOICE, "A") == "not_an_option"  # a label is not a code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", 1), ("5", 5), (" 3 ", 3)],
)
def test_scale_within_bounds(raw: str, expected: int) -> None:
    assert validate(SCALE, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", "too_small"), ("6", "too_large"), ("three", "not_a_number"), ("3.5", "not_a_number")],
)
def test_scale_out_of_bounds(raw: str, expected: str) -> None:
    assert reason(SCALE, raw) == expected


def test_text_is_trimmed_and_bounded() -> None:
    assert validate(TEXT, "  hello  ") == "hello"
    assert validate(TEXT, "x" * 10) == "x" * 10
    assert reason(TEXT, "x" * 11) == "too_long"
    assert reason(TEXT, "   ") == "empty"
    # Markup is kept as typed: escaping is the template's job.
    assert validate(TEXT, "<b>a</b>") == "<b>a</b>"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("today", TODAY),
        ("yesterday", date(2026, 8, 31)),
        ("01.09.2026", TODAY),
        ("1.9.2026", TODAY),
        ("02.09.2025", date(2025, 9, 2)),
        ("31/08/2026", date(2026, 8, 31)),
    ],
)
def test_date_in_the_last_year(raw: str, expected: date) -> None:
    assert validate(WHEN, raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02.09.2026", "future"),
        ("31.08.2025", "too_old"),
        ("31.02.2026", "format"),
        ("2026-09-01", "format"),
        ("вчера", "format"),
        ("", "format"),
    ],
)
def test_date_problems(raw: str, expected: str) -> None:
    assert reason(WHEN, raw) == expected


def test_date_bounds_can_look_ahead() -> None:
    ahead = Question("due", QuestionKind.DATE, "Due?", minimum=0, maximum=30)
    assert validate(ahead, "01.10.2026", today=TODAY) == date(2026, 10, 1)
    assert reason(ahead, "02.10.2026") == "too_late"
    assert reason(ahead, "31.08.2026") == "too_old"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("5", 5), ("600", 600), ("45", 45)],
)
def test_number_within_bounds(raw: str, expected: int) -> None:
    assert validate(MINUTES, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("4", "too_small"), ("601", "too_large"), ("45 мин", "not_a_number"), ("", "not_a_number")],
)
def test_number_problems(raw: str, expected: str) -> None:
    assert reason(MINUTES, raw) == expected


def test_questions_reject_bad_definitions() -> None:
    with pytest.raises(ValueError, match="option code"):
        Question("q", QuestionKind.CHOICE, "Q?", options=(("skip", "Skip"),))
    with pytest.raises(ValueError, match="distinct options"):
        Question("q", QuestionKind.CHOICE, "Q?", options=(("a", "A"), ("a", "B")))
    with pytest.raises(ValueError, match="minimum <= maximum"):
        Question("q", QuestionKind.SCALE, "Q?", minimum=5, maximum=1)
    with pytest.raises(ValueError, match="max_length"):
        Question("q", QuestionKind.TEXT, "Q?")
    with pytest.raises(ValueError, match="question id"):
        Question("Bad id", QuestionKind.TEXT, "Q?", max_length=5)
    with pytest.raises(ValueError, match="distinct ids"):
        FormSpec("f", 1, (TEXT, TEXT))


def test_spec_survives_the_fsm_data() -> None:
    spec = FormSpec("test", 3, (CHOICE, SCALE, TEXT, NOTE, WHEN, MINUTES))
    assert FormSpec.from_data(spec.to_data()) == spec
    assert stored(date(2026, 8, 31)) == "2026-08-31"
    assert stored(4) == 4


def test_check_answers_required_optional_unknown() -> None:
    spec = FormSpec("test", 1, (TEXT, NOTE, WHEN))
    answers = check_answers(spec, {"topic": "Hi", "held_on": "2026-08-31"}, today=TODAY)
    assert answers == {"topic": "Hi", "note": None, "held_on": "2026-08-31"}
    with pytest.raises(ValidationFailed) as problem:
        check_answers(spec, {"note": "x"}, today=TODAY)
    assert (problem.value.field, problem.value.reason) == ("topic", "empty")
    with pytest.raises(ValidationFailed) as problem:
        check_answers(spec, {"topic": "Hi", "held_on": "2026-08-31", "extra": 1}, today=TODAY)
    assert problem.value.reason == "unknown"
    with pytest.raises(ValidationFailed) as problem:
        check_answers(spec, {"topic": "Hi", "held_on": "2026-09-02"}, today=TODAY)
    assert problem.value.reason == "future"


def test_meeting_forms_are_the_meeting_fields_with_words() -> None:
    assert [q.id for q in MEETING_FEEDBACK.questions] == [
        "kind",
        "topic",
        "usefulness",
        "note",
        "next_step",
    ]
    assert [q.id for q in MEETING_RECORD.questions] == [
        "held_on",
        "kind",
        "topic",
        "meeting_format",
        "duration_minutes",
        "usefulness",
        "note",
    ]
    for worded, bare in ((MEETING_FEEDBACK, FEEDBACK_FIELDS), (MEETING_RECORD, RECORD_FIELDS)):
        assert FORMS[worded.id] is worded
        for question, field in zip(worded.questions, bare.questions, strict=True):
            assert question.label
            assert all(label for _code, label in question.options)
            assert (question.kind, question.required, question.minimum, question.maximum) == (
                field.kind,
                field.required,
                field.minimum,
                field.maximum,
            )
            assert question.max_length == field.max_length
    kinds = MEETING_FEEDBACK.question("kind")
    assert [code for code, _label in kinds.options] == [
        "introduction",
        "planning",
        "regular",
        "final",
    ]
    assert MEETING_FEEDBACK.question("topic").max_length == 200
    assert MEETING_FEEDBACK.question("note").max_length == 1000
    assert MEETING_FEEDBACK.question("next_step").max_length == 300
    assert not MEETING_FEEDBACK.question("note").required
    duration = MEETING_RECORD.question("duration_minutes")
    assert (duration.minimum, duration.maximum) == (5, 600)
    assert [code for code, _label in MEETING_RECORD.question("meeting_format").options] == [
        "in_person",
        "online",
    ]


def test_form_buttons_fit_telegram_callback_data() -> None:
    longest = "x" * 24  # CODE_PATTERN: question ids and option codes are at most 24 characters
    assert len(FormAnswerCallback(question=longest, value=longest).pack().encode()) <= 64
    big = 2**63 - 1
    assert len(MeetingPageCallback(pair_id=big, page=big).pack().encode()) <= 64
    with pytest.raises(ValueError, match="question id"):
        Question("x" * 25, QuestionKind.TEXT, "Q?", max_length=5)
