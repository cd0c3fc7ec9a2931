"""The results of a questionnaire: per question (distribution, mean, median, n), per group
(mentors, mentees), "satisfaction %" by a stated rule, and each person's change between the
entry and exit diagnosis. Every figure carries its n; a group of fewer than MIN_GROUP answers is
not broken down, so nobody's answers can be read off a small group. Free-text answers are for the
curator only: the results keep them apart (`free_text`), and nothing shows them to a pair.

The functions here are pure (answers in, figures out); `ScoreService` loads the answers with the
curator's rights checked. The curator's desk (reports, charts) reads the same figures."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.questionnaires.schema import (
    NO,
    YES,
    Kind,
    Measure,
    QuestionDefinition,
    QuestionnaireDefinition,
)

MIN_GROUP = 3
DEFAULT_SATISFACTION_THRESHOLD = 7
ALL = "all"


@dataclass(frozen=True, slots=True)
class Answered:
    """One submitted response: who answered as which side, with which version's answers."""

    person_id: int
    side: str  # mentee, mentor, curator
    version: int
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question_id: str
    kind: Kind
    n: int  # respondents who answered it (a skipped or hidden question is not counted)
    # answer (an option's code, a scale's number as text) -> how many; in the question's order
    distribution: tuple[tuple[str, int], ...] = ()
    mean: float | None = None
    median: float | None = None

    @property
    def shown(self) -> bool:
        return self.n >= MIN_GROUP


@dataclass(frozen=True, slots=True)
class GroupResult:
    group: str  # mentee, mentor, or ALL
    respondents: int
    questions: tuple[QuestionResult, ...] = ()

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_GROUP


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """The share of respondents whose overall score is at least `threshold` of `maximum`."""

    group: str
    threshold: int
    maximum: int
    n: int
    satisfied: int

    @property
    def shown(self) -> bool:
        return self.n >= MIN_GROUP

    @property
    def percent(self) -> int:
        return round(100 * self.satisfied / self.n) if self.n else 0


@dataclass(frozen=True, slots=True)
class Results:
    code: str
    versions: tuple[int, ...]  # the versions the answers were given to
    groups: tuple[GroupResult, ...]
    satisfaction: tuple[Satisfaction, ...] = ()
    # (question id, side, words): free-text answers, for the curator's eyes only
    free_text: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)


def _values(question: QuestionDefinition) -> list[str]:
    if question.kind == Kind.SCALE:
        low, high = question.min or 0, question.max or 0
        return [str(value) for value in range(low, high + 1)]
    if question.kind == Kind.YES_NO:
        return [YES, NO]
    return [option.id for option in question.options]


def question_result(question: QuestionDefinition, answers: Iterable[Any]) -> QuestionResult:
    given = [answer for answer in answers if answer is not None and answer != []]
    n = len(given)
    if question.kind in (Kind.SCALE, Kind.NUMBER):
        numbers = [float(value) for value in given if isinstance(value, int | float)]
        counted = Counter(str(int(value)) for value in numbers)
        order = _values(question) if question.kind == Kind.SCALE else sorted(counted, key=int)
        return QuestionResult(
            question.id,
            question.kind,
            n,
            tuple((value, counted.get(value, 0)) for value in order),
            round(statistics.fmean(numbers), 2) if numbers else None,
            statistics.median(numbers) if numbers else None,
        )
    if question.kind in (Kind.CHOICE, Kind.YES_NO, Kind.MULTI):
        counted = Counter()
        for answer in given:
            for item in answer if isinstance(answer, list) else [answer]:
                # A typed "other" counts as other; its words are the curator's free text.
                counted["other" if isinstance(item, dict) else str(item)] += 1
        order = _values(question) + (["other"] if question.other else [])
        return QuestionResult(
            question.id, question.kind, n, tuple((value, counted.get(value, 0)) for value in order)
        )
    return QuestionResult(question.id, question.kind, n)


def _group(
    definition: QuestionnaireDefinition, group: str, answered: Sequence[Answered]
) -> GroupResult:
    return GroupResult(
        group,
        len(answered),
        tuple(
            question_result(question, (item.answers.get(question.id) for item in answered))
            for question in definition.questions
            if question.kind not in (Kind.TEXT, Kind.LONG_TEXT)
        ),
    )


