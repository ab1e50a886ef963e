"""Learner code can never break the page: Stop, crashes and hangs, floods, memory, input(),
safe output, CSP, offline.  Every test ends by running a fresh snippet on the same page.

Figures worth knowing (stop latency, restart time, input latency during a flood, offline
reload) are printed: run with ``-s`` to see them.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import statistics
import threading
import time
import zlib
from http.server import ThreadingHTTPServer

import pytest
from conftest import (
    READY_TIMEOUT_MS,
    cell,
    editor_code,
    output_text,
    run_and_wait,
    set_code,
    wait_ready,
)

from sitebuild.config import PYODIDE_DIR
from sitebuild.serve import make_handler
from sitebuild.service_worker import write_service_worker

FRESH = "import numpy as np\nprint('fresh', int(np.arange(10).sum()))"


def assert_fresh_snippet_runs(page, cell_id: str = "main") -> None:
    """The page still works: a new snippet runs and prints the right thing."""
    set_code(page, FRESH, cell_id)
    status = run_and_wait(page, cell_id)
    assert status.startswith("Done in"), output_text(page, cell_id)
    assert output_text(page, cell_id).strip() == "fresh 45"


def start(page, code: str, marker: str, cell_id: str = "main") -> None:
    """Type code and press Run; return once its output shows `marker` (Python is running).

    Waiting for the code's own output matters: a run may wait its turn behind the
    background import of scikit-learn, and Stop then cancels it before it starts.
    """
    set_code(page, code, cell_id)
    cell(page, cell_id).locator("button.run").click()
    page.wait_for_function(
        """([id, marker]) => {
            const c = document.querySelector(`.cell[data-cell-id='${id}']`);
            return c.classList.contains('is-running')
                && c.querySelector('.cell-output').textContent.includes(marker);
        }""",
        arg=[cell_id, marker],
        timeout=60_000,
    )


def stop_latency_ms(page, cell_id: str = "main") -> float:
    """Press Stop; milliseconds (page clock) until the cell's status says Stopped."""
    return page.evaluate(
        """id => new Promise(resolve => {
            const root = document.querySelector(`.cell[data-cell-id='${id}']`);
            const status = root.querySelector('.cell-status');
            const t0 = performance.now();
            const watcher = new MutationObserver(() => {
                if (status.textContent === 'Stopped') {
                    watcher.disconnect();
                    resolve(performance.now() - t0);
                }
            });
            watcher.observe(status, { childList: true, characterData: true, subtree: true });
            root.querySelector('button.stop').click();
        })""",
        cell_id,
    )


def notices(page, cell_id: str = "main") -> list[str]:
    return cell(page, cell_id).locator(".out-notice").all_inner_texts()


def record_restarts(page) -> None:
    """From now on, note each restart of Python: why, and the seconds until it was ready."""
    page.evaluate(
        """() => {
            window.restarts = [];
            labCells[0].host.addEventListener('status', ({ detail: { phase, detail } }) => {
                const last = window.restarts.at(-1);
                if (phase === 'restarting') {
                    const reason = detail === 'Python crashed' ? 'crashed' : 'stopped';
                    window.restarts.push({ reason, at: performance.now(), seconds: null });
                } else if (phase === 'ready' && last && last.seconds === null) {
                    last.seconds = (performance.now() - last.at) / 1000;
                }
            });
        }"""
    )


def restarts(page) -> list[dict]:
    return page.evaluate("window.restarts.map(({reason, seconds}) => ({reason, seconds}))")


