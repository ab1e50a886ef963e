"""One download per file per visit, whatever cache headers the host sends.

A whole first visit, Run pressed at once: the main snippet's plot, then, once Python is
idle, the background prefetch (scikit-learn...), the installed files kept for the next
visit, the interpreter snapshot made by a throwaway worker and the site saved for offline
use by the service worker.  The server counts the requests for every path, and none may
be asked for twice (but BROWSER_UPDATE_CHECK, and LOADED_BY_THE_BROWSER under no-store,
below say why): the worker downloads the wheels early (while WebAssembly compiles)
and Pyodide's loader is answered from those very bytes (web/js/worker/early-downloads.js);
what the worker fetched is handed to the offline copy and to the snapshot maker
(web/js/worker/kept-downloads.js), so this holds even where the browser's HTTP cache
cannot help.  The server is build's handler with its Cache-Control replaced by each
host's:

- ``build.py serve``: ``immutable`` for the versioned Pyodide folder and assets/;
- GitHub Pages: ``max-age=600``;  Netlify: ``max-age=0, must-revalidate``;
- ``no-store``.

And GitHub Pages as it is, without COOP/COEP: the service worker makes the page isolated
by reloading it once.  A Run pressed while the prefetch downloads gets the worker before
the prefetch's next package.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import cell, wait_ready

from sitebuild.config import PREFETCH_PACKAGES, PRELOAD_PACKAGES
from sitebuild.serve import make_handler

CACHE_HEADERS = {
    "build.py serve": None,  # as sitebuild.serve.make_handler sends them
    "GitHub Pages": "max-age=600",
    "Netlify": "public, max-age=0, must-revalidate",
    "no-store": "no-store",
}
# Allowed a second request: the browser's own update check of the service worker's
# script (the service-worker spec's soft update, which Chromium runs after a page or
# worker the service worker controls has loaded), how a new build reaches learners; a few
# kilobytes.
BROWSER_UPDATE_CHECK = "/sw.js"
# Under no-store only: files the browser itself loaded as the page's scripts, fonts and
# icon, and the worker's module scripts (pyodide.mjs, pyodide.asm.js), before any service
# worker could see them.  No script can read those bytes and the host forbids the HTTP
# cache to keep them, so the offline copy must download them once more.  Everything a
# script fetches (wheels, the standard library, the WebAssembly module, the lock) and the
# page itself are downloaded once whatever the headers.
LOADED_BY_THE_BROWSER = (".js", ".mjs", ".woff2", ".svg")
VISIT_TIMEOUT_S = 240
SETTLE_S = 2
# The clock time at which the main cell first shows an image (Date.now(): this machine's
# clock, as the server's).
PLOT_CLOCK = """
new MutationObserver((_, observer) => {
    if (document.querySelector(".cell[data-cell-id='main'] .cell-output img")) {
        window.plotAt = Date.now();
        observer.disconnect();
    }
}).observe(document, { subtree: true, childList: true });
"""


class CountingServer:
    """sitebuild's handler (cross-origin isolated by its headers, unless isolated is False)
    with Cache-Control replaced; counts the requests for each path."""

    def __init__(
        self, site, cache_control: str | None, on_request=lambda path: None, isolated=True
    ) -> None:
        self.requests: list[tuple[float, str]] = []  # (clock time in ms, path)
        self.lock = threading.Lock()
        counting = self

        class Handler(make_handler(site, isolated=isolated)):
            def send_head(self):
                path = urlsplit(self.path).path
                with counting.lock:
                    counting.requests.append((time.time() * 1000, path))
                on_request(path)
                return super().send_head()

            def send_header(self, keyword: str, value: str) -> None:
                if cache_control is not None and keyword.lower() == "cache-control":
                    value = cache_control
                super().send_header(keyword, value)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}/"

    def counts(self, until_ms: float) -> Counter[str]:
        """How many times each path was asked for until then (clock time in ms)."""
        with self.lock:
            return Counter(path for at, path in self.requests if at <= until_ms)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def sent_size(site: Path, path: str) -> int:
    """The bytes the server sends for a path to a browser that accepts Brotli."""
    file = site / path.lstrip("/")
    if path.endswith("/"):
        file = file / "index.html"
    for twin in (file.with_name(file.name + ".br"), file.with_name(file.name + ".gz"), file):
        if twin.is_file():
            return twin.stat().st_size
    return 0


def visit_complete(page) -> bool:
    """Whether the visit's background work is over: the site saved for offline use, the
    installed files and the interpreter snapshot kept in Cache Storage."""
    return page.evaluate(
        """async () => {
            const kept = async (name) => (await caches.has(name))
                && (await (await caches.open(name)).keys()).length > 0;
            return ["ready", "error"].includes(globalThis.labOffline?.state)
                && await kept("python-installed-files") && await kept("python-snapshot");
        }"""
    )


def prefetched_wheels(site: Path) -> set[str]:
    """The wheels only the background prefetch brings (scikit-learn, scipy, ...): the
    closure of the prefetched packages in the page's lock, less the preloaded one's."""
    packages = json.loads((site / "py" / "pyodide-lock.json").read_text())["packages"]

    def closure(names) -> set[str]:
        found: set[str] = set()
        todo = [re.sub(r"[-_.]+", "-", name.lower()) for name in names]
        while todo:
            key = todo.pop()
            if key in packages and key not in found:
                found.add(key)
                todo += [re.sub(r"[-_.]+", "-", d.lower()) for d in packages[key]["depends"]]
        return found

    only = closure(PREFETCH_PACKAGES) - closure(PRELOAD_PACKAGES)
    return {packages[key]["file_name"].rsplit("/", 1)[-1] for key in only}


def whole_first_visit(browser, server: CountingServer) -> float:
    """A first visit, Run pressed at once, until its background work is over; the clock
    time of the main snippet's plot.  Checks the plot and the offline copy."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(PLOT_CLOCK)
        page.goto(server.url)
        main = cell(page)
        main.locator("button.run").click()  # at once: Python is still loading
        image = main.locator(".cell-output img")
        image.wait_for(timeout=180_000)
        width = image.evaluate("img => img.decode().then(() => img.naturalWidth)")
        assert width > 200
        assert main.locator(".cell-status").inner_text().startswith("Done in")
        assert page.evaluate("crossOriginIsolated") is True
        plot_at = page.evaluate("window.plotAt")
        deadline = time.monotonic() + VISIT_TIMEOUT_S
        while not visit_complete(page):
            assert time.monotonic() < deadline, "the visit's background work did not end"
            time.sleep(0.5)
        time.sleep(SETTLE_S)  # anything still on its way is counted too
        offline = page.evaluate("({ ...labOffline })")
    finally:
        context.close()
        server.close()
    assert offline["state"] == "ready" and offline["failed"] == 0, offline
    counts = server.counts(until_ms=float("inf"))
    wheels = [path for path in counts if path.endswith(".whl")]
    assert any("/matplotlib-" in path for path in wheels), sorted(counts)
    assert any("/scikit_learn-" in path for path in wheels), sorted(counts)
    return plot_at


