"""Callback data stay within Telegram's 64 bytes even for the largest ids."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import (
    InviteOrganisationCallback,
    InviteRevokeCallback,
    InviteRoleCallback,
    LanguageCallback,
    OrgCreateCallback,
    OrgCuratorInviteCallback,
    OrgPageCallback,
    ParticipantsActionCallback,
    ParticipantsCallback,
    PrivacyCallback,
    TimezoneCallback,
)

BIG = 2**63 - 1


def test_worst_cases_fit_in_64_bytes() -> None:
    worst: list[CallbackData] = [
        LanguageCallback(locale="en"),
        TimezoneCallback(index=10),
        OrgCreateCallback(answer="yes"),
        OrgPageCallback(page=BIG),
        OrgCuratorInviteCallback(organisation_id=BIG),
        InviteOrganisationCallback(organisation_id=BIG, purpose="list"),
        InviteRoleCallback(organisation_id=BIG, role="either"),
        InviteRevokeCallback(invite_id=BIG, step="yes"),
        PrivacyCallback(action="withdraw_yes"),
        ParticipantsCallback(organisation_id=BIG, role="mentor", status="p", page=BIG),
        ParticipantsActionCallback(organisation_id=BIG, action="remind"),
    ]
    for data in worst:
        assert len(data.pack().encode()) <= 64, data


def test_prefixes_are_unique() -> None:
    prefixes = [cls.__prefix__ for cls in CallbackData.__subclasses__()]
    assert len(prefixes) == len(set(prefixes))
