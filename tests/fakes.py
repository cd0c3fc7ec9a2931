"""Test doubles: a fake clock, a recording Bot API session, and a person-like Telegram client."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncGenerator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.default import Default
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    GetFile,
    GetMe,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Document,
    File,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Sticker,
    Update,
    User,
)
from aiohttp import ClientConnectionError

from services.outbox.sender import OutboxSender
from tests.telegram_html import HtmlProblem, check_telegram_html

BOT_ID = 555_000_111
BOT_USERNAME = "nastavnik_test_bot"
TEST_TOKEN = f"{BOT_ID}:AAEexampleexampleexampleexample_xyz"
START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)


class FakeClock:
    """Time that moves only when told to; `sleep` advances it instead of waiting."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self._monotonic = 1_000.0
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds=max(seconds, 0))
        await asyncio.sleep(0)

    def advance(self, **delta: float) -> None:
        step = timedelta(**delta)
        self._now += step
        self._monotonic += step.total_seconds()


FailureFactory = Callable[[TelegramMethod[Any]], Exception]


class RecordingSession(BaseSession):
    """A Bot API that answers plausibly, records every call, and fails on demand."""

    def __init__(self, *, check_html: bool = True) -> None:
        super().__init__()
        # Benchmarks turn the check off: it is a test's guard, not part of a real Bot API call.
        self._checks_html = check_html
        self.requests: list[TelegramMethod[Any]] = []
        self._failures: list[tuple[Callable[[TelegramMethod[Any]], bool], FailureFactory]] = []
        self._message_ids = itertools.count(1)
        # id(SendMessage) -> message_id of the message it created, for clicking on it later.
        self.message_ids: dict[int, int] = {}
        # (chat id, file name, bytes) of every file sent, so a test can read what was in it.
        self.documents: list[tuple[int, str, bytes]] = []
        # file id -> bytes of the files people sent (`TelegramClient.send_document`), which
        # the bot may download; the next `download_failures` downloads fail as a network would.
        self.files: dict[str, bytes] = {}
        self.download_failures = 0

    def fail_next(
        self,
        factory: FailureFactory,
        *,
        when: Callable[[TelegramMethod[Any]], bool] = lambda method: True,
        times: int = 1,
    ) -> None:
        for _ in range(times):
            self._failures.append((when, factory))

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> TelegramType:
        self.requests.append(method)
        for index, (when, factory) in enumerate(self._failures):
            if when(method):
                del self._failures[index]
                raise factory(method)
        if self._checks_html:
            self._check_html(bot, method)
        return cast(TelegramType, self._answer(bot, method))

    @staticmethod
    def _check_html(bot: Bot, method: TelegramMethod[Any]) -> None:
        """Refuse HTML Telegram would refuse, with Telegram's words, so unescaped text fails."""
        if isinstance(method, SendMessage | EditMessageText):
            text: str | None = method.text
        elif isinstance(method, SendDocument):
            text = method.caption
        else:
            return
        parse_mode = method.parse_mode
        if isinstance(parse_mode, Default):
            parse_mode = bot.default[parse_mode.name]
        # ParseMode is a (str, Enum): its str() is "ParseMode.HTML", its value "HTML".
        parse_mode = getattr(parse_mode, "value", parse_mode)
        if text is None or not isinstance(parse_mode, str) or parse_mode.lower() != "html":
            return
        if getattr(method, "entities", None) or getattr(method, "caption_entities", None):
            return
        try:
            check_telegram_html(text)
        except HtmlProblem as problem:
            refused = api_error(TelegramBadRequest, f"Bad Request: can't parse entities: {problem}")
            raise refused(method) from None

    def _answer(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetFile):
            if method.file_id not in self.files:
                raise api_error(TelegramBadRequest, "Bad Request: invalid file_id")(method)
            size = len(self.files[method.file_id])
            return File(
                file_id=method.file_id,
                file_unique_id=method.file_id,
                file_size=size,
                file_path=f"documents/{method.file_id}",
            )
        if isinstance(method, GetMe):
            return User(id=BOT_ID, is_bot=True, first_name="Nastavnik", username=BOT_USERNAME)
        if isinstance(method, SendMessage):
            message_id = self.message_ids[id(method)] = next(self._message_ids)
            return Message(
                message_id=message_id,
                date=START,
                chat=Chat(id=int(method.chat_id), type="private"),
                text=method.text,
            ).as_(bot)
        if isinstance(method, SendDocument):
            document = method.document
            assert isinstance(document, BufferedInputFile), "the bot sends files it built itself"
            self.documents.append((int(method.chat_id), document.filename or "", document.data))
            return Message(
                message_id=next(self._message_ids),
                date=START,
                chat=Chat(id=int(method.chat_id), type="private"),
                document=Document(
                    file_id="document", file_unique_id="document", file_name=document.filename
                ),
                caption=method.caption,
            ).as_(bot)
        if isinstance(method, EditMessageText):
            return Message(
                message_id=method.message_id or 0,
                date=START,
                chat=Chat(id=int(method.chat_id or 0), type="private"),
                text=method.text,
                reply_markup=method.reply_markup,
            ).as_(bot)
        return True

    async def stream_content(
        self, url: str, *args: Any, **kwargs: Any
    ) -> AsyncGenerator[bytes, None]:
        """A file a person sent, as Bot.download_file reads it."""
        if self.download_failures:
            self.download_failures -= 1
            raise ClientConnectionError("connection reset")
        file_id = url.rsplit("/", 1)[-1]
        yield self.files[file_id]

    async def close(self) -> None:
        return None

    def sent_to(self, chat_id: int) -> list[SendMessage | EditMessageText]:
        return [
            method
            for method in self.requests
            if isinstance(method, SendMessage | EditMessageText)
            and method.chat_id is not None
            and int(method.chat_id) == chat_id
        ]


