"""A pair after it starts: introductions, /mypairs, pause and resume (by hand and on the date),
the curator's /pairs with its actions, and buttons pressed by someone outside the pair."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

from bot.app import Application
from bot.telegram.callbacks import (
    PairActionCallback,
    PairManageCallback,
    PetitionDecisionCallback,
    PetitionReasonCallback,
    ProgrammeSettingCallback,
)
from models import AuditEntry, ChangeReason, MentoringPair, PairStatus, Person
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.helpers import create_organisation
from tests.flows.mentoring import file_request
from tests.flows.pairing import deliver, last_buttons, programme

NOT_AVAILABLE = "Это вам недоступно."
STALE = "Эта кнопка больше не действует."
MENTEE = "Иванова Анна Петровна"
MENTOR = "Петров Сергей Иванович"
PAUSE = "⏸ Пауза"
CADENCE = "🗓 Как часто встречаемся"
# A started pair's meeting log and plan, read-only for the curator.
PAIR_RECORDS = ("📒 Журнал встреч", "📋 Открыть план")
RESUME = "▶️ Возобновить"


async def test_introduction_links_by_username_or_by_mention_with_names_escaped(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup = await programme(app, superadmin, person)
    mentee, mentor = setup.mentee, setup.mentor
    # The mentor has a Telegram @username (kept current on every update); the mentee has none.
    mentor.user = mentor.user.model_copy(update={"username": "petrov_s"})
    await mentor.send("/mypairs")
    async with app.database.write() as db:
        await db.execute(
            update(Person)
            .where(Person.id == setup.id_of(mentee))
            .values(full_name="Иванова <b>Анна</b> & Co")
        )
    pair_id = await setup.pair(mentee, mentor)

    to_mentee, to_mentor = await deliver(sender, mentee, mentor)
    [intro] = to_mentee
    assert f"У вас есть наставник: {MENTOR}" in intro
    assert '<a href="https://t.me/petrov_s">@petrov_s</a>' in intro
    assert "Предметы: Математика\nПедагогический стаж: 12 лет" in intro
    assert "Педагогический стаж: 12 лет" in intro
    assert "встрече-знакомстве" in intro
    assert "не реже одного раза в две недели" in intro
    assert "групповое" not in intro
    [intro] = to_mentor
    assert "У вас новый наставляемый: Иванова &lt;b&gt;Анна&lt;/b&gt; &amp; Co" in intro
    assert f'<a href="tg://user?id={mentee.user.id}">&lt;b&gt;Анна&lt;/b&gt;</a>' in intro
    assert "попросите куратора связать вас" in intro
    assert "<b>Анна</b>" not in intro
    pair = await setup.pair_row(pair_id)
    assert pair.status == PairStatus.ACTIVE


async def test_mypairs_for_both_sides_and_for_someone_without_a_pair(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person)
    mentee, mentor = setup.mentee, setup.mentor
    assert await mentee.send("/mypairs") == [
        "Вы пока не состоите в наставнической паре.\n\n"
        "Наставляемый просит наставника через /request; наставник видит открытые запросы "
        "в /requests."
    ]
    assert last_buttons(mentee) == []
    await setup.pair(mentee, mentor)

    [text] = await mentee.send("/mypairs")
    assert "Ваши наставнические пары" in text
    assert f"Наставник: <b>{MENTOR}</b>" in text
    assert "Действует с 01.09.2026." in text
    assert "встреча-знакомство" in text
    assert mentee.buttons() == [PAUSE, CADENCE, "🔁 Попросить другого наставника"]

    [text] = await mentor.send("/mypairs")
    assert f"Наставляемый: <b>{MENTEE}</b>" in text
    assert mentor.buttons() == [PAUSE, CADENCE, "🔁 Сложить обязанности наставника"]


async def test_pause_with_wrong_dates_then_resume_by_the_other_side(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup = await programme(app, superadmin, person)
    mentee, mentor = setup.mentee, setup.mentor
    pair_id = await setup.pair(mentee, mentor)
    await deliver(sender, mentee, mentor)

    await mentee.send("/mypairs")
    [prompt] = await mentee.click(PAUSE)
    assert "До какой даты поставить пару на паузу?" in prompt
    assert "не позже чем через полгода (01.03.2027)" in prompt
    [reply] = await mentee.send("через неделю")
    assert reply.startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    [reply] = await mentee.send("31.02.2026")
    assert reply.startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    [reply] = await mentee.send("01.09.2026")
    assert reply.startswith("Эта дата уже наступила.")
    [reply] = await mentee.send("02.03.2027")
    assert reply.startswith("Пауза может длиться не больше шести месяцев.")
    [reply] = await mentee.send_photo()
    assert reply.startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    [reply] = await mentee.send_sticker()
    assert reply.startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    [reply] = await mentee.send("/pairs")
    assert reply.startswith("Пришлите дату или отправьте /cancel")
    assert (await setup.pair_row(pair_id)).status == PairStatus.ACTIVE

    assert await mentee.send(" 15.09.2026 ") == [
        f"⏸ Пара на паузе до 15.09.2026; я сообщил участнику: {MENTOR}. "
        "Чтобы возобновить раньше, откройте /mypairs."
    ]
    pair = await setup.pair_row(pair_id)
    assert pair.status == PairStatus.PAUSED
    assert pair.paused_until == date(2026, 9, 15)
    to_mentee, to_mentor = await deliver(sender, mentee, mentor)
    assert to_mentee == []
    [news] = to_mentor
    assert f"{MENTEE} ставит вашу пару на паузу до 15.09.2026" in news

    [text] = await mentor.send("/mypairs")
    assert "На паузе до 15.09.2026" in text
    assert RESUME in mentor.buttons()
    assert await mentor.click(RESUME) == [f"▶️ Пара снова действует; я сообщил участнику: {MENTEE}."]
    assert (await setup.pair_row(pair_id)).status == PairStatus.ACTIVE
    assert (await setup.pair_row(pair_id)).paused_until is None
    to_mentee, to_mentor = await deliver(sender, mentee, mentor)
    assert to_mentor == []
    assert any("возобновляет вашу пару" in text for text in to_mentee)
    # The old Resume button of an active pair changes nothing.
    assert await mentor.click(RESUME) == [STALE]
    async with app.database.read() as db:
        actions = (
            await db.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.action.like("pair.%"))
                .order_by(AuditEntry.id)
            )
        ).all()
    assert actions == ["pair.created", "pair.paused", "pair.resumed"]


async def test_paused_pairs_resume_on_their_date_in_the_organisations_zone(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    sender: OutboxSender,
    clock: FakeClock,
) -> None:
    setup = await programme(app, superadmin, person)
    mentee, mentor = setup.mentee, setup.mentor
    pair_id = await setup.pair(mentee, mentor)
    await app.services.pairs.pause(setup.id_of(mentor), pair_id, date(2026, 9, 10))
    await deliver(sender, mentee, mentor)

    assert await app.services.pairs.resume_due() == 0
    clock.advance(days=8)  # 09.09 13:00 in Krasnoyarsk
    assert await app.services.pairs.resume_due() == 0
    clock.advance(hours=11)  # 10.09 00:00 in Krasnoyarsk, still 09.09 in UTC
    assert await app.services.pairs.resume_due() == 1
    assert await app.services.pairs.resume_due() == 0
    pair = await setup.pair_row(pair_id)
    assert pair.status == PairStatus.ACTIVE
    assert pair.paused_until is None
    to_mentee, to_mentor = await deliver(sender, mentee, mentor)
    assert to_mentee == [
        f"▶️ Пауза закончилась: ваша пара ({MENTOR}) снова действует.\n\n"
        "Встречайтесь не реже одного раза в две недели."
    ]
    assert to_mentor and "Пауза закончилась" in to_mentor[0]


async def test_buttons_on_someone_elses_pair_fail(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=2)
    mentee, stranger, mentor = setup.mentee, setup.team.mentees[1], setup.mentor
    pair_id = await setup.pair(mentee, mentor)

    for action in ("show", "pause", "resume", "petition"):
        forged = PairActionCallback(pair_id=pair_id, action=action).pack()
        assert await stranger.press(forged) == [NOT_AVAILABLE]
    forged = PetitionReasonCallback(pair_id=pair_id, reason="mismatch").pack()
    assert await stranger.press(forged) == [NOT_AVAILABLE]
    assert await stranger.press(PairManageCallback(pair_id=pair_id, action="end_left").pack()) == [
        NOT_AVAILABLE
    ]
    assert await stranger.press(PairActionCallback(pair_id=999, action="pause").pack()) == [STALE]
    assert await mentee.press(PairActionCallback(pair_id=pair_id, action="dance").pack()) == [STALE]
    assert await mentee.press(PetitionReasonCallback(pair_id=pair_id, reason="boredom").pack()) == [
        STALE
    ]
    pair = await setup.pair_row(pair_id)
    assert pair.status == PairStatus.ACTIVE
    async with app.database.read() as db:
        assert (
            await db.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action.like("petition.%"))
            )
            == 0
        )


async def test_participants_cannot_use_the_curators_commands(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person)
    mentee, mentor = setup.mentee, setup.mentor
    pair_id = await setup.pair(mentee, mentor)
    for command in ("/pairs", "/order", "/programme"):
        assert await mentee.send(command) == [NOT_AVAILABLE]
    organisation_id = setup.team.organisation_id
    for data in (
        PairManageCallback(pair_id=pair_id, action="show").pack(),
        PairManageCallback(pair_id=pair_id, action="complete_yes").pack(),
        PetitionDecisionCallback(petition_id=1, decision="yes").pack(),
        ProgrammeSettingCallback(
            organisation_id=organisation_id, setting="order", value="1"
        ).pack(),
    ):
        assert await mentor.press(data) in ([NOT_AVAILABLE], [STALE])
    assert (await setup.pair_row(pair_id)).status == PairStatus.ACTIVE


async def test_the_curator_manages_pairs_from_the_list(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup = await programme(app, superadmin, person, mentees=3)
    curator, mentor = setup.curator, setup.mentor
    first, second, third = setup.team.mentees
    # Two mentees happy with group mentoring share the mentor's group; the third is one-to-one
    # with the same mentor (capacity 2 is raised to 3).
    await app.services.profiles.set_availability(setup.id_of(mentor), capacity=3)
    groups = []
    for mentee in (first, second):
        request = await file_request(app, setup.id_of(mentee), group_ok=True)
        taken = await app.services.offers.take(setup.id_of(mentor), request.id)
        groups.append((await setup.pair_row(taken.pair_id)).group_id)
    # One mentee alone is no group; the second one who accepts a group makes it.
    assert groups[0] is None
    assert groups[1] is not None
    third_pair = await setup.pair(third, mentor)
    await deliver(sender, curator, first, second, third, mentor)

    [text] = await curator.send("/pairs")
    assert "<b>Пары: МБОУ «СОШ № 7»</b>" in text
    assert "Всего 3 пары:" in text
    assert "• действует: 3" in text
    assert "группа" in text
    assert text.count("группа") == 2
    labels = curator.buttons()
    assert labels == ["1. Петров → Орлов", "2. Петров → Кузнецова", "3. Петров → Иванова"]

    [card] = await curator.click("1. Петров → Орлов")
    assert f"Пара № {third_pair}" in card
    assert "Наставляемый: Орлов Дмитрий Юрьевич" in card
    assert curator.buttons() == [
        PAUSE,
        "🏁 Завершена",
        "⛔ Завершить досрочно",
        *PAIR_RECORDS,
        "🗓 Как часто встречаются",
        "📋 Отправить паре анкету",
        "✉️ Написать этой паре",
        "« Все пары",
    ]
    [prompt] = await curator.click(PAUSE)
    assert "До какой даты" in prompt
    assert await curator.send("20.09.2026") == [
        "⏸ Пара Петров Сергей Иванович → Орлов Дмитрий Юрьевич на паузе до 20.09.2026; "
        "оба уведомлены."
    ]
    to_third, to_mentor = await deliver(sender, third, mentor)
    assert to_third == [
        f"⏸ Куратор поставил вашу пару ({MENTOR}) на паузу до 20.09.2026.\n\n"
        "До этого дня напоминаний о встречах не будет, а в этот день пара возобновится сама. "
        "Любой из вас может возобновить её раньше в /mypairs."
    ]
    assert len(to_mentor) == 1

    await curator.send("/pairs")
    [card] = await curator.click("1. Петров → Орлов")
    assert "на паузе до 20.09.2026" in card
    [card] = await curator.click(RESUME)
    assert card.startswith("▶️ Пара Петров Сергей Иванович → Орлов Дмитрий Юрьевич снова действует")
    to_third, to_mentor = await deliver(sender, third, mentor)
    assert to_third == [
        f"▶️ Куратор возобновил вашу пару ({MENTOR}).\n\n"
        "Встречайтесь не реже одного раза в две недели."
    ]
    [card] = await curator.click("🏁 Завершена")
    assert card.endswith("Отметить, что пара завершила программу? Оба получат уведомление.")
    [card] = await curator.click("🏁 Да, пара завершила программу")
    assert card.startswith("🏁 Пара отмечена как завершившая программу")
    assert "Состояние: завершена" in card
    assert curator.buttons() == [*PAIR_RECORDS, "« Все пары"]
    assert (await setup.pair_row(third_pair)).status == PairStatus.COMPLETED
    to_third, to_mentor = await deliver(sender, third, mentor)
    assert to_third == [
        f"🏁 Ваша пара ({MENTOR}) завершила программу наставничества. Спасибо за вашу работу!"
    ]
    # A second press of an old button on the finished pair changes nothing.
    assert await curator.click("⛔ Завершить досрочно") == ["Эта пара уже завершена."]

    [text] = await curator.click("« Все пары")
    assert "• завершена: 1" in text
    [card] = await curator.click("2. Петров → Кузнецова")
    assert "Группа" in card
    await curator.click("⛔ Завершить досрочно")
    [card] = await curator.click("Уход из организации или программы")
    assert card.startswith("⛔ Пара завершена досрочно; оба уведомлены.")
    pairs = await _pairs(app)
    ended = next(pair for pair in pairs if pair.mentee_id == setup.id_of(second))
    assert ended.status == PairStatus.ENDED_EARLY
    assert ended.end_reason == ChangeReason.LEFT
    to_second, to_mentor = await deliver(sender, second, mentor)
    assert to_second == [
        f"Куратор досрочно завершил вашу пару ({MENTOR}). "
        "Причина: Уход из организации или программы\n\n"
        "Если наставник вам всё ещё нужен, отправьте /request."
    ]
    assert to_mentor and "Куратор досрочно завершил" in to_mentor[0]

    [text] = await second.send("/mypairs")
    assert "Завершена досрочно 01.09.2026. Уход из организации или программы." in text
    assert last_buttons(second) == []


async def _pairs(app: Application) -> list[MentoringPair]:
    async with app.database.read() as db:
        return list((await db.scalars(select(MentoringPair).order_by(MentoringPair.id))).all())


async def test_english_journey(
    app: Application, superadmin: TelegramClient, person: PersonFactory, sender: OutboxSender
) -> None:
    setup = await programme(app, superadmin, person, language_code="en")
    mentee, mentor = setup.mentee, setup.mentor
    await setup.pair(mentee, mentor)
    [intro], [mentor_intro] = await deliver(sender, mentee, mentor)
    assert f"You have a new mentee: {MENTEE}" in mentor_intro
    assert f"You have a mentor: {MENTOR}" in intro
    assert "Within a week, agree with your mentor on the introductory meeting" in intro
    assert "If the link does not open" in intro

    [text] = await mentee.send("/mypairs")
    assert f"Mentor: <b>{MENTOR}</b>" in text
    assert "Active since 01.09.2026." in text
    assert mentee.buttons() == ["⏸ Pause", "🗓 How often we meet", "🔁 Ask for another mentor"]
    [prompt] = await mentee.click("⏸ Pause")
    assert "Until which date do you pause the pair?" in prompt
    [reply] = await mentee.send("tomorrow")
    assert reply.startswith("Please send the date as DD.MM.YYYY.")
    assert await mentee.send("30.09.2026") == [
        f"⏸ The pair is paused until 30.09.2026; I have told {MENTOR}. "
        "To resume earlier, open /mypairs."
    ]
    [news] = (await deliver(sender, mentor))[0]
    assert news.startswith(f"⏸ {MENTEE} has paused your pair until 30.09.2026")
    [text] = await mentor.send("/mypairs")
    assert "Paused until 30.09.2026; the pair resumes on its own that day." in text
    assert mentor.buttons() == ["▶️ Resume", "🗓 How often we meet", "🔁 Ask to be relieved"]


async def test_several_live_pairs_open_one_by_one(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=2)
    mentor = setup.mentor
    first, second = setup.team.mentees
    await setup.pair(first, mentor)
    await setup.pair(second, mentor)

    [text] = await mentor.send("/mypairs")
    assert text.count("Наставляемый:") == 2
    assert "Нажмите на пару" in text
    assert mentor.buttons() == ["🌱 Иванова Анна Петровна", "🌱 Кузнецова Мария Олеговна"]
    [card] = await mentor.click("🌱 Кузнецова Мария Олеговна")
    assert "Наставляемый: <b>Кузнецова Мария Олеговна</b>" in card
    assert mentor.buttons() == [PAUSE, CADENCE, "🔁 Сложить обязанности наставника"]


async def test_a_curator_of_two_organisations_chooses_one(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person)
    curator = setup.curator
    await setup.pair(setup.mentee, setup.mentor)
    code = await create_organisation(superadmin, name="Детский сад № 71")
    await curator.send(f"/start {code}")

    assert await curator.send("/pairs") == ["Пары какой организации показать?"]
    assert curator.buttons() == ["Детский сад № 71", "МБОУ «СОШ № 7»"]
    [text] = await curator.click("Детский сад № 71")
    assert "Пар пока нет." in text
    [text] = await curator.click("МБОУ «СОШ № 7»")
    assert "Всего 1 пара:" in text
    assert await curator.send("/programme") == ["Программу какой организации настроить?"]
    [text] = await curator.click("Детский сад № 71")
    assert "Настройки программы: Детский сад № 71" in text
    assert await curator.send("/order") == ["Для какой организации внести приказ?"]
    [text] = await curator.click("Детский сад № 71")
    assert text.startswith("Нет пар, ожидающих приказа")
