"""Forms as data and the engine: every kind of question, its bounds, required and optional
answers, multiple choice with a maximum and a typed other, show-if, Back, Skip, Done, the summary's
Edit, the round trip through JSON, and the meeting forms built from the meeting fields."""

from __future__ import annotations

from datetime import date

import pytest

from bot.telegram.callbacks import FormAnswerCallback
from bot.telegram.keyboards.meetings import MeetingPageCallback
from bot.telegram.meeting_forms import FORMS, MEETING_FEEDBACK, MEETING_RECORD
from services.core.errors import StaleAction, ValidationFailed
from services.forms import flow
from services.forms.definitions import (
    FormSpec,
    Question,
    QuestionKind,
    ShowIf,
    add_other,
    check_answers,
    stored,
    toggle,
    validate,
)
from services.forms.flow import Progress
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


# --- the engine: kinds beyond the meeting forms, show-if, moving through a form ---------------

SUBJECTS = Question(
    "subjects",
    QuestionKind.MULTI,
    "Subjects?",
    options=(("math", "Maths"), ("physics", "Physics"), ("art", "Art")),
    max_choices=2,
    allow_other=True,
    max_length=20,
)
ROLE = Question(
    "role", QuestionKind.CHOICE, "Role?", options=(("mentor", "Mentor"), ("mentee", "Mentee"))
)
LOAD = Question(
    "load",
    QuestionKind.NUMBER,
    "How many mentees?",
    minimum=0,
    maximum=10,
    show_if=ShowIf("role", ("mentor",)),
)
ABOUT = Question("about", QuestionKind.TEXT, "About?", required=False, max_length=50)
FORM = FormSpec("engine_test", 1, (ROLE, LOAD, SUBJECTS, ABOUT))


def fresh(answers: dict[str, object] | None = None) -> Progress:
    filled = dict(answers or {})
    return Progress(
        id=1,
        person_id=1,
        form_id=FORM.id,
        context={},
        answers=filled,
        current=flow.first(FORM, filled),
        reviewing=False,
        shown_message_id=5,
        step=0,
    )


def test_multiple_choice_toggles_up_to_its_maximum_and_takes_a_typed_other() -> None:
    assert toggle(SUBJECTS, [], "math") == ["math"]
    assert toggle(SUBJECTS, ["math"], "math") == []
    with pytest.raises(ValidationFailed, match="too_many"):
        toggle(SUBJECTS, ["math", "art"], "physics")
    assert add_other(SUBJECTS, ["math"], "  Chemistry ") == ["math", {"other": "Chemistry"}]
    # A second typed other replaces the first; typed text longer than the limit is refused.
    assert add_other(SUBJECTS, ["math", {"other": "Chemistry"}], "Biology") == [
        "math",
        {"other": "Biology"},
    ]
    with pytest.raises(ValidationFailed, match="too_long"):
        add_other(SUBJECTS, [], "x" * 21)
    with pytest.raises(ValidationFailed, match="not_an_option"):
        toggle(SUBJECTS, [], "history")


def test_single_choice_with_other_keeps_typed_text_apart_from_codes() -> None:
    other = Question(
        "position",
        QuestionKind.CHOICE,
        "Position?",
        options=(("teacher", "Teacher"),),
        allow_other=True,
    )
    assert validate(other, "teacher") == "teacher"
    assert validate(other, "Librarian") == {"other": "Librarian"}
    assert reason(CHOICE, "Librarian") == "not_an_option"


def test_show_if_hides_a_question_and_forgets_its_answer() -> None:
    mentor = fresh()
    flow.answer(FORM, mentor, "role", "mentor", today=TODAY)
    assert mentor.current == "load"
    assert flow.position(FORM, mentor) == (2, 4)
    flow.answer(FORM, mentor, "load", "3", today=TODAY)
    assert mentor.current == "subjects"

    mentee = fresh()
    flow.answer(FORM, mentee, "role", "mentee", today=TODAY)
    assert mentee.current == "subjects"  # "load" is not asked
    assert flow.position(FORM, mentee) == (2, 3)
    assert check_answers(FORM, {"role": "mentee", "load": 3, "subjects": ["art"]}) == {
        "role": "mentee",
        "load": None,
        "subjects": ["art"],
        "about": None,
    }