def satisfaction(
    definition: QuestionnaireDefinition,
    group: str,
    answered: Sequence[Answered],
    threshold: int = DEFAULT_SATISFACTION_THRESHOLD,
) -> Satisfaction | None:
    """None when the questionnaire has no overall satisfaction score."""
    overall = next((q for q in definition.questions if q.measure == Measure.SATISFACTION), None)
    if overall is None or overall.max is None:
        return None
    scores: list[int] = [
        score for item in answered if isinstance(score := item.answers.get(overall.id), int)
    ]
    satisfied = sum(1 for score in scores if score >= threshold)
    return Satisfaction(group, threshold, overall.max, len(scores), satisfied)


def results(
    definition: QuestionnaireDefinition,
    answered: Sequence[Answered],
    *,
    threshold: int = DEFAULT_SATISFACTION_THRESHOLD,
) -> Results:
    """Everything for one questionnaire (its latest definition names the questions; answers to
    older versions count where the question id is the same)."""
    sides = sorted({item.side for item in answered})
    groups = [_group(definition, ALL, answered)]
    rates = [satisfaction(definition, ALL, answered, threshold)]
    if len(sides) > 1:
        for side in sides:
            mine = [item for item in answered if item.side == side]
            groups.append(_group(definition, side, mine))
            rates.append(satisfaction(definition, side, mine, threshold))
    texts = tuple(
        (question.id, item.side, words)
        for question in definition.questions
        for item in answered
        if (words := _free_text(question, item.answers.get(question.id)))
    )
    return Results(
        definition.id,
        tuple(sorted({item.version for item in answered})),
        tuple(groups),
        tuple(rate for rate in rates if rate is not None),
        texts,
    )


def _free_text(question: QuestionDefinition, answer: Any) -> str:
    """The free-text part of an answer: a text, or the words of a typed "other"."""
    if question.kind in (Kind.TEXT, Kind.LONG_TEXT):
        return answer if isinstance(answer, str) else ""
    if isinstance(answer, dict):
        return str(answer.get("other", ""))
    if isinstance(answer, list):
        return "; ".join(str(item.get("other", "")) for item in answer if isinstance(item, dict))
    return ""


@dataclass(frozen=True, slots=True)
class Change:
    """Entry and exit self-assessment in one competence domain, over the people who gave both."""

    domain: str
    n: int
    before: float | None
    after: float | None

    @property
    def shown(self) -> bool:
        return self.n >= MIN_GROUP


def before_after(
    definition: QuestionnaireDefinition,
    entry: Sequence[Answered],
    exit_: Sequence[Answered],
) -> tuple[Change, ...]:
    """Per domain: the mean before and after among people who answered both."""
    first = {item.person_id: item.answers for item in entry}
    last = {item.person_id: item.answers for item in exit_}
    both = sorted(set(first) & set(last))
    changes = []
    for question in definition.questions:
        if question.domain is None:
            continue
        pairs: list[tuple[int, int]] = []
        for person in both:
            before, after = first[person].get(question.id), last[person].get(question.id)
            if isinstance(before, int) and isinstance(after, int):
                pairs.append((before, after))
        changes.append(
            Change(
                question.domain.value,
                len(pairs),
                round(statistics.fmean(a for a, _b in pairs), 2) if pairs else None,
                round(statistics.fmean(b for _a, b in pairs), 2) if pairs else None,
            )
        )
    return tuple(changes)


def person_changes(
    definition: QuestionnaireDefinition,
    entry: Sequence[Answered],
    exit_: Sequence[Answered],
) -> dict[int, dict[str, tuple[int, int]]]:
    """Each person's own before and after per domain (the curator's registry of results): person
    id -> domain -> (entry score, exit score), for people who answered both."""
    first = {item.person_id: item.answers for item in entry}
    last = {item.person_id: item.answers for item in exit_}
    changes: dict[int, dict[str, tuple[int, int]]] = {}
    for person in sorted(set(first) & set(last)):
        for question in definition.questions:
            if question.domain is None:
                continue
            before, after = first[person].get(question.id), last[person].get(question.id)
            if isinstance(before, int) and isinstance(after, int):
                changes.setdefault(person, {})[question.domain.value] = (before, after)
    return changes
