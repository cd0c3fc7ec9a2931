"""/survey (curator): campaigns — send a questionnaire to mentees, mentors, both sides of the
active pairs or everyone of this programme year with a deadline; watch each campaign's numbers;
close one early."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import SurveyCallback
from bot.telegram.html import Html
from bot.telegram.identity import TelegramPerson
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import send_or_edit
from bot.telegram.survey_results import render_results
from bot.telegram.texts import Texts, format_local_date
from services.core.errors import StaleAction
from services.questionnaires.as_form import language_of
from services.questionnaires.audiences import CampaignAudience
from services.questionnaires.campaigns import CampaignProgress
from services.questionnaires.schema import Audience

DEADLINE_DAYS = (3, 7, 14, 30)
PAIR_PREFIX = "pair-"
_AUDIENCES: dict[CampaignAudience, Callable[[], str]] = {
    CampaignAudience.MENTEES: lambda: _("all mentees"),
    CampaignAudience.MENTORS: lambda: _("all mentors"),
    CampaignAudience.PAIRS: lambda: _("both sides of every active pair"),
    CampaignAudience.PAIR: lambda: _("one pair"),
    CampaignAudience.YEAR: lambda: _("everyone in pairs this programme year"),
}
# Which audiences suit a questionnaire written for mentees, mentors or both.
_SUITS = {
    Audience.MENTEE: (CampaignAudience.MENTEES, CampaignAudience.PAIRS, CampaignAudience.YEAR),
    Audience.MENTOR: (CampaignAudience.MENTORS, CampaignAudience.PAIRS, CampaignAudience.YEAR),
    Audience.ANY: (
        CampaignAudience.MENTEES,
        CampaignAudience.MENTORS,
        CampaignAudience.PAIRS,
        CampaignAudience.YEAR,
    ),
}


def _button(text: str, organisation_id: int, action: str, value: str = "") -> InlineKeyboardButton:
    data = SurveyCallback(organisation_id=organisation_id, action=action, value=value)
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _markup(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=list(rows))


def _local_day(deadline: datetime, timezone: str) -> str:
    """A campaign's deadline (the end of its day, local) as that day."""
    return format_local_date(deadline - timedelta(seconds=1), timezone)


async def _list(
    services: Services, texts: Texts, person: TelegramPerson, organisation_id: int
) -> tuple[Html, InlineKeyboardMarkup]:
    organisation = await services.organisations.get(person.id, organisation_id)
    campaigns = await services.campaigns.listing(person.id, organisation_id)
    language = language_of(person.locale)
    items = [
        {
            "title": item.titles[language],
            "audience": _AUDIENCES[item.audience](),
            "deadline": _local_day(item.deadline, organisation.timezone),
            "open": item.open,
            "invited": item.invited,
            "finished": item.finished,
            "share": item.share(item.finished),
        }
        for item in campaigns
    ]
    text = texts.render("questionnaires/campaigns.j2", organisation=organisation.name, items=items)
    rows = [
        [_button(f"{number}. {item['title']}", organisation_id, "show", str(campaign.id))]
        for number, (item, campaign) in enumerate(zip(items, campaigns, strict=True), start=1)
    ]
    rows.append([_button("➕ " + _("New survey"), organisation_id, "new")])
    return text, _markup(*rows)


async def _card(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    campaign: CampaignProgress,
    notice: str | None = None,
) -> tuple[Html, InlineKeyboardMarkup]:
    organisation = await services.organisations.get(person.id, campaign.organisation_id)
    text = texts.render(
        "questionnaires/campaign.j2",
        notice=notice,
        title=campaign.titles[language_of(person.locale)],
        audience=_AUDIENCES[campaign.audience](),
        deadline=_local_day(campaign.deadline, organisation.timezone),
        open=campaign.open,
        invited=campaign.invited,
        started=campaign.started,
        started_share=campaign.share(campaign.started),
        finished=campaign.finished,
        finished_share=campaign.share(campaign.finished),
    )
    org, value = campaign.organisation_id, str(campaign.id)
    rows = [
        [_button("🔄 " + _("Refresh"), org, "show", value)],
        [_button("📊 " + _("Results"), org, "results", value)],
    ]
    if campaign.open:
        rows.append([_button("⛔ " + _("Close early"), org, "close", value)])
    rows.append([_button("« " + _("All surveys"), org, "list")])
    return text, _markup(*rows)


async def cmd_survey(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's surveys?"),
        lambda org_id: SurveyCallback(organisation_id=org_id, action="list"),
    )
    if organisation_id is None:
        return
    text, markup = await _list(services, texts, person, organisation_id)
    await message.answer(text, reply_markup=markup)


def _parts(value: str, count: int) -> list[str]:
    parts = value.split("|")
    if len(parts) != count:
        raise StaleAction
    return parts


