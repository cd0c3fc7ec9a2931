"""Many organisations' numbers added up for a coordinator: the totals, and each indicator over
the organisations whose denominator is known. Satisfaction of an organisation with fewer than
three answers stays out of every sum, so no subtraction can reveal it. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from services.questionnaires.scores import MIN_GROUP
from services.reports.indicators import Indicator, Measured, Source, target
from services.reports.tallies import Counts, SatisfactionCount

_ADDED = (
    "teachers_with_profile",
    "young_with_profile",
    "requests_live",
    "requests_waiting_long",
    "requests_filed",
    "pairs_started",
    "pairs_completed",
    "quiet_pairs",
    "mentors_in_pairs",
    "mentees_in_pairs",
    "covered",
    "young_mentees_in_pairs",
    "cycles_met",
    "cycles_missed",
    "meetings",
    "responses_opened",
    "responses_submitted",
)
_ADDED_BY_KEY = ("roles", "statuses", "pairs", "meetings_by_month")


def add_counts(many: Sequence[Counts]) -> Counts:
    totals = Counts(0, "", 0)
    for counts in many:
        for name in _ADDED:
            setattr(totals, name, getattr(totals, name) + getattr(counts, name))
        for name in _ADDED_BY_KEY:
            mine, theirs = getattr(totals, name), getattr(counts, name)
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
        for month, (met, all_) in counts.cycles_by_month.items():
            was_met, was_all = totals.cycles_by_month.get(month, (0, 0))
            totals.cycles_by_month[month] = (was_met + met, was_all + all_)
        if counts.requests_oldest_days is not None:
            totals.requests_oldest_days = max(
                totals.requests_oldest_days or 0, counts.requests_oldest_days
            )
        for side, tally in counts.satisfaction.items():
            if tally.n < MIN_GROUP:
                # Left out: the totals minus the other organisations would show these 1–2 answers.
                continue
            # Each organisation counts "satisfied" by its own threshold; the totals add them up.
            summed = totals.satisfaction.setdefault(
                side, SatisfactionCount(tally.threshold, tally.maximum)
            )
            summed.n += tally.n
            summed.satisfied += tally.satisfied
            for score, number in tally.scores.items():
                summed.scores[score] = summed.scores.get(score, 0) + number
    return totals


def rolled(per_organisation: Sequence[Sequence[Measured]], year: int) -> tuple[Measured, ...]:
    """Each indicator summed over the organisations where it has a denominator; the source says
    whether those denominators were all entered, all counted, or mixed."""
    by_indicator: dict[Indicator, list[Measured]] = {}
    for row in per_organisation:
        for value in row:
            by_indicator.setdefault(value.indicator, []).append(value)
    found = []
    for indicator, values in by_indicator.items():
        known = [
            value
            for value in values
            if value.denominator is not None
            # the same rule as the totals: never 1–2 people's answers, even inside a sum
            and not (value.source == Source.RESPONSES and value.denominator < MIN_GROUP)
        ]
        sources = {value.source for value in known}
        source = Source.NONE if not known else sources.pop() if len(sources) == 1 else Source.MIXED
        found.append(
            Measured(
                indicator,
                sum(value.numerator for value in known),
                sum(value.denominator or 0 for value in known) if known else None,
                source,
                target(indicator, year),
                year,
            )
        )
    return tuple(found)


def organisations_with_mentors(many: Sequence[Counts], year: int) -> Measured:
    """The share of organisations providing mentors (003 L650): any mentor in a pair."""
    return Measured(
        Indicator.ORGANISATIONS_WITH_MENTORS,
        sum(1 for counts in many if counts.mentors_in_pairs > 0),
        len(many),
        Source.ORGANISATIONS,
        target(Indicator.ORGANISATIONS_WITH_MENTORS, year),
        year,
    )
