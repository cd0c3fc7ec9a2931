"""Names of domain values in the current language (for buttons and templates alike)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from models import InviteRole


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
