"""Names of pair values that only the pair screens use (petition kinds, which reasons fit whom).

Kept apart from bot/mentoring_labels.py, which other features share."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from models import ChangeReason, PetitionKind

# A mentee does not leave because of a mentor's workload; everything else fits both sides.
MENTEE_REASONS = (
    ChangeReason.NO_CONTACT,
    ChangeReason.MISMATCH,
    ChangeReason.PERSONAL,
    ChangeReason.LEFT,
    ChangeReason.OTHER,
)
MENTOR_REASONS = (
    ChangeReason.NO_CONTACT,
    ChangeReason.MISMATCH,
    ChangeReason.WORKLOAD,
    ChangeReason.PERSONAL,
    ChangeReason.LEFT,
    ChangeReason.OTHER,
)


def petition_kind_name(kind: PetitionKind | str) -> str:
    names = {
        PetitionKind.REPLACE_MENTOR: _("petition for another mentor"),
        PetitionKind.RELIEVE_MENTOR: _("application to be relieved of mentoring"),
    }
    return names[PetitionKind(kind)]


def reasons_for(kind: PetitionKind) -> tuple[ChangeReason, ...]:
    return MENTEE_REASONS if kind == PetitionKind.REPLACE_MENTOR else MENTOR_REASONS
