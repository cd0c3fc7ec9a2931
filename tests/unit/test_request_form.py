"""The /request form on the one engine: its questions in order, its rules, its stored data, its
words and buttons."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.telegram.callbacks import FileForCallback
from bot.telegram.i18n import create_i18n
from bot.telegram.keyboards import forms as form_keyboards
from bot.telegram.keyboards import requests as keyboards
from bot.telegram.request_forms import REQUEST, problem_text, request_options
from models import MeetingFormat, MentoringType, Urgency
from services.core.errors import StaleAction, ValidationFailed
from services.forms import flow
from services.forms.definitions import FormSpec
from services.forms.flow import Progress
from services.requests.draft import RequestDraft, answers_of, draft_from_answers

TODAY = date(2026, 9, 1)

COMPLETE = RequestDraft(
    topics=("teaching_methods",),
    difficulty="Дети шумят на уроках.",
    hopes="Спокойный класс.",
    meeting_format=MeetingFormat.ONLINE,
    mentoring_type=MentoringType.SHORT_TERM,
    group_ok=False,
    urgency=Urgency.MONTH,
)


@pytest.fixture
def russian() -> Iterator[I18n]:
    i18n = create_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        yield i18n


def _labels(markup: InlineKeyboardMarkup | None) -> list[str]:
    assert markup is not None
    return [button.text for row in markup.inline_keyboard for button in row]


def _data(markup: InlineKeyboardMarkup | None) -> list[str]:
    assert markup is not None
    return [button.callback_data or "" for row in markup.inline_keyboard for button in row]


def _progress(answers: dict[str, object] | None = None) -> Progress:
    return Progress(
        id=1,
        person_id=1,
        form_id=REQUEST.id,
        context={"purpose": "request", "options": request_options()},
        answers=dict(answers or {}),
        current="topics",
        reviewing=False,
        shown_message_id=10,
        step=0,
    )


def test_the_form_goes_through_the_questions_in_order(russian: I18n) -> None:
    spec, progress = REQUEST.with_options(request_options()), _progress()
    assert flow.previous(spec, progress) is None  # the first question has no Back
    for code in ("parents", "subject_content"):
        flow.answer(spec, progress, "topics", code, today=TODAY)
    flow.done(spec, progress, "topics")
    flow.answer(spec, progress, "difficulty", "  Трудно\r\n\n\n\nочень  ", today=TODAY)
    assert progress.answers["difficulty"] == "Трудно\n\nочень"
    flow.answer(spec, progress, "hopes", "Научиться", today=TODAY)
    flow.answer(spec, progress, "meeting_format", "in_person", today=TODAY)
    flow.answer(spec, progress, "mentoring_type", "situational", today=TODAY)
    flow.answer(spec, progress, "group_ok", "yes", today=TODAY)
    assert progress.current == "urgency"
    assert flow.position(spec, progress) == (7, 7)
    flow.answer(spec, progress, "urgency", "this_week", today=TODAY)
    assert progress.current is None
    draft = draft_from_answers(progress.answers)
    # Stored in the order of the buttons, whatever the order of the taps.
    assert draft.topics == ("subject_content", "parents")
    assert draft.group_ok is True
    draft.validate()
    assert draft_from_answers(answers_of(draft)) == draft


def test_stale_or_forged_values_are_refused(russian: I18n) -> None:
    spec, progress = REQUEST.with_options(request_options()), _progress()
    with pytest.raises(ValidationFailed):
        flow.answer(spec, progress, "topics", "alchemy", today=TODAY)
    with pytest.raises(StaleAction):  # not the question on screen
        flow.answer(spec, progress, "urgency", "this_week", today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        flow.done(spec, progress, "topics")
    assert caught.value.reason == "empty"
    assert progress.answers == {}


def test_typed_answers_are_checked(russian: I18n) -> None:
    spec = REQUEST.with_options(request_options())
    progress = _progress({"topics": ["parents"], "difficulty": "Трудно"})
    progress.current = "hopes"
    for text, reason in (
        ("ab", "too_short"),
        ("  \n ", "empty"),
        ("\u200b\u200b\u200b", "empty"),
        ("\x00\x01\u200f", "empty"),
        ("я" * 1001, "too_long"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            flow.answer(spec, progress, "hopes", text, today=TODAY)
        assert caught.value.reason == reason
    assert "hopes" not in progress.answers
    flow.answer(spec, progress, "hopes", "я" * 1000, today=TODAY)
    assert progress.answers["hopes"] == "я" * 1000


def test_problem_texts_name_the_limit_and_the_length(russian: I18n) -> None:
    difficulty, hopes = REQUEST.question("difficulty"), REQUEST.question("hopes")
    assert problem_text(difficulty, "too_short", " a ") == (
        "Слишком коротко: 1 символ. Напишите хотя бы 3."
    )
    assert problem_text(hopes, "too_long", "я" * 1002).startswith(
        "Слишком длинно: 1002 символа, а можно не больше 1000."
    )
    with russian.use_locale("en"):
        assert problem_text(hopes, "too_long", "x" * 1005) == (
            "That is too long: 1005 characters, and at most 1000 fit. Please shorten it."
        )


def test_an_edit_from_the_summary_can_be_undone(russian: I18n) -> None:
    spec = REQUEST.with_options(request_options())
    progress = _progress(answers_of(COMPLETE))
    progress.current, progress.reviewing = None, True
    flow.edit(spec, progress, "topics")
    assert flow.can_go_back(spec, progress)
    flow.answer(spec, progress, "topics", "parents", today=TODAY)
    # Through a JSON storage, as the database keeps it.
    progress.context = json.loads(json.dumps(progress.context))
    flow.back(spec, progress, "topics")
    assert progress.current is None
    assert draft_from_answers(progress.answers) == COMPLETE
    assert progress.editing is None
    assert FormSpec.from_data(json.loads(json.dumps(REQUEST.to_data()))) == REQUEST


def test_summary_buttons_are_named_by_field(russian: I18n) -> None:
    edits = [(question.id, _(question.short_label or "")) for question in REQUEST.questions]
    markup = form_keyboards.summary_keyboard(edits, confirm="✅ Отправить")
    labels = _labels(markup)
    assert labels[:3] == ["✅ Отправить", "✏️ Темы", "✏️ Трудности"]
    assert "✏️ Срочность" in labels
    assert all(len(data.encode()) <= 64 for data in _data(markup))


def test_the_mentee_list_is_paged_by_ten(russian: I18n) -> None:
    mentees = [(number, f"Учитель {number:02d}") for number in range(1, 24)]
    shown, page, pages = keyboards.mentee_page(mentees, 0)
    assert (len(shown), page, pages) == (10, 0, 3)
    shown, page, pages = keyboards.mentee_page(mentees, 2)
    assert (shown, page) == (mentees[20:], 2)
    # The list shrank since the button was drawn: the last page instead.
    assert keyboards.mentee_page(mentees[:5], 2) == (mentees[:5], 0, 1)
    assert keyboards.mentee_page([], 0) == ([], 0, 1)

    markup = keyboards.file_for_keyboard(9, mentees[10:20], page=1, pages=3)
    labels = _labels(markup)
    assert labels[0] == "Учитель 11"
    assert labels[-2:] == ["◀️ Назад", "Далее ▶️"]
    data = _data(markup)
    assert FileForCallback.unpack(data[0]) == FileForCallback(organisation_id=9, mentee_id=11)
    assert FileForCallback.unpack(data[-1]) == FileForCallback(organisation_id=9, page=2)
    assert keyboards.file_for_keyboard(9, [], page=0, pages=1) is None


def test_offer_failed_buttons(russian: I18n) -> None:
    payload = {
        "request_id": 4,
        "outcome": "expired",
        "mentor_name": "Сергей Петров",
        "next_mentor_id": 12,
        "next_mentor_name": "Ольга Смирнова",
        "next_score": 80,
        "next_reasons": [],
        "curator_alerted": False,
    }
    build = keyboards.NOTIFICATION_KEYBOARDS["offer_failed"]
    markup = build(payload)
    assert _labels(markup) == ["🙋 Выбрать: Ольга Смирнова", "🧭 Пусть выберет куратор"]
    assert _data(markup) == ["rm:4:12", "ra:4:curator"]
    assert build({**payload, "next_mentor_id": None, "next_mentor_name": None}) is None
