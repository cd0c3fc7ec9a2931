"""The in-process half of `bench.update_path`: scenarios, the SQL counter, the timed loop."""

from __future__ import annotations

import gc
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Dispatcher, Router
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import CallbackQuery, Chat, Message, Update, User
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.update_path_cast import SUPERADMIN_ID, Joined, Offered, Programme
from bot.app import create_application, create_bot, create_dispatcher
from bot.config import Settings
from bot.migrate import upgrade
from bot.telegram.callbacks import OfferCallback
from bot.telegram.keyboards.offers import ACCEPT
from tests.fakes import START, TEST_TOKEN, FakeClock, RecordingSession

FIRST_USER_ID = 100_000
# Well away from the update ids tests.fakes.TelegramClient hands out during the setup.
_update_ids = itertools.count(50_000_000)
_message_ids = itertools.count(50_000_000)
_WRITES = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True, slots=True)
class Sample:
    """One update: how long `feed_update` took and what it cost."""

    ms: float
    # CPU time of this process (every thread, SQLite's included) during the update: unlike `ms`,
    # it hardly moves when other programs take the CPU, so compare it between runs on a busy
    # machine. On PostgreSQL the server's own work is not in it.
    cpu_ms: float
    statements: int
    selects: int
    transactions: int
    writing: int  # transactions that changed something
    api_calls: int  # Bot API calls (replies, edits, the press's answer)


@dataclass
class Run:
    scenario: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def mean_ms(self) -> float:
        return sum(sample.ms for sample in self.samples) / len(self.samples)

    @property
    def mean_cpu_ms(self) -> float:
        return sum(sample.cpu_ms for sample in self.samples) / len(self.samples)


class SqlCounter:
    """Counts what the application's engine sends to the database.

    SQLite's `BEGIN` / `BEGIN IMMEDIATE`, which `bot.db` issues itself when a transaction starts,
    is counted as a transaction and not as a statement, so the two databases compare.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.statements = self.selects = self.transactions = self.writing = 0
        event.listen(engine.sync_engine, "begin", self._on_begin)
        event.listen(engine.sync_engine, "before_cursor_execute", self._on_statement)

    def snapshot(self) -> tuple[int, int, int, int]:
        return self.statements, self.selects, self.transactions, self.writing

    def _on_begin(self, connection: Connection) -> None:
        self.transactions += 1
        connection.info["bench_wrote"] = False

    def _on_statement(
        self,
        connection: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        head = statement.lstrip()[:6].upper()
        if head.startswith("BEGIN"):
            return
        self.statements += 1
        if head.startswith(("SELECT", "WITH")):
            self.selects += 1
        elif head.startswith(_WRITES) and not connection.info.get("bench_wrote", True):
            connection.info["bench_wrote"] = True
            self.writing += 1


class WarningCounter(logging.Handler):
    """Anything logged at WARNING or above during a run means it did not take the happy path."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def user(user_id: int) -> User:
    return User(id=user_id, is_bot=False, first_name="Анна", language_code="ru")


def text_update(user_id: int, text: str) -> Update:
    message = Message(
        message_id=next(_message_ids),
        date=START,
        chat=Chat(id=user_id, type="private"),
        from_user=user(user_id),
        text=text,
    )
    return Update(update_id=next(_update_ids), message=message)


def press_update(user_id: int, data: str, message_id: int) -> Update:
    query = CallbackQuery(
        id=f"bench{next(_update_ids)}",
        from_user=user(user_id),
        chat_instance="bench",
        data=data,
        message=Message(
            message_id=message_id, date=START, chat=Chat(id=user_id, type="private"), text="…"
        ),
    )
    return Update(update_id=next(_update_ids), callback_query=query)


Check = Callable[[Update, list[TelegramMethod[Any]]], None]


@dataclass(frozen=True, slots=True)
class Prepared:
    updates: list[Update]
    check: Check  # raises if an update did not get the answer of its scenario
    after: Callable[[], Awaitable[None]] | None = None  # a check over the whole run


def _sent_texts(calls: list[TelegramMethod[Any]], chat_id: int) -> list[str]:
    return [
        call.text
        for call in calls
        if isinstance(call, SendMessage) and int(call.chat_id) == chat_id and call.text
    ]


