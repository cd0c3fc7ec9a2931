"""Domain errors. Handlers never build error texts themselves: the error router maps these."""

from __future__ import annotations

import enum


class DomainError(Exception):
    """A rule of the programme was not met; the person gets a short explanation."""


class NotAllowed(DomainError):
    """The person's role does not allow this action here."""


class StaleAction(DomainError):
    """The object is gone, changed, or not theirs: an old or forged button press."""


class ValidationFailed(DomainError):
    """Input that does not meet a rule; `reason` tells the handler which hint to show."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InviteProblem(enum.StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used_up"


class InviteNotUsable(DomainError):
    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class RequestProblem(enum.StrEnum):
    """Why a request, an offer or a pair can no longer be acted on."""

    ALREADY_OPEN = "already_open"  # the mentee already has a live request
    NOT_A_MENTEE = "not_a_mentee"  # no complete mentee profile with current consent
    TAKEN = "taken"  # another mentor took it, or the curator assigned one
    WITHDRAWN = "withdrawn"  # the mentee withdrew it
    EXPIRED = "expired"  # the time to answer ran out
    ALREADY_ACCEPTED = "already_accepted"
    ALREADY_DECLINED = "already_declined"
    NO_PLACE = "no_place"  # the mentor's capacity is used up
    NOT_ELIGIBLE = "not_eligible"  # the mentor no longer fits (unavailable, paired, blocked…)
    AWAITING_MENTOR = "awaiting_mentor"  # a mentor is deciding right now
    PETITION_PENDING = "petition_pending"
    PAIR_ENDED = "pair_ended"


class RequestUnavailable(DomainError):
    def __init__(self, problem: RequestProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class QuestionnaireProblem(enum.StrEnum):
    """Why a questionnaire cannot be opened or answered."""

    UNKNOWN = "unknown"  # no such questionnaire here, or not this person's
    PAST_DEADLINE = "past_deadline"
    SUBMITTED = "submitted"  # answered already: a second submission is impossible
    CLOSED = "closed"  # the curator closed the campaign


class QuestionnaireUnavailable(DomainError):
    def __init__(self, problem: QuestionnaireProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem
