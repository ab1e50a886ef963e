"""The machine and the source measured."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

from chromium import CHROMIUM

from .site_build import ROOT


def chromium_version() -> str:
    """Chromium's full version (the user agent string only says 156.0.0.0)."""
    try:
        output = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True)
    except OSError as error:
        return f"unknown ({error})"
    found = re.search(r"Chromium ([\d.]+)", output.stdout)
    return found.group(1) if found else output.stdout.strip()


def source_state() -> dict:
    """The commit measured, and the site's source files that differed from it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    changed = git("status", "--porcelain", "--", "build.py", "sitebuild", "web", "py_src")
    return {
        "commit": git("rev-parse", "HEAD").strip(),
        "uncommitted_site_changes": [line[3:] for line in changed.splitlines()],
    }


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "playwright": metadata.version("playwright"),
        "load_average_at_start": os.getloadavg(),
    }
