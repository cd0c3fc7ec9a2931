"""The Word documents: figures land in the right cells, the order draft names exactly the pairs
awaiting it, the documents that leave the school carry no names and no free text, charts are
embedded, and a school's own template wins over the default."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from aiogram.utils.i18n import I18n
from docx.document import Document as DocxDocument
from docx.table import Table

from bot.documents import word, word_context
from bot.documents.charts import Chart
from bot.documents.templates import build
from bot.documents.templates.build import deterministic_bytes
from bot.documents.word import NothingToOrder
from bot.telegram.i18n import create_i18n
from services.questionnaires.results import CampaignResults
from services.questionnaires.schema import QuestionnaireDefinition
from services.questionnaires.scores import Answered, Change, results
from services.reports.documents import AwaitingOrder, MunicipalReport, SchoolReport
from services.reports.figures import EnteredFigures
from services.reports.periods import Period
from services.reports.registers import Named, PairRow, Registers
from services.reports.rollup import add_counts, organisations_with_mentors, rolled
from services.reports.stats import OrganisationStats, RollUp, indicators
from services.reports.tallies import Counts, SatisfactionCount

PERIOD = Period(date(2026, 9, 1), date(2026, 12, 3))
MADE_AT = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)  # 10:00 in Krasnoyarsk
TIMEZONE = "Asia/Krasnoyarsk"
SCHOOL = "МБОУ СОШ № 5 «Радуга» & Co"  # "&" must stay text, not break the XML
CURATOR = "Куратова Мария Петровна"
MENTORS = ("Иванова Анна Сергеевна", "Петров Пётр Петрович")
MENTEES = ("Сидорова Ольга Игоревна", "Кузнецов Илья Андреевич")
WITHDRAWN = Named(None, 7)
FREE_TEXTS = ("Наставник опаздывал на встречи", "Хочу больше практики")
NAMES = (*MENTORS, *MENTEES)

DEFINITION = QuestionnaireDefinition.model_validate(
    {
        "id": "satisfaction_mentee",
        "version": 1,
        "audience": "any",
        "title": {"ru": "Анкета удовлетворённости", "en": "Satisfaction survey"},
        "questions": [
            {
                "id": "overall",
                "kind": "scale",
                "text": {"ru": "Общая оценка", "en": "Overall score"},
                "min": 1,
                "max": 10,
                "measure": "satisfaction",
            },
            {
                "id": "again",
                "kind": "yes_no",
                "text": {"ru": "Пошли бы снова?", "en": "Would you take part again?"},
            },
            {
                "id": "wishes",
                "kind": "text",
                "required": False,
                "text": {"ru": "Пожелания", "en": "Wishes"},
            },
        ],
    }
)


def _png(shade: int) -> bytes:
    """A 1×1 PNG of one grey: small, valid, and different per chart."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(bytes([0, shade]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


CHARTS = [Chart(f"chart{number}.png", _png(40 * number)) for number in range(4)]


@pytest.fixture
def english() -> Iterator[I18n]:
    i18n = create_i18n("ru")
    with i18n.context(), i18n.use_locale("en"):
        yield i18n


@pytest.fixture
def russian() -> Iterator[I18n]:
    i18n = create_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        yield i18n


def _counts(organisation_id: int = 1, name: str = SCHOOL, *, mentors_answered: int = 2) -> Counts:
    counts = Counts(organisation_id, name, 7)
    counts.roles = {"mentor": 3, "mentee": 4, "both": 1, "no_profile": 2}
    counts.statuses = {"active": 8, "unreachable": 1, "withdrawn": 1}
    counts.teachers_with_profile = 8
    counts.young_with_profile = 4
    counts.pairs = {"active": 2, "pending_order": 2, "completed": 1}
    counts.pairs_started, counts.pairs_completed = 4, 1
    counts.mentors_in_pairs, counts.mentees_in_pairs = 3, 5
    counts.covered, counts.young_mentees_in_pairs = 8, 2
    counts.cycles_met, counts.cycles_missed = 5, 3
    counts.cycles_by_month = {"2026-09": (2, 2), "2026-10": (3, 6)}
    counts.meetings = 9
    counts.meetings_by_month = {"2026-09": 4, "2026-10": 5}
    counts.responses_opened, counts.responses_submitted = 8, 5
    mentees = SatisfactionCount(7)
    for score in (9, 8, 6, 10):
        mentees.add(score)
    mentors = SatisfactionCount(7)
    for score in (9, 3)[:mentors_answered]:
        mentors.add(score)
    counts.satisfaction = {"mentee": mentees, "mentor": mentors}
    return counts


