"""The figures of a questionnaire: exact distributions, means and medians with their n, the
satisfaction rule with its threshold, groups under three not broken down, free text kept apart,
and each person's before/after over the people who answered both."""

from __future__ import annotations

from typing import Any

import pytest

from services.questionnaires.library import builtin_definitions
from services.questionnaires.schema import QuestionnaireDefinition
from services.questionnaires.scores import (
    ALL,
    MIN_GROUP,
    Answered,
    before_after,
    person_changes,
    question_result,
    results,
    satisfaction,
)


def builtin(code: str) -> QuestionnaireDefinition:
    return next(
        definition for definition, _source in builtin_definitions() if definition.id == code
    )


def answered(person_id: int, side: str = "mentee", **answers: Any) -> Answered:
    return Answered(person_id, side, 1, answers)


SATISFACTION = builtin("satisfaction_mentee")
OVERALL = next(q for q in SATISFACTION.questions if q.id == "overall")


def test_a_scale_counts_every_value_with_mean_and_median() -> None:
    result = question_result(OVERALL, [10, 7, 7, 3, None])
    assert result.n == 4  # the skipped one is not counted
    assert dict(result.distribution) == {
        "1": 0,
        "2": 0,
        "3": 1,
        "4": 0,
        "5": 0,
        "6": 0,
        "7": 2,
        "8": 0,
        "9": 0,
        "10": 1,
    }
    assert result.mean == 6.75
    assert result.median == 7.0


def test_a_multiple_choice_counts_each_option_and_typed_others() -> None:
    feedback = builtin("meeting_feedback")
    obstacles = next(q for q in feedback.questions if q.id == "obstacles")
    codes = [option.id for option in obstacles.options]
    result = question_result(
        obstacles,
        [[codes[1], codes[2]], [codes[1], {"other": "болел"}], []],
    )
    counted = dict(result.distribution)
    assert result.n == 2  # an empty choice is no answer
    assert counted[codes[1]] == 2
    assert counted[codes[2]] == 1
    assert counted["other"] == 1


@pytest.mark.parametrize(
    ("threshold", "satisfied"),
    [(7, 3), (8, 2), (10, 1)],
)
def test_satisfaction_follows_the_stated_threshold(threshold: int, satisfied: int) -> None:
    people = [answered(n, overall=score) for n, score in enumerate([10, 8, 7, 6, 2])]
    rate = satisfaction(SATISFACTION, ALL, people, threshold)
    assert rate is not None
    assert (rate.n, rate.satisfied, rate.threshold, rate.maximum) == (5, satisfied, threshold, 10)
    assert rate.percent == round(100 * satisfied / 5)


def test_a_group_of_fewer_than_three_is_not_broken_down() -> None:
    people = [
        answered(1, "mentee", overall=9, comfort=8),
        answered(2, "mentee", overall=8, comfort=7),
        answered(3, "mentee", overall=4, comfort=5),
        answered(4, "mentor", overall=10, comfort=10),
    ]
    found = results(SATISFACTION, people)
    by_group = {group.group: group for group in found.groups}
    assert by_group[ALL].respondents == 4 and by_group[ALL].shown
    assert by_group["mentee"].shown
    assert not by_group["mentor"].shown
    rates = {rate.group: rate for rate in found.satisfaction}
    assert rates["mentee"].percent == 67 and rates["mentee"].n == 3
    assert not rates["mentor"].shown
    assert MIN_GROUP == 3


def test_free_text_is_kept_apart_with_its_side() -> None:
    people = [
        answered(1, most_valuable="Разбор уроков", overall=9),
        answered(2, "mentor", missing="Времени", overall=8),
        answered(3, overall=7),
    ]
    found = results(SATISFACTION, people)
    assert set(found.free_text) == {
        ("most_valuable", "mentee", "Разбор уроков"),
        ("missing", "mentor", "Времени"),
    }
    # Free-text questions have no figures of their own.
    ids = {result.question_id for group in found.groups for result in group.questions}
    assert "most_valuable" not in ids


def test_before_and_after_over_people_who_answered_both() -> None:
    entry = builtin("entry_diagnosis")
    before = [answered(1, ict=2, subject=3), answered(2, ict=3), answered(3, ict=1)]
    after = [answered(1, ict=4, subject=5), answered(2, ict=4), answered(4, ict=5)]
    changes = {change.domain: change for change in before_after(entry, before, after)}
    assert changes["ict"].n == 2  # person 3 has no exit, person 4 no entry
    assert (changes["ict"].before, changes["ict"].after) == (2.5, 4.0)
    assert not changes["ict"].shown
    assert changes["subject"].n == 1
    assert len(changes) == 9
    assert person_changes(entry, before, after) == {
        1: {"ict": (2, 4), "subject": (3, 5)},
        2: {"ict": (3, 4)},
    }
