"""The bot starts without the report-drawing libraries: they are imported when the first report
or chart is made, so a bot that makes none does not carry them (see `bot.documents.maker`)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("matplotlib", "docxtpl", "xlsxwriter")


def test_starting_the_bot_imports_no_drawing_library() -> None:
    probe = (
        "import sys, bot.__main__, bot.app; "
        f"print(','.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == ""
