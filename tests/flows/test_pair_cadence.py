"""A pair agrees to meet more often than the programme asks; the curator's pair card opens the
pair's cadence, meeting log and plan."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import Application
from models import CycleStatus, PairCycle, PairStatus
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.pairing import deliver, last_buttons, programme

ZONE = ZoneInfo("Asia/Krasnoyarsk")  # the test organisation's zone
MENTEE_NAME = "Иванова Анна Петровна"


async def _cycles(app: Application, pair_id: int) -> list[PairCycle]:
    async with app.database.read() as db:
        return list(
            (
                await db.scalars(
                    select(PairCycle).where(PairCycle.pair_id == pair_id).order_by(PairCycle.number)
                )
            ).all()
        )


async def test_a_pair_agrees_to_meet_weekly_from_the_next_cycle(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
) -> None:
    setup = await programme(app, superadmin, person)
    mentee, mentor = setup.mentee, setup.mentor
    pair_id = await setup.pair(mentee, mentor)
    await app.services.rhythm.process_due()
    await deliver(sender, mentee, mentor)
    [first] = await _cycles(app, pair_id)
    first_end = first.ends_at.astimezone(ZONE).date()

    [card] = await mentee.send("/mypairs")
    assert "потом встречайтесь не реже одного раза в 14 дней" in card
    [screen] = await mentee.click("🗓 Как часто встречаемся")
    assert "Сейчас: не реже одного раза в 14 дней." in screen
    assert "Программа требует встречаться не реже одного раза в 14 дней" in screen
    assert mentee.buttons() == ["раз в 7 дней", "раз в 10 дней", "✓ раз в 14 дней (по программе)"]
    [saved] = await mentee.click("раз в 7 дней")
    assert saved.startswith("✅ Сохранено: не реже одной встречи в 7 дней.")
    assert f"со следующего цикла, после {first_end.strftime('%d.%m.%Y')}" in saved
    assert "Я сообщил участнику: Петров Сергей Иванович." in saved
    assert "Пара договорилась об этом сама." in saved
    assert mentee.buttons()[0] == "✓ раз в 7 дней"
    assert (await setup.pair_row(pair_id)).cadence_days == 7
    [], [told] = await deliver(sender, mentee, mentor)
    assert f"{MENTEE_NAME} изменил(а), как часто встречается ваша пара" in told
    assert "не реже одного раза в 7 дней" in told
    assert "Изменить можно в /mypairs." in told
    # Pressed again (a double tap): the same screen, nobody told twice.
    [again] = await mentee.click("✓ раз в 7 дней")
    assert again.startswith("✅ Сохранено: не реже одной встречи в 7 дней.")
    assert await deliver(sender, mentee, mentor) == [[], []]

    # The current cycle keeps its date; the next one is a week long.
    clock.advance(seconds=(first.ends_at - clock.now()).total_seconds())
    await deliver(sender, mentee, mentor)
    await mentee.click("✅ Мы встретились")
    await mentee.send("/cancel")
    _first, second = await _cycles(app, pair_id)
    assert second.status == CycleStatus.OPEN
    assert second.ends_at.astimezone(ZONE).date() == first_end + timedelta(days=7)

    # Back to the programme's cadence: stored as "the organisation's", not as 14.
    await mentor.send("/mypairs")
    await mentor.click("🗓 Как часто встречаемся")
    [saved] = await mentor.click("раз в 14 дней (по программе)")
    assert "не реже одной встречи в 14 дней" in saved
    assert (await setup.pair_row(pair_id)).cadence_days is None


async def test_forged_and_stale_cadence_buttons_change_nothing(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=2)
    mentee, mentor, stranger = setup.mentee, setup.mentor, setup.team.mentees[1]
    pair_id = await setup.pair(mentee, mentor)
    # Longer than the programme allows, a number never offered, someone else's pair.
    assert await mentee.press(f"pk:{pair_id}:21") == ["Эта кнопка больше не действует."]
    assert await mentee.press(f"pk:{pair_id}:8") == ["Эта кнопка больше не действует."]
    assert await stranger.press(f"pk:{pair_id}:7") == ["Это вам недоступно."]
    assert await mentee.press("pk:abc:7") == ["Эта кнопка больше не действует."]
    assert await mentee.press("pk:999999:7") == ["Эта кнопка больше не действует."]
    assert (await setup.pair_row(pair_id)).cadence_days is None
    # A pair that has ended has no cadence to change.
    await app.services.pairs.complete(setup.curator_id, pair_id)
    assert (await setup.pair_row(pair_id)).status == PairStatus.COMPLETED
    assert await mentee.press(f"pk:{pair_id}:7") == ["Эта пара уже завершена."]
    assert (await setup.pair_row(pair_id)).cadence_days is None


async def test_the_curator_opens_a_pairs_cadence_log_and_plan_from_its_card(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
) -> None:
    setup = await programme(app, superadmin, person)
    mentee, mentor, curator = setup.mentee, setup.mentor, setup.curator
    pair_id = await setup.pair(mentee, mentor)
    await app.services.plans.add_goal(setup.id_of(mentee), pair_id, "Освоить <b>ФГОС</b> & ИКТ")
    await deliver(sender, mentee, mentor, curator)

    await curator.send("/pairs")
    await curator.click("1. Петров → Иванова")
    assert {"📒 Журнал встреч", "📋 Открыть план", "🗓 Как часто встречаются"} <= set(
        last_buttons(curator)
    )
    [log] = await curator.click("📒 Журнал встреч")
    assert "Журнал встреч" in log
    [plan] = await curator.click("📋 Открыть план")
    assert "Освоить &lt;b&gt;ФГОС&lt;/b&gt; &amp; ИКТ" in plan
    assert last_buttons(curator) == []  # the curator reads the plan, the pair writes it

    await curator.send("/pairs")
    await curator.click("1. Петров → Иванова")
    [screen] = await curator.click("🗓 Как часто встречаются")
    assert "Петров Сергей Иванович → Иванова Анна Петровна" in screen
    [saved] = await curator.click("раз в 10 дней")
    assert "Обоим сообщено." in saved
    assert (await setup.pair_row(pair_id)).cadence_days == 10
    mentee_news, mentor_news = await deliver(sender, mentee, mentor)
    for news in (mentee_news, mentor_news):
        assert news == [
            "🗓 Куратор изменил, как часто встречается ваша пара: не реже одного раза в 10 дней."
            "\n\nИзменить можно в /mypairs."
        ]
