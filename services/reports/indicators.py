"""The target indicators of the programme (DOMAIN §7) and how each is computed: a numerator, a
denominator and where that denominator came from, beside the target for the year. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Indicator(enum.StrEnum):
    # Young-specialist teachers enrolled as mentees (003 L650).
    YOUNG_SPECIALISTS = "young_specialists"
    # Teachers under 35 in their first three years covered (002, Appendix 2 row 5).
    YOUNG_TEACHERS = "young_teachers"
    # Teachers covered by mentoring, as mentor or mentee (001).
    TEACHERS_COVERED = "teachers_covered"
    # Mentee and mentor satisfaction, % of respondents at or above the threshold (003 L650).
    MENTEE_SATISFACTION = "mentee_satisfaction"
    MENTOR_SATISFACTION = "mentor_satisfaction"
    # Young teachers retained in the profession (003 passport).
    RETENTION = "retention"
    # Organisations providing mentors (003 L650): the coordinator's roll-up only.
    ORGANISATIONS_WITH_MENTORS = "organisations_with_mentors"


class Source(enum.StrEnum):
    """Where a denominator came from."""

    ENTERED = "entered"  # typed by the curator in /programme
    PROFILES = "profiles"  # counted from the profiles registered in the bot
    RESPONSES = "responses"  # the people who answered the questionnaire
    ORGANISATIONS = "organisations"  # the organisations in the roll-up
    MIXED = "mixed"  # a roll-up over organisations some of which entered theirs
    NONE = "none"  # not known: the value is not computed


# Targets in % by calendar year; the last year's target holds for every later year.
TARGETS: dict[Indicator, dict[int, int]] = {
    Indicator.YOUNG_SPECIALISTS: {2024: 70, 2025: 80, 2026: 90, 2027: 100},
    Indicator.MENTEE_SATISFACTION: {2024: 70, 2025: 80, 2026: 90, 2027: 100},
    Indicator.MENTOR_SATISFACTION: {2024: 70, 2025: 80, 2026: 90, 2027: 100},
    Indicator.YOUNG_TEACHERS: {2021: 20, 2022: 35, 2023: 50, 2024: 70},
    Indicator.TEACHERS_COVERED: {2020: 10, 2021: 20, 2022: 30, 2023: 50, 2024: 60},
    Indicator.RETENTION: {2020: 99},
    Indicator.ORGANISATIONS_WITH_MENTORS: {2020: 100},
}


def target(indicator: Indicator, year: int) -> int | None:
    """The year's target, the latest one set before it for later years, None before the first."""
    known = [value for since, value in sorted(TARGETS[indicator].items()) if since <= year]
    return known[-1] if known else None


@dataclass(frozen=True, slots=True)
class Measured:
    """One indicator's value: numerator of denominator, with the denominator's source."""

    indicator: Indicator
    numerator: int
    denominator: int | None
    source: Source
    target: int | None
    target_year: int

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def met(self) -> bool | None:
        if self.percent is None or self.target is None:
            return None
        return self.percent >= self.target


def measured(
    indicator: Indicator,
    numerator: int,
    entered: int | None,
    derived: int | None,
    year: int,
    *,
    derived_source: Source = Source.PROFILES,
) -> Measured:
    """An entered denominator wins over the one derived from the bot's own data."""
    if entered is not None:
        denominator, source = entered, Source.ENTERED
    elif derived is not None:
        denominator, source = derived, derived_source
    else:
        denominator, source = None, Source.NONE
    return Measured(indicator, numerator, denominator, source, target(indicator, year), year)
