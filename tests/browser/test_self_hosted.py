"""The self-hosted build fetches nothing from anywhere but its own origin, and nothing it lacks."""

from __future__ import annotations

import re
import time

from conftest import cell, output_text, run_and_wait, set_code, wait_ready


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


def test_a_run_pressed_while_python_loads_goes_before_the_background_downloads(
    browser, server
) -> None:
    """The learner's Run comes first: scikit-learn's prefetch waits until it is done."""
    context = browser.new_context(bypass_csp=True)
    # Each request with the clock time Playwright saw it at (Resource Timing is empty for
    # a download still going when the context closes).
    requests: list[tuple[str, float]] = []
    context.on("request", lambda request: requests.append((request.url, time.time() * 1000)))
    page = context.new_page()
    try:
        page.goto(server)
        cell(page).locator(".cm-content").click()
        page.keyboard.press("Control+End")
        page.keyboard.insert_text("\nimport time\ntime.sleep(2)  # a long run\n")
        assert page.get_attribute("#python-status", "data-phase") != "ready"
        status = run_and_wait(page)  # pressed before ready: queued, then run first
        done_at = page.evaluate("Date.now()")
        assert status.startswith("Done in"), status
        assert "textbook formula" in output_text(page)
        assert cell(page).locator(".cell-output img").count() == 1
        deadline = time.monotonic() + 60
        while not any("scikit_learn" in url for url, _ in requests):
            assert time.monotonic() < deadline, "scikit-learn was not prefetched after the run"
            page.wait_for_timeout(200)
    finally:
        context.close()
    background = [at for url, at in requests if "scipy" in url or "scikit_learn" in url]
    # Fetched at the start of the run, they would start 2 s or more before it is done;
    # done_at is when the test saw "Done", some time after the worker finished.
    assert background and all(at > done_at - 1000 for at in background)


def test_fonttools_and_pytz_come_after_ready_or_the_moment_a_run_imports_them(
    browser, server
) -> None:
    """matplotlib draws PNGs without them, so they are not fetched before ready; a PDF
    saved right at ready installs fontTools on its import (lab_runner.lazy_install)."""
    context = browser.new_context(bypass_csp=True)
    requests: list[tuple[str, float]] = []
    context.on("request", lambda request: requests.append((request.url, time.time())))
    # The background prefetch asks for fontTools and pytz (with fetch) 1.5 s after ready,
    # once nothing runs; typing the code may take longer than that on a loaded machine,
    # and then the prefetch, not the Run's import, would install fontTools.  Its requests
    # for them are held (never answered), whenever they come; the Run's import asks with
    # a synchronous XHR (installNow in python-worker.js), which goes through.
    held: list[str] = []

    def hold_the_prefetch(route) -> None:
        if route.request.resource_type == "fetch":
            held.append(route.request.url.rsplit("/", 1)[-1])
        else:
            route.continue_()

    context.route(re.compile(r"/(fonttools|pytz)-[^/]*\.whl$"), hold_the_prefetch)
    page = context.new_page()
    try:
        page.goto(server)
        wait_ready(page)
        ready_at = time.time()
        set_code(
            page,
            "import io, importlib.metadata\n"
            "import matplotlib.pyplot as plt\n"
            "plt.rcParams['pdf.fonttype'] = 42  # TrueType subsets: made by fontTools\n"
            "plt.plot([0, 1], label='line')\n"
            "plt.legend()\n"
            "pdf = io.BytesIO()\n"
            "plt.savefig(pdf, format='pdf')\n"
            "plt.close()\n"
            "print(pdf.getvalue()[:5].decode())\n"
            "print(importlib.metadata.distribution('fonttools').read_text('INSTALLER'))",
        )
        assert run_and_wait(page).startswith("Done in"), output_text(page)
        assert output_text(page).split() == ["%PDF-", "lab_runner.lazy_install"]
        # The hold did catch the prefetch (pytz, fontTools being in): it was no accident.
        deadline = time.monotonic() + 60
        while not held:
            assert time.monotonic() < deadline, "the prefetch never asked for fontTools or pytz"
            page.wait_for_timeout(200)
    finally:
        context.close()
    wheels = [(url.rsplit("/", 1)[-1], at) for url, at in requests if url.endswith(".whl")]
    assert not [
        name for name, at in wheels if at < ready_at and name.startswith(("fonttools-", "pytz-"))
    ]
    assert any(name.startswith("fonttools-") for name, _ in wheels)
