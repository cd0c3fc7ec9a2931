"""The head's order (приказ о закреплении): pairs wait for it when the organisation says so, the
curator records one order for several pairs, and they start. Also /programme, where that
setting lives."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.app import Application
from bot.telegram.callbacks import OrderCallback, ProgrammeSettingCallback
from models import ChangeReason, MentoringPair, Organisation, PairOrder, PairStatus
from services.organisations.programme import ProgrammeSettings
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.pairing import deliver, programme

NOT_AVAILABLE = "Это вам недоступно."
STALE = "Эта кнопка больше не действует."
CANNOT_USE = "Это значение не подходит. Проверьте его и попробуйте ещё раз."


async def _pairs(app: Application) -> list[MentoringPair]:
    async with app.database.read() as db:
        return list((await db.scalars(select(MentoringPair).order_by(MentoringPair.id))).all())


async def test_one_order_starts_two_pairs(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup = await programme(app, superadmin, person, mentees=2, mentors=2, require_order=True)
    curator = setup.curator
    (anna, maria), (sergey, olga) = setup.team.mentees, setup.team.mentors
    await setup.pair(anna, sergey)
    await setup.pair(maria, olga)
    assert [pair.status for pair in await _pairs(app)] == [PairStatus.PENDING_ORDER] * 2

    to_anna, to_sergey, to_curator, _maria, _olga = await deliver(
        sender, anna, sergey, curator, maria, olga
    )
    assert to_anna == [
        "🤝 <b>Вам подобрана пара: Петров Сергей Иванович.</b>\n\n"
        "В вашей организации пары закрепляются приказом руководителя (приказ о закреплении). "
        "Пара начнёт работу, когда куратор внесёт приказ; тогда я познакомлю вас и расскажу, "
        "что дальше."
    ]
    assert len(to_sergey) == 1
    assert len(to_curator) == 2
    assert all("/order" in text for text in to_curator)
    [text] = await anna.send("/mypairs")
    assert "Ждёт приказа о закреплении с 01.09.2026." in text

    [pick] = await curator.send("/order")
    assert "Приказ о закреплении пар: МБОУ «СОШ № 7»" in pick
    assert "1. Петров Сергей Иванович → Иванова Анна Петровна" in pick
    assert curator.buttons() == [
        "1. Петров → Иванова",
        "2. Смирнова → Кузнецова",
        "Выбрать все",
        "Далее: 0 пар ▶️",
        "Отмена",
    ]
    assert await curator.click("Далее: 0 пар ▶️") == ["Отметьте хотя бы одну пару."]
    await curator.click("1. Петров → Иванова")
    assert curator.buttons()[0] == "✓ 1. Петров → Иванова"
    await curator.click("Выбрать все")
    assert curator.buttons()[:4] == [
        "✓ 1. Петров → Иванова",
        "✓ 2. Смирнова → Кузнецова",
        "Снять все",
        "Далее: 2 пары ▶️",
    ]
    [ask] = await curator.send("а номер?")
    assert ask.startswith("Отметьте пары кнопками выше")
    [ask] = await curator.click("Далее: 2 пары ▶️")
    assert "Приказ закрепляет 2 пары." in ask
    assert "Какой номер у приказа?" in ask

    [reply] = await curator.send_photo()
    assert reply.startswith("Пожалуйста, ответьте текстом.")
    [reply] = await curator.send("<b>45</b>")
    assert reply.startswith("В номере могут быть только буквы, цифры, пробелы и знаки - / . №.")
    [reply] = await curator.send("1" * 41)
    assert reply.startswith("Номер слишком длинный")
    [reply] = await curator.send("/pairs")
    assert reply.startswith("Ответьте на вопрос или отправьте /cancel")
    [ask] = await curator.send("  № 45-од ")
    assert "Какая дата у приказа?" in ask
    assert "например 31.08.2026" in ask

    [reply] = await curator.send("31.08")
    assert reply.startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    [reply] = await curator.send("31.08.2024")
    assert reply.startswith("Приказ не может быть старше двух лет.")
    [reply] = await curator.send("03.10.2026")
    assert reply.startswith("Дата приказа не может быть позже чем через 31 день")
    clock.advance(minutes=5)
    [done] = await curator.send("28.08.2026")
    assert done.startswith("✅ Приказ № 45-од от 28.08.2026 внесён. 2 пары начали работу")
    assert "• Петров Сергей Иванович → Иванова Анна Петровна" in done

    pairs = await _pairs(app)
    assert [pair.status for pair in pairs] == [PairStatus.ACTIVE] * 2
    assert all(pair.started_at == clock.now() for pair in pairs)
    async with app.database.read() as db:
        orders = list((await db.scalars(select(PairOrder))).all())
    assert len(orders) == 1
    assert (orders[0].number, orders[0].order_date) == ("45-од", date(2026, 8, 28))
    assert {pair.order_id for pair in pairs} == {orders[0].id}

    texts = await deliver(sender, anna, maria, sergey, olga)
    assert [len(received) for received in texts] == [1, 1, 1, 1]
    assert "У вас есть наставник: Петров Сергей Иванович" in texts[0][0]
    assert "У вас есть наставник: Смирнова Ольга Викторовна" in texts[1][0]
    assert "У вас новый наставляемый: Иванова Анна Петровна" in texts[2][0]
    assert "У вас новый наставляемый: Кузнецова Мария Олеговна" in texts[3][0]

    [none] = await curator.send("/order")
    assert none.startswith("Нет пар, ожидающих приказа о закреплении.")
    # The old ticks of the finished order are stale.
    assert await curator.press(OrderCallback(action="done").pack()) == [STALE]


async def test_pairs_that_changed_meanwhile_are_skipped(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=2, mentors=2, require_order=True)
    curator = setup.curator
    (anna, maria), (sergey, olga) = setup.team.mentees, setup.team.mentors
    first = await setup.pair(anna, sergey)
    await setup.pair(maria, olga)

    await curator.send("/order")
    await curator.click("Выбрать все")
    await curator.click("Далее: 2 пары ▶️")
    await curator.send("12/3")
    await app.services.pairs.end_early(setup.curator_id, first, ChangeReason.LEFT)
    [done] = await curator.send("01.09.2026")
    assert "1 пара начала работу" in done
    assert "1 выбранная пара пропущена" in done
    statuses = [pair.status for pair in await _pairs(app)]
    assert statuses == [PairStatus.ENDED_EARLY, PairStatus.ACTIVE]

    # Cancelling the ticking records nothing.
    await app.services.pairs.end_early(
        setup.curator_id, (await _pairs(app))[1].id, ChangeReason.LEFT
    )
    [none] = await curator.send("/order")
    assert none.startswith("Нет пар")


async def test_programme_settings(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person)
    curator = setup.curator
    organisation_id = setup.team.organisation_id

    [text] = await curator.send("/programme")
    assert "Настройки программы: МБОУ «СОШ № 7»" in text
    assert "<b>Наставляемых у наставника:</b> 2" in text
    assert "<b>Время на ответ по запросу:</b> 3 дня" in text
    assert "<b>Пары закрепляются приказом:</b> нет" in text
    assert curator.buttons() == [
        "0", "1", "✓ 2", "3", "4", "5", "10",
        "1 день", "2 дня", "✓ 3 дня", "5 дней", "7 дней",
        "Нужен приказ", "✓ Без приказа",
        "⏰ Встречи и напоминания…",
        "📋 Анкеты…",
        "📐 Численность…",
    ]  # fmt: skip
    [text] = await curator.click("10")
    assert text.startswith("Сохранено.")
    assert "<b>Наставляемых у наставника:</b> 10" in text
    await curator.click("7 дней")
    [text] = await curator.click("Нужен приказ")
    assert "<b>Пары закрепляются приказом:</b> да" in text
    async with app.database.read() as db:
        organisation = await db.get(Organisation, organisation_id)
    assert organisation is not None
    assert ProgrammeSettings.of(organisation) == ProgrammeSettings(
        default_capacity=10, offer_ttl_hours=168, pairs_require_order=True
    )

    def forged(setting: str, value: str) -> str:
        return ProgrammeSettingCallback(
            organisation_id=organisation_id, setting=setting, value=value
        ).pack()

    assert await curator.press(forged("capacity", "11")) == [CANNOT_USE]
    assert await curator.press(forged("ttl", "25")) == [CANNOT_USE]
    assert await curator.press(forged("order", "maybe")) == [STALE]
    assert await curator.press(forged("colour", "1")) == [STALE]
    assert await setup.mentee.press(forged("capacity", "1")) == [NOT_AVAILABLE]
    assert await curator.press(
        ProgrammeSettingCallback(organisation_id=organisation_id + 1, setting="show").pack()
    ) == [NOT_AVAILABLE]
    async with app.database.read() as db:
        organisation = await db.get(Organisation, organisation_id)
    assert organisation is not None
    assert ProgrammeSettings.of(organisation).default_capacity == 10
