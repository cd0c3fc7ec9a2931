"""The /request form's rules of moving through it, its stored data, buttons and texts."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.telegram.callbacks import FileForCallback
from bot.telegram.i18n import create_i18n
from bot.telegram.keyboards import requests as keyboards
from bot.telegram.request_form import (
    STEPS,
    Form,
    apply_text,
    choose,
    current_answer,
    problem_text,
    toggle,
)
from models import MeetingFormat, MentoringType, Urgency
from services.core.errors import StaleAction, ValidationFailed
from services.requests.draft import RequestDraft

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


def test_the_form_goes_through_the_questions_in_order() -> None:
    form = Form(draft=RequestDraft())
    assert form.next_step() == "topics"
    assert not form.can_go_back("topics")
    assert form.can_go_back("difficulty")
    toggle(form, "parents")
    toggle(form, "subject_content")
    # Stored in the order of the buttons, whatever the order of the taps.
    assert form.draft.topics == ("subject_content", "parents")
    assert form.next_step() == "topics"  # ticked but not Done yet
    form.answered.add("topics")
    apply_text(form, "difficulty", "  Трудно\r\n\n\n\nочень  ")
    assert form.draft.difficulty == "Трудно\n\nочень"
    apply_text(form, "hopes", "Научиться")
    choose(form, "meeting_format", "in_person")
    choose(form, "mentoring_type", "situational")
    choose(form, "group_ok", "yes")
    assert form.next_step() == "urgency"
    choose(form, "urgency", "this_week")
    assert form.next_step() is None
    assert form.draft.group_ok is True
    form.draft.validate()
    assert form.previous_step("urgency") == "group_ok"
    with pytest.raises(StaleAction):
        form.previous_step("topics")


def test_stale_or_forged_values_are_refused() -> None:
    form = Form(draft=RequestDraft())
    for step, value in (
        ("meeting_format", "by_pigeon"),
        ("group_ok", "maybe"),
        ("urgency", "yesterday"),
        ("topics", "parents"),  # not a one-choice question
    ):
        with pytest.raises(StaleAction):
            choose(form, step, value)
    with pytest.raises(StaleAction):
        toggle(form, "alchemy")
    assert form.draft == RequestDraft()


def test_typed_answers_are_checked() -> None:
    form = Form(draft=RequestDraft())
    for text, reason in (
        ("ab", "too_short"),
        ("  \n ", "empty"),
        ("\u200b\u200b\u200b", "empty"),
        ("\x00\x01\u200f", "empty"),
        ("я" * 1001, "too_long"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            apply_text(form, "hopes", text)
        assert caught.value.reason == reason
    assert form.draft.hopes is None
    assert "hopes" not in form.answered
    apply_text(form, "hopes", "я" * 1000)
    assert current_answer(form, "hopes") == "я" * 1000
    assert current_answer(form, "meeting_format") is None


def test_problem_texts_name_the_limit_and_the_length(russian: I18n) -> None:
    assert problem_text("too_short", "difficulty", " a ") == (
        "Слишком коротко: 1 символ. Напишите хотя бы 3."
    )
    assert problem_text("too_long", "hopes", "я" * 1002).startswith(
        "Слишком длинно: 1002 символа, а можно не больше 1000."
    )
    with russian.use_locale("en"):
        assert problem_text("too_long", "hopes", "x" * 1005) == (
            "That is too long: 1005 characters, and at most 1000 fit. Please shorten it."
        )


def test_an_edit_from_the_summary_can_be_undone() -> None:
    form = Form.prefilled(COMPLETE, request_id=7)
    assert form.next_step() is None
    form.begin_edit()
    assert form.can_go_back("topics")
    toggle(form, "parents")
    form.undo_edit()
    assert form.draft == COMPLETE
    assert not form.editing
    assert form.answered == set(STEPS)


def test_the_form_survives_a_json_storage() -> None:
    form = Form(draft=COMPLETE, answered={"topics", "hopes"}, mentee_id=5, mentee_name="Анна")
    form.begin_edit()
    toggle(form, "parents")
    restored = Form.from_state(json.loads(json.dumps(form.to_state())))
    assert (restored.draft, restored.answered, restored.editing) == (
        form.draft,
        form.answered,
        True,
    )
    assert (restored.mentee_id, restored.mentee_name, restored.request_id) == (5, "Анна", None)
    restored.undo_edit()
    assert restored.draft == COMPLETE
    with pytest.raises(KeyError):
        Form.from_state({"draft": {}})


def test_question_buttons(russian: I18n) -> None:
    topics = keyboards.question_keyboard(
        "topics", COMPLETE.with_changes(topics=("parents",)), back=False, keep=False
    )
    labels = _labels(topics)
    assert len(labels) == 8
    assert "✓ Работа с родителями" in labels
    assert labels[-1] == "✅ Готово"
    assert "« Назад" not in labels

    group = keyboards.question_keyboard("group_ok", COMPLETE, back=True, keep=False)
    assert _labels(group) == ["Да, группа подойдёт", "✓ Нет, только индивидуально", "« Назад"]
    text = keyboards.question_keyboard("hopes", COMPLETE, back=True, keep=True)
    assert _labels(text) == ["✔️ Оставить как есть", "« Назад"]
    assert keyboards.question_keyboard("difficulty", RequestDraft(), back=False, keep=False) is None
    for markup in (topics, group, text, keyboards.summary_keyboard(saving=True)):
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
