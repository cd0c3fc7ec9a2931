"""The profile form as data (name → position → subjects → experience → years here → role → what
the role needs → meeting preferences), asked by the one form engine, and the answers as a
ProfileDraft and back. Its words (summary, problems) are bot/telegram/profile_words.py; the rules
themselves are services/people/profiles.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.telegram.labels import (
    MEETING_FORMAT_OPTIONS,
    POSITIONS,
    SUBJECTS,
    day_name,
    domain_name,
    mentee_category_name,
    position_name,
    subject_name,
    time_name,
)
from models import CompetenceDomain, MeetingFormat, MenteeCategory, ProfileRole
from services.forms import registry
from services.forms.definitions import (
    OTHER,
    Answer,
    FormSpec,
    Question,
    QuestionKind,
    ShowIf,
    lazy_gettext,
    register_validator,
)
from services.people.profiles import (
    DAYS,
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

DATE_FORMAT = "%d.%m.%Y"
# "other" is a word of the engine's buttons: the category of that name has another code here.
CATEGORY_CODES = {MenteeCategory.OTHER.value: "another"}
CATEGORY_VALUES = {code: value for value, code in CATEGORY_CODES.items()}
MENTEE_ROLES = (ProfileRole.MENTEE.value, ProfileRole.BOTH.value)
MENTOR_ROLES = (ProfileRole.MENTOR.value, ProfileRole.BOTH.value)
TICK_ONE = lazy_gettext("Please tick at least one option.")


def _known(value: str, options: tuple[tuple[str, str], ...], name: Any) -> Answer:
    """A typed answer that names a button's option is that option; else typed words."""
    folded = value.casefold()
    for key, stored in options:
        if folded in (stored.casefold(), str(name(stored)).casefold()):
            return key
    return {OTHER: value}


def _full_name(raw: str, answers: Mapping[str, Answer]) -> Answer:
    return clean_full_name(raw)


def _position(raw: str, answers: Mapping[str, Answer]) -> Answer:
    if raw in dict(POSITIONS):  # a pressed button
        return raw
    return _known(clean_free_text(raw, "position", POSITION_MAX), POSITIONS, position_name)


def _subject(raw: str, answers: Mapping[str, Answer]) -> Answer:
    if raw in dict(SUBJECTS):
        return raw
    return _known(clean_free_text(raw, "subjects", SUBJECT_MAX), SUBJECTS, subject_name)


def _experience(raw: str, answers: Mapping[str, Answer]) -> Answer:
    return parse_years(raw, "experience_years")


def _organisation_years(raw: str, answers: Mapping[str, Answer]) -> Answer:
    total = answers.get("experience_years")
    maximum = total if isinstance(total, int) else MAX_EXPERIENCE
    return parse_years(raw, "organisation_years", maximum=maximum)


for _name, _rule in (
    ("profile_full_name", _full_name),
    ("profile_position", _position),
    ("profile_subject", _subject),
    ("profile_experience", _experience),
    ("profile_organisation_years", _organisation_years),
):
    register_validator(_name, _rule)


def _multi(question_id: str, label: str, codes: tuple[str, ...], **more: Any) -> Question:
    return Question(
        question_id,
        QuestionKind.MULTI,
        label,
        options=tuple((code, code) for code in codes),
        messages=(("empty", TICK_ONE),),
        detail="",
        short_label=more.pop("short_label"),
        **more,
    )


DOMAINS = tuple(domain.value for domain in CompetenceDomain)
PROFILE = registry.register(
    FormSpec(
        "profile",
        1,
        (
            Question(
                "full_name",
                QuestionKind.TEXT,
                lazy_gettext(
                    "What is your full name? Surname, first name and patronymic, "
                    "for example: Ivanova Anna Sergeevna."
                ),
                max_length=NAME_MAX,
                validator="profile_full_name",
                detail="",
                short_label=lazy_gettext("Full name"),
            ),
            Question(
                "position",
                QuestionKind.CHOICE,
                lazy_gettext("What is your position? Choose one or type it."),
                options=tuple((key, key) for key, _stored in POSITIONS),
                allow_other=True,
                other_button=False,
                max_length=POSITION_MAX,
                validator="profile_position",
                short_label=lazy_gettext("Position"),
            ),
            _multi(
                "subjects",
                lazy_gettext(
                    "What do you teach? Tick everything that applies (or type a subject), "
                    "then press Done."
                ),
                tuple(key for key, _stored in SUBJECTS),
                allow_other=True,
                other_button=False,
                max_others=SUBJECTS_MAX,
                max_choices=SUBJECTS_MAX,
                max_length=SUBJECT_MAX,
                validator="profile_subject",
                short_label=lazy_gettext("Subjects"),
            ),
            Question(
                "experience_years",
                QuestionKind.NUMBER,
                lazy_gettext(
                    "Your total teaching experience in full years? Send a number, for example 5."
                ),
                minimum=0,
                maximum=MAX_EXPERIENCE,
                validator="profile_experience",
                detail="",
                short_label=lazy_gettext("Teaching experience"),
            ),
            Question(
                "organisation_years",
                QuestionKind.NUMBER,
                lazy_gettext(
                    "How many full years have you worked in this organisation? Send a number "
                    "(0 if less than a year)."
                ),
                minimum=0,
                maximum=MAX_EXPERIENCE,
                validator="profile_organisation_years",
                detail="",
                short_label=lazy_gettext("Years here"),
            ),
            Question(
                "role",
                QuestionKind.CHOICE,
                lazy_gettext("Who do you want to be in the programme?"),
                options=(
                    (ProfileRole.MENTEE.value, lazy_gettext("Mentee: I want support")),
                    (ProfileRole.MENTOR.value, lazy_gettext("Mentor: I can help")),
                    (ProfileRole.BOTH.value, lazy_gettext("Both")),
                ),
                short_label=lazy_gettext("Role"),
            ),
            Question(
                "mentee_category",
                QuestionKind.CHOICE,
                lazy_gettext("Which describes you best?"),
                options=tuple(
                    (CATEGORY_CODES.get(category.value, category.value), category.value)
                    for category in MenteeCategory
                ),
                show_if=ShowIf("role", MENTEE_ROLES),
                short_label=lazy_gettext("Category"),
            ),
            _multi(
                "needed_domains",
                lazy_gettext("What would you like help with? Tick one or more, then press Done."),
                DOMAINS,
                show_if=ShowIf("role", MENTEE_ROLES),
                short_label=lazy_gettext("Need help with"),
            ),
            _multi(
                "offered_domains",
                lazy_gettext(
                    "What can you help colleagues with? Tick one or more, then press Done."
                ),
                DOMAINS,
                show_if=ShowIf("role", MENTOR_ROLES),
                short_label=lazy_gettext("Can help with"),
            ),
            Question(
                "meeting_format",
                QuestionKind.CHOICE,
                lazy_gettext("How do you prefer to meet?"),
                options=MEETING_FORMAT_OPTIONS,
                short_label=lazy_gettext("Format"),
            ),
            _multi(
                "days",
                lazy_gettext("Which days suit you for meetings? Tick them, then press Done."),
                DAYS,
                short_label=lazy_gettext("Days"),
            ),
            _multi(
                "times",
                lazy_gettext("What time of day suits you? Tick, then press Done."),
                TIMES,
                short_label=lazy_gettext("Times"),
            ),
        ),
    )
)


