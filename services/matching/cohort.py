"""Whole-cohort assignment of requests to mentors with capacities (Hungarian algorithm).

Pure computation on already scored, already eligible request–mentor pairs.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

MAX_SCORE = 100


class Objective(enum.StrEnum):
    # Maximise the total score.
    BEST_FIT = "best_fit"
    # First maximise how many mentees get a mentor, then the total score.
    EVERYONE = "everyone"


@dataclass(frozen=True, slots=True)
class Candidate:
    request_id: int
    mentor_id: int
    score: int


def _edges(
    candidates: Sequence[Candidate], capacities: Mapping[int, int]
) -> dict[tuple[int, int], int]:
    """(request, mentor) -> score for mentors with a free place; a repeated pair keeps its best."""
    edges: dict[tuple[int, int], int] = {}
    for candidate in candidates:
        if capacities.get(candidate.mentor_id, 0) <= 0:
            continue
        key = (candidate.request_id, candidate.mentor_id)
        edges[key] = max(candidate.score, edges.get(key, candidate.score))
    return edges


def assign(
    candidates: Sequence[Candidate], capacities: Mapping[int, int], objective: Objective
) -> dict[int, int]:
    """request_id -> mentor_id. Each request at most once; each mentor at most capacities[mentor_id]
    (free places; 0 or missing = none). Only listed candidate edges may be used."""
    edges = _edges(candidates, capacities)
    if not edges:
        return {}
    requests = sorted({request for request, _ in edges})
    mentors = sorted({mentor for _, mentor in edges})
    # The assignment problem gives each column to one row only, so a mentor who can take k more
    # mentees becomes k identical columns ("slots"). More slots than the mentor has candidate
    # requests could never be filled, so they are not built.
    wanted = Counter(mentor for _, mentor in edges)
    slots: list[int] = []
    for mentor in mentors:
        slots.extend([mentor] * min(capacities[mentor], wanted[mentor]))
    # One extra pair must outweigh any difference in total score, which is at most
    # MAX_SCORE × (number of requests); so BIG exceeds that and matching more always wins.
    big = MAX_SCORE * len(requests) + 1 if objective is Objective.EVERYONE else 0
    row_of = {request: row for row, request in enumerate(requests)}
    col_of: dict[int, list[int]] = {}
    for col, mentor in enumerate(slots):
        col_of.setdefault(mentor, []).append(col)
    # A missing edge weighs 0: with non-negative weights any real matching extends to a full
    # assignment of the same weight, so the maximum is a best matching plus zero-weight filler,
    # which is dropped below.
    weights = np.zeros((len(requests), len(slots)), dtype=np.float64)
    for (request, mentor), points in edges.items():
        weights[row_of[request], col_of[mentor]] = big + max(points, 0)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    result: dict[int, int] = {}
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        # Zero weight is either no edge, or (BEST_FIT) a score-0 edge that adds nothing.
        if weights[row, col] > 0:
            result[requests[row]] = slots[col]
    return dict(sorted(result.items()))


def greedy(candidates: Sequence[Candidate], capacities: Mapping[int, int]) -> dict[int, int]:
    """First come, first served: by request_id, each takes its best mentor with a free place."""
    edges = _edges(candidates, capacities)
    free = {mentor: capacities[mentor] for _, mentor in edges}
    options: dict[int, list[tuple[int, int]]] = {}
    for (request, mentor), points in edges.items():
        options.setdefault(request, []).append((-points, mentor))
    result: dict[int, int] = {}
    for request in sorted(options):
        for _, mentor in sorted(options[request]):
            if free[mentor] > 0:
                free[mentor] -= 1
                result[request] = mentor
                break
    return result


def total(assignment: Mapping[int, int], candidates: Sequence[Candidate]) -> int:
    """Sum of the scores of the assigned pairs; every pair must be a candidate."""
    scores: dict[tuple[int, int], int] = {}
    for candidate in candidates:
        key = (candidate.request_id, candidate.mentor_id)
        scores[key] = max(candidate.score, scores.get(key, candidate.score))
    try:
        return sum(scores[pair] for pair in assignment.items())
    except KeyError as error:
        raise ValueError(f"not a candidate pair: {error.args[0]}") from None
