"""Whole-cohort assignment: optimal against greedy, both objectives, capacities, brute force."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from services.matching.cohort import Candidate, Objective, assign, greedy, total

R1, R2, R3 = 1, 2, 3
A, B, C = 10, 20, 30


def edges(*triples: tuple[int, int, int]) -> list[Candidate]:
    return [Candidate(request_id=r, mentor_id=m, score=s) for r, m, s in triples]


def test_optimal_beats_greedy() -> None:
    candidates = edges((R1, A, 90), (R1, B, 80), (R2, A, 85))
    capacities = {A: 1, B: 1}
    first_come = greedy(candidates, capacities)
    assert first_come == {R1: A}
    assert total(first_come, candidates) == 90
    best = assign(candidates, capacities, Objective.BEST_FIT)
    assert best == {R1: B, R2: A}
    assert total(best, candidates) == 165
    assert assign(candidates, capacities, Objective.EVERYONE) == {R1: B, R2: A}


def test_best_fit_and_everyone_differ() -> None:
    # One mentor B; r1 only fits B weakly, r2 fits A or B. BEST_FIT pairs r2 with B for 100
    # and leaves r1 out; EVERYONE sends r2 to A so that r1 gets B.
    candidates = edges((R1, B, 10), (R2, A, 20), (R2, B, 100))
    capacities = {A: 1, B: 1}
    best = assign(candidates, capacities, Objective.BEST_FIT)
    everyone = assign(candidates, capacities, Objective.EVERYONE)
    assert best == {R2: B}
    assert total(best, candidates) == 100
    assert everyone == {R1: B, R2: A}
    assert total(everyone, candidates) == 30


def test_capacity_above_one_is_respected() -> None:
    candidates = edges((R1, A, 90), (R2, A, 80), (R3, A, 70), (R3, B, 10))
    capacities = {A: 2, B: 1}
    for objective in Objective:
        result = assign(candidates, capacities, objective)
        assert result == {R1: A, R2: A, R3: B}
        assert total(result, candidates) == 180
    assert assign(candidates, {A: 3, B: 1}, Objective.BEST_FIT) == {R1: A, R2: A, R3: A}
    assert greedy(candidates, capacities) == {R1: A, R2: A, R3: B}


def test_capacity_zero_or_missing_means_never_assigned() -> None:
    candidates = edges((R1, A, 90), (R2, B, 80), (R3, C, 70), (R3, A, 5))
    capacities = {A: 0, B: 1}
    for objective in Objective:
        assert assign(candidates, capacities, objective) == {R2: B}
    assert greedy(candidates, capacities) == {R2: B}
    assert assign(candidates, {}, Objective.EVERYONE) == {}


def test_no_candidates() -> None:
    for objective in Objective:
        assert assign([], {A: 1}, objective) == {}
    assert greedy([], {A: 1}) == {}
    assert total({}, []) == 0


def test_score_zero_edges() -> None:
    candidates = edges((R1, A, 0))
    assert assign(candidates, {A: 1}, Objective.BEST_FIT) == {}
    assert assign(candidates, {A: 1}, Objective.EVERYONE) == {R1: A}


def test_output_is_deterministic() -> None:
    candidates = edges((R1, A, 50), (R1, B, 50), (R2, A, 50), (R2, B, 50))
    capacities = {A: 1, B: 1}
    for objective in Objective:
        first = assign(candidates, capacities, objective)
        assert len(first) == 2
        assert all(assign(candidates, capacities, objective) == first for _ in range(5))
        assert assign(list(reversed(candidates)), capacities, objective) == first


def test_total_rejects_pairs_that_are_not_candidates() -> None:
    with pytest.raises(ValueError, match="not a candidate pair"):
        total({R1: B}, edges((R1, A, 10)))


def brute_force(
    candidates: list[Candidate], capacities: dict[int, int], objective: Objective
) -> tuple[int, int]:
    """The best (matched, total) over every assignment, by the objective's order."""
    requests = sorted({c.request_id for c in candidates})
    options: dict[int, list[tuple[int | None, int]]] = {r: [(None, 0)] for r in requests}
    for c in candidates:
        options[c.request_id].append((c.mentor_id, c.score))
    best = (0, 0)
    for choice in itertools.product(*(options[r] for r in requests)):
        used = Counter(mentor for mentor, _ in choice if mentor is not None)
        if any(count > capacities.get(mentor, 0) for mentor, count in used.items()):
            continue
        key = (sum(used.values()), sum(points for _, points in choice))
        if objective is Objective.BEST_FIT:
            key = (0, key[1])
        best = max(best, key)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_matches_brute_force_on_small_instances(seed: int) -> None:
    rng = random.Random(seed)
    requests = range(1, rng.randint(1, 6) + 1)
    mentors = range(100, 100 + rng.randint(1, 3))
    capacities = {m: rng.randint(1, 2) for m in mentors}
    candidates = [
        Candidate(r, m, rng.randint(0, 100))
        for r in requests
        for m in mentors
        if rng.random() < 0.6
    ]
    for objective in Objective:
        result = assign(candidates, capacities, objective)
        assert Counter(result.values()) <= Counter(capacities)
        matched, expected = brute_force(candidates, capacities, objective)
        assert total(result, candidates) == expected
        if objective is Objective.EVERYONE:
            assert len(result) == matched
        assert (
            total(greedy(candidates, capacities), candidates)
            <= brute_force(candidates, capacities, Objective.BEST_FIT)[1]
        )