def profile_options() -> dict[str, list[list[str]]]:
    """The options named as everywhere else in the bot, in the current language."""
    return {
        "position": [[key, position_name(stored)] for key, stored in POSITIONS],
        "subjects": [[key, subject_name(stored)] for key, stored in SUBJECTS],
        "mentee_category": [
            [CATEGORY_CODES.get(category.value, category.value), mentee_category_name(category)]
            for category in MenteeCategory
        ],
        "needed_domains": [[domain, domain_name(domain)] for domain in DOMAINS],
        "offered_domains": [[domain, domain_name(domain)] for domain in DOMAINS],
        "days": [[day, day_name(day)] for day in DAYS],
        "times": [[time, time_name(time)] for time in TIMES],
    }


# --- answers and the draft ---------------------------------------------------------------------


def _typed(value: Answer, options: tuple[tuple[str, str], ...]) -> str:
    if isinstance(value, dict):
        return str(value.get(OTHER, ""))
    return dict(options).get(str(value), str(value))


def _ordered(value: Answer, order: tuple[str, ...]) -> tuple[str, ...]:
    """Chosen options in the order of the buttons, whatever the order of the taps."""
    chosen = {str(item) for item in value or () if isinstance(item, str)}
    return tuple(item for item in order if item in chosen)


def draft_from_answers(
    answers: Mapping[str, Answer], base: ProfileDraft | None = None
) -> ProfileDraft:
    """The profile the answers give (on top of `base`: a saved profile's capacity and absence
    are not questions of the form)."""
    role = answers.get("role")
    category = answers.get("mentee_category")
    position = answers.get("position")
    return replace(
        base or ProfileDraft(),
        full_name=answers.get("full_name"),
        position=None if position is None else _typed(position, POSITIONS),
        subjects=tuple(_typed(item, SUBJECTS) for item in answers.get("subjects") or ()),
        experience_years=answers.get("experience_years"),
        organisation_years=answers.get("organisation_years"),
        role=ProfileRole(role) if role else None,
        mentee_category=(
            MenteeCategory(CATEGORY_VALUES.get(str(category), str(category))) if category else None
        ),
        needed_domains=_ordered(answers.get("needed_domains"), DOMAINS),
        offered_domains=_ordered(answers.get("offered_domains"), DOMAINS),
        meeting_format=MeetingFormat(answers["meeting_format"])
        if answers.get("meeting_format")
        else None,
        days=_ordered(answers.get("days"), DAYS),
        times=_ordered(answers.get("times"), TIMES),
    )


def _code(stored: str, options: tuple[tuple[str, str], ...]) -> Answer:
    for key, value in options:
        if value == stored:
            return key
    return {OTHER: stored}


def answers_of(draft: ProfileDraft) -> dict[str, Answer]:
    """A saved profile as the form's answers, to change one of them."""
    answers: dict[str, Answer] = {
        "full_name": draft.full_name,
        "position": _code(draft.position, POSITIONS) if draft.position else None,
        "subjects": [_code(subject, SUBJECTS) for subject in draft.subjects],
        "experience_years": draft.experience_years,
        "organisation_years": draft.organisation_years,
        "role": draft.role.value if draft.role else None,
        "mentee_category": (
            CATEGORY_CODES.get(draft.mentee_category.value, draft.mentee_category.value)
            if draft.mentee_category
            else None
        ),
        "needed_domains": list(draft.needed_domains),
        "offered_domains": list(draft.offered_domains),
        "meeting_format": draft.meeting_format.value if draft.meeting_format else None,
        "days": list(draft.days),
        "times": list(draft.times),
    }
    return {key: value for key, value in answers.items() if value not in (None, [])}
