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


class ConsentCallback(CallbackData, prefix="cs"):
    """An answer to one consent document: `yes`, `no`, `show` again, or `erase` (a confirmed
    refusal of a changed text)."""

    document_id: int
    answer: str


class ProfileCallback(CallbackData, prefix="pf"):
    """The profile form and /profile: `action` is a step or command, `value` its argument."""

    action: str
    value: str = ""


class PrivacyCallback(CallbackData, prefix="pv"):
    """/privacy: `export`, `withdraw` (asks), `withdraw_yes`, `withdraw_no`."""

    action: str


class ParticipantsCallback(CallbackData, prefix="pl"):
    """/participants: a page of the list with a role and status filter ("" = any)."""

    organisation_id: int
    role: str = ""
    status: str = ""
    page: int = 0


class ParticipantsActionCallback(CallbackData, prefix="pr"):
    """/participants actions: `remind` those waiting for consent."""

    organisation_id: int
    action: str


class ConsentSettingsCallback(CallbackData, prefix="cr"):
    """/consent (curator): show an organisation's consent settings (`years` 0) or set the period."""

    organisation_id: int
    years: int = 0
