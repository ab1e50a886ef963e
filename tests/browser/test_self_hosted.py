"""The self-hosted build fetches nothing from anywhere but its own origin, and nothing it lacks."""

from __future__ import annotations

from conftest import run_and_wait, wait_ready


def test_a_run_of_the_main_snippet_fetches_only_from_the_site_itself(browser, server) -> None:
    context = browser.new_context()
    requested: list[str] = []
    failed: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page = context.new_page()
    page.on("worker", lambda worker: requested.append(f"worker:{worker.url}"))
    try:
        page.goto(server)
        wait_ready(page)
        status = run_and_wait(page)
        assert status.startswith("Done in")
    finally:
        context.close()
    fetched = [url for url in requested if not url.startswith("worker:")]
    assert any("scikit_learn" in url for url in fetched), "worker requests were not observed"
    assert any(url.endswith("pyodide.asm.wasm") for url in fetched)
    foreign = [u for u in fetched if not u.startswith((server, "blob:", "data:"))]
    assert foreign == []
    assert failed == []  # no 404s either (a missing favicon, say)
