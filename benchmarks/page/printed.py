"""Printed-then-pause latency: a line printed just before the code pauses, how long until
the page shows it?  One visit to the lesson page; once Python is ready, the main cell runs,
one after the other, a print followed by each kind of pause that learners' code makes.

The line printed holds Python's clock at the print (``time.time()``: ``Date.now()`` in the
worker); ``printed.js`` in the page notes ``Date.now()`` when the line is in the output.
The difference is the figure.  A line that waits for the end of the run shows
``PAUSE_S`` late; the input() pause is answered ``PAUSE_S`` after the box appears.
"""

from __future__ import annotations

import json

from .browser import browser_profile
from .server import Server
from .targets import PAGE, SNIPPET, script
from .visit import TIMEOUT_MS, wait_js

PAUSE_S = 2
MARKER = "PRINTED-AT-MS-"
# What the code does after printing, each kind of pause learners' code makes.
PAUSES = {
    "time.sleep": f"time.sleep({PAUSE_S})",
    "NumPy work": (
        "import numpy as np\n"
        "A = np.random.default_rng(0).random((200, 200))\n"
        f"end = time.time() + {PAUSE_S}\n"
        "while time.time() < end:\n"
        "    A = A @ A\n"
        "    A /= np.abs(A).max()\n"
    ),
    "a pure-Python loop": (
        f"end = time.time() + {PAUSE_S}\n"
        "while time.time() < end:\n"
        "    total = sum(i * i for i in range(10_000))\n"
    ),
    "waiting on input()": 'answer = input("Your name? ")\nprint("Hello,", answer)\n',
}
INPUT_BOX = f'.cell[data-cell-id="{SNIPPET}"] .out-input input'


def program(kind: str, index: int) -> str:
    """The code of one run: a print of the clock, then the pause."""
    marker = f"{MARKER}{index}-"
    return f'import time\nprint(f"{marker}{{time.time() * 1000:.1f}}")\n{PAUSES[kind]}'


def printed_latency(playwright, server: Server, samples: dict) -> None:
    """Seconds from the print to the line in the page, for each kind of pause."""
    with browser_profile(playwright, PAGE) as context:
        page = context.new_page()
        try:
            page.goto(server.url, wait_until="commit", timeout=TIMEOUT_MS)
            wait_js(page, "window.__bench.marks.ready !== undefined", "waiting for Python")
            for index, kind in enumerate(PAUSES):
                samples.setdefault(kind, []).append(one_run(page, kind, index))
        finally:
            page.close()


def one_run(page, kind: str, index: int) -> float:
    """Run the print-then-pause program of `kind`; the latency of its printed line (s)."""
    code = program(kind, index)
    page.evaluate(
        f"labCells.find(c => c.cellId === {SNIPPET!r}).editor.setCode({json.dumps(code)})"
    )
    page.evaluate(script("printed.js"), {"output": PAGE.output, "marker": f"{MARKER}{index}-"})
    page.evaluate("window.__bench.arm()")
    page.click(PAGE.run, timeout=TIMEOUT_MS)
    if kind == "waiting on input()":
        page.locator(INPUT_BOX).wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(PAUSE_S * 1000)  # the learner thinks about the answer
        page.locator(INPUT_BOX).fill("Ada")
        page.locator(INPUT_BOX).press("Enter")
    wait_js(page, "window.__printed.shownAt !== undefined", f"the printed line ({kind})")
    wait_js(page, PAGE.done_js, f"the end of the run ({kind})")
    if not page.evaluate(PAGE.ok_js):
        output = page.inner_text(PAGE.output)[-2000:]
        raise RuntimeError(f"the print-then-pause run ({kind}) failed:\n{output}")
    printed = page.evaluate("window.__printed")
    return (printed["shownAt"] - printed["printedAt"]) / 1000
