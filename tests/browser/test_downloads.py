"""One download per file per visit, whatever cache headers the host sends.

A first visit, Run pressed at once, up to the main snippet's plot: the server counts the
requests for every path, and none may be asked for twice.  The worker downloads the
wheels early (while WebAssembly compiles) and Pyodide's loader is answered from those
very bytes (web/js/worker/early-downloads.js), so this holds even where the browser's
HTTP cache cannot help: the server is build's handler with its Cache-Control replaced
by each host's:

- ``build.py serve``: ``immutable`` for the versioned Pyodide folder and assets/;
- GitHub Pages: ``max-age=600``;  Netlify: ``max-age=0, must-revalidate``;
- ``no-store``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from conftest import cell

from sitebuild.serve import make_handler

CACHE_HEADERS = {
    "build.py serve": None,  # as sitebuild.serve.make_handler sends them
    "GitHub Pages": "max-age=600",
    "Netlify": "public, max-age=0, must-revalidate",
    "no-store": "no-store",
}
# The clock time at which the main cell first shows an image (Date.now(): this machine's
# clock, as the server's).  Later, once Python is idle, the page saves the site for offline
# use (the service worker fetches every file once more); that is after the plot.
PLOT_CLOCK = """
new MutationObserver((_, observer) => {
    if (document.querySelector(".cell[data-cell-id='main'] .cell-output img")) {
        window.plotAt = Date.now();
        observer.disconnect();
    }
}).observe(document, { subtree: true, childList: true });
"""


class CountingServer:
    """sitebuild's handler (cross-origin isolated) with Cache-Control replaced; counts the
    requests for each path."""

    def __init__(self, site, cache_control: str | None) -> None:
        self.requests: list[tuple[float, str]] = []  # (clock time in ms, path)
        self.lock = threading.Lock()
        counting = self

        class Handler(make_handler(site, isolated=True)):
            def send_head(self):
                with counting.lock:
                    counting.requests.append((time.time() * 1000, urlsplit(self.path).path))
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


@pytest.mark.parametrize("host", list(CACHE_HEADERS))
def test_a_first_visit_asks_for_every_file_once(browser, site, host) -> None:
    server = CountingServer(site, CACHE_HEADERS[host])
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
        counts = server.counts(until_ms=page.evaluate("window.plotAt"))  # nav → plot
        assert width > 200
        assert main.locator(".cell-status").inner_text().startswith("Done in")
    finally:
        context.close()
        server.close()
    wheels = [path for path in counts if path.endswith(".whl")]
    assert any("/matplotlib-" in path for path in wheels), sorted(counts)
    assert any("/numpy-" in path for path in wheels), sorted(counts)
    assert counts["/"] == 1
    twice = {path: n for path, n in counts.items() if n > 1}
    assert twice == {}, f"{host}: asked for more than once: {twice}"
