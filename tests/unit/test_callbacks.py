"""Callback data stay within Telegram's 64 bytes even for the largest ids."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.telegram.callbacks import (
    AgreedMeetingCallback,
    AssignCallback,
    CheckinCallback,
    ChooseMentorCallback,
    CuratorPairsCallback,
    CuratorRequestCallback,
    CuratorRequestsCallback,
    DeclineReasonCallback,
    FileForCallback,
    FormAnswerCallback,
    InviteOrganisationCallback,
    InviteRevokeCallback,
    InviteRoleCallback,
    LanguageCallback,
    MatchCallback,
    MatchPickCallback,
    MeetingCallback,
    MentorCapacityCallback,
    OfferCallback,
    OpenRequestsPageCallback,
    OrderCallback,
    OrgCreateCallback,
    OrgCuratorInviteCallback,
    OrgPageCallback,
    PairActionCallback,
    PairManageCallback,
    ParticipantsActionCallback,
    ParticipantsCallback,
    PetitionDecisionCallback,
    PetitionReasonCallback,
    PlanCallback,
    PrivacyCallback,
    ProgrammeSettingCallback,
    QuietPairCallback,
    RequestActionCallback,
    TakeRequestCallback,
    TaskCallback,
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
        RequestActionCallback(request_id=BIG, action="withdraw_yes"),
        ChooseMentorCallback(request_id=BIG, mentor_id=BIG),
        FileForCallback(organisation_id=BIG, mentee_id=BIG, page=BIG),
        OfferCallback(offer_id=BIG, action="decline"),
        DeclineReasonCallback(offer_id=BIG, reason="outside_expertise"),
        TakeRequestCallback(request_id=BIG, step="ask"),
        OpenRequestsPageCallback(page=BIG),
        CuratorRequestsCallback(organisation_id=BIG, page=BIG),
        CuratorRequestCallback(request_id=BIG, action="withdraw"),
        AssignCallback(request_id=BIG, mentor_id=BIG, step="ask"),
        MatchCallback(action="objective", value=BIG),
        MatchPickCallback(request_id=BIG, mentor_id=BIG),
        ProgrammeSettingCallback(organisation_id=BIG, setting="pairs_require_order", value="168"),
        OrderCallback(action="toggle", value=BIG),
        PairActionCallback(pair_id=BIG, action="petition"),
        PetitionReasonCallback(pair_id=BIG, reason="no_contact"),
        PetitionDecisionCallback(petition_id=BIG, decision="yes"),
        CuratorPairsCallback(organisation_id=BIG, page=BIG),
        PairManageCallback(pair_id=BIG, action="end_no_contact"),
        MentorCapacityCallback(organisation_id=BIG, action="set", mentor_id=BIG, value=-1),
        CheckinCallback(cycle_id=BIG, answer="postponed"),
        QuietPairCallback(pair_id=BIG, answer="pause"),
        MeetingCallback(action="edit", value=BIG),
        FormAnswerCallback(question="usefulness_12", value="back"),
        PlanCallback(pair_id=BIG, action="overdue", item_id=BIG),
        TaskCallback(task_id=BIG, action="return"),
        AgreedMeetingCallback(pair_id=BIG, action="cancel"),
    ]
    for data in worst:
        assert len(data.pack().encode()) <= 64, data


def test_prefixes_are_unique() -> None:
    prefixes = [cls.__prefix__ for cls in CallbackData.__subclasses__()]
    assert len(prefixes) == len(set(prefixes))
