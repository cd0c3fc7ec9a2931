"""The variables of the Word documents (`bot.documents.word` lists them): every word in the
requester's language through gettext, numbers and dates printed the reader's way. Pure: a report's
figures in, plain dicts and strings out.

Privacy: a figure over fewer than MIN_GROUP answers is never shown; when one side of a
questionnaire (mentees or mentors) is too small, no side is broken down, as "all respondents"
minus the other side would show it. Free-text answers never reach a document."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.documents.word_format import (
    DASH,
    capitalised,
    decimal_text,
    fewer_than_minimum,
    local_day,
    person_name,
    share,
    yes_no,
)
from bot.documents.word_results import questionnaire
from bot.documents.word_summary import is_hidden, summary
from bot.documents.words import indicator_name, indicator_rule, percent, period_name, source_name
from bot.telegram.labels import domain_name, participant_status_name, profile_role_name
from bot.telegram.mentoring_labels import mentoring_type_name, pair_status_name
from models import PairStatus, PersonStatus, ProfileRole
from services.questionnaires.scores import MIN_GROUP
from services.reports.documents import MunicipalReport, SchoolReport
from services.reports.indicators import Measured
from services.reports.periods import Period
from services.reports.stats import OrganisationStats
from services.reports.tallies import LONG_WAIT_DAYS, NO_PROFILE, Counts, SatisfactionCount, months

Context = dict[str, Any]
DEFAULT_TIMEZONE = "Europe/Moscow"  # a roll-up of no organisations has no zone of its own


def header(
    organisation: str, period: Period, made_at: datetime, timezone: str, made_by: str
) -> Context:
    made_on = local_day(made_at, timezone)
    if made_by:
        made = _("Made on {date} by {name}.").format(date=made_on, name=made_by)
    else:
        made = _("Made on {date}.").format(date=made_on)
    return {
        "organisation": organisation,
        "period": period_name(period),
        "period_line": _("Period: {period}").format(period=period_name(period)),
        "made_on": made_on,
        "made_by": made_by,
        "made": made,
    }


def indicator_labels() -> dict[str, str]:
    return {
        "indicators": _("Indicators"),
        "indicator": _("Indicator"),
        "numerator": _("Counted"),
        "denominator": _("Out of"),
        "source": _("Source of the denominator"),
        "value": _("Value"),
        "target_year": _("Target year"),
        "target": _("Target"),
        "met": _("Target met"),
        "rules": _("How the indicators are counted"),
        "small_groups": _(
            "Figures over fewer than {minimum} answers are not shown, so that nobody's answers "
            "can be told apart."
        ).format(minimum=MIN_GROUP),
        "charts": _("Charts"),
    }


def count_labels() -> dict[str, str]:
    return {
        **indicator_labels(),
        "participants": _("Participants"),
        "group": _("Group"),
        "status": _("Status"),
        "number": _("Number"),
        "total": _("Total"),
        "pairs": _("Mentoring pairs"),
        "state": _("State"),
        "figures": _("Figures of the period"),
        "figure": _("Figure"),
        "months": _("Meetings by month"),
        "month": _("Month"),
        "meetings": _("Meetings held"),
        "cycles_met": _("Cycles with a meeting"),
        "cycles_due": _("Cycles due"),
        "compliance": _("Cadence compliance"),
        "changes": _("Before and after (entry → exit diagnosis, the same people)"),
        "domain": _("Competence domain"),
        "people": _("People"),
        "before": _("Before (entry diagnosis)"),
        "after": _("After (exit diagnosis)"),
        "no_changes": _("No exit diagnosis was finished in this period."),
    }


def indicator_rows(values: Iterable[Measured], threshold: int | None) -> list[Context]:
    rows = []
    for value in values:
        hidden = is_hidden(value)
        rows.append(
            {
                "name": indicator_name(value.indicator),
                "numerator": DASH if hidden else str(value.numerator),
                "denominator": DASH if value.denominator is None else str(value.denominator),
                "source": source_name(value.source),
                "value": DASH if hidden else percent(value.percent),
                "target_year": str(value.target_year),
                "target": percent(value.target),
                "met": DASH if hidden else yes_no(value.met),
                "rule": indicator_rule(value.indicator, threshold),
            }
        )
    return rows


def satisfactionshare(tally: SatisfactionCount | None) -> str:
    """ "75 %" where at least MIN_GROUP answered, else a dash."""
    if tally is None or tally.n < MIN_GROUP:
        return DASH
    return share(tally.satisfied, tally.n)


def _satisfaction_figure(tally: SatisfactionCount | None) -> str:
    if tally is None or tally.n == 0:
        return DASH
    if tally.n < MIN_GROUP:
        return fewer_than_minimum()
    return f"{share(tally.satisfied, tally.n)}, " + _("n = {n}").format(n=tally.n)


def _figures(counts: Counts) -> list[Context]:
    cycles = counts.cycles_met + counts.cycles_missed
    finished = _("{submitted} of {opened} ({completion})").format(
        submitted=counts.responses_submitted,
        opened=counts.responses_opened,
        completion=percent(counts.completion),
    )
    figures: list[tuple[str, object]] = [
        (_("Requests filed in the period"), counts.requests_filed),
        (_("Requests waiting now"), counts.requests_live),
        (
            _("of them waiting over {days} days").format(days=LONG_WAIT_DAYS),
            counts.requests_waiting_long,
        ),
        (_("Pairs formed in the period"), counts.pairs_started),
        (_("Pairs completed in the period"), counts.pairs_completed),
        (_("Quiet pairs now"), counts.quiet_pairs),
        (_("Mentors in pairs"), counts.mentors_in_pairs),
        (_("Mentees in pairs"), counts.mentees_in_pairs),
        (_("Meetings held"), counts.meetings),
        (_("Cycles due"), cycles),
        (_("Cycles with a meeting"), counts.cycles_met),
        (_("Cadence compliance"), percent(counts.compliance)),
        (_("Questionnaires finished"), finished),
        (_("Mentees satisfied"), _satisfaction_figure(counts.satisfaction.get("mentee"))),
        (_("Mentors satisfied"), _satisfaction_figure(counts.satisfaction.get("mentor"))),
    ]
    return [{"name": name, "value": str(value)} for name, value in figures]


def _month_rows(counts: Counts, period: Period) -> list[Context]:
    rows = []
    for month in months(period):
        met, due = counts.cycles_by_month.get(month, (0, 0))
        year, _dash, number = month.partition("-")
        rows.append(
            {
                "month": f"{number}.{year}",
                "meetings": str(counts.meetings_by_month.get(month, 0)),
                "met": str(met),
                "due": str(due),
                "compliance": share(met, due),
            }
        )
    return rows


def _domain(domain: str) -> str:
    try:
        return domain_name(domain)
    except ValueError:  # a domain this version does not know: its code beats a failed document
        return domain


def _status_name(status: PersonStatus) -> str:
    if status == PersonStatus.ACTIVE:
        return _("Active")
    return capitalised(participant_status_name(status.value))


def counts_context(stats: OrganisationStats, threshold: int | None) -> Context:
    """Indicators, participants, pairs, figures, months and before/after: no personal data."""
    counts = stats.counts
    roles = [
        {"name": capitalised(profile_role_name(role)), "number": str(counts.roles.get(role, 0))}
        for role in (ProfileRole.MENTOR, ProfileRole.MENTEE, ProfileRole.BOTH)
    ]
    roles.append(
        {"name": _("Profile not finished"), "number": str(counts.roles.get(NO_PROFILE, 0))}
    )
    return {
        "indicators": indicator_rows(stats.indicators, threshold),
        "roles": roles,
        "participants_total": str(counts.participants),
        "statuses": [
            {"name": _status_name(status), "number": str(counts.statuses.get(status, 0))}
            for status in PersonStatus
        ],
        "pair_states": [
            {
                "name": capitalised(pair_status_name(status)),
                "number": str(counts.pairs.get(status, 0)),
            }
            for status in PairStatus
        ],
        "pairs_total": str(counts.pairs_total),
        "figures": _figures(counts),
        "months": _month_rows(counts, stats.period),
        "changes": [
            {
                "domain": _domain(change.domain),
                "n": str(change.n),
                "before": decimal_text(change.before) if change.shown else DASH,
                "after": decimal_text(change.after) if change.shown else DASH,
            }
            for change in stats.changes
        ],
    }


def analytical_context(report: SchoolReport) -> Context:
    stats = report.stats
    labels = {
        **count_labels(),
        "title": _("Final analytical report on the mentoring programme"),
        "summary": _("Summary"),
        "questionnaires": _("Questionnaire results"),
        "question": _("Question"),
        "answers": _("Answers"),
        "mean": _("Mean"),
        "median": _("Median"),
        "distribution": _("Distribution"),
        "no_questionnaires": _("No questionnaires were answered in this period."),
        "signed_by": _("Curator of the mentoring programme"),
    }
    return {
        "t": labels,
        **header(
            stats.organisation_name, stats.period, stats.made_at, stats.timezone, report.made_by
        ),
        **counts_context(stats, report.threshold),
        "summary": summary(stats),
        "questionnaires": [questionnaire(found) for found in report.questionnaires],
        "charts": [],
    }


def _mentoring_type(value: str) -> str:
    try:
        return mentoring_type_name(value)
    except ValueError:
        return value


def order_context(report: SchoolReport) -> Context:
    stats = report.stats
    labels = {
        "title": _("On assigning mentoring pairs"),
        "subject": _("On assigning mentoring pairs"),
        "order": _("ORDER"),
        "number_line": _("No. ______ dated ____ ____________ 20___"),
        "i_order": _("I ORDER:"),
        "number": _("No."),
        "mentor": _("Mentor (full name)"),
        "mentee": _("Mentee (full name)"),
        "mentoring_type": _("Mentoring type"),
        "formed": _("Pair formed on"),
        "head": _("Head of the organisation"),
        "prepared_by": _("Draft prepared by"),
        "acquainted": _("Acquainted with the order:"),
        "full_name": _("Full name"),
        "signature": _("Signature"),
        "date": _("Date"),
        "date_blank": _("____ ____________ 20___"),
    }
    pairs = report.awaiting_order
    people: list[str] = []
    for named in [pair.mentor for pair in pairs] + [pair.mentee for pair in pairs]:
        if (name := person_name(named)) not in people:
            people.append(name)
    return {
        "t": labels,
        **header(
            stats.organisation_name, stats.period, stats.made_at, stats.timezone, report.made_by
        ),
        "preamble": _(
            "In accordance with article 351.8 of the Labour Code of the Russian Federation, the "
            "regulations on mentoring and the mentoring programme of the organisation, and with "
            "the written consent of the mentors,"
        ),
        "clauses": [
            _(
                "1. To assign mentors to the mentees as listed in the table below, for the term of "
                "the personalised mentoring programme."
            ),
            _("2. The mentors shall draw up individual development plans with their mentees."),
            _(
                "3. Control over the execution of this order is assigned to the curator of the "
                "mentoring programme {curator}."
            ).format(curator=report.made_by or "____________"),
        ],
        "pairs": [
            {
                "number": str(number),
                "mentor": person_name(pair.mentor),
                "mentee": person_name(pair.mentee),
                "mentoring_type": _mentoring_type(pair.mentoring_type),
                "formed": local_day(pair.created, stats.timezone),
            }
            for number, pair in enumerate(pairs, start=1)
        ],
        "people": [{"name": name} for name in people],
    }


def quarterly_context(stats: OrganisationStats, made_by: str) -> Context:
    labels = {
        **count_labels(),
        "title": _("Quarterly report on the mentoring programme"),
        "addressee": _("To the municipal coordinator of the mentoring programme"),
        "deadline": _("Submitted by the 10th day of the month following the quarter."),
        "privacy": _("Counts and shares only: no personal data."),
        "signed_by": _("Curator of the mentoring programme"),
    }
    return {
        "t": labels,
        **header(stats.organisation_name, stats.period, stats.made_at, stats.timezone, made_by),
        **counts_context(stats, stats.counts.threshold),
    }


def _organisation_row(name: str, counts: Counts) -> Context:
    return {
        "organisation": name,
        "participants": str(counts.participants),
        "mentors": str(counts.mentors_in_pairs),
        "mentees": str(counts.mentees_in_pairs),
        "pairs": str(counts.pairs_total),
        "meetings": str(counts.meetings),
        "compliance": percent(counts.compliance),
        "mentee_satisfaction": satisfactionshare(counts.satisfaction.get("mentee")),
        "mentor_satisfaction": satisfactionshare(counts.satisfaction.get("mentor")),
    }


def municipal_context(report: MunicipalReport) -> Context:
    roll_up = report.roll_up
    timezone = roll_up.rows[0].timezone if roll_up.rows else DEFAULT_TIMEZONE
    labels = {
        **indicator_labels(),
        "title": _("Summary report on the mentoring programme in the organisations"),
        "privacy": _("Counts and shares only: no personal data."),
        "organisations": _("By organisation"),
        "organisation": _("Organisation"),
        "participants": _("Participants"),
        "mentors": _("Mentors in pairs"),
        "mentees": _("Mentees in pairs"),
        "pairs": _("Pairs that worked"),
        "meetings": _("Meetings held"),
        "compliance": _("Cadence compliance"),
        "mentee_satisfaction": _("Mentees satisfied"),
        "mentor_satisfaction": _("Mentors satisfied"),
        "signed_by": _("Municipal coordinator of the mentoring programme"),
    }
    return {
        "t": labels,
        **header("", roll_up.period, roll_up.made_at, timezone, report.made_by),
        "scope": _("Organisations in the report: {count}").format(count=len(roll_up.rows)),
        "organisations": [
            _organisation_row(row.organisation_name, row.counts) for row in roll_up.rows
        ],
        "totals": _organisation_row(_("Totals"), roll_up.totals),
        # Thresholds differ between organisations: the rule names none.
        "indicators": indicator_rows(roll_up.indicators, None),
        "charts": [],
    }
