"""Builds the default Word templates of `bot.documents.word` into this folder:

    python -m bot.documents.templates.build

The templates hold docxtpl tags only, never words: every word comes from the `t` labels and the
other variables `word.py` passes (listed in its docstring), so a document follows the requester's
language. A school replaces a template with its own file of the same name (see `word.py`).

The output is deterministic: fixed document properties and fixed dates inside the zip, so a rerun
gives byte-identical files and a changed file in a diff means a changed template."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
FIXED = datetime(2026, 1, 1, tzinfo=UTC)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
CENTER = WD_PARAGRAPH_ALIGNMENT.CENTER
RIGHT = WD_PARAGRAPH_ALIGNMENT.RIGHT
JUSTIFY = WD_PARAGRAPH_ALIGNMENT.JUSTIFY


@dataclass(frozen=True, slots=True)
class Column:
    header: str  # a tag, "{{ t.… }}"
    cell: str  # a tag, "{{ row.… }}"
    width: float  # cm


def _font(style: ParagraphStyle, size: float, *, bold: bool | None = None) -> None:
    """Times New Roman in black, whatever the theme says (theme fonts win over a named one)."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for name in list(fonts.attrib):
            if "Theme" in name or "theme" in name:
                del fonts.attrib[name]
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold


def _document(*, landscape: bool = False) -> DocumentObject:
    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    # The margins of Russian business papers (ГОСТ Р 7.0.97-2016).
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    styles = document.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _font(normal, 12)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", 14), ("Heading 2", 12)):
        heading = styles[name]
        assert isinstance(heading, ParagraphStyle)
        _font(heading, size, bold=True)
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
    # python-docx's template carries a thumbnail of a sample page: not ours.
    package = document.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype == RT.THUMBNAIL:
            del package.rels[key]
    properties = document.core_properties
    properties.author = "Nastavnik"
    properties.last_modified_by = "Nastavnik"
    properties.created = FIXED
    properties.modified = FIXED
    properties.revision = 1
    properties.comments = ""
    properties.title = "{{ t.title }}"  # docxtpl renders the core properties too
    return document


def _paragraph(
    document: DocumentObject,
    text: str = "",
    *,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    bold: bool = False,
    size: float | None = None,
    indent: bool = False,
    style: str | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size is not None:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    return paragraph


def _heading(document: DocumentObject, text: str, level: int = 1) -> None:
    document.add_paragraph(text, style=f"Heading {level}")


def _tag(document: DocumentObject, tag: str) -> None:
    """A paragraph holding a `{%p … %}` tag: docxtpl removes the paragraph itself."""
    document.add_paragraph(tag)


def _cell_text(table: Table, row: int, column: int, text: str, *, bold: bool, size: float) -> None:
    cell = table.cell(row, column)
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)
    paragraph.paragraph_format.space_after = Pt(0)


