"""A questionnaire's definition file (YAML) and its rules, as a pydantic schema.

A broken file is answered with every problem found, each naming the file, the question and what is
wrong as a code with its values (`Problem`), so the chat can say it in the curator's language and
a developer reads it in English (`str(problem)`). Only YAML's safe subset is read.

The format, in short (the built-in files under `builtin/` are complete examples)::

    id: satisfaction_mentee        # lowercase letters, digits, _
    version: 1                     # a changed definition is uploaded with a higher version
    audience: mentee               # mentee | mentor | curator | any
    title: {ru: …, en: …}
    intro: {ru: …, en: …}          # optional, shown above the first question
    questions:
      - id: comfort
        kind: scale                # scale | choice | multi | yes_no | number | text | long_text
        text: {ru: …, en: …}
        min: 1                     # scale: from 0 or 1 …
        max: 10                    # … to at most 10; number: any bounds
        min_label: {ru: …, en: …}  # scale: what the ends mean (optional)
        max_label: {ru: …, en: …}
        required: false            # optional questions get a Skip button
        options: [{id: …, text: {ru: …, en: …}}]   # choice and multi
        max_choices: 3             # multi
        other: true                # choice and multi: "other — type it"
        max_length: 500            # text (default 300) and long_text (default 2000)
        show_if: {question: fit, equals: [not_sure, no]}   # an earlier choice or yes_no
        domain: methodological     # self-assessment in one of the nine competence domains
        measure: satisfaction      # the overall score the satisfaction % is computed from
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from models.enums import CompetenceDomain

CODE = r"^[a-z0-9_]{1,24}$"
LANGUAGES = ("ru", "en")
MAX_FILE_BYTES = 200_000
MAX_QUESTIONS = 60
MAX_OPTIONS = 20  # a screen of buttons on a phone
MAX_SCALE = 10  # a 1–10 scale is two rows of five buttons; more would not fit a phone
TEXT_LENGTH = 300  # a text answer's default limit
LONG_TEXT_LENGTH = 2000
MAX_TEXT_LENGTH = 3000  # an answer of any length fits one Telegram message with the question


class Audience(enum.StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    CURATOR = "curator"
    ANY = "any"


class Kind(enum.StrEnum):
    SCALE = "scale"
    CHOICE = "choice"
    MULTI = "multi"
    YES_NO = "yes_no"
    NUMBER = "number"
    TEXT = "text"
    LONG_TEXT = "long_text"


class Measure(enum.StrEnum):
    """What a question's answer is counted as in the results."""

    SATISFACTION = "satisfaction"  # the overall score behind "satisfaction %"
    USEFULNESS = "usefulness"  # how useful a meeting was
    FIT = "fit"  # the fit check after a first meeting
    PULSE = "pulse"  # the relationship pulse
    CONFIDENCE = "confidence"
    WORK_SATISFACTION = "work_satisfaction"


# yes_no's options, fixed: a show-if names them.
YES, NO = "yes", "no"

Code = Annotated[str, StringConstraints(pattern=CODE)]


# A question's or an intro's words, and a button's or a title's (short enough for a phone).
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Strict):
    """One text in both languages."""

    ru: LongText
    en: LongText

    def __getitem__(self, language: str) -> str:
        return str(self.en if language == "en" else self.ru)


class ShortWords(Words):
    """A button's or a title's words: short enough for a phone."""

    ru: ShortText
    en: ShortText


class Option(_Strict):
    id: Code
    text: ShortWords


class ShowIf(_Strict):
    question: Code
    equals: list[Code] = Field(min_length=1)


class QuestionDefinition(_Strict):
    id: Code
    kind: Kind
    text: Words
    required: bool = True
    min: int | None = None
    max: int | None = None
    min_label: ShortWords | None = None
    max_label: ShortWords | None = None
    options: list[Option] = Field(default_factory=list, max_length=MAX_OPTIONS)
    max_choices: int | None = Field(default=None, ge=1)
    other: bool = False
    max_length: int | None = Field(default=None, ge=1, le=MAX_TEXT_LENGTH)
    show_if: ShowIf | None = None
    domain: CompetenceDomain | None = None
    measure: Measure | None = None

    @model_validator(mode="after")
    def _fits_its_kind(self) -> QuestionDefinition:
        kind = self.kind
        if kind == Kind.SCALE:
            if self.min is None or self.max is None:
                raise PydanticCustomError("scale_bounds", "a scale needs min and max")
            if self.min not in (0, 1) or not self.min < self.max <= MAX_SCALE:
                raise PydanticCustomError(
                    "scale_range",
                    "a scale goes from 0 or 1 to at most {limit}",
                    {"limit": MAX_SCALE},
                )
        elif kind == Kind.NUMBER:
            if self.min is None or self.max is None or self.min > self.max:
                raise PydanticCustomError("number_bounds", "a number needs min <= max")
        elif self.min is not None or self.max is not None:
            raise PydanticCustomError(
                "not_for_kind", "{field} is not for this kind", {"field": "min/max"}
            )
        if kind != Kind.SCALE and (self.min_label or self.max_label):
            raise PydanticCustomError(
                "not_for_kind", "{field} is not for this kind", {"field": "min_label/max_label"}
            )
        if kind in (Kind.CHOICE, Kind.MULTI):
            codes = [option.id for option in self.options]
            if len(codes) < 2:
                raise PydanticCustomError("few_options", "a choice needs at least two options")
            if len(set(codes)) != len(codes):
                raise PydanticCustomError("repeated_option", "two options have the same id")
            if "other" in codes:
                raise PydanticCustomError(
                    "reserved_option", "the option id 'other' is reserved; use other: true"
                )
        elif self.options or self.other:
            raise PydanticCustomError(
                "not_for_kind", "{field} is not for this kind", {"field": "options/other"}
            )
        if self.max_choices is not None and kind != Kind.MULTI:
            raise PydanticCustomError(
                "not_for_kind", "{field} is not for this kind", {"field": "max_choices"}
            )
        if self.max_length is not None and kind not in (Kind.TEXT, Kind.LONG_TEXT):
            raise PydanticCustomError(
                "not_for_kind", "{field} is not for this kind", {"field": "max_length"}
            )
        if self.domain is not None and kind != Kind.SCALE:
            raise PydanticCustomError("domain_scale", "a domain's self-assessment is a scale")
        if self.measure is not None and kind not in (Kind.SCALE, Kind.CHOICE, Kind.YES_NO):
            raise PydanticCustomError("measure_kind", "a measured answer is a scale or a choice")
        return self

    @property
    def codes(self) -> list[str]:
        """The answers a show-if may name."""
        if self.kind == Kind.YES_NO:
            return [YES, NO]
        return [option.id for option in self.options]

    @property
    def text_limit(self) -> int:
        if self.max_length is not None:
            return self.max_length
        return LONG_TEXT_LENGTH if self.kind == Kind.LONG_TEXT else TEXT_LENGTH


