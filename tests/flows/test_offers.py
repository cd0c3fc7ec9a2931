"""The mentor's side: an offered request (accept, accept and close the intake, decline with a
reason and a comment), reminders and expiry, and mentors browsing open requests (/requests)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from aiogram.methods import EditMessageReplyMarkup
from sqlalchemy import func, select, update

from bot.app import Application
from bot.telegram.callbacks import (
    DeclineReasonCallback,
    OfferCallback,
    OpenRequestsPageCallback,
    TakeRequestCallback,
)
from models import (
    DeclineReason,
    MentoringPair,
    MentoringRequest,
    Notification,
    OfferStatus,
    PairingBlock,
    PairOrigin,
    PairStatus,
    Person,
    Profile,
    ProfileRole,
    RequestOffer,
    RequestStatus,
)
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient
from tests.flows.mentoring import Cast, cast, file_request
from tests.identity import of_telegram
from tests.statements import counted_statements

ACCEPT = "✅ Принять"
ACCEPT_AND_CLOSE = "Принять и больше не брать"
DECLINE = "Отказаться"
SKIP = "Пропустить ▶️"
SHOW = "Показать запрос"
NOT_AVAILABLE = "Это вам недоступно."
STALE = "Эта кнопка больше не действует."
ALREADY_ACCEPTED = "Вы уже приняли этот запрос."
WITHDRAWN = "Этот запрос отозван. Ничего не изменено."
EXPIRED = "Время на ответ по этому запросу истекло."
TAKEN = "У этого запроса уже есть наставник. Ничего не изменено."
MENTEE_NAME = "Иванова Анна Петровна"  # the cast's first mentee
THANKS = "Спасибо, наставляемому предложат другого наставника."
NOT_ELIGIBLE = (
    "Этот наставник сейчас не может взять запрос (недоступен, нет мест или пара уже есть)."
)
NO_PLACE = (
    "У вас нет свободных мест для наставляемых. Чтобы взять больше, измените число мест в /profile."
)


async def _team(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    mentors: int = 1,
    **mentor_answers: object,
) -> tuple[Cast, TelegramClient, list[TelegramClient]]:
    """A curator, one mentee and `mentors` mentors, every form closed."""
    curator = person(2000)
    mentee = person(3001)
    mentor_clients = [person(3100 + index) for index in range(mentors)]
    team = await cast(
        app,
        superadmin,
        curator,
        [(mentee, ProfileRole.MENTEE)] + [(m, ProfileRole.MENTOR) for m in mentor_clients],
        **mentor_answers,
    )
    for client in [mentee, *mentor_clients]:
        await client.send("/cancel")  # the profile form the invite opened
    return team, mentee, mentor_clients


async def _offer_to(
    app: Application, team: Cast, mentee: TelegramClient, mentor: TelegramClient
) -> tuple[int, int]:
    """The mentee files a request and chooses this mentor: (request id, offer id)."""
    mentee_id = team.id_of(mentee)
    request = await app.services.requests.current(mentee_id)
    if request is None:
        request = await file_request(app, mentee_id)
    await app.services.requests.choose(mentee_id, request.id, team.id_of(mentor))
    async with app.database.read() as db:
        offer_id = await db.scalar(
            select(RequestOffer.id).where(
                RequestOffer.request_id == request.id,
                RequestOffer.status == OfferStatus.PENDING,
            )
        )
    assert offer_id is not None
    return request.id, offer_id


async def _pairs(app: Application) -> list[MentoringPair]:
    async with app.database.read() as db:
        return list((await db.scalars(select(MentoringPair).order_by(MentoringPair.id))).all())


async def _offer(app: Application, offer_id: int) -> RequestOffer:
    async with app.database.read() as db:
        offer = await db.get(RequestOffer, offer_id)
    assert offer is not None
    return offer


async def _request(app: Application, request_id: int) -> MentoringRequest:
    async with app.database.read() as db:
        request = await db.get(MentoringRequest, request_id)
    assert request is not None
    return request


async def _notifications(app: Application, kind: str, recipient_id: int) -> list[Notification]:
    async with app.database.read() as db:
        rows = await db.scalars(
            select(Notification)
            .where(Notification.kind == kind, Notification.recipient_id == recipient_id)
            .order_by(Notification.id)
        )
        return list(rows.all())


async def _person_id(app: Application, telegram_id: int) -> int:
    async with app.database.read() as db:
        person_id = await db.scalar(select(Person.id).where(of_telegram(telegram_id)))
    assert person_id is not None
    return person_id


def _bare_messages(session: RecordingSession, client: TelegramClient) -> set[int]:
    """The messages of this person whose buttons the bot removed."""
    return {
        method.message_id or 0
        for method in session.requests
        if isinstance(method, EditMessageReplyMarkup)
        and int(method.chat_id or 0) == client.user.id
        and method.reply_markup is None
    }


async def test_accept_starts_the_pair_and_a_second_press_changes_nothing(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    session: RecordingSession,
) -> None:
    team, mentee, [mentor] = await _team(app, superadmin, person)
    request_id, offer_id = await _offer_to(app, team, mentee, mentor)
    await sender.run_once()
    [offer_text] = mentor.new_texts()
    assert "Наставляемый просит вас стать наставником" in offer_text
    assert "<b>Анна</b>" in offer_text and "Иванова" not in offer_text  # the first name only
    assert "ответьте до <b>04.09.2026 13:0" in offer_text  # in 72 h, Krasnoyarsk time
    assert mentor.buttons() == [ACCEPT, ACCEPT_AND_CLOSE, DECLINE]

    offer_message, _ = mentor.keyboard_message(ACCEPT)
    [reply] = await mentor.click(ACCEPT)
    assert f"Ваш наставляемый: <b>{MENTEE_NAME}</b>" in reply
    assert "встреча-знакомство" in reply
    assert offer_message in _bare_messages(session, mentor)

    [pair] = await _pairs(app)
    assert pair.status == PairStatus.ACTIVE
    assert pair.origin == PairOrigin.MENTOR_ACCEPTED
    assert (pair.mentor_id, pair.mentee_id) == (team.id_of(mentor), team.id_of(mentee))
    assert (await _offer(app, offer_id)).status == OfferStatus.ACCEPTED
    assert (await _request(app, request_id)).status == RequestStatus.MATCHED
    for side in (mentee, mentor):
        assert len(await _notifications(app, "pair_started", team.id_of(side))) == 1
    await sender.run_once()
    assert mentee.new_texts(), "the mentee heard of the new pair"
    assert mentor.new_texts(), "so did the mentor"

    # The old message's button, pressed again: nothing changes, and the mentor is told why.
    assert await mentor.click(ACCEPT) == [ALREADY_ACCEPTED]
    assert await mentor.click(ACCEPT_AND_CLOSE) == [ALREADY_ACCEPTED]
    assert len(await _pairs(app)) == 1
    async with app.database.read() as db:
        capacity = await db.scalar(
            select(Profile.capacity).where(Profile.person_id == team.id_of(mentor))
        )
    assert capacity == 2


async def test_an_accept_is_a_handful_of_statements(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    """The press a mentor waits on most: a few statements, not one per rule it checks."""
    team, mentee, [mentor] = await _team(app, superadmin, person)
    await _offer_to(app, team, mentee, mentor)
    await sender.run_once()
    mentor.new_texts()  # the offer
    with counted_statements(app) as sent:
        [reply] = await mentor.click(ACCEPT)
    assert f"Ваш наставляемый: <b>{MENTEE_NAME}</b>" in reply
    assert len(sent) <= 12, "\n".join(sent)


async def _away(app: Application, mentor_id: int, mentee_id: int) -> None:
    async with app.database.write() as db:
        await db.execute(
            update(Profile)
            .where(Profile.person_id == mentor_id)
            .values(unavailable_until=date(2027, 6, 1))
        )


async def _blocked(app: Application, mentor_id: int, mentee_id: int) -> None:
    async with app.database.write() as db:
        db.add(PairingBlock(mentee_id=mentee_id, mentor_id=mentor_id, created_at=FakeClock().now()))


async def _full(app: Application, mentor_id: int, mentee_id: int) -> None:
    async with app.database.write() as db:
        await db.execute(update(Profile).where(Profile.person_id == mentor_id).values(capacity=0))


@pytest.mark.parametrize(
    ("change", "answer"),
    [
        (_away, NOT_ELIGIBLE),
        (_blocked, NOT_ELIGIBLE),
        (_full, NO_PLACE),
    ],
    ids=["mentor-away", "pairing-blocked", "no-free-place"],
)
async def test_accept_checks_the_rules_again(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    change: Callable[[Application, int, int], Awaitable[None]],
    answer: str,
) -> None:
    """What changed after the offer was made is seen when the mentor presses Accept."""
    team, mentee, [mentor] = await _team(app, superadmin, person)
    request_id, offer_id = await _offer_to(app, team, mentee, mentor)
    await sender.run_once()
    mentor.new_texts()  # the offer
    await change(app, team.id_of(mentor), team.id_of(mentee))
    assert await mentor.click(ACCEPT) == [answer]
    assert await _pairs(app) == []
    assert (await _offer(app, offer_id)).status == OfferStatus.PENDING
    assert (await _request(app, request_id)).status == RequestStatus.AWAITING_MENTOR


async def test_accept_and_close_the_intake(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, mentee, [mentor] = await _team(app, superadmin, person)
    await _offer_to(app, team, mentee, mentor)
    await sender.run_once()
    mentor.new_texts()

    [reply] = await mentor.click(ACCEPT_AND_CLOSE)
    assert f"Ваш наставляемый: <b>{MENTEE_NAME}</b>" in reply
    assert "Набор закрыт: новые запросы вам приходить не будут" in reply
    assert "/profile" in reply
    async with app.database.read() as db:
        capacity = await db.scalar(
            select(Profile.capacity).where(Profile.person_id == team.id_of(mentor))
        )
    assert capacity == 1  # the current load: one mentee

    # Another mentee is no longer offered this mentor, and the mentor sees no open requests.
    other = person(3002)
    more = await cast(app, superadmin, team.curator, [(other, ProfileRole.MENTEE)])
    request = await file_request(app, more.id_of(other))
    assert await app.services.requests.suggestions(more.id_of(other), request.id) == []
    assert await app.services.offers.open_for_mentor(team.id_of(mentor)) == []


async def test_decline_with_a_reason_and_a_comment(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    session: RecordingSession,
) -> None:
    team, mentee, [first, second] = await _team(app, superadmin, person, mentors=2)
    request_id, offer_id = await _offer_to(app, team, mentee, first)
    await sender.run_once()
    first.new_texts()

    offer_message, _ = first.keyboard_message(DECLINE)
    [question] = await first.click(DECLINE)
    reasons_message, _ = first.keyboard_message("Сейчас нет времени")
    assert "Почему вы отказываетесь?" in question
    assert first.buttons() == [
        "Сейчас нет времени",
        "Не моя область",
        "Личные причины",
        "Конфликт интересов",
        "Другая причина",
    ]
    [prompt] = await first.click("Сейчас нет времени")
    assert "Добавьте комментарий для куратора (до 500 символов)" in prompt
    assert first.buttons() == [SKIP]

    # Wrong kinds of answer: asked again, nothing decided yet.
    [hint] = await first.send_photo()
    assert hint == "Пожалуйста, пришлите комментарий текстом или нажмите «Пропустить»."
    [hint] = await first.send_sticker()
    assert "текстом" in hint
    [hint] = await first.send("/profile")
    assert "/cancel" in hint
    [hint] = await first.send("а" * 600)
    assert hint.startswith("Получилось 600 символов; пожалуйста, уложитесь в 500")
    assert (await _offer(app, offer_id)).status == OfferStatus.PENDING

    assert await first.send("Много <b>уроков</b> в этой четверти") == [THANKS]
    offer = await _offer(app, offer_id)
    assert offer.status == OfferStatus.DECLINED
    assert offer.decline_reason == DeclineReason.NO_TIME
    assert offer.decline_comment == "Много <b>уроков</b> в этой четверти"
    request = await _request(app, request_id)
    assert (request.status, request.failed_offers) == (RequestStatus.OPEN, 1)
    # The offer's own buttons and the reasons are gone (the prompt's Skip stays, stale now).
    assert {offer_message, reasons_message} <= _bare_messages(session, first)
    assert await first.click(SKIP) == [STALE]

    [failed] = await _notifications(app, "offer_failed", team.id_of(mentee))
    assert failed.payload["next_mentor_id"] == team.id_of(second)
    assert failed.payload["curator_alerted"] is False
    assert await _notifications(app, "request_needs_curator", await _person_id(app, 2000)) == []
    # The old offer can no longer be accepted.
    assert await first.click(ACCEPT) == ["Вы уже отказались от этого запроса."]


async def test_skip_the_comment_and_cancel_keeps_the_offer(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, mentee, [mentor] = await _team(app, superadmin, person)
    _, offer_id = await _offer_to(app, team, mentee, mentor)
    await sender.run_once()
    mentor.new_texts()

    await mentor.click(DECLINE)
    await mentor.click("Личные причины")
    assert await mentor.send("/cancel") == ["Отменено. Ничего не сохранено."]
    assert (await _offer(app, offer_id)).status == OfferStatus.PENDING
    # Skip from the abandoned comment prompt is stale now.
    assert await mentor.click(SKIP) == [STALE]

    await mentor.click(DECLINE)
    await mentor.click("Личные причины")
    assert await mentor.click(SKIP) == [THANKS]
    offer = await _offer(app, offer_id)
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, DeclineReason.PERSONAL)
    assert offer.decline_comment is None


async def test_conflict_of_interest_blocks_the_pairing_for_good(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, mentee, [first, second] = await _team(app, superadmin, person, mentors=2)
    mentee_id, first_id = team.id_of(mentee), team.id_of(first)
    request_id, _ = await _offer_to(app, team, mentee, first)
    await sender.run_once()
    first.new_texts()

    await first.click(DECLINE)
    await first.click("Конфликт интересов")
    assert await first.click(SKIP) == [THANKS]

    async with app.database.read() as db:
        blocks = (await db.execute(select(PairingBlock.mentee_id, PairingBlock.mentor_id))).all()
    assert [tuple(block) for block in blocks] == [(mentee_id, first_id)]
    suggested = await app.services.requests.suggestions(mentee_id, request_id, limit=10)
    assert [s.mentor_id for s in suggested] == [team.id_of(second)]
    # A new request later: still never suggested, and the mentor cannot take it either.
    await app.services.requests.withdraw(mentee_id, request_id)
    request = await file_request(app, mentee_id)
    suggested = await app.services.requests.suggestions(mentee_id, request.id, limit=10)
    assert first_id not in [s.mentor_id for s in suggested]
    assert await app.services.offers.open_for_mentor(first_id) == []
    reply = await first.press(TakeRequestCallback(request_id=request.id, step="yes").pack())
    assert reply == [
        "Этот наставник сейчас не может взять запрос (недоступен, нет мест или пара уже есть)."
    ]
    assert await _pairs(app) == []


async def test_accept_on_a_withdrawn_request(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, mentee, [mentor] = await _team(app, superadmin, person)
    request_id, offer_id = await _offer_to(app, team, mentee, mentor)
    await sender.run_once()
    mentor.new_texts()

    await app.services.requests.withdraw(team.id_of(mentee), request_id)
    await sender.run_once()
    [cancelled] = mentor.new_texts()
    assert "больше вас не ждёт" in cancelled

    assert await mentor.click(ACCEPT) == [WITHDRAWN]
    assert await mentor.click(ACCEPT_AND_CLOSE) == [WITHDRAWN]
    await mentor.click(DECLINE)  # the reasons come; the decline itself then fails
    await mentor.click("Другая причина")
    assert await mentor.click(SKIP) == [WITHDRAWN]
    assert await _pairs(app) == []
    assert (await _offer(app, offer_id)).status == OfferStatus.CANCELLED
    assert (await _request(app, request_id)).status == RequestStatus.WITHDRAWN


async def test_forged_offer_buttons_are_refused(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, mentee, [mentor, other] = await _team(app, superadmin, person, mentors=2)
    request_id, offer_id = await _offer_to(app, team, mentee, mentor)

    for action in ("accept", "close", "decline", "show"):
        data = OfferCallback(offer_id=offer_id, action=action).pack()
        assert await other.press(data) == [NOT_AVAILABLE], action
    # A reason pressed with someone else's offer: the decline itself is refused.
    await other.press(DeclineReasonCallback(offer_id=offer_id, reason="no_time").pack())
    assert await other.send("не хочу") == [NOT_AVAILABLE]
    # An offer that does not exist, an unknown action, an unknown reason.
    assert await other.press(OfferCallback(offer_id=999_999, action="accept").pack()) == [STALE]
    assert await mentor.press(OfferCallback(offer_id=offer_id, action="steal").pack()) == [STALE]
    assert await mentor.press(DeclineReasonCallback(offer_id=offer_id, reason="bored").pack()) == [
        STALE
    ]
    # The mentee cannot accept on the mentor's behalf either.
    assert await mentee.press(OfferCallback(offer_id=offer_id, action="accept").pack()) == [
        NOT_AVAILABLE
    ]

    assert (await _offer(app, offer_id)).status == OfferStatus.PENDING
    assert (await _request(app, request_id)).status == RequestStatus.AWAITING_MENTOR
    assert await _pairs(app) == []


async def test_reminder_at_half_time_then_expiry_then_the_curator(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    team, mentee, [first, second, _] = await _team(app, superadmin, person, mentors=3)
    curator_id = await _person_id(app, 2000)
    request_id, offer_id = await _offer_to(app, team, mentee, first)
    await sender.run_once()
    first.new_texts()

    clock.advance(hours=35)
    assert await app.services.offer_expiry.process_due() == (0, 0)
    clock.advance(hours=1, minutes=1)
    assert await app.services.offer_expiry.process_due() == (1, 0)
    assert await app.services.offer_expiry.process_due() == (0, 0)  # no second reminder
    await sender.run_once()
    [reminder] = first.new_texts()
    assert "всё ещё ждёт вашего ответа" in reminder
    assert "до <b>04.09.2026 13:0" in reminder  # 72 h after the offer, Krasnoyarsk time
    assert first.buttons() == [SHOW, ACCEPT, DECLINE]
    assert len(await _notifications(app, "offer_reminder", team.id_of(first))) == 1
    [shown] = await first.click(SHOW)
    assert "Что сейчас трудно" in shown and "Пожалуйста, ответьте до" in shown
    assert first.buttons() == [ACCEPT, ACCEPT_AND_CLOSE, DECLINE]

    clock.advance(hours=37)
    assert await app.services.offer_expiry.process_due() == (0, 1)
    assert await app.services.offer_expiry.process_due() == (0, 0)
    assert (await _offer(app, offer_id)).status == OfferStatus.EXPIRED
    request = await _request(app, request_id)
    assert (request.status, request.failed_offers) == (RequestStatus.OPEN, 1)
    [failed] = await _notifications(app, "offer_failed", team.id_of(mentee))
    assert failed.payload["outcome"] == "expired"
    assert failed.payload["next_mentor_id"] == team.id_of(second)
    await sender.run_once()
    [expired] = first.new_texts()
    assert "Время на ответ по запросу истекло" in expired
    assert mentee.new_texts(), "the mentee was told and offered the next mentor"
    assert await first.click(ACCEPT) == [EXPIRED]
    assert await _pairs(app) == []
    assert await _notifications(app, "request_needs_curator", curator_id) == []

    # The second failure (a decline) brings the curator in.
    _, second_offer = await _offer_to(app, team, mentee, second)
    await app.services.offers.decline(
        team.id_of(second), second_offer, DeclineReason.NO_TIME, "До <конца> четверти не смогу"
    )
    [alert] = await _notifications(app, "request_needs_curator", curator_id)
    assert alert.payload["why"] == "failed_offers"
    assert alert.payload["failed_offers"] == 2
    await sender.run_once()
    [text] = team.curator.new_texts()
    assert "Запрос требует вашего внимания" in text
    assert f"Запрос: {MENTEE_NAME}. Его предлагали наставникам 2 раза" in text
    # What the mentor who declined said reaches the curator (escaped).
    assert "• Сейчас нет времени: «До &lt;конца&gt; четверти не смогу»" in text
    [opened, suggested] = await team.curator.click("Открыть запрос")
    assert f"<b>Запрос: {MENTEE_NAME}</b>" in opened
    assert "2 неудачных предложения" in opened
    assert "1. <b>Волкова Елена Андреевна</b>" in suggested  # the one mentor not yet asked


async def test_mentor_browses_open_requests_and_takes_one_in_english(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    session: RecordingSession,
) -> None:
    curator = person(2000)
    mentee = person(3001)
    mentor = person(3100, language_code="en")
    team = await cast(
        app, superadmin, curator, [(mentee, ProfileRole.MENTEE), (mentor, ProfileRole.MENTOR)]
    )
    await mentor.send("/cancel")
    [empty] = await mentor.send("/requests")
    assert empty.startswith("There are no open requests that fit you right now.")

    request = await file_request(
        app, team.id_of(mentee), difficulty="Пишите мне: anna@example.com, <script>"
    )
    [listing] = await mentor.send("/requests")
    assert "<b>Open requests that fit you</b>" in listing
    assert "1. <b>Анна</b>, Mathematics, Physics, 2 years of experience" in listing
    assert "<b>Topics:</b> teaching methods" in listing
    assert "<b>How urgent:</b> within two weeks" in listing
    assert "<b>Fit:</b> 100/100 — covers 1 of 1 topics" in listing
    assert mentor.buttons() == ["Take Анна's request"]

    [brief] = await mentor.click("Take Анна's request")
    assert "anna@example.com" not in brief  # contacts are removed before pairing
    assert "&lt;script&gt;" in brief
    assert "Take the request of Анна? You become their mentor at once" in brief
    assert mentor.buttons() == ["✅ Yes, I take it", "« Back to the list"]
    [again] = await mentor.click("« Back to the list")
    assert "Open requests that fit you" in again
    # A page beyond the end (an old or forged button) shows the last page there is.
    [last] = await mentor.press(OpenRequestsPageCallback(page=99).pack())
    assert "1. <b>Анна</b>" in last and "Page" not in last

    [reply] = await mentor.click("✅ Yes, I take it")
    assert f"Thank you! You are now the mentor of <b>{MENTEE_NAME}</b>." in reply
    [pair] = await _pairs(app)
    assert (pair.origin, pair.status) == (PairOrigin.MENTOR_TOOK, PairStatus.ACTIVE)
    assert pair.request_id == request.id
    await sender.run_once()
    assert mentee.new_texts()
    assert "You have a new mentee" in mentor.new_texts()[0]

    # Pressed again, or the list's button after the pair: taken, nothing changes.
    assert await mentor.click("✅ Yes, I take it") == [
        "This request already has a mentor. Nothing was changed."
    ]
    assert await mentor.click("Take Анна's request") == [
        "This request is no longer open to you: it was taken, withdrawn or sent to a mentor."
    ]
    assert len(await _pairs(app)) == 1


async def test_requests_is_for_mentors_and_skips_requests_being_decided(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    team, mentee, [first, second] = await _team(app, superadmin, person, mentors=2)
    assert await mentee.send("/requests") == [
        "Смотреть запросы могут только наставники. Если наставник нужен вам самим, "
        "отправьте /request."
    ]
    stranger = person(9999)
    await stranger.send("/start")
    [reply] = await stranger.send("/requests")
    assert "только наставники" in reply

    request_id, _ = await _offer_to(app, team, mentee, first)
    [listing] = await second.send("/requests")
    assert listing.startswith("Сейчас нет открытых запросов")  # the first mentor is deciding
    taken = await second.press(TakeRequestCallback(request_id=request_id, step="yes").pack())
    assert taken == ["Запрос сейчас рассматривает наставник. Пожалуйста, дождитесь его ответа."]
    assert await second.press(TakeRequestCallback(request_id=request_id, step="x").pack()) == [
        STALE
    ]
    assert await _pairs(app) == []


async def test_a_programme_with_orders_keeps_the_pair_pending(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    team, mentee, [mentor] = await _team(app, superadmin, person)
    curator_id = await _person_id(app, 2000)
    await app.services.programme.change(curator_id, team.organisation_id, pairs_require_order=True)
    await _offer_to(app, team, mentee, mentor)
    await sender.run_once()
    mentor.new_texts()

    [reply] = await mentor.click(ACCEPT)
    assert "приказ о закреплении наставнических пар" in reply
    [pair] = await _pairs(app)
    assert pair.status == PairStatus.PENDING_ORDER
    assert pair.started_at is None
    assert await _notifications(app, "pair_started", team.id_of(mentor)) == []
    assert len(await _notifications(app, "pair_pending_order", team.id_of(mentor))) == 1
    async with app.database.read() as db:
        assert await db.scalar(select(func.count()).select_from(MentoringPair)) == 1