def _table(
    document: DocumentObject,
    columns: Sequence[Column],
    loop: str,
    *,
    after: Sequence[str] = (),
    size: float = 10,
) -> None:
    """A header row, then one row per item of `loop` ("row in rows"), then the `after` row if
    any (e.g. totals, bold). The `{%tr %}` rows vanish when docxtpl renders."""
    rows = 4 + (1 if after else 0)
    table = document.add_table(rows=rows, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for number, column in enumerate(columns):
        _cell_text(table, 0, number, column.header, bold=True, size=size)
        _cell_text(table, 2, number, column.cell, bold=False, size=size)
        if after:
            _cell_text(table, 4, number, after[number], bold=True, size=size)
        for row in table.rows:
            row.cells[number].width = Cm(column.width)
    _cell_text(table, 1, 0, f"{{%tr for {loop} %}}", bold=False, size=size)
    _cell_text(table, 3, 0, "{%tr endfor %}", bold=False, size=size)
    for grid, column in zip(table._tbl.tblGrid.gridCol_lst, columns, strict=True):
        grid.w = Cm(column.width)
    # The header repeats on every page the table runs over.
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    document.add_paragraph()


def _title(document: DocumentObject) -> None:
    """The organisation, the document's name, the period and who made it."""
    _paragraph(document, "{{ organisation }}", align=CENTER, bold=True)
    _paragraph(document, "{{ t.title }}", align=CENTER, bold=True, size=14)
    _paragraph(document, "{{ period_line }}", align=CENTER)
    _paragraph(document, "{{ made }}", align=CENTER)


def _signature(document: DocumentObject) -> None:
    _paragraph(document)
    _paragraph(document, "{{ t.signed_by }}  ____________  / {{ made_by }} /")


def _indicators(document: DocumentObject, *, threshold_note: bool = True) -> None:
    _heading(document, "{{ t.indicators }}")
    _table(
        document,
        [
            Column("{{ t.indicator }}", "{{ row.name }}", 4.1),
            Column("{{ t.numerator }}", "{{ row.numerator }}", 1.5),
            Column("{{ t.denominator }}", "{{ row.denominator }}", 1.5),
            Column("{{ t.source }}", "{{ row.source }}", 3.2),
            Column("{{ t.value }}", "{{ row.value }}", 1.5),
            Column("{{ t.target_year }}", "{{ row.target_year }}", 1.4),
            Column("{{ t.target }}", "{{ row.target }}", 1.4),
            Column("{{ t.met }}", "{{ row.met }}", 1.4),
        ],
        "row in indicators",
        size=9,
    )
    _heading(document, "{{ t.rules }}", 2)
    _tag(document, "{%p for row in indicators %}")
    _paragraph(document, "{{ row.name }}: {{ row.rule }}")
    _tag(document, "{%p endfor %}")
    if threshold_note:
        _paragraph(document, "{{ t.small_groups }}")


def _counts(document: DocumentObject) -> None:
    """Participants, pairs, figures, months and before/after: counts only, no names."""
    _heading(document, "{{ t.participants }}")
    two = ("{{ t.group }}", "{{ row.name }}", 10.0), ("{{ t.number }}", "{{ row.number }}", 3.0)
    _table(
        document,
        [Column(*column) for column in two],
        "row in roles",
        after=("{{ t.total }}", "{{ participants_total }}"),
    )
    _table(
        document,
        [Column("{{ t.status }}", "{{ row.name }}", 10.0), Column(*two[1])],
        "row in statuses",
    )
    _heading(document, "{{ t.pairs }}")
    _table(
        document,
        [Column("{{ t.state }}", "{{ row.name }}", 10.0), Column(*two[1])],
        "row in pair_states",
        after=("{{ t.total }}", "{{ pairs_total }}"),
    )
    _heading(document, "{{ t.figures }}")
    _table(
        document,
        [
            Column("{{ t.figure }}", "{{ row.name }}", 10.0),
            Column("{{ t.value }}", "{{ row.value }}", 4.0),
        ],
        "row in figures",
    )
    _heading(document, "{{ t.months }}")
    _table(
        document,
        [
            Column("{{ t.month }}", "{{ row.month }}", 3.0),
            Column("{{ t.meetings }}", "{{ row.meetings }}", 3.0),
            Column("{{ t.cycles_met }}", "{{ row.met }}", 3.5),
            Column("{{ t.cycles_due }}", "{{ row.due }}", 3.0),
            Column("{{ t.compliance }}", "{{ row.compliance }}", 3.5),
        ],
        "row in months",
    )
    _heading(document, "{{ t.changes }}")
    _tag(document, "{%p if changes %}")
    _table(
        document,
        [
            Column("{{ t.domain }}", "{{ row.domain }}", 7.0),
            Column("{{ t.people }}", "{{ row.n }}", 2.5),
            Column("{{ t.before }}", "{{ row.before }}", 3.0),
            Column("{{ t.after }}", "{{ row.after }}", 3.0),
        ],
        "row in changes",
    )
    _tag(document, "{%p else %}")
    _paragraph(document, "{{ t.no_changes }}")
    _tag(document, "{%p endif %}")


def _charts(document: DocumentObject) -> None:
    _tag(document, "{%p if charts %}")
    _heading(document, "{{ t.charts }}")
    _tag(document, "{%p for chart in charts %}")
    _paragraph(document, "{{ chart }}", align=CENTER)
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endif %}")


def analytical_report() -> DocumentObject:
    document = _document()
    _title(document)
    _heading(document, "{{ t.summary }}")
    _tag(document, "{%p for line in summary %}")
    _paragraph(document, "{{ line }}", align=JUSTIFY, indent=True)
    _tag(document, "{%p endfor %}")
    _indicators(document)
    _counts(document)
    _heading(document, "{{ t.questionnaires }}")
    _tag(document, "{%p for q in questionnaires %}")
    _heading(document, "{{ q.title }}", 2)
    _paragraph(document, "{{ q.answered }}")
    _tag(document, "{%p if q.rule %}")
    _paragraph(document, "{{ q.rule }}")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p for line in q.satisfaction %}")
    _paragraph(document, "{{ line }}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p for g in q.groups %}")
    _paragraph(document, "{{ g.name }}", bold=True)
    _tag(document, "{%p if g.shown %}")
    _table(
        document,
        [
            Column("{{ t.question }}", "{{ row.text }}", 6.5),
            Column("{{ t.answers }}", "{{ row.n }}", 1.6),
            Column("{{ t.mean }}", "{{ row.mean }}", 1.8),
            Column("{{ t.median }}", "{{ row.median }}", 1.8),
            Column("{{ t.distribution }}", "{{ row.distribution }}", 4.8),
        ],
        "row in g.rows",
        size=9,
    )
    _tag(document, "{%p else %}")
    _paragraph(document, "{{ g.note }}")
    _tag(document, "{%p endif %}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p else %}")
    _paragraph(document, "{{ t.no_questionnaires }}")
    _tag(document, "{%p endfor %}")
    _charts(document)
    _signature(document)
    return document


