"""The questionnaire definition files: every rule of the schema answers with the file, the
question and a code the chat puts into words; the built-in files obey them all."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from services.forms.definitions import QuestionKind
from services.questionnaires.as_form import as_form, form_id
from services.questionnaires.library import builtin_definitions
from services.questionnaires.schema import (
    DefinitionInvalid,
    Kind,
    Measure,
    Problem,
    dump,
    parse,
)

WORDS = {"ru": "Текст", "en": "Text"}


def question(**fields: Any) -> dict[str, Any]:
    return {"id": "q", "kind": "text", "text": WORDS, **fields}


def definition(*questions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "id": "survey",
        "version": 1,
        "audience": "mentee",
        "title": {"ru": "Анкета", "en": "Survey"},
        "questions": list(questions) or [question()],
        **fields,
    }


def problems_of(data: dict[str, Any] | str) -> list[Problem]:
    source = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    with pytest.raises(DefinitionInvalid) as caught:
        parse(source, "survey.yaml")
    return caught.value.problems


def only_problem(data: dict[str, Any] | str) -> Problem:
    [problem] = problems_of(data)
    assert problem.file == "survey.yaml"
    return problem


CHOICE = {"kind": "choice", "options": [{"id": "a", "text": WORDS}, {"id": "b", "text": WORDS}]}


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "scale"}, "scale_bounds"),
        ({"kind": "scale", "min": 2, "max": 5}, "scale_range"),
        ({"kind": "scale", "min": 1, "max": 11}, "scale_range"),
        ({"kind": "number", "min": 5, "max": 1}, "number_bounds"),
        ({"kind": "text", "min": 1, "max": 5}, "not_for_kind"),
        ({"kind": "text", "min_label": WORDS}, "not_for_kind"),
        ({"kind": "text", "options": CHOICE["options"]}, "not_for_kind"),
        ({"kind": "choice", "max_choices": 2, "options": CHOICE["options"]}, "not_for_kind"),
        ({"kind": "scale", "min": 1, "max": 5, "max_length": 10}, "not_for_kind"),
        ({"kind": "choice", "options": [{"id": "a", "text": WORDS}]}, "few_options"),
        (
            {"kind": "multi", "options": [{"id": "a", "text": WORDS}, {"id": "a", "text": WORDS}]},
            "repeated_option",
        ),
        (
            {
                "kind": "choice",
                "options": [{"id": "a", "text": WORDS}, {"id": "other", "text": WORDS}],
            },
            "reserved_option",
        ),
        ({"kind": "text", "domain": "ict"}, "domain_scale"),
        ({"kind": "text", "measure": "satisfaction"}, "measure_kind"),
        ({"kind": "text", "max_length": 0}, "greater_than_equal"),
        ({"kind": "text", "max_length": 100_000}, "less_than_equal"),
        ({"kind": "essay"}, "enum"),
        ({"kind": "scale", "min": 1, "max": 5, "domain": "astrology"}, "enum"),
        ({"text": {"ru": "Текст"}}, "missing"),
        ({"text": {"ru": " ", "en": "Text"}}, "string_too_short"),
        ({"text": {"ru": "я" * 1001, "en": "Text"}}, "string_too_long"),
        ({"colour": "red"}, "extra_forbidden"),
        ({"id": "Question 1"}, "string_pattern_mismatch"),
        ({"required": "maybe"}, "bool_parsing"),
    ],
)
def test_each_rule_of_a_question_names_the_question(fields: dict[str, Any], code: str) -> None:
    problem = only_problem(definition(question(**fields)))
    assert problem.code == code
    assert problem.question in ("q", "#1", fields.get("id"))
    assert "survey.yaml" in str(problem)


def test_a_long_option_is_refused_where_it_is() -> None:
    options = [{"id": "a", "text": {"ru": "я" * 61, "en": "a"}}, {"id": "b", "text": WORDS}]
    problem = only_problem(definition(question(kind="choice", options=options)))
    assert problem.code == "string_too_long"
    assert problem.location == ("options", 0, "text", "ru")
    assert problem.context == {"max_length": 60}


def test_a_question_without_an_id_is_named_by_its_number() -> None:
    second = {"kind": "text", "text": WORDS}
    problem = only_problem(definition(question(), second))
    assert problem.code == "missing"
    assert problem.question == "#2"
    assert problem.location == ("id",)


@pytest.mark.parametrize(
    ("questions", "code"),
    [
        ([question(), question()], "repeated_question"),
        ([question(show_if={"question": "q", "equals": ["a"]})], "show_if_earlier"),
        (
            [
                question(id="fit", **CHOICE),
                question(id="why", show_if={"question": "fit", "equals": ["c"]}),
            ],
            "show_if_values",
        ),
        (
            [
                question(id="free"),
                question(id="why", show_if={"question": "free", "equals": ["a"]}),
            ],
            "show_if_values",
        ),
        (
            [
                question(id="a", kind="scale", min=1, max=10, measure="satisfaction"),
                question(id="b", kind="scale", min=1, max=10, measure="satisfaction"),
            ],
            "repeated_measure",
        ),
    ],
)
def test_rules_across_questions(questions: list[dict[str, Any]], code: str) -> None:
    assert only_problem(definition(*questions)).code == code


def test_yes_no_answers_can_be_named_by_a_show_if() -> None:
    parsed = parse(
        yaml.safe_dump(
            definition(
                question(id="met", kind="yes_no"),
                question(id="why", show_if={"question": "met", "equals": ["no"]}),
            )
        ),
        "survey.yaml",
    )
    assert parsed.questions[1].show_if is not None


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"version": 0}, "greater_than_equal"),
        ({"version": "two"}, "int_parsing"),
        ({"audience": "parents"}, "enum"),
        ({"questions": []}, "too_short"),
        ({"title": {"ru": "Анкета", "en": "Survey" * 20}}, "string_too_long"),
        ({"id": "my survey"}, "string_pattern_mismatch"),
    ],
)
def test_rules_of_the_questionnaire(fields: dict[str, Any], code: str) -> None:
    problem = only_problem(definition(**fields))
    assert problem.code == code
    assert problem.question is None


def test_all_problems_are_reported_at_once() -> None:
    problems = problems_of(
        definition(question(id="a", kind="scale", min=1, max=50), question(id="b", colour=1))
    )
    assert {(p.question, p.code) for p in problems} == {
        ("a", "scale_range"),
        ("b", "extra_forbidden"),
    }


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("id: [unclosed", "not_yaml"),
        ("- just\n- a list", "not_a_mapping"),
        ("x" * 300_000, "file_too_large"),
    ],
)
def test_files_that_are_not_questionnaires(source: str, code: str) -> None:
    assert only_problem(source).code == code


def test_bytes_that_are_not_utf8() -> None:
    with pytest.raises(DefinitionInvalid) as caught:
        parse("id: анкета".encode("cp1251"), "survey.yaml")
    assert caught.value.problems[0].code == "not_utf8"


def test_only_safe_yaml_is_read() -> None:
    source = "!!python/object/apply:os.system ['echo unsafe']"
    assert only_problem(source).code == "not_yaml"


def test_the_built_in_questionnaires_parse_and_come_back_from_their_dump() -> None:
    found = {definition.id: definition for definition, _source in builtin_definitions()}
    assert set(found) == {
        "meeting_feedback",
        "entry_diagnosis",
        "exit_diagnosis",
        "satisfaction_mentee",
        "satisfaction_mentor",
        "mentor_intake",
        "fit_check",
        "pulse",
    }
    for definition in found.values():
        assert parse(dump(definition), f"{definition.id}.yaml") == definition


def test_entry_and_exit_diagnosis_ask_the_same_parameters() -> None:
    found = {definition.id: definition for definition, _source in builtin_definitions()}
    entry, exit_ = found["entry_diagnosis"], found["exit_diagnosis"]
    measured = [q for q in entry.questions if q.domain or q.measure]
    assert len([q for q in measured if q.domain]) == 9
    exit_questions = {q.id: q for q in exit_.questions}
    for item in measured:
        assert exit_questions[item.id].model_dump() == item.model_dump()


def test_satisfaction_is_measured_on_ten_points() -> None:
    found = {definition.id: definition for definition, _source in builtin_definitions()}
    for code in ("satisfaction_mentee", "satisfaction_mentor"):
        [overall] = [q for q in found[code].questions if q.measure == Measure.SATISFACTION]
        assert (overall.kind, overall.min, overall.max) == (Kind.SCALE, 1, 10)


def test_a_definition_as_a_form_in_each_language() -> None:
    parsed = parse(
        yaml.safe_dump(
            definition(
                question(
                    id="useful",
                    kind="scale",
                    min=1,
                    max=5,
                    min_label={"ru": "Нет", "en": "No"},
                    max_label={"ru": "Очень", "en": "Very"},
                ),
                question(id="met", kind="yes_no"),
                question(id="long", kind="long_text", required=False),
            ),
            allow_unicode=True,
        ),
        "survey.yaml",
    )
    russian, english = as_form(parsed, "ru"), as_form(parsed, "en")
    assert russian.id != english.id
    assert russian.id == form_id(parsed, "ru")
    assert russian.title == "Анкета" and english.title == "Survey"
    useful, met, long = english.questions
    assert (useful.kind, useful.minimum, useful.maximum) == (QuestionKind.SCALE, 1, 5)
    assert useful.detail == "1 — No, 5 — Very"
    assert met.options == (("yes", "Yes"), ("no", "No"))
    assert russian.questions[1].options == (("yes", "Да"), ("no", "Нет"))
    assert (long.kind, long.max_length, long.required) == (QuestionKind.TEXT, 2000, False)
