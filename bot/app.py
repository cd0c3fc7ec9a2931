"""Factories for the Bot, the Dispatcher and everything they share. Tests use them too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES, Settings
from bot.container import Services, build_services
from bot.db import Database, create_engine
from bot.documents.maker import DocumentMaker
from bot.telegram.commands import CommandMenus
from bot.telegram.consent_texts import TemplateConsentTexts
from bot.telegram.i18n import PersonLocaleMiddleware, create_i18n
from bot.telegram.middlewares.consent_gate import ConsentGateMiddleware
from bot.telegram.middlewares.in_flight import InFlightMiddleware
from bot.telegram.middlewares.person import PersonMiddleware
from bot.telegram.middlewares.throttling import ThrottlingMiddleware
from bot.telegram.questionnaire_forms import register_definitions
from bot.telegram.reply import ReplyDelivery, ReplyScope, bind_person
from bot.telegram.texts import Texts
from bot.telegram.transport import TelegramTransport
from handlers import (
    audit,
    broadcasts,
    capacity,
    checkins,
    consent,
    curator_pairs,
    curator_requests,
    errors,
    fallback,
    forms,
    invites,
    match,
    meetings,
    membership,
    offers,
    organisations,
    pair_cadence,
    pair_orders,
    pairs,
    participants,
    plan,
    privacy,
    profile,
    programme,
    questionnaire_answers,
    questionnaires,
    reports,
    requests,
    settings,
    start,
    stats,
    surveys,
)
from services.core.clock import Clock
from services.outbox.rate_limit import SendRateLimiter
from services.outbox.sender import OutboxSender


@dataclass(frozen=True, slots=True)
class Application:
    """Everything one running bot shares between handlers and scheduled jobs."""

    settings: Settings
    database: Database
    clock: Clock
    services: Services
    i18n: I18n
    texts: Texts
    # One budget for the bot: people's replies and the outbox take their turns from it.
    limiter: SendRateLimiter


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_application(settings: Settings, clock: Clock) -> Application:
    database = Database(create_engine(settings.database_url))
    i18n = create_i18n(settings.default_locale)
    texts = Texts(i18n)
    services = build_services(
        database,
        clock,
        settings,
        consent_texts=TemplateConsentTexts(texts),
        locales=SUPPORTED_LOCALES,
    )
    return Application(
        settings=settings,
        database=database,
        clock=clock,
        services=services,
        i18n=i18n,
        texts=texts,
        limiter=SendRateLimiter(clock, per_second=settings.outbox_rate_per_second),
    )


async def prepare_content(app: Application) -> None:
    """What the database must hold before the first update: the built-in questionnaires (a
    release may bring new versions), and every stored questionnaire known to the form engine,
    so a questionnaire in progress goes on after a restart."""
    await app.services.questionnaires.install_builtins()
    register_definitions(await app.services.questionnaires.stored())


# A form nobody touched for a week is forgotten rather than kept forever.
FORM_TTL = timedelta(days=7)


def create_storage(settings: Settings) -> BaseStorage:
    """Where forms in progress live: Redis when configured (they survive restarts), else memory."""
    if settings.redis_url is None:
        return MemoryStorage()
    return RedisStorage.from_url(
        settings.redis_url,
        key_builder=DefaultKeyBuilder(prefix="nastavnik:fsm", with_bot_id=True),
        state_ttl=FORM_TTL,
        data_ttl=FORM_TTL,
    )


def create_events_isolation(settings: Settings) -> BaseEventIsolation:
    """Two quick updates from one person are handled one after the other, not interleaved: in
    this process by default, across instances through Redis when it is configured."""
    if settings.redis_url is None:
        return SimpleEventIsolation()
    return RedisEventIsolation.from_url(
        settings.redis_url,
        key_builder=DefaultKeyBuilder(prefix="nastavnik:lock", with_bot_id=True),
    )


def create_dispatcher(
    app: Application,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    in_flight = InFlightMiddleware()
    dispatcher = Dispatcher(
        storage=storage or MemoryStorage(),
        events_isolation=events_isolation or SimpleEventIsolation(),
        services=app.services,
        texts=app.texts,
        clock=app.clock,
        menus=CommandMenus(app.i18n, app.services.people),
        in_flight=in_flight,
        documents=DocumentMaker(app.settings.document_templates_dir),
    )
    dispatcher.update.outer_middleware(in_flight)
    # Order matters: throttle before any database work, then find the person, whose stored
    # language the I18n middleware (on every inner observer, errors included) then uses.
    dispatcher.update.outer_middleware(
        ThrottlingMiddleware(app.clock, app.i18n, rate=app.settings.throttle_rate_per_second)
    )
    dispatcher.update.outer_middleware(PersonMiddleware(app.services.people))
    dispatcher.update.outer_middleware(bind_person)
    # Outermost of all, around aiogram's error middleware: every reply goes one way.
    ReplyScope(ReplyDelivery(app.clock, app.limiter, app.services.outbox)).install(dispatcher)
    PersonLocaleMiddleware(app.i18n).setup(dispatcher)
    consent_gate = ConsentGateMiddleware()
    dispatcher.message.outer_middleware(consent_gate)
    dispatcher.callback_query.outer_middleware(consent_gate)

    dispatcher.include_routers(
        errors.get_router(),
        membership.get_router(),
        start.get_router(),
        forms.get_cancel_router(),  # before settings: /cancel also drops the stored form
        forms.get_answer_router(),  # early: a step of an open form needs no other router
        settings.get_router(),
        consent.get_router(),
        privacy.get_router(),
        profile.get_router(),
        participants.get_router(),
        organisations.get_router(),
        invites.get_router(),
        requests.get_router(),
        offers.get_router(),
        curator_requests.get_router(),
        match.get_router(),
        pairs.get_router(),
        pair_cadence.get_router(),
        curator_pairs.get_router(),
        pair_orders.get_router(),
        programme.get_router(),
        questionnaires.get_router(),
        questionnaire_answers.get_router(),
        surveys.get_router(),
        audit.get_router(),
        stats.get_router(),
        reports.get_router(),
        broadcasts.get_router(),
        capacity.get_router(),
        plan.get_router(),
        meetings.get_router(),
        checkins.get_router(),
        forms.get_router(),  # late: a form the FSM storage forgot is found in the database
        fallback.get_router(),  # last: catches what nobody else understood
    )
    return dispatcher


def create_sender(app: Application, bot: Bot) -> OutboxSender:
    return OutboxSender(
        app.services.outbox,
        TelegramTransport(bot, app.texts, app.i18n),
        app.limiter,
        app.clock,
        concurrency=app.settings.outbox_send_concurrency,
    )