def order_draft() -> DocumentObject:
    document = _document()
    document.core_properties.title = "{{ t.subject }}"
    _paragraph(document, "{{ organisation }}", align=CENTER, bold=True)
    _paragraph(document)
    _paragraph(document, "{{ t.order }}", align=CENTER, bold=True, size=14)
    _paragraph(document, "{{ t.number_line }}", align=CENTER)
    _paragraph(document)
    _paragraph(document, "{{ t.subject }}", bold=True)
    _paragraph(document)
    _paragraph(document, "{{ preamble }}", align=JUSTIFY, indent=True)
    _paragraph(document, "{{ t.i_order }}", bold=True)
    _tag(document, "{%p for clause in clauses %}")
    _paragraph(document, "{{ clause }}", align=JUSTIFY, indent=True)
    _tag(document, "{%p endfor %}")
    _paragraph(document)
    _table(
        document,
        [
            Column("{{ t.number }}", "{{ row.number }}", 1.0),
            Column("{{ t.mentor }}", "{{ row.mentor }}", 4.6),
            Column("{{ t.mentee }}", "{{ row.mentee }}", 4.6),
            Column("{{ t.mentoring_type }}", "{{ row.mentoring_type }}", 3.6),
            Column("{{ t.formed }}", "{{ row.formed }}", 2.6),
        ],
        "row in pairs",
        size=11,
    )
    _paragraph(document)
    _paragraph(document, "{{ t.head }}  ____________  / ____________ /")
    _paragraph(document)
    _paragraph(document, "{{ t.prepared_by }}: {{ made_by }}", size=10)
    _paragraph(document)
    _paragraph(document, "{{ t.acquainted }}", bold=True)
    _table(
        document,
        [
            Column("{{ t.full_name }}", "{{ row.name }}", 7.0),
            Column("{{ t.signature }}", "", 4.0),
            Column("{{ t.date }}", "{{ t.date_blank }}", 5.4),
        ],
        "row in people",
        size=11,
    )
    return document


def quarterly_report() -> DocumentObject:
    document = _document()
    _paragraph(document, "{{ t.addressee }}", align=RIGHT)
    _title(document)
    _paragraph(document, "{{ t.deadline }}", align=CENTER, size=10)
    _paragraph(document, "{{ t.privacy }}", align=CENTER, size=10)
    _indicators(document)
    _counts(document)
    _signature(document)
    return document


def municipal_report() -> DocumentObject:
    document = _document(landscape=True)
    _paragraph(document, "{{ t.title }}", align=CENTER, bold=True, size=14)
    _paragraph(document, "{{ scope }}", align=CENTER)
    _paragraph(document, "{{ period_line }}", align=CENTER)
    _paragraph(document, "{{ made }}", align=CENTER)
    _paragraph(document, "{{ t.privacy }}", align=CENTER, size=10)
    _heading(document, "{{ t.organisations }}")
    names = [
        "organisation",
        "participants",
        "mentors",
        "mentees",
        "pairs",
        "meetings",
        "compliance",
        "mentee_satisfaction",
        "mentor_satisfaction",
    ]
    widths = (6.2, 2.2, 2.2, 2.2, 2.0, 2.0, 2.4, 2.7, 2.7)
    _table(
        document,
        [
            Column(f"{{{{ t.{name} }}}}", f"{{{{ row.{name} }}}}", width)
            for name, width in zip(names, widths, strict=True)
        ],
        "row in organisations",
        after=[f"{{{{ totals.{name} }}}}" for name in names],
        size=9,
    )
    _paragraph(document, "{{ t.small_groups }}", size=10)
    _indicators(document, threshold_note=False)
    _charts(document)
    _signature(document)
    return document


def deterministic_bytes(document: DocumentObject) -> bytes:
    """The document's zip with every entry dated ZIP_TIME (python-docx dates them now)."""
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, source.read(item.filename))
    return target.getvalue()


BUILDERS = {
    "analytical_report.docx": analytical_report,
    "order_draft.docx": order_draft,
    "quarterly_report.docx": quarterly_report,
    "municipal_report.docx": municipal_report,
}


def build(folder: Path = HERE) -> list[Path]:
    written = []
    for name, builder in BUILDERS.items():
        path = folder / name
        path.write_bytes(deterministic_bytes(builder()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
