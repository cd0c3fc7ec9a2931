"""The profile's validators, the draft's completeness rules, and the form's stored data."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.telegram.i18n import create_i18n
from bot.telegram.keyboards import forms as form_keyboards
from bot.telegram.keyboards import profile as keyboards
from bot.telegram.profile_forms import PROFILE, answers_of, draft_from_answers, profile_options
from models import MeetingFormat, MenteeCategory, ProfileRole
from services.core.errors import ValidationFailed
from services.forms.flow import visible
from services.people.profiles import (
    NAME_MAX,
    ProfileDraft,
    clean_free_text,
    clean_full_name,
    parse_date,
    parse_years,
)

TODAY = date(2026, 9, 1)


def _reason(call: object, *args: object) -> str:
    assert callable(call)
    with pytest.raises(ValidationFailed) as caught:
        call(*args)
    return caught.value.reason


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Иванова Анна Сергеевна", "Иванова Анна Сергеевна"),
        ("  Петров-Водкин   Кузьма ", "Петров-Водкин Кузьма"),
        ("Ёлкина Алёна", "Ёлкина Алёна"),
        ("Anna Smith", "Anna Smith"),
        ("O'Brien Anna", "O'Brien Anna"),
    ],
)
def test_full_names_that_pass(typed: str, stored: str) -> None:
    assert clean_full_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Иванова", "too_short"),
        ("", "empty"),
        ("\u200b\u200b\u200b", "empty"),
        ("Иванова 2 Анна", "letters_only"),
        ("<b>Иванова</b> Анна", "letters_only"),
        ("Иванова Анна!", "letters_only"),
        ("Иванова -Анна", "letters_only"),
        ("Ив " * 40, "too_long"),
        ("Я" * (NAME_MAX + 1), "too_long"),
    ],
)
def test_full_names_refused_with_a_reason(typed: str, reason: str) -> None:
    assert _reason(clean_full_name, typed) == reason


def test_a_name_of_exactly_the_limit_passes() -> None:
    name = "А" * 49 + " " + "Б" * 50
    assert len(name) == NAME_MAX
    assert clean_full_name(name) == name


def test_free_text() -> None:
    assert clean_free_text("  учитель   музыки ", "position", 120) == "учитель музыки"
    assert clean_free_text("Мировая художественная культура (МХК)", "s", 60)
    assert _reason(clean_free_text, "a", "s", 60) == "too_short"
    assert _reason(clean_free_text, "x" * 61, "s", 60) == "too_long"
    assert _reason(clean_free_text, "<script>", "s", 60) == "invalid"
    assert _reason(clean_free_text, "Математика 😀", "s", 60) == "invalid"


@pytest.mark.parametrize(("typed", "years"), [("0", 0), (" 12 ", 12), ("60", 60)])
def test_years_that_pass(typed: str, years: int) -> None:
    assert parse_years(typed, "experience_years") == years


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "not_a_number"),
        ("пять", "not_a_number"),
        ("-1", "not_a_number"),
        ("2.5", "not_a_number"),
        ("1000", "not_a_number"),
        ("61", "too_large"),
    ],
)
def test_years_refused(typed: str, reason: str) -> None:
    assert _reason(parse_years, typed, "experience_years") == reason


def test_years_in_the_organisation_are_capped_by_the_total() -> None:
    assert parse_years("5", "organisation_years", 5) == 5
    assert _reason(parse_years, "6", "organisation_years", 5) == "too_large"


def test_dates() -> None:
    assert parse_date("02.09.2026", TODAY) == date(2026, 9, 2)
    assert parse_date(" 1.1.2027 ", TODAY) == date(2027, 1, 1)
    assert _reason(parse_date, "2026-10-01", TODAY) == "format"
    assert _reason(parse_date, "31.02.2027", TODAY) == "format"
    assert _reason(parse_date, "завтра", TODAY) == "format"
    assert _reason(parse_date, "01.09.2026", TODAY) == "past"
    assert _reason(parse_date, "01.01.2020", TODAY) == "past"
    assert _reason(parse_date, "03.09.2027", TODAY) == "too_far"


def _complete(role: ProfileRole) -> ProfileDraft:
    return ProfileDraft(
        full_name="Иванова Анна",
        position="учитель",
        subjects=("Математика",),
        experience_years=5,
        organisation_years=2,
        role=role,
        mentee_category=MenteeCategory.NEW_TO_STAFF if role.is_mentee else None,
        needed_domains=("ict",) if role.is_mentee else (),
        offered_domains=("subject",) if role.mentors else (),
        meeting_format=MeetingFormat.ONLINE,
        days=("mon",),
        times=("evening",),
    )


def test_an_empty_draft_misses_everything_in_the_order_of_the_form() -> None:
    assert ProfileDraft().missing() == [
        "full_name",
        "position",
        "subjects",
        "experience_years",
        "organisation_years",
        "role",
        "meeting_format",
        "days",
        "times",
    ]


def test_the_role_decides_which_lists_are_required() -> None:
    mentee = ProfileDraft(role=ProfileRole.MENTEE).missing()
    assert "mentee_category" in mentee and "needed_domains" in mentee
    assert "offered_domains" not in mentee
    mentor = ProfileDraft(role=ProfileRole.MENTOR).missing()
    assert "offered_domains" in mentor
    assert "mentee_category" not in mentor and "needed_domains" not in mentor
    both = ProfileDraft(role=ProfileRole.BOTH).missing()
    assert {"mentee_category", "needed_domains", "offered_domains"} <= set(both)


@pytest.mark.parametrize("role", list(ProfileRole))
def test_complete_drafts_validate(role: ProfileRole) -> None:
    draft = _complete(role)
    assert draft.missing() == []
    draft.validate()


def test_zero_years_count_as_an_answer() -> None:
    draft = _complete(ProfileRole.MENTEE).with_changes(experience_years=0, organisation_years=0)
    assert draft.missing() == []
    draft.validate()


def test_validate_names_the_first_missing_field() -> None:
    draft = _complete(ProfileRole.BOTH).with_changes(offered_domains=(), days=())
    with pytest.raises(ValidationFailed) as caught:
        draft.validate()
    assert (caught.value.field, caught.value.reason) == ("offered_domains", "missing")


def test_validate_refuses_contradictions_and_unknown_values() -> None:
    draft = _complete(ProfileRole.MENTEE)
    with pytest.raises(ValidationFailed) as caught:
        draft.with_changes(organisation_years=6).validate()
    assert caught.value.reason == "more_than_total"
    with pytest.raises(ValidationFailed):
        draft.with_changes(needed_domains=("astrology",)).validate()
    with pytest.raises(ValidationFailed):
        draft.with_changes(days=("sun",)).validate()
    with pytest.raises(ValidationFailed):
        draft.with_changes(times=("night",)).validate()


def test_a_draft_survives_the_fsm_storage() -> None:
    draft = _complete(ProfileRole.BOTH).with_changes(unavailable_until=date(2026, 12, 1))
    assert ProfileDraft.from_state(draft.to_state()) == draft
    assert ProfileDraft.from_state({}) == ProfileDraft()


def _every_step_draft() -> ProfileDraft:
    typed_subjects = tuple(f"{'Ж' * 58} {index}" for index in range(8))
    return _complete(ProfileRole.BOTH).with_changes(
        subjects=typed_subjects, capacity=5, unavailable_until=date(2026, 12, 1)
    )


def test_every_profile_button_fits_in_64_bytes() -> None:
    i18n = create_i18n("ru")
    draft = _every_step_draft()
    answers = answers_of(draft)
    fields = [question.id for question in visible(PROFILE, answers)]
    with i18n.context(), i18n.use_locale("ru"):
        spec = PROFILE.with_options(profile_options())
        markups = [
            form_keyboards.question_keyboard(
                spec.question(field),
                suggested=None,
                answer=answers.get(field),
                back=True,
                translate_options=False,
            )
            for field in fields
        ]
        markups += [
            form_keyboards.summary_keyboard([(field, field) for field in fields]),
            keyboards.profile_keyboard(fields, mentor=True, capacity=5, unavailable=True),
            keyboards.availability_keyboard(unavailable=True),
        ]
    buttons = [
        button for markup in markups if markup for row in markup.inline_keyboard for button in row
    ]
    assert len(buttons) > 80
    for button in buttons:
        assert button.callback_data is not None
        assert len(button.callback_data.encode()) <= 64, button


def test_the_answers_and_the_draft_round_trip_through_json() -> None:
    """The form in progress keeps answers as JSON in the database between two messages."""
    draft = _every_step_draft()
    answers = json.loads(json.dumps(answers_of(draft)))
    # Capacity and absence are not questions: a saved profile's stay as they were.
    assert draft_from_answers(answers, base=draft) == draft
    assert draft_from_answers(answers) == draft.with_changes(capacity=None, unavailable_until=None)
    mentee = _complete(ProfileRole.MENTEE).with_changes(
        position="учитель", mentee_category=MenteeCategory.OTHER, subjects=("Математика", "Лепка")
    )
    answers = answers_of(mentee)
    assert answers["position"] == "teacher"
    assert answers["mentee_category"] == "another"  # "other" is a word of the engine's buttons
    assert answers["subjects"] == ["math", {"other": "Лепка"}]
    assert draft_from_answers(answers) == mentee
