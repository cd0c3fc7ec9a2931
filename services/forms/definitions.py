"""Forms as data: a form is a list of questions with kinds, bounds and show-if conditions, and
one function checks an answer against its question. Nothing here knows Telegram or the database:
a questionnaire a curator uploads (plain data, `FormSpec.from_data`) is asked by the same engine
as the forms written in code.

Labels are English msgids, translated when a question is shown. The concrete forms live where the
message extractor looks (bot/telegram/meeting_forms.py); `lazy_gettext` below only marks their
labels. An answer is JSON: a str (a choice's code, a text), an int, an ISO date, a list (a
multiple choice: codes, and {"other": text} for a typed "other"), {"other": text} for a single
choice answered by typing, or None for a skipped question.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from services.core.errors import ValidationFailed
from services.core.text import clean_text

# Words a button of the form may carry besides an option's code.
COMMANDS = frozenset(
    {"back", "skip", "keep", "save", "cancel", "today", "yesterday", "done", "other"}
)
CODE_PATTERN = re.compile(r"^[a-z0-9_]{1,24}$")
DATE_PATTERN = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")
NUMBER_PATTERN = re.compile(r"^\s*[-+]?\d{1,9}\s*$")
# A date question without bounds: from a year ago to today.
DEFAULT_DATE_MINIMUM = -365
DEFAULT_DATE_MAXIMUM = 0
# A typed "other" of a choice without its own max_length.
OTHER_MAX_LENGTH = 200
OTHER = "other"

Answer = Any  # JSON: see the module's docstring
# A rule of a form written in code beyond the kind's own (a name's shape, years within years):
# (typed text, the answers so far) -> the value, or ValidationFailed(question id, reason).
Validator = Callable[[str, Mapping[str, Answer]], Answer]
_VALIDATORS: dict[str, Validator] = {}


def lazy_gettext(text: str) -> str:
    """Marks a label for extraction (the extractor knows this name); it is translated when
    shown, in the reader's language, not when the form is defined."""
    return text


def register_validator(name: str, validator: Validator) -> None:
    """Make a named rule available to questions (`Question.validator`); data names it, code
    provides it, so a definition stays plain data."""
    if _VALIDATORS.get(name, validator) is not validator:
        raise ValueError(f"validator {name!r} is registered twice")
    _VALIDATORS[name] = validator


class QuestionKind(enum.StrEnum):
    CHOICE = "choice"  # one of `options`, as buttons (+ typed "other" with allow_other)
    MULTI = "multi"  # up to `max_choices` of `options`, toggled, then Done
    SCALE = "scale"  # a whole number `minimum`..`maximum`, as a row of buttons
    TEXT = "text"  # free text of at most `max_length` characters
    DATE = "date"  # DD.MM.YYYY, `minimum`..`maximum` days from today (default: the last year)
    NUMBER = "number"  # a whole number `minimum`..`maximum`, typed


