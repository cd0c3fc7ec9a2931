"""The profile form's words: its answers as people read them (the summary and /profile), the
words of its rules' problems, and of a mentor's date of absence. The form itself is
bot/telegram/profile_forms.py."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.telegram.forms import problem_words
from bot.telegram.labels import (
    day_name,
    domain_name,
    meeting_format_name,
    mentee_category_name,
    position_name,
    profile_role_name,
    subject_name,
    time_name,
)
from bot.telegram.profile_forms import DATE_FORMAT, draft_from_answers
from bot.telegram.texts import Texts, no_visible_text
from services.forms.definitions import Answer, Question, QuestionKind
from services.forms.flow import Progress
from services.people.profiles import (
    DEFAULT_CAPACITY,
    MAX_EXPERIENCE,
    NAME_MAX,
    POSITION_MAX,
    SUBJECT_MAX,
    SUBJECTS_MAX,
    ProfileDraft,
)


def display(draft: ProfileDraft) -> dict[str, Any]:
    """The answers in words of the current language, for the summary and /profile."""
    role = draft.role
    return {
        "full_name": draft.full_name or "",
        "position": position_name(draft.position or ""),
        "subjects": ", ".join(subject_name(subject) for subject in draft.subjects),
        "experience_years": draft.experience_years or 0,
        "organisation_years": draft.organisation_years or 0,
        "role": profile_role_name(role).capitalize() if role else "",
        "mentee": role is not None and role.is_mentee,
        "mentor": role is not None and role.mentors,
        "category": mentee_category_name(draft.mentee_category) if draft.mentee_category else "",
        "needed": ", ".join(domain_name(domain) for domain in draft.needed_domains),
        "offered": ", ".join(domain_name(domain) for domain in draft.offered_domains),
        "format": meeting_format_name(draft.meeting_format) if draft.meeting_format else "",
        "days": ", ".join(day_name(day) for day in draft.days),
        "times": ", ".join(time_name(time) for time in draft.times),
        "capacity": DEFAULT_CAPACITY if draft.capacity is None else draft.capacity,
        "capacity_default": draft.capacity is None,
        "unavailable_until": (
            draft.unavailable_until.strftime(DATE_FORMAT) if draft.unavailable_until else None
        ),
    }


def summary(texts: Texts, progress: Progress, hint: str | None) -> str:
    return texts.render(
        "profile/summary.j2", p=display(draft_from_answers(progress.answers)), hint=hint
    )


def confirm_label() -> str:
    return "✅ " + _("Confirm")


@problem_words("profile_full_name")
@problem_words("profile_position")
@problem_words("profile_subject")
@problem_words("profile_experience")
@problem_words("profile_organisation_years")
def problem_text(
    question: Question, reason: str, text: str, answers: dict[str, Answer] | None = None
) -> str | None:
    """What was wrong with a typed answer, in words; None: the question's own words."""
    if reason == "empty" and question.kind == QuestionKind.MULTI:
        return None
    if reason == "empty":
        return no_visible_text()
    if question.id == "full_name":
        if reason == "too_long":
            return _("That is too long: at most {limit} characters.").format(limit=NAME_MAX)
        if reason == "letters_only":
            return _("Please use only letters, spaces and hyphens.")
        return _("Please give at least your surname and first name.")
    if question.id in ("experience_years", "organisation_years"):
        if reason == "not_a_number":
            return _("Please send a whole number of years, for example 5.")
        if question.id == "organisation_years":
            return _(
                "Years in this organisation cannot exceed your total experience ({total})."
            ).format(total=(answers or {}).get("experience_years"))
        return _("That is more than {maximum} years. Please send your real experience.").format(
            maximum=MAX_EXPERIENCE
        )
    if reason == "too_many":
        return _("At most {limit} subjects. Untick one to add another.").format(limit=SUBJECTS_MAX)
    if reason == "too_short":
        return _("That is too short: at least 2 characters.")
    if reason == "too_long":
        limit = POSITION_MAX if question.id == "position" else SUBJECT_MAX
        return _("That is too long: at most {limit} characters.").format(limit=limit)
    return _("Please use letters, digits and ordinary punctuation only.")


def date_problem_text(reason: str) -> str:
    """What was wrong with a typed date of absence."""
    if reason == "past":
        return _("This date has already passed. Please send a date in the future.")
    if reason == "too_far":
        return _("That is more than a year ahead. Please send a date within a year.")
    return _("Please send the date as DD.MM.YYYY.")
