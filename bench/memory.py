"""How much memory a benchmark process took at its peak."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """The process's peak resident size in MB. On Linux ru_maxrss of a process started by
    another keeps the parent's peak at the fork, so the kernel's high-water mark of this
    process's own memory (VmHWM) is read where there is one."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
