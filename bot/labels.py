"""Names of domain values in the current language (for buttons and templates alike)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from models import InviteRole, ProfileRole
from services.participants import ParticipantStatus


def role_name(role: InviteRole | str) -> str:
    role = InviteRole(role)
    names = {
        InviteRole.MENTEE: _("mentee"),
        InviteRole.MENTOR: _("mentor"),
        InviteRole.EITHER: _("mentor or mentee"),
        InviteRole.CURATOR: _("curator"),
        InviteRole.HEAD: _("head of the organisation"),
    }
    return names[role]


def profile_role_name(role: ProfileRole | str) -> str:
    names = {
        ProfileRole.MENTEE: _("mentee"),
        ProfileRole.MENTOR: _("mentor"),
        ProfileRole.BOTH: _("mentor and mentee"),
    }
    return names[ProfileRole(role)]


def participant_status_name(status: ParticipantStatus | str) -> str:
    names = {
        ParticipantStatus.INVITED: _("waiting for consent"),
        ParticipantStatus.CONSENTED: _("consented, profile not filled"),
        ParticipantStatus.PROFILE_COMPLETE: _("profile complete"),
        ParticipantStatus.DECLINED: _("declined consent"),
        ParticipantStatus.WITHDRAWN: _("withdrew consent"),
        ParticipantStatus.UNREACHABLE: _("blocked the bot"),
    }
    return names[ParticipantStatus(status)]
