"""/questionnaires as a curator uses it — the list, one questionnaire, its file, a new version
uploaded in the chat (and a broken file answered in words), a preview — and a participant
answering one: as they go, leaving and coming back, once only, and not past its deadline."""

from __future__ import annotations

import json
from datetime import timedelta

import yaml
from sqlalchemy import select

from bot.app import Application
from bot.telegram.callbacks import ResponseCallback
from models import AuditEntry, Questionnaire, QuestionnaireResponse
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient
from tests.flows.helpers import curator_invite, join_with_consent, make_curator
from tests.flows.test_form_memory import _person_id

PULSE = "Пульс наставнической пары"


async def _curator(superadmin: TelegramClient, person: PersonFactory) -> TelegramClient:
    curator = person(2001)
    await make_curator(superadmin, curator)
    return curator


async def _organisation_id(app: Application, telegram_id: int) -> int:
    person_id = await _person_id(app, telegram_id)
    organisations = await app.services.organisations.curated(person_id)
    return organisations[0].id


async def test_the_curator_sees_the_built_in_questionnaires(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    curator = await _curator(superadmin, person)

    [listing] = await curator.send("/questionnaires")

    assert "Анкеты: МБОУ «СОШ № 7»" in listing
    for title in (PULSE, "Входная диагностика", "Анкета удовлетворённости наставляемого"):
        assert title in listing
    assert "встроенная" in listing
    assert "⬆️ Загрузить файл" in curator.buttons()

    [card] = await curator.click(PULSE)
    assert "pulse" in card
    assert "Как идёт работа в вашей наставнической паре?" in card
    assert "шкала 1–5" in card
    assert curator.buttons() == [
        "👁 Посмотреть как участник",
        "📊 Итоги за учебный год",
        "⬇️ Скачать файл",
        "« Все анкеты",
    ]


async def test_a_downloaded_file_comes_back_as_a_new_version(
    superadmin: TelegramClient, person: PersonFactory, session: RecordingSession, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    await curator.send("/questionnaires")
    await curator.click(PULSE)
    await curator.click("⬇️ Скачать файл")
    [(chat_id, name, content)] = session.documents
    assert chat_id == 2001
    assert name == "pulse.v1.yaml"

    data = yaml.safe_load(content.decode())
    data["version"] = 2
    data["title"]["ru"] = "Пульс пары <школа & сад>"
    await curator.click("« Все анкеты")
    await curator.click("⬆️ Загрузить файл")
    [saved] = await curator.send_document(
        yaml.safe_dump(data, allow_unicode=True).encode(), "pulse.yaml"
    )

    assert "Сохранено" in saved
    assert "Пульс пары &lt;школа &amp; сад&gt;" in saved  # the curator's text, escaped
    async with app.database.read() as db:
        versions = (
            await db.scalars(
                select(Questionnaire.version)
                .where(Questionnaire.code == "pulse")
                .order_by(Questionnaire.version)
            )
        ).all()
        audit = await db.scalar(
            select(AuditEntry).where(AuditEntry.action == "questionnaire.uploaded")
        )
    assert versions == [1, 2]
    assert audit is not None and audit.details["version"] == 2

    [listing] = await curator.send("/questionnaires")
    assert "Пульс пары &lt;школа &amp; сад&gt;" in listing
    assert "версия 2 · своя" in listing


async def test_a_broken_file_is_answered_with_every_problem_in_words(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    await curator.send("/questionnaires")
    await curator.click("⬆️ Загрузить файл")
    broken = """
id: my_survey
version: 1
audience: mentee
title: {ru: "Моя анкета", en: "My survey"}
questions:
  - id: score
    kind: scale
    text: {ru: "Оценка", en: "Score"}
    min: 1
    max: 12
  - id: why
    kind: text
    text: {ru: "Почему?"}
    colour: red
"""
    [answer] = await curator.send_document(broken.encode(), "my.yaml")

    assert "Файл my.yaml не сохранён" in answer
    assert "<i>вопрос score</i>: шкала идёт от 0 или 1 максимум до 10" in answer
    assert "<i>вопрос why, text.en</i>: поле отсутствует" in answer
    assert "<i>вопрос why, colour</i>: неизвестное поле" in answer

    [again] = await curator.send_document(b"id: [unclosed", "my.yaml")
    assert "не является правильным YAML (строка 1)" in again

    [hint] = await curator.send("просто текст")
    assert "файлом .yaml" in hint
    async with app.database.read() as db:
        assert (
            await db.scalar(select(Questionnaire).where(Questionnaire.code == "my_survey"))
        ) is None


async def test_the_same_version_again_is_refused(
    superadmin: TelegramClient, person: PersonFactory, session: RecordingSession
) -> None:
    curator = await _curator(superadmin, person)
    await curator.send("/questionnaires")
    await curator.click(PULSE)
    await curator.click("⬇️ Скачать файл")
    [(_chat, _name, content)] = session.documents
    await curator.click("« Все анкеты")
    await curator.click("⬆️ Загрузить файл")

    [answer] = await curator.send_document(content, "pulse.yaml")

    assert "версия должна быть выше текущей (1)" in answer


async def test_a_preview_runs_the_questionnaire_and_stores_nothing(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    await curator.send("/questionnaires")
    await curator.click(PULSE)
    [first] = await curator.click("👁 Посмотреть как участник")
    assert "Предпросмотр" in first
    assert "Вопрос 1 из 2" in first
    assert "1 — Очень плохо, 5 — Отлично" in first
    await curator.click("4")
    await curator.click("⏭ Пропустить")
    [done] = await curator.click("💾 Сохранить")
    assert "предпросмотр" in done
    async with app.database.read() as db:
        assert (await db.scalars(select(QuestionnaireResponse))).all() == []


async def test_a_teacher_cannot_open_questionnaires(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    curator = await _curator(superadmin, person)
    teacher = person(4001)
    await join_with_consent(teacher, await curator_invite(curator, "Наставляемый"))
    await teacher.send("/cancel")

    replies = await teacher.send("/questionnaires")

    assert "не куратор" in replies[-1] or "недоступно" in replies[-1]


async def _teacher_with_response(
    superadmin: TelegramClient, person: PersonFactory, app: Application, **options: object
) -> tuple[TelegramClient, int]:
    curator = await _curator(superadmin, person)
    teacher = person(4001)
    await join_with_consent(teacher, await curator_invite(curator, "Наставляемый"))
    await teacher.send("/cancel")
    person_id = await _person_id(app, 4001)
    organisation_id = await _organisation_id(app, 2001)
    response = await app.services.answers.begin(
        person_id,
        organisation_id,
        "satisfaction_mentee",
        subject="test:1",
        respondent_role="mentee",
        **options,  # type: ignore[arg-type]
    )
    return teacher, response.id


async def test_answers_are_kept_as_given_and_the_person_goes_on_where_they_stopped(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    teacher, response_id = await _teacher_with_response(superadmin, person, app)

    [first] = await teacher.press(ResponseCallback(response_id=response_id).pack())
    assert "Вопрос 1 из 9" in first
    await teacher.click("8")
    await teacher.click("9")
    [left] = await teacher.send("/cancel")
    assert "Вы вышли из анкеты" in left and "сохранены" in left
    async with app.database.read() as db:
        row = await db.get(QuestionnaireResponse, response_id)
    assert row is not None and row.answers == {"comfort": 8, "usefulness": 9}
    assert row.submitted_at is None

    [again] = await teacher.press(ResponseCallback(response_id=response_id).pack())
    assert "продолжим с того места" in again
    assert "Вопрос 3 из 9" in again


async def test_a_questionnaire_is_submitted_once(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    teacher, response_id = await _teacher_with_response(superadmin, person, app)
    await teacher.press(ResponseCallback(response_id=response_id).pack())
    for score in ("8", "9", "7", "6", "10", "5", "9"):
        await teacher.click(score)
    await teacher.send("Разбор уроков <вместе> & обратная связь")
    await teacher.click("⏭ Пропустить")
    [thanks] = await teacher.click("💾 Сохранить")
    assert "Спасибо" in thanks

    async with app.database.read() as db:
        row = await db.get(QuestionnaireResponse, response_id)
    assert row is not None and row.submitted_at is not None
    assert row.answers["overall"] == 9
    assert row.answers["most_valuable"] == "Разбор уроков <вместе> & обратная связь"
    assert row.answers["missing"] is None

    [refused] = await teacher.press(ResponseCallback(response_id=response_id).pack())
    assert "уже ответили" in refused


async def test_a_questionnaire_past_its_deadline_says_so(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    deadline = app.clock.now() + timedelta(days=2)
    teacher, response_id = await _teacher_with_response(superadmin, person, app, deadline=deadline)
    app.clock.advance(days=3)  # type: ignore[attr-defined]

    [closed] = await teacher.press(ResponseCallback(response_id=response_id).pack())

    assert "срок" in closed


async def test_someone_elses_response_cannot_be_opened(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _teacher, response_id = await _teacher_with_response(superadmin, person, app)
    stranger = person(4002)
    await stranger.send("/start")

    [refused] = await stranger.press(ResponseCallback(response_id=response_id).pack())

    assert "недоступна" in refused


async def test_own_answers_are_in_the_download_and_gone_after_withdrawal(
    superadmin: TelegramClient, person: PersonFactory, app: Application, session: RecordingSession
) -> None:
    teacher, response_id = await _teacher_with_response(superadmin, person, app)
    await teacher.press(ResponseCallback(response_id=response_id).pack())
    await teacher.click("7")
    await teacher.send("/cancel")

    await teacher.send("/privacy")
    await teacher.click("📥 Скачать мои данные")
    [(_chat, _name, content)] = session.documents
    [answered] = json.loads(content)["questionnaires"]
    assert answered["questionnaire"] == "satisfaction_mentee"
    assert answered["answers"] == {"comfort": 7}
    assert answered["submitted_at"] is None

    await teacher.send("/privacy")
    await teacher.click("Отозвать согласие")
    await teacher.click("Да, отозвать")
    async with app.database.read() as db:
        assert await db.get(QuestionnaireResponse, response_id) is None


EVERY_KIND = """
id: every_kind
version: 1
audience: mentee
title: {ru: "Все виды вопросов", en: "Every kind"}
questions:
  - id: met
    kind: yes_no
    text: {ru: "Вы встречались?", en: "Did you meet?"}
  - id: why_not
    kind: text
    text: {ru: "Что помешало?", en: "What got in the way?"}
    max_length: 50
    show_if: {question: met, equals: ["no"]}
  - id: hours
    kind: number
    text: {ru: "Сколько часов?", en: "How many hours?"}
    min: 0
    max: 40
  - id: topics
    kind: multi
    text: {ru: "Темы", en: "Topics"}
    max_choices: 2
    other: true
    options:
      - {id: lessons, text: {ru: "Уроки", en: "Lessons"}}
      - {id: parents, text: {ru: "Родители", en: "Parents"}}
      - {id: papers, text: {ru: "Документы", en: "Papers"}}
  - id: mood
    kind: choice
    text: {ru: "Настроение", en: "Mood"}
    options:
      - {id: good, text: {ru: "Хорошее", en: "Good"}}
      - {id: bad, text: {ru: "Плохое", en: "Bad"}}
  - id: score
    kind: scale
    text: {ru: "Оценка", en: "Score"}
    min: 0
    max: 10
  - id: story
    kind: long_text
    text: {ru: "Расскажите", en: "Tell us"}
    required: false
"""


async def test_every_kind_of_question_and_a_show_if(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    await curator.send("/questionnaires")
    await curator.click("⬆️ Загрузить файл")
    [saved] = await curator.send_document(EVERY_KIND.encode(), "every.yaml")
    assert "Сохранено" in saved

    [first] = await curator.click("👁 Посмотреть как участник")
    assert "Вопрос 1 из 6" in first  # the show-if question is not counted yet
    [why] = await curator.click("Нет")
    assert "Что помешало?" in why and "Вопрос 2 из 7" in why
    [too_long] = await curator.send("я" * 51)
    assert "не больше 50 символов" in too_long
    await curator.send("Болел")
    [bounds] = await curator.send("41")
    assert "больше 40" in bounds
    await curator.send("3")
    await curator.click("Уроки")
    await curator.click("Родители")
    [limit] = await curator.click("Документы")
    assert limit == "Можно выбрать не больше 2."
    await curator.click("✅ Готово")
    [typed] = await curator.send("Хорошее")  # the words of a button count as pressing it
    assert "Оценка" in typed
    assert curator.buttons()[:6] == ["0", "1", "2", "3", "4", "5"]
    await curator.click("10")
    [summary] = await curator.click("⏭ Пропустить")
    assert "Проверьте ответы" in summary
    assert "Уроки, Родители" in summary
    assert "10 / 10" in summary


async def test_a_new_version_does_not_change_an_answer_in_progress(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    session: RecordingSession,
) -> None:
    teacher, response_id = await _teacher_with_response(superadmin, person, app)
    await teacher.press(ResponseCallback(response_id=response_id).pack())
    await teacher.click("7")
    await teacher.send("/cancel")
    curator = person(2001)
    await curator.send("/questionnaires")
    await curator.click("Анкета удовлетворённости наставляемого")
    await curator.click("⬇️ Скачать файл")
    data = yaml.safe_load(session.documents[-1][2].decode())
    data["version"] = 2
    data["questions"] = data["questions"][:2]  # a shorter questionnaire from now on
    await curator.click("« Все анкеты")
    await curator.click("⬆️ Загрузить файл")
    await curator.send_document(yaml.safe_dump(data, allow_unicode=True).encode(), "s.yaml")

    [resumed] = await teacher.press(ResponseCallback(response_id=response_id).pack())
    assert "Вопрос 2 из 9" in resumed  # still the version it began with
    async with app.database.read() as db:
        row = await db.get(QuestionnaireResponse, response_id)
        assert row is not None
        version = await db.scalar(
            select(Questionnaire.version).where(Questionnaire.id == row.questionnaire_id)
        )
    assert version == 1


async def test_a_file_telegram_fails_to_give_is_retried_then_asked_again(
    superadmin: TelegramClient,
    person: PersonFactory,
    session: RecordingSession,
    app: Application,
    clock: FakeClock,
) -> None:
    curator = await _curator(superadmin, person)
    await curator.send("/questionnaires")
    await curator.click("⬆️ Загрузить файл")

    session.download_failures = 2  # two network errors, then it comes
    [saved] = await curator.send_document(EVERY_KIND.encode(), "every.yaml")
    assert "Сохранено" in saved
    assert clock.slept[-2:] == [1.0, 2.0]  # the reply path's back-off, no real sleeping

    await curator.click("« Все анкеты")
    await curator.click("⬆️ Загрузить файл")
    session.download_failures = 10
    [again] = await curator.send_document(
        EVERY_KIND.replace("version: 1", "version: 2").encode(), "every.yaml"
    )
    assert "Пожалуйста, пришлите его ещё раз" in again
