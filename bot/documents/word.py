"""The Word documents a school signs and files, rendered with docxtpl from templates a school can
replace: the final analytical report (by 15 May), the draft of the order assigning mentoring pairs,
the quarterly report to the municipal coordinator, and the coordinator's roll-up.

Templates
---------
The defaults live in `bot/documents/templates/`, built by
`python -m bot.documents.templates.build`. A school puts its own file of the same name
(analytical_report.docx, order_draft.docx, quarterly_report.docx, municipal_report.docx) into a
folder passed as `templates`; a file missing there falls back to the default. A template is a
.docx with docxtpl's Jinja tags: `{{ x }}`, `{%p for … %}` … `{%p endfor %}` for repeated
paragraphs, `{%tr for row in rows %}` … `{%tr endfor %}` for table rows. The defaults hold no
words: every label is a variable of `t`, so a document follows the requester's language (a
school's own template may as well be written in plain Russian). Every value is text, already
formatted: dates DD.MM.YYYY, "62,5 %", "—" for unknown or hidden. An unknown variable prints as
nothing.

Every document
    organisation  the organisation's name ("" in the roll-up)
    period        the period in words ("Q3 2026", "programme year 2026/27")
    period_line   "Period: …";  made_on  DD.MM.YYYY;  made_by  the author's full name
    made          "Made on DD.MM.YYYY by …"

analytical_report.docx (итоговый аналитический отчёт) and quarterly_report.docx
    indicators    rows: name, numerator, denominator, source, value, target_year, target, met,
                  rule (how it is counted, with the satisfaction threshold)
    roles         rows: name, number (mentors, mentees, both, profile not finished);
                  participants_total  their sum
    statuses      rows: name, number (active, blocked the bot, withdrew consent)
    pair_states   rows: name, number (pairs that worked in the period, by state now);
                  pairs_total  their sum
    figures       rows: name, value (requests, pairs, meetings, cycles, questionnaires,
                  satisfaction)
    months        rows: month (MM.YYYY), meetings, met, due, compliance
    changes       rows: domain, n, before, after (entry and exit self-assessment)
    t             indicators indicator numerator denominator source value target_year target
                  met rules small_groups charts participants group status number total pairs
                  state figures figure months month meetings cycles_met cycles_due compliance
                  changes domain people before after no_changes title signed_by
  analytical_report.docx also:
    summary       sentences summing up the period
    questionnaires  items: title, code, answered, rule, satisfaction (sentences), groups: items
                  of name, shown, note, rows: text, n, mean, median, distribution
    charts        the charts (InlineImage, 16 cm wide)
    t             summary questionnaires question answers mean median distribution
                  no_questionnaires
  quarterly_report.docx also:
    t             addressee deadline privacy

order_draft.docx (проект приказа о закреплении наставнических пар)
    preamble      the legal basis;  clauses  the numbered clauses (sentences)
    pairs         rows: number, mentor, mentee, mentoring_type, formed (DD.MM.YYYY)
    people        rows: name (everyone the order names, to sign that they have read it)
    t             title subject order number_line i_order number mentor mentee mentoring_type
                  formed head prepared_by acquainted full_name signature date date_blank

municipal_report.docx (the coordinator's roll-up)
    scope         "Organisations in the report: N"
    organisations rows: organisation, participants, mentors, mentees, pairs, meetings,
                  compliance, mentee_satisfaction, mentor_satisfaction ("—" below 3 answers)
    totals        the same keys, over all the organisations
    indicators    as above;  charts  as above
    t             title privacy organisations organisation participants mentors mentees pairs
                  meetings compliance mentee_satisfaction mentor_satisfaction signed_by,
                  and the indicator labels above (indicators … charts)

No personal data in the quarterly and municipal documents: counts, shares, indicators and the
organisations' names only (the author signs them). No free-text answer is in any document.

Rendering is CPU work of a fraction of a second; an async caller runs it in a worker thread
(`asyncio.to_thread` keeps the i18n context, as `charts.draw` explains)."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage

from bot.documents.charts import Chart
from bot.documents.word_context import (
    Context,
    analytical_context,
    municipal_context,
    order_context,
    quarterly_context,
)
from services.reports.documents import MunicipalReport, SchoolReport
from services.reports.stats import OrganisationStats

__all__ = [
    "DEFAULT_TEMPLATES",
    "NothingToOrder",
    "analytical_report",
    "municipal_report",
    "order_draft",
    "quarterly_report",
    "template_path",
]

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"
ANALYTICAL = "analytical_report.docx"
ORDER = "order_draft.docx"
QUARTERLY = "quarterly_report.docx"
MUNICIPAL = "municipal_report.docx"
CHART_WIDTH = Cm(16)


class NothingToOrder(Exception):
    """No pair waits for the head's order: there is no draft to make."""


def template_path(name: str, templates: Path | None = None) -> Path:
    """The school's own template of that name if it has one, else the default."""
    if templates is not None:
        own = templates / name
        if own.is_file():
            return own
    return DEFAULT_TEMPLATES / name


def _render(
    name: str,
    templates: Path | None,
    context: Context,
    charts: Sequence[Chart] = (),
) -> bytes:
    document = DocxTemplate(template_path(name, templates))
    if charts:
        context = {
            **context,
            "charts": [
                InlineImage(document, BytesIO(chart.png), width=CHART_WIDTH) for chart in charts
            ],
        }
    # Autoescape: a name with "&" or "<" stays text, never breaks the document's XML.
    document.render(context, autoescape=True)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def analytical_report(
    report: SchoolReport, charts: Sequence[Chart], *, templates: Path | None = None
) -> bytes:
    """Итоговый аналитический отчёт: summary, indicators with their rules, participants, pairs,
    meetings by month, questionnaire results (no free text), the charts."""
    return _render(ANALYTICAL, templates, analytical_context(report), charts)


def order_draft(report: SchoolReport, *, templates: Path | None = None) -> bytes:
    """The draft of «Приказ о закреплении наставнических пар» for the pairs awaiting it;
    NothingToOrder when none does."""
    if not report.awaiting_order:
        raise NothingToOrder
    return _render(ORDER, templates, order_context(report))


def quarterly_report(
    stats: OrganisationStats, made_by: str, *, templates: Path | None = None
) -> bytes:
    """The quarterly report to the municipal coordinator (by the 10th of the next month):
    counts, shares and indicators, no personal data."""
    return _render(QUARTERLY, templates, quarterly_context(stats, made_by))


def municipal_report(
    report: MunicipalReport, charts: Sequence[Chart], *, templates: Path | None = None
) -> bytes:
    """The coordinator's roll-up: a row per organisation, the totals, the indicators, the
    charts; no personal data."""
    return _render(MUNICIPAL, templates, municipal_context(report), charts)
