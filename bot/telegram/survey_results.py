"""A campaign's results as one message for its curator: satisfaction by its stated rule, each
question's n, mean, median and distribution, groups of fewer than three not broken down, and
the free-text answers (the curator's eyes only), shortened to fit a Telegram message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.telegram.html import Html
from bot.telegram.labels import domain_name
from bot.telegram.texts import Texts
from services.questionnaires.results import CampaignResults
from services.questionnaires.schema import NO, YES, Kind, QuestionDefinition
from services.questionnaires.scores import ALL, QuestionResult

FREE_TEXT_SHOWN = 15
FREE_TEXT_LENGTH = 200
_SIDES: dict[str, Callable[[], str]] = {
    "mentee": lambda: _("mentees"),
    "mentor": lambda: _("mentors"),
    "curator": lambda: _("curators"),
}


def _side(side: str) -> str:
    words = _SIDES.get(side)
    return words() if words else side


def _value_words(question: QuestionDefinition, value: str, language: str) -> str:
    if question.kind == Kind.YES_NO:
        return _("yes") if value == YES else _("no") if value == NO else value
    if question.kind in (Kind.CHOICE, Kind.MULTI):
        if value == "other":
            return _("other")
        for option in question.options:
            if option.id == value:
                return option.text[language]
    return value


def _distribution(question: QuestionDefinition, result: QuestionResult, language: str) -> str:
    return " · ".join(
        f"{_value_words(question, value, language)}: {count}"
        for value, count in result.distribution
        if count or question.kind != Kind.NUMBER
    )


def render_results(texts: Texts, found: CampaignResults, language: str) -> Html:
    definition = found.definition
    questions = {question.id: question for question in definition.questions}
    numbers = {question.id: number for number, question in enumerate(definition.questions, 1)}
    results = found.results
    groups: list[dict[str, Any]] = []
    for group in results.groups:
        groups.append(
            {
                "words": None if group.group == ALL else _side(group.group),
                "shown": group.shown,
                "respondents": group.respondents,
                "questions": [
                    {
                        "number": numbers[result.question_id],
                        "text": questions[result.question_id].text[language],
                        "n": result.n,
                        "shown": result.shown,
                        "mean": result.mean,
                        "median": result.median,
                        "distribution": _distribution(
                            questions[result.question_id], result, language
                        ),
                    }
                    for result in group.questions
                ],
            }
        )
    satisfaction = [
        {
            "group_words": None if rate.group == ALL else _side(rate.group),
            "shown": rate.shown,
            "percent": rate.percent,
            "threshold": rate.threshold,
            "maximum": rate.maximum,
            "n": rate.n,
        }
        for rate in results.satisfaction
    ]
    free = [
        {
            "words": words if len(words) <= FREE_TEXT_LENGTH else words[:FREE_TEXT_LENGTH] + "…",
            "side": _side(side),
        }
        for _question, side, words in results.free_text[:FREE_TEXT_SHOWN]
    ]
    respondents = results.groups[0].respondents if results.groups else 0
    changes = [
        {
            "domain": domain_name(change.domain),
            "n": change.n,
            "shown": change.shown,
            "before": change.before,
            "after": change.after,
        }
        for change in found.changes
    ]
    return texts.render(
        "questionnaires/results.j2",
        title=definition.title[language],
        versions=", ".join(str(version) for version in results.versions) or str(definition.version),
        respondents=respondents,
        invited=found.invited,
        satisfaction=satisfaction,
        groups=groups,
        free_text=free,
        more=max(0, len(results.free_text) - FREE_TEXT_SHOWN),
        since=found.since.strftime("%d.%m.%Y") if found.since else None,
        changes=changes,
    )
