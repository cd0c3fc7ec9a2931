"""The profile form's answers and rules of moving through it, kept apart from the handlers.

A `Form` is what the FSM stores between messages; the functions here turn a typed text or a
button into a change of its draft, and give the question and problem texts for each step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiogram.utils.i18n import gettext as _

from bot.telegram.keyboards import profile as keyboards
from bot.telegram.labels import (
    POSITIONS,
    SUBJECTS,
    day_name,
    domain_name,
    meeting_format_name,
    mentee_category_name,
    position_name,
    profile_role_name,
    subject_name,
    time_name,
)
from bot.telegram.texts import no_visible_text
from models import CompetenceDomain, MeetingFormat, MenteeCategory, ProfileRole, ProgrammeRole
from services.core.errors import StaleAction, ValidationFailed
from services.people.profiles import (
    DAYS,
    DEFAULT_CAPACITY,
    MAX_EXPERIENCE,
    NAME_MAX,
    POSITION_MAX,
    SUBJECT_MAX,
    SUBJECTS_MAX,
    TIMES,
    ProfileDraft,
    clean_free_text,
    clean_full_name,
    parse_years,
)

Mode = Literal["form", "edit", "profile"]
SUMMARY = "summary"
PRESET_ROLES = {ProgrammeRole.MENTEE: ProfileRole.MENTEE, ProgrammeRole.MENTOR: ProfileRole.MENTOR}
# Which draft field a toggle button changes, and the values it may take.
TOGGLES: dict[str, tuple[str, tuple[str, ...]]] = {
    keyboards.SUBJECT: ("subjects", tuple(key for key, _stored in SUBJECTS)),
    keyboards.NEEDED_DOMAIN: ("needed_domains", tuple(domain.value for domain in CompetenceDomain)),
    keyboards.OFFERED_DOMAIN: (
        "offered_domains",
        tuple(domain.value for domain in CompetenceDomain),
    ),
    keyboards.DAY: ("days", DAYS),
    keyboards.TIME: ("times", TIMES),
}
CHOICES: dict[str, str] = {
    keyboards.POSITION: "position",
    keyboards.ROLE: "role",
    keyboards.CATEGORY: "mentee_category",
    keyboards.FORMAT: "meeting_format",
}
TYPED_STEPS = frozenset(
    {"full_name", "position", "subjects", "experience_years", "organisation_years"}
)
DATE_FORMAT = "%d.%m.%Y"


@dataclass(slots=True)
class Form:
    """The form's FSM data: the draft and where the person is in it."""

    draft: ProfileDraft
    organisation_id: int
    # The invite fixed the role: the role question is neither asked nor editable.
    preset: bool
    # "form": first filling; "edit": one answer changed from the summary; "profile": one answer
    # changed from /profile (saved at once).
    mode: Mode
    answered: set[str] = field(default_factory=set)
    # Draft and answers before an edit, restored by Back.
    snapshot: dict[str, Any] | None = None

    def to_state(self) -> dict[str, Any]:
        return {
            "draft": self.draft.to_state(),
            "organisation_id": self.organisation_id,
            "preset": self.preset,
            "mode": self.mode,
            "answered": sorted(self.answered),
            "snapshot": self.snapshot,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Form:
        return cls(
            draft=ProfileDraft.from_state(data["draft"]),
            organisation_id=int(data["organisation_id"]),
            preset=bool(data["preset"]),
            mode=data["mode"],
            answered=set(data["answered"]),
            snapshot=data.get("snapshot"),
        )

    def steps(self) -> list[str]:
        """The questions for this draft, in order (they depend on the role)."""
        steps = ["full_name", "position", "subjects", "experience_years", "organisation_years"]
        if not self.preset:
            steps.append("role")
        role = self.draft.role
        if role is not None and role.is_mentee:
            steps += ["mentee_category", "needed_domains"]
        if role is not None and role.mentors:
            steps.append("offered_domains")
        return [*steps, "meeting_format", "days", "times"]

    def next_step(self) -> str | None:
        """The first question not answered yet; None when the summary comes next."""
        missing = set(self.draft.missing())
        for step in self.steps():
            if step not in self.answered or step in missing:
                return step
        return None

    def can_go_back(self, step: str) -> bool:
        return self.mode != "form" or step != self.steps()[0]

    def begin_edit(self, mode: Mode) -> None:
        self.snapshot = {"draft": self.draft.to_state(), "answered": sorted(self.answered)}
        self.mode = mode

    def undo_edit(self) -> None:
        if self.snapshot is not None:
            self.draft = ProfileDraft.from_state(self.snapshot["draft"])
            self.answered = set(self.snapshot["answered"])
        self.snapshot = None
        self.mode = "form"


def question(step: str) -> str:
    questions = {
        "full_name": _(
            "What is your full name? Surname, first name and patronymic, "
            "for example: Ivanova Anna Sergeevna."
        ),
        "position": _("What is your position? Choose one or type it."),
        "subjects": _(
            "What do you teach? Tick everything that applies (or type a subject), then press Done."
        ),
        "experience_years": _(
            "Your total teaching experience in full years? Send a number, for example 5."
        ),
        "organisation_years": _(
            "How many full years have you worked in this organisation? Send a number "
            "(0 if less than a year)."
        ),
        "role": _("Who do you want to be in the programme?"),
        "mentee_category": _("Which describes you best?"),
        "needed_domains": _("What would you like help with? Tick one or more, then press Done."),
        "offered_domains": _(
            "What can you help colleagues with? Tick one or more, then press Done."
        ),
        "meeting_format": _("How do you prefer to meet?"),
        "days": _("Which days suit you for meetings? Tick them, then press Done."),
        "times": _("What time of day suits you? Tick, then press Done."),
    }
    return questions[step]


def current_answer(form: Form, step: str) -> str | None:
    """A typed answer given before (Back or Edit), so the person sees what they change."""
    draft = form.draft
    if step not in form.answered:
        return None
    if step == "full_name":
        return draft.full_name
    if step == "position" and draft.position:
        return position_name(draft.position)
    if step == "experience_years" and draft.experience_years is not None:
        return str(draft.experience_years)
    if step == "organisation_years" and draft.organisation_years is not None:
        return str(draft.organisation_years)
    return None


def problem_text(reason: str, step: str, form: Form) -> str:
    """What was wrong with a typed answer, in words."""
    if reason == "empty":
        return no_visible_text()
    if step == "full_name":
        if reason == "too_long":
            return _("That is too long: at most {limit} characters.").format(limit=NAME_MAX)
        if reason == "letters_only":
            return _("Please use only letters, spaces and hyphens.")
        return _("Please give at least your surname and first name.")
    if step in ("experience_years", "organisation_years"):
        if reason == "not_a_number":
            return _("Please send a whole number of years, for example 5.")
        if step == "organisation_years":
            return _(
                "Years in this organisation cannot exceed your total experience ({total})."
            ).format(total=form.draft.experience_years)
        return _("That is more than {maximum} years. Please send your real experience.").format(
            maximum=MAX_EXPERIENCE
        )
    if reason == "too_many":
        return _("At most {limit} subjects. Untick one to add another.").format(limit=SUBJECTS_MAX)
    if reason == "too_short":
        return _("That is too short: at least 2 characters.")
    if reason == "too_long":
        limit = POSITION_MAX if step == "position" else SUBJECT_MAX
        return _("That is too long: at most {limit} characters.").format(limit=limit)
    return _("Please use letters, digits and ordinary punctuation only.")


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


def _known(value: str, options: tuple[tuple[str, str], ...], name: Callable[[str], str]) -> str:
    """A typed answer that names a button's option is stored as that option."""
    folded = value.casefold()
    for _key, stored in options:
        if folded in (stored.casefold(), name(stored).casefold()):
            return stored
    return value


def apply_text(form: Form, step: str, text: str) -> bool:
    """Apply a typed answer to the draft; True when the step is answered (not for subjects)."""
    draft = form.draft
    if step == "full_name":
        form.draft = draft.with_changes(full_name=clean_full_name(text))
    elif step == "position":
        position = _known(clean_free_text(text, "position", POSITION_MAX), POSITIONS, position_name)
        form.draft = draft.with_changes(position=position)
    elif step == "subjects":
        subject = _known(clean_free_text(text, "subjects", SUBJECT_MAX), SUBJECTS, subject_name)
        if subject not in draft.subjects:
            if len(draft.subjects) >= SUBJECTS_MAX:
                raise ValidationFailed("subjects", "too_many")
            form.draft = draft.with_changes(subjects=(*draft.subjects, subject))
        return False
    elif step == "experience_years":
        years = parse_years(text, "experience_years")
        form.draft = draft.with_changes(experience_years=years)
        if draft.organisation_years is not None and draft.organisation_years > years:
            # The other answer no longer fits: ask it again rather than keep a contradiction.
            form.draft = form.draft.with_changes(organisation_years=None)
            form.answered.discard("organisation_years")
    elif step == "organisation_years":
        total = draft.experience_years if draft.experience_years is not None else MAX_EXPERIENCE
        form.draft = draft.with_changes(
            organisation_years=parse_years(text, "organisation_years", maximum=total)
        )
    else:
        raise LookupError(step)
    form.answered.add(step)
    return True


def toggle(form: Form, action: str, value: str) -> str | None:
    """Tick or untick one option; a hint when that is not possible."""
    field_name, allowed = TOGGLES[action]
    if value not in allowed:
        raise StaleAction
    if action == keyboards.SUBJECT:
        value = dict(SUBJECTS)[value]
    chosen: tuple[str, ...] = getattr(form.draft, field_name)
    if value in chosen:
        chosen = tuple(item for item in chosen if item != value)
    else:
        if action == keyboards.SUBJECT and len(chosen) >= SUBJECTS_MAX:
            return problem_text("too_many", "subjects", form)
        chosen = (*chosen, value)
        if action != keyboards.SUBJECT:
            # Shown and stored in the order of the buttons, whatever the order of the taps.
            chosen = tuple(item for item in allowed if item in chosen)
    form.draft = form.draft.with_changes(**{field_name: chosen})
    return None


def choose(form: Form, step: str, value: str) -> None:
    try:
        if step == "position":
            form.draft = form.draft.with_changes(position=dict(POSITIONS)[value])
        elif step == "role":
            form.draft = form.draft.with_changes(role=ProfileRole(value))
        elif step == "mentee_category":
            form.draft = form.draft.with_changes(mentee_category=MenteeCategory(value))
        else:
            form.draft = form.draft.with_changes(meeting_format=MeetingFormat(value))
    except (KeyError, ValueError):
        raise StaleAction from None
    form.answered.add(step)


def remove_custom_subject(form: Form, value: str) -> None:
    subjects = form.draft.subjects
    if not value.isdigit() or int(value) >= len(subjects):
        raise StaleAction
    index = int(value)
    if subjects[index] in dict(SUBJECTS).values():
        # These buttons stand for typed subjects only; a listed one has a button of its own.
        raise StaleAction
    form.draft = form.draft.with_changes(subjects=subjects[:index] + subjects[index + 1 :])


def date_problem_text(reason: str) -> str:
    if reason == "past":
        return _("This date has already passed. Please send a date in the future.")
    if reason == "too_far":
        return _("That is more than a year ahead. Please send a date within a year.")
    return _("Please send the date as DD.MM.YYYY.")
