"""What the counts of an organisation over a period are: plain numbers, filled in by
`services.reports.counts` and read by the screens, the roll-up and the documents."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.reports.periods import Period

# A young specialist: up to three years of experience (DOMAIN §3, 003 L109), or so categorised.
YOUNG_EXPERIENCE_YEARS = 3
# A request waiting longer than this is shown as overdue.
LONG_WAIT_DAYS = 14
SATISFACTION_CODES = {"satisfaction_mentee": "mentee", "satisfaction_mentor": "mentor"}
ENTRY, EXIT = "entry_diagnosis", "exit_diagnosis"
NO_PROFILE = "no_profile"


@dataclass(slots=True)
class SatisfactionCount:
    """Overall scores of one side: how many answered, how many at or above the threshold, and
    the distribution of the scores (score -> respondents)."""

    threshold: int
    maximum: int = 10
    n: int = 0
    satisfied: int = 0
    scores: dict[int, int] = field(default_factory=dict)

    def add(self, score: int, respondents: int = 1) -> None:
        self.n += respondents
        self.satisfied += respondents if score >= self.threshold else 0
        self.scores[score] = self.scores.get(score, 0) + respondents


@dataclass(slots=True)
class Counts:
    """One organisation's numbers for a period ("now" figures are as of the moment counted)."""

    organisation_id: int
    name: str
    threshold: int
    # participants now: profile role (mentor/mentee/both/no_profile) -> people, and by status
    roles: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    teachers_with_profile: int = 0
    young_with_profile: int = 0
    # requests
    requests_live: int = 0
    requests_waiting_long: int = 0
    requests_oldest_days: int | None = None
    requests_filed: int = 0
    # pairs that worked during the period, by their state now
    pairs: dict[str, int] = field(default_factory=dict)
    pairs_started: int = 0
    pairs_completed: int = 0
    quiet_pairs: int = 0
    mentors_in_pairs: int = 0
    mentees_in_pairs: int = 0
    covered: int = 0
    young_mentees_in_pairs: int = 0
    # the rhythm: cycles that ended in the period (met / missed), meetings held
    cycles_met: int = 0
    cycles_missed: int = 0
    cycles_by_month: dict[str, tuple[int, int]] = field(default_factory=dict)  # month -> met, all
    meetings: int = 0
    meetings_by_month: dict[str, int] = field(default_factory=dict)
    # questionnaires opened in the period and how many were finished
    responses_opened: int = 0
    responses_submitted: int = 0
    satisfaction: dict[str, SatisfactionCount] = field(default_factory=dict)

    @property
    def participants(self) -> int:
        return sum(self.roles.values())

    @property
    def pairs_total(self) -> int:
        return sum(self.pairs.values())

    @property
    def compliance(self) -> float | None:
        """Cadence compliance: the share of the period's cycles in which the pair met."""
        total = self.cycles_met + self.cycles_missed
        return round(100 * self.cycles_met / total, 1) if total else None

    @property
    def completion(self) -> float | None:
        if not self.responses_opened:
            return None
        return round(100 * self.responses_submitted / self.responses_opened, 1)


def months(period: Period) -> list[str]:
    """The period's months as the counts name them ("2026-09")."""
    return [f"{month:%Y-%m}" for month in period.months()]
