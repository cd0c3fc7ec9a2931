"""/broadcast: a curator writes to an audience, sees the message as it will arrive, confirms; it
goes through the outbox in the sending hours, once per person, with markup characters shown as
typed; a second press of Send sends nothing more; teachers cannot broadcast."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from models import AuditEntry, Notification
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.pairing import programme
from tests.flows.test_surveys import _launch, _school

MESSAGE = "Коллеги, в пятницу <методсовет> в 15:00 & чай!"


async def _queued(app: Application) -> list[Notification]:
    async with app.database.read() as db:
        return list(
            (await db.scalars(select(Notification).where(Notification.kind == "broadcast"))).all()
        )


async def test_a_message_to_the_mentees_arrives_once_as_written(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    curator, (anna, boris) = await _school(superadmin, person, app)
    await curator.send("/broadcast")
    [ask] = await curator.click("наставляемым")
    assert "получателей: 2" in ask
    [preview] = await curator.send(MESSAGE)
    assert "Так его увидят получатели (2)" in preview
    assert "&lt;методсовет&gt;" in preview and "&amp; чай" in preview
    message_id, data = curator.keyboard_message("✅ Разослать")
    [done] = await curator.press(data, message_id=message_id)
    assert "получателей: 2" in done
    [again] = await curator.press(data, message_id=message_id)
    assert again == "Эта кнопка больше не действует."

    assert len(await _queued(app)) == 2
    clock.advance(hours=7)
    await sender.run_once()
    for teacher in (anna, boris):
        [received] = [t for t in teacher.new_texts() if "От куратора" in t]
        assert "&lt;методсовет&gt; в 15:00 &amp; чай!" in received
    async with app.database.read() as db:
        entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "broadcast.sent"))
    assert entry is not None and entry.details["recipients"] == 2
    assert MESSAGE not in str(entry.details)  # the words stay out of the audit log


async def test_those_who_have_not_finished_a_survey(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, _teachers = await _school(superadmin, person, app)
    await _launch(curator)
    await curator.send("/broadcast")
    await curator.click("тем, кто не завершил опрос…")
    [ask] = await curator.click("Анкета удовлетворённости наставляемого")
    assert "получателей: 2" in ask
    [cancelled] = await curator.send("/cancel")
    assert "Отменено" in cancelled
    assert await _queued(app) == []


async def test_teachers_cannot_broadcast_and_forged_buttons_do_nothing(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, (anna, _boris) = await _school(superadmin, person, app)
    [refused] = await anna.send("/broadcast")
    assert refused == "Это вам недоступно."
    [forged] = await anna.press("bc:1:to:everyone")
    assert forged == "Это вам недоступно."
    [stale] = await curator.press("bc:1:send")
    assert stale == "Эта кнопка больше не действует."
    assert await _queued(app) == []


async def test_a_message_to_one_pair_from_its_card(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup = await programme(app, superadmin, person, mentees=2)
    await setup.pair(setup.mentee, setup.mentor)
    setup.curator.new_texts()
    await setup.curator.send("/pairs")
    await setup.curator.click("1. Петров → Иванова")
    [ask] = await setup.curator.click("✉️ Написать этой паре")
    assert "2 человека" in ask or "получателей: 2" in ask or "2 people" in ask
    await setup.curator.send("Встреча переносится на <среду>")
    message_id, data = setup.curator.keyboard_message("✅ Разослать")
    await setup.curator.press(data, message_id=message_id)
    recipients = {notification.recipient_id for notification in await _queued(app)}
    assert recipients == {setup.id_of(setup.mentee), setup.id_of(setup.mentor)}
    # A forged pair of another organisation, or a made-up one, is refused.
    [stale] = await setup.curator.press(f"bc:{setup.team.organisation_id}:to:pair-999")
    assert stale == "Эта кнопка больше не действует."
