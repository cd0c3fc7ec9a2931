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
