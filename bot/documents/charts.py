"""The curator's charts (/stats, /report) as PNG bytes: meetings and cadence compliance per
month, satisfaction by score, self-assessment before and after by competence domain.

Drawn with matplotlib's object-oriented API only (`Figure`, the Agg canvas), never `pyplot`:
pyplot keeps global state, and these functions run in worker threads. Every word goes through
gettext in the caller's language. A group of fewer than MIN_GROUP answers is never broken down.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.telegram.labels import domain_name
from services.questionnaires.scores import MIN_GROUP, Change
from services.reports.periods import Period
from services.reports.tallies import Counts, months

ChangeData = Change  # the entry/exit means per domain, as services.questionnaires computes them

SIZE = (10.0, 6.0)  # inches; at DPI this is 1000 x 600 px, readable in a chat preview
DPI = 100
BAR = "#4477AA"
SATISFIED = "#228833"
BELOW = "#BBBBBB"
BEFORE = "#88CCEE"
NOTE = "#666666"

# Each figure is private to its call, but matplotlib's shared caches (fonts, text layout) are
# not documented as thread-safe; a chart takes a fraction of a second, so one at a time is cheap.
_DRAWING = threading.Lock()


@dataclass(frozen=True, slots=True)
class SatisfactionData:
    """One side's overall scores: "satisfied" means a score of at least `threshold`."""

    threshold: int
    maximum: int  # the scale's maximum, 10
    n: int
    satisfied: int
    scores: Mapping[int, int]  # score -> respondents


@dataclass(frozen=True, slots=True)
class Chart:
    filename: str
    png: bytes


def _figure() -> Figure:
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # Agg explicitly: no backend lookup, no GUI, no pyplot
    return figure


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    # No "Software" chunk: the same data gives the same bytes, whatever matplotlib drew it.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _note(ax: Axes, text: str) -> None:
    """An axes with nothing to plot: only a centred sentence."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", color=NOTE, transform=ax.transAxes)


def _no_data(ax: Axes) -> None:
    _note(ax, _("No data for this period"))


def _month(month: str) -> str:
    """Show "2026-09" as "09.2026", the way a Russian reader writes a month."""
    year, _dash, number = month.partition("-")
    return f"{number}.{year}" if number else month


def _decimal(value: float) -> str:
    """One decimal in the reader's convention ("3,5" in Russian)."""
    return format_decimal(value, format="0.0", locale=get_i18n().current_locale)


def _month_axis(ax: Axes, labels: Sequence[str]) -> None:
    ax.set_xticks(range(len(labels)), labels)
    if len(labels) > 12:  # beyond a year the labels would overlap
        ax.tick_params(axis="x", labelrotation=45)
    ax.spines[["top", "right"]].set_visible(False)


def _meetings_figure(months: Sequence[str], meetings: Mapping[str, int]) -> Figure:
    figure = _figure()
    ax = figure.add_subplot()
    ax.set_title(_("Meetings held per month"))
    if not months:
        _no_data(ax)
        return figure
    counts = [meetings.get(month, 0) for month in months]
    bars = ax.bar(range(len(months)), counts, color=BAR)
    ax.bar_label(bars, padding=2)
    ax.set_ylim(0, max(max(counts), 1) * 1.15)  # room for the labels over the highest bar
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _month_axis(ax, [_month(month) for month in months])
    return figure


def _compliance_figure(months: Sequence[str], cycles: Mapping[str, tuple[int, int]]) -> Figure:
    figure = _figure()
    ax = figure.add_subplot()
    ax.set_title(_("Cadence compliance: cycles in which the pair met, %"))
    counted = [cycles.get(month, (0, 0)) for month in months]
    if not any(total for _met, total in counted):
        _no_data(ax)
        return figure
    percents = [round(100 * met / total) if total else 0 for met, total in counted]
    bars = ax.bar(range(len(months)), percents, color=BAR)
    # A month without a due cycle is not 0 %: it is shown empty, with a dash.
    labels = [
        f"{p} %" if total else "—" for p, (_met, total) in zip(percents, counted, strict=True)
    ]
    ax.bar_label(bars, labels=labels, padding=2)
    ax.set_ylim(0, 112)  # the axis is 0-100; the rest is room for the label over a full bar
    ax.set_yticks(range(0, 101, 20))
    # Every percentage carries its n, under its month.
    _month_axis(
        ax,
        [
            f"{_month(month)}\n" + _("n = {n}").format(n=total)
            for month, (_met, total) in zip(months, counted, strict=True)
        ],
    )
    return figure


def _side_title(side: str, data: SatisfactionData) -> str:
    percent = round(100 * data.satisfied / data.n)
    words = {
        "mentee": _("Mentees: {percent} % are satisfied (score ≥ {threshold}), n = {n}"),
        "mentor": _("Mentors: {percent} % are satisfied (score ≥ {threshold}), n = {n}"),
    }
    return words[side].format(percent=percent, threshold=data.threshold, n=data.n)