async def on_survey(
    callback: CallbackQuery,
    callback_data: SurveyCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    org, action, value = (
        callback_data.organisation_id,
        callback_data.action,
        callback_data.value,
    )
    message_id = callback.message.message_id if callback.message else None
    language = language_of(person.locale)
    text: Html | str
    if action == "list":
        text, markup = await _list(services, texts, person, org)
    elif action == "new":
        # From a pair's card the audience is that pair ("pair-12"): straight on to the deadline.
        pair = value if value.startswith(PAIR_PREFIX) else ""
        listed = await services.questionnaires.listing(person.id, org)
        text = _("Which questionnaire do you want to send?")
        rows = [
            [
                _button(
                    item.current.definition.title[language],
                    org,
                    "when" if pair else "who",
                    f"{item.current.definition.id}|{pair}" if pair else item.current.definition.id,
                )
            ]
            for item in listed
            if item.current.definition.audience in _SUITS
        ]
        rows.append([_button("« " + _("All surveys"), org, "list")])
        markup = _markup(*rows)
    elif action == "who":
        stored = await services.questionnaires.for_curator(person.id, org, value)
        audiences = _SUITS.get(stored.definition.audience)
        if audiences is None:
            raise StaleAction
        text = _("Whom do you want to ask?")
        rows = [
            [_button(_AUDIENCES[audience](), org, "when", f"{value}|{audience.value}")]
            for audience in audiences
        ]
        rows.append([_button("« " + _("Back"), org, "new")])
        markup = _markup(*rows)
    elif action == "when":
        code, audience_value = _parts(value, 2)
        _audience(audience_value)
        text = _("By when should they answer?")
        labels = {
            3: _("In 3 days"),
            7: _("In a week"),
            14: _("In 2 weeks"),
            30: _("In a month"),
        }
        rows = [
            [_button(labels[days], org, "ask", f"{code}|{audience_value}|{days}")]
            for days in DEADLINE_DAYS
        ]
        back = ("new", audience_value) if audience_value.startswith(PAIR_PREFIX) else ("who", code)
        rows.append([_button("« " + _("Back"), org, *back)])
        markup = _markup(*rows)
    elif action == "ask":
        code, audience_value, days = _parts(value, 3)
        audience, pair_id = _audience(audience_value)
        if not days.isdigit() or int(days) not in DEADLINE_DAYS:
            raise StaleAction
        stored = await services.questionnaires.for_curator(person.id, org, code)
        count = await services.campaigns.audience_size(person.id, org, code, audience, pair_id)
        organisation = await services.organisations.get(person.id, org)
        deadline = services.campaigns.deadline_in(organisation.timezone, int(days))
        if count == 0:
            await callback.answer(
                _("Nobody fits this audience yet: no one would be asked."), show_alert=True
            )
            return
        text = texts.render(
            "questionnaires/launch_confirm.j2",
            title=stored.definition.title[language],
            audience=_AUDIENCES[audience](),
            count=count,
            deadline=deadline.strftime("%d.%m.%Y"),
        )
        markup = _markup(
            [_button("✅ " + _("Send"), org, "go", value)],
            [_button("« " + _("Back"), org, "when", f"{code}|{audience_value}")],
        )
    elif action == "go":
        code, audience_value, days = _parts(value, 3)
        if not days.isdigit() or int(days) not in DEADLINE_DAYS:
            raise StaleAction
        organisation = await services.organisations.get(person.id, org)
        deadline = services.campaigns.deadline_in(organisation.timezone, int(days))
        audience, pair_id = _audience(audience_value)
        campaign = await services.campaigns.launch(
            person.id, org, code, audience, deadline, pair_id
        )
        text, markup = await _card(
            services, texts, person, campaign, notice=_("The survey is on its way.")
        )
    elif action == "results":
        if not value.isdigit():
            raise StaleAction
        found = await services.results.for_campaign(person.id, org, int(value))
        text = render_results(texts, found, language)
        markup = _markup([_button("« " + _("Back"), org, "show", value)])
    elif action in ("show", "close", "closeok"):
        if not value.isdigit():
            raise StaleAction
        campaign_id = int(value)
        if action == "close":
            text = _("Close the survey now? Nobody will be able to answer any more.")
            markup = _markup(
                [_button("⛔ " + _("Yes, close it"), org, "closeok", value)],
                [_button("« " + _("No"), org, "show", value)],
            )
        else:
            campaign = (
                await services.campaigns.close(person.id, org, campaign_id)
                if action == "closeok"
                else await services.campaigns.progress(person.id, org, campaign_id)
            )
            text, markup = await _card(services, texts, person, campaign)
    else:
        raise StaleAction
    await callback.answer()
    await send_or_edit(bot, person.chat_id, text, markup, message_id)


def _audience(value: str) -> tuple[CampaignAudience, int | None]:
    """A button's audience: one of the menu's, or "pair-12" from a pair's card."""
    if value.startswith(PAIR_PREFIX):
        pair = value.removeprefix(PAIR_PREFIX)
        if not pair.isdigit():
            raise StaleAction
        return CampaignAudience.PAIR, int(pair)
    try:
        audience = CampaignAudience(value)
    except ValueError:
        raise StaleAction from None
    if audience == CampaignAudience.PAIR:
        raise StaleAction  # a pair is named: "pair-12"
    return audience, None


def get_router() -> Router:
    router = Router(name="surveys")
    router.message.register(cmd_survey, Command("survey"))
    router.callback_query.register(on_survey, SurveyCallback.filter())
    return router
