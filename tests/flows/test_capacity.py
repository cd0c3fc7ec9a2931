"""/capacity (curator): every mentor's mentees and places; changing a mentor's places or setting
them back to the organisation's default; the mentor is told; forged buttons change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiogram.methods import EditMessageText
from sqlalchemy import select

import handlers.capacity
import services.pairs.capacity
from bot.app import Application
from bot.telegram.callbacks import MentorCapacityCallback
from models import AuditEntry, MentoringPair, Organisation, PairStatus, Profile, ProfileRole
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient, last_shown
from tests.flows.helpers import create_organisation
from tests.flows.mentoring import Cast, cast, file_request

NOT_AVAILABLE = "Это вам недоступно."
STALE = "Эта кнопка больше не действует."
BAD_VALUE = "Это значение не подходит. Проверьте его и попробуйте ещё раз."
SERGEY = "Петров Сергей Иванович"
OLGA = "Смирнова Ольга Викторовна"
ACTION = "profile.capacity_set_by_curator"


async def _team(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    *,
    mentees: int = 1,
    language_code: str = "ru",
) -> tuple[Cast, list[TelegramClient], list[TelegramClient]]:
    """A curator (2000), mentees 3001…, two mentors 3101 and 3102 on the organisation's default
    capacity (no number of their own)."""
    mentee_clients = [person(3001 + n) for n in range(mentees)]
    mentors = [person(3101, language_code=language_code), person(3102)]
    team = await cast(
        app,
        superadmin,
        person(2000),
        [(m, ProfileRole.MENTEE) for m in mentee_clients]
        + [(m, ProfileRole.MENTOR) for m in mentors],
        capacity=None,
    )
    return team, mentee_clients, mentors


async def _pair(
    app: Application, team: Cast, mentee: TelegramClient, mentor: TelegramClient
) -> int:
    request = await file_request(app, team.id_of(mentee))
    return (await app.services.offers.take(team.id_of(mentor), request.id)).pair_id


async def _capacity(app: Application, team: Cast, mentor: TelegramClient) -> int | None:
    async with app.database.read() as db:
        profile = await db.scalar(select(Profile).where(Profile.person_id == team.id_of(mentor)))
    assert profile is not None
    return profile.capacity


async def _audit(app: Application) -> list[AuditEntry]:
    async with app.database.read() as db:
        rows = await db.scalars(
            select(AuditEntry).where(AuditEntry.action == ACTION).order_by(AuditEntry.id)
        )
        return list(rows.all())


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1].isdigit()]


def _data(organisation_id: int, action: str, mentor_id: int = 0, value: int = 0) -> str:
    return MentorCapacityCallback(
        organisation_id=organisation_id, action=action, mentor_id=mentor_id, value=value
    ).pack()


async def test_curator_lists_mentors_sets_a_capacity_and_back_to_default(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    session: RecordingSession,
) -> None:
    team, [anna], [sergey, olga] = await _team(app, superadmin, person)
    curator = team.curator
    await _pair(app, team, anna, sergey)
    await app.services.profiles.set_availability(team.id_of(sergey), capacity=3)
    await sender.run_once()
    sergey.new_texts()

    [listing] = await curator.send("/capacity")
    assert "<b>Места у наставников: МБОУ «СОШ № 7»</b>" in listing
    assert "По умолчанию в организации: 2 наставляемых одновременно (/programme)." in listing
    assert _lines(listing) == [
        f"1. <b>{SERGEY}</b> — 1/3",
        f"2. <b>{OLGA}</b> — 0/2 (по умолчанию)",
    ]
    assert "Иванова" not in listing  # mentees are not listed
    assert "не значит конец текущих пар" in listing
    assert curator.buttons() == [f"1. {SERGEY}", f"2. {OLGA}"]

    [card] = await curator.click(f"2. {OLGA}")
    assert f"<b>{OLGA}</b>" in card
    assert "<b>Наставляемых сейчас:</b> 0" in card
    assert "<b>Наставляемых одновременно:</b> 2 (по умолчанию в организации)" in card
    assert "Свободных мест: 2." in card
    assert curator.buttons() == [
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "10",
        "✓ По умолчанию в организации (2)",
        "« Все наставники",
    ]
    assert isinstance(last_shown(session), EditMessageText)  # the list became the card

    [saved] = await curator.click("4")
    assert saved.startswith("✅ Сохранено: 4 наставляемых одновременно.")
    assert "<b>Наставляемых одновременно:</b> 4\n" in saved
    assert "4 наставляемых" in saved and "Свободных мест: 4." in saved
    assert "✓ 4" in curator.buttons()
    assert "По умолчанию в организации (2)" in curator.buttons()
    assert isinstance(last_shown(session), EditMessageText)
    assert await _capacity(app, team, olga) == 4
    [entry] = await _audit(app)
    assert entry.actor_id == team.id_of(curator)
    assert entry.target_person_id == team.id_of(olga)
    assert entry.organisation_id == team.organisation_id
    assert entry.details == {"capacity": 4}
    await sender.run_once()
    [told] = olga.new_texts()
    assert "Куратор установил, сколько наставляемых вы берёте одновременно: 4." in told
    assert "/profile" in told

    # The same button again: nothing changes, nobody is told twice.
    [again] = await curator.click("✓ 4")
    assert again.startswith("Ничего не изменилось")
    assert len(await _audit(app)) == 1
    await sender.run_once()
    assert olga.new_texts() == []

    [reset] = await curator.click("По умолчанию в организации (2)")
    assert reset.startswith(
        "✅ Сохранено: снова по умолчанию в организации — 2 наставляемых одновременно."
    )
    assert "✓ По умолчанию в организации (2)" in curator.buttons()
    assert await _capacity(app, team, olga) is None
    assert [entry.details for entry in await _audit(app)] == [{"capacity": 4}, {"capacity": None}]
    await sender.run_once()
    [told] = olga.new_texts()
    assert "к значению по умолчанию в организации: 2." in told

    [back] = await curator.click("« Все наставники")
    assert _lines(back)[1] == f"2. <b>{OLGA}</b> — 0/2 (по умолчанию)"
    assert sergey.new_texts() == []  # only the mentor concerned is told


async def test_capacity_zero_stops_suggestions_but_keeps_the_pairs(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, [anna, maria], [sergey, olga] = await _team(app, superadmin, person, mentees=2)
    curator = team.curator
    pair_id = await _pair(app, team, maria, sergey)
    request = await file_request(app, team.id_of(anna))
    before = await app.services.requests.suggestions(team.id_of(anna), request.id)
    assert team.id_of(sergey) in [suggestion.mentor_id for suggestion in before]

    await curator.send("/capacity")
    await curator.click(f"1. {SERGEY}")
    [saved] = await curator.click("0")
    assert "✅ Сохранено: 0 наставляемых одновременно." in saved
    assert "Наставляемых больше, чем мест: текущие пары продолжаются" in saved

    after = await app.services.requests.suggestions(team.id_of(anna), request.id)
    assert [suggestion.mentor_id for suggestion in after] == [team.id_of(olga)]
    async with app.database.read() as db:
        pair = await db.get(MentoringPair, pair_id)
    assert pair is not None and pair.status == PairStatus.ACTIVE
    await sender.run_once()
    [told] = [text for text in sergey.new_texts() if "Куратор" in text]
    assert "вы берёте одновременно: 0." in told
    assert "Новые запросы к вам приходить не будут; текущие пары продолжаются." in told

    [listing] = await curator.send("/capacity")
    assert _lines(listing)[0] == f"1. <b>{SERGEY}</b> — 1/0"


async def test_forged_buttons_change_nothing(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, [anna], [_sergey, olga] = await _team(app, superadmin, person)
    curator = team.curator
    organisation_id = team.organisation_id
    olga_id = team.id_of(olga)

    # Another school with its own curator and mentor.
    other_curator = person(2100)
    other_mentor = person(3201)
    code = await create_organisation(superadmin, name="Лицей № 2")
    await other_curator.send(f"/start {code}")
    other = await cast(app, superadmin, other_curator, [(other_mentor, ProfileRole.MENTOR)])
    async with app.database.read() as db:
        other_id = await db.scalar(select(Organisation.id).where(Organisation.name == "Лицей № 2"))
    assert other_id is not None
    other_mentor_id = other.id_of(other_mentor)

    # A value out of range, however it is made.
    assert await curator.press(_data(organisation_id, "set", olga_id, 99)) == [BAD_VALUE]
    assert await curator.press(_data(organisation_id, "set", olga_id, -5)) == [BAD_VALUE]
    # Another school's mentor through this school, or through the other school.
    assert await curator.press(_data(organisation_id, "set", other_mentor_id, 3)) == [STALE]
    assert await curator.press(_data(organisation_id, "show", other_mentor_id)) == [STALE]
    assert await curator.press(_data(other_id, "set", other_mentor_id, 3)) == [NOT_AVAILABLE]
    assert await curator.press(_data(other_id, "page")) == [NOT_AVAILABLE]
    # A mentee is not a mentor; an unknown action is a stale button.
    assert await curator.press(_data(organisation_id, "set", team.id_of(anna), 3)) == [STALE]
    assert await curator.press(_data(organisation_id, "zap", olga_id, 3)) == [STALE]
    # The mentor themself cannot use the curator's buttons.
    assert await olga.press(_data(organisation_id, "set", olga_id, 5)) == [NOT_AVAILABLE]

    assert await _capacity(app, team, olga) is None
    async with app.database.read() as db:
        other_profile = await db.scalar(select(Profile).where(Profile.person_id == other_mentor_id))
    assert other_profile is not None and other_profile.capacity == 2
    assert await _audit(app) == []
    await sender.run_once()
    assert olga.new_texts() == [] and other_mentor.new_texts() == []

    # A curator of both schools first picks one.
    await curator.send(f"/start {await create_organisation(superadmin, name='Гимназия № 3')}")
    [question] = await curator.send("/capacity")
    assert question == "Наставников какой организации показать?"
    assert curator.buttons() == ["Гимназия № 3", "МБОУ «СОШ № 7»"]
    [listing] = await curator.click("Гимназия № 3")
    assert "<b>Места у наставников: Гимназия № 3</b>" in listing
    assert "Наставников пока нет" in listing
    assert curator.buttons() == []


async def test_participants_cannot_use_capacity(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    _team_cast, [anna], [sergey, _olga] = await _team(app, superadmin, person)
    assert await anna.send("/capacity") == [NOT_AVAILABLE]
    assert await sergey.send("/capacity") == [NOT_AVAILABLE]
    assert await _audit(app) == []


async def test_pages_and_the_way_back_to_the_right_page(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services.pairs.capacity, "PAGE_SIZE", 1)
    monkeypatch.setattr(handlers.capacity, "PAGE_SIZE", 1)
    team, _mentees, [_sergey, olga] = await _team(app, superadmin, person)
    curator = team.curator
    until = clock.now().date() + timedelta(days=30)
    await app.services.profiles.set_availability(team.id_of(olga), unavailable_until=until)
    shown = until.strftime("%d.%m.%Y")

    [first] = await curator.send("/capacity")
    assert _lines(first) == [f"1. <b>{SERGEY}</b> — 0/2 (по умолчанию)"]
    assert "Страница 1 из 2." in first
    assert curator.buttons() == [f"1. {SERGEY}", "Далее ▶️"]
    [second] = await curator.click("Далее ▶️")
    assert _lines(second)[0].startswith(
        f"2. <b>{OLGA}</b> — 0/2 (по умолчанию), недоступен(на) до {shown}"
    )
    assert curator.buttons() == [f"2. {OLGA}", "◀️ Назад"]
    [card] = await curator.click(f"2. {OLGA}")
    assert f"<b>Недоступен(на) до:</b> {shown}" in card
    await curator.click("1")
    [back] = await curator.click("« Все наставники")
    assert _lines(back) == [f"2. <b>{OLGA}</b> — 0/1, недоступен(на) до {shown}"]


async def test_english_curator_and_mentor(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, _mentees, [sergey, _olga] = await _team(app, superadmin, person, language_code="en")
    curator = team.curator
    await curator.send("/language")
    await curator.click("English")

    [listing] = await curator.send("/capacity")
    assert "<b>Mentors' places: МБОУ «СОШ № 7»</b>" in listing
    assert "Organisation default: 2 mentees at once (/programme)." in listing
    assert _lines(listing)[0] == f"1. <b>{SERGEY}</b> — 0/2 (default)"
    [card] = await curator.click(f"1. {SERGEY}")
    assert "<b>Mentees at once:</b> 2 (the organisation's default)" in card
    assert "Fewer places never end current pairs: they only stop new requests." in card
    assert "✓ Organisation default (2)" in curator.buttons()
    [saved] = await curator.click("1")
    assert saved.startswith("✅ Saved: 1 mentee at once.")
    assert "« All mentors" in curator.buttons()
    assert await _capacity(app, team, sergey) == 1
    await sender.run_once()
    [told] = [text for text in sergey.new_texts() if "curator" in text]
    assert told == (
        "The curator set how many mentees you take at once to 1.\n\n"
        "Your current pairs go on as before.\n"
        "You can change the number in /profile."
    )
