"""The form in progress is remembered between a person's steps (services/forms/progress.py): a
step reads nothing, what it stores is what the next step sees, and a form erased from outside
the form service (consent withdrawn) is not handed out again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import Application
from models import FormProgress, Person
from services.forms.flow import Progress
from services.forms.progress import EXPIRY_DAYS, FormMemory
from tests.conftest import PersonFactory
from tests.fakes import START, TelegramClient
from tests.flows.helpers import curator_invite, join_with_consent, make_curator
from tests.identity import of_telegram
from tests.statements import counted_statements

NAME = "Иванова Анна Петровна"


async def _person_id(app: Application, telegram_id: int) -> int:
    async with app.database.read() as db:
        person_id = await db.scalar(select(Person.id).where(of_telegram(telegram_id)))
    assert person_id is not None
    return person_id


async def test_a_form_step_reads_no_form_and_stores_the_answer(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    teacher = person(4001)
    await join_with_consent(teacher, await curator_invite(curator, "Наставляемый"))

    with counted_statements(app) as sent:
        replies = await teacher.send(NAME)
    assert "Ваша должность?" in replies[-1]
    form_reads = [
        s for s in sent if s.lstrip().upper().startswith("SELECT") and "form_progress" in s
    ]
    assert form_reads == []

    person_id = await _person_id(app, 4001)
    async with app.database.read() as db:
        row = await db.scalar(select(FormProgress).where(FormProgress.person_id == person_id))
    assert row is not None
    assert row.answers["full_name"] == NAME
    assert row.message_id is not None  # the next question reached the screen


async def test_a_form_erased_by_a_withdrawal_is_not_handed_out(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = person(2001)
    await make_curator(superadmin, curator)
    teacher = person(4001)
    await join_with_consent(teacher, await curator_invite(curator, "Наставляемый"))
    await teacher.send(NAME)
    person_id = await _person_id(app, 4001)
    assert await app.services.forms.current(person_id) is not None  # remembered

    await teacher.send("/privacy")
    await teacher.click("Отозвать согласие")
    await teacher.click("Да, отозвать")

    assert await app.services.forms.current(person_id) is None


def _progress(step: int = 0) -> Progress:
    return Progress(
        id=1,
        person_id=7,
        form_id="profile",
        context={"options": {"who": [["a", "A"]]}},
        answers={"topics": ["x"]},
        current="topics",
        reviewing=False,
        shown_message_id=None,
        step=step,
    )


def test_a_read_begun_before_a_change_does_not_store() -> None:
    memory = FormMemory()
    now = START
    token = memory.token()
    memory.forget(7)  # a save of this person commits while the read is on its way
    memory.put(_progress(), now + timedelta(days=EXPIRY_DAYS), token=token)
    assert memory.get(7, now) is None


def test_what_a_step_changes_does_not_change_what_is_remembered() -> None:
    memory = FormMemory()
    now = START
    memory.put(_progress(), now + timedelta(days=EXPIRY_DAYS))
    taken = memory.get(7, now)
    assert taken is not None
    taken.answers["topics"].append("y")  # a multiple choice ticks one more, not yet saved
    again = memory.get(7, now)
    assert again is not None and again.answers["topics"] == ["x"]


def test_an_expired_form_is_not_handed_out() -> None:
    memory = FormMemory()
    now = START
    memory.put(_progress(), now + timedelta(days=EXPIRY_DAYS))
    assert memory.get(7, now + timedelta(days=EXPIRY_DAYS)) is None
