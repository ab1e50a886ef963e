"""One benchmark: build the site, serve it, and run every session ``runs`` times, page and
baseline interleaved (the order alternates from run to run); the results as one dict."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from .boot_profile import boot_profile, profile_summary
from .machine import chromium_version, machine, source_state
from .network import SERVINGS, network_visit
from .printed import printed_latency
from .published import budget, stock_pyodide
from .report import ROWS
from .server import Server
from .sessions import cold_and_warm, run_at_once, serving_variant, typing_the_playwright_way
from .site_build import ROOT, build
from .summary import phase_summary, run_timeline_summary, summary
from .targets import BASELINE, MARKER, PAGE, SNIPPET

NETWORK_FIGURES = ("nav_to_plot_s", "bytes_to_plot", "bytes_in_visit", "requests_to_plot",
                   "bytes_sent_again")  # fmt: skip
LOCAL_FIGURES = ("run_pressed_at_s", "kept_after_ready_s", "bytes_sent_again_to_plot")


def build_site(work: Path) -> tuple[Path, dict, str]:
    """The site, the baseline and the boot profile in ``work/dist``; the build's config and
    the main snippet's code."""
    site = work / "dist"
    config = build(site)
    for folder in ("baseline", "profile"):
        shutil.copytree(ROOT / "benchmarks" / folder, site / folder)
    stock_pyodide(site)
    snippets = json.loads((site / "snippets.json").read_text())
    code = snippets["snippets"][SNIPPET]["code"]
    if MARKER in code:
        raise SystemExit(f"the {SNIPPET} snippet contains {MARKER!r}, the character typed")
    return site, config, code


def progress(samples: dict) -> str:
    page, base = samples["page"], samples["baseline"]
    return (
        f"  page: ready {page['ready_cold_s'][-1]:.2f} s cold, {page['ready_warm_s'][-1]:.2f} s "
        f"warm; plot {page['plot_s'][-1]:.2f} s after ready; nav → plot "
        f"{page['nav_to_plot_cold_s'][-1]:.2f} s (baseline {base['nav_to_plot_cold_s'][-1]:.2f} s)"
    )


def measure(runs: int, variants: bool, profile: bool, network: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    started = time.time()
    info = machine()
    source = source_state()
    work = Path(tempfile.mkdtemp(prefix="lab-bench-site-"))
    site, config, code = build_site(work)
    lock = json.loads((site / "py" / "pyodide-lock.json").read_text())
    allowed = budget(site, lock["packages"])
    servers = {"main": Server(site)}
    if variants:
        servers["page, gzip off"] = Server(site, precompressed=False)
        servers["page, not isolated"] = Server(site, isolated=False)
    # The printed-then-pause latency: cross-origin isolated, and (with variants) not.
    printed_servers = {"isolated": "main", "not isolated": "page, not isolated"}
    printed_servers = {label: name for label, name in printed_servers.items() if name in servers}

    samples: dict = {"page": {}, "baseline": {}}
    variant_samples: dict = {name: {} for name in servers if name != "main"}
    network_samples: dict = (
        {s.name: {"page": {}, "baseline": {}} for s in SERVINGS} if network else {}
    )
    printed_samples: dict = {label: {} for label in printed_servers}
    profiles: list[dict] = []
    unrepaired: dict | None = None
    try:
        with sync_playwright() as playwright:
            for index in range(runs):
                order = (PAGE, BASELINE) if index % 2 == 0 else (BASELINE, PAGE)
                print(f"run {index + 1}/{runs} …", flush=True)
                for target in order:
                    cold_and_warm(playwright, servers["main"], target, code, samples[target.name])
                for target in order:
                    run_at_once(playwright, servers["main"], target, code, samples[target.name])
                for target in order:
                    typing_the_playwright_way(
                        playwright, servers["main"], target, samples[target.name]
                    )
                for name, server in servers.items():
                    if name != "main":
                        serving_variant(playwright, server, variant_samples[name])
                for label, name in printed_servers.items():
                    printed_latency(playwright, servers[name], printed_samples[label])
                for serving in SERVINGS if network else ():
                    for target in order:
                        network_visit(
                            playwright,
                            site,
                            serving,
                            target,
                            code,
                            network_samples[serving.name][target.name],
                        )
                if profile:
                    preload = config["preloadPackages"]
                    profiles.append(boot_profile(playwright, servers["main"], preload))
                    profiles[-1]["precompiled"] = boot_profile(
                        playwright, servers["main"], preload, precompile=True, warm=False
                    )["cold"]
                    if index == 0:
                        unrepaired = boot_profile(
                            playwright, servers["main"], preload, repair=False, warm=False
                        )["cold"]
                print(progress(samples), flush=True)
    finally:
        for server in servers.values():
            server.close()
        shutil.rmtree(work, ignore_errors=True)

    numeric = {row.key for row in ROWS} | set(LOCAL_FIGURES)
    info["chromium"] = chromium_version()
    info["load_average_at_end"] = os.getloadavg()
    return {
        "benchmark": "python -m benchmarks.page",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started),
        "runs": runs,
        "machine": info,
        "source": source,
        "build": {key: config[key] for key in ("buildId", "pyodideVersion", "preloadPackages")},
        "snippet": SNIPPET,
        "budget": allowed,
        "samples": samples,
        "summary": {
            name: {key: summary(values) for key, values in target.items() if key in numeric}
            for name, target in samples.items()
        },
        "variants_summary": {
            name: {key: summary(values) for key, values in values_by_key.items()}
            for name, values_by_key in variant_samples.items()
        },
        "variant_samples": variant_samples,
        "network_samples": network_samples,
        "network_summary": {
            serving: {
                name: {key: summary(target[key]) for key in NETWORK_FIGURES if key in target}
                for name, target in by_target.items()
            }
            for serving, by_target in network_samples.items()
        },
        "printed_latency_samples": printed_samples,
        "printed_latency_summary": {
            label: {kind: summary(values) for kind, values in by_kind.items()}
            for label, by_kind in printed_samples.items()
        },
        "page_phases": phase_summary(samples["page"]["status_timeline"]),
        "baseline_phases": phase_summary(samples["baseline"]["status_timeline"]),
        "page_first_run": run_timeline_summary(samples["page"]["first_run_timeline"]),
        "baseline_first_run": run_timeline_summary(samples["baseline"]["first_run_timeline"]),
        "profile": profiles,
        "profile_summary": {
            visit: profile_summary([p[visit] for p in profiles])
            for visit in ("cold", "warm", "precompiled")
        }
        if profiles
        else {},
        "profile_without_font_cache_repair": unrepaired,
    }