@pytest.mark.parametrize("host", list(CACHE_HEADERS))
def test_a_whole_first_visit_asks_for_every_file_once(browser, site, host) -> None:
    server = CountingServer(site, CACHE_HEADERS[host])
    plot_at = whole_first_visit(browser, server)
    counts = server.counts(until_ms=float("inf"))
    print(f"\n{host}: {sum(counts.values())} requests for {len(counts)} paths")
    assert counts["/"] == 1
    assert counts["/sw.js"] <= 2, counts["/sw.js"]  # see BROWSER_UPDATE_CHECK
    twice = {path: n for path, n in counts.items() if n > 1 and path != BROWSER_UPDATE_CHECK}
    again = sum(sent_size(site, path) for path in twice)
    print(f"asked for more than once ({again / 1e6:.2f} MB sent again): {twice}")
    if host != "no-store":
        assert twice == {}, f"{host}: asked for more than once: {twice}"
    else:
        unreadable = {path: n for path, n in twice.items() if path.endswith(LOADED_BY_THE_BROWSER)}
        assert twice == unreadable, f"{host}: asked for more than once: {twice}"
        assert set(twice.values()) <= {2}, twice

    # The prefetch never competes with the first Run: none of its wheels is asked for
    # before the main snippet's plot is on the page (the server's clock, as the page's).
    prefetched = prefetched_wheels(site)
    assert prefetched, "the lock lists no package that only the prefetch brings"
    early = [
        path
        for at, path in server.requests
        if at < plot_at and path.rsplit("/", 1)[-1] in prefetched
    ]
    assert early == [], f"{host}: the prefetch asked before the plot for {early}"


def test_a_run_pressed_while_the_prefetch_downloads_goes_before_its_next_package(
    browser, site
) -> None:
    """Run pressed the moment the prefetch asks for scipy (scikit-learn's turn): the main
    snippet's plot is on the page before the prefetch asks for its next package (linreg)."""
    asked_for_scipy = threading.Event()

    def on_request(path: str) -> None:
        if "/scipy-" in path:
            asked_for_scipy.set()

    server = CountingServer(site, None, on_request)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(PLOT_CLOCK)
        page.goto(server.url)
        wait_ready(page)
        assert asked_for_scipy.wait(120), "the prefetch never asked for scipy"
        pressed = time.time() * 1000
        main = cell(page)
        main.locator("button.run").click()
        main.locator(".cell-output img").wait_for(timeout=120_000)
        assert main.locator(".cell-status").inner_text().startswith("Done in")
        plot_at = page.evaluate("window.plotAt")
        linreg = [at for at, path in server.requests if "/linreg-" in path]
        deadline = time.monotonic() + 120
        while not linreg:  # the prefetch goes on once the Run is over
            assert time.monotonic() < deadline, "the prefetch never asked for linreg"
            time.sleep(0.2)
            linreg = [at for at, path in server.requests if "/linreg-" in path]
    finally:
        context.close()
        server.close()
    print(f"\nRun pressed during the prefetch: plot after {(plot_at - pressed) / 1000:.2f} s")
    assert plot_at < min(linreg), "the prefetch's next package was asked for before the plot"


def test_a_whole_first_visit_to_a_host_without_headers_asks_for_every_file_once(
    browser, site
) -> None:
    """GitHub Pages as it is: no COOP/COEP, `max-age=600`.  The service worker makes the
    page isolated by reloading it once, before Python starts: that reload asks for the
    page again (its scripts come from the HTTP cache).  Everything else once, but the
    browser's update checks of sw.js (after each page or worker it controls loads)."""
    server = CountingServer(site, "max-age=600", isolated=False)
    whole_first_visit(browser, server)
    counts = server.counts(until_ms=float("inf"))
    print(f"\nno headers: {sum(counts.values())} requests for {len(counts)} paths")
    assert counts["/"] == 2  # the page, and the reload that makes it isolated
    # Registered, then checked after the reload, the Python worker's and the snapshot
    # maker's starts: a few kilobytes each.
    assert counts[BROWSER_UPDATE_CHECK] <= 4, counts[BROWSER_UPDATE_CHECK]
    allowed = ("/", BROWSER_UPDATE_CHECK)
    twice = {path: n for path, n in counts.items() if n > 1 and path not in allowed}
    assert twice == {}, f"asked for more than once: {twice}"