def _satisfaction_figure(sides: Mapping[str, SatisfactionData]) -> Figure:
    figure = _figure()
    figure.suptitle(_("Satisfaction with the programme: respondents by overall score"))
    for place, (side, name) in enumerate((("mentee", _("Mentees")), ("mentor", _("Mentors")))):
        ax = figure.add_subplot(1, 2, place + 1)
        data = sides.get(side)
        if data is None or data.n == 0:
            ax.set_title(name)
            _no_data(ax)
            continue
        if data.n < MIN_GROUP:
            # Privacy: with one or two answers a distribution would show whose score is whose.
            ax.set_title(name)
            _note(ax, _("Fewer than {minimum} answers: not shown").format(minimum=MIN_GROUP))
            continue
        ax.set_title(_side_title(side, data), fontsize="medium")  # two titles share a width
        scores = sorted(set(range(1, data.maximum + 1)) | set(data.scores))
        colours = [SATISFIED if score >= data.threshold else BELOW for score in scores]
        counts = [data.scores.get(score, 0) for score in scores]
        ax.bar(scores, counts, color=colours)
        ax.set_xticks(scores)
        ax.set_xlabel(_("Score"))
        ax.set_ylabel(_("Respondents"))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
    return figure


def _domain(domain: str) -> str:
    try:
        return domain_name(domain)
    except ValueError:  # a domain this version does not know: its code beats a failed report
        return domain


def _before_after_figure(changes: Sequence[Change]) -> Figure:
    figure = _figure()
    ax = figure.add_subplot()
    ax.set_title(_("Self-assessment before and after, by competence domain"))
    if not changes:
        _no_data(ax)
        return figure
    drawn = {
        row: (change.before, change.after)
        for row, change in enumerate(changes)
        if change.shown and change.before is not None and change.after is not None
    }
    height = 0.38
    for offset, index, colour, label in (
        (-height / 2, 0, BEFORE, _("Before (entry diagnosis)")),
        (height / 2, 1, BAR, _("After (exit diagnosis)")),
    ):
        if drawn:
            widths = [pair[index] for pair in drawn.values()]
            places = [row + offset for row in drawn]
            bars = ax.barh(places, widths, height=height, color=colour, label=label)
            ax.bar_label(bars, labels=[_decimal(width) for width in widths], padding=3)
    hidden = _("fewer than {minimum} answers").format(minimum=MIN_GROUP)
    rows = range(len(changes))
    for row in rows:
        if row not in drawn:  # x in axes units, y in data units: the note sits where bars would
            ax.text(0.01, row, hidden, va="center", color=NOTE, transform=ax.get_yaxis_transform())
    ax.set_yticks(list(rows), [_domain(change.domain) for change in changes])
    ax.invert_yaxis()  # the first domain on top, as in the questionnaire
    top = max((max(pair) for pair in drawn.values()), default=0.0)
    if top:
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(_("Mean self-assessment"))
        # Below the axes, so it never hides a bar; only with bars, as an empty legend warns.
        figure.legend(loc="outside lower center", ncols=2, frameon=False)
    else:
        ax.set_xticks([])
    ax.spines[["top", "right"]].set_visible(False)
    return figure


def meetings_per_month(months: Sequence[str], meetings: Mapping[str, int]) -> bytes:
    """Bars of meetings held per month; `months` are "YYYY-MM" in order."""
    with _DRAWING:
        return _png(_meetings_figure(months, meetings))


def compliance_per_month(months: Sequence[str], cycles: Mapping[str, tuple[int, int]]) -> bytes:
    """Per month, the % of due cycles in which the pair met; `cycles[month]` is (met, total)."""
    with _DRAWING:
        return _png(_compliance_figure(months, cycles))


def satisfaction(sides: Mapping[str, SatisfactionData]) -> bytes:
    """Mentees and mentors side by side: respondents per overall score."""
    with _DRAWING:
        return _png(_satisfaction_figure(sides))


def before_after(changes: Sequence[Change]) -> bytes:
    """Entry and exit mean self-assessment per competence domain."""
    with _DRAWING:
        return _png(_before_after_figure(changes))


def all_charts(
    months: Sequence[str],
    meetings: Mapping[str, int],
    cycles: Mapping[str, tuple[int, int]],
    sides: Mapping[str, SatisfactionData],
    changes: Sequence[Change],
) -> list[Chart]:
    """The four charts of /stats and /report, in the order they are sent."""
    return [
        Chart("meetings.png", meetings_per_month(months, meetings)),
        Chart("compliance.png", compliance_per_month(months, cycles)),
        Chart("satisfaction.png", satisfaction(sides)),
        Chart("before_after.png", before_after(changes)),
    ]


async def draw(
    months: Sequence[str],
    meetings: Mapping[str, int],
    cycles: Mapping[str, tuple[int, int]],
    sides: Mapping[str, SatisfactionData],
    changes: Sequence[Change],
) -> list[Chart]:
    """`all_charts` off the event loop. `asyncio.to_thread` copies the contextvars into the
    thread, so the caller's i18n context and locale (aiogram keeps both in contextvars) carry
    over: the charts speak the curator's language. Keep it to_thread, not a bare executor."""
    return await asyncio.to_thread(all_charts, months, meetings, cycles, sides, changes)


async def draw_counts(counts: Counts, period: Period, changes: Sequence[Change]) -> list[Chart]:
    """The four charts of an organisation's (or a roll-up's) counts for a period."""
    return await draw(
        months(period),
        counts.meetings_by_month,
        counts.cycles_by_month,
        {
            side: SatisfactionData(
                tally.threshold, tally.maximum, tally.n, tally.satisfied, dict(tally.scores)
            )
            for side, tally in counts.satisfaction.items()
        },
        changes,
    )