class QuestionnaireDefinition(_Strict):
    id: Code
    version: int = Field(ge=1, le=10_000)
    audience: Audience
    title: ShortWords
    intro: Words | None = None
    questions: list[QuestionDefinition] = Field(min_length=1, max_length=MAX_QUESTIONS)

    @model_validator(mode="after")
    def _questions_agree(self) -> QuestionnaireDefinition:
        seen: dict[str, QuestionDefinition] = {}
        measures: set[Measure] = set()
        for question in self.questions:
            if question.measure is not None:
                # Results count one answer per measure and person.
                if question.measure in measures:
                    raise PydanticCustomError(
                        "repeated_measure",
                        "two questions have the measure {measure}",
                        {"measure": question.measure.value},
                    )
                measures.add(question.measure)
            if question.id in seen:
                raise PydanticCustomError(
                    "repeated_question",
                    "two questions have the id {question}",
                    {"question": question.id},
                )
            rule = question.show_if
            if rule is not None:
                earlier = seen.get(rule.question)
                if earlier is None:
                    raise PydanticCustomError(
                        "show_if_earlier",
                        "question {question}: show_if must name an earlier question",
                        {"question": question.id},
                    )
                unknown = [value for value in rule.equals if value not in earlier.codes]
                if not earlier.codes or unknown:
                    raise PydanticCustomError(
                        "show_if_values",
                        "question {question}: show_if names answers {earlier} does not have",
                        {"question": question.id, "earlier": earlier.id},
                    )
            seen[question.id] = question
        return self


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a definition file."""

    file: str
    code: str  # pydantic's error type or one of the custom codes above ("scale_range"…)
    location: tuple[str | int, ...]  # where in the file, as pydantic gives it
    question: str | None = None  # the id (or else "#n") of the question it is in
    context: dict[str, Any] = field(default_factory=dict)
    message: str = ""  # English, for developers and logs

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.location)
        about = f"question {self.question}: " if self.question else ""
        return f"{self.file}: {about}{where + ': ' if where else ''}{self.message}"


class DefinitionInvalid(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def parse(source: str | bytes, file: str) -> QuestionnaireDefinition:
    """The definition in `source` (a YAML file's content), or DefinitionInvalid with every
    problem found."""
    if len(source) > MAX_FILE_BYTES:
        raise DefinitionInvalid(
            [Problem(file, "file_too_large", (), message="the file is too large")]
        )
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DefinitionInvalid(
                [Problem(file, "not_utf8", (), message="not UTF-8 text")]
            ) from None
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        raise DefinitionInvalid(
            [
                Problem(
                    file,
                    "not_yaml",
                    (),
                    context={"line": line},
                    message=f"not valid YAML (line {line})",
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise DefinitionInvalid([Problem(file, "not_a_mapping", (), message="not a questionnaire")])
    try:
        return QuestionnaireDefinition.model_validate(data)
    except ValidationError as error:
        raise DefinitionInvalid(_problems(error, data, file)) from None


def _problems(error: ValidationError, data: dict[str, Any], file: str) -> list[Problem]:
    problems = []
    questions = data.get("questions")
    for item in error.errors(include_url=False):
        location = tuple(
            part for part in item["loc"] if not isinstance(part, str) or "[" not in part
        )
        question = None
        if len(location) >= 2 and location[0] == "questions" and isinstance(location[1], int):
            index = location[1]
            raw = (
                questions[index] if isinstance(questions, list) and index < len(questions) else None
            )
            named = raw.get("id") if isinstance(raw, dict) else None
            question = str(named) if isinstance(named, str) and named else f"#{index + 1}"
            location = location[2:]
        context = {
            key: value
            for key, value in (item.get("ctx") or {}).items()
            if isinstance(value, str | int | float)
        }
        problems.append(
            Problem(file, item["type"], location, question, context, message=item["msg"])
        )
    return problems


def dump(definition: QuestionnaireDefinition) -> str:
    """A definition as a YAML file a curator can edit (the upload reads it back unchanged)."""
    data = definition.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    # `audience`, `version`… are required and so never defaults; a question's `required: true`
    # is, and is left out as the reader assumes it.
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
