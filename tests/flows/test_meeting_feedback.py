"""After a check-in's "Met" both sides answer the questionnaire about the meeting, each their own
copy: the one who answered at once, the other from the "you met" message; whoever has not answered
is reminded once, on the next working day; nobody's answers reach the pair's shared log."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import Application
from models import CycleStatus, PairCycle, QuestionnaireResponse
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.pairing import Pairing
from tests.flows.test_meetings import SAVE, SKIP, paired

ANSWER = "📝 Заполнить анкету"


async def _met(app: Application, setup: Pairing, pair_id: int, clock: FakeClock) -> list[str]:
    async with app.database.write() as db:
        cycle = PairCycle(
            pair_id=pair_id,
            number=99,
            starts_at=clock.now() - timedelta(days=14),
            ends_at=clock.now(),
            status=CycleStatus.OPEN,
        )
        db.add(cycle)
        await db.flush()
        cycle_id = cycle.id
    setup.mentee.new_texts()
    setup.mentor.new_texts()
    return await setup.mentee.press(f"ci:{cycle_id}:met")


async def _responses(app: Application) -> dict[str, QuestionnaireResponse]:
    async with app.database.read() as db:
        rows = await db.scalars(select(QuestionnaireResponse))
        return {row.respondent_role: row for row in rows}


async def test_both_sides_answer_their_own_copy(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup, pair_id = await paired(app, superadmin, person)

    noted, first = await _met(app, setup, pair_id, clock)
    assert "встреча записана в журнал" in noted
    assert "Отзыв о встрече" in first and "Вопрос 1 из 4" in first
    await setup.mentee.click("4")
    await setup.mentee.send("Разобрали открытый урок")
    await setup.mentee.click(SKIP)
    await setup.mentee.click(SKIP)
    assert await setup.mentee.click(SAVE) == ["Спасибо! Ваши ответы сохранены."]

    clock.advance(hours=7)
    await sender.run_once()
    [told] = [text for text in setup.mentor.new_texts() if "вы встретились" in text]
    assert "отметил(а), что вы встретились" in told
    assert "второй участник пары их не видит" in told
    message_id, data = setup.mentor.keyboard_message(ANSWER)
    await setup.mentor.press(data, message_id=message_id)
    await setup.mentor.click("2")
    await setup.mentor.send("Наставляемый опоздал <на 20 минут> & спешил")
    await setup.mentor.click(SKIP)
    await setup.mentor.click(SKIP)
    await setup.mentor.click(SAVE)

    responses = await _responses(app)
    assert responses["mentee"].answers["worked_on"] == "Разобрали открытый урок"
    assert responses["mentor"].answers["usefulness"] == 2
    assert responses["mentee"].pair_id == responses["mentor"].pair_id == pair_id
    # Neither sees the other's words: not in the shared log, nowhere in their chat.
    seen = [*setup.mentee.new_texts(), *await setup.mentee.send("/meetings")]
    assert any("📅" in text for text in seen)  # the log itself
    assert all("опоздал" not in text for text in seen)


async def test_the_one_who_has_not_answered_is_reminded_once_the_next_working_day(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup, pair_id = await paired(app, superadmin, person)
    surveys = app.services.automatic_surveys
    await _met(app, setup, pair_id, clock)  # Tuesday 01.09, 13:00 in Krasnoyarsk
    await setup.mentee.click("5")
    await setup.mentee.send("Познакомились")
    await setup.mentee.click(SKIP)
    await setup.mentee.click(SKIP)
    await setup.mentee.click(SAVE)
    await surveys.process_due(force=True)  # the entry diagnosis of the new pair, if any

    clock.advance(hours=3)
    assert await surveys.process_due(force=True) == 0  # the same day: not yet
    clock.advance(hours=15)  # Wednesday 02.09, 07:00 in Krasnoyarsk
    assert await surveys.process_due(force=True) == 1
    assert await surveys.process_due(force=True) == 0  # once
    clock.advance(hours=3)
    await sender.run_once()
    reminders = [text for text in setup.mentor.new_texts() if "Напоминаем" in text]
    assert len(reminders) == 1 and "«Отзыв о встрече»" in reminders[0]
    assert all("Напоминаем" not in text for text in setup.mentee.new_texts())
