"""/survey as a curator runs it: a questionnaire sent to mentees with a deadline, invitations in
the organisation's hours, answers counted live, reminders two days before and on the day to
those who have not finished (once each), and a campaign closed early."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import Application
from models import AuditEntry, Notification, NotificationStatus, QuestionnaireResponse
from services.outbox.sender import OutboxSender
from services.questionnaires.audiences import CampaignAudience
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.helpers import complete_profile, curator_invite, join_with_consent, make_curator
from tests.flows.pairing import programme

SATISFACTION = "Анкета удовлетворённости наставляемого"
SCORES = ("8", "9", "7", "6", "10", "5", "9")


async def _school(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> tuple[TelegramClient, list[TelegramClient]]:
    curator = person(2001)
    await make_curator(superadmin, curator)
    teachers = []
    for telegram_id in (4001, 4002):
        teacher = person(telegram_id)
        await join_with_consent(teacher, await curator_invite(curator, "Наставляемый"))
        await complete_profile(app, telegram_id)
        await teacher.send("/cancel")
        teacher.new_texts()
        teachers.append(teacher)
    mentor = person(5001)
    await join_with_consent(mentor, await curator_invite(curator, "Наставник"))
    await mentor.send("/cancel")
    return curator, teachers


async def _launch(curator: TelegramClient, deadline_button: str = "Через неделю") -> list[str]:
    await curator.send("/survey")
    await curator.click("➕ Новый опрос")
    await curator.click(SATISFACTION)
    await curator.click("всем наставляемым")
    [confirm] = await curator.click(deadline_button)
    assert "2 человека" in confirm
    return await curator.click("✅ Разослать")


async def _deliver(sender: OutboxSender, clock: FakeClock) -> None:
    # Invitations are spread over the day's sending hours (until 19:00 in Krasnoyarsk).
    clock.advance(hours=7)
    await sender.run_once()


async def _answer(
    teacher: TelegramClient, scores: tuple[str, ...], valuable: str | None
) -> list[str]:
    """Answer the mentee satisfaction questionnaire from its invitation; what Save replied."""
    await teacher.click("📝 Заполнить анкету")
    for score in scores:
        await teacher.click(score)
    if valuable is None:
        await teacher.click("⏭ Пропустить")
    else:
        await teacher.send(valuable)
    await teacher.click("⏭ Пропустить")
    return await teacher.click("💾 Сохранить")


async def test_a_survey_reaches_the_audience_and_counts_the_answers(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    curator, (anna, boris) = await _school(superadmin, person, app)

    [card] = await _launch(curator)
    assert "Опрос отправлен" in card
    assert "Приглашено: 2" in card
    assert "до 08.09.2026 включительно" in card

    async with app.database.read() as db:
        invitations = (
            await db.scalars(select(Notification).where(Notification.kind == "survey_invite"))
        ).all()
        launched = await db.scalar(select(AuditEntry).where(AuditEntry.action == "survey.launched"))
    assert len(invitations) == 2
    assert launched is not None and launched.details["invited"] == 2

    await _deliver(sender, clock)
    [invitation] = anna.new_texts()
    assert f"Анкета для вас: «{SATISFACTION}»" in invitation
    assert "08.09.2026" in invitation

    [thanks] = await _answer(anna, SCORES, None)
    assert "Спасибо" in thanks
    await boris.click("📝 Заполнить анкету")
    await boris.click("8")

    await curator.send("/survey")
    [refreshed] = await curator.click(f"1. {SATISFACTION}")
    assert "Начали: 2 (100 %)" in refreshed
    assert "Завершили: 1 (50 %)" in refreshed


async def test_reminders_go_to_those_who_have_not_finished_once_each(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    curator, (anna, boris) = await _school(superadmin, person, app)
    await _launch(curator, "Через 3 дня")  # until 04.09 inclusive, Krasnoyarsk time
    await _deliver(sender, clock)
    await _answer(anna, SCORES, None)
    boris.new_texts()

    # 02.09, 09:00 in Krasnoyarsk (02:00 UTC): two days before the last day.
    clock.advance(hours=13)
    assert await app.services.campaigns.remind() == 1
    assert await app.services.campaigns.remind() == 0
    await _deliver(sender, clock)
    [reminder] = boris.new_texts()
    assert "ждёт ваших ответов до 04.09.2026" in reminder
    assert anna.new_texts() == []

    clock.advance(days=1, hours=17)  # 04.09, 09:00 in Krasnoyarsk: the last day
    assert await app.services.campaigns.remind() == 1
    await _deliver(sender, clock)
    [last_day] = boris.new_texts()
    assert "последний день" in last_day.lower()

    clock.advance(days=1)  # past the deadline
    assert await app.services.campaigns.remind() == 0
    [closed] = await boris.click("📝 Продолжить анкету")
    assert "срок ответа прошёл" in closed


async def test_a_survey_closed_early_cannot_be_answered(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    curator, (anna, _boris) = await _school(superadmin, person, app)
    await _launch(curator)
    await _deliver(sender, clock)
    curator.new_texts()  # what the outbox brought the curator meanwhile
    anna.new_texts()  # the invitation

    await curator.click("⛔ Закрыть досрочно")
    [closed] = await curator.click("⛔ Да, закрыть")
    assert "Закрыт." in closed
    assert "⛔ Закрыть досрочно" not in curator.buttons()

    [refused] = await anna.click("📝 Заполнить анкету")
    assert "Куратор закрыл эту анкету" in refused
    assert await app.services.campaigns.remind() == 0


async def test_unsent_invitations_of_a_closed_survey_are_not_sent(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, _teachers = await _school(superadmin, person, app)
    await _launch(curator)
    await curator.click("⛔ Закрыть досрочно")
    await curator.click("⛔ Да, закрыть")

    async with app.database.read() as db:
        statuses = set(
            await db.scalars(
                select(Notification.status).where(Notification.kind == "survey_invite")
            )
        )
    assert statuses == {NotificationStatus.CANCELLED}


async def test_a_stale_or_forged_survey_button_changes_nothing(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, (teacher, _boris) = await _school(superadmin, person, app)

    [refused] = await teacher.press("sv:1:go:satisfaction_mentee|mentees|7")
    assert "недоступно" in refused
    [forged] = await curator.press("sv:1:go:satisfaction_mentee|pair|7")
    assert "больше не действует" in forged
    async with app.database.read() as db:
        assert (await db.scalars(select(QuestionnaireResponse))).all() == []


async def test_the_deadline_is_in_the_organisations_days(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    curator, _teachers = await _school(superadmin, person, app)
    # 20:30 UTC on 01.09 is already 02.09 in Krasnoyarsk: "in 3 days" is 05.09 there.
    clock.advance(hours=14, minutes=30)
    [card] = await _launch(curator, "Через 3 дня")
    assert "до 05.09.2026 включительно" in card


async def test_the_results_state_their_rule_and_n(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    curator, (anna, boris) = await _school(superadmin, person, app)
    clara = person(4003)
    await join_with_consent(clara, await curator_invite(curator, "Наставляемый"))
    await complete_profile(app, 4003)
    await clara.send("/cancel")
    curator.new_texts()
    await curator.send("/survey")
    await curator.click("➕ Новый опрос")
    await curator.click(SATISFACTION)
    await curator.click("всем наставляемым")
    await curator.click("Через неделю")
    await curator.click("✅ Разослать")
    await _deliver(sender, clock)
    for teacher in (anna, boris, clara):
        teacher.new_texts()

    await _answer(anna, ("8", "9", "7", "6", "10", "5", "9"), "Разбор <уроков> & советы")
    await _answer(boris, ("8", "9", "7", "6", "10", "5", "6"), None)
    [early] = await curator.click("📊 Итоги")
    assert "ответили 2 из 3" in early
    assert "меньше 3 ответов — не показываем (n = 2)" in early
    await curator.click("« Назад")

    await _answer(clara, ("8", "9", "7", "6", "10", "5", "10"), None)
    [found] = await curator.click("📊 Итоги")

    assert "Удовлетворённость: 67 %" in found
    assert "не ниже 7 из 10; n = 3" in found
    assert "n = 3 · среднее 8.33 · медиана 9" in found
    assert "Разбор &lt;уроков&gt; &amp; советы" in found
    assert "видите только вы" in found


async def test_both_sides_of_active_pairs_and_this_years_pairs(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    setup = await programme(app, superadmin, person, mentees=2, mentors=2)
    first = await setup.pair(setup.team.mentees[0], setup.team.mentors[0])
    await setup.pair(setup.team.mentees[1], setup.team.mentors[1])
    await app.services.pairs.complete(setup.curator_id, first)
    organisation_id = setup.team.organisation_id

    async def size(code: str, audience: CampaignAudience) -> int:
        return await app.services.campaigns.audience_size(
            setup.curator_id, organisation_id, code, audience
        )

    # Active pairs: one is left, both its sides; a mentor questionnaire asks only its mentor.
    assert await size("pulse", CampaignAudience.PAIRS) == 2
    assert await size("satisfaction_mentor", CampaignAudience.PAIRS) == 1
    # This programme year: both pairs, the completed one too.
    assert await size("pulse", CampaignAudience.YEAR) == 4

    campaign = await app.services.campaigns.launch(
        setup.curator_id,
        organisation_id,
        "pulse",
        CampaignAudience.PAIRS,
        clock.now().date() + timedelta(days=7),
    )
    assert campaign.invited == 2
    async with app.database.read() as db:
        sides = sorted(
            await db.scalars(
                select(QuestionnaireResponse.respondent_role).where(
                    QuestionnaireResponse.campaign_id == campaign.id
                )
            )
        )
    assert sides == ["mentee", "mentor"]

    clock.advance(days=365)  # the next programme year: last year's pairs are not in it
    assert (
        await app.services.campaigns.audience_size(
            setup.curator_id, organisation_id, "pulse", CampaignAudience.YEAR
        )
        == 2  # the pair still active
    )


async def test_one_pair_is_asked_from_its_card(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    setup = await programme(app, superadmin, person)
    await setup.pair(setup.mentee, setup.mentor)
    setup.curator.new_texts()
    await setup.curator.send("/pairs")
    await setup.curator.click("1. Петров → Иванова")

    await setup.curator.click("📋 Отправить паре анкету")
    await setup.curator.click("Пульс наставнической пары")
    [confirm] = await setup.curator.click("Через неделю")
    assert "одной паре — 2 человека" in confirm
    [card] = await setup.curator.click("✅ Разослать")

    assert "Приглашено: 2" in card
    async with app.database.read() as db:
        people = set(await db.scalars(select(QuestionnaireResponse.person_id)))
    assert people == {setup.id_of(setup.mentee), setup.id_of(setup.mentor)}