def _stats(counts: Counts | None = None) -> OrganisationStats:
    counts = counts or _counts()
    figures = EnteredFigures(teachers=12, young_specialists=4)
    return OrganisationStats(
        counts.organisation_id,
        counts.name,
        TIMEZONE,
        PERIOD,
        MADE_AT,
        counts,
        figures,
        indicators(counts, figures, 2026),
        (Change("subject", 4, 2.5, 3.75), Change("ict", 2, 2.0, 5.0)),
    )


def _answered() -> list[Answered]:
    mentees = [
        Answered(1, "mentee", 1, {"overall": 9, "again": "yes", "wishes": FREE_TEXTS[0]}),
        Answered(2, "mentee", 1, {"overall": 6, "again": "no"}),
        Answered(3, "mentee", 1, {"overall": 8, "again": "yes", "wishes": FREE_TEXTS[1]}),
    ]
    mentors = [Answered(4, "mentor", 1, {"overall": 3, "again": "no"})]
    return mentees + mentors


def _school_report(awaiting: tuple[AwaitingOrder, ...] | None = None) -> SchoolReport:
    pairs = (
        PairRow(1, Named(MENTORS[0]), Named(MENTEES[0]), "traditional", "active", PERIOD.first,
                None, "12", PERIOD.first, None, None, 3, None),
    )  # fmt: skip
    if awaiting is None:
        awaiting = (
            AwaitingOrder(
                11, Named(MENTORS[1]), Named(MENTEES[1]), "short_term",
                datetime(2026, 10, 5, 18, 0, tzinfo=UTC),  # 6 October in Krasnoyarsk
            ),
            AwaitingOrder(
                12, Named(MENTORS[0]), WITHDRAWN, "traditional",
                datetime(2026, 11, 2, 5, 0, tzinfo=UTC),
            ),
        )  # fmt: skip
    return SchoolReport(
        _stats(),
        Registers((), (), pairs, ()),
        (CampaignResults(DEFINITION, 6, results(DEFINITION, _answered(), threshold=7)),),
        awaiting,
        7,
        CURATOR,
    )


def _municipal_report() -> MunicipalReport:
    first = _stats(_counts(1, SCHOOL))
    second = _stats(_counts(2, "Гимназия № 2", mentors_answered=1))
    rows = (first, second)
    return MunicipalReport(
        RollUp(
            PERIOD,
            MADE_AT,
            rows,
            add_counts([row.counts for row in rows]),
            (
                organisations_with_mentors([row.counts for row in rows], 2026),
                *rolled([row.indicators for row in rows], 2026),
            ),
            (),
        ),
        CURATOR,
    )


