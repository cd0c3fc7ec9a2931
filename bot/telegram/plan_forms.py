"""The task form of /plan as data: title → due date → who does it → which goal, saved as soon as
the last question is answered (no summary, as before). Who and which goal are choices whose
options (the pair's names, the plan's goals) are supplied when the form starts."""

from __future__ import annotations

from collections.abc import Mapping

from services.forms import registry
from services.forms.definitions import (
    Answer,
    FormSpec,
    Question,
    QuestionKind,
    lazy_gettext,
    register_validator,
)
from services.plans.rules import TITLE_MAX, clean_title

# A due date: today up to a year ahead (the service checks the exact year again on saving).
DUE_DAYS_AHEAD = 365


def _title(raw: str, answers: Mapping[str, Answer]) -> Answer:
    return clean_title(raw, "title")


register_validator("plan_title", _title)

TITLE_TOO_SHORT = lazy_gettext("That is too short: at least 3 characters, please.")
PLAN_TASK = registry.register(
    FormSpec(
        "plan_task",
        1,
        (
            Question(
                "title",
                QuestionKind.TEXT,
                lazy_gettext(
                    "What is to be done? One line, for example: «Attend two of the mentor's "
                    "lessons and note the techniques». From 3 to 300 characters."
                ),
                max_length=TITLE_MAX,
                validator="plan_title",
                messages=(
                    ("too_long", lazy_gettext("That is too long: at most 300 characters, please.")),
                    ("too_short", TITLE_TOO_SHORT),
                    ("empty", TITLE_TOO_SHORT),
                ),
                detail=lazy_gettext("Send /cancel to stop."),
            ),
            Question(
                "due_on",
                QuestionKind.DATE,
                lazy_gettext("By when?"),
                required=False,
                minimum=0,
                maximum=DUE_DAYS_AHEAD,
                quick=((7, lazy_gettext("In a week")), (14, lazy_gettext("In two weeks"))),
                skip_label=lazy_gettext("No date"),
                messages=(
                    (
                        "too_old",
                        lazy_gettext(
                            "This date has already passed. Please send today's date or a later one."
                        ),
                    ),
                    (
                        "too_late",
                        lazy_gettext(
                            "A due date can be at most a year ahead. Please send an earlier date."
                        ),
                    ),
                ),
                detail=lazy_gettext(
                    "Send the date as DD.MM.YYYY, at most a year ahead, or choose below."
                ),
            ),
            Question(
                "assignee",
                QuestionKind.CHOICE,
                lazy_gettext("Who does it?"),
                # Replaced when the form starts: "Mentee: <name>", "Mentor: <name>".
                options=(("mentee", lazy_gettext("Mentee")), ("mentor", lazy_gettext("Mentor"))),
            ),
            Question(
                "goal",
                QuestionKind.CHOICE,
                lazy_gettext("Which goal does it serve?"),
                required=False,
                # Replaced when the form starts by the plan's goals ("g<id>"); none: not asked.
                options=(("g0", "—"),),
                skip_label=lazy_gettext("No goal"),
            ),
        ),
        title=lazy_gettext("A new task of the plan"),
        confirm=False,
    )
)
