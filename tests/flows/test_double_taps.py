"""A confirm button pressed twice (in a row, or at once) acts once; the second press is told,
calmly, that it is already done — no apology, no traceback, nothing created twice."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.app import Application
from models import Consent, Invite, MentoringPair, Organisation, PairStatus
from tests.conftest import PersonFactory
from tests.fakes import TelegramClient
from tests.flows.helpers import consented_teacher, curator_invite, invite_code, make_curator
from tests.flows.mentoring import file_request
from tests.flows.pairing import programme

DONE = "Это уже сделано."
STALE = "Эта кнопка больше не действует."
APOLOGY = "что-то пошло не так"
AGREE = "✅ Я согласен(на)"
DECLINE = "Отказаться"


async def _count(app: Application, model: type) -> int:
    async with app.database.read() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def _both(client: TelegramClient, message_id: int, data: str) -> list[str]:
    """Two presses of one button at once; what the person saw from both, together."""
    first, second = await asyncio.gather(
        client.press(data, message_id=message_id), client.press(data, message_id=message_id)
    )
    return first + second


async def _org_summary(superadmin: TelegramClient) -> tuple[int, str]:
    await superadmin.send("/org_new")
    await superadmin.send("МБОУ «СОШ № 7»")
    await superadmin.send("663300, г. Норильск, ул. Ленина, 1")
    await superadmin.click("Krasnoyarsk (UTC+7)")
    return superadmin.keyboard_message("Создать")


async def test_create_pressed_twice_in_a_row(superadmin: TelegramClient, app: Application) -> None:
    message_id, data = await _org_summary(superadmin)
    first = await superadmin.press(data, message_id=message_id)
    assert "создана" in first[-1]
    assert await superadmin.press(data, message_id=message_id) == [DONE]
    assert await _count(app, Organisation) == 1


async def test_create_pressed_twice_at_once(superadmin: TelegramClient, app: Application) -> None:
    message_id, data = await _org_summary(superadmin)
    texts = await _both(superadmin, message_id, data)
    assert sum("создана" in text for text in texts) == 1
    assert DONE in texts
    assert not any(APOLOGY in text for text in texts)
    assert await _count(app, Organisation) == 1


async def test_an_invite_role_pressed_twice_makes_one_link(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    invites_before = await _count(app, Invite)
    await curator.send("/invite")
    message_id, data = curator.keyboard_message("Наставляемый")
    first = await curator.press(data, message_id=message_id)
    invite_code(first[-1])
    assert await curator.press(data, message_id=message_id) == [DONE]
    assert await _both(curator, message_id, data) == [DONE, DONE]
    assert await _count(app, Invite) == invites_before + 1
    # Another role on the same keyboard is a new link, not a repeat.
    second = await curator.click("Наставник")
    invite_code(second[-1])
    assert await _count(app, Invite) == invites_before + 2


@pytest.mark.parametrize("button", [AGREE, DECLINE])
async def test_consent_answer_pressed_twice(
    superadmin: TelegramClient, person: PersonFactory, app: Application, button: str
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    code = await curator_invite(curator, "Наставляемый")
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    message_id, data = teacher.keyboard_message(button)
    first = await teacher.press(data, message_id=message_id)
    assert first and DONE not in first
    assert await teacher.press(data, message_id=message_id) == [DONE]
    assert await _count(app, Consent) == 1

    other = person(4002)
    await other.send(f"/start {code}")
    message_id, data = other.keyboard_message(button)
    texts = await _both(other, message_id, data)
    assert DONE in texts
    assert not any(APOLOGY in text or STALE in text for text in texts)
    assert await _count(app, Consent) == 2


async def test_match_approval_pressed_twice(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=1, mentors=1)
    await file_request(app, setup.id_of(setup.mentee))
    await setup.curator.send("/match")
    message_id, data = setup.curator.keyboard_message("✅ Утвердить и создать пары: 1")
    first = await setup.curator.press(data, message_id=message_id)
    assert any("Создана 1 пара" in text or "Создано" in text for text in first), first
    assert await setup.curator.press(data, message_id=message_id) == [DONE]
    assert await _count(app, MentoringPair) == 1


async def test_order_next_pressed_twice(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=1, mentors=1, require_order=True)
    await setup.pair(setup.mentee, setup.mentor)
    await setup.curator.send("/order")
    await setup.curator.click("Выбрать все")
    message_id, data = setup.curator.keyboard_message("Далее: 1 пара ▶️")
    [ask] = await setup.curator.press(data, message_id=message_id)
    assert "номер" in ask.lower()
    assert await setup.curator.press(data, message_id=message_id) == [DONE]
    # The form goes on where it was: the number is still expected.
    replies = await setup.curator.send("17-к")
    assert "дат" in replies[-1].lower()


async def test_pair_decision_pressed_twice(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=1, mentors=1)
    pair_id = await setup.pair(setup.mentee, setup.mentor)
    await setup.curator.send("/pairs")
    await setup.curator.click("1. Петров → Иванова")
    await setup.curator.click("🏁 Завершена")
    message_id, data = setup.curator.keyboard_message("🏁 Да, пара завершила программу")
    [card] = await setup.curator.press(data, message_id=message_id)
    assert card.startswith("🏁 Пара отмечена как завершившая программу")
    second = await setup.curator.press(data, message_id=message_id)
    assert second == ["Эта пара уже завершена."]
    assert (await setup.pair_row(pair_id)).status == PairStatus.COMPLETED


async def test_profile_confirm_pressed_twice_saves_once(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher)
    await teacher.send("Иванова Анна Сергеевна")
    await teacher.click("Учитель")
    await teacher.click("Математика")
    await teacher.click("✅ Готово")
    await teacher.send("12")
    await teacher.send("5")
    await teacher.click("Новый сотрудник в коллективе")
    await teacher.click("Методическая")
    await teacher.click("✅ Готово")
    await teacher.click("Онлайн")
    await teacher.click("Пн")
    await teacher.click("✅ Готово")
    await teacher.click("После 18:00")
    await teacher.click("✅ Готово")
    message_id, data = teacher.keyboard_message("✅ Подтвердить")
    first = await teacher.press(data, message_id=message_id)
    assert sum("сохран" in text.lower() for text in first) == 1, first
    assert await teacher.press(data, message_id=message_id) == [DONE]
