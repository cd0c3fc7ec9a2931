"""The Excel workbook of `/report`: the registers, the meeting log, questionnaire results and the
indicators of a school, or the coordinator's roll-up; real Excel types (dates, numbers, %),
frozen headers, filters, widths, and a sheet that explains every column.

XlsxWriter in constant-memory mode writes each row to a temporary file as it goes, so a long
meeting log costs no memory (docs/benchmarks.md); rows are therefore written strictly in order."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from bot.documents.columns import (
    DATE,
    DECIMAL,
    INDICATOR_COLUMNS,
    MEETING_COLUMNS,
    MENTEE_COLUMNS,
    MENTOR_COLUMNS,
    NUMBER,
    ORGANISATION_COLUMNS,
    PAIR_COLUMNS,
    PERCENT,
    RESULT_COLUMNS,
    TEXT,
    Column,
)
from bot.documents.words import indicator_name, indicator_rule, period_name, source_name
from bot.telegram.labels import (
    domain_name,
    meeting_format_name,
    mentee_category_name,
    subject_name,
)
from bot.telegram.mentoring_labels import (
    change_reason_name,
    meeting_kind_name,
    mentoring_type_name,
    pair_status_name,
    request_status_name,
    topic_name,
    urgency_name,
)
from services.questionnaires.results import CampaignResults
from services.questionnaires.scores import MIN_GROUP
from services.reports.documents import MunicipalReport, SchoolReport
from services.reports.indicators import Measured
from services.reports.registers import Named
from services.reports.stats import OrganisationStats
from services.reports.tallies import Counts

MAX_CELL = 32_767  # Excel's limit on the characters of one cell


def person(named: Named | None) -> str:
    if named is None:
        return ""
    if named.full_name:
        return named.full_name
    return _("participant № {number}").format(number=named.withdrawn_number or "—")


def _share(numerator: int, denominator: int | None) -> float | None:
    """A fraction for Excel's % format."""
    return numerator / denominator if denominator else None


class _Book:
    def __init__(self, title: str, author: str, comments: str) -> None:
        self.output = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.output,
            {"constant_memory": True, "default_date_format": "dd.mm.yyyy", "remove_timezone": True},
        )
        self.book.set_properties({"title": title, "author": author, "comments": comments})
        self.formats: dict[str, Format | None] = {
            TEXT: self.book.add_format({"text_wrap": False}),
            NUMBER: None,
            DATE: self.book.add_format({"num_format": "dd.mm.yyyy"}),
            PERCENT: self.book.add_format({"num_format": "0.0%"}),
            DECIMAL: self.book.add_format({"num_format": "0.00"}),
        }
        self.header = self.book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.bold = self.book.add_format({"bold": True})
        self.explained: list[tuple[str, Sequence[Column]]] = []

    def sheet(self, name: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> None:
        sheet: Worksheet = self.book.add_worksheet(name[:31])
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width, self.formats[column.kind])
            sheet.write_string(0, index, _(column.header), self.header)
        sheet.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows, start=1):
            for index, (column, value) in enumerate(zip(columns, row, strict=True)):
                self._write(sheet, count, index, column.kind, value)
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
        self.explained.append((name, columns))

    def _write(self, sheet: Worksheet, row: int, col: int, kind: str, value: Any) -> None:
        if value is None or value == "":
            return
        if kind == DATE and isinstance(value, date | datetime):
            sheet.write_datetime(row, col, _naive(value), self.formats[DATE])
        elif kind in (NUMBER, PERCENT, DECIMAL) and isinstance(value, int | float):
            sheet.write_number(row, col, value, self.formats[kind])
        else:
            # write_string: a teacher's words starting with "=" must never become a formula.
            sheet.write_string(row, col, str(value)[:MAX_CELL])

    def about(self, lines: Sequence[tuple[str, str]]) -> None:
        """The first sheet: what the workbook is, for whom, when and by whom it was made."""
        sheet = self.book.add_worksheet(_("About")[:31])
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 90)
        for row, (label, value) in enumerate(lines):
            sheet.write_string(row, 0, label, self.bold)
            sheet.write_string(row, 1, value)

    def close(self) -> bytes:
        sheet = self.book.add_worksheet(_("Columns")[:31])
        sheet.set_column(0, 0, 26)
        sheet.set_column(1, 1, 30)
        sheet.set_column(2, 2, 100)
        for col, header in enumerate((_("Sheet"), _("Column"), _("What it holds"))):
            sheet.write_string(0, col, header, self.header)
        sheet.freeze_panes(1, 0)
        row = 0
        for name, columns in self.explained:
            for column in columns:
                row += 1
                sheet.write_string(row, 0, name)
                sheet.write_string(row, 1, _(column.header))
                sheet.write_string(row, 2, _(column.meaning))
        self.book.close()
        return self.output.getvalue()


