"""Medians and their spread, and how figures are written."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable


def summary(values: list[float]) -> dict:
    values = sorted(v for v in values if v is not None)
    if not values:
        return {}
    result = {
        "median": statistics.median(values),
        "min": values[0],
        "max": values[-1],
        "n": len(values),
    }
    if len(values) >= 4:
        q1, _, q3 = statistics.quantiles(values, n=4)
        result["iqr"] = [q1, q3]
    return result


def fmt_seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def fmt_bytes(value: float) -> str:
    return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.1f} kB"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}"


def cell_text(stats: dict, fmt: Callable[[float], str]) -> str:
    if not stats:
        return "–"
    text = fmt(stats["median"])
    if stats["n"] > 1 and stats["min"] != stats["max"]:
        low, high = fmt(stats["min"]), fmt(stats["max"])
        if low.split()[1:] == high.split()[1:]:  # the same unit: say it once
            low = low.split()[0]
        text += f" ({low}–{high})"
    return text


def phase_summary(timelines: list[list]) -> list[dict]:
    """The page's status-line phases: seconds from navigation to each text, median."""
    when: dict[str, list[float]] = {}
    for timeline in timelines:
        for t, _phase, text in timeline:
            label = re.sub(r"\(\d+\.\d s\)", "(…)", text)
            when.setdefault(label, []).append(t / 1000)
    return [{"status": label, **summary(values)} for label, values in when.items()]


def run_timeline_summary(timelines: list[list]) -> list[dict]:
    """A cell's status during its first run: seconds from Ctrl+Enter to each text, median."""
    when: dict[str, list[float]] = {}
    for timeline in timelines:
        seen: dict[str, int] = {}
        for t, text in timeline:
            label = re.sub(r"\d+\.\d+ s", "… s", text)
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                label += f" (again, {seen[label]})"
            when.setdefault(label, []).append(t)
    return [{"status": label, **summary(values)} for label, values in when.items()]
