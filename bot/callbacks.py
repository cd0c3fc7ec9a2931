"""Every callback-data factory. Short prefixes and ids only: Telegram allows 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LanguageCallback(CallbackData, prefix="lang"):
    locale: str


class TimezoneCallback(CallbackData, prefix="tz"):
    """Index into services.timezones.RUSSIAN_TIMEZONES."""

    index: int


class OrgCreateCallback(CallbackData, prefix="oc"):
    """Confirm (`yes`) or abandon (`no`) the new organisation."""

    answer: str


class OrgPageCallback(CallbackData, prefix="og"):
    page: int


class OrgCuratorInviteCallback(CallbackData, prefix="oi"):
    organisation_id: int


class InviteOrganisationCallback(CallbackData, prefix="io"):
    """Which organisation an invite (or the invite list) is for; `list` or `new`."""

    organisation_id: int
    purpose: str


class InviteRoleCallback(CallbackData, prefix="ir"):
    organisation_id: int
    role: str


class InviteRevokeCallback(CallbackData, prefix="iv"):
    """`ask` shows a confirmation, `yes` revokes."""

    invite_id: int
    step: str
