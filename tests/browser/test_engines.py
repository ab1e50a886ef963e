"""Every engine, and never a silent hang.

- A page without SharedArrayBuffer (as in WebKitGTK 2.50, which reports
  ``crossOriginIsolated`` true without it) still starts; Stop restarts Python instead of
  interrupting it, and input() says why it cannot wait.
- A start that fails (the worker's script missing) or makes no progress (a worker that
  never answers) ends in a clear message with a Retry button, which then starts Python.
- Smoke tests in Debian's three engines, one visit of the lesson each (the same script,
  engines/lesson_smoke.js): Python becomes ready, the main snippet prints and plots, Stop
  ends ``while True: pass``, and "Open in full editor" carries the code.  Chromium through
  Playwright, Firefox ESR through puppeteer-core over WebDriver BiDi
  (engines/firefox_smoke.mjs), WebKitGTK through Selenium and its WebKitWebDriver,
  MiniBrowser on a virtual X display.  How long each took is printed (``-s``).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT, output_text, run_and_wait, set_code, wait_ready

HERE = Path(__file__).parent / "engines"
SMOKE = (HERE / "lesson_smoke.js").read_text()
SMOKE_TIMEOUT_MS = 240_000  # per step, generous: 2 cores shared by many
OPEN_FULL = ".cell[data-cell-id='main'] a.open-full"
EDITED = "# carried to the full editor\nprint(sum(range(10)))"
FIREFOX = Path("/usr/bin/firefox-esr")
WEBKIT_DRIVER = Path("/usr/bin/WebKitWebDriver")
MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
XVFB = Path("/usr/bin/Xvfb")
RESTARTED = (
    "Stopped. Python was restarted, so variables from earlier runs are gone; Run starts afresh."
)
NO_SHARED_MEMORY = "delete globalThis.SharedArrayBuffer;"
NEVER_ANSWERS = "// a worker that never answers\n"


def smoke_call(timeout_ms: int = SMOKE_TIMEOUT_MS) -> str:
    """The smoke script as an expression every driver evaluates (its promise awaited)."""
    return f"({SMOKE})({timeout_ms}, {json.dumps(EDITED)})"


def assert_smoke(result: dict, *, shared_memory: bool) -> None:
    """What every engine must show in its visit of the lesson."""
    assert "error" not in result, result
    assert result["python"]["phase"] == "ready", result["python"]
    main = result["main"]
    assert main["status"].startswith("Done in"), main
    assert "np.polyfit" in main["output"] and "gradient descent" in main["output"], main
    assert main["plot"] and main["plot"]["width"] > 200 and main["plot"]["height"] > 100, main
    assert "Least-squares line" in main["plot"]["alt"]
    assert result["sharedMemory"] is shared_memory
    stop = result["stop"]
    assert stop["status"] == "Stopped", stop
    if shared_memory:
        assert stop["notices"] == ["Stopped (KeyboardInterrupt). Your variables are kept."]
    else:
        assert stop["notices"] == [RESTARTED], stop
    assert result["fullEditor"] == EDITED


def report(engine: str, result: dict, seconds: float) -> None:
    print(
        f"\n{engine}: visit {seconds:.1f} s (ready at {result['python']['at']} s, "
        f"main snippet done at {result['main']['at']} s, Stop took {result['stop']['ms']} ms)"
    )


# ----------------------------------------------------------------- without shared memory


@pytest.fixture
def fresh_page(browser):
    """A page in a context of its own: no service worker from other tests (it would answer
    requests routed here), nothing cached or stored."""
    context = browser.new_context(bypass_csp=True, service_workers="block")
    try:
        yield context.new_page()
    finally:
        context.close()


def test_without_shared_memory_python_starts_stop_restarts_and_input_says_why(
    fresh_page, server
) -> None:
    page = fresh_page
    page.add_init_script(NO_SHARED_MEMORY)
    page.goto(server)
    wait_ready(page)
    assert page.evaluate("crossOriginIsolated && typeof SharedArrayBuffer") == "undefined"
    assert page.evaluate("labPython.interruptBuffer") is None
    set_code(page, "x = 1\nprint('looping', flush=True)\nwhile True:\n    pass")
    page.locator(".cell[data-cell-id='main'] button.run").click()
    page.locator(".cell[data-cell-id='main'] .cell-output:has-text('looping')").wait_for()
    page.locator(".cell[data-cell-id='main'] button.stop").click()
    page.locator(".cell[data-cell-id='main']:not(.is-running)").wait_for()
    assert page.locator(".cell[data-cell-id='main'] .out-notice").all_inner_texts() == [RESTARTED]
    set_code(page, "name = input('Your name? ')")
    assert run_and_wait(page) == "Error: InputUnavailableError"
    assert "does not offer it" in output_text(page)
    set_code(page, "print('after', 6 * 7)")
    assert run_and_wait(page).startswith("Done in")
    assert output_text(page).strip() == "after 42"


# ----------------------------------------------------------------- a start that fails


def test_a_start_that_stalls_says_so_and_retry_starts_python(fresh_page, server) -> None:
    page = fresh_page
    # The real response's headers (COEP: a worker without them is refused), another body.
    page.route("**/python-worker-*.js", lambda route: route.fulfill(
        response=route.fetch(), body=NEVER_ANSWERS))  # fmt: skip
    page.goto(f"{server}?startStall=3")
    status = page.locator("#python-status[data-phase='error']")
    status.wait_for(timeout=30_000)
    assert "made no progress for 3 s" in status.inner_text()
    retry = page.locator("#python-retry")
    assert retry.is_visible()
    page.unroute("**/python-worker-*.js")
    page.evaluate("labPython.startStallMs = 0")  # this machine may be slow: no limit now
    retry.click()
    wait_ready(page)
    assert retry.is_hidden()
    assert run_and_wait(page).startswith("Done in")


def test_a_worker_that_cannot_load_says_so_with_retry(fresh_page, server) -> None:
    page = fresh_page
    page.route("**/python-worker-*.js", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(server)
    status = page.locator("#python-status[data-phase='error']")
    status.wait_for(timeout=60_000)
    assert "The Python worker failed" in status.inner_text()
    assert page.locator("#python-retry").is_visible()


# ----------------------------------------------------------------- the three engines


def test_chromium_smoke(fresh_page, server) -> None:
    page = fresh_page
    began = time.monotonic()
    page.goto(server)
    result = page.evaluate(smoke_call())
    with page.expect_navigation():
        page.click(OPEN_FULL)
    page.wait_for_function("globalThis.labCells?.[0]?.code !== undefined")
    result["fullEditor"] = page.evaluate("labCells[0].code")
    seconds = time.monotonic() - began
    assert_smoke(result, shared_memory=True)
    report("Chromium", result, seconds)


def test_firefox_esr_smoke(server) -> None:
    if not FIREFOX.exists():
        pytest.skip(
            f"{FIREFOX} is missing: scripts/test.sh installs it (apt-get install firefox-esr)"
        )
    began = time.monotonic()
    completed = subprocess.run(
        ["node", str(HERE / "firefox_smoke.mjs"), server, str(FIREFOX), smoke_call()],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    seconds = time.monotonic() - began
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert_smoke(result, shared_memory=True)
    report("Firefox ESR", result, seconds)


@pytest.fixture(scope="module")
def x_display():
    """A virtual X display for MiniBrowser (Xvfb picks a free number and tells us)."""
    if not XVFB.exists():
        pytest.skip(f"{XVFB} is missing: scripts/test.sh installs it (apt-get install xvfb)")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        [str(XVFB), "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=[write], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        display = pipe.readline().strip()
    try:
        assert display, "Xvfb did not start"
        yield f":{display}"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def test_webkitgtk_smoke(server, x_display, monkeypatch) -> None:
    if not (WEBKIT_DRIVER.exists() and MINIBROWSER.exists()):
        pytest.skip(
            "WebKitGTK is missing: scripts/test.sh installs it (apt-get install webkit2gtk-driver)"
        )
    from selenium import webdriver

    monkeypatch.setenv("DISPLAY", x_display)
    options = webdriver.WebKitGTKOptions()
    options.binary_location = str(MINIBROWSER)
    options.add_argument("--automation")  # MiniBrowser's mode for WebDriver
    service = webdriver.WebKitGTKService(executable_path=str(WEBKIT_DRIVER))
    began = time.monotonic()
    driver = webdriver.WebKitGTK(options=options, service=service)
    try:
        driver.set_script_timeout(SMOKE_TIMEOUT_MS * 3 / 1000)
        driver.get(server)
        result = driver.execute_async_script(
            f"const done = arguments[arguments.length - 1]; {smoke_call()}.then(done);"
        )
        driver.execute_script(f"document.querySelector({json.dumps(OPEN_FULL)}).click();")
        deadline = time.monotonic() + 60
        while True:
            code = driver.execute_script(
                "return location.pathname.endsWith('playground.html')"
                " && globalThis.labCells?.[0]?.code"
            )
            if code or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        result["fullEditor"] = code
        seconds = time.monotonic() - began
    finally:
        driver.quit()
    assert result["python"]["phase"] == "ready", result
    assert_smoke(result, shared_memory=False)
    report("WebKitGTK", result, seconds)
