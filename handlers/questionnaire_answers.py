"""A participant opens a questionnaire from its invitation (or goes on with one they left); the
form engine asks it, and the answers are kept as they are given."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.container import Services
from bot.telegram.callbacks import ResponseCallback, SurveyOpenCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.questionnaire_forms import start_answering
from bot.telegram.texts import Texts


async def on_open(
    callback: CallbackQuery,
    callback_data: ResponseCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    # Someone else's, answered, closed or past its deadline: the error router says which.
    response = await services.answers.open(person.id, callback_data.response_id)
    await callback.answer()
    await start_answering(bot, state, services, texts, person, response)


async def on_open_in_campaign(
    callback: CallbackQuery,
    callback_data: SurveyOpenCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """An invitation's button: the person's own response in that survey."""
    response = await services.answers.open_in_campaign(person.id, callback_data.campaign_id)
    await callback.answer()
    await start_answering(bot, state, services, texts, person, response)


def get_router() -> Router:
    router = Router(name="questionnaire_answers")
    router.callback_query.register(on_open, ResponseCallback.filter())
    router.callback_query.register(on_open_in_campaign, SurveyOpenCallback.filter())
    return router
