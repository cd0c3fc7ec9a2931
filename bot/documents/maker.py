"""Makes the files of `/report` off the event loop: the charts, the workbook and the Word
documents are drawn in worker threads (CPU work that would otherwise stall every chat), at most
`CONCURRENT` reports at once so a few curators pressing together cannot exhaust memory.

The drawing modules are imported on first use: matplotlib, docxtpl and XlsxWriter
add about 100 MB to the process and 0.4 s to its start, which a bot that makes no report that
day should not pay."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from services.reports.documents import MunicipalReport, SchoolReport

CONCURRENT = 2


@dataclass(frozen=True, slots=True)
class File:
    filename: str
    content: bytes


class DocumentMaker:
    def __init__(self, templates: Path | None = None) -> None:
        # A school's own Word templates, by the default templates' file names.
        self._templates = templates
        self._slots = asyncio.Semaphore(CONCURRENT)

    async def school(self, report: SchoolReport) -> list[File]:
        """The workbook, the analytical report, the quarterly report to the coordinator, the
        draft of the order (when pairs await one) and the charts. asyncio.to_thread copies the
        context, so the documents are in the curator's language."""
        from bot.documents import word  # on first use: see the module's docstring
        from bot.documents.charts import draw_counts
        from bot.documents.workbook import school_workbook

        stats = report.stats
        suffix = f"{stats.period.first:%Y-%m-%d}_{stats.period.last:%Y-%m-%d}"
        async with self._slots:
            charts = await draw_counts(stats.counts, stats.period, stats.changes)
            files = [
                File(f"mentoring_{suffix}.xlsx", await asyncio.to_thread(school_workbook, report)),
                File(
                    f"analytical_report_{suffix}.docx",
                    await asyncio.to_thread(
                        word.analytical_report, report, charts, templates=self._templates
                    ),
                ),
                File(
                    f"quarterly_report_{suffix}.docx",
                    await asyncio.to_thread(
                        word.quarterly_report, stats, report.made_by, templates=self._templates
                    ),
                ),
            ]
            if report.awaiting_order:
                files.append(
                    File(
                        f"order_draft_{stats.period.last:%Y-%m-%d}.docx",
                        await asyncio.to_thread(
                            word.order_draft, report, templates=self._templates
                        ),
                    )
                )
        return files + [File(chart.filename, chart.png) for chart in charts]

    async def municipal(self, report: MunicipalReport) -> list[File]:
        """The roll-up workbook and report, and the charts; no personal data in any of them."""
        from bot.documents import word  # on first use: see the module's docstring
        from bot.documents.charts import draw_counts
        from bot.documents.workbook import municipal_workbook

        roll_up = report.roll_up
        suffix = f"{roll_up.period.first:%Y-%m-%d}_{roll_up.period.last:%Y-%m-%d}"
        async with self._slots:
            charts = await draw_counts(roll_up.totals, roll_up.period, roll_up.changes)
            files = [
                File(
                    f"municipal_{suffix}.xlsx", await asyncio.to_thread(municipal_workbook, report)
                ),
                File(
                    f"municipal_report_{suffix}.docx",
                    await asyncio.to_thread(
                        word.municipal_report, report, charts, templates=self._templates
                    ),
                ),
            ]
        return files + [File(chart.filename, chart.png) for chart in charts]
