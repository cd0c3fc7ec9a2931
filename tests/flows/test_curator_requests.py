"""/requests for curators: every live request with its age and state, one request in full with
the suggested mentors, and assigning a mentor by hand."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from bot.telegram.callbacks import AssignCallback, CuratorRequestCallback, CuratorRequestsCallback
from bot.telegram.keyboards import offers as keyboards
from models import (
    MentoringPair,
    MentoringRequest,
    Notification,
    OfferStatus,
    PairOrigin,
    PairStatus,
    Person,
    ProfileRole,
    RequestOffer,
    RequestStatus,
)
from services.outbox.sender import OutboxSender
from services.requests.curator import CuratorRequestPage, CuratorRequestRow
from services.requests.filing import RequestView
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.helpers import create_organisation, make_curator
from tests.flows.mentoring import Cast, cast, file_request, request_draft
from tests.identity import of_telegram

NOT_AVAILABLE = "Это вам недоступно."
STALE = "Эта кнопка больше не действует."
FIRST_MENTEE = "Иванова Анна Петровна"
SECOND_MENTEE = "Кузнецова Мария Олеговна"
FIRST_MENTOR = "Петров Сергей Иванович"
SECOND_MENTOR = "Смирнова Ольга Викторовна"


async def _team(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> tuple[Cast, list[TelegramClient], list[TelegramClient]]:
    """A curator, two mentees and two mentors, every form closed."""
    curator = person(2000)
    mentees = [person(3001), person(3002)]
    mentors = [person(3101), person(3102)]
    team = await cast(
        app,
        superadmin,
        curator,
        [(m, ProfileRole.MENTEE) for m in mentees] + [(m, ProfileRole.MENTOR) for m in mentors],
    )
    for client in [*mentees, *mentors]:
        await client.send("/cancel")
    return team, mentees, mentors


async def _pairs(app: Application) -> list[MentoringPair]:
    async with app.database.read() as db:
        return list((await db.scalars(select(MentoringPair).order_by(MentoringPair.id))).all())


async def _curator_id(app: Application) -> int:
    async with app.database.read() as db:
        person_id = await db.scalar(select(Person.id).where(of_telegram(2000)))
    assert person_id is not None
    return person_id


async def test_curator_list_request_and_assignment(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    team, [anna, maria], [sergey, olga] = await _team(app, superadmin, person)
    curator = team.curator
    [empty] = await curator.send("/requests")
    assert "Открытых запросов нет" in empty

    first = await file_request(app, team.id_of(anna), hopes="<b>Научиться</b> всему")
    clock.advance(days=3)
    second = await file_request(app, team.id_of(maria))
    await app.services.requests.choose(team.id_of(maria), second.id, team.id_of(sergey))
    await app.services.requests.leave_to_curator(team.id_of(anna), first.id)
    await sender.run_once()
    curator.new_texts()

    [listing] = await curator.send("/requests")
    assert "<b>Открытые запросы: МБОУ «СОШ № 7»</b>" in listing
    assert "2 запроса ждут наставника, сначала самые давние:" in listing
    lines = [line for line in listing.splitlines() if line[:2] in ("1.", "2.")]
    assert lines[0] == f"1. <b>{FIRST_MENTEE}</b> — 3 дня — выбор за куратором"
    assert lines[1].startswith(f"2. <b>{SECOND_MENTEE}</b> — сегодня — у наставника Сергей Петров")
    assert "ответ до 07.09.2026 13:0" in lines[1]
    assert curator.buttons() == [f"1. {FIRST_MENTEE}", f"2. {SECOND_MENTEE}"]

    # The request a mentor is deciding on: the curator assigns the other mentor by hand.
    [opened, suggested] = await curator.click(f"2. {SECOND_MENTEE}")
    assert f"<b>Запрос: {SECOND_MENTEE}</b>" in opened
    assert f"<b>Подходящие наставники: {SECOND_MENTEE}</b>" in suggested
    assert f"1. <b>{FIRST_MENTOR}</b>, Математика, стаж 12 лет" in suggested
    assert f"2. <b>{SECOND_MENTOR}</b>" in suggested  # Sergey is still suggested: no decline
    assert "<b>Соответствие:</b> 100/100 — " in suggested
    assert curator.buttons() == [
        "Назначить: Сергей Петров",
        "Назначить: Ольга Смирнова",
        "« Все запросы",
    ]
    [confirm] = await curator.click("Назначить: Ольга Смирнова")
    assert f"Наставник: <b>{SECOND_MENTOR}</b>, наставляемый: <b>{SECOND_MENTEE}</b>" in confirm
    assert "Сейчас запрос рассматривает Сергей Петров" in confirm
    [done] = await curator.click("✅ Да, назначить")
    assert f"Наставник: <b>{SECOND_MENTOR}</b>, наставляемый: <b>{SECOND_MENTEE}</b>" in done

    [pair] = await _pairs(app)
    assert (pair.mentor_id, pair.mentee_id) == (team.id_of(olga), team.id_of(maria))
    assert (pair.origin, pair.status) == (PairOrigin.CURATOR_ASSIGNED, PairStatus.ACTIVE)
    async with app.database.read() as db:
        offer = await db.scalar(select(RequestOffer).where(RequestOffer.request_id == second.id))
        assert offer is not None and offer.status == OfferStatus.CANCELLED
        request = await db.get(MentoringRequest, second.id)
        assert request is not None and request.status == RequestStatus.MATCHED
        cancelled = await db.scalar(
            select(Notification).where(
                Notification.kind == "offer_cancelled",
                Notification.recipient_id == team.id_of(sergey),
            )
        )
        assert cancelled is not None
    await sender.run_once()
    assert any("больше вас не ждёт" in text for text in sergey.new_texts())
    assert olga.new_texts() and maria.new_texts()
    # The offer Sergey still has on screen is no longer his to accept.
    assert await sergey.click("✅ Принять") == [
        "У этого запроса уже есть наставник. Ничего не изменено."
    ]
    # Confirming again changes nothing.
    assert await curator.click("✅ Да, назначить") == [
        "У этого запроса уже есть наставник. Ничего не изменено."
    ]
    assert len(await _pairs(app)) == 1

    # The first request, with the full texts for the curator (escaped).
    [listing] = await curator.click("« Все запросы")
    assert "1 запрос ждёт наставника" in listing
    [opened, suggested] = await curator.click(f"1. {FIRST_MENTEE}")
    assert "&lt;b&gt;Научиться&lt;/b&gt; всему" in opened
    assert "Подан 01.09.2026, 3 дня назад" in opened
    assert "<b>Состояние:</b> выбор за куратором" in opened
    # Olga, now with one mentee, has one place left.
    assert "1 свободное место" in suggested


async def test_a_matched_request_opened_from_an_old_alert(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    team, [anna, _], [sergey, _] = await _team(app, superadmin, person)
    request = await file_request(app, team.id_of(anna))
    await app.services.offers.take(team.id_of(sergey), request.id)

    [opened] = await team.curator.press(
        CuratorRequestCallback(request_id=request.id, action="show").pack()
    )
    assert "<b>Состояние:</b> наставник найден" in opened
    assert "Подходящие наставники" not in opened
    assert team.curator.buttons() == ["« Все запросы"]


async def test_participants_never_see_the_curator_list(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    team, [anna, maria], [sergey, olga] = await _team(app, superadmin, person)
    request = await file_request(app, team.id_of(anna))

    [mentor_view] = await sergey.send("/requests")
    assert "Открытые запросы, которые вам подходят" in mentor_view
    assert FIRST_MENTEE not in mentor_view  # a mentor sees the first name only
    assert "Открытые запросы: МБОУ" not in mentor_view
    [mentee_view] = await maria.send("/requests")
    assert "только наставники" in mentee_view

    # Forged curator buttons: refused by the service, nothing changes.
    list_data = CuratorRequestsCallback(organisation_id=team.organisation_id).pack()
    show = CuratorRequestCallback(request_id=request.id, action="show").pack()
    ask = AssignCallback(request_id=request.id, mentor_id=team.id_of(olga), step="ask").pack()
    yes = AssignCallback(request_id=request.id, mentor_id=team.id_of(olga), step="yes").pack()
    for data in (list_data, show, ask, yes):
        assert await sergey.press(data) == [NOT_AVAILABLE], data
        assert await anna.press(data) == [NOT_AVAILABLE], data
    assert await _pairs(app) == []
    # An unknown step or request.
    curator = team.curator
    bad_step = AssignCallback(request_id=request.id, mentor_id=team.id_of(olga), step="go")
    assert await curator.press(bad_step.pack()) == [STALE]
    gone = CuratorRequestCallback(request_id=999_999, action="show").pack()
    assert await curator.press(gone) == [STALE]
    # A mentor who cannot take it (the mentee herself is no mentor).
    not_a_mentor = AssignCallback(request_id=request.id, mentor_id=team.id_of(maria), step="ask")
    [refused] = await curator.press(not_a_mentor.pack())
    assert refused.startswith("Этот наставник сейчас не может взять запрос")
    assert await _pairs(app) == []


async def test_a_curator_of_another_organisation_is_refused(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    team, [anna, _], [_, olga] = await _team(app, superadmin, person)
    request = await file_request(app, team.id_of(anna))
    stranger = person(2500)
    await cast(app, superadmin, stranger, [(person(3900), ProfileRole.MENTOR)])
    await stranger.send("/requests")
    yes = AssignCallback(request_id=request.id, mentor_id=team.id_of(olga), step="yes").pack()
    assert await stranger.press(yes) == [NOT_AVAILABLE]
    other_list = CuratorRequestsCallback(organisation_id=team.organisation_id).pack()
    assert await stranger.press(other_list) == [NOT_AVAILABLE]
    assert await _pairs(app) == []


async def test_long_lists_are_paged(app: Application, clock: FakeClock) -> None:
    """Twelve live requests: ten on the first page, the rest on the second, both ways back."""
    views = [
        RequestView(
            id=100 + index,
            organisation_id=7,
            timezone="Asia/Krasnoyarsk",
            mentee_id=500 + index,
            mentee_name=f"Учитель Номер {index + 1}",
            status=RequestStatus.OPEN,
            draft=request_draft(),
            created_at=clock.now(),
            left_to_curator=False,
            failed_offers=index % 3,
            filed_by_curator=False,
            mentor_name=None,
            offer_expires_at=None,
        )
        for index in range(12)
    ]
    texts = []
    with app.i18n.context(), app.i18n.use_locale("ru"):
        for number, rows, buttons in ((0, views[:10], ["Далее ▶️"]), (1, views[10:], ["◀️ Назад"])):
            page = CuratorRequestPage(
                organisation_id=7,
                organisation_name="Школа",
                timezone="Asia/Krasnoyarsk",
                rows=[
                    CuratorRequestRow(view=view, age_days=12 - index)
                    for index, view in enumerate(rows)
                ],
                page=number,
                pages=2,
                total=12,
            )
            text = app.texts.render(
                "curator_requests/list.j2", page=page, first_number=number * 10 + 1
            )
            assert "12 запросов ждут наставника" in text
            assert f"Страница {number + 1} из 2." in text
            markup = keyboards.curator_requests_keyboard(page)
            labels = [button.text for row in markup.inline_keyboard for button in row]
            assert labels[: len(rows)] == [
                f"{number * 10 + index + 1}. {view.mentee_name}" for index, view in enumerate(rows)
            ]
            assert labels[len(rows) :] == buttons
            texts.append(text)
    assert "ждёт выбора наставника" in texts[0]  # no failed offers yet
    assert "— 2 неудачных предложения" in texts[1]


async def test_a_curator_of_two_organisations_chooses_one(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    curator = person(2000)
    await make_curator(superadmin, curator)
    code = await create_organisation(superadmin, name="МБДОУ «Детский сад № 71»")
    await curator.send(f"/start {code}")

    assert await curator.send("/requests") == ["Запросы какой организации показать?"]
    assert sorted(curator.buttons()) == ["МБДОУ «Детский сад № 71»", "МБОУ «СОШ № 7»"]
    [listing] = await curator.click("МБДОУ «Детский сад № 71»")
    assert "<b>Открытые запросы: МБДОУ «Детский сад № 71»</b>" in listing
    assert "Открытых запросов нет" in listing