def replied(update: Update, calls: list[TelegramMethod[Any]]) -> None:
    chat_id = update.message.chat.id if update.message else 0
    if update.callback_query is not None:
        chat_id = update.callback_query.from_user.id
    if not _sent_texts(calls, chat_id):
        raise AssertionError(f"update {update.update_id} got no message: {calls!r}")


class InProcessBench:
    """The real application and dispatcher over a fake Bot API session, plus a bare echo."""

    def __init__(self, database_url: str) -> None:
        self.settings = Settings(
            _env_file=None,
            BOT_TOKEN=TEST_TOKEN,
            DATABASE_URL=database_url,
            SUPERADMIN_IDS=str(SUPERADMIN_ID),
            # Every measured update comes from a different person anyway; this only keeps the
            # setup's few quick updates per person clear of the throttle too.
            THROTTLE_RATE_PER_SECOND=100,
        )
        self.clock = FakeClock()
        self.app = create_application(self.settings, self.clock)
        self.session = RecordingSession(check_html=False)
        self.bot = create_bot(self.settings, session=self.session)
        self.dispatcher = create_dispatcher(self.app)
        self.programme = Programme(self.app, self.dispatcher, self.bot, self.session, self.clock)
        self.sql = SqlCounter(self.app.database.engine)
        # The bare figure: aiogram's own Dispatcher, one handler, the same kind of session.
        self.echo_session = RecordingSession(check_html=False)
        self.echo_bot = create_bot(self.settings, session=self.echo_session)
        self.echo_dispatcher = Dispatcher()
        router = Router(name="echo")

        @router.message()
        async def echo(message: Message) -> None:
            await message.answer(message.text or "")

        self.echo_dispatcher.include_router(router)
        self._user_ids = itertools.count(FIRST_USER_ID)
        self._help_people: list[int] = []

    def new_ids(self, count: int) -> list[int]:
        return [next(self._user_ids) for _ in range(count)]

    async def close(self) -> None:
        await self.bot.session.close()
        await self.echo_bot.session.close()
        await self.app.database.dispose()

    # --- scenarios: each makes `count` people ready and returns one update from each ----------

    async def echo(self, count: int) -> Prepared:
        return Prepared([text_update(uid, "/help") for uid in self.new_ids(count)], replied)

    async def first_contact(self, count: int) -> Prepared:
        return Prepared([text_update(uid, "/start") for uid in self.new_ids(count)], replied)

    async def help(self, count: int) -> Prepared:
        """Consented mentees with a complete profile and no form open, the most common kind of
        person; the same people in every run (/help changes nothing)."""
        while len(self._help_people) < count:
            uid = self.new_ids(1)[0]
            await self.programme.participant(uid)
            self._help_people.append(uid)
        return Prepared([text_update(uid, "/help") for uid in self._help_people[:count]], replied)

    async def form_step(self, count: int) -> Prepared:
        """Just agreed to the consent; the profile form's first question (the name) is open."""
        joined: list[Joined] = [await self.programme.joined(uid) for uid in self.new_ids(count)]
        questions = {person.client.user.id: person.question for person in joined}

        def moved_on(update: Update, calls: list[TelegramMethod[Any]]) -> None:
            replied(update, calls)
            chat_id = update.message.chat.id if update.message else 0
            if questions[chat_id] in _sent_texts(calls, chat_id):
                raise AssertionError(f"the form asked {chat_id} the same question again")

        updates = [text_update(p.client.user.id, "Иванова Анна Петровна") for p in joined]
        return Prepared(updates, moved_on)

    async def later_form_step(self, count: int) -> Prepared:
        """The same form one question on: the name is given, the position is on screen (a
        choice that may be typed). Most steps of a form are like this one: the person's last
        update changed only the form, so the bot still remembers who they are."""
        joined: list[Joined] = [await self.programme.joined(uid) for uid in self.new_ids(count)]
        for person in joined:
            await person.client.send("Иванова Анна Петровна")
        updates = [text_update(p.client.user.id, "Учитель физики") for p in joined]
        return Prepared(updates, replied)

    async def accept(self, count: int) -> Prepared:
        """A mentor presses «✅ Принять» under an offered request (one mentee and one mentor per
        offer, all in the one organisation)."""
        offered: list[Offered] = []
        for _ in range(count):
            mentee, mentor = self.new_ids(2)
            offered.append(await self.programme.offered(mentee, mentor))
        updates = [
            press_update(
                o.mentor.user.id,
                OfferCallback(offer_id=o.offer_id, action=ACCEPT).pack(),
                next(_message_ids),
            )
            for o in offered
        ]
        offer_ids = [o.offer_id for o in offered]

        async def all_accepted() -> None:
            accepted = await self.programme.accepted(offer_ids)
            if accepted != len(offer_ids):
                raise AssertionError(f"{accepted} of {len(offer_ids)} offers were accepted")

        return Prepared(updates, replied, all_accepted)


