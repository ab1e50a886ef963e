"""The worker's boot, one timed step at a time (``benchmarks/profile/``), and its report."""

from __future__ import annotations

import json
import statistics
import time
from urllib.parse import quote

from .browser import browser_profile
from .server import Server
from .site_build import PYODIDE_DIR, WORKER_ENV
from .summary import summary
from .targets import PAGE, SNIPPET
from .visit import TIMEOUT_MS


def boot_profile(
    playwright,
    server: Server,
    preload: list[str],
    *,
    repair: bool = True,
    precompile: bool = False,
    warm: bool = True,
) -> dict:
    """benchmarks/profile/: the worker's boot, one timed step at a time.

    A cold visit in a new browser profile, then (``warm``) a second visit in the same one.
    ``repair=False`` skips lab_runner's font-cache repair, to see what it saves;
    ``precompile=True`` byte-compiles site-packages first, to see what .pyc files would save.
    """
    query = (
        f"index={PYODIDE_DIR}/&snippet={SNIPPET}&preload={json.dumps(preload)}"
        f"&env={quote(json.dumps(WORKER_ENV))}"
        f"&repair={int(repair)}&precompile={int(precompile)}"
    )
    results = {}
    with browser_profile(playwright, PAGE) as context:
        for visit_name in ("cold", "warm") if warm else ("cold",):
            page = context.new_page()
            page.goto(f"{server.url}profile/index.html?{query}")
            page.wait_for_function("window.profileResult !== undefined", timeout=TIMEOUT_MS)
            result = page.evaluate("window.profileResult")
            page.close()
            if "error" in result:
                raise RuntimeError(f"the boot profile failed: {result['error']}")
            results[visit_name] = result
            time.sleep(1)
    return results


def profile_summary(profiles: list[dict]) -> list[dict]:
    steps: dict[str, list[float]] = {}
    for profile in profiles:
        for step in profile["steps"]:
            steps.setdefault(step["step"], []).append(step["ms"] / 1000)
    return [{"step": name, **summary(values)} for name, values in steps.items()]


def profile_report(results: dict) -> str:
    """The worker boot profile: steps cold and warm, compile and figure costs, font cache."""
    cold, warm = results["profile_summary"]["cold"], results["profile_summary"]["warm"]
    warm_by_step = {step["step"]: step["median"] for step in warm}
    lines = ["Worker boot, step by step (benchmarks/profile; median s, cold / warm visit):"]
    for step in cold:
        lines.append(
            f"  {step['median']:6.2f} / {warm_by_step.get(step['step'], float('nan')):5.2f}"
            f"  {step['step']}"
        )
    colds = [p["cold"] for p in results["profile"]]
    first = colds[0]

    def median_of(*keys: str) -> float:
        values = []
        for profile in colds:
            value = profile
            for key in keys:
                value = value[key]
            values.append(value)
        return statistics.median(values)

    lines.append(
        "  compiling the .py sources of the modules imported by ready (median s): "
        f"{median_of('compileBeforeReady', 'seconds', 'stdlib'):.2f} stdlib "
        f"({first['compileBeforeReady']['modules']['stdlib']} modules), "
        f"{median_of('compileBeforeReady', 'seconds', 'site-packages'):.2f} site-packages "
        f"({first['compileBeforeReady']['modules']['site-packages']}); "
        f".pyc modules: {first['compileBeforeReady']['pyc_modules']}"
    )
    lines.append(
        "  … and of everything imported once the main snippet ran: "
        f"{median_of('compileAll', 'seconds', 'stdlib'):.2f} stdlib, "
        f"{median_of('compileAll', 'seconds', 'site-packages'):.2f} site-packages "
        f"({first['compileAll']['modules']['site-packages']} modules)"
    )
    lines.append(
        "  the main snippet's figure to PNG (median s): "
        f"{median_of('figureCost', 'tight'):.3f} with bbox_inches='tight', "
        f"{median_of('figureCost', 'plain'):.3f} without"
    )
    lines.append(
        f"  font cache rewritten by the repair: {first['fontCacheRewritten']}; "
        f"“building the font cache” messages: {len(first['fontCacheMessages'])}"
    )
    unrepaired = results.get("profile_without_font_cache_repair")
    if unrepaired:
        steps = {step["step"]: step["ms"] / 1000 for step in unrepaired["steps"]}
        lines.append(
            "  without the repair: import matplotlib.pyplot "
            f"{steps.get('import matplotlib.pyplot', float('nan')):.2f} s; messages: "
            f"{unrepaired['fontCacheMessages']}"
        )
    precompiled = results["profile_summary"].get("precompiled")
    if precompiled:
        with_pyc = {step["step"]: step["median"] for step in precompiled}
        plain = {step["step"]: step["median"] for step in cold}
        lines.append(
            "  with site-packages byte-compiled beforehand (as .pyc wheels would be), "
            "cold, median s:"
        )
        for name in (
            "import lab_runner",
            "import matplotlib.pyplot",
            "first figure rendered to PNG (what warm_up draws)",
            "import sklearn.linear_model",
            f"first run of {SNIPPET} (run_cell, figure included)",
        ):
            before, after = plain.get(name, float("nan")), with_pyc.get(name, float("nan"))
            lines.append(f"    {name}: {before:.2f} s → {after:.2f} s")
    return "\n".join(lines)
