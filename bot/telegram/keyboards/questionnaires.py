"""Buttons of /questionnaires: a questionnaire per row, then Upload; under one questionnaire,
Preview, Download and Back to the list."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.telegram.callbacks import QuestionnaireCallback, ResponseCallback, SurveyOpenCallback
from bot.telegram.keyboards.common import NotificationKeyboard
from services.questionnaires.automatic import INVITE_KIND as AUTOMATIC_KIND
from services.questionnaires.automatic import REMINDER_KIND as AUTOMATIC_REMINDER_KIND
from services.questionnaires.campaigns import INVITE_KIND, REMINDER_KIND
from services.questionnaires.library import ListedQuestionnaire

LIST = "list"
SHOW = "show"
PREVIEW = "preview"
DOWNLOAD = "download"
UPLOAD = "upload"
RESULTS = "results"


def _button(text: str, organisation_id: int, action: str, code: str = "") -> InlineKeyboardButton:
    data = QuestionnaireCallback(organisation_id=organisation_id, action=action, code=code)
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def list_keyboard(
    organisation_id: int, listed: list[ListedQuestionnaire], language: str
) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(
                item.current.definition.title[language],
                organisation_id,
                SHOW,
                item.current.definition.id,
            )
        ]
        for item in listed
    ]
    rows.append([_button("⬆️ " + _("Upload a file"), organisation_id, UPLOAD)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def card_keyboard(organisation_id: int, code: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button("👁 " + _("See it as a participant"), organisation_id, PREVIEW, code)],
            [_button("📊 " + _("Results this programme year"), organisation_id, RESULTS, code)],
            [_button("⬇️ " + _("Download the file"), organisation_id, DOWNLOAD, code)],
            [_button("« " + _("All questionnaires"), organisation_id, LIST)],
        ]
    )


def open_keyboard(campaign_id: int, *, resume: bool = False) -> InlineKeyboardMarkup:
    text = "📝 " + (_("Go on answering") if resume else _("Answer the questionnaire"))
    data = SurveyOpenCallback(campaign_id=campaign_id).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=data)]]
    )


def response_keyboard(response_id: int) -> InlineKeyboardMarkup:
    text = "📝 " + _("Answer the questionnaire")
    data = ResponseCallback(response_id=response_id).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=data)]]
    )


NOTIFICATION_KEYBOARDS: dict[str, NotificationKeyboard] = {
    AUTOMATIC_KIND: lambda payload: response_keyboard(int(payload["response_id"])),
    AUTOMATIC_REMINDER_KIND: lambda payload: response_keyboard(int(payload["response_id"])),
    INVITE_KIND: lambda payload: open_keyboard(int(payload["campaign_id"])),
    REMINDER_KIND: lambda payload: open_keyboard(int(payload["campaign_id"]), resume=True),
}
