"""The report: the comparison tables, the targets, the page's phases, as text or Markdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .boot_profile import profile_report
from .summary import cell_text, fmt_bytes, fmt_ratio, fmt_seconds
from .visit import READ_SECONDS


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    fmt: Callable[[float], str]


ROWS = [
    Row(
        "editor_interactive_s",
        "editor interactive (nav → typed character in the editor)",
        fmt_seconds,
    ),
    Row("editor_visible_s", "editor visible (nav → editor in the page)", fmt_seconds),
    Row("editor_focused_s", "… first drawn, and clicked (focused)", fmt_seconds),
    Row(
        "main_thread_busy_at_editor_s",
        "main thread busy until typed (all tasks; CPU-load independent-ish)",
        fmt_seconds,
    ),
    Row("main_thread_script_at_editor_s", "… of which running scripts", fmt_seconds),
    Row(
        "editor_interactive_playwright_s",
        "editor interactive, measured as until 27 Nov (wait visible, focus, type)",
        fmt_seconds,
    ),
    Row("ready_cold_s", "Python ready, cold visit (baseline: interpreter only)", fmt_seconds),
    Row("ready_warm_s", "Python ready, warm visit (baseline: interpreter only)", fmt_seconds),
    Row("warm_over_cold", "warm ready ÷ cold ready", fmt_ratio),
    Row("first_output_s", "Ctrl+Enter → first output line (first run after ready)", fmt_seconds),
    Row("plot_s", "Ctrl+Enter → plot decoded (first run after ready)", fmt_seconds),
    Row("plot_repeat_s", "Ctrl+Enter → plot decoded (second run)", fmt_seconds),
    Row(
        "plot_after_reading_s",
        f"Ctrl+Enter → plot decoded (first run, {READ_SECONDS} s after ready, warm visit)",
        fmt_seconds,
    ),
    Row("nav_to_plot_cold_s", "nav → plot, Run pressed at once, cold visit", fmt_seconds),
    Row("nav_to_plot_warm_s", "nav → plot, Run pressed at once, warm visit", fmt_seconds),
    Row("bytes_before_ready", "bytes before ready (on the wire, cold)", fmt_bytes),
    Row(
        "python_file_bytes_before_ready",
        "Python files fetched before ready (their size)",
        fmt_bytes,
    ),
    Row(
        "bytes_to_plot",
        "bytes nav → main snippet's plot, Run pressed at once (cold)",
        fmt_bytes,
    ),
    Row("bytes_main_snippet", "bytes in all, nav → main snippet's plot (cold)", fmt_bytes),
    Row("bytes_main_snippet_warm", "bytes in all, nav → main snippet's plot (warm)", fmt_bytes),
]


def table(results: dict, markdown: bool = False) -> str:
    page, base = results["summary"]["page"], results["summary"]["baseline"]
    header = ["", "lesson page", "naive baseline", "page ÷ baseline"]
    lines = []
    for row in ROWS:
        p, b = page.get(row.key, {}), base.get(row.key, {})
        ratio = f"{p['median'] / b['median']:.2f}" if p and b and b["median"] else "–"
        lines.append([row.label, cell_text(p, row.fmt), cell_text(b, row.fmt), ratio])
    return (markdown_table if markdown else plain_table)(header, lines)


def variants_table(results: dict, markdown: bool = False) -> str:
    variants = results.get("variants_summary") or {}
    if not variants:
        return ""
    rows = []
    for name, stats in {"page (gzip, isolated)": results["summary"]["page"], **variants}.items():
        rows.append(
            [
                name,
                cell_text(stats.get("ready_cold_s", {}), fmt_seconds),
                cell_text(stats.get("ready_warm_s", {}), fmt_seconds),
                cell_text(stats.get("bytes_before_ready", {}), fmt_bytes),
            ]
        )
    header = ["serving", "ready, cold", "ready, warm", "bytes before ready"]
    if markdown:
        return markdown_table(header, rows)
    return "\n".join(
        "  ".join(c.ljust(28 if i == 0 else 22) for i, c in enumerate(r)) for r in [header, *rows]
    )


def report(results: dict) -> str:
    """The comparison table, the serving variants, the targets and the boot profile, as text."""
    info = results["machine"]
    lines = [
        f"{results['runs']} runs, {results['date']}; {info['cpu']}, {info['cores']} cores, "
        f"Chromium {info['chromium']}; load average {info['load_average_at_start'][0]:.1f} "
        f"at the start, {info['load_average_at_end'][0]:.1f} at the end.",
        "median (min–max) over the runs; times from navigation start or from the key press.",
        "",
        table(results),
        "",
    ]
    if results.get("variants_summary"):
        lines += ["Serving variants (the page only):", variants_table(results), ""]
    lines.append("Targets:")
    for check in results["targets"]:
        mark = "✓" if check["ok"] else "✗"
        lines.append(
            f"  {mark} {check['target']} ({check['goal']}): {check['measured']}"
            + ("" if check["ok"] else f" — {check['detail']}")
        )
    lines += ["", "The page's status line (s after navigation, cold visit):"]
    for phase in results["page_phases"]:
        lines.append(f"  {phase['median']:6.2f}  {phase['status']}")
    lines += ["", "The main cell's status in its first run (s after Ctrl+Enter):"]
    for phase in results["page_first_run"]:
        lines.append(f"  {phase['median']:6.2f}  {phase['status']}")
    if results.get("network_summary"):
        lines += ["", "Over a simulated link (cold, Run pressed at once, until the plot):"]
        lines += [network_table(results), ""]
        lines += repeated_files(results)
    if results.get("printed_latency_summary"):
        lines += ["", "Printed-then-pause latency (print → the line in the page, median s):"]
        lines.append(printed_table(results))
    if results["profile_summary"]:
        lines += ["", profile_report(results)]
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell; the first left-aligned, the others right."""
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def aligned(line: list[str]) -> str:
        cells = zip(line, widths, strict=True)
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells))

    return "\n".join(aligned(line) for line in [header, *rows])