def wait_until(page, expression: str, timeout: float = 120, arg=None):
    """Poll an expression with page.evaluate (works under the site's CSP, unlike
    wait_for_function, whose predicate Playwright evaluates with eval)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.1)


def wait_ready_polling(page) -> None:
    phase = wait_until(
        page,
        "() => ['ready', 'error'].includes(document.querySelector('#python-status')?.dataset.phase)"
        " && document.querySelector('#python-status').dataset.phase",
        timeout=READY_TIMEOUT_MS / 1000,
    )
    assert phase == "ready", page.inner_text("#python-status")


# ----------------------------------------------------------------------------- Stop


def test_stop_interrupts_python_keeps_variables_and_stops_a_sleep(lesson) -> None:
    """Cross-origin isolated: Stop raises KeyboardInterrupt through the interrupt buffer."""
    assert lesson.evaluate("crossOriginIsolated") is True
    record_restarts(lesson)
    start(
        lesson,
        "before = 'kept'\nn = 0\nprint('looping', flush=True)\nwhile True:\n    n += 1",
        marker="looping",
    )
    latency = stop_latency_ms(lesson)
    print(f"\nstop latency, isolated, busy loop: {latency:.0f} ms")
    assert latency < 1000
    assert notices(lesson) == ["Stopped (KeyboardInterrupt). Your variables are kept."]
    assert restarts(lesson) == []  # the same worker goes on
    set_code(lesson, "print(before, n > 1000)")
    assert run_and_wait(lesson).startswith("Done in")
    assert output_text(lesson).strip() == "kept True"

    # time.sleep is cut into slices, so Stop works during a long sleep too.
    start(
        lesson,
        "import time\nprint('sleeping', flush=True)\ntime.sleep(10)\nprint('woke up')",
        marker="sleeping",
    )
    latency = stop_latency_ms(lesson)
    print(f"stop latency, isolated, time.sleep(10): {latency:.0f} ms")
    assert latency < 1000
    assert "woke up" not in output_text(lesson)

    # Escape stops too (the Stop button says so), even with the focus nowhere in a cell.
    assert "Esc" in cell(lesson).locator("button.stop").get_attribute("title")
    start(lesson, "print('again', flush=True)\nwhile True:\n    pass", marker="again")
    lesson.evaluate("document.activeElement.blur()")
    lesson.keyboard.press("Escape")
    lesson.wait_for_function("!document.querySelector('.cell').classList.contains('is-running')")
    assert cell(lesson).locator(".cell-status").inner_text() == "Stopped"
    assert_fresh_snippet_runs(lesson)


def test_code_that_goes_on_after_stop_is_restarted_and_told_why(lesson) -> None:
    """Python took the interrupt (the code caught KeyboardInterrupt and went on): it gets
    a second grace period, then the restart says what happened."""
    start(
        lesson,
        "print('stubborn', flush=True)\nwhile True:\n    try:\n        while True:\n"
        "            pass\n    except KeyboardInterrupt:\n        pass",
        marker="stubborn",
    )
    latency = stop_latency_ms(lesson)
    assert 6000 <= latency < 9000
    assert notices(lesson) == [
        "Python did not stop within 6 s of Stop (it went on after the KeyboardInterrupt), so "
        "it was restarted: variables from earlier runs are gone."
    ]
    wait_ready(lesson)
    assert_fresh_snippet_runs(lesson)


def test_run_pressed_during_a_run_says_to_stop_first(lesson) -> None:
    """Run (the button or the run key) during a run starts nothing, and says so in the
    status line, which screen readers read out."""
    start(lesson, "import time\nprint('working', flush=True)\ntime.sleep(30)", marker="working")
    status = cell(lesson).locator(".cell-status")
    assert status.get_attribute("aria-live") == "polite"
    run_button = cell(lesson).locator("button.run")
    assert run_button.get_attribute("aria-disabled") == "true"
    runs_asked = lesson.evaluate("labCells[0].host.nextRunId")
    run_button.click(force=True)  # (force: Playwright waits for buttons that say disabled)
    assert status.inner_text() == "Still running — press Stop (Esc) first"
    lesson.evaluate("labCells[0].setStatus('Running…', 'running')")
    cell(lesson).locator(".cm-content").click()
    lesson.keyboard.press("Control+Enter")
    assert status.inner_text() == "Still running — press Stop (Esc) first"
    assert lesson.evaluate("labCells[0].host.nextRunId") == runs_asked  # nothing queued
    assert output_text(lesson).strip() == "working"
    stop_latency_ms(lesson)
    assert status.inner_text() == "Stopped"
    assert run_button.get_attribute("aria-disabled") == "false"
    assert_fresh_snippet_runs(lesson)


def test_stop_without_isolation_restarts_python_and_input_explains_itself(
    browser, plain_server
) -> None:
    """The genuinely non-isolated path: service workers are blocked in this context, so
    the site's service worker cannot add COOP/COEP and the page stays non-isolated (as on
    GitHub Pages in a browser without service workers)."""
    context = browser.new_context(bypass_csp=True, service_workers="block")
    page = context.new_page()
    try:
        page.goto(plain_server)
        wait_ready(page)
        assert page.evaluate("crossOriginIsolated") is False
        record_restarts(page)

        start(
            page, "before = 'set'\nprint('looping', flush=True)\nwhile True:\n    pass", "looping"
        )
        latency = stop_latency_ms(page)
        assert notices(page) == [
            "Stopped. Python was restarted, so variables from earlier runs are gone; "
            "Run starts afresh."
        ]
        wait_ready(page)
        (restart,) = restarts(page)
        print(f"\nstop latency, not isolated: {latency:.0f} ms; "
              f"restart until Python ready: {restart['seconds']:.1f} s")  # fmt: skip
        assert latency < 1000
        set_code(page, "print(before)")
        assert run_and_wait(page) == "Error: NameError"  # a new Python: variables are gone

        set_code(page, "name = input('Your name? ')\nprint('Hello', name)")
        assert run_and_wait(page) == "Error: InputUnavailableError"
        text = output_text(page)
        assert text.startswith("Your name? \nTraceback (most recent call last):")
        assert "cross-origin isolated" in text and 'name = "Ada"' in text
        assert "OSError" not in text and "I/O error" not in text
        assert_fresh_snippet_runs(page)
    finally:
        context.close()


# ----------------------------------------------------------------------------- crashes, hangs


def test_crashes_and_hangs_restart_python_and_the_next_run_works(page, server) -> None:
    """A Pyodide fatal error, a wasm abort, and a run past the time limit (here 3 s, from
    the page's ?timeLimit= parameter) each restart Python; the next Run works."""
    page.goto(server + "?timeLimit=3")
    wait_ready(page)
    assert page.evaluate("labCells[0].host.timeLimit") == 3
    record_restarts(page)

    # pyodide/pyodide#5959: recursion through functools.partial kills Pyodide 0.27.7.
    set_code(
        page,
        "from functools import partial\n"
        "def f(obj, *, unrelated=1):\n"
        "    recur = partial(f, unrelated=1)\n"
        "    for x in obj:\n"
        "        recur(x)\n"
        "a = []\na.append(a)\nf(a)",
    )
    assert run_and_wait(page) == "Python crashed"
    (notice,) = notices(page)
    assert notice.startswith("Python crashed (RangeError: Maximum call stack size exceeded).")
    assert "functions call each other too deeply" in notice
    assert_fresh_snippet_runs(page)

    set_code(page, "import os\nos.abort()")  # the WebAssembly runtime aborts
    assert run_and_wait(page) == "Python crashed"
    assert notices(page)[0].startswith("Python crashed (RuntimeError: Aborted().")
    assert "ASSERTIONS" not in notices(page)[0]
    assert_fresh_snippet_runs(page)

    # A loop inside compiled code never checks for Stop: past the limit, Python restarts.
    set_code(page, "import itertools\nprint('summing', flush=True)\nsum(itertools.repeat(1))")
    assert run_and_wait(page) == "Stopped"
    assert notices(page) == [
        "The code ran for more than 3 seconds (the time limit for one run) and did not react "
        "to being stopped, so Python was restarted: variables from earlier runs are gone. "
        "Run starts afresh."
    ]
    # A Python loop past the limit is interrupted instead: its variables stay.
    set_code(page, "count = 0\nwhile True:\n    count += 1")
    assert run_and_wait(page) == "Stopped"
    assert notices(page) == [
        "Stopped after 3 seconds, the time limit for one run. Your variables are kept."
    ]
    set_code(page, "print(count > 0)")
    run_and_wait(page)
    assert output_text(page).strip() == "True"
    print("\nrestarts (reason, seconds until ready):",
          [(r["reason"], round(r["seconds"], 1)) for r in restarts(page)])  # fmt: skip
    assert [r["reason"] for r in restarts(page)] == ["crashed", "crashed", "stopped"]
    assert_fresh_snippet_runs(page)


# ----------------------------------------------------------------------------- floods


def test_a_flood_of_output_keeps_the_page_responsive_and_keeps_the_end(lesson) -> None:
    lesson.evaluate(
        """() => {
            window.latencies = []; window.gaps = []; window.messages = 0;
            const record = (event) => window.latencies.push(performance.now() - event.timeStamp);
            document.addEventListener('keydown', record, true);
            document.addEventListener('pointerdown', record, true);
            const host = labCells[0].host;
            const receive = host.receive.bind(host);
            host.receive = (m) => { window.messages += 1; receive(m); };
            let last = performance.now();
            const tick = (now) => {
                window.gaps.push(now - last); last = now;
                if (!window.stopTicking) requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        }"""
    )
    start(lesson, "for i in range(10**6):\n    print(i)", marker="\n")
    status = lesson.locator("#python-status").bounding_box()
    presses = 0
    while lesson.evaluate("labCells[0].running"):
        if presses % 2:
            lesson.mouse.click(status["x"] + 5, status["y"] + 5)  # plain text: does nothing
        else:
            lesson.keyboard.press("Shift")
        presses += 1
        time.sleep(0.1)
    latencies = lesson.evaluate("window.latencies")
    gaps = lesson.evaluate("window.stopTicking = true, window.gaps")
    messages = lesson.evaluate("window.messages")
    p90 = sorted(latencies)[int(0.9 * (len(latencies) - 1))]
    print(f"\nflood: {len(latencies)} inputs handled after median "
          f"{statistics.median(latencies):.0f} ms, p90 {p90:.0f} ms, max {max(latencies):.0f} ms; "
          f"longest frame gap {max(gaps):.0f} ms; {messages} messages from the worker")  # fmt: skip
    assert len(latencies) >= 5
    assert p90 < 100
    assert messages < 5000  # batched: not one message per print

    total = sum(len(f"{i}\n") for i in range(10**6))
    text = output_text(lesson)
    note = cell(lesson).locator(".out-dropped").inner_text()
    assert note == (
        f"… {total - 200_000:,} earlier characters of output not shown "
        "(only the last 200,000 are kept)."
    )
    kept = "".join(
        cell(lesson).locator("span[data-stream]").evaluate_all("s => s.map(e => e.textContent)")
    )
    assert len(kept) == 200_000
    assert kept.endswith("999998\n999999\n")
    assert text.rstrip().endswith("999999")
    assert cell(lesson).locator("span[data-stream]").count() < 40  # chunks, not a node a line
    assert_fresh_snippet_runs(lesson)


# ----------------------------------------------------------------------------- input, errors


def test_input_asks_in_the_output_and_the_program_uses_the_answer(lesson) -> None:
    start(
        lesson,
        "first = input('What is your name? ')\n"
        "times = int(input('How many times? '))\n"
        "print(('Hello, ' + first + '! ') * times)",
        marker="name? ",
    )
    field = cell(lesson).locator(".out-input input")
    field.wait_for()
    assert field.get_attribute("aria-label") == "What is your name? "
    assert field.evaluate("f => document.activeElement === f")
    lesson.keyboard.type("Ada")
    lesson.keyboard.press("Enter")
    lesson.wait_for_function(
        "document.querySelector('.out-input input')?.ariaLabel === 'How many times? '"
    )
    cell(lesson).locator(".out-input input").fill("2")
    cell(lesson).locator(".out-input button").click()
    lesson.wait_for_function("!document.querySelector('.cell').classList.contains('is-running')")
    assert output_text(lesson) == (
        "What is your name? Ada\nHow many times? 2\nHello, Ada! Hello, Ada! \n"
    )

    # Stop while it waits: stopped like any run, the text box goes away.
    start(lesson, "x = 1\ninput('Waiting: ')", marker="Waiting: ")
    cell(lesson).locator(".out-input input").wait_for()
    latency = stop_latency_ms(lesson)
    assert latency < 1000
    assert cell(lesson).locator(".out-input").count() == 0
    assert_fresh_snippet_runs(lesson)


def test_memory_and_solver_errors_read_as_their_message(lesson) -> None:
    set_code(lesson, "import numpy as np\nbig = np.ones(10**11)")
    assert run_and_wait(lesson) == "Error: MemoryError"
    text = output_text(lesson)
    assert 'File "main.py", line 2, in <module>' in text
    assert "MemoryError: this array is too big for Python in the browser" in text
    assert "at most 4 GB" in text
    assert "numeric.py" not in text

    set_code(
        lesson,
        "import numpy as np\nimport linreg\n"
        "x = np.array([1.0, 2.0, 3.0, 4.0])\n"
        "y = np.array([2.0, np.nan, 6.1, 8.0])\n"
        "model = linreg.LinearRegression().fit(x, y)",
    )
    assert run_and_wait(lesson) == "Error: ValueError"
    lines = output_text(lesson).splitlines()
    assert lines[:3] == [
        "Traceback (most recent call last):",
        '  File "main.py", line 5, in <module>',
        "    model = linreg.LinearRegression().fit(x, y)",
    ]
    assert set(lines[3].strip()) == {"^"}  # Python's marker under the failing call
    assert lines[4:] == [
        "ValueError: y contains NaN (a missing value) at row 1. "
        "Remove or fill such values before fitting."
    ]
    set_code(lesson, "import linreg\nlinreg.LinearRegression().fit([1.0, 2.0, 3.0], [1.0, 2.0])")
    assert run_and_wait(lesson) == "Error: ValueError"
    text = output_text(lesson)
    assert "X has 3 rows (points) but y has 2 values" in text
    assert "site-packages" not in text and "_validation" not in text
    assert_fresh_snippet_runs(lesson)


# ----------------------------------------------------------------------------- safety


def share_link(code: str) -> str:
    """A share link's fragment, made the documented way: base64url(deflate-raw(UTF-8))."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = deflate.compress(code.encode()) + deflate.flush()
    return "#code=" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_output_is_text_and_linked_code_waits_for_run(page, server) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server)
    wait_ready(page)
    set_code(
        page,
        "import sys\nimport matplotlib.pyplot as plt\n"
        "print('<img src=x onerror=alert(1)>')\n"
        "print('<b>bold?</b>', file=sys.stderr)\n"
        "plt.plot([1, 2])\nplt.title('<img src=y onerror=alert(2)> & <i>fit</i>')\nplt.show()\n"
        "raise ValueError('<script>alert(3)</script>')",
    )
    assert run_and_wait(page) == "Error: ValueError"
    output = cell(page).locator(".cell-output")
    text = output.inner_text()
    assert "<img src=x onerror=alert(1)>" in text
    assert "<b>bold?</b>" in text
    assert "ValueError: <script>alert(3)</script>" in text
    assert output.locator("img").count() == 1  # the plot, nothing else
    assert output.locator("b, i, script, img[src='x']").count() == 0
    alt = output.locator("img").get_attribute("alt")
    assert "<img src=y onerror=alert(2)> & <i>fit</i>" in alt
    assert output.locator("img").evaluate("img => img.decode().then(() => img.naturalWidth)") > 100

    # The full-editor link shows the lesson's code; nothing runs until Run is pressed.
    set_code(page, "print('from the lesson')")
    cell(page).locator("a.open-full").click()
    page.wait_for_url(re.compile(r"playground\.html#"))
    wait_ready(page)
    time.sleep(1.5)
    assert page.evaluate("labCells[0].host.nextRunId") == 1  # no run was even asked for
    assert page.locator(".cell-output").inner_text() == ""

    # A share link, too (made here, the documented way).
    code = "print('shared', 6 * 7)"
    page.goto(server + "playground.html" + share_link(code))
    wait_ready(page)
    time.sleep(1.5)
    cell_id = page.evaluate("labCells[0].cellId")
    assert editor_code(page, cell_id) == code
    assert page.evaluate("labCells[0].host.nextRunId") == 1
    assert page.locator(".cell-output").inner_text() == ""
    assert run_and_wait(page, cell_id).startswith("Done in")
    assert output_text(page, cell_id).strip() == "shared 42"
    assert dialogs == []
    assert_fresh_snippet_runs(page, cell_id)


CSP_RECORDER = """
    window.violations = [];
    document.addEventListener('securitypolicyviolation',
        e => window.violations.push([e.violatedDirective, e.blockedURI]));
"""


def test_the_content_security_policy_allows_the_site_and_blocks_the_rest(
    browser, server, plain_server
) -> None:
    """No violation while the pages load, typeset, run and plot; a violation is caught on
    the page and in the Python worker (whose policy the service worker sends)."""
    context = browser.new_context()  # no bypass_csp: the policy applies
    context.add_init_script(CSP_RECORDER)
    page = context.new_page()
    try:
        page.goto(server)
        wait_ready_polling(page)
        # From the next load on, the service worker controls the page and gives the Python
        # worker its CSP.  Meanwhile, every other page of the site loads without violation.
        wait_until(page, "() => navigator.serviceWorker.ready.then(r => !!r.active)")
        others = page.eval_on_selector_all(
            ".site-header nav a", "links => [...new Set(links.map(a => a.href))]"
        )
        others = [
            url
            for url in others
            if url.rstrip("/") not in (server.rstrip("/"), server + "index.html")
        ]
        assert len(others) >= 2
        for url in others:
            page.goto(url)
            wait_until(page, "() => document.readyState === 'complete'")
            time.sleep(0.5)
            assert page.evaluate("window.violations") == [], url
        page.goto(server)
        wait_ready_polling(page)
        assert page.evaluate("!!navigator.serviceWorker.controller")
        assert page.locator(".katex").count() > 10
        page.evaluate("labCells.find(c => c.cellId === 'main').run()")
        assert page.locator(".cell[data-cell-id='main'] .cell-output img").count() == 1
        assert page.evaluate("window.violations") == []

        # The page: content from another origin, and inline script, are refused.
        other_origin = plain_server.replace("127.0.0.1", "localhost")
        page.evaluate(
            """url => {
                const img = document.createElement('img'); img.src = url + 'x.png';
                document.body.append(img);
                const box = document.createElement('div');
                box.innerHTML = '<img src=nothing.png onerror="window.hacked = true">';
                document.body.append(box);
            }""",
            other_origin,
        )
        violated = wait_until(page, "() => window.violations.length >= 2 && window.violations")
        directives = {directive for directive, _ in violated}
        assert directives == {"img-src", "script-src-attr"}, violated
        assert page.evaluate("window.hacked") is None

        # The worker: JavaScript eval and other origins are refused there too.
        code = (
            "import js\nfrom pyodide.ffi import create_proxy\n"
            "seen = []\n"
            "js.self.addEventListener('securitypolicyviolation',\n"
            "    create_proxy(lambda e: seen.append(e.violatedDirective)))\n"
            "try:\n    js.eval('1 + 1')\n    print('eval ran')\n"
            "except Exception as error:\n    print('eval refused')\n"
            "from pyodide.http import open_url\n"
            f"try:\n    open_url('{other_origin}')\n    print('fetched')\n"
            "except Exception:\n    print('fetch refused')\n"
        )
        page.evaluate("code => { labCells[0].editor.setCode(code); labCells[0].run(); }", code)
        wait_until(page, "() => !labCells[0].running")
        assert page.evaluate("labCells[0].output.textContent") == "eval refused\nfetch refused\n"
        page.evaluate("labCells[0].editor.setCode('print(sorted(set(seen)))'); labCells[0].run()")
        wait_until(page, "() => !labCells[0].running")
        assert page.evaluate("labCells[0].output.textContent") == (
            "['connect-src', 'script-src']\n"
        )
        page.evaluate(f"labCells[0].editor.setCode({json.dumps(FRESH)}); labCells[0].run()")
        wait_until(page, "() => !labCells[0].running")
        assert page.evaluate("labCells[0].output.textContent") == "fresh 45\n"
    finally:
        context.close()


# ----------------------------------------------------------------------------- offline


class RecordingSite:
    """A copy of the built site, served without COOP/COEP (like GitHub Pages), that
    records every path it is asked for."""

    def __init__(self, site, tmp_path) -> None:
        self.root = tmp_path / "copy"
        shutil.copytree(site, self.root)
        self.requests: list[str] = []
        base = make_handler(self.root, isolated=False)
        requests = self.requests

        class Handler(base):
            def do_GET(self):  # noqa: N802 (http.server's name)
                requests.append(self.path.split("?")[0])
                super().do_GET()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recording_site(site, tmp_path):
    served = RecordingSite(site, tmp_path)
    yield served
    served.close()


def test_isolated_by_the_service_worker_then_offline_then_updated(browser, recording_site) -> None:
    """A host that sends no COOP/COEP: the service worker makes the page isolated (one
    reload), saves the site, serves it offline, and a new build replaces its cache."""
    site = recording_site
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    try:
        page.goto(site.url)
        wait_ready(page)
        assert page.evaluate("crossOriginIsolated") is True
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == site.url + "sw.js"
        assert len(navigations) == 2  # the visit, and the one reload that isolates it

        start(page, "before = 1\nprint('looping', flush=True)\nwhile True:\n    pass", "looping")
        stop_latency_ms(page)
        assert notices(page) == ["Stopped (KeyboardInterrupt). Your variables are kept."]

        page.wait_for_function("labOffline.state === 'ready'", timeout=120_000)
        build_id = page.get_attribute("body", "data-build")
        # The service worker's cache (the Python worker keeps one of its own: see
        # test_installed_files.py).
        site_caches = "caches.keys().then(keys => keys.filter(k => k.startsWith('lab-')))"
        (cache,) = page.evaluate(site_caches)
        assert cache.startswith(f"lab-{build_id}-")
        assert page.evaluate("labOffline.failed") == 0

        context.set_offline(True)
        began = time.monotonic()
        page.reload()
        wait_ready(page)
        print(f"\noffline reload until Python ready: {time.monotonic() - began:.1f} s")
        set_code(page, "import matplotlib.pyplot as plt\nplt.plot([0, 1])\nprint('offline')")
        assert run_and_wait(page).startswith("Done in")
        assert output_text(page).strip() == "offline"
        image = cell(page).locator(".cell-output img")
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 100
        context.set_offline(False)

        # A new build of the site: its own cache replaces the old one, and the files that
        # never change are copied over rather than downloaded again.
        index = site.root / "index.html"
        index.write_text(index.read_text().replace("</main>", '<p id="new-build">New!</p></main>'))
        for twin in ("index.html.gz", "index.html.br"):  # no stale compressed twin
            index.with_name(twin).unlink(missing_ok=True)
        write_service_worker(
            site.root,
            {
                "buildId": build_id,
                "pyodideIndexURL": f"{PYODIDE_DIR}/",
                "lockFileURL": "py/pyodide-lock.json",
            },
        )
        site.requests.clear()
        page.reload()
        wait_ready(page)
        page.wait_for_function(
            f"{site_caches}.then(k => k.length === 1 && k[0] !== {json.dumps(cache)})",
            timeout=60_000,
        )
        page.wait_for_function("labOffline.state === 'ready'", timeout=120_000)
        assert "/sw.js" in site.requests
        assert not [path for path in site.requests if path.startswith(f"/{PYODIDE_DIR}/")]
        assert page.locator("#new-build").count() == 1
        assert_fresh_snippet_runs(page)
    finally:
        context.close()


def test_the_service_worker_of_a_cdn_build_lists_the_cdn_and_allows_it_in_the_worker(
    cdn_build,
) -> None:
    """Built with --pyodide-url, the worker's CSP admits that origin and the Pyodide files
    to save for offline use are its URLs; paths of the site stay relative (sub-paths)."""
    cdn = "https://cdn.example.org/pyodide/v0.27.7/full/"
    out = cdn_build.out
    source = (out / "sw.js").read_text()
    config = json.loads(source.split("const SW_CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert "script-src 'self' https://cdn.example.org 'wasm-unsafe-eval'" in config["workerCSP"]
    assert "connect-src 'self' https://cdn.example.org blob:" in config["workerCSP"]
    assert "'unsafe-eval'" not in config["workerCSP"].replace("'wasm-unsafe-eval'", "")
    assert cdn + "pyodide.asm.wasm" in config["pyodide"]
    assert any(url.startswith(cdn + "numpy-") for url in config["pyodide"])
    assert cdn in config["immutable"]
    assert "index.html" in config["shell"] and "./" in config["shell"]
    assert all(not path.startswith("/") and "://" not in path for path in config["shell"])
    assert not any(path.endswith((".map", ".gz", ".br")) for path in config["shell"])
