"""The questionnaire results in the Word documents: answers, satisfaction by the
questionnaire's rule, and each question's mean, median and answers to choices, by group.

A group of fewer than MIN_GROUP answers is not shown, and when one side (mentees or mentors) is
too small no side is broken down, as "all respondents" minus the other side would show it. Free
text never reaches a document."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.documents.word_format import (
    DASH,
    capitalised,
    current_language,
    decimal_text,
    fewer_than_minimum,
    share,
)
from services.questionnaires.results import CampaignResults
from services.questionnaires.schema import Kind, QuestionDefinition
from services.questionnaires.scores import ALL, MIN_GROUP, QuestionResult, Satisfaction

Context = dict[str, Any]


def group_name(group: str) -> str:
    names = {
        ALL: _("All respondents"),
        "mentee": _("Mentees"),
        "mentor": _("Mentors"),
        "curator": _("Curators"),
    }
    return names.get(group, group)


def _distribution(
    result: QuestionResult, question: QuestionDefinition | None, language: str
) -> str:
    """ "yes — 5; no — 2": the answers to a choice; a scale has its mean and median instead."""
    if question is None or result.kind not in (Kind.CHOICE, Kind.MULTI, Kind.YES_NO):
        return ""
    names = {option.id: option.text[language] for option in question.options}
    names.update({"yes": _("yes"), "no": _("no"), "other": _("other")})
    return "; ".join(f"{names.get(code, code)} — {number}" for code, number in result.distribution)


def _rate_line(rate: Satisfaction, shown: bool) -> str:
    name = group_name(rate.group)
    if not shown:
        return (
            f"{name}: {fewer_than_minimum()}" if not rate.shown else f"{name}: {_not_broken_down()}"
        )
    return _("{group}: {percent} satisfied, n = {n}").format(
        group=name, percent=share(rate.satisfied, rate.n), n=rate.n
    )


def _not_broken_down() -> str:
    return _("not broken down, as another group has fewer than {minimum} answers").format(
        minimum=MIN_GROUP
    )


def questionnaire(found: CampaignResults) -> Context:
    """One questionnaire's figures: answers, satisfaction by its rule, per question mean,
    median and the answers to choices, by group. Never its free-text answers."""
    language = current_language()
    definition, results = found.definition, found.results
    questions = {question.id: question for question in definition.questions}
    sides = [group for group in results.groups if group.group != ALL]
    everyone = sum(group.respondents for group in results.groups if group.group == ALL)
    # A side is shown only when every side is: else the whole minus the others would show it.
    sides_shown = all(group.shown for group in sides)
    side_questions = {
        result.question_id: all(
            other.shown
            for group in sides
            for other in group.questions
            if other.question_id == result.question_id
        )
        for group in sides
        for result in group.questions
    }
    rates_shown = all(rate.shown for rate in results.satisfaction if rate.group != ALL)
    rule = ""
    if results.satisfaction:
        first = results.satisfaction[0]
        rule = _(
            "Satisfied: respondents whose overall score is at least {threshold} of {maximum}."
        ).format(threshold=first.threshold, maximum=first.maximum)
    groups = []
    for group in results.groups:
        own = group.group == ALL
        shown = group.shown and (own or sides_shown)
        rows = []
        for result in group.questions if shown else ():
            visible = result.shown and (own or side_questions.get(result.question_id, False))
            question = questions.get(result.question_id)
            rows.append(
                {
                    "text": question.text[language] if question else result.question_id,
                    "n": str(result.n),
                    "mean": decimal_text(result.mean) if visible else DASH,
                    "median": decimal_text(result.median) if visible else DASH,
                    "distribution": _distribution(result, question, language) if visible else DASH,
                }
            )
        groups.append(
            {
                "name": f"{group_name(group.group)}, " + _("n = {n}").format(n=group.respondents),
                "shown": shown,
                "rows": rows,
                "note": capitalised(fewer_than_minimum() if not group.shown else _not_broken_down())
                + ".",
            }
        )
    return {
        "title": definition.title[language],
        "code": definition.id,
        "answered": _("Answered: {answered} of {invited} asked.").format(
            answered=everyone, invited=found.invited
        ),
        "rule": rule,
        "satisfaction": [
            _rate_line(rate, rate.shown and (rate.group == ALL or rates_shown))
            for rate in results.satisfaction
        ],
        "groups": groups,
    }