@dataclass(frozen=True, slots=True)
class ShowIf:
    """Ask the question only when the earlier question `question` was answered with one of
    `values` (for a multiple choice: when any of them was chosen)."""

    question: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        value = answers.get(self.question)
        if isinstance(value, list):
            return any(item in self.values for item in value if isinstance(item, str))
        return isinstance(value, str) and value in self.values


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    kind: QuestionKind
    label: str
    required: bool = True
    # (code, label msgid) for a choice.
    options: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    max_choices: int | None = None  # a multiple choice: at most this many (None: any)
    allow_other: bool = False  # a choice: "other — type it"
    # A multiple choice: how many typed "others" it keeps (1: a new one replaces the earlier).
    max_others: int = 1
    # Whether "other" has a button of its own (False: the question says "or type it").
    other_button: bool = True
    show_if: ShowIf | None = None
    validator: str | None = None  # a registered rule applied to typed text
    # reason -> msgid: the words for a reason the validator gives.
    messages: tuple[tuple[str, str], ...] = ()
    # msgid shown under the question instead of the kind's own ("": nothing, the label says it)
    detail: str | None = None
    # A date: quick buttons (days from today, label msgid) instead of Today / Yesterday.
    quick: tuple[tuple[int, str], ...] = ()
    skip_label: str | None = None  # msgid of the Skip button ("No date"), else "Skip"
    # msgid of the answer's short name ("Topics"): the summary's Edit button carries it instead
    # of the answer's number.
    short_label: str | None = None

    def __post_init__(self) -> None:
        if not CODE_PATTERN.match(self.id):
            raise ValueError(f"question id {self.id!r}: lowercase letters, digits, _ only")
        if self.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
            codes = [code for code, _label in self.options]
            if not codes or len(set(codes)) != len(codes):
                raise ValueError(f"{self.id}: a choice needs distinct options")
            for code in codes:
                if not CODE_PATTERN.match(code) or code in COMMANDS:
                    raise ValueError(f"{self.id}: option code {code!r} cannot be used")
        if self.max_choices is not None and self.max_choices < 1:
            raise ValueError(f"{self.id}: max_choices must be at least 1")
        if self.kind in (QuestionKind.SCALE, QuestionKind.NUMBER) and (
            self.minimum is None or self.maximum is None or self.minimum > self.maximum
        ):
            raise ValueError(f"{self.id}: a number needs minimum <= maximum")
        if self.kind == QuestionKind.TEXT and (self.max_length is None or self.max_length < 1):
            raise ValueError(f"{self.id}: a text needs max_length")

    @property
    def date_bounds(self) -> tuple[int, int]:
        """Days from today a date answer may be (negative: in the past)."""
        low = DEFAULT_DATE_MINIMUM if self.minimum is None else self.minimum
        high = DEFAULT_DATE_MAXIMUM if self.maximum is None else self.maximum
        return low, high

    @property
    def typed(self) -> bool:
        """Whether a typed message can answer it (else only its buttons can; a scale takes a
        typed number too)."""
        if self.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
            return self.allow_other
        return True

    def option_label(self, code: str) -> str:
        return dict(self.options)[code]

    def message(self, reason: str) -> str | None:
        return dict(self.messages).get(reason)

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "label": self.label,
            "required": self.required,
            "options": [list(option) for option in self.options],
            "minimum": self.minimum,
            "maximum": self.maximum,
            "max_length": self.max_length,
            "max_choices": self.max_choices,
            "allow_other": self.allow_other,
            "max_others": self.max_others,
            "other_button": self.other_button,
            "show_if": (
                None
                if self.show_if is None
                else {"question": self.show_if.question, "values": list(self.show_if.values)}
            ),
            "validator": self.validator,
            "messages": [list(message) for message in self.messages],
            "detail": self.detail,
            "quick": [list(quick) for quick in self.quick],
            "skip_label": self.skip_label,
            "short_label": self.short_label,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Question:
        show_if = data.get("show_if")
        return cls(
            id=str(data["id"]),
            kind=QuestionKind(data["kind"]),
            label=str(data["label"]),
            required=bool(data.get("required", True)),
            options=tuple((str(code), str(label)) for code, label in data.get("options", ())),
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            max_length=data.get("max_length"),
            max_choices=data.get("max_choices"),
            allow_other=bool(data.get("allow_other", False)),
            max_others=int(data.get("max_others", 1)),
            other_button=bool(data.get("other_button", True)),
            show_if=(
                None
                if not show_if
                else ShowIf(str(show_if["question"]), tuple(str(v) for v in show_if["values"]))
            ),
            validator=data.get("validator"),
            messages=tuple((str(r), str(m)) for r, m in data.get("messages", ())),
            detail=data.get("detail"),
            quick=tuple((int(days), str(label)) for days, label in data.get("quick", ())),
            skip_label=data.get("skip_label"),
            short_label=data.get("short_label"),
        )


