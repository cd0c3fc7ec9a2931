"""The curator's charts: valid PNGs of the agreed size for full and empty data, small groups never
broken down, words in the reader's language, drawn off the event loop."""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterator, Mapping, Sequence

import pytest
from aiogram.utils.i18n import I18n, get_i18n
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.documents import charts
from bot.documents.charts import Chart, SatisfactionData
from bot.telegram.i18n import create_i18n
from services.questionnaires.scores import Change

PNG = b"\x89PNG\r\n\x1a\n"
MONTHS = ("2025-09", "2025-10", "2025-11", "2025-12")
MEETINGS = {"2025-09": 4, "2025-10": 11, "2025-12": 7}
CYCLES = {"2025-09": (3, 4), "2025-10": (10, 10), "2025-11": (0, 0), "2025-12": (2, 6)}
MENTEES = SatisfactionData(threshold=7, maximum=10, n=9, satisfied=7, scores={5: 1, 6: 1, 8: 7})
CHANGES = (
    Change("subject", 5, 2.4, 3.8),
    Change("ict", 2, 2.0, 3.0),  # too few people
    Change("health", 4, None, 3.1),  # no entry mean
    Change("methodological", 7, 3.0, 4.2),
)


def _mentors(n: int) -> SatisfactionData:
    return SatisfactionData(threshold=7, maximum=10, n=n, satisfied=n, scores={8: n})


@pytest.fixture
def english() -> Iterator[I18n]:
    i18n = create_i18n("ru")
    with i18n.context(), i18n.use_locale("en"):
        yield i18n