def _naive(value: date | datetime) -> date | datetime:
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value


def _language() -> str:
    return str(get_i18n().current_locale)


# --- indicators -----------------------------------------------------------------------------


def _indicator_rows(values: Sequence[Measured], threshold: int | None) -> list[list[Any]]:
    return [
        [
            indicator_name(value.indicator),
            value.numerator,
            value.denominator,
            source_name(value.source),
            _share(value.numerator, value.denominator),
            value.target_year,
            value.target / 100 if value.target is not None else None,
            "" if value.met is None else _("yes") if value.met else _("no"),
            indicator_rule(value.indicator, threshold),
        ]
        for value in values
    ]


# --- a school ---------------------------------------------------------------------------------


def _result_rows(found: Sequence[CampaignResults]) -> Iterable[list[Any]]:
    language = _language()
    groups = {"all": _("all"), "mentee": _("mentees"), "mentor": _("mentors")}
    for item in found:
        definition, results = item.definition, item.results
        title = definition.title[language]
        versions = ", ".join(str(v) for v in results.versions)
        texts = {question.id: question.text[language] for question in definition.questions}
        for rate in results.satisfaction:
            yield [
                title,
                versions,
                groups.get(rate.group, rate.group),
                _("Satisfied: overall score at least {threshold} of {maximum}").format(
                    threshold=rate.threshold, maximum=rate.maximum
                ),
                rate.n,
                None,
                None,
                _("{satisfied} of {n}").format(satisfied=rate.satisfied, n=rate.n)
                if rate.shown
                else _("fewer than {minimum} answers").format(minimum=MIN_GROUP),
            ]
        for group in results.groups:
            for question in group.questions:
                shown = group.shown
                yield [
                    title,
                    versions,
                    groups.get(group.group, group.group),
                    texts.get(question.question_id, question.question_id),
                    question.n,
                    question.mean if shown else None,
                    question.median if shown else None,
                    "; ".join(f"{value}: {number}" for value, number in question.distribution)
                    if shown
                    else _("fewer than {minimum} answers").format(minimum=MIN_GROUP),
                ]