@dataclass(frozen=True, slots=True)
class FormSpec:
    id: str
    version: int
    questions: tuple[Question, ...] = field(default_factory=tuple)
    title: str | None = None  # msgid of a heading above every question
    # False: saved as soon as the last question is answered, without a summary to confirm.
    confirm: bool = True

    def __post_init__(self) -> None:
        ids = [question.id for question in self.questions]
        if not ids or len(set(ids)) != len(ids):
            raise ValueError(f"form {self.id}: questions need distinct ids")
        for number, question in enumerate(self.questions):
            if question.show_if is not None and question.show_if.question not in ids[:number]:
                raise ValueError(f"{question.id}: show-if must name an earlier question")

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def with_options(self, options: Mapping[str, list[list[str]]]) -> FormSpec:
        """The form with a choice's options supplied when it is started (a pair's members, a
        plan's goals), as kept in the form in progress; an optional choice given no options is
        not asked."""
        if not options:
            return self
        questions = []
        for question in self.questions:
            if question.id in options:
                pairs = tuple((str(code), str(label)) for code, label in options[question.id])
                if not pairs and not question.required:
                    continue
                question = replace(question, options=pairs)
            questions.append(question)
        return FormSpec(self.id, self.version, tuple(questions), self.title, self.confirm)

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "questions": [question.to_data() for question in self.questions],
            "title": self.title,
            "confirm": self.confirm,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FormSpec:
        return cls(
            id=str(data["id"]),
            version=int(data["version"]),
            questions=tuple(Question.from_data(question) for question in data["questions"]),
            title=data.get("title"),
            confirm=bool(data.get("confirm", True)),
        )


def _whole_number(question: Question, raw: str) -> int:
    if not NUMBER_PATTERN.match(raw):
        raise ValidationFailed(question.id, "not_a_number")
    value = int(raw)
    low, high = question.minimum, question.maximum
    if low is not None and value < low:
        raise ValidationFailed(question.id, "too_small")
    if high is not None and value > high:
        raise ValidationFailed(question.id, "too_large")
    return value


def _date(question: Question, raw: str, today: date | None) -> date:
    if today is None:
        raise ValueError("a date question needs today's date")
    word = raw.strip().casefold()
    quick = {f"d{days}": days for days, _label in question.quick}
    if word in quick:
        value = today + timedelta(days=quick[word])
    elif word == "today":
        value = today
    elif word == "yesterday":
        value = today - timedelta(days=1)
    else:
        match = DATE_PATTERN.match(raw)
        if match is None:
            raise ValidationFailed(question.id, "format")
        day, month, year = (int(part) for part in match.groups())
        try:
            value = date(year, month, day)
        except ValueError:
            raise ValidationFailed(question.id, "format") from None
    low, high = question.date_bounds
    if value > today + timedelta(days=high):
        raise ValidationFailed(question.id, "future" if high == 0 else "too_late")
    if value < today + timedelta(days=low):
        raise ValidationFailed(question.id, "too_old")
    return value


def _text(question: Question, raw: str, limit: int) -> str:
    return clean_text(raw, field=question.id, max_length=limit, multiline=True)


def validate(
    question: Question,
    raw: str,
    *,
    today: date | None = None,
    answers: Mapping[str, Answer] | None = None,
) -> Answer:
    """The answer `raw` (typed text, or a button's code) as a value of the question's kind:
    str for a choice or a text, int for a scale or a number, a date for a date, {"other": text}
    for a choice's typed other. Raises ValidationFailed(question.id, reason) with reason one of:
    not_an_option, empty, too_long, not_a_number, too_small, too_large, format, future,
    too_late, too_old, or one of the question's validator."""
    if question.validator is not None:
        return _VALIDATORS[question.validator](raw, answers or {})
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
        if raw in dict(question.options):
            return raw
        if not question.allow_other:
            raise ValidationFailed(question.id, "not_an_option")
        return {OTHER: _text(question, raw, question.max_length or OTHER_MAX_LENGTH)}
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        return _whole_number(question, raw)
    if question.kind == QuestionKind.DATE:
        return _date(question, raw, today)
    assert question.max_length is not None
    return _text(question, raw, question.max_length)


