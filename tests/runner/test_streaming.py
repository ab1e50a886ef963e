"""Printed text reaches the page while the code goes on, not at the end of the run.

Each test runs learner code that prints, then keeps Python busy; the recorder notes when
each piece of text was sent, counted from the start of the run.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from lab_runner import forget_cell, run_cell
from lab_runner.streams import FLUSH_SIGNAL

BUSY = "import time\nend = time.monotonic() + 0.5\nwhile time.monotonic() < end:\n    pass\n"


class Clock:
    """An ``emit`` that notes when each piece of text was sent (seconds from the start)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.sent: list[tuple[float, str]] = []

    def __call__(self, event: dict) -> None:
        if event["type"] == "stream":
            self.sent.append((time.monotonic() - self.start, event["text"]))

    def when(self, marker: str) -> float:
        """When the text holding marker was sent."""
        return next(at for at, text in self.sent if marker in text)

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.sent)


def run(source: str) -> Clock:
    forget_cell("streaming")
    clock = Clock()
    result = run_cell(source, "streaming", clock)
    assert result["status"] == "ok", clock.text
    return clock


def test_the_first_line_after_a_pause_is_sent_at_once_even_before_busy_work() -> None:
    clock = run("print('EARLY')\n" + BUSY + "print('LATE')\n")
    assert clock.when("EARLY") < 0.1
    assert clock.when("LATE") >= 0.5


def test_lines_printed_before_a_sleep_are_sent_before_it() -> None:
    clock = run("import time\nprint('one')\nprint('two')\nprint('three')\ntime.sleep(0.5)\n")
    assert clock.when("three") < 0.1
    assert clock.text == "one\ntwo\nthree\n"


def test_the_flush_signal_sends_the_tail_of_a_burst_during_busy_work() -> None:
    # Only the first line of the burst goes at once; the page's signal brings the rest.
    code = "import os, signal\nprint('one')\nprint('two')\nos.kill(os.getpid(), signal.SIGUSR1)\n"
    clock = run(code + BUSY)
    assert clock.when("two") < 0.1
    without_signal = run("print('one')\nprint('two')\n" + BUSY)
    assert without_signal.when("two") >= 0.5  # (else this test would prove nothing)


def test_the_flush_signal_is_ours_only_during_a_run() -> None:
    before = signal.getsignal(FLUSH_SIGNAL)
    run("print('x')")
    assert signal.getsignal(FLUSH_SIGNAL) is before


def test_a_storm_of_flush_signals_neither_loses_nor_repeats_text() -> None:
    """The handler may run halfway through a write or a flush: nothing is lost or sent twice."""
    pid = os.getpid()
    stop = threading.Event()

    def storm() -> None:
        while not stop.is_set():
            os.kill(pid, FLUSH_SIGNAL)
            time.sleep(0.0002)

    # Outside the run the signal's default action would end the process: ignore it there.
    outside = signal.signal(FLUSH_SIGNAL, signal.SIG_IGN)
    thread = threading.Thread(target=storm)
    thread.start()
    try:
        clock = run("import sys\nfor i in range(30000):\n    print(i)\n    sys.stderr.write('.')\n")
    finally:
        stop.set()
        thread.join()
        signal.signal(FLUSH_SIGNAL, outside)
    stdout = "".join(f"{i}\n" for i in range(30000))
    assert "".join(c for c in clock.text if c != ".") == stdout
    assert clock.text.count(".") == 30000
    assert len(clock.sent) > 100  # the signals did flush, many times


def test_the_prompt_and_what_came_before_are_sent_before_input_waits() -> None:
    sent_before_asking: list[str] = []
    clock = Clock()

    def emit(event: dict):
        if event["type"] == "input":
            sent_before_asking.extend(text for _, text in clock.sent)
            return "Ada"
        return clock(event)

    forget_cell("streaming")
    run_cell("print('hello')\nprint('there')\nname = input('Name? ')\n", "streaming", emit)
    assert "".join(sent_before_asking) == "hello\nthere\nName? "
