"""Which library writes `/report`'s workbook: XlsxWriter or openpyxl, on a long sheet.

Writes one sheet of N rows × 12 columns (5 text, 3 whole numbers, 2 dates, 2 decimals, with a
bold header, a date and a decimal format, as the meeting log of `/report` has) into memory, the
way `bot/documents/workbook.py` does, with:

  xlsxwriter-constant   XlsxWriter, constant_memory=True (what the bot uses): each row goes to a
                        temporary file as soon as the next row begins
  xlsxwriter-normal     XlsxWriter keeping every cell until the end
  openpyxl-normal       openpyxl's ordinary workbook: a Cell object per cell
  openpyxl-write-only   openpyxl's write_only=True: rows streamed out as they are appended

Each writer runs in a process of its own (so the resident size is its alone): `--repeats` timed
runs, then one more under tracemalloc for the peak of memory Python allocated (tracemalloc slows
Python down, so that run is not timed). The rows are made as they are written, so the data
themselves cost nothing.

    python -m bench.xlsx_writers                 # 100 000 rows
    python -m bench.xlsx_writers --rows 20000 --writers xlsxwriter-constant openpyxl-normal
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import openpyxl
import xlsxwriter
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from bench.memory import peak_rss_mb

HEADER = (
    "№",
    "Дата встречи",
    "Наставник",
    "Наставляемый",
    "Предмет",
    "Вид встречи",
    "Минут",
    "Тема",
    "Польза (1–5)",
    "Доля встреч, %",
    "Следующий шаг",
    "Записана",
)
DATE_FORMAT = "dd.mm.yyyy"
DECIMAL_FORMAT = "0.00"
DATE_COLUMNS = (1, 11)
DECIMAL_COLUMNS = (8, 9)
RESULT = "RESULT "


def rows(count: int) -> Iterator[tuple[Any, ...]]:
    """Meeting-log-like rows: text, whole numbers, dates and decimals."""
    start = date(2026, 9, 1)
    for index in range(count):
        held = start + timedelta(days=index % 250)
        yield (
            index + 1,
            held,
            f"Иванова Мария Петровна {index % 900}",
            f"Смирнов Андрей Олегович {index % 1100}",
            ("Математика", "Русский язык", "История", "Физика")[index % 4],
            ("знакомство", "планирование", "регулярная", "итоговая")[index % 4],
            (30, 45, 60, 90)[index % 4],
            f"Разбор урока № {index % 37}: дисциплина и работа с родителями",
            1 + (index % 5) * 0.97,
            (index % 1000) / 10,
            "Посетить урок наставника" if index % 3 else "",
            held + timedelta(days=1),
        )


def xlsxwriter_book(count: int, constant_memory: bool) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output, {"constant_memory": constant_memory, "default_date_format": DATE_FORMAT}
    )
    sheet = book.add_worksheet("Журнал встреч")
    bold = book.add_format({"bold": True})
    dates = book.add_format({"num_format": DATE_FORMAT})
    decimals = book.add_format({"num_format": DECIMAL_FORMAT})
    for column in DATE_COLUMNS:
        sheet.set_column(column, column, 12, dates)
    for column in DECIMAL_COLUMNS:
        sheet.set_column(column, column, 10, decimals)
    sheet.write_row(0, 0, HEADER, bold)
    for number, row in enumerate(rows(count), start=1):
        sheet.write_row(number, 0, row)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, count, len(HEADER) - 1)
    book.close()
    return output.getvalue()


def openpyxl_book(count: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Журнал встреч"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(count):
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for column in DATE_COLUMNS:
            line[column].number_format = DATE_FORMAT
        for column in DECIMAL_COLUMNS:
            line[column].number_format = DECIMAL_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def openpyxl_write_only_book(count: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Журнал встреч")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:L{count + 1}"
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows(count):
        cells: list[Any] = list(row)
        for column in DATE_COLUMNS:
            cell = WriteOnlyCell(sheet, value=row[column])
            cell.number_format = DATE_FORMAT
            cells[column] = cell
        for column in DECIMAL_COLUMNS:
            cell = WriteOnlyCell(sheet, value=row[column])
            cell.number_format = DECIMAL_FORMAT
            cells[column] = cell
        sheet.append(cells)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


WRITERS: dict[str, Callable[[int], bytes]] = {
    "xlsxwriter-constant": lambda count: xlsxwriter_book(count, constant_memory=True),
    "xlsxwriter-normal": lambda count: xlsxwriter_book(count, constant_memory=False),
    "openpyxl-normal": openpyxl_book,
    "openpyxl-write-only": openpyxl_write_only_book,
}


def measure(writer: str, count: int, repeats: int) -> dict[str, Any]:
    write = WRITERS[writer]
    rest = peak_rss_mb()
    seconds = []
    size = 0
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        size = len(write(count))
        seconds.append(time.perf_counter() - started)
    gc.collect()
    tracemalloc.start()
    write(count)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "writer": writer,
        "seconds": seconds,
        "peak_mb": peak / 2**20,
        "rss_mb": peak_rss_mb(),
        "rest_mb": rest,
        "size_kb": size / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--writers", nargs="+", choices=tuple(WRITERS), default=list(WRITERS))
    parser.add_argument("--one", choices=tuple(WRITERS), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        print(RESULT + json.dumps(measure(arguments.one, arguments.rows, arguments.repeats)))
        return
    print(f"{arguments.rows:,} rows × {len(HEADER)} columns, each writer in a process of its own")
    print()
    print("| Writer | best | worst | Python peak (tracemalloc) | process peak (at rest) | file |")
    print("|---|---|---|---|---|---|")
    for writer in arguments.writers:
        command = [sys.executable, "-m", "bench.xlsx_writers", "--one", writer]
        command += ["--rows", str(arguments.rows), "--repeats", str(arguments.repeats)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        line = next(line for line in output.splitlines() if line.startswith(RESULT))
        r = json.loads(line[len(RESULT) :])
        print(
            f"| {writer} | {min(r['seconds']):.1f} s | {max(r['seconds']):.1f} s "
            f"| {r['peak_mb']:.0f} MB | {r['rss_mb']:.0f} MB ({r['rest_mb']:.0f} MB) "
            f"| {r['size_kb'] / 1024:.1f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
