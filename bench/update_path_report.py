"""Markdown tables for `bench.update_path`."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bench.update_path_scenarios import Run


def _machine() -> str:
    today = datetime.now(UTC).date().isoformat()
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {today}"


def _count(values: Sequence[int]) -> str:
    """The mean; when updates differ, also the range."""
    mean = statistics.fmean(values)
    low, high = min(values), max(values)
    shown = f"{mean:.0f}" if low == high else f"{mean:.1f}"
    return shown if low == high else f"{shown} ({low}–{high})"


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def in_process_table(runs: dict[str, list[Run]], database: str, updates: int) -> str:
    repeats = max(len(each) for each in runs.values())
    lines = [
        "",
        f"In-process, {database}, {updates} timed updates per run, best of {repeats} runs "
        f"(lowest mean); {_machine()}",
        "",
        "| Scenario | ms/update mean | median | p95 | CPU ms/update | SQL statements/update "
        "| of them SELECT | transactions/update | of them writing | Bot API calls/update "
        "| means of all runs, ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, each in runs.items():
        best = min(each, key=lambda run: run.mean_ms)
        samples = best.samples
        ms = [sample.ms for sample in samples]
        lines.append(
            f"| {name} | {statistics.fmean(ms):.3f} | {statistics.median(ms):.3f} "
            f"| {_p95(ms):.3f} | {best.mean_cpu_ms:.3f} "
            f"| {_count([s.statements for s in samples])} "
            f"| {_count([s.selects for s in samples])} "
            f"| {_count([s.transactions for s in samples])} "
            f"| {_count([s.writing for s in samples])} "
            f"| {_count([s.api_calls for s in samples])} "
            f"| {', '.join(f'{run.mean_ms:.3f}' for run in each)} |"
        )
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class BlackBoxResult:
    """One bot process fed `updates` /help updates: answers counted at the fake Bot API."""

    bot: str
    updates: int
    answered: int
    seconds: float  # from the first update handed out to the last answer received

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds > 0 else 0.0


def black_box_table(results: list[BlackBoxResult], database: str) -> str:
    lines = [
        "",
        f"Black-box, {database}; {_machine()}",
        "",
        "| Round | Bot | /help updates | answered | seconds | answers/s | bot ÷ echo |",
        "|---|---|---|---|---|---|---|",
    ]
    echo_rate = 0.0
    for index, result in enumerate(results):
        # Each round runs the echo bot first, then the real bot.
        ratio = ""
        if result.bot == "nastavnik" and echo_rate:
            ratio = f"{result.per_second / echo_rate:.2f}"
        else:
            echo_rate = result.per_second
        lines.append(
            f"| {index // 2 + 1} | {result.bot} | {result.updates} | {result.answered} "
            f"| {result.seconds:.2f} | {result.per_second:.0f} | {ratio} |"
        )
    bot = max((r.per_second for r in results if r.bot == "nastavnik"), default=0.0)
    echo = max((r.per_second for r in results if r.bot != "nastavnik"), default=0.0)
    best_ratio = bot / echo if echo else 0.0
    lines += [
        "",
        f"Best of each: bot {bot:.0f} answers/s, bare echo {echo:.0f} answers/s, "
        f"ratio {best_ratio:.2f}",
    ]
    return "\n".join(lines)