def toggle(question: Question, chosen: list[Any], code: str) -> list[Any]:
    """A multiple choice after pressing an option: on if off, off if on; ValidationFailed
    "too_many" past max_choices, "not_an_option" for a code it does not have."""
    if code not in dict(question.options):
        raise ValidationFailed(question.id, "not_an_option")
    if code in chosen:
        return [item for item in chosen if item != code]
    if question.max_choices is not None and len(chosen) >= question.max_choices:
        raise ValidationFailed(question.id, "too_many")
    return [*chosen, code]


def add_other(
    question: Question,
    chosen: list[Any],
    text: str,
    answers: Mapping[str, Answer] | None = None,
) -> list[Any]:
    """A multiple choice after typing an "other": it replaces an earlier typed one, or (with
    max_others above 1) is added to them; the same words again change nothing."""
    value = validate(question, text, answers=answers)
    if isinstance(value, str):  # the words of an option: the same as pressing it
        return chosen if value in chosen else toggle(question, chosen, value)
    others = [item for item in chosen if isinstance(item, dict)]
    words = str(value.get(OTHER, "")).casefold()
    if any(str(item.get(OTHER, "")).casefold() == words for item in others):
        return chosen
    kept = (
        chosen
        if len(others) < question.max_others
        else [item for item in chosen if item is not others[0]]
    )
    if question.max_choices is not None and len(kept) >= question.max_choices:
        raise ValidationFailed(question.id, "too_many")
    return [*kept, value]


def drop_other(question: Question, chosen: list[Any], index: int) -> list[Any]:
    """A multiple choice after pressing a typed "other" (shown ticked): it is taken out."""
    others = [item for item in chosen if isinstance(item, dict)]
    if not 0 <= index < len(others):
        raise ValidationFailed(question.id, "not_an_option")
    return [item for item in chosen if item is not others[index]]


def stored(value: Answer) -> Answer:
    """An answer as kept in JSON (the form in progress, the meeting's `answers`): a date as ISO
    text."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def check_answers(
    spec: FormSpec, answers: Mapping[str, Answer], *, today: date | None = None
) -> dict[str, Answer]:
    """Every answer of a finished form checked again (a service must not trust its caller):
    required ones present, none unknown, each valid; a question its show-if hides is None.
    Returns them in stored form."""
    known = {question.id for question in spec.questions}
    for key in answers:
        if key not in known:
            raise ValidationFailed(key, "unknown")
    result: dict[str, Answer] = {}
    for question in spec.questions:
        value = answers.get(question.id)
        if question.show_if is not None and not question.show_if.holds(result):
            result[question.id] = None
            continue
        if value is None or value == []:
            if question.required:
                raise ValidationFailed(question.id, "empty")
            result[question.id] = None
            continue
        result[question.id] = _checked(question, value, today, result)
    return result


def _checked(
    question: Question, value: Answer, today: date | None, answers: Mapping[str, Answer]
) -> Answer:
    if question.kind == QuestionKind.MULTI:
        if not isinstance(value, list):
            raise ValidationFailed(question.id, "not_an_option")
        chosen: list[Any] = []
        for item in value:
            if isinstance(item, dict):
                chosen = add_other(question, chosen, str(item.get(OTHER, "")))
            else:
                chosen = toggle(question, chosen, str(item))
        return chosen
    if isinstance(value, dict):
        if question.kind != QuestionKind.CHOICE:
            raise ValidationFailed(question.id, "not_an_option")
        result = validate(question, str(value.get(OTHER, "")))
        return result if isinstance(result, dict) else {OTHER: str(value.get(OTHER))}
    raw = value
    if question.kind == QuestionKind.DATE and isinstance(value, str):
        try:
            raw = date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            raise ValidationFailed(question.id, "format") from None
    return stored(validate(question, str(raw), today=today, answers=answers))
