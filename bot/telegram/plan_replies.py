"""Replies of /plan shared by its handlers: the plan with a notice of what just changed."""

from __future__ import annotations

from contextlib import suppress

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.telegram.html import format_html
from bot.telegram.keyboards import plan as keyboards
from bot.telegram.plan_form import ADD_GOAL, ADD_TASK, CHECK, DONE
from bot.telegram.texts import Texts
from models import TaskStatus
from services.plans.views import PlanUpdate, PlanView


def render_plan(texts: Texts, view: PlanView, notice: str | None = None) -> str:
    return texts.render("plan/view.j2", plan=view, notice=notice)


def notice_text(update: PlanUpdate, action: str) -> str:
    name = update.told_name or _("the other participant")
    if action == ADD_GOAL:
        return format_html(_("🎯 The goal is added. I have told {name}."), name=name)
    if action == ADD_TASK:
        return format_html(_("➕ The task is added. I have told {name}."), name=name)
    if action == DONE and update.status == TaskStatus.DONE:
        return format_html(
            _("✓ Marked done. I have told {name}; the task waits for their check."), name=name
        )
    if action == DONE:
        return format_html(_("✅ Marked done. I have told {name}."), name=name)
    if action == CHECK:
        return format_html(_("✅ Checked. I have told {name}."), name=name)
    return format_html(_("↩️ Returned with your comment. I have told {name}."), name=name)


async def drop_buttons(bot: Bot, callback: CallbackQuery) -> None:
    """The pressed message's buttons are spent: a fresh plan follows (best effort)."""
    if callback.message is None:
        return
    with suppress(TelegramBadRequest):
        await bot.edit_message_reply_markup(
            chat_id=callback.message.chat.id,
            message_id=callback.message.message_id,
            reply_markup=None,
        )


async def send_update(
    bot: Bot, chat_id: int, texts: Texts, update: PlanUpdate, action: str
) -> None:
    await bot.send_message(
        chat_id,
        render_plan(texts, update.view, notice_text(update, action)),
        reply_markup=keyboards.plan_keyboard(update.view),
    )
