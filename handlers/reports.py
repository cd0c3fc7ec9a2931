"""/report: the documents of a period the curator (or coordinator) picks — a quarter, the
programme year, or dates typed — made off the event loop behind a "preparing…" message that the
files replace."""

from __future__ import annotations

from datetime import date

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.documents.maker import DocumentMaker, File
from bot.documents.words import period_name
from bot.telegram.callbacks import ReportCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.states import ReportDates
from handlers.stats import coordinates
from services.core.errors import StaleAction
from services.reports import periods
from services.reports.periods import Period

DATES = "dates"
ALL = 0  # the organisation id of a coordinator's roll-up


def _periods(today: date) -> list[Period]:
    year = periods.programme_year(today)
    return [
        periods.quarter(today),
        periods.quarter(today, back=1),
        year,
        periods.programme_year(year.first.replace(year=year.first.year - 1)),
    ]


def period_keyboard(organisation_id: int, today: date) -> InlineKeyboardMarkup:
    def button(text: str, value: str) -> list[InlineKeyboardButton]:
        data = ReportCallback(organisation_id=organisation_id, value=value)
        return [InlineKeyboardButton(text=text, callback_data=data.pack())]

    return InlineKeyboardMarkup(
        inline_keyboard=[
            *(button(period_name(period), period.code()) for period in _periods(today)),
            button("📅 " + _("Other dates…"), DATES),
        ]
    )


async def cmd_report(
    message: Message, person: TelegramPerson, services: Services, state: FSMContext
) -> None:
    if coordinates(person):
        organisation_id = ALL
    else:
        chosen = await curated_organisation(
            message,
            person,
            services,
            _("Which organisation's documents?"),
            lambda org_id: ReportCallback(organisation_id=org_id, value=""),
        )
        if chosen is None:
            return
        organisation_id = chosen
    await state.clear()
    today = await services.stats.today(person.id, organisation_id or None)
    await message.answer(
        _(
            "Documents for which period? You get the Excel workbook, the analytical report, "
            "the quarterly report to the coordinator, the draft of the order for pairs awaiting "
            "one, and the charts."
        )
        if organisation_id
        else _(
            "The roll-up for which period? You get the Excel workbook and the report of your "
            "organisations, with counts only, and the charts."
        ),
        reply_markup=period_keyboard(organisation_id, today),
    )


async def on_report(
    callback: CallbackQuery,
    callback_data: ReportCallback,
    person: TelegramPerson,
    services: Services,
    state: FSMContext,
    bot: Bot,
    documents: DocumentMaker,
) -> None:
    organisation_id, value = callback_data.organisation_id, callback_data.value
    if value == "":
        # A curator of several organisations chose one: now the period.
        today = await services.stats.today(person.id, organisation_id)
        await callback.answer()
        await bot.send_message(
            person.chat_id,
            _("Documents for which period?"),
            reply_markup=period_keyboard(organisation_id, today),
        )
        return
    if value == DATES:
        await services.stats.today(person.id, organisation_id or None)  # refuses others
        await callback.answer()
        await state.set_state(ReportDates.period)
        await state.set_data({"organisation_id": organisation_id})
        await bot.send_message(
            person.chat_id,
            _(
                "Send the first and the last day, e.g. 01.09.2026 – 31.12.2026 (at most two "
                "years). /cancel leaves it."
            ),
        )
        return
    try:
        period = Period.from_code(value)
    except ValueError:
        raise StaleAction from None
    await state.clear()  # a period button wins over dates asked for earlier
    await callback.answer()
    await make_and_send(bot, person, services, documents, organisation_id, period)


async def report_dates(
    message: Message,
    person: TelegramPerson,
    services: Services,
    state: FSMContext,
    bot: Bot,
    documents: DocumentMaker,
) -> None:
    try:
        period = periods.parse(message.text or "")
    except ValueError:
        await message.answer(
            _(
                "I could not read the two dates. Please send them as DD.MM.YYYY – DD.MM.YYYY, "
                "the first before the last, at most two years apart; or /cancel."
            )
        )
        return
    organisation_id = int((await state.get_data())["organisation_id"])
    await state.clear()
    await make_and_send(bot, person, services, documents, organisation_id, period)


async def make_and_send(
    bot: Bot,
    person: TelegramPerson,
    services: Services,
    documents: DocumentMaker,
    organisation_id: int,
    period: Period,
) -> None:
    """Reads the data (refusing anyone without the right), shows "preparing…", draws the files
    in worker threads, sends them, and removes the "preparing…" message."""
    if organisation_id:
        school = await services.reports.for_organisation(person.id, organisation_id, period)
        preparing = await bot.send_message(person.chat_id, _preparing(period))
        files = await documents.school(school)
    else:
        municipal = await services.reports.for_coordinator(person.id, period)
        preparing = await bot.send_message(person.chat_id, _preparing(period))
        files = await documents.municipal(municipal)
    for file in files:
        await bot.send_document(
            person.chat_id,
            BufferedInputFile(file.content, filename=file.filename),
            caption=_caption(file),
        )
    await bot.delete_message(person.chat_id, preparing.message_id)


def _preparing(period: Period) -> str:
    return _("⏳ Preparing the documents for {period}…").format(period=period_name(period))


def _caption(file: File) -> str | None:
    if file.filename.startswith("order_draft"):
        return _("Once the head signs the order, record its number and date with /order.")
    if file.filename.startswith("quarterly_report"):
        return _("For the municipal coordinator, by the 10th of the month after the quarter.")
    return None


def get_router() -> Router:
    router = Router(name="reports")
    router.message.register(report_dates, StateFilter(ReportDates.period))
    router.message.register(cmd_report, Command("report"))
    router.callback_query.register(on_report, ReportCallback.filter())
    return router