def network_table(results: dict, markdown: bool = False) -> str:
    """Page and baseline side by side over each link and each host's cache headers."""
    header = [
        "served over",
        "nav → plot, page",
        "naive baseline",
        "page ÷ baseline",
        "bytes to plot, page",
        "baseline",
        "sent again, page",
    ]
    rows = []
    for serving, by_target in results["network_summary"].items():
        page, base = by_target.get("page", {}), by_target.get("baseline", {})
        plot, base_plot = page.get("nav_to_plot_s", {}), base.get("nav_to_plot_s", {})
        ratio = fmt_ratio(plot["median"] / base_plot["median"]) if plot and base_plot else "–"
        rows.append(
            [
                serving,
                cell_text(plot, fmt_seconds),
                cell_text(base_plot, fmt_seconds),
                ratio,
                cell_text(page.get("bytes_to_plot", {}), fmt_bytes),
                cell_text(base.get("bytes_to_plot", {}), fmt_bytes),
                cell_text(page.get("bytes_sent_again", {}), fmt_bytes),
            ]
        )
    return (markdown_table if markdown else plain_table)(header, rows)


def repeated_files(results: dict) -> list[str]:
    """Every path asked for more than once in a network visit, with its answers' statuses."""
    lines = []
    for serving, by_target in results["network_samples"].items():
        for target, samples in by_target.items():
            for run, found in enumerate(samples.get("fetched_again", []), start=1):
                for path, statuses in found.items():
                    lines.append(f"  {serving}, {target}, run {run}: {path} answered {statuses}")
    if not lines:
        return ["Every file was asked for once per visit."]
    return ["Asked for more than once in a visit (statuses of the answers):", *lines]


def printed_table(results: dict, markdown: bool = False) -> str:
    """Printed-then-pause latency, each kind of pause, on each server."""
    by_server = results["printed_latency_summary"]
    kinds = list(next(iter(by_server.values())))
    header = ["after the print", *by_server]
    rows = [
        [kind, *(cell_text(stats.get(kind, {}), fmt_seconds) for stats in by_server.values())]
        for kind in kinds
    ]
    return (markdown_table if markdown else plain_table)(header, rows)
