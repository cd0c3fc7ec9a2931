"""The explainable fit score: each component's points, the reasons and their order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from models.enums import CompetenceDomain, MeetingFormat, RequestTopic
from services.matching.score import TOPIC_DOMAINS, MenteeSide, MentorSide, Reason, score

ALL_DOMAINS = frozenset(str(domain) for domain in CompetenceDomain)


def mentee(**changes: Any) -> MenteeSide:
    base = MenteeSide(
        person_id=1,
        topics=frozenset({RequestTopic.SUBJECT_CONTENT.value}),
        domains=frozenset({CompetenceDomain.SUBJECT.value}),
        subjects=frozenset({"Mathematics"}),
        experience_years=1,
        meeting_format=MeetingFormat.ONLINE.value,
        days=frozenset({"mon", "wed"}),
        times=frozenset({"evening"}),
    )
    return replace(base, **changes)


def mentor(**changes: Any) -> MentorSide:
    base = MentorSide(
        person_id=2,
        domains=frozenset({CompetenceDomain.SUBJECT.value}),
        subjects=frozenset({"mathematics "}),
        experience_years=10,
        meeting_format=MeetingFormat.ONLINE.value,
        days=frozenset({"wed", "fri"}),
        times=frozenset({"evening", "morning"}),
        capacity=2,
        load=0,
    )
    return replace(base, **changes)


def points(fit_reasons: tuple[Reason, ...], code: str) -> int | None:
    found = [reason.points for reason in fit_reasons if reason.code == code]
    return found[0] if found else None


def test_perfect_match_scores_100() -> None:
    fit = score(mentee(), mentor())
    assert fit.score == 100
    assert [(reason.code, reason.points) for reason in fit.reasons] == [
        ("topics", 30),
        ("domains", 20),
        ("subject", 15),
        ("experience", 15),
        ("same_format", 10),
        ("common_time", 10),
    ]
    assert fit.reasons[0].params == {"covered": 1, "total": 1}
    assert fit.reasons[2].params == {"subject": "mathematics"}
    assert fit.reasons[3].params == {"gap": 9}
    assert fit.reasons[4].params == {"format": "online"}


def test_topic_table_covers_every_topic_with_known_domains() -> None:
    assert set(TOPIC_DOMAINS) == set(RequestTopic)
    assert all(domains and domains <= set(CompetenceDomain) for domains in TOPIC_DOMAINS.values())
    assert TOPIC_DOMAINS[RequestTopic.PARENTS] == {CompetenceDomain.PSYCHOLOGICAL}


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        # teaching_methods via ict, parents via psychological, upbringing not covered: 2 of 3.
        ({"ict", "psychological"}, 20),
        # upbringing covers only the upbringing topic here: 1 of 3.
        ({"upbringing"}, 10),
        ({"methodological", "psychological", "upbringing"}, 30),
        ({"regulatory"}, None),
    ],
)
def test_topics_are_covered_through_the_domain_table(
    offered: set[str], expected: int | None
) -> None:
    topics = frozenset({"teaching_methods", "parents", "upbringing"})
    fit = score(mentee(topics=topics, domains=frozenset()), mentor(domains=frozenset(offered)))
    assert points(fit.reasons, "topics") == expected


def test_topics_round_half_up_and_report_counts() -> None:
    topics = frozenset({"subject_content", "parents", "upbringing", "teaching_methods"})
    fit = score(mentee(topics=topics), mentor(domains=frozenset({"subject"})))
    # 30 × 1/4 = 7.5 → 8.
    topics_reason = next(reason for reason in fit.reasons if reason.code == "topics")
    assert topics_reason == Reason("topics", 8, {"covered": 1, "total": 4})


def test_no_topics_no_points() -> None:
    fit = score(mentee(topics=frozenset()), mentor())
    assert points(fit.reasons, "topics") is None
    assert fit.score == 70


def test_domains_are_coverage_not_overlap() -> None:
    needed = frozenset({"subject", "ict"})
    exact = score(mentee(domains=needed), mentor(domains=needed))
    everything = score(mentee(domains=needed), mentor(domains=ALL_DOMAINS))
    assert points(exact.reasons, "domains") == points(everything.reasons, "domains") == 20
    half = score(mentee(domains=needed), mentor(domains=frozenset({"subject", "health"})))
    domains_reason = next(reason for reason in half.reasons if reason.code == "domains")
    assert domains_reason == Reason("domains", 10, {"covered": 1, "total": 2})


def test_no_needed_domains_no_points() -> None:
    fit = score(mentee(domains=frozenset()), mentor(domains=ALL_DOMAINS))
    assert points(fit.reasons, "domains") is None
    assert fit.score == 80


def test_subject_is_case_insensitive_and_uses_the_mentors_spelling() -> None:
    fit = score(
        mentee(subjects=frozenset({" PHYSICS", "algebra"})),
        mentor(subjects=frozenset({"Physics", "Algebra", "History"})),
    )
    assert next(r for r in fit.reasons if r.code == "subject").params == {"subject": "Algebra"}
    other = score(mentee(subjects=frozenset({"Chemistry"})), mentor())
    assert points(other.reasons, "subject") is None


@pytest.mark.parametrize(
    ("mentee_years", "mentor_years", "expected"),
    [
        (5, 5, None),
        (7, 5, None),
        (3, 5, 8),
        (4, 5, 8),
        (0, 5, 15),
        (0, 3, 15),
        (0, 20, 15),
        (0, 25, 8),
    ],
)
def test_experience_bands(mentee_years: int, mentor_years: int, expected: int | None) -> None:
    fit = score(mentee(experience_years=mentee_years), mentor(experience_years=mentor_years))
    assert points(fit.reasons, "experience") == expected
    if expected is not None:
        reason = next(r for r in fit.reasons if r.code == "experience")
        assert reason.params == {"gap": mentor_years - mentee_years}


@pytest.mark.parametrize(
    ("wanted", "offered", "code", "expected"),
    [
        ("in_person", "in_person", "same_format", 10),
        ("online", "online", "same_format", 10),
        ("any", "online", "format_ok", 7),
        ("in_person", "any", "format_ok", 7),
        ("any", "any", "format_ok", 7),
        ("in_person", "online", None, 0),
    ],
)
def test_format(wanted: str, offered: str, code: str | None, expected: int) -> None:
    fit = score(mentee(meeting_format=wanted), mentor(meeting_format=offered))
    codes = {"same_format", "format_ok"}
    found = [(r.code, r.points) for r in fit.reasons if r.code in codes]
    assert found == ([(code, expected)] if code else [])
    assert fit.score == 90 + expected


def days_times(days: set[str], times: set[str]) -> dict[str, frozenset[str]]:
    return {"days": frozenset(days), "times": frozenset(times)}


@pytest.mark.parametrize(
    ("mine", "theirs", "code", "expected"),
    [
        (({"mon"}, {"evening"}), ({"mon", "tue"}, {"evening"}), "common_time", 10),
        (({"mon"}, {"evening"}), ({"tue"}, {"evening"}), "some_common_time", 5),
        (({"mon"}, {"evening"}), ({"mon"}, {"morning"}), "some_common_time", 5),
        (({"mon"}, {"evening"}), ({"tue"}, {"morning"}), None, 0),
        # Unstated days count as overlapping; the times still have to meet.
        ((set(), {"evening"}), ({"tue"}, {"evening"}), "common_time", 10),
        ((set(), {"evening"}), ({"tue"}, {"morning"}), "some_common_time", 5),
        (({"mon"}, {"evening"}), ({"tue"}, set()), "some_common_time", 5),
        ((set(), set()), (set(), set()), "common_time", 10),
    ],
)
def test_time(
    mine: tuple[set[str], set[str]],
    theirs: tuple[set[str], set[str]],
    code: str | None,
    expected: int,
) -> None:
    fit = score(mentee(**days_times(*mine)), mentor(**days_times(*theirs)))
    codes = {"common_time", "some_common_time"}
    found = [(r.code, r.points) for r in fit.reasons if r.code in codes]
    assert found == ([(code, expected)] if code else [])
    assert fit.score == 90 + expected


@pytest.mark.parametrize(
    ("load", "capacity", "penalty"),
    [(0, 2, None), (1, 2, -5), (2, 2, -10), (1, 4, -3), (5, 2, -10), (1, 0, None)],
)
def test_load_penalty(load: int, capacity: int, penalty: int | None) -> None:
    fit = score(mentee(), mentor(load=load, capacity=capacity))
    assert points(fit.reasons, "load") == penalty
    assert fit.score == 100 + (penalty or 0)
    if penalty is not None:
        assert fit.reasons[-1] == Reason("load", penalty, {"load": load, "capacity": capacity})


def test_score_is_clamped_at_zero() -> None:
    fit = score(
        mentee(experience_years=10, meeting_format="in_person", subjects=frozenset({"Art"})),
        mentor(
            domains=frozenset({"health"}),
            experience_years=10,
            meeting_format="online",
            days=frozenset({"sat"}),
            times=frozenset({"morning"}),
            load=2,
            capacity=2,
        ),
    )
    assert [(r.code, r.points) for r in fit.reasons] == [("load", -10)]
    assert fit.score == 0


def test_top_reasons_are_the_strongest_positive_ones() -> None:
    fit = score(
        mentee(topics=frozenset({"subject_content", "parents"}), meeting_format="any"),
        mentor(load=1, capacity=2, days=frozenset({"sat"})),
    )
    # topics 15, domains 20, subject 15, experience 15, format_ok 7, some_common_time 5, load -5.
    assert fit.score == 72
    assert [r.code for r in fit.reasons] == [
        "domains",
        "topics",
        "subject",
        "experience",
        "format_ok",
        "some_common_time",
        "load",
    ]
    assert [r.code for r in fit.top_reasons()] == ["domains", "topics", "subject"]
    assert [r.code for r in fit.top_reasons(2)] == ["domains", "topics"]
    assert "load" not in [r.code for r in fit.top_reasons(limit=10)]
    assert len(fit.top_reasons(limit=10)) == 6


def test_top_reasons_never_pad_with_the_load_penalty() -> None:
    fit = score(
        mentee(experience_years=10, meeting_format="in_person"),
        mentor(
            domains=frozenset(),
            subjects=frozenset(),
            experience_years=10,
            meeting_format="online",
            days=frozenset({"sat"}),
            load=1,
            capacity=2,
        ),
    )
    assert [(r.code, r.points) for r in fit.reasons] == [("some_common_time", 5), ("load", -5)]
    assert fit.score == 0
    assert fit.top_reasons() == (Reason("some_common_time", 5),)


def test_reason_is_hashable_despite_its_params() -> None:
    assert hash(Reason("load", -5, {"load": 1})) == hash(Reason("load", -5, {"load": 2}))
    assert Reason("load", -5, {"load": 1}) != Reason("load", -5, {"load": 2})
