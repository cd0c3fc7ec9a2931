"""The profile form after consent, its summary, and /profile with a mentor's availability."""

from __future__ import annotations

from datetime import date

from aiogram import Bot, Dispatcher
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import Update
from sqlalchemy import select

from bot.app import Application
from bot.telegram.callbacks import FormAnswerCallback, ProfileCallback
from bot.telegram.states import ProfileAvailability
from models import (
    AuditEntry,
    FormProgress,
    MeetingFormat,
    MenteeCategory,
    Person,
    Profile,
    ProfileRole,
)
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient
from tests.flows.helpers import consented_teacher, curator_invite, make_curator
from tests.identity import of_telegram

NAME = "Иванова Анна Сергеевна"
EITHER = "Наставник или наставляемый"
STALE = "Эта кнопка больше не действует."
ALREADY = "Это уже сделано."
DONE = "✅ Готово"
BACK = "« Назад"
CONFIRM = "✅ Подтвердить"
QUESTION = {
    "full_name": "Как вас зовут?",
    "position": "Ваша должность?",
    "subjects": "Что вы преподаёте?",
    "experience_years": "общий педагогический стаж",
    "organisation_years": "Сколько полных лет вы работаете в этой организации?",
    "role": "Кем вы хотите быть в программе?",
    "mentee_category": "Что лучше всего описывает",
    "needed_domains": "В чём вам нужна помощь?",
    "offered_domains": "В чём вы можете помочь коллегам?",
    "meeting_format": "Как вам удобнее встречаться?",
    "days": "В какие дни",
    "times": "Какое время дня",
    "summary": "Проверьте анкету",
}


async def _state(dispatcher: Dispatcher, bot: Bot, client: TelegramClient) -> str | None:
    context = dispatcher.fsm.get_context(bot, chat_id=client.user.id, user_id=client.user.id)
    return await context.get_state()


async def _question(app: Application, client: TelegramClient) -> str | None:
    """The question on the person's screen, as the form in progress stored in the database
    says ("~" for the summary); None when no form is open."""
    async with app.database.read() as db:
        person_id = select(Person.id).where(of_telegram(client.user.id)).scalar_subquery()
        row = await db.scalar(
            select(FormProgress).where(
                FormProgress.person_id == person_id, FormProgress.submitted_at.is_(None)
            )
        )
    if row is None:
        return None
    return row.current_question or "~"


async def _stored(app: Application, telegram_id: int) -> tuple[Person, Profile | None]:
    async with app.database.read() as db:
        person = await db.scalar(select(Person).where(of_telegram(telegram_id)))
        assert person is not None
        profile = await db.scalar(select(Profile).where(Profile.person_id == person.id))
        return person, profile


async def _up_to_role(teacher: TelegramClient, name: str = NAME) -> list[str]:
    """Answer the questions every participant gets, up to the role."""
    await teacher.send(name)
    await teacher.click("Учитель")
    await teacher.click("Математика")
    await teacher.click("Физика")
    await teacher.click(DONE)
    await teacher.send("12")
    return await teacher.send("5")


async def _meeting_preferences(teacher: TelegramClient) -> list[str]:
    await teacher.click("Онлайн")
    await teacher.click("Пн")
    await teacher.click("Чт")
    await teacher.click(DONE)
    await teacher.click("После 18:00")
    return await teacher.click(DONE)


async def _mentee_to_summary(teacher: TelegramClient) -> list[str]:
    """From the role question (or the category, when the invite set the role) to the summary."""
    if "Наставляемый: мне нужна поддержка" in teacher.buttons():
        await teacher.click("Наставляемый: мне нужна поддержка")
    await teacher.click("Новый сотрудник в коллективе")
    await teacher.click("Методическая")
    await teacher.click(DONE)
    return await _meeting_preferences(teacher)


async def _saved_mentee(
    superadmin: TelegramClient, person: PersonFactory, telegram_id: int = 4001
) -> TelegramClient:
    curator, teacher = person(2001), person(telegram_id)
    await consented_teacher(superadmin, curator, teacher)
    await _up_to_role(teacher)
    await _mentee_to_summary(teacher)
    await teacher.click(CONFIRM)
    return teacher


async def _saved_mentor(superadmin: TelegramClient, person: PersonFactory) -> TelegramClient:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button="Наставник")
    await _up_to_role(teacher)
    await teacher.click("Предметно-профессиональная")
    await teacher.click(DONE)
    await _meeting_preferences(teacher)
    await teacher.click(CONFIRM)
    return teacher