Prepare = Callable[[InProcessBench, int], Awaitable[Prepared]]
# (name, how its people are made, whether it goes to the bare echo dispatcher)
SCENARIOS: list[tuple[str, Prepare, bool]] = [
    ("bare aiogram echo (same session, same feed)", InProcessBench.echo, True),
    ("/help from a known person", InProcessBench.help, False),
    ("first contact (/start, new user)", InProcessBench.first_contact, False),
    ("profile form step (the name)", InProcessBench.form_step, False),
    ("profile form step (a later question)", InProcessBench.later_form_step, False),
    ("mentor accepts an offer", InProcessBench.accept, False),
]


async def _measure(
    bench: InProcessBench,
    name: str,
    prepared: Prepared,
    echo: bool,
    warmup: int,
    warnings: WarningCounter,
    show_replies: bool,
) -> Run:
    run = Run(name)
    dispatcher = bench.echo_dispatcher if echo else bench.dispatcher
    bot = bench.echo_bot if echo else bench.bot
    session = bench.echo_session if echo else bench.session
    bench.programme.forget_calls()
    session.requests.clear()
    bench.clock.advance(seconds=1)
    warnings.records.clear()
    gc.collect()
    for index, update in enumerate(prepared.updates):
        seen = len(session.requests)
        before = bench.sql.snapshot()
        started, cpu_started = time.perf_counter(), time.process_time()
        await dispatcher.feed_update(bot, update)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        after = bench.sql.snapshot()
        calls = session.requests[seen:]
        prepared.check(update, calls)
        if show_replies and index == warmup:
            print(f"--- {name}: what update {update.update_id} got")
            for call in calls:
                print(f"  {type(call).__name__}: {getattr(call, 'text', None)!r}")
        if index >= warmup:
            statements, selects, transactions, writing = (
                a - b for a, b in zip(after, before, strict=True)
            )
            run.samples.append(
                Sample(
                    elapsed * 1000,
                    cpu * 1000,
                    statements,
                    selects,
                    transactions,
                    writing,
                    len(calls),
                )
            )
    if prepared.after is not None:
        await prepared.after()
    if warnings.records:
        first = warnings.records[0]
        raise AssertionError(f"{name}: {len(warnings.records)} warnings, e.g. {first.getMessage()}")
    return run


async def run_in_process(
    database_url: str, *, updates: int, warmup: int, repeats: int, show_replies: bool
) -> dict[str, list[Run]]:
    """Each scenario `repeats` times, interleaved; returns every run of every scenario."""
    await upgrade(database_url)
    bench = InProcessBench(database_url)
    warnings = WarningCounter()
    logging.getLogger().addHandler(warnings)
    runs: dict[str, list[Run]] = {name: [] for name, *_ in SCENARIOS}
    try:
        await bench.programme.open()
        for repeat in range(repeats):
            for name, prepare, echo in SCENARIOS:
                prepared = await prepare(bench, warmup + updates)
                show = show_replies and repeat == 0
                run = await _measure(bench, name, prepared, echo, warmup, warnings, show)
                runs[name].append(run)
                print(
                    f"run {repeat + 1}/{repeats}: {name}: {run.mean_ms:.3f} ms, "
                    f"CPU {run.mean_cpu_ms:.3f} ms",
                    flush=True,
                )
    finally:
        logging.getLogger().removeHandler(warnings)
        await bench.close()
    return runs
