"""A second visit reuses what the browser compiled on the first.

Chromium keeps the machine code it compiled for Pyodide's 10 MB WebAssembly module (the
wasm code cache) beside the HTTP cache entry the module came from, once the module's hot
functions are optimised, and a later visit skips compiling only when the module is handed
over from that same entry.  The site's service worker sits between the Python worker and
every cache, so it decides: a Response it rebuilds (to add headers) or takes from Cache
Storage is compiled from scratch on every visit.  This test drives two visits in one
browser profile on a host that sends no COOP/COEP (so the service worker serves both
visits) and reads Chromium's own trace events for the module.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from conftest import profile_context, wait_ready

WASM = "pyodide.asm.wasm"
# Blink's trace events for wasm streaming compilation (v8_wasm_response_extensions.cc).
WASM_EVENTS = ("v8.wasm.moduleCacheHit", "v8.wasm.compiledModule", "v8.wasm.cachedModule")
CODE_CACHE_WAIT_S = 90


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) if folder.exists() else 0


def wasm_events(context, url: str) -> tuple[list[str], float]:
    """Visit url in a new tab while tracing; the wasm code cache events and the seconds to ready."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    events: list[dict] = []
    done = threading.Event()
    cdp.on("Tracing.dataCollected", lambda params: events.extend(params["value"]))
    cdp.on("Tracing.tracingComplete", lambda params: done.set())
    cdp.send(
        "Tracing.start",
        {
            "traceConfig": {"includedCategories": ["disabled-by-default-devtools.timeline"]},
            "transferMode": "ReportEvents",
        },
    )
    try:
        began = time.monotonic()
        page.goto(url)
        wait_ready(page)
        seconds = time.monotonic() - began
        assert page.evaluate("crossOriginIsolated") is True
    finally:
        cdp.send("Tracing.end")
        done.wait(30)
        page.close()
    names = [
        event["name"]
        for event in events
        if event.get("name") in WASM_EVENTS
        and (event["name"] == "v8.wasm.cachedModule" or WASM in str(event.get("args", {})))
    ]
    return names, seconds


def test_the_second_visit_reuses_the_compiled_webassembly(browser, plain_server, tmp_path) -> None:
    profile = tmp_path / "profile"
    context = profile_context(browser, profile)
    try:
        first, cold_s = wasm_events(context, plain_server)
        assert "v8.wasm.moduleCacheHit" not in first, first  # a new profile: nothing to reuse

        # The first visit's compiled code is written a few seconds after the optimising
        # compiler goes quiet, on the disk of the profile.
        code_cache = profile / "Default" / "Code Cache" / "wasm"
        deadline = time.monotonic() + CODE_CACHE_WAIT_S
        while folder_bytes(code_cache) < 500_000 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert folder_bytes(code_cache) >= 500_000, "Chromium saved no compiled code for the module"

        second, warm_s = wasm_events(context, plain_server)
        print(f"\nready: first visit {cold_s:.1f} s, second {warm_s:.1f} s; events: {second}")
        assert second.count("v8.wasm.moduleCacheHit") == 1, second
    finally:
        context.close()