def _document(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def _xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def _text(data: bytes) -> str:
    """Every paragraph and table cell, in order."""
    document = _document(data)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _table(data: bytes, header: str) -> Table:
    found = [table for table in _document(data).tables if table.cell(0, 0).text == header]
    assert len(found) == 1, header
    return found[0]


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _media(data: bytes) -> list[str]:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return sorted(name for name in names if re.fullmatch(r"word/media/.+\.png", name))


def _no_tags_left(data: bytes) -> None:
    xml = _xml(data)
    assert "{{" not in xml
    assert "{%" not in xml


@pytest.mark.usefixtures("english")
def test_analytical_report_puts_each_indicator_figure_in_its_cell() -> None:
    data = word.analytical_report(_school_report(), CHARTS)
    _no_tags_left(data)
    rows = _rows(_table(data, "Indicator"))
    assert rows[0] == [
        "Indicator",
        "Counted",
        "Out of",
        "Source of the denominator",
        "Value",
        "Target year",
        "Target",
        "Target met",
    ]
    young = next(row for row in rows if row[0] == "Young specialists enrolled as mentees")
    assert young == [young[0], "2", "4", "entered by the curator", "50 %", "2026", "90 %", "no"]
    covered = next(row for row in rows if row[0].startswith("Teachers covered"))
    assert covered[1:5] == ["8", "12", "entered by the curator", "66,7 %"]
    mentors = next(row for row in rows if row[0] == "Mentors satisfied")
    assert mentors[1:3] == ["—", "2"]  # two answers: the share is not shown
    assert mentors[4] == "—"
    text = _text(data)
    assert SCHOOL in text
    assert "Made on 03.12.2026 by " + CURATOR in text
    assert "Respondents whose overall score is at least 7 of 10." in text
    assert "Indicators that met their targets: 1 of 3." in text


@pytest.mark.usefixtures("english")
def test_analytical_report_counts_people_pairs_and_months() -> None:
    data = word.analytical_report(_school_report(), [])
    assert _rows(_table(data, "Group"))[1:6] == [
        ["Mentor", "3"],
        ["Mentee", "4"],
        ["Mentor and mentee", "1"],
        ["Profile not finished", "2"],
        ["Total", "10"],
    ]
    states = {row[0]: row[1] for row in _rows(_table(data, "State"))[1:]}
    assert states["Waiting for the order"] == "2"
    assert states["Total"] == "5"
    assert _rows(_table(data, "Month"))[1:] == [
        ["09.2026", "4", "2", "2", "100 %"],
        ["10.2026", "5", "3", "6", "50 %"],
        ["11.2026", "0", "0", "0", "—"],
        ["12.2026", "0", "0", "0", "—"],
    ]
    assert _rows(_table(data, "Competence domain"))[1:] == [
        ["Subject knowledge", "4", "2.5", "3.75"],
        ["ICT skills", "2", "—", "—"],
    ]


@pytest.mark.usefixtures("english")
def test_analytical_report_shows_questionnaires_without_free_text_or_small_groups() -> None:
    data = word.analytical_report(_school_report(), [])
    text = _text(data)
    assert "Satisfaction survey" in text
    assert "Answered: 4 of 6 asked." in text
    assert "Satisfied: respondents whose overall score is at least 7 of 10." in text
    assert "All respondents: 50 % satisfied, n = 4" in text
    # One mentor answered: neither side is broken down, or all minus mentees would show them.
    assert "Mentors: fewer than 3 answers" in text
    assert "Mentees: not broken down" in text
    questions = _rows(_table(data, "Question"))
    assert questions == [
        ["Question", "Answers", "Mean", "Median", "Distribution"],
        ["Overall score", "4", "6.5", "7", ""],
        ["Would you take part again?", "4", "—", "—", "yes — 2; no — 2"],
    ]
    for words in FREE_TEXTS:
        assert words not in _xml(data)


@pytest.mark.usefixtures("english")
def test_analytical_report_embeds_the_four_charts() -> None:
    data = word.analytical_report(_school_report(), CHARTS)
    assert len(_media(data)) == 4
    bare = word.analytical_report(replace(_school_report(), questionnaires=()), [])
    assert not _media(bare)
    assert "No questionnaires were answered in this period." in _text(bare)


@pytest.mark.usefixtures("english")
def test_order_draft_lists_exactly_the_pairs_awaiting_the_order() -> None:
    data = word.order_draft(_school_report())
    _no_tags_left(data)
    rows = _rows(_table(data, "No."))
    assert rows[1:] == [
        [
            "1",
            MENTORS[1],
            MENTEES[1],
            "short-term, towards a set goal",
            "06.10.2026",
        ],
        [
            "2",
            MENTORS[0],
            "participant № 7",
            "traditional (regular meetings over months)",
            "02.11.2026",
        ],
    ]
    # The pair that already has its order is not in the draft.
    assert MENTEES[0] not in _text(data)
    people = [row[0] for row in _rows(_table(data, "Full name"))[1:]]
    assert people == [MENTORS[1], MENTORS[0], MENTEES[1], "participant № 7"]
    text = _text(data)
    assert "351.8" in text
    assert CURATOR in text


@pytest.mark.usefixtures("english")
def test_no_order_draft_without_pairs_awaiting_it() -> None:
    with pytest.raises(NothingToOrder):
        word.order_draft(_school_report(awaiting=()))


@pytest.mark.usefixtures("english")
def test_quarterly_report_has_counts_but_no_names_or_free_text() -> None:
    report = _school_report()
    data = word.quarterly_report(report.stats, CURATOR)
    _no_tags_left(data)
    xml = _xml(data)
    for secret in (*NAMES, *FREE_TEXTS, "participant №"):
        assert secret not in xml
    assert "МБОУ СОШ № 5 «Радуга» &amp; Co" in xml
    figures = {row[0]: row[1] for row in _rows(_table(data, "Figure"))[1:]}
    assert figures["Meetings held"] == "9"
    assert figures["Cadence compliance"] == "62,5 %"
    assert figures["Questionnaires finished"] == "5 of 8 (62,5 %)"
    assert figures["Mentees satisfied"] == "75 %, n = 4"
    assert figures["Mentors satisfied"] == "fewer than 3 answers"
    young = _rows(_table(data, "Indicator"))[1]
    assert young[1:8] == ["2", "4", "entered by the curator", "50 %", "2026", "90 %", "no"]


@pytest.mark.usefixtures("english")
def test_municipal_report_rolls_up_the_organisations_without_names() -> None:
    data = word.municipal_report(_municipal_report(), CHARTS)
    _no_tags_left(data)
    rows = _rows(_table(data, "Organisation"))
    assert rows[1:] == [
        [SCHOOL, "10", "3", "5", "5", "9", "62,5 %", "75 %", "—"],
        ["Гимназия № 2", "10", "3", "5", "5", "9", "62,5 %", "75 %", "—"],
        # each school's 2 mentors' answers stay out of the total too (a subtraction would show them)
        ["Totals", "20", "6", "10", "10", "18", "62,5 %", "75 %", "—"],
    ]
    indicator_rows = _rows(_table(data, "Indicator"))
    providing = next(row for row in indicator_rows if row[0] == "Organisations providing mentors")
    assert providing[1:5] == ["2", "2", "organisations in the report", "100 %"]
    assert len(_media(data)) == 4
    xml = _xml(data)
    for secret in (*NAMES, *FREE_TEXTS):
        assert secret not in xml


@pytest.mark.usefixtures("russian")
def test_documents_render_in_russian_with_russian_numbers() -> None:
    report = _school_report()
    analytical = _text(word.analytical_report(report, []))
    assert "62,5 %" in analytical
    assert "03.12.2026" in analytical
    assert "Анкета удовлетворённости" in analytical  # the questionnaire's Russian title
    assert "3,75" in analytical
    assert word.order_draft(report)
    assert word.municipal_report(_municipal_report(), [])


@pytest.mark.usefixtures("english")
def test_a_schools_own_template_wins_and_a_missing_one_falls_back(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Our school: {{ organisation }}, {{ t.title }}")
    (tmp_path / "analytical_report.docx").write_bytes(deterministic_bytes(document))
    data = word.analytical_report(_school_report(), [], templates=tmp_path)
    assert [p.text for p in _document(data).paragraphs] == [
        f"Our school: {SCHOOL}, Final analytical report on the mentoring programme"
    ]
    # No order template in the folder: the default one is used.
    default = word.order_draft(_school_report(), templates=tmp_path)
    assert _rows(_table(default, "No."))[1][1] == MENTORS[1]
    assert word.template_path("order_draft.docx", tmp_path) == (
        word.DEFAULT_TEMPLATES / "order_draft.docx"
    )


def _tags(data: bytes) -> list[str]:
    return re.findall(r"\{[{%].*?[%}]\}", _xml(data))


def test_the_default_templates_are_current_and_built_the_same_each_time(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    built, again = build.build(first), build.build(second)
    defaults = sorted(path.name for path in word.DEFAULT_TEMPLATES.glob("*.docx"))
    assert sorted(path.name for path in built) == defaults
    for path, repeated in zip(built, again, strict=True):
        assert path.read_bytes() == repeated.read_bytes(), path.name
        # The committed template holds the tags build.py writes today (its bytes may differ
        # under another python-docx version).
        committed = (word.DEFAULT_TEMPLATES / path.name).read_bytes()
        assert _tags(committed) == _tags(path.read_bytes()), path.name


@pytest.mark.usefixtures("english")
def test_every_label_a_default_template_uses_is_set() -> None:
    report = _school_report()
    labels = {
        "analytical_report.docx": word_context.analytical_context(report)["t"],
        "order_draft.docx": word_context.order_context(report)["t"],
        "quarterly_report.docx": word_context.quarterly_context(report.stats, CURATOR)["t"],
        "municipal_report.docx": word_context.municipal_context(_municipal_report())["t"],
    }
    for name, given in labels.items():
        template = (word.DEFAULT_TEMPLATES / name).read_bytes()
        used = set(re.findall(r"\bt\.(\w+)", _xml(template)))
        assert used, name
        assert used <= set(given), (name, used - set(given))