def _size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, the first after the signature."""
    assert png.startswith(PNG)
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _texts(figure: Figure) -> list[str]:
    return [text.get_text() for ax in figure.axes for text in ax.texts]


def _all(
    months: Sequence[str] = MONTHS,
    meetings: Mapping[str, int] = MEETINGS,
    cycles: Mapping[str, tuple[int, int]] = CYCLES,
    sides: Mapping[str, SatisfactionData] | None = None,
    changes: Sequence[Change] = CHANGES,
) -> list[Chart]:
    sides = {"mentee": MENTEES, "mentor": _mentors(5)} if sides is None else sides
    return charts.all_charts(months, meetings, cycles, sides, changes)


@pytest.mark.usefixtures("english")
def test_every_chart_is_a_png_of_about_1000_by_600() -> None:
    drawn = _all()
    assert [chart.filename for chart in drawn] == [
        "meetings.png",
        "compliance.png",
        "satisfaction.png",
        "before_after.png",
    ]
    for chart in drawn:
        assert _size(chart.png) == (1000, 600), chart.filename


@pytest.mark.usefixtures("english")
def test_empty_data_still_draws_every_chart_with_a_note() -> None:
    for chart in charts.all_charts([], {}, {}, {}, []):
        assert _size(chart.png) == (1000, 600), chart.filename
    figures = (
        charts._meetings_figure([], {}),
        charts._compliance_figure(MONTHS, {}),  # months without a single due cycle
        charts._satisfaction_figure({}),
        charts._before_after_figure([]),
    )
    for figure in figures:
        assert "No data for this period" in _texts(figure)
        assert not [patch for ax in figure.axes for patch in ax.patches]


@pytest.mark.usefixtures("english")
def test_the_same_data_gives_the_same_bytes() -> None:
    assert charts.meetings_per_month(MONTHS, MEETINGS) == charts.meetings_per_month(
        MONTHS, MEETINGS
    )


@pytest.mark.usefixtures("english")
def test_meetings_are_labelled_on_their_bars_by_month() -> None:
    figure = charts._meetings_figure(MONTHS, MEETINGS)
    (ax,) = figure.axes
    assert [patch.get_height() for patch in ax.patches] == [4, 11, 0, 7]  # type: ignore[attr-defined]
    assert _texts(figure) == ["4", "11", "0", "7"]
    assert [label.get_text() for label in ax.get_xticklabels()] == [
        "09.2025",
        "10.2025",
        "11.2025",
        "12.2025",
    ]


@pytest.mark.usefixtures("english")
def test_compliance_carries_its_n_and_leaves_a_month_without_cycles_empty() -> None:
    figure = charts._compliance_figure(MONTHS, CYCLES)
    (ax,) = figure.axes
    assert [patch.get_height() for patch in ax.patches] == [75, 100, 0, 33]  # type: ignore[attr-defined]
    assert _texts(figure) == ["75 %", "100 %", "—", "33 %"]
    assert [label.get_text() for label in ax.get_xticklabels()] == [
        "09.2025\nn = 4",
        "10.2025\nn = 10",
        "11.2025\nn = 0",
        "12.2025\nn = 6",
    ]
    assert ax.get_yticks().tolist() == [0, 20, 40, 60, 80, 100]


def _panels(figure: Figure) -> tuple[Axes, Axes]:
    mentees, mentors = figure.axes
    return mentees, mentors


@pytest.mark.usefixtures("english")
def test_satisfaction_colours_the_scores_at_or_above_the_threshold() -> None:
    mentees, _mentors_ax = _panels(charts._satisfaction_figure({"mentee": MENTEES}))
    assert mentees.get_title() == "Mentees: 78 % are satisfied (score ≥ 7), n = 9"
    bars = mentees.patches
    assert len(bars) == 10  # scores 1..10, the empty ones too
    colours = {bar.get_facecolor() for bar in bars[6:]}  # scores 7..10
    assert len(colours) == 1
    assert colours.isdisjoint(bar.get_facecolor() for bar in bars[:6])


@pytest.mark.usefixtures("english")
def test_a_score_of_zero_gets_its_own_bar() -> None:
    data = SatisfactionData(threshold=7, maximum=10, n=4, satisfied=3, scores={0: 1, 9: 3})
    mentees, _mentors_ax = _panels(charts._satisfaction_figure({"mentee": data}))
    assert len(mentees.patches) == 11


@pytest.mark.usefixtures("english")
def test_a_small_group_is_never_broken_down() -> None:
    _mentees, mentors = _panels(
        charts._satisfaction_figure({"mentee": MENTEES, "mentor": _mentors(2)})
    )
    assert len(mentors.patches) == 0
    assert mentors.get_title() == "Mentors"
    assert [text.get_text() for text in mentors.texts] == ["Fewer than 3 answers: not shown"]
    small = charts.satisfaction({"mentee": MENTEES, "mentor": _mentors(2)})
    shown = charts.satisfaction({"mentee": MENTEES, "mentor": _mentors(5)})
    assert _size(small) == _size(shown) == (1000, 600)
    assert small != shown
    _mentees, mentors = _panels(charts._satisfaction_figure({"mentor": _mentors(5)}))
    assert len(mentors.patches) == 10


@pytest.mark.usefixtures("english")
def test_before_after_draws_only_the_domains_with_enough_answers() -> None:
    figure = charts._before_after_figure(CHANGES)
    (ax,) = figure.axes
    assert len(ax.patches) == 4  # before and after for two domains
    assert [label.get_text() for label in ax.get_yticklabels()] == [
        "Subject knowledge",
        "ICT skills",
        "Pupils' health",
        "Teaching methods",
    ]
    assert sorted(_texts(figure)) == sorted(
        ["2.4", "3.0", "3.8", "4.2", "fewer than 3 answers", "fewer than 3 answers"]
    )
    assert _size(charts.before_after(CHANGES)) == (1000, 600)


@pytest.mark.usefixtures("english")
def test_before_after_with_no_domain_shown_has_no_bars_and_no_legend() -> None:
    figure = charts._before_after_figure([Change("ict", 1, 2.0, 3.0)])
    (ax,) = figure.axes
    assert len(ax.patches) == 0
    assert figure.legends == []
    assert _texts(figure) == ["fewer than 3 answers"]


@pytest.mark.usefixtures("english")
def test_the_words_follow_the_locale() -> None:
    titles = [
        charts._meetings_figure(MONTHS, MEETINGS).axes[0].get_title(),
        charts._compliance_figure(MONTHS, CYCLES).axes[0].get_title(),
        charts._before_after_figure(CHANGES).axes[0].get_title(),
    ]
    assert titles == [
        "Meetings held per month",
        "Cadence compliance: cycles in which the pair met, %",
        "Self-assessment before and after, by competence domain",
    ]


async def test_draw_runs_in_a_worker_thread_in_the_callers_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, str]] = []
    original = charts.all_charts

    def recording(*args: object) -> list[Chart]:
        seen.append((threading.get_ident(), get_i18n().current_locale))
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(charts, "all_charts", recording)
    i18n = create_i18n("ru")
    with i18n.context(), i18n.use_locale("en"):
        drawn = await charts.draw(MONTHS, MEETINGS, CYCLES, {"mentee": MENTEES}, CHANGES)
    assert [_size(chart.png) for chart in drawn] == [(1000, 600)] * 4
    assert seen == [(seen[0][0], "en")]
    assert seen[0][0] != threading.get_ident()
