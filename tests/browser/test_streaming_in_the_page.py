"""Printed text shows while the code goes on: within 0.1 s of the print, whatever the code
does next (issue 15).

The learner's code prints a line holding the moment it printed it (the worker's
``performance.timeOrigin + performance.now()``, the page's clock too), then keeps Python
busy for a while; the page notes the moment that line appears in the output (a
MutationObserver).  The line is the second of a burst: the first line after a pause is
sent at once anyway, the lines right after it only when Python is asked for them.  Run
with ``-s`` to see the latencies.
"""

from __future__ import annotations

import pytest
from conftest import RUN_TIMEOUT_MS, cell, set_code, wait_ready

# The target is 0.1 s.  The margin is for a loaded test machine: on 2 cores shared by many
# browsers, a message alone took up to 0.1 s from the worker to the page, and a frame as
# long to be drawn.  Flushing only at the end of the run would show the line WORK_S late.
LIMIT_MS = 100 + 400
WORK_S = 2

BURST = (
    "import js, time\n"
    "def now():\n"
    "    return js.performance.timeOrigin + js.performance.now()\n"
    "print('first')\n"
    "print(f'EARLY {now()}')\n"
)
WORK = {
    "time.sleep": f"time.sleep({WORK_S})\n",
    "NumPy work": (
        "import numpy as np\n"
        "X = np.random.default_rng(0).random((2000, 100))\n"
        f"end = time.monotonic() + {WORK_S}\n"
        "while time.monotonic() < end:\n"
        "    w = np.linalg.solve(X.T @ X, X.T @ X[:, 0])\n"
    ),
    "a pure-Python loop": (
        f"end = time.monotonic() + {WORK_S}\nn = 0\nwhile time.monotonic() < end:\n    n += 1\n"
    ),
    "input()": "answer = input('Your answer? ')\n",
}

WATCH = """id => { window.shown = new Promise((resolve) => {
    const output = document.querySelector(`.cell[data-cell-id='${id}'] .cell-output`);
    const check = () => {
        const found = output.textContent.match(/EARLY (\\d+\\.\\d+)/);
        if (!found) return false;
        watcher.disconnect();
        resolve(performance.timeOrigin + performance.now() - Number(found[1]));
        return true;
    };
    const watcher = new MutationObserver(check);
    watcher.observe(output, { childList: true, characterData: true, subtree: true });
}); }"""


def latency_ms(page, code: str, answer: str | None = None) -> float:
    """Run code; milliseconds from its print of EARLY until the page shows that line."""
    set_code(page, code)
    page.evaluate(WATCH, "main")
    cell(page).locator("button.run").click()
    latency = page.evaluate("() => window.shown")
    if answer is not None:
        field = cell(page).locator(".out-input input")
        field.fill(answer)
        field.press("Enter")
    finished = ".cell[data-cell-id='main']:not(.is-running) .cell-status:not(:empty)"
    page.locator(finished).wait_for(timeout=RUN_TIMEOUT_MS)
    status = cell(page).locator(".cell-status").inner_text()
    assert status.startswith("Done in"), status
    assert latency > -5  # one clock for the worker and the page (else this proves nothing)
    return latency


@pytest.mark.parametrize("work", list(WORK))
def test_printed_text_shows_within_a_tenth_of_a_second_when_isolated(lesson, work) -> None:
    assert lesson.evaluate("crossOriginIsolated") is True
    latency = latency_ms(
        lesson, BURST + WORK[work] + "print('LATE')", "42" if work == "input()" else None
    )
    print(f"\nisolated, print then {work}: shown after {latency:.0f} ms")
    assert latency < LIMIT_MS
    assert cell(lesson).locator(".cell-output").inner_text().rstrip().endswith("LATE")


def test_without_isolation_text_shows_before_a_sleep_and_the_first_line_before_work(
    browser, plain_server
) -> None:
    """No SharedArrayBuffer, so nobody can ask a busy Python for its output: text shows
    before a sleep (and input(), which explains itself here), and the first line after a
    pause at once; lines right after it wait for the next print or the end."""
    context = browser.new_context(bypass_csp=True, service_workers="block")
    page = context.new_page()
    try:
        page.goto(plain_server)
        wait_ready(page)
        assert page.evaluate("crossOriginIsolated") is False
        latency = latency_ms(page, BURST + WORK["time.sleep"])
        print(f"\nnot isolated, print then time.sleep: shown after {latency:.0f} ms")
        assert latency < LIMIT_MS
        first_line = BURST.replace("print('first')\n", "")
        latency = latency_ms(page, first_line + WORK["a pure-Python loop"])
        print(f"not isolated, one print then a pure-Python loop: shown after {latency:.0f} ms")
        assert latency < LIMIT_MS
    finally:
        context.close()
