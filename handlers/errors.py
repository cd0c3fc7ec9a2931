"""One place where errors become words: domain errors get a short localized message, anything
else is logged with its traceback and the person gets an apology."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from services.core.errors import (
    DomainError,
    NotAllowed,
    QuestionnaireProblem,
    QuestionnaireUnavailable,
    RequestProblem,
    RequestUnavailable,
    StaleAction,
    ValidationFailed,
)

logger = logging.getLogger(__name__)


def request_problem_text(problem: RequestProblem) -> str:
    texts = {
        RequestProblem.ALREADY_OPEN: _(
            "You already have an open request. Open /request to see, edit or withdraw it."
        ),
        RequestProblem.NOT_A_MENTEE: _(
            "Requests are for mentees. Fill in your profile as a mentee first: /profile."
        ),
        RequestProblem.TAKEN: _("This request already has a mentor. Nothing was changed."),
        RequestProblem.WITHDRAWN: _("This request has been withdrawn. Nothing was changed."),
        RequestProblem.EXPIRED: _("The time to answer this request has run out."),
        RequestProblem.ALREADY_ACCEPTED: _("You have already accepted this request."),
        RequestProblem.ALREADY_DECLINED: _("You have already declined this request."),
        RequestProblem.NO_PLACE: _(
            "You have no free places for mentees. Change your capacity in /profile to take more."
        ),
        RequestProblem.NOT_ELIGIBLE: _(
            "This mentor cannot take the request now (unavailable, full or already paired)."
        ),
        RequestProblem.AWAITING_MENTOR: _(
            "A mentor is considering this request right now. Please wait for their answer."
        ),
        RequestProblem.PETITION_PENDING: _(
            "A petition about this pair is already with the curator."
        ),
        RequestProblem.PAIR_ENDED: _("This pair has already ended."),
    }
    return texts[problem]


def questionnaire_problem_text(problem: QuestionnaireProblem) -> str:
    texts = {
        QuestionnaireProblem.UNKNOWN: _("This questionnaire is not available."),
        QuestionnaireProblem.PAST_DEADLINE: _(
            "Thank you for looking in, but this questionnaire has closed: its deadline has passed."
        ),
        QuestionnaireProblem.SUBMITTED: _(
            "You have already answered this questionnaire. Thank you!"
        ),
        QuestionnaireProblem.CLOSED: _(
            "The curator has closed this questionnaire. Thank you all the same!"
        ),
    }
    return texts[problem]


def describe(error: DomainError) -> str:
    if isinstance(error, RequestUnavailable):
        return request_problem_text(error.problem)
    if isinstance(error, QuestionnaireUnavailable):
        return questionnaire_problem_text(error.problem)
    if isinstance(error, NotAllowed):
        return _("This is not available to you.")
    if isinstance(error, StaleAction):
        return _("This button is no longer active.")
    if isinstance(error, ValidationFailed):
        return _("This value cannot be used. Please check it and try again.")
    return _("This cannot be done right now.")


async def on_domain_error(event: ErrorEvent, bot: Bot) -> None:
    """A rule of the programme was not met."""
    error = event.exception
    assert isinstance(error, DomainError)
    text = describe(error)
    update = event.update
    if update.callback_query is not None:
        # A stale or forged button: answer the press itself, change nothing.
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


async def on_unexpected_error(event: ErrorEvent, bot: Bot) -> None:
    """A bug or an outage: log it for the operator, apologise to the person."""
    error = event.exception
    if isinstance(error, TelegramForbiddenError):
        logger.info("Update %s: the person blocked the bot mid-reply", event.update.update_id)
        return
    if isinstance(error, TelegramRetryAfter):
        # Only a reply past bot.telegram.reply's cap that could not be queued gets here; an
        # apology would meet the same flood limit.
        logger.warning(
            "Update %s: Telegram asked to wait %s s", event.update.update_id, error.retry_after
        )
        return
    logger.error(
        "Update %s failed: %s",
        event.update.update_id,
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__),
    )
    text = _("Sorry, something went wrong on our side. Please try again in a minute.")
    update = event.update
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.message is not None:
            await update.message.answer(text)
    except Exception:  # the apology itself failed; the log already has the cause
        logger.warning("Could not send an apology for update %s", update.update_id)


def get_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(on_unexpected_error)
    return router
