"""The one way the bot answers a person.

Every send, edit, button answer and document in reply to an update passes through
`ReplyDelivery`, a request middleware on the Bot's session, while `ReplyScope` (the outermost
update middleware) marks the update being handled. The use case has already committed by the
time a reply is sent, so a reply that Telegram refuses for a moment must not lose what the
person did:

- 429: wait `retry_after` and send again; 5xx and network errors: retry with a short backoff;
- past a cap, a message goes to the outbox (deduplicated by update), which delivers it later;
- "message is not modified", "message to edit not found" and "query is too old" are quiet;
- a button press is answered exactly once, after the handler and the error handlers decided,
  so a refusal is never lost behind an earlier empty answer.

Messages the bot sends on its own (the outbox sender) run outside any scope and pass through
untouched: the sender has its own pacing and retries.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, cast

from aiogram import Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Chat, InlineKeyboardMarkup, Message, TelegramObject, Update

from services.core.clock import Clock
from services.outbox.rate_limit import SendRateLimiter

logger = logging.getLogger(__name__)

# The longest a person's reply waits for Telegram in total before it goes to the outbox. Telegram
# asks a chat to wait a second or two after a burst; a minute means something bigger is wrong.
MAX_WAIT_SECONDS = 30.0
# Waits after a 5xx or a network error before trying the same reply again.
SERVER_BACKOFF = (1.0, 2.0, 4.0)
# The message id a handler gets back for a message the outbox will deliver later: it is not on
# the person's screen yet (a form does not take the next text as its answer).
QUEUED_MESSAGE_ID = 0

_QUIET_EDIT_ERRORS = ("message is not modified",)
_GONE_MESSAGE_ERRORS = (
    "message to edit not found",
    "message can't be edited",
    # A "preparing…" note the person already deleted themselves: nothing left to remove.
    "message to delete not found",
    "message can't be deleted",
)
_STALE_QUERY_ERRORS = ("query is too old", "query id is invalid")


class ReplyKeeper(Protocol):
    """Where a reply goes when Telegram would not take it in time (the outbox)."""

    async def keep_reply(
        self, person_id: int, dedupe_key: str, text: str, reply_markup: str | None
    ) -> None: ...


@dataclass(slots=True)
class ReplyContext:
    """The update being answered."""

    update_id: int
    chat_id: int | None
    callback_query_id: str | None
    person_id: int | None = None
    # The press's answer, held back until the handler (or the error handler) has decided.
    pending_answer: AnswerCallbackQuery | None = None
    handed_over: int = 0

    def defer(self, answer: AnswerCallbackQuery) -> None:
        # A later answer wins (a refusal after an early "ok"), but an empty one never hides text.
        if self.pending_answer is None or answer.text or not self.pending_answer.text:
            self.pending_answer = answer


_current: ContextVar[ReplyContext | None] = ContextVar("nastavnik_reply", default=None)


def current_reply() -> ReplyContext | None:
    return _current.get()


def _chat_of(method: TelegramMethod[Any]) -> int | None:
    chat_id = getattr(method, "chat_id", None)
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return None


def _counts_against_chat_limit(method: TelegramMethod[Any]) -> bool:
    return isinstance(method, SendMessage | SendDocument | EditMessageText)


class ReplyDelivery(BaseRequestMiddleware):
    def __init__(self, clock: Clock, limiter: SendRateLimiter, keeper: ReplyKeeper) -> None:
        self._clock = clock
        self._limiter = limiter
        self._keeper = keeper

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        context = _current.get()
        if context is None:
            return await make_request(bot, method)
        if (
            isinstance(method, AnswerCallbackQuery)
            and method.callback_query_id == context.callback_query_id
        ):
            context.defer(method)
            return cast(Response[TelegramType], True)
        return cast(Response[TelegramType], await self._deliver(make_request, bot, method, context))

    async def flush(self, bot: Bot, context: ReplyContext) -> None:
        """Answer the press once, with what was decided (or silently, to stop the spinner)."""
        if context.callback_query_id is None:
            return
        answer = context.pending_answer or AnswerCallbackQuery(
            callback_query_id=context.callback_query_id
        )
        try:
            await self._deliver(bot.session.make_request, bot, answer, context)
        except Exception:  # the press's spinner stops by itself; never fail an update on it
            logger.warning("Could not answer the button press of update %s", context.update_id)

    async def _deliver(
        self,
        make_request: Callable[..., Awaitable[Any]],
        bot: Bot,
        method: TelegramMethod[Any],
        context: ReplyContext,
    ) -> Any:
        waited = 0.0
        failures = 0
        while True:
            try:
                result = await make_request(bot, method)
            except TelegramRetryAfter as error:
                if waited + error.retry_after > MAX_WAIT_SECONDS:
                    return await self._hand_over(bot, method, context, error)
                waited += error.retry_after
                await self._clock.sleep(error.retry_after)
                continue
            except (TelegramServerError, TelegramNetworkError) as error:
                if failures >= len(SERVER_BACKOFF):
                    return await self._hand_over(bot, method, context, error)
                await self._clock.sleep(SERVER_BACKOFF[failures])
                failures += 1
                continue
            except TelegramBadRequest as error:
                return await self._on_bad_request(make_request, bot, method, context, error)
            chat_id = _chat_of(method)
            if chat_id is not None and _counts_against_chat_limit(method):
                self._limiter.note_reply(chat_id)
            return result

    async def _on_bad_request(
        self,
        make_request: Callable[..., Awaitable[Any]],
        bot: Bot,
        method: TelegramMethod[Any],
        context: ReplyContext,
        error: TelegramBadRequest,
    ) -> Any:
        reason = error.message.lower()
        if any(text in reason for text in _QUIET_EDIT_ERRORS):
            return True
        if any(text in reason for text in _GONE_MESSAGE_ERRORS):
            if isinstance(method, EditMessageText) and method.chat_id is not None and method.text:
                # The message is gone or too old to edit: what it would have said comes anew.
                fresh = SendMessage(
                    chat_id=method.chat_id, text=method.text, reply_markup=method.reply_markup
                )
                return await self._deliver(make_request, bot, fresh, context)
            return True
        if isinstance(method, AnswerCallbackQuery) and any(
            text in reason for text in _STALE_QUERY_ERRORS
        ):
            if method.text and context.chat_id is not None:
                # Too late for a pop-up: the refusal or confirmation comes as a message.
                notice = SendMessage(chat_id=context.chat_id, text=method.text)
                return await self._deliver(make_request, bot, notice, context)
            return True
        raise error

    async def _hand_over(
        self, bot: Bot, method: TelegramMethod[Any], context: ReplyContext, error: Exception
    ) -> Any:
        """Telegram would not take the reply in time: the outbox delivers it later."""
        text, markup = _as_message(method)
        chat_id = _chat_of(method)
        if (
            text is None
            or chat_id is None
            or context.person_id is None
            or chat_id != context.chat_id
        ):
            if isinstance(method, AnswerCallbackQuery | EditMessageReplyMarkup):
                return True  # a spinner or stale buttons; the next press is checked anyway
            raise error
        context.handed_over += 1
        await self._keeper.keep_reply(
            context.person_id,
            f"reply:{context.update_id}:{context.handed_over}",
            text,
            markup.model_dump_json(exclude_none=True) if markup is not None else None,
        )
        logger.warning(
            "Update %s: %s; the reply was queued for later delivery",
            context.update_id,
            type(error).__name__,
        )
        if isinstance(method, SendMessage):
            return Message(
                message_id=QUEUED_MESSAGE_ID,
                date=self._clock.now(),
                chat=Chat(id=chat_id, type="private"),
                text=text,
            ).as_(bot)
        return True


def _as_message(method: TelegramMethod[Any]) -> tuple[str | None, InlineKeyboardMarkup | None]:
    markup: Any = None
    text: str | None = None
    if isinstance(method, SendMessage | EditMessageText):
        text, markup = method.text, method.reply_markup
    elif isinstance(method, AnswerCallbackQuery):
        text = method.text
    return text, markup if isinstance(markup, InlineKeyboardMarkup) else None


def reply_markup_from_json(value: str | None) -> InlineKeyboardMarkup | None:
    """The buttons of a reply the outbox delivers, as they were when the reply was made."""
    if not value:
        return None
    return InlineKeyboardMarkup.model_validate(json.loads(value))


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ReplyScope:
    """Outermost update middleware: marks the update being answered, answers its press at the end.

    It wraps aiogram's own error middleware, so the press is answered after the error handlers
    too, and installs `ReplyDelivery` on whichever Bot the update came through.
    """

    def __init__(self, delivery: ReplyDelivery) -> None:
        self._delivery = delivery

    def install(self, dispatcher: Dispatcher) -> None:
        outer = dispatcher.update.outer_middleware
        existing = list(outer)
        for middleware in existing:
            outer.unregister(middleware)
        outer.register(self)
        for middleware in existing:
            outer.register(middleware)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        bot: Bot = data["bot"]
        if self._delivery not in bot.session.middleware:
            bot.session.middleware(self._delivery)
        query = event.callback_query
        chat = event.message.chat if event.message is not None else None
        chat_id = chat.id if chat is not None else (query.from_user.id if query else None)
        context = ReplyContext(
            update_id=event.update_id,
            chat_id=chat_id,
            callback_query_id=query.id if query is not None else None,
        )
        token = _current.set(context)
        try:
            return await handler(event, data)
        finally:
            try:
                await self._delivery.flush(bot, context)
            finally:
                _current.reset(token)


async def bind_person(handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
    """After the person is known: a reply that has to wait for the outbox knows its recipient."""
    context = _current.get()
    person = data.get("person")
    if context is not None and person is not None:
        context.person_id = person.id
    return await handler(event, data)
