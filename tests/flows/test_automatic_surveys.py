"""Questionnaires the bot sends by itself at a pair's moments: the entry diagnosis when it
starts, the fit check after its first meeting (with the way to another mentor), the pulse on
day 30 and every 60 days, the exit diagnosis and satisfaction when it completes — each once,
none chased for pairs of the past, each switchable in /programme."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from models import QuestionnaireResponse
from services.outbox.sender import OutboxSender
from services.questionnaires.library import builtin_definitions
from services.questionnaires.schema import Kind
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.pairing import Pairing, programme
from tests.flows.test_meetings import RECORD


async def _subjects(app: Application) -> list[tuple[str, str]]:
    async with app.database.read() as db:
        rows = await db.execute(
            select(QuestionnaireResponse.subject, QuestionnaireResponse.respondent_role).order_by(
                QuestionnaireResponse.id
            )
        )
        return [(subject, side) for subject, side in rows]


async def _deliver(sender: OutboxSender, clock: FakeClock) -> None:
    clock.advance(hours=7)  # past the day's sending hours in Krasnoyarsk
    await sender.run_once()


async def _paired(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> tuple[Pairing, int]:
    setup = await programme(app, superadmin, person)
    pair_id = await setup.pair(setup.mentee, setup.mentor)
    setup.mentee.new_texts()
    setup.mentor.new_texts()
    return setup, pair_id


async def test_a_new_pair_gets_the_entry_diagnosis_once(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup, pair_id = await _paired(app, superadmin, person)

    assert await app.services.automatic_surveys.process_due(force=True) == 1
    assert await app.services.automatic_surveys.process_due(force=True) == 0
    assert await _subjects(app) == [(f"entry:{pair_id}", "mentee")]

    await _deliver(sender, clock)
    invitation = setup.mentee.new_texts()[-1]
    assert "Анкета для вас: «Входная диагностика»" in invitation
    assert all("Входная диагностика" not in text for text in setup.mentor.new_texts())
    [first] = await setup.mentee.click("📝 Заполнить анкету")
    assert "Вопрос 1 из" in first


async def test_the_fit_check_after_the_first_meeting_offers_another_mentor(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup, pair_id = await _paired(app, superadmin, person)
    await app.services.automatic_surveys.process_due(force=True)
    await app.services.meetings.record(setup.id_of(setup.mentee), pair_id, RECORD)

    assert await app.services.automatic_surveys.process_due(force=True) == 2
    subjects = await _subjects(app)
    assert (f"fit:{pair_id}", "mentee") in subjects
    assert (f"fit:{pair_id}", "mentor") in subjects

    await _deliver(sender, clock)
    setup.mentee.new_texts()
    await setup.mentee.click("📝 Заполнить анкету")  # the newest invitation: the fit check
    await setup.mentee.click("Нет, не подходит")
    await setup.mentee.send("Разные ожидания от работы")
    [answer] = await setup.mentee.click("💾 Сохранить")
    assert "попросить об этом куратора" in answer
    assert "🔁 Попросить другого наставника" in setup.mentee.buttons()


async def test_the_pulse_comes_on_day_30_and_every_60_days(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    _setup, pair_id = await _paired(app, superadmin, person)
    await app.services.automatic_surveys.process_due(force=True)

    clock.advance(days=29)
    assert await app.services.automatic_surveys.process_due(force=True) == 0
    clock.advance(days=1)
    assert await app.services.automatic_surveys.process_due(force=True) == 2
    clock.advance(days=3)
    assert await app.services.automatic_surveys.process_due(force=True) == 0
    clock.advance(days=57)  # day 90
    assert await app.services.automatic_surveys.process_due(force=True) == 2
    pulses = sorted(subject for subject, _side in await _subjects(app) if "pulse" in subject)
    assert pulses == [f"pulse:{pair_id}:1"] * 2 + [f"pulse:{pair_id}:2"] * 2


async def test_a_completed_pair_gets_the_exit_diagnosis_and_satisfaction(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    setup, pair_id = await _paired(app, superadmin, person)
    await app.services.automatic_surveys.process_due(force=True)
    clock.advance(days=120)
    await app.services.pairs.complete(setup.curator_id, pair_id)

    await app.services.automatic_surveys.process_due(force=True)

    subjects = await _subjects(app)
    assert (f"exit:{pair_id}", "mentee") in subjects
    assert (f"satisfaction:{pair_id}", "mentee") in subjects
    assert (f"satisfaction:{pair_id}", "mentor") in subjects
    assert not any(subject.startswith("pulse") for subject, _side in subjects)


async def test_pairs_of_the_past_are_not_chased(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    _setup, _pair_id = await _paired(app, superadmin, person)
    clock.advance(days=8)  # the bot was upgraded a week after the pair started

    assert await app.services.automatic_surveys.process_due(force=True) == 0


async def test_a_switched_off_questionnaire_is_not_sent(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    setup = await programme(app, superadmin, person)
    await setup.curator.send("/programme")
    await setup.curator.click("📋 Анкеты…")
    [screen] = await setup.curator.click("✅ Входная диагностика")
    assert "⬜ входная диагностика" in screen
    await setup.curator.click("≥ 8")

    await setup.pair(setup.mentee, setup.mentor)

    assert await app.services.automatic_surveys.process_due(force=True) == 0
    settings = await app.services.programme.get(setup.curator_id, setup.team.organisation_id)
    assert settings.satisfaction_threshold == 8
    assert not settings.auto_entry


async def test_the_job_looks_at_most_every_half_hour(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    setup, pair_id = await _paired(app, superadmin, person)
    surveys = app.services.automatic_surveys
    assert await surveys.process_due() == 1  # the entry diagnosis
    await app.services.meetings.record(setup.id_of(setup.mentee), pair_id, RECORD)

    clock.advance(minutes=10)
    assert await surveys.process_due() == 0  # the fit check waits for the next look
    clock.advance(minutes=25)
    assert await surveys.process_due() == 2


async def test_a_low_pulse_is_flagged_to_the_curator(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup, _pair_id = await _paired(app, superadmin, person)
    await app.services.automatic_surveys.process_due(force=True)
    clock.advance(days=30)
    await app.services.automatic_surveys.process_due(force=True)
    await _deliver(sender, clock)
    setup.mentee.new_texts()
    setup.curator.new_texts()

    await setup.mentee.click("📝 Заполнить анкету")  # the newest invitation: the pulse
    await setup.mentee.click("1")
    await setup.mentee.click("⏭ Пропустить")
    await setup.mentee.click("💾 Сохранить")
    await sender.run_once()

    [flag] = [text for text in setup.curator.new_texts() if "пульс" in text.lower()]
    assert "Низкий пульс пары" in flag
    assert "Наставляемый оценил, как идёт работа в паре: 1 из 5" in flag


def _filled(code: str, value: int) -> dict[str, object]:
    definition = next(d for d, _source in builtin_definitions() if d.id == code)
    return {
        question.id: (value if question.kind == Kind.SCALE else None)
        for question in definition.questions
    }


async def test_the_year_results_show_before_and_after_per_domain(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    setup = await programme(app, superadmin, person, mentees=3, mentors=3)
    pairs = [
        await setup.pair(mentee, mentor)
        for mentee, mentor in zip(setup.team.mentees, setup.team.mentors, strict=True)
    ]
    await app.services.automatic_surveys.process_due(force=True)
    responses = await _responses(app)
    for pair_id in pairs:
        response = responses[f"entry:{pair_id}"]
        await app.services.answers.submit(
            response.person_id, response.id, _filled("entry_diagnosis", 2)
        )
    clock.advance(days=120)
    for pair_id in pairs:
        await app.services.pairs.complete(setup.curator_id, pair_id)
    await app.services.automatic_surveys.process_due(force=True)
    responses = await _responses(app)
    for pair_id in pairs:
        response = responses[f"exit:{pair_id}"]
        await app.services.answers.submit(
            response.person_id, response.id, _filled("exit_diagnosis", 4)
        )

    setup.curator.new_texts()
    await setup.curator.send("/questionnaires")
    await setup.curator.click("Итоговая диагностика")
    [found] = await setup.curator.click("📊 Итоги за учебный год")

    assert "ответили 3 из 3" in found
    assert "До и после" in found
    assert "ИКТ-компетентность: 2.0 → 4.0 (n = 3)" in found


async def _responses(app: Application) -> dict[str, QuestionnaireResponse]:
    async with app.database.read() as db:
        return {row.subject: row for row in await db.scalars(select(QuestionnaireResponse))}
