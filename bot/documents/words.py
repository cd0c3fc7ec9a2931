"""The words of reports, shared by the /stats screen and the documents: indicators, the sources
of denominators, periods, and how a number is printed."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from services.reports.indicators import Indicator, Measured, Source
from services.reports.periods import Period, programme_year, quarter


def indicator_name(indicator: Indicator | str) -> str:
    names = {
        Indicator.YOUNG_SPECIALISTS: _("Young specialists enrolled as mentees"),
        Indicator.YOUNG_TEACHERS: _("Teachers under 35 in their first three years covered"),
        Indicator.TEACHERS_COVERED: _("Teachers covered by mentoring (as mentor or mentee)"),
        Indicator.MENTEE_SATISFACTION: _("Mentees satisfied"),
        Indicator.MENTOR_SATISFACTION: _("Mentors satisfied"),
        Indicator.RETENTION: _("Young specialists retained in the profession"),
        Indicator.ORGANISATIONS_WITH_MENTORS: _("Organisations providing mentors"),
    }
    return names[Indicator(indicator)]


def source_name(source: Source | str) -> str:
    names = {
        Source.ENTERED: _("entered by the curator"),
        Source.PROFILES: _("counted from profiles in the bot"),
        Source.RESPONSES: _("respondents of the questionnaire"),
        Source.ORGANISATIONS: _("organisations in the report"),
        Source.MIXED: _("entered by some organisations, counted from profiles for others"),
        Source.NONE: _("not known: enter it in /programme"),
    }
    return names[Source(source)]


def indicator_rule(indicator: Indicator | str, threshold: int | None = None) -> str:
    """How the numerator is counted, printed under the indicator in the documents."""
    indicator = Indicator(indicator)
    if indicator in (Indicator.YOUNG_SPECIALISTS, Indicator.YOUNG_TEACHERS):
        return _(
            "Mentees in pairs that worked during the period with up to three years of experience "
            "or the category 'young specialist' (age is not stored)."
        )
    if indicator == Indicator.TEACHERS_COVERED:
        return _("People in pairs that worked during the period, as mentor or mentee.")
    if indicator in (Indicator.MENTEE_SATISFACTION, Indicator.MENTOR_SATISFACTION):
        if threshold is None:
            return _(
                "Respondents whose overall score is at or above their organisation's threshold."
            )
        return _("Respondents whose overall score is at least {threshold} of 10.").format(
            threshold=threshold
        )
    if indicator == Indicator.RETENTION:
        return _("Young specialists minus those who left the profession (entered).")
    return _("Organisations with at least one mentor in a pair during the period.")


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} %" if value == int(value) else f"{value:.1f} %".replace(".", ",")


def indicator_line(value: Measured) -> str:
    """ "7 of 9 — 78 % (target 2025: 80 %)"."""
    if value.denominator is None:
        text = _("{numerator} of ? — not computed").format(numerator=value.numerator)
    else:
        text = _("{numerator} of {denominator} — {percent}").format(
            numerator=value.numerator,
            denominator=value.denominator,
            percent=percent(value.percent),
        )
    if value.target is not None:
        text += " " + _("(target {year}: {target} %)").format(
            year=value.target_year, target=value.target
        )
    return text


def period_name(period: Period) -> str:
    """ "programme year 2026/27", "Q3 2026", or "01.09.2026 – 31.12.2026"."""
    year = programme_year(period.first)
    if period == year:
        return _("programme year {first}/{last:02d}").format(
            first=year.first.year, last=year.last.year % 100
        )
    if period.first == year.first and period.last < year.last:
        return _("programme year {first}/{last:02d} up to {day}").format(
            first=year.first.year, last=year.last.year % 100, day=f"{period.last:%d.%m.%Y}"
        )
    if period == quarter(period.first):
        return _("Q{number} {year}").format(
            number=(period.first.month - 1) // 3 + 1, year=period.first.year
        )
    return f"{period.first:%d.%m.%Y} – {period.last:%d.%m.%Y}"