def test_numbers_are_bounded_and_each_step_moves_once() -> None:
    progress = fresh({"role": "mentor"})
    flow.answer(FORM, progress, "role", "mentor", today=TODAY)
    with pytest.raises(ValidationFailed, match="too_large"):
        flow.answer(FORM, progress, "load", "11", today=TODAY)
    assert progress.current == "load"
    flow.answer(FORM, progress, "load", "10", today=TODAY)
    # The same answer again is stale: the form is on another question now.
    with pytest.raises(StaleAction):
        flow.answer(FORM, progress, "load", "10", today=TODAY)


def test_done_skip_back_summary_and_edit() -> None:
    progress = fresh()
    flow.answer(FORM, progress, "role", "mentee", today=TODAY)
    with pytest.raises(ValidationFailed, match="empty"):
        flow.done(FORM, progress, "subjects")
    flow.answer(FORM, progress, "subjects", "math", today=TODAY)
    assert progress.current == "subjects"  # a multiple choice stays until Done
    flow.done(FORM, progress, "subjects")
    assert progress.current == "about"
    with pytest.raises(StaleAction):
        flow.skip(FORM, fresh(), "role")  # a required question has no Skip
    flow.skip(FORM, progress, "about")
    assert progress.current is None and progress.reviewing
    assert progress.answers == {"role": "mentee", "subjects": ["math"], "about": None}

    flow.back(FORM, progress, None)  # from the summary to the last question
    assert progress.current == "about"
    flow.back(FORM, progress, "about")
    assert progress.current == "subjects"
    flow.done(FORM, progress, "subjects")
    assert progress.current is None  # once reviewed, an answer leads back to the summary

    # Edit from the summary: role becomes mentor, so the new question "load" is asked, then the
    # summary again without walking through the rest.
    flow.edit(FORM, progress, "role")
    flow.answer(FORM, progress, "role", "mentor", today=TODAY)
    assert progress.current == "load"
    flow.answer(FORM, progress, "load", "2", today=TODAY)
    assert progress.current is None
    with pytest.raises(StaleAction):
        flow.back(FORM, fresh(), "role")  # the first question has no Back
    with pytest.raises(StaleAction):
        flow.edit(FORM, fresh(), "role")  # Edit only under the summary


def test_a_submitted_form_takes_no_more_steps() -> None:
    progress = fresh()
    progress.submitted = True
    with pytest.raises(StaleAction):
        flow.answer(FORM, progress, "role", "mentor", today=TODAY)


def test_an_uploaded_form_survives_json_with_show_if_and_multi() -> None:
    assert FormSpec.from_data(FORM.to_data()) == FORM
    with pytest.raises(ValueError, match="show-if"):
        FormSpec("bad", 1, (LOAD, ROLE))
    with pytest.raises(ValueError, match="max_choices"):
        Question("q", QuestionKind.MULTI, "Q?", options=(("a", "A"),), max_choices=0)


def test_quick_dates_options_given_at_start_and_a_form_without_summary() -> None:
    due = Question(
        "due",
        QuestionKind.DATE,
        "Due?",
        required=False,
        minimum=0,
        maximum=365,
        quick=((7, "In a week"),),
        skip_label="No date",
    )
    assert validate(due, "d7", today=TODAY) == date(2026, 9, 8)
    assert reason(due, "d8") == "format"  # only the quick buttons it has
    goal = Question("goal", QuestionKind.CHOICE, "Goal?", required=False, options=(("g0", "—"),))
    spec = FormSpec("quick", 1, (due, goal), confirm=False)
    assert FormSpec.from_data(spec.to_data()) == spec
    # No goals to choose from: the optional choice is not asked at all.
    assert [q.id for q in spec.with_options({"goal": []}).questions] == ["due"]
    given = spec.with_options({"goal": [["g12", "🎯 Read"]]})
    assert given.question("goal").options == (("g12", "🎯 Read"),)
    assert not given.confirm
