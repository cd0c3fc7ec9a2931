"""Forms as data: a form is a list of questions with kinds and bounds, and one function checks an
answer against its question. Nothing here knows Telegram or the database, so a questionnaire
engine can later load the same structures from a table and the bot's form runner asks them
unchanged.

Labels are English msgids, translated when a question is shown. The concrete forms live where the
message extractor looks (bot/meeting_forms.py); `lazy_gettext` below only marks their labels.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from services.core.errors import ValidationFailed
from services.core.text import clean_text

# Words a button of the form may carry besides an option's code.
COMMANDS = frozenset({"back", "skip", "keep", "save", "cancel", "today", "yesterday"})
CODE_PATTERN = re.compile(r"^[a-z0-9_]{1,24}$")
DATE_PATTERN = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")
NUMBER_PATTERN = re.compile(r"^\s*[-+]?\d{1,9}\s*$")
# A date question without bounds: from a year ago to today.
DEFAULT_DATE_MINIMUM = -365
DEFAULT_DATE_MAXIMUM = 0

Answer = str | int | None


def lazy_gettext(text: str) -> str:
    """Marks a label for extraction (the extractor knows this name); it is translated when
    shown, in the reader's language, not when the form is defined."""
    return text


class QuestionKind(enum.StrEnum):
    CHOICE = "choice"  # one of `options`, as buttons
    SCALE = "scale"  # a whole number `minimum`..`maximum`, as a row of buttons
    TEXT = "text"  # free text of at most `max_length` characters
    DATE = "date"  # DD.MM.YYYY, `minimum`..`maximum` days from today (default: the last year)
    NUMBER = "number"  # a whole number `minimum`..`maximum`, typed


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

    def __post_init__(self) -> None:
        if not CODE_PATTERN.match(self.id):
            raise ValueError(f"question id {self.id!r}: lowercase letters, digits, _ only")
        if self.kind == QuestionKind.CHOICE:
            codes = [code for code, _label in self.options]
            if not codes or len(set(codes)) != len(codes):
                raise ValueError(f"{self.id}: a choice needs distinct options")
            for code in codes:
                if not CODE_PATTERN.match(code) or code in COMMANDS:
                    raise ValueError(f"{self.id}: option code {code!r} cannot be used")
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

    def option_label(self, code: str) -> str:
        return dict(self.options)[code]

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
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Question:
        return cls(
            id=str(data["id"]),
            kind=QuestionKind(data["kind"]),
            label=str(data["label"]),
            required=bool(data.get("required", True)),
            options=tuple((str(code), str(label)) for code, label in data.get("options", ())),
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            max_length=data.get("max_length"),
        )


@dataclass(frozen=True, slots=True)
class FormSpec:
    id: str
    version: int
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        ids = [question.id for question in self.questions]
        if not ids or len(set(ids)) != len(ids):
            raise ValueError(f"form {self.id}: questions need distinct ids")

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready copy, kept in the FSM data while the form is being answered."""
        return {
            "id": self.id,
            "version": self.version,
            "questions": [question.to_data() for question in self.questions],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FormSpec:
        return cls(
            id=str(data["id"]),
            version=int(data["version"]),
            questions=tuple(Question.from_data(question) for question in data["questions"]),
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
    if word == "today":
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


def validate(question: Question, raw: str, *, today: date | None = None) -> Answer | date:
    """The answer `raw` (typed text, or a button's code) as a value of the question's kind:
    str for a choice or a text, int for a scale or a number, a date for a date. Raises
    ValidationFailed(question.id, reason) with reason one of: not_an_option, empty, too_long,
    not_a_number, too_small, too_large, format, future, too_late, too_old."""
    if question.kind == QuestionKind.CHOICE:
        if raw not in dict(question.options):
            raise ValidationFailed(question.id, "not_an_option")
        return raw
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        return _whole_number(question, raw)
    if question.kind == QuestionKind.DATE:
        return _date(question, raw, today)
    assert question.max_length is not None
    return clean_text(raw, field=question.id, max_length=question.max_length, multiline=True)


def stored(value: Answer | date) -> Answer:
    """An answer as kept in JSON (the FSM data, the meeting's `answers`): a date as ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def check_answers(
    spec: FormSpec, answers: Mapping[str, Answer], *, today: date | None = None
) -> dict[str, Answer]:
    """Every answer of a finished form checked again (a service must not trust its caller):
    required ones present, none unknown, each valid. Returns them in stored form."""
    known = {question.id for question in spec.questions}
    for key in answers:
        if key not in known:
            raise ValidationFailed(key, "unknown")
    result: dict[str, Answer] = {}
    for question in spec.questions:
        value = answers.get(question.id)
        if value is None:
            if question.required:
                raise ValidationFailed(question.id, "empty")
            result[question.id] = None
            continue
        raw = value
        if question.kind == QuestionKind.DATE and isinstance(value, str):
            try:
                raw = date.fromisoformat(value).strftime("%d.%m.%Y")
            except ValueError:
                raise ValidationFailed(question.id, "format") from None
        result[question.id] = stored(validate(question, str(raw), today=today))
    return result
