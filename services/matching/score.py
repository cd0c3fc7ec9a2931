"""Explainable fit score (0–100) of one mentor for one mentee's request.

Pure computation: the caller loads both sides, applies the hard filters elsewhere, and renders the
reasons (codes plus parameters) in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.enums import CompetenceDomain, MeetingFormat, RequestTopic

# Mentors describe what they offer in the nine self-diagnosis domains (003 L442), mentees ask in
# the seven request topics (003 L379). This fixed table relates the two, so a mentor's profile
# need not list both: a topic is covered when the mentor offers any of its domains.
TOPIC_DOMAINS: dict[RequestTopic, frozenset[CompetenceDomain]] = {
    RequestTopic.SUBJECT_CONTENT: frozenset(
        {CompetenceDomain.SUBJECT, CompetenceDomain.SCIENTIFIC}
    ),
    RequestTopic.TEACHING_METHODS: frozenset(
        {CompetenceDomain.METHODOLOGICAL, CompetenceDomain.ICT, CompetenceDomain.DIGITAL}
    ),
    RequestTopic.UPBRINGING: frozenset({CompetenceDomain.UPBRINGING}),
    RequestTopic.LESSONS_AND_ACTIVITIES: frozenset(
        {CompetenceDomain.METHODOLOGICAL, CompetenceDomain.UPBRINGING}
    ),
    RequestTopic.PSYCHOLOGICAL_SUPPORT: frozenset(
        {CompetenceDomain.PSYCHOLOGICAL, CompetenceDomain.HEALTH}
    ),
    RequestTopic.PARENTS: frozenset({CompetenceDomain.PSYCHOLOGICAL}),
    RequestTopic.ADDITIONAL_EDUCATION: frozenset(
        {CompetenceDomain.UPBRINGING, CompetenceDomain.REGULATORY}
    ),
}
# The same table keyed by plain strings, as the sides carry stored values.
_TOPIC_DOMAIN_VALUES: dict[str, frozenset[str]] = {
    str(topic): frozenset(str(domain) for domain in domains)
    for topic, domains in TOPIC_DOMAINS.items()
}

# Weights, 100 in total. What the mentee asked for weighs most (topics, then the finer-grained
# domains they marked); the same subject and a clear experience lead make the advice concrete;
# format and time only decide whether meetings are easy, so they weigh least.
W_TOPICS = 30
W_DOMAINS = 20
W_SUBJECT = 15
W_EXPERIENCE = 15
W_EXPERIENCE_PARTIAL = 8  # a lead of only 1–2 years, or more than 20 (a generation apart)
W_FORMAT = 10
W_FORMAT_ANY = 7  # one side does not mind: workable, but nobody asked for it
W_TIME = 10
W_TIME_PARTIAL = 5  # the days or the times overlap, not both
# A mentor near capacity has less time for one more mentee; at full load the penalty is this.
W_LOAD_MAX = 10

EXPERIENCE_GAP_MIN = 3
EXPERIENCE_GAP_MAX = 20


@dataclass(frozen=True, slots=True)
class MenteeSide:
    person_id: int
    topics: frozenset[str]
    domains: frozenset[str]
    subjects: frozenset[str]
    experience_years: int
    meeting_format: str
    days: frozenset[str]
    times: frozenset[str]


@dataclass(frozen=True, slots=True)
class MentorSide:
    person_id: int
    domains: frozenset[str]
    subjects: frozenset[str]
    experience_years: int
    meeting_format: str
    days: frozenset[str]
    times: frozenset[str]
    capacity: int
    load: int


@dataclass(frozen=True, slots=True)
class Reason:
    """One component of the score: a wording code, its points and what the wording needs."""

    code: str
    points: int
    # Left out of the hash (a dict is unhashable), still compared for equality.
    params: dict[str, int | str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Fit:
    score: int
    reasons: tuple[Reason, ...]

    def top_reasons(self, limit: int = 3) -> tuple[Reason, ...]:
        """The strongest positive reasons (never the load penalty), at most ``limit``."""
        return tuple(reason for reason in self.reasons if reason.points > 0)[: max(limit, 0)]


def _round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (round() would round 7.5 and 8.5 both to 8)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _normalise(subject: str) -> str:
    return subject.strip().casefold()


def _topics(mentee: MenteeSide, mentor: MentorSide) -> Reason | None:
    total = len(mentee.topics)
    covered = sum(
        1
        for topic in mentee.topics
        if _TOPIC_DOMAIN_VALUES.get(topic, frozenset()) & mentor.domains
    )
    if total == 0 or covered == 0:
        return None
    points = _round_half_up(W_TOPICS * covered, total)
    return Reason("topics", points, {"covered": covered, "total": total})


def _domains(mentee: MenteeSide, mentor: MentorSide) -> Reason | None:
    # Coverage of what the mentee needs, not overlap: extra domains on offer earn nothing.
    total = len(mentee.domains)
    covered = len(mentee.domains & mentor.domains)
    if total == 0 or covered == 0:
        return None
    return Reason(
        "domains", _round_half_up(W_DOMAINS * covered, total), {"covered": covered, "total": total}
    )


def _subject(mentee: MenteeSide, mentor: MentorSide) -> Reason | None:
    wanted = {_normalise(subject) for subject in mentee.subjects}
    offered: dict[str, str] = {}
    for subject in sorted(mentor.subjects):
        offered.setdefault(_normalise(subject), subject.strip())
    shared = sorted(key for key in offered if key and key in wanted)
    if not shared:
        return None
    return Reason("subject", W_SUBJECT, {"subject": offered[shared[0]]})


def _experience(mentee: MenteeSide, mentor: MentorSide) -> Reason | None:
    gap = mentor.experience_years - mentee.experience_years
    if gap <= 0:
        return None
    full = EXPERIENCE_GAP_MIN <= gap <= EXPERIENCE_GAP_MAX
    return Reason("experience", W_EXPERIENCE if full else W_EXPERIENCE_PARTIAL, {"gap": gap})


def _format(mentee: MenteeSide, mentor: MentorSide) -> Reason | None:
    if MeetingFormat.ANY in (mentee.meeting_format, mentor.meeting_format):
        return Reason("format_ok", W_FORMAT_ANY)
    if mentee.meeting_format == mentor.meeting_format:
        return Reason("same_format", W_FORMAT, {"format": mentee.meeting_format})
    return None


def _overlaps(left: frozenset[str], right: frozenset[str]) -> bool:
    # A side that stated nothing is taken to be free whenever the other side is.
    return not left or not right or bool(left & right)


def _time(mentee: MenteeSide, mentor: MentorSide) -> Reason | None:
    days = _overlaps(mentee.days, mentor.days)
    times = _overlaps(mentee.times, mentor.times)
    if days and times:
        return Reason("common_time", W_TIME)
    if days or times:
        return Reason("some_common_time", W_TIME_PARTIAL)
    return None


def _load(mentor: MentorSide) -> Reason | None:
    if mentor.capacity <= 0 or mentor.load <= 0:
        return None
    penalty = _round_half_up(W_LOAD_MAX * min(mentor.load, mentor.capacity), mentor.capacity)
    return Reason("load", -penalty, {"load": mentor.load, "capacity": mentor.capacity})


def score(mentee: MenteeSide, mentor: MentorSide) -> Fit:
    """How well ``mentor`` fits ``mentee``'s request, with the reasons behind the number."""
    components = (
        _topics(mentee, mentor),
        _domains(mentee, mentor),
        _subject(mentee, mentor),
        _experience(mentee, mentor),
        _format(mentee, mentor),
        _time(mentee, mentor),
        _load(mentor),
    )
    reasons = [reason for reason in components if reason is not None and reason.points != 0]
    # sorted() is stable, so equal points keep the order of the components above.
    reasons.sort(key=lambda reason: reason.points, reverse=True)
    total = sum(reason.points for reason in reasons)
    return Fit(score=min(max(total, 0), 100), reasons=tuple(reasons))
