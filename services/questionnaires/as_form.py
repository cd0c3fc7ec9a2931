"""A questionnaire definition as a form of the engine, in one language.

The engine translates a form's words through the catalogs when it shows them; a questionnaire
brings its own words in both languages instead. So it is asked as a form resolved to the
person's language when they start: its labels are already the words to show, and the catalogs
(which hold no such msgids) hand them back unchanged. The form's id names the definition's
content, so the same definition is always the same form, after a restart too.
"""

from __future__ import annotations

import hashlib
import json

from services.forms.definitions import FormSpec, Question, QuestionKind, ShowIf
from services.questionnaires.schema import (
    NO,
    YES,
    Kind,
    QuestionDefinition,
    QuestionnaireDefinition,
)

FORM_PREFIX = "q."
# yes_no's buttons, in the languages a definition is written in.
YES_NO_WORDS = {"ru": ("Да", "Нет"), "en": ("Yes", "No")}
DEFAULT_LANGUAGE = "ru"

_KINDS = {
    Kind.SCALE: QuestionKind.SCALE,
    Kind.CHOICE: QuestionKind.CHOICE,
    Kind.YES_NO: QuestionKind.CHOICE,
    Kind.MULTI: QuestionKind.MULTI,
    Kind.NUMBER: QuestionKind.NUMBER,
    Kind.TEXT: QuestionKind.TEXT,
    Kind.LONG_TEXT: QuestionKind.TEXT,
}


def language_of(locale: str | None) -> str:
    return "en" if locale == "en" else DEFAULT_LANGUAGE


def form_id(definition: QuestionnaireDefinition, language: str) -> str:
    content = json.dumps(definition.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(content.encode()).hexdigest()[:12]
    return f"{FORM_PREFIX}{definition.id}.{definition.version}.{language}.{digest}"


def _options(question: QuestionDefinition, language: str) -> tuple[tuple[str, str], ...]:
    if question.kind == Kind.YES_NO:
        yes, no = YES_NO_WORDS[language]
        return ((YES, yes), (NO, no))
    return tuple((option.id, option.text[language]) for option in question.options)


def _detail(question: QuestionDefinition, language: str) -> str | None:
    """What a scale's ends mean, under the question; other kinds keep the engine's own hint."""
    if question.kind != Kind.SCALE or not (question.min_label or question.max_label):
        return None
    ends = []
    if question.min_label:
        ends.append(f"{question.min} — {question.min_label[language]}")
    if question.max_label:
        ends.append(f"{question.max} — {question.max_label[language]}")
    return ", ".join(ends)


def as_question(question: QuestionDefinition, language: str) -> Question:
    kind = question.kind
    return Question(
        id=question.id,
        kind=_KINDS[kind],
        label=question.text[language],
        required=question.required,
        options=_options(question, language),
        minimum=question.min,
        maximum=question.max,
        max_length=question.text_limit if kind in (Kind.TEXT, Kind.LONG_TEXT) else None,
        max_choices=question.max_choices,
        allow_other=question.other,
        show_if=(
            None
            if question.show_if is None
            else ShowIf(question.show_if.question, tuple(question.show_if.equals))
        ),
        detail=_detail(question, language),
    )


def as_form(definition: QuestionnaireDefinition, language: str) -> FormSpec:
    return FormSpec(
        id=form_id(definition, language),
        version=definition.version,
        questions=tuple(as_question(question, language) for question in definition.questions),
        title=definition.title[language],
    )
