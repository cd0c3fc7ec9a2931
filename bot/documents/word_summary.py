"""The analytical report's opening sentences, and the rule that keeps an indicator's figure out
of every document when it rests on too few answers."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.documents.words import indicator_name, percent
from models import ProfileRole
from services.questionnaires.scores import MIN_GROUP
from services.reports.indicators import Measured, Source
from services.reports.stats import OrganisationStats


def is_hidden(value: Measured) -> bool:
    """A satisfaction share over one or two answers would tell what those people answered."""
    return (
        value.source == Source.RESPONSES
        and value.denominator is not None
        and value.denominator < MIN_GROUP
    )


def summary(stats: OrganisationStats) -> list[str]:
    """The report's opening sentences."""
    counts = stats.counts
    cycles = counts.cycles_met + counts.cycles_missed
    lines = [
        _(
            "Participants: {total}, of them mentors {mentors}, mentees {mentees}, "
            "mentors and mentees at once {both}."
        ).format(
            total=counts.participants,
            mentors=counts.roles.get(ProfileRole.MENTOR, 0),
            mentees=counts.roles.get(ProfileRole.MENTEE, 0),
            both=counts.roles.get(ProfileRole.BOTH, 0),
        ),
        _(
            "Pairs that worked during the period: {pairs}, of them formed in the period "
            "{started}, completed {completed}; mentors in pairs: {mentors}, mentees in pairs: "
            "{mentees}."
        ).format(
            pairs=counts.pairs_total,
            started=counts.pairs_started,
            completed=counts.pairs_completed,
            mentors=counts.mentors_in_pairs,
            mentees=counts.mentees_in_pairs,
        ),
    ]
    if cycles:
        lines.append(
            _(
                "Meetings held: {meetings}. Pairs met in {met} of {cycles} meeting cycles: "
                "cadence compliance {compliance}."
            ).format(
                meetings=counts.meetings,
                met=counts.cycles_met,
                cycles=cycles,
                compliance=percent(counts.compliance),
            )
        )
    else:
        lines.append(
            _("Meetings held: {meetings}. No meeting cycles were due in the period.").format(
                meetings=counts.meetings
            )
        )
    if counts.responses_opened:
        lines.append(
            _("Questionnaires finished: {submitted} of {opened} ({completion}).").format(
                submitted=counts.responses_submitted,
                opened=counts.responses_opened,
                completion=percent(counts.completion),
            )
        )
    judged = [value for value in stats.indicators if value.met is not None and not is_hidden(value)]
    lines.append(
        _("Indicators that met their targets: {met} of {computed}.").format(
            met=sum(1 for value in judged if value.met), computed=len(judged)
        )
    )
    unknown = [
        indicator_name(value.indicator) for value in stats.indicators if value.denominator is None
    ]
    if unknown:
        lines.append(
            _("Not computed, as the denominator is not known: {names}.").format(
                names="; ".join(unknown)
            )
        )
    return lines