async def test_full_onboarding_in_russian(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    session: RecordingSession,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    curator, teacher = person(2001), person(4001)
    # "Recorded", the form's introduction and its first question: one message.
    [reply] = await consented_teacher(superadmin, curator, teacher, role_button=EITHER)
    assert "записано" in reply
    assert "короткая анкета" in reply
    assert "/cancel" in reply
    assert QUESTION["full_name"] in reply
    assert session.sent_to(4001)[-1].reply_markup is None  # the first question has no Back
    assert await _question(app, teacher) == "full_name"

    replies = await teacher.send(NAME)
    assert QUESTION["position"] in replies[-1]
    assert teacher.buttons() == [
        "Учитель",
        "Воспитатель",
        "Педагог-психолог",
        "Педагог доп. образования",
        "Учитель-логопед",
        "Методист",
        BACK,
    ]
    replies = await teacher.click("Учитель")
    assert QUESTION["subjects"] in replies[-1]
    assert {"Дошкольное образование", "Начальные классы", "Математика", DONE, BACK} <= set(
        teacher.buttons()
    )
    replies = await teacher.click("Математика")
    assert "✓ Математика" in teacher.buttons()
    replies = await teacher.send("Астрономия")
    assert QUESTION["subjects"] in replies[-1]
    assert {"✓ Математика", "✓ Астрономия"} <= set(teacher.buttons())
    replies = await teacher.click(DONE)
    assert QUESTION["experience_years"] in replies[-1]
    assert teacher.buttons() == [BACK]
    replies = await teacher.send("12")
    assert QUESTION["organisation_years"] in replies[-1]
    replies = await teacher.send("0")
    assert QUESTION["role"] in replies[-1]
    assert teacher.buttons() == [
        "Наставляемый: мне нужна поддержка",
        "Наставник: готов(а) помогать",
        "И то и другое",
        BACK,
    ]
    replies = await teacher.click("Наставляемый: мне нужна поддержка")
    assert QUESTION["mentee_category"] in replies[-1]
    assert len(teacher.buttons()) == 6  # five categories and Back
    replies = await teacher.click("Молодой специалист (стаж до 3 лет)")
    assert QUESTION["needed_domains"] in replies[-1]
    assert len(teacher.buttons()) == 11  # nine domains, Back, Done
    await teacher.click("Методическая")
    await teacher.click("ИКТ-компетентность")
    replies = await teacher.click(DONE)
    assert QUESTION["meeting_format"] in replies[-1]
    assert teacher.buttons() == ["Очно", "Онлайн", "Не важно", BACK]
    replies = await teacher.click("Очно")
    assert QUESTION["days"] in replies[-1]
    assert teacher.buttons() == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", BACK, DONE]
    await teacher.click("Ср")
    await teacher.click("Пн")
    replies = await teacher.click(DONE)
    assert QUESTION["times"] in replies[-1]
    assert teacher.buttons() == [
        "Утро, до 12:00",
        "12:00–15:00",
        "15:00–18:00",
        "После 18:00",
        BACK,
        DONE,
    ]
    await teacher.click("Утро, до 12:00")
    replies = await teacher.click(DONE)

    summary = replies[-1]
    for line in (
        "<b>ФИО:</b> Иванова Анна Сергеевна",
        "<b>Должность:</b> Учитель",
        "<b>Предметы:</b> Математика, Астрономия",
        "<b>Педагогический стаж:</b> 12 лет",
        "<b>Стаж в организации:</b> 0 лет",
        "<b>Роль:</b> Наставляемый",
        "<b>Категория:</b> Молодой специалист (стаж до 3 лет)",
        "<b>Нужна помощь:</b> Методическая, ИКТ-компетентность",
        "<b>Формат встреч:</b> Очно",
        "<b>Дни:</b> Пн, Ср",
        "<b>Время:</b> Утро, до 12:00",
    ):
        assert line in summary
    assert "Могу помочь" not in summary
    assert "✏️ Роль" in teacher.buttons()
    assert teacher.buttons()[0] == CONFIRM
    assert teacher.buttons()[-2:] == [BACK, "✖️ Отмена"]
    _, profile = await _stored(app, 4001)
    assert profile is None  # nothing is kept before the confirmation

    replies = await teacher.click(CONFIRM)
    assert "профиль сохранён" in replies[-1]
    assert "подберёт вам наставника" in replies[-1]
    assert "/profile" in replies[-1]
    assert await _state(dispatcher, bot, teacher) is None

    stored_person, profile = await _stored(app, 4001)
    assert stored_person.full_name == NAME
    assert profile is not None
    assert profile.position == "учитель"
    assert profile.subjects == ["Математика", "Астрономия"]
    assert (profile.experience_years, profile.organisation_years) == (12, 0)
    assert profile.role == ProfileRole.MENTEE
    assert profile.mentee_category == MenteeCategory.YOUNG_SPECIALIST
    assert profile.needed_domains == ["methodological", "ict"]
    assert profile.offered_domains == []
    assert profile.meeting_format == MeetingFormat.IN_PERSON
    assert profile.days == ["mon", "wed"]  # in the order of the week, not of the taps
    assert profile.times == ["morning"]
    assert profile.capacity is None
    assert profile.completed_at == app.clock.now()
    async with app.database.read() as db:
        actions = [entry.action for entry in await db.scalars(select(AuditEntry))]
    assert "profile.completed" in actions


async def test_full_onboarding_in_english(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, teacher = person(2001), person(4002, language_code="en")
    [reply] = await consented_teacher(superadmin, curator, teacher, role_button=EITHER)
    assert "Your consent" in reply
    assert "Now a short profile" in reply
    assert "What is your full name?" in reply
    replies = await teacher.send("Anna Smith")
    assert "What is your position?" in replies[-1]
    assert teacher.buttons()[0] == "Teacher"
    assert teacher.buttons()[-1] == "« Back"
    await teacher.send("English teacher")
    await teacher.click("Mathematics")
    replies = await teacher.click("✅ Done")
    assert "teaching experience" in replies[-1]
    replies = await teacher.send("sixty")
    assert "Please send a whole number of years, for example 5." in replies[-1]
    await teacher.send("3")
    replies = await teacher.send("1")
    assert "Who do you want to be in the programme?" in replies[-1]
    replies = await teacher.click("Both")
    assert "Which describes you best?" in replies[-1]
    await teacher.click("New to the staff")
    await teacher.click("Teaching methods")
    replies = await teacher.click("✅ Done")
    assert "What can you help colleagues with?" in replies[-1]
    await teacher.click("ICT skills")
    await teacher.click("✅ Done")
    await teacher.click("Either")
    await teacher.click("Sat")
    await teacher.click("✅ Done")
    await teacher.click("12:00–15:00")
    replies = await teacher.click("✅ Done")
    summary = replies[-1]
    for line in (
        "<b>Full name:</b> Anna Smith",
        "<b>Position:</b> English teacher",
        "<b>Subjects:</b> Mathematics",
        "<b>Teaching experience:</b> 3 years",
        "<b>Years in this organisation:</b> 1 year",
        "<b>Role:</b> Mentor and mentee",
        "<b>Need help with:</b> Teaching methods",
        "<b>Can help with:</b> ICT skills",
        "<b>Meeting format:</b> Either",
        "<b>Days:</b> Sat",
    ):
        assert line in summary
    replies = await teacher.click("✅ Confirm")
    assert "your profile is saved" in replies[-1]
    assert "find you a mentor" in replies[-1]
    assert "ready to mentor" in replies[-1]
    stored_person, profile = await _stored(app, 4002)
    assert stored_person.full_name == "Anna Smith"
    assert profile is not None
    # Button answers are stored the same way whatever the language of the person.
    assert profile.subjects == ["Математика"]
    assert profile.position == "English teacher"
    assert profile.role == ProfileRole.BOTH
    assert profile.needed_domains == ["methodological"]
    assert profile.offered_domains == ["ict"]

    replies = await teacher.send("/profile")
    assert "<b>Your profile</b>" in replies[-1]
    assert "<b>Mentees at once:</b> 2 (default)" in replies[-1]


async def test_the_invite_role_spares_the_role_question(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, mentee = person(2001), person(4001)
    await consented_teacher(superadmin, curator, mentee, role_button="Наставляемый")
    replies = await _up_to_role(mentee)
    assert QUESTION["mentee_category"] in replies[-1]
    replies = await _mentee_to_summary(mentee)
    assert "<b>Роль:</b> Наставляемый" in replies[-1]
    assert "✏️ Роль" not in mentee.buttons()  # the curator chose it
    await mentee.click(CONFIRM)

    mentor = person(4002)
    await consented_teacher(superadmin, curator, mentor, role_button="Наставник")
    replies = await _up_to_role(mentor, name="Петров Пётр")
    assert QUESTION["offered_domains"] in replies[-1]
    await mentor.click("Предметно-профессиональная")
    replies = await mentor.click(DONE)
    assert QUESTION["meeting_format"] in replies[-1]
    replies = await _meeting_preferences(mentor)
    assert "<b>Роль:</b> Наставник" in replies[-1]
    assert "Категория" not in replies[-1]
    assert "Нужна помощь" not in replies[-1]
    replies = await mentor.click(CONFIRM)
    assert "готовы быть наставником" in replies[-1]
    assert "подберёт вам наставника" not in replies[-1]

    _, mentee_profile = await _stored(app, 4001)
    _, mentor_profile = await _stored(app, 4002)
    assert mentee_profile is not None and mentee_profile.role == ProfileRole.MENTEE
    assert mentor_profile is not None and mentor_profile.role == ProfileRole.MENTOR
    assert mentor_profile.offered_domains == ["subject"]
    assert mentor_profile.mentee_category is None


async def test_both_roles_ask_both_lists(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button=EITHER)
    await _up_to_role(teacher)
    await teacher.click("И то и другое")
    await teacher.click("Молодой специалист (стаж до 3 лет)")
    replies = await teacher.click(DONE)  # nothing ticked yet
    assert replies == ["Отметьте хотя бы один вариант."]
    await teacher.click("Нормативно-правовая")
    replies = await teacher.click(DONE)
    assert QUESTION["offered_domains"] in replies[-1]
    # The second list starts empty: it is a different question.
    assert not any(label.startswith("✓") for label in teacher.buttons())
    await teacher.click("Научно-теоретическая")
    await teacher.click("Здоровьесбережение учащихся")
    await teacher.click("Научно-теоретическая")  # untick
    replies = await teacher.click(DONE)
    assert QUESTION["meeting_format"] in replies[-1]
    replies = await _meeting_preferences(teacher)
    assert "<b>Нужна помощь:</b> Нормативно-правовая" in replies[-1]
    assert "<b>Могу помочь:</b> Здоровьесбережение учащихся" in replies[-1]
    await teacher.click(CONFIRM)
    _, profile = await _stored(app, 4001)
    assert profile is not None
    assert profile.needed_domains == ["regulatory"]
    assert profile.offered_domains == ["health"]


async def test_every_typed_answer_is_checked_with_a_reason(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button=EITHER)

    replies = await teacher.send("Иванова")
    assert replies[-1].startswith("Укажите хотя бы фамилию и имя.")
    assert QUESTION["full_name"] in replies[-1]
    replies = await teacher.send("Иванова 2 Анна")
    assert replies[-1].startswith("Используйте только буквы, пробелы и дефис.")
    replies = await teacher.send("Иванова " + "А" * 100)
    assert replies[-1].startswith("Слишком длинно: не больше 100 символов.")
    replies = await teacher.send("Я" * 10_000)
    assert replies[-1].startswith("Слишком длинно: не больше 100 символов.")
    assert len(replies[-1]) < 300  # the text is not echoed back
    replies = await teacher.send("<b>Иванова</b> Анна")
    assert replies[-1].startswith("Используйте только буквы, пробелы и дефис.")
    assert "<b>Иванова" not in replies[-1]

    await teacher.send(NAME)
    replies = await teacher.send("x")
    assert replies[-1].startswith("Слишком коротко")
    assert QUESTION["position"] in replies[-1]
    replies = await teacher.send("учитель " * 20)
    assert replies[-1].startswith("Слишком длинно: не больше 120 символов.")
    replies = await teacher.send("учитель <script>")
    assert replies[-1].startswith("Используйте только буквы, цифры и обычные знаки препинания.")
    await teacher.click("Учитель")

    replies = await teacher.send("р" * 10_000)
    assert replies[-1].startswith("Слишком длинно: не больше 60 символов.")
    replies = await teacher.click(DONE)
    assert replies == ["Отметьте хотя бы один вариант."]
    # A typed name of a listed subject ticks that subject.
    await teacher.send("математика")
    assert "✓ Математика" in teacher.buttons()
    await teacher.click(DONE)

    replies = await teacher.send("пять")
    assert replies[-1].startswith("Отправьте целое число лет, например 5.")
    assert QUESTION["experience_years"] in replies[-1]
    replies = await teacher.send("61")
    assert replies[-1].startswith("Это больше 60 лет.")
    replies = await teacher.send("-3")
    assert replies[-1].startswith("Отправьте целое число лет")
    await teacher.send("10")

    replies = await teacher.send("11")
    assert replies[-1].startswith("Стаж в организации не может быть больше общего стажа (10).")
    assert QUESTION["organisation_years"] in replies[-1]
    replies = await teacher.send("1.5")
    assert replies[-1].startswith("Отправьте целое число лет")
    replies = await teacher.send("10")
    assert QUESTION["role"] in replies[-1]


async def test_at_most_eight_subjects(superadmin: TelegramClient, person: PersonFactory) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher)
    await teacher.send(NAME)
    await teacher.click("Методист")
    for subject in ("Русский язык", "Литература", "Математика", "Информатика", "Физика"):
        await teacher.click(subject)
    for subject in ("Астрономия", "Шахматы", "Робототехника"):
        await teacher.send(subject)
    replies = await teacher.click("Химия")
    assert replies == ["Не больше 8 предметов. Снимите отметку с одного, чтобы добавить другой."]
    replies = await teacher.send("Черчение")
    assert replies[-1].startswith("Не больше 8 предметов.")
    # A typed subject is unticked by its button, which makes room again.
    await teacher.click("✓ Шахматы")
    assert "✓ Шахматы" not in teacher.buttons()
    await teacher.click("Химия")
    await teacher.click(DONE)
    await teacher.send("20")
    await teacher.send("20")
    replies = await _mentee_to_summary(teacher)
    assert (
        "<b>Предметы:</b> Русский язык, Литература, Математика, Информатика, Физика, "
        "Астрономия, Робототехника, Химия" in replies[-1]
    )


async def test_back_goes_to_the_previous_question(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button="Наставляемый")
    await teacher.send(NAME)
    replies = await teacher.click(BACK)
    assert QUESTION["full_name"] in replies[-1]
    assert "Сейчас: Иванова Анна Сергеевна" in replies[-1]
    replies = await teacher.send("Иванова Анна")
    assert QUESTION["position"] in replies[-1]
    await teacher.click("Воспитатель")
    await teacher.click("Дошкольное образование")
    await teacher.click(DONE)
    replies = await teacher.click(BACK)  # from the experience question
    assert QUESTION["subjects"] in replies[-1]
    assert "✓ Дошкольное образование" in teacher.buttons()
    replies = await teacher.click(DONE)
    assert QUESTION["experience_years"] in replies[-1]
    await teacher.send("4")
    await teacher.send("2")
    # The invite set the role: Back from the category skips the role question.
    replies = await teacher.click(BACK)
    assert QUESTION["organisation_years"] in replies[-1]
    assert "Сейчас: 2" in replies[-1]
    replies = await teacher.send("3")
    assert QUESTION["mentee_category"] in replies[-1]
    await teacher.click("Новый сотрудник в коллективе")
    await teacher.click("Методическая")
    await teacher.click(DONE)
    await teacher.click("Очно")
    replies = await teacher.click(BACK)  # from the days
    assert QUESTION["meeting_format"] in replies[-1]
    assert "✓ Очно" in teacher.buttons()
    replies = await teacher.click("Онлайн")
    assert QUESTION["days"] in replies[-1]
    await teacher.click("Вт")
    await teacher.click(DONE)
    await teacher.click("15:00–18:00")
    replies = await teacher.click(DONE)
    assert QUESTION["summary"] in replies[-1]
    replies = await teacher.click(BACK)  # from the summary
    assert QUESTION["times"] in replies[-1]
    assert "✓ 15:00–18:00" in teacher.buttons()
    replies = await teacher.click(DONE)
    summary = replies[-1]
    assert "<b>ФИО:</b> Иванова Анна\n" in summary
    assert "<b>Должность:</b> Воспитатель" in summary
    assert "<b>Стаж в организации:</b> 3 года" in summary
    assert "<b>Формат встреч:</b> Онлайн" in summary


async def test_cancel_in_the_middle_keeps_nothing(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button=EITHER)
    await _up_to_role(teacher)
    replies = await teacher.send("/cancel")
    assert replies == ["Отменено. Ничего не сохранено."]
    assert await _state(dispatcher, bot, teacher) is None
    stored_person, profile = await _stored(app, 4001)
    assert stored_person.full_name is None
    assert profile is None
    # The form's old buttons do nothing now.
    assert await teacher.click("И то и другое") == [STALE]
    # /profile starts over, from the first question, with nothing remembered.
    replies = await teacher.send("/profile")
    assert "Вы ещё не заполнили профиль" in replies[0]
    assert QUESTION["full_name"] in replies[-1]
    assert "Сейчас:" not in replies[-1]

    # /cancel works at any step, the summary included.
    await _up_to_role(teacher)
    await teacher.click("Наставник: готов(а) помогать")
    await teacher.click("ИКТ-компетентность")
    await teacher.click(DONE)
    await _meeting_preferences(teacher)
    assert await _question(app, teacher) == "~"
    assert await teacher.send("/cancel") == ["Отменено. Ничего не сохранено."]
    assert await teacher.click(CONFIRM) == [STALE]
    _, profile = await _stored(app, 4001)
    assert profile is None


async def test_unexpected_input_asks_the_same_question_again(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button=EITHER)

    replies = await teacher.send_photo()
    assert replies[-1].startswith("Пожалуйста, ответьте текстом.")
    assert QUESTION["full_name"] in replies[-1]
    await teacher.send(NAME)
    replies = await teacher.send_sticker()
    assert replies[-1].startswith("Пожалуйста, выберите кнопку или ответьте текстом.")
    assert QUESTION["position"] in replies[-1]
    replies = await teacher.send("/nonsense")
    assert replies[-1].startswith("Эта команда не работает внутри анкеты.")
    assert QUESTION["position"] in replies[-1]
    # Commands of the routers before the form still work, and the form waits.
    replies = await teacher.send("/help")
    assert "/cancel" in replies[-1]
    assert await _question(app, teacher) == "position"
    await teacher.click("Учитель")
    await teacher.click("История")
    await teacher.click(DONE)
    await teacher.send("7")
    await teacher.send("7")

    replies = await teacher.send("наставник")  # text where a button is expected
    assert replies[-1].startswith("Пожалуйста, воспользуйтесь кнопками ниже.")
    assert QUESTION["role"] in replies[-1]
    assert "И то и другое" in teacher.buttons()
    replies = await teacher.send_photo()
    assert replies[-1].startswith("Пожалуйста, воспользуйтесь кнопками ниже.")
    replies = await teacher.send("/profile")  # known elsewhere, but not inside the form
    assert replies[-1].startswith("Эта команда не работает внутри анкеты.")
    await teacher.click("Наставляемый: мне нужна поддержка")
    await teacher.click("Профессиональные затруднения")
    replies = await teacher.send("методика")
    assert QUESTION["needed_domains"] in replies[-1]
    await teacher.click("Методическая")
    await teacher.click(DONE)
    await _meeting_preferences(teacher)
    replies = await teacher.send("да")
    assert replies[-1].startswith("Пожалуйста, воспользуйтесь кнопками ниже.")
    assert QUESTION["summary"] in replies[-1]
    replies = await teacher.send_sticker()
    assert QUESTION["summary"] in replies[-1]
    replies = await teacher.click(CONFIRM)
    assert "профиль сохранён" in replies[-1]


async def test_a_second_start_keeps_the_form(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button="Наставляемый")
    await teacher.send(NAME)
    await teacher.click("Учитель")
    # A second /start neither drops the half-filled answers nor greets a stranger: it reminds
    # them of the form and shows the question that was waiting, in one message.
    [reply] = await teacher.send("/start")
    assert "незаконченная анкета" in reply
    assert QUESTION["subjects"] in reply
    assert await _question(app, teacher) == "subjects"
    await teacher.click("Математика")
    assert "✓ Математика" in teacher.buttons()
    # The same invite link opened again: they are told they joined already; the form stays.
    code = await curator_invite(curator, "Наставляемый")
    replies = await teacher.send(f"/start {code}")
    assert "Вы уже участвуете" in replies[-1]
    assert "МБОУ «СОШ № 7»" in replies[-1]
    assert await _question(app, teacher) == "subjects"
    # Left with /cancel, /profile starts the form again from the beginning.
    await teacher.send("/cancel")
    replies = await teacher.send("/profile")
    assert QUESTION["full_name"] in replies[-1]
    assert "Сейчас:" not in replies[-1]
    replies = await _up_to_role(teacher)
    assert QUESTION["mentee_category"] in replies[-1]  # the invite's role is still respected
    await _mentee_to_summary(teacher)
    await teacher.click(CONFIRM)
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.role == ProfileRole.MENTEE


async def test_editing_from_the_summary(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button=EITHER)
    await _up_to_role(teacher)
    await _mentee_to_summary(teacher)

    replies = await teacher.click("✏️ Должность")
    assert QUESTION["position"] in replies[-1]
    assert "Сейчас: Учитель" in replies[-1]
    assert "✓ Учитель" in teacher.buttons()
    replies = await teacher.click("Методист")
    assert QUESTION["summary"] in replies[-1]
    assert "<b>Должность:</b> Методист" in replies[-1]

    # A typed answer with quotes is shown escaped, never as markup.
    await teacher.click("✏️ Должность")
    replies = await teacher.send('Учитель "музыки"')
    assert "<b>Должность:</b> Учитель &#34;музыки&#34;" in replies[-1]

    # The first question has a Back button when it is edited: it returns to the summary.
    replies = await teacher.click("✏️ ФИО")
    assert BACK in teacher.buttons()
    replies = await teacher.click(BACK)
    assert "<b>ФИО:</b> Иванова Анна Сергеевна" in replies[-1]

    # Back abandons a half-made change.
    await teacher.click("✏️ Дни")
    await teacher.click("Сб")
    await teacher.click("✓ Пн")
    replies = await teacher.click(BACK)
    assert "<b>Дни:</b> Пн, Чт" in replies[-1]

    # A smaller total experience asks for the years here again, then comes back.
    await teacher.click("✏️ Педагогический стаж")
    replies = await teacher.send("3")
    assert QUESTION["organisation_years"] in replies[-1]
    replies = await teacher.send("2")
    assert "<b>Педагогический стаж:</b> 3 года" in replies[-1]
    assert "<b>Стаж в организации:</b> 2 года" in replies[-1]

    # A new role asks what the new role needs, then comes back.
    await teacher.click("✏️ Роль")
    replies = await teacher.click("И то и другое")
    assert QUESTION["offered_domains"] in replies[-1]
    await teacher.click("Цифровизация образования")
    replies = await teacher.click(DONE)
    assert "<b>Роль:</b> Наставник и наставляемый" in replies[-1]
    assert "<b>Могу помочь:</b> Цифровизация образования" in replies[-1]

    await teacher.click(CONFIRM)
    _, profile = await _stored(app, 4001)
    assert profile is not None
    assert profile.position == 'Учитель "музыки"'
    assert profile.role == ProfileRole.BOTH
    assert profile.offered_domains == ["digital"]
    assert (profile.experience_years, profile.organisation_years) == (3, 2)
    assert profile.days == ["mon", "thu"]


async def test_profile_view_and_edit(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    teacher = await _saved_mentee(superadmin, person)
    replies = await teacher.send("/profile")
    assert "<b>Ваш профиль</b>" in replies[-1]
    assert "<b>ФИО:</b> Иванова Анна Сергеевна" in replies[-1]
    assert "Наставляемых одновременно" not in replies[-1]  # mentees have no capacity
    assert "✏️ ФИО" in teacher.buttons()
    assert "✏️ Могу помочь" not in teacher.buttons()
    assert not any(label in teacher.buttons() for label in ("0", "5", "📅 Недоступен(на) до…"))

    replies = await teacher.click("✏️ ФИО")
    assert QUESTION["full_name"] in replies[-1]
    replies = await teacher.send("Иванова-Петрова Анна")
    assert replies[-1].startswith("Сохранено.")
    assert "<b>ФИО:</b> Иванова-Петрова Анна" in replies[-1]
    assert await _state(dispatcher, bot, teacher) is None
    stored_person, _ = await _stored(app, 4001)
    assert stored_person.full_name == "Иванова-Петрова Анна"

    await teacher.click("✏️ Дни")
    await teacher.click("Сб")
    replies = await teacher.click(DONE)
    assert "<b>Дни:</b> Пн, Чт, Сб" in replies[-1]
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.days == ["mon", "thu", "sat"]

    # Back from an edit changes nothing.
    await teacher.click("✏️ Предметы")
    await teacher.click("✓ Физика")
    replies = await teacher.click(BACK)
    assert "<b>Предметы:</b> Математика, Физика" in replies[-1]
    assert await _state(dispatcher, bot, teacher) is None
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.subjects == ["Математика", "Физика"]

    # A wrong answer in an edit is explained as in the form, and nothing is saved until it is right.
    await teacher.click("✏️ Стаж здесь")
    replies = await teacher.send("40")
    assert replies[-1].startswith("Стаж в организации не может быть больше общего стажа (12).")
    replies = await teacher.send("12")
    assert "<b>Стаж в организации:</b> 12 лет" in replies[-1]

    # Becoming a mentor too asks for what they can help with before saving.
    await teacher.click("✏️ Роль")
    replies = await teacher.click("И то и другое")
    assert QUESTION["offered_domains"] in replies[-1]
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.role == ProfileRole.MENTEE
    await teacher.click("Методическая")
    replies = await teacher.click(DONE)
    assert "<b>Роль:</b> Наставник и наставляемый" in replies[-1]
    assert "<b>Наставляемых одновременно:</b> 2 (по умолчанию)" in replies[-1]
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.role == ProfileRole.BOTH
    async with app.database.read() as db:
        actions = [entry.action for entry in await db.scalars(select(AuditEntry))]
    assert "profile.updated" in actions


async def test_mentor_capacity_and_unavailability(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    clock: FakeClock,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    teacher = await _saved_mentor(superadmin, person)
    replies = await teacher.send("/profile")
    assert "<b>Наставляемых одновременно:</b> 2 (по умолчанию)" in replies[-1]
    assert teacher.buttons()[-7:] == ["0", "1", "✓ 2", "3", "4", "5", "📅 Недоступен(на) до…"]

    replies = await teacher.click("0")
    assert replies[-1] == "Сохранено."  # the press is answered after the profile is redrawn
    assert "<b>Наставляемых одновременно:</b> 0 — сейчас не беру наставляемых" in replies[0]
    assert "✓ 0" in teacher.buttons()
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.capacity == 0
    await teacher.click("4")
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.capacity == 4

    replies = await teacher.click("📅 Недоступен(на) до…")
    assert "ДД.ММ.ГГГГ, например 15.09.2026" in replies[-1]
    assert await _state(dispatcher, bot, teacher) == ProfileAvailability.unavailable_until.state
    replies = await teacher.send("завтра")
    assert replies[-1].startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    replies = await teacher.send("31.02.2027")
    assert replies[-1].startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    replies = await teacher.send("01.09.2026")
    assert replies[-1].startswith("Эта дата уже прошла.")
    replies = await teacher.send("15.08.2026")
    assert replies[-1].startswith("Эта дата уже прошла.")
    replies = await teacher.send("03.09.2027")
    assert replies[-1].startswith("Это больше чем через год.")
    replies = await teacher.send_photo()
    assert replies[-1].startswith("Отправьте дату в формате ДД.ММ.ГГГГ.")
    replies = await teacher.send("/nonsense")
    assert replies[-1].startswith("Эта команда не работает")
    replies = await teacher.send("15.10.2026")
    assert replies[-1].startswith("Сохранено.")
    assert "<b>Недоступен(на) до:</b> 15.10.2026" in replies[-1]
    assert await _state(dispatcher, bot, teacher) is None
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.unavailable_until == date(2026, 10, 15)

    # Changing the date shows the current one and offers to clear it; Back leaves it as it is.
    replies = await teacher.click("📅 Недоступен(на) до…")
    assert "Сейчас: 15.10.2026" in replies[-1]
    assert teacher.buttons() == ["Снять дату", BACK]
    replies = await teacher.click(BACK)
    assert "<b>Недоступен(на) до:</b> 15.10.2026" in replies[-1]
    assert await _state(dispatcher, bot, teacher) is None
    replies = await teacher.click("Снять дату")
    assert replies[-1].startswith("Дата снята.")
    assert "Недоступен(на) до:" not in replies[-1]
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.unavailable_until is None

    # "Today" is the organisation's (Krasnoyarsk, UTC+7): at 20:00 UTC it is already tomorrow.
    clock.advance(hours=14)
    await teacher.click("📅 Недоступен(на) до…")
    replies = await teacher.send("02.09.2026")
    assert replies[-1].startswith("Эта дата уже прошла.")
    replies = await teacher.send("/profile")  # leaves the date question
    assert "<b>Ваш профиль</b>" in replies[-1]
    assert await _state(dispatcher, bot, teacher) is None


async def test_stale_and_forged_buttons_change_nothing(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    curator, teacher = person(2001), person(4001)
    await consented_teacher(superadmin, curator, teacher, role_button=EITHER)

    def forged(action: str, value: str = "") -> str:
        return ProfileCallback(action=action, value=value).pack()

    def form(question: str, value: str) -> str:
        return FormAnswerCallback(question=question, value=value).pack()

    # At the first question: answers to later questions, Back, unknown values, the summary's.
    for data in (
        form("role", "mentee"),
        form("full_name", "back"),
        form("position", "back"),
        form("subjects", "done"),
        form("~", "save"),
        form("~", "e.position"),
        form("full_name", "nonsense"),
        forged("cap", "3"),
        forged("nonsense"),
        "pf:pos",
        "fa:full_name",
    ):
        assert await teacher.press(data) == [STALE], data
    assert await _question(app, teacher) == "full_name"

    await teacher.send(NAME)
    for data in (
        form("position", "astronaut"),
        form("subjects", "math"),
        form("role", "mentor"),
    ):
        assert await teacher.press(data) == [STALE], data
    await teacher.click("Учитель")
    assert await teacher.press(form("subjects", "alchemy")) == [STALE]
    assert await teacher.press(form("subjects", "x0")) == [STALE]  # no typed subject yet
    assert await teacher.press(form("subjects", "x-1")) == [STALE]
    assert await teacher.click("Методист") == [STALE]  # the position question is answered
    await teacher.click("Химия")
    await teacher.click(DONE)
    await teacher.send("5")
    await teacher.send("5")
    assert await teacher.press(form("role", "king")) == [STALE]
    await teacher.click("Наставник: готов(а) помогать")
    # A needed-domain button at the offered-domain question is not for this question.
    assert await teacher.press(form("needed_domains", "ict")) == [STALE]
    assert await teacher.press(form("offered_domains", "astrology")) == [STALE]
    assert await teacher.press(form("needed_domains", "done")) == [STALE]
    assert await teacher.press(form("mentee_category", "young_specialist")) == [STALE]
    await teacher.click("ИКТ-компетентность")
    await teacher.click(DONE)
    await _meeting_preferences(teacher)
    assert await teacher.press(form("~", "e.mentee_category")) == [STALE]  # not a mentee
    assert await teacher.press(form("~", "e.capacity")) == [STALE]
    await teacher.click(CONFIRM)
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.offered_domains == ["ict"]

    # After saving, a second Confirm is calmly told it is done; the form's other buttons are
    # stale and the profile's are checked.
    assert await teacher.click(CONFIRM) == [ALREADY]
    assert await teacher.press(form("~", "back")) == [STALE]
    assert await teacher.press(forged("cap", "6")) == [STALE]
    assert await teacher.press(forged("cap", "x")) == [STALE]
    assert await teacher.press(forged("pedit", "full_name_x")) == [STALE]
    assert await teacher.press(forged("pedit", "mentee_category")) == [STALE]
    _, profile = await _stored(app, 4001)
    assert profile is not None and profile.capacity is None

    # A mentee has no capacity: the service refuses a forged capacity button.
    mentee = await _saved_mentee(superadmin, person, telegram_id=4002)
    assert await mentee.press(forged("cap", "3")) == ["Это вам недоступно."]
    assert await mentee.press(forged("until")) == ["Это вам недоступно."]
    assert await mentee.press(forged("clear")) == ["Это вам недоступно."]
    # Someone who never joined has no profile to change.
    stranger = person(4999)
    assert await stranger.press(forged("pedit", "full_name")) == [STALE]
    assert await stranger.press(forged("cap", "1")) == [STALE]


async def test_profile_needs_a_participant_who_consented(
    superadmin: TelegramClient,
    person: PersonFactory,
    session: RecordingSession,
    dispatcher: Dispatcher,
    bot: Bot,
) -> None:
    stranger = person(4999)
    replies = await stranger.send("/profile")
    assert replies == [
        "Профиль заполняют участники программы наставничества. Чтобы присоединиться, откройте "
        "ссылку-приглашение от куратора программы."
    ]
    curator = person(2001)
    await consented_teacher(superadmin, curator, person(4001))
    replies = await curator.send("/profile")  # a curator is not a participant
    assert "Профиль заполняют участники" in replies[-1]

    code = await curator_invite(curator, "Наставляемый")
    teacher = person(4002)
    await teacher.send(f"/start {code}")
    replies = await teacher.send("/profile")
    assert replies[0].startswith("Сначала, пожалуйста, ответьте на запрос согласия")
    assert not any(QUESTION["full_name"] in text for text in replies)
    assert await _state(dispatcher, bot, teacher) is None
    replies = await teacher.press(ProfileCallback(action="pedit", value="full_name").pack())
    # The press is answered last, after the consent request it points to.
    assert replies[-1].startswith("Сначала, пожалуйста, ответьте на запрос согласия")
    assert await _state(dispatcher, bot, teacher) is None
    sent = [m for m in session.requests if isinstance(m, SendMessage)]
    assert not any(QUESTION["full_name"] in m.text for m in sent if int(m.chat_id) == 4002)


async def test_a_saved_profile_is_not_asked_again_after_a_renewed_consent(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    teacher = await _saved_mentee(superadmin, person)
    curator = person(2001)
    await curator.send("/consent")
    await curator.click("5 лет")
    # The gate's notice and the consent's introduction are one message, the document another.
    notice, _document = await teacher.send("/profile")
    assert "изменился" in notice
    [reply] = await teacher.click("✅ Я согласен(на)")
    assert "записано" in reply
    assert "Ваш профиль уже заполнен" in reply
    _, profile = await _stored(app, 4001)
    assert profile is not None


async def test_onboarding_never_sends_more_than_two_messages_per_update(
    superadmin: TelegramClient, person: PersonFactory, app: Application, session: RecordingSession
) -> None:
    """Invite link → consent → agree → the whole profile: at most two new messages in reply to
    any one update (the welcome with the consent's introduction, and the consent document)."""
    curator, teacher = person(2001), person(4001)
    await make_curator(superadmin, curator)
    code = await curator_invite(curator, "Наставляемый")
    per_update: list[tuple[str, int]] = []
    feed = teacher.feed

    async def counting_feed(update: Update) -> None:
        before = len(session.requests)
        await feed(update)
        sent = [
            method
            for method in session.requests[before:]
            if isinstance(method, SendMessage | SendDocument) and int(method.chat_id) == 4001
        ]
        query = update.callback_query
        action = update.message.text if update.message else query.data if query else None
        per_update.append((str(action), len(sent)))

    teacher.feed = counting_feed  # type: ignore[method-assign]
    await teacher.send(f"/start {code}")
    await teacher.click("✅ Я согласен(на)")
    await _up_to_role(teacher)
    await _mentee_to_summary(teacher)
    replies = await teacher.click(CONFIRM)
    assert any("сохран" in reply.lower() for reply in replies), replies
    _, profile = await _stored(app, 4001)
    assert profile is not None
    assert len(per_update) >= 15
    assert per_update[0][1] == 2  # the welcome with the consent's introduction, the document
    assert max(count for _, count in per_update) <= 2, per_update