def school_workbook(report: SchoolReport) -> bytes:
    stats, registers = report.stats, report.registers
    made = stats.made_at.astimezone(ZoneInfo(stats.timezone))
    book = _Book(
        _("Mentoring programme: {organisation}").format(organisation=stats.organisation_name),
        report.made_by,
        period_name(stats.period),
    )
    book.about(_about(stats, report.made_by, made, report.threshold))
    book.sheet(
        _("Indicators"), INDICATOR_COLUMNS, _indicator_rows(stats.indicators, report.threshold)
    )
    book.sheet(
        _("Mentor registry"),
        MENTOR_COLUMNS,
        (
            [
                person(row.person),
                row.position,
                ", ".join(subject_name(subject) for subject in row.subjects),
                row.experience_years,
                row.organisation_years,
                ", ".join(domain_name(domain) for domain in row.domains),
                row.capacity,
                row.mentees_now,
                row.pairs_in_period,
                _("no") if row.unreachable else _("yes"),
            ]
            for row in registers.mentors
        ),
    )
    book.sheet(
        _("Mentee base"),
        MENTEE_COLUMNS,
        (
            [
                person(row.person),
                row.position,
                mentee_category_name(row.category) if row.category else "",
                row.experience_years,
                row.request_filed,
                ", ".join(topic_name(topic) for topic in row.topics),
                row.difficulty,
                mentoring_type_name(row.mentoring_type) if row.mentoring_type else "",
                urgency_name(row.urgency) if row.urgency else "",
                request_status_name(row.request_status) if row.request_status else "",
                person(row.mentor),
            ]
            for row in registers.mentees
        ),
    )
    book.sheet(
        _("Pairs"),
        PAIR_COLUMNS,
        (
            [
                row.pair_id,
                person(row.mentor),
                person(row.mentee),
                mentoring_type_name(row.mentoring_type),
                pair_status_name(row.status),
                row.created,
                row.started,
                row.order_number,
                row.order_date,
                row.ended,
                change_reason_name(row.end_reason) if row.end_reason else "",
                row.meetings_in_period,
                row.last_meeting,
            ]
            for row in registers.pairs
        ),
    )
    book.sheet(
        _("Meeting log"),
        MEETING_COLUMNS,
        (
            [
                row.held_on,
                row.pair_id,
                person(row.mentor),
                person(row.mentee),
                meeting_kind_name(row.kind),
                meeting_format_name(row.meeting_format) if row.meeting_format else "",
                row.duration_minutes,
                row.topic,
                row.usefulness,
                row.next_step,
            ]
            for row in registers.meetings
        ),
    )
    book.sheet(_("Questionnaires"), RESULT_COLUMNS, _result_rows(report.questionnaires))
    return book.close()


def _about(
    stats: OrganisationStats, made_by: str, made: datetime, threshold: int | None
) -> list[tuple[str, str]]:
    lines = [
        (_("Organisation"), stats.organisation_name),
        (_("Period"), period_name(stats.period)),
        (_("Made"), f"{made:%d.%m.%Y %H:%M}"),
        (_("Made by"), made_by),
    ]
    if threshold is not None:
        lines.append(
            (
                _("Satisfaction %"),
                _(
                    "the share of respondents whose overall score is at least {threshold} of 10."
                ).format(threshold=threshold),
            )
        )
    lines.append((_("Personal data"), _("For the organisation's own files: do not pass it on.")))
    return lines


# --- a coordinator ----------------------------------------------------------------------------


def _organisation_row(name: str, counts: Counts) -> list[Any]:
    def satisfied(side: str) -> float | None:
        tally = counts.satisfaction.get(side)
        # No group smaller than 3 is broken down.
        if tally is None or tally.n < MIN_GROUP:
            return None
        return tally.satisfied / tally.n

    cycles = counts.cycles_met + counts.cycles_missed
    return [
        name,
        counts.participants,
        counts.mentors_in_pairs,
        counts.mentees_in_pairs,
        counts.pairs_total,
        counts.meetings,
        _share(counts.cycles_met, cycles),
        _share(counts.responses_submitted, counts.responses_opened),
        satisfied("mentee"),
        satisfied("mentor"),
        _("yes") if counts.mentors_in_pairs else _("no"),
    ]


def municipal_workbook(report: MunicipalReport) -> bytes:
    roll_up = report.roll_up
    timezone = roll_up.rows[0].timezone if roll_up.rows else "UTC"
    made = roll_up.made_at.astimezone(ZoneInfo(timezone))
    book = _Book(_("Mentoring programmes: roll-up"), report.made_by, period_name(roll_up.period))
    book.about(
        [
            (_("Organisations"), str(len(roll_up.rows))),
            (_("Period"), period_name(roll_up.period)),
            (_("Made"), f"{made:%d.%m.%Y %H:%M}"),
            (_("Made by"), report.made_by),
            (
                _("Personal data"),
                _("None: counts and shares only; groups under 3 not broken down."),
            ),
        ]
    )
    book.sheet(
        _("Organisations"),
        ORGANISATION_COLUMNS,
        [
            *(_organisation_row(row.organisation_name, row.counts) for row in roll_up.rows),
            _organisation_row(_("Total"), roll_up.totals),
        ],
    )
    book.sheet(_("Indicators"), INDICATOR_COLUMNS, _indicator_rows(roll_up.indicators, None))
    return book.close()
