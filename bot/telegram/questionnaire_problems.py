"""What is wrong with an uploaded questionnaire file, in the curator's language: one line per
problem, naming the question and the field (services/questionnaires/schema.py finds them)."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.utils.i18n import gettext as _

from bot.telegram.html import Html, format_html
from services.questionnaires.schema import Problem

SHOWN = 10  # problems listed; the rest are counted

# Problem code -> its words; `{…}` are filled from the problem's context.
_WORDS: dict[str, Callable[[], str]] = {
    "missing": lambda: _("this field is missing"),
    "extra_forbidden": lambda: _("unknown field (check the spelling)"),
    "string_too_short": lambda: _("the text is empty"),
    "string_too_long": lambda: _("the text is too long: at most {max_length} characters"),
    "string_type": lambda: _("a text is expected here"),
    "string_pattern_mismatch": lambda: _(
        "an id may have only lowercase Latin letters, digits and _, up to 24 characters"
    ),
    "int_type": lambda: _("a whole number is expected here"),
    "int_parsing": lambda: _("a whole number is expected here"),
    "int_from_float": lambda: _("a whole number is expected here"),
    "bool_type": lambda: _("true or false is expected here"),
    "bool_parsing": lambda: _("true or false is expected here"),
    "enum": lambda: _("not one of the allowed values: {expected}"),
    "literal_error": lambda: _("not one of the allowed values: {expected}"),
    "greater_than_equal": lambda: _("must be at least {ge}"),
    "less_than_equal": lambda: _("must be at most {le}"),
    "too_short": lambda: _("at least {min_length} needed"),
    "too_long": lambda: _("at most {max_length} allowed"),
    "list_type": lambda: _("a list is expected here"),
    "model_type": lambda: _("a group of fields is expected here (for a text: ru and en)"),
    "dict_type": lambda: _("a group of fields is expected here (for a text: ru and en)"),
    "scale_bounds": lambda: _("a scale needs min and max"),
    "scale_range": lambda: _("a scale goes from 0 or 1 to at most {limit}"),
    "number_bounds": lambda: _("a number needs min and max, min not above max"),
    "not_for_kind": lambda: _("{field} does not apply to this kind of question"),
    "few_options": lambda: _("a choice needs at least two options"),
    "repeated_option": lambda: _("two options have the same id"),
    "reserved_option": lambda: _("the option id «other» is reserved: write other: true instead"),
    "domain_scale": lambda: _("a competence domain is assessed on a scale"),
    "measure_kind": lambda: _("a measured answer must be a scale or a choice"),
    "repeated_measure": lambda: _("two questions have the same measure {measure}"),
    "repeated_question": lambda: _("two questions have the id {question}"),
    "show_if_earlier": lambda: _("show_if must name an earlier question"),
    "show_if_values": lambda: _("show_if names answers that question does not have"),
    "version_not_newer": lambda: _(
        "the version must be higher than the current one ({current}): raise version"
    ),
    "file_too_large": lambda: _("the file is too large"),
    "not_utf8": lambda: _("the file is not UTF-8 text"),
    "not_yaml": lambda: _("the file is not valid YAML (line {line}); check quotes and indents"),
    "not_a_mapping": lambda: _("the file is not a questionnaire: it must start with id, version…"),
}


def _problem_words(problem: Problem) -> str:
    words = _WORDS.get(problem.code)
    if words is None:
        return problem.message
    try:
        return words().format(**problem.context)
    except (KeyError, IndexError, ValueError):
        return words()


def _where(problem: Problem) -> str:
    field = ".".join(str(part) for part in problem.location)
    if problem.question and field:
        return _("question {question}, {field}").format(question=problem.question, field=field)
    if problem.question:
        return _("question {question}").format(question=problem.question)
    return field


def problems_text(file_name: str, problems: list[Problem]) -> Html:
    lines = [format_html("<b>{}</b>", _("The file {name} was not saved:").format(name=file_name))]
    for problem in problems[:SHOWN]:
        where = _where(problem)
        words = _problem_words(problem)
        lines.append(
            format_html("• <i>{}</i>: {}", where, words) if where else format_html("• {}", words)
        )
    if len(problems) > SHOWN:
        lines.append(format_html("{}", _("…and {count} more.").format(count=len(problems) - SHOWN)))
    lines.append(format_html("{}", _("Correct the file and send it again, or send /cancel.")))
    return Html("\n").join(lines)
