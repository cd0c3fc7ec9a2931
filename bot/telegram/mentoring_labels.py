"""Names of request, pair and matching values in the current language (buttons and templates)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.telegram.labels import meeting_format_name
from models import (
    ChangeReason,
    DeclineReason,
    MeetingKind,
    MentoringType,
    PairStatus,
    RequestStatus,
    RequestTopic,
    Urgency,
)
from services.matching.score import Reason


def topic_name(topic: RequestTopic | str) -> str:
    names = {
        RequestTopic.SUBJECT_CONTENT: _("subject content"),
        RequestTopic.TEACHING_METHODS: _("teaching methods"),
        RequestTopic.UPBRINGING: _("upbringing work"),
        RequestTopic.LESSONS_AND_ACTIVITIES: _("organising lessons and extracurricular activity"),
        RequestTopic.PSYCHOLOGICAL_SUPPORT: _("psychological and pedagogical support"),
        RequestTopic.PARENTS: _("work with parents"),
        RequestTopic.ADDITIONAL_EDUCATION: _("links with additional education"),
    }
    return names[RequestTopic(topic)]


def mentoring_type_name(kind: MentoringType | str) -> str:
    names = {
        MentoringType.TRADITIONAL: _("traditional (regular meetings over months)"),
        MentoringType.SHORT_TERM: _("short-term, towards a set goal"),
        MentoringType.SITUATIONAL: _("situational (help when needed)"),
    }
    return names[MentoringType(kind)]


def urgency_name(urgency: Urgency | str) -> str:
    names = {
        Urgency.MONTH: _("within a month"),
        Urgency.TWO_WEEKS: _("within two weeks"),
        Urgency.THIS_WEEK: _("this week"),
    }
    return names[Urgency(urgency)]


def request_status_name(status: RequestStatus | str) -> str:
    names = {
        RequestStatus.OPEN: _("waiting for a mentor to be chosen"),
        RequestStatus.AWAITING_MENTOR: _("waiting for the mentor's answer"),
        RequestStatus.MATCHED: _("mentor found"),
        RequestStatus.WITHDRAWN: _("withdrawn"),
        RequestStatus.CLOSED: _("closed"),
    }
    return names[RequestStatus(status)]


def decline_reason_name(reason: DeclineReason | str) -> str:
    names = {
        DeclineReason.NO_TIME: _("No time right now"),
        DeclineReason.OUTSIDE_EXPERTISE: _("Outside my expertise"),
        DeclineReason.PERSONAL: _("Personal reasons"),
        DeclineReason.CONFLICT_OF_INTEREST: _("Conflict of interest"),
        DeclineReason.OTHER: _("Another reason"),
    }
    return names[DeclineReason(reason)]


def change_reason_name(reason: ChangeReason | str) -> str:
    names = {
        ChangeReason.NO_CONTACT: _("We cannot find time to meet"),
        ChangeReason.MISMATCH: _("Our needs and experience do not match"),
        ChangeReason.WORKLOAD: _("Too much workload"),
        ChangeReason.PERSONAL: _("Personal reasons"),
        ChangeReason.LEFT: _("Left the organisation or the programme"),
        ChangeReason.OTHER: _("Another reason"),
    }
    return names[ChangeReason(reason)]


def pair_status_name(status: PairStatus | str) -> str:
    names = {
        PairStatus.PENDING_ORDER: _("waiting for the order"),
        PairStatus.ACTIVE: _("active"),
        PairStatus.PAUSED: _("paused"),
        PairStatus.COMPLETED: _("completed"),
        PairStatus.ENDED_EARLY: _("ended early"),
    }
    return names[PairStatus(status)]


def meeting_kind_name(kind: MeetingKind | str) -> str:
    names = {
        MeetingKind.INTRODUCTION: _("introductory meeting"),
        MeetingKind.PLANNING: _("planning meeting"),
        MeetingKind.REGULAR: _("regular meeting"),
        MeetingKind.FINAL: _("final meeting"),
    }
    return names[MeetingKind(kind)]


def reason_text(reason: Reason | Mapping[str, Any]) -> str:
    """One reason of a fit in words: "same subject (Математика)", "covers 2 of 3 topics"."""
    if isinstance(reason, Reason):
        code, params = reason.code, dict(reason.params)
    else:
        code, params = str(reason["code"]), dict(reason.get("params") or {})
    if code == "topics":
        return _("covers {covered} of {total} topics").format(**params)
    if code == "domains":
        return _("covers {covered} of {total} competence domains needed").format(**params)
    if code == "subject":
        return _("same subject ({subject})").format(**params)
    if code == "experience":
        gap = int(params.get("gap", 0))
        return ngettext("{gap} year more experience", "{gap} years more experience", gap).format(
            gap=gap
        )
    if code == "same_format":
        return _("both prefer: {format}").format(
            format=meeting_format_name(str(params.get("format")))
        )
    if code == "format_ok":
        return _("the meeting format suits both")
    if code == "common_time":
        return _("common days and times for meetings")
    if code == "some_common_time":
        return _("some common time for meetings")
    if code == "load":
        return _("already mentors {load} of {capacity}").format(**params)
    return code


def reasons_text(reasons: Any) -> str:
    """The top reasons joined for one line: "same subject; covers 2 of 3 topics"."""
    return "; ".join(reason_text(reason) for reason in reasons)


TEMPLATE_GLOBALS = {
    "topic_name": topic_name,
    "mentoring_type_name": mentoring_type_name,
    "urgency_name": urgency_name,
    "request_status_name": request_status_name,
    "decline_reason_name": decline_reason_name,
    "change_reason_name": change_reason_name,
    "pair_status_name": pair_status_name,
    "meeting_kind_name": meeting_kind_name,
    "meeting_format_name": meeting_format_name,
    "reason_text": reason_text,
    "reasons_text": reasons_text,
}
