"""The self-hosted build fetches nothing from anywhere but its own origin, and nothing it lacks."""

from __future__ import annotations

import time

from conftest import run_and_wait, wait_ready


def test_a_run_of_the_main_snippet_fetches_only_from_the_site_itself(browser, server) -> None:
    context = browser.new_context(bypass_csp=True)
    # The page's clock time when the status line first says "ready".
    context.add_init_script(
        """new MutationObserver((_, observer) => {
            if (document.querySelector('#python-status')?.dataset.phase === 'ready') {
                window.readyAt = Date.now();
                observer.disconnect();
            }
        }).observe(document, { subtree: true, childList: true, attributes: true });"""
    )
    requests = []
    requested: list[str] = []
    context.on("request", lambda request: requests.append(request))
    failed: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page = context.new_page()
    page.on("worker", lambda worker: requested.append(f"worker:{worker.url}"))
    try:
        page.goto(server)
        wait_ready(page)
        # Once ready, scikit-learn is fetched in the background, before any Run.
        deadline = time.monotonic() + 60
        while not any("scikit_learn" in url for url in requested):
            assert time.monotonic() < deadline, "scikit-learn was not prefetched after ready"
            page.wait_for_timeout(200)
        status = run_and_wait(page)
        assert status.startswith("Done in")
        ready_at = page.evaluate("window.readyAt")
        before_ready = [r.url for r in requests if 0 < r.timing["startTime"] < ready_at]
    finally:
        context.close()
    fetched = [url for url in requested if not url.startswith("worker:")]
    assert any("scikit_learn" in url for url in fetched), "worker requests were not observed"
    assert any(url.endswith("pyodide.asm.wasm") for url in fetched)
    foreign = [u for u in fetched if not u.startswith((server, "blob:", "data:"))]
    assert foreign == []
    assert failed == []  # no 404s either (a missing favicon, say)
    assert any("numpy" in url for url in before_ready)
    early = [u for u in before_ready if "scipy" in u or "scikit_learn" in u or "openblas" in u]
    assert early == []  # nothing of scipy or scikit-learn before Python is ready