def last_shown(session: RecordingSession) -> TelegramMethod[Any]:
    """The newest call that put something on a screen (a press's answer comes after it)."""
    return next(m for m in reversed(session.requests) if not isinstance(m, AnswerCallbackQuery))


def api_error(kind: type[TelegramAPIError], message: str, **extra: Any) -> FailureFactory:
    def factory(method: TelegramMethod[Any]) -> Exception:
        return kind(method=method, message=message, **extra)

    return factory


_update_ids = itertools.count(1)
_incoming_message_ids = itertools.count(10_000)


class TelegramClient:
    """One person talking to the bot: `send` text or media, `click` a button by its label."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        session: RecordingSession,
        *,
        user_id: int,
        language_code: str | None = "ru",
        first_name: str = "Анна",
        username: str | None = None,
        clock: FakeClock | None = None,
        seconds_between_actions: float = 2.0,
    ) -> None:
        # A person reads a reply before tapping again; without this pause every action in a test
        # would arrive in the same instant and trip the flood throttling.
        self._clock = clock
        self._pause = seconds_between_actions
        self.dispatcher = dispatcher
        self.bot = bot
        self.session = session
        self.user = User(
            id=user_id,
            is_bot=False,
            first_name=first_name,
            username=username,
            language_code=language_code,
        )
        self._seen = 0
        self._query_ids: set[str] = set()

    @property
    def chat(self) -> Chat:
        return Chat(id=self.user.id, type="private")

    async def send(self, text: str) -> list[str]:
        return await self._message(text=text)

    async def send_photo(self) -> list[str]:
        photo = PhotoSize(file_id="photo", file_unique_id="photo", width=10, height=10)
        return await self._message(photo=[photo])

    async def send_document(
        self, content: bytes, file_name: str, *, mime_type: str = "application/x-yaml"
    ) -> list[str]:
        file_id = f"upload{next(_incoming_message_ids)}"
        self.session.files[file_id] = content
        document = Document(
            file_id=file_id,
            file_unique_id=file_id,
            file_name=file_name,
            mime_type=mime_type,
            file_size=len(content),
        )
        return await self._message(document=document)

    async def send_sticker(self) -> list[str]:
        sticker = Sticker(
            file_id="s",
            file_unique_id="s",
            type="regular",
            width=1,
            height=1,
            is_animated=False,
            is_video=False,
        )
        return await self._message(sticker=sticker)

    async def _message(self, **content: Any) -> list[str]:
        message = Message(
            message_id=next(_incoming_message_ids),
            date=START,
            chat=self.chat,
            from_user=self.user,
            **content,
        )
        await self.feed(Update(update_id=next(_update_ids), message=message))
        return self.new_texts()

    def keyboard_message(self, label: str) -> tuple[int, str]:
        """The newest message to this person with a button labelled `label`: (id, data)."""
        for method in reversed(self.session.sent_to(self.user.id)):
            markup = method.reply_markup
            if not isinstance(markup, InlineKeyboardMarkup):
                continue
            for row in markup.inline_keyboard:
                for button in row:
                    if button.text == label and button.callback_data is not None:
                        if isinstance(method, EditMessageText):
                            return method.message_id or 0, button.callback_data
                        return self.session.message_ids[id(method)], button.callback_data
        raise AssertionError(f"no button {label!r} in the messages to {self.user.id}")

    def buttons(self) -> list[str]:
        """Labels of the newest keyboard sent to this person."""
        for method in reversed(self.session.sent_to(self.user.id)):
            if isinstance(method.reply_markup, InlineKeyboardMarkup):
                return [b.text for row in method.reply_markup.inline_keyboard for b in row]
        return []

    async def click(self, label: str) -> list[str]:
        message_id, data = self.keyboard_message(label)
        return await self.press(data, message_id=message_id)

    async def press(self, data: str, *, message_id: int = 1) -> list[str]:
        """Press a button with raw callback data (forged, stale or real)."""
        query_id = f"q{next(_update_ids)}"
        self._query_ids.add(query_id)
        query = CallbackQuery(
            id=query_id,
            from_user=self.user,
            chat_instance="test",
            data=data,
            message=Message(message_id=message_id, date=START, chat=self.chat, text="…"),
        )
        await self.feed(Update(update_id=next(_update_ids), callback_query=query))
        return self.new_texts()

    async def block_bot(self) -> None:
        await self._chat_member(blocked=True)

    async def unblock_bot(self) -> None:
        await self._chat_member(blocked=False)

    async def _chat_member(self, *, blocked: bool) -> None:
        bot_user = User(id=BOT_ID, is_bot=True, first_name="Nastavnik")
        member = ChatMemberMember(user=bot_user)
        banned = ChatMemberBanned(user=bot_user, until_date=START)
        event = ChatMemberUpdated(
            chat=self.chat,
            from_user=self.user,
            date=START,
            old_chat_member=member if blocked else banned,
            new_chat_member=banned if blocked else member,
        )
        await self.feed(Update(update_id=next(_update_ids), my_chat_member=event))

    async def feed(self, update: Update) -> None:
        if self._clock is not None:
            self._clock.advance(seconds=self._pause)
        await self.dispatcher.feed_update(self.bot, update)

    def new_texts(self) -> list[str]:
        """Texts (messages and callback answers) sent to this person since the last call."""
        texts = []
        for method in self.session.requests[self._seen :]:
            if isinstance(method, SendMessage | EditMessageText) and method.chat_id is not None:
                if int(method.chat_id) == self.user.id and method.text is not None:
                    texts.append(method.text)
            elif (
                isinstance(method, AnswerCallbackQuery)
                and method.text
                and method.callback_query_id in self._query_ids
            ):
                texts.append(method.text)
        self._seen = len(self.session.requests)
        return texts


class Crash(BaseException):
    """Stands in for the process dying: not an Exception, so nothing in the sender catches it."""


class FakeTelegram(RecordingSession):
    """RecordingSession that also notes when each call happened, models people who blocked the
    bot (every send to them is 403, as in Telegram), and can die after a number of deliveries."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.times: list[float] = []
        self.blocked: set[int] = set()
        self.crash_after: int | None = None
        self.crash_before_delivery = False
        self.dead = False

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> TelegramType:
        if self.dead:
            raise Crash
        if isinstance(method, SendMessage) and int(method.chat_id) in self.blocked:
            self.times.append(self.clock.monotonic())
            self.requests.append(method)
            raise TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")
        crashing = (
            self.crash_after is not None
            and isinstance(method, SendMessage)
            and len(self.delivered()) + 1 >= self.crash_after
        )
        if crashing and self.crash_before_delivery:
            self.dead = True
            raise Crash
        self.times.append(self.clock.monotonic())
        answer = await super().make_request(bot, method, timeout)
        if crashing:
            # Telegram has the message, but the process dies before it can record that.
            self.dead = True
            raise Crash
        return answer

    def delivered(self) -> list[SendMessage]:
        """SendMessage calls Telegram accepted (failed ones are recorded but never got an id)."""
        return [
            method
            for method in self.requests
            if isinstance(method, SendMessage) and id(method) in self.message_ids
        ]

    def delivered_texts(self, chat_id: int) -> list[str]:
        return [m.text for m in self.delivered() if int(m.chat_id) == chat_id]

    def attempts_to(self, chat_id: int) -> int:
        return sum(
            1 for m in self.requests if isinstance(m, SendMessage) and int(m.chat_id) == chat_id
        )


async def crash(sender: OutboxSender) -> None:
    """Run a tick that dies with Crash, then let the dead sender's other workers finish.

    In a real crash they die with the process. Here they live on in this event loop (gather does
    not cancel its other children) until each runs into the dead session; they must be gone
    before the new sender starts.
    """
    before = asyncio.all_tasks()
    with pytest.raises(Crash):
        await sender.run_once()
    orphans = asyncio.all_tasks() - before
    if orphans:
        _, still_running = await asyncio.wait(orphans, timeout=10)
        assert not still_running
