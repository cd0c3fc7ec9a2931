"""What a form is for: the purposes features register (what Save does, and optionally their own
summary, the words of Save, what Back from a live edit shows) and the words of the problems a
registered validator reports. The engine (bot/telegram/forms.py, handlers/forms.py) looks them
up by the name kept in the form in progress, so a form survives a restart with its purpose."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiogram.types import InlineKeyboardMarkup

from bot.container import Services
from bot.telegram.identity import TelegramPerson
from bot.telegram.texts import Texts
from services.forms.definitions import Answer, Question
from services.forms.flow import Progress

# What Save replies: a text, or a text with its buttons.
Reply = str | tuple[str, InlineKeyboardMarkup | None]
Saver = Callable[
    [Services, Texts, TelegramPerson, dict[str, Any], dict[str, Answer]], Awaitable[Reply]
]
# A purpose's own summary: (texts, the form, the hint above it) -> the text.
Summary = Callable[[Texts, Progress, str | None], str]
# What Back from a live edit shows instead (the record as it is): (services, texts, person,
# context) -> the reply.
Leaver = Callable[[Services, Texts, TelegramPerson, dict[str, Any]], Awaitable[Reply]]
# Called after each answer is stored in the form (services, person, context, the answers so
# far): a questionnaire keeps them in its response, so leaving the form loses nothing.
Keeper = Callable[[Services, TelegramPerson, dict[str, Any], dict[str, Answer]], Awaitable[None]]
# The words of a registered validator's problems: (question, reason, typed text, the answers so
# far) -> the text, None for the engine's own words.
ProblemWords = Callable[[Question, str, str, dict[str, Answer]], str | None]
Words = TypeVar("Words", bound=ProblemWords)


@dataclass(frozen=True, slots=True)
class Purpose:
    save: Saver
    summary: Summary | None = None
    confirm: Callable[[], str] | None = None  # the Save button's words
    leave: Leaver | None = None
    keep: Keeper | None = None
    cancelled: Callable[[], str] | None = None  # what /cancel says (else "nothing was saved")


PURPOSES: dict[str, Purpose] = {}
PROBLEM_WORDS: dict[str, ProblemWords] = {}


def purpose(
    name: str,
    *,
    summary: Summary | None = None,
    confirm: Callable[[], str] | None = None,
    leave: Leaver | None = None,
    keep: Keeper | None = None,
    cancelled: Callable[[], str] | None = None,
) -> Callable[[Saver], Saver]:
    """Register what Save does for forms started with this purpose (and, optionally, its own
    summary, its Save button's words, what Back from a live edit shows, what to do with each
    answer as it is given, and what /cancel says)."""

    def register(saver: Saver) -> Saver:
        known = PURPOSES.get(name)
        if known is not None and known.save is not saver:
            raise ValueError(f"form purpose {name!r} is registered twice")
        PURPOSES[name] = Purpose(saver, summary, confirm, leave, keep, cancelled)
        return saver

    return register


def problem_words(validator: str) -> Callable[[Words], Words]:
    """Register the words for the problems a named validator reports."""

    def register(words: Words) -> Words:
        PROBLEM_WORDS[validator] = words
        return words

    return register


def purpose_of(progress: Progress) -> Purpose | None:
    return PURPOSES.get(str(progress.context.get("purpose")))


def saver_of(progress: Progress) -> Saver | None:
    known = purpose_of(progress)
    return None if known is None else known.save
