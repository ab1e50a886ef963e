"""Output capture: ``sys.stdout`` and ``sys.stderr`` written in batches, in order.

Sending every ``print`` to the page on its own costs one message each: a loop printing a
million lines would flood the page.  So text is gathered and sent when

- the batch holds ``max_chars`` characters, or
- ``max_delay`` seconds have passed since the last send (checked on each write, because
  no timer can fire while Python is busy): so the first line after a pause goes at once,
  and a flood goes in batches, or
- the other stream writes (stdout and stderr stay in order), a figure is sent, input()
  asks for a line, the code sleeps, or the run ends, or
- the page asks for it: while a run goes on, a cross-origin isolated page sends the
  signal ``FLUSH_SIGNAL`` every few hundredths of a second through Pyodide's interrupt
  buffer, and :func:`flush_on_signal`'s handler sends what waits (so the last lines
  before a long computation show while it computes, not after).

Every event leaves as one dict, ``emit({"type": ..., **fields})``, named as the page names
it (web/js/protocol.js lists them all): ``stream {name, text}``, ``figure``, ``display``,
``input {prompt}``.

Reading goes the other way: during a run ``sys.stdin`` is an :class:`InputStream`, so
``input("Name? ")`` prints its prompt, asks the page for a line with
``emit({"type": "input", "prompt": prompt})`` (the worker blocks until the learner answers,
and emit returns the answer) and carries on.
"""

from __future__ import annotations

import contextlib
import io
import math
import signal
import time
from collections.abc import Callable, Iterator

Event = dict[str, object]
Emit = Callable[[Event], object]

# The signal the page sends to have the output so far sent (protocol.js: INTERRUPT_FLUSH,
# SIGUSR1 in Pyodide's numbering).  Python runs its handler between two bytecodes.
FLUSH_SIGNAL = getattr(signal, "SIGUSR1", None)


class Output:
    """Collects the text of both streams and sends it as ``stream`` events through ``emit``."""

    def __init__(self, emit: Emit, max_chars: int = 4096, max_delay: float = 0.05) -> None:
        self.emit = emit
        self.max_chars = max_chars
        self.max_delay = max_delay
        self._name: str | None = None
        self._parts: list[str] = []
        self._size = 0
        self._last_sent = -math.inf  # the first write goes at once
        self._busy = False  # in write or flush: a signal handler must not flush now
        self._line_tail = ""  # stdout since its last newline: the prompt input() shows
        self.stdout = Stream(self, "stdout")
        self.stderr = Stream(self, "stderr")

    def write(self, name: str, text: str) -> None:
        if not text:
            return
        busy, self._busy = self._busy, True
        try:
            if name != self._name:
                self.flush()
                self._name = name
            self._parts.append(text)
            self._size += len(text)
            if name == "stdout":
                newline = text.rfind("\n")
                tail = text[newline + 1 :] if newline >= 0 else self._line_tail + text
                self._line_tail = tail[-200:]
            if self._size >= self.max_chars or time.monotonic() - self._last_sent >= self.max_delay:
                self.flush()
        finally:
            self._busy = busy

    def flush(self) -> None:
        busy, self._busy = self._busy, True
        try:
            if self._parts:
                text = "".join(self._parts)
                self._parts.clear()
                self._size = 0
                self.emit({"type": "stream", "name": self._name, "text": text})
                self._last_sent = time.monotonic()
        finally:
            self._busy = busy

    def flush_unless_busy(self) -> None:
        """Flush, unless a write or flush of this output is under way: a signal handler
        runs between any two bytecodes, maybe halfway through one."""
        if not self._busy:
            self.flush()

    def send(self, type_: str, **fields: object) -> object:
        """Send one event ``{"type": type_, **fields}`` after the text printed so far;
        returns what ``emit`` returns (the answer, for ``input``)."""
        self.flush()
        return self.emit({"type": type_, **fields})

    def ask(self, available: bool) -> str | None:
        """Ask the page for one line of input; None when the learner pressed Stop instead.

        The prompt (what stdout shows since its last newline) is flushed first, so the
        learner sees it before the worker blocks.
        """
        if not available:
            if self._line_tail:  # end the prompt's line: the error starts on its own
                self.write("stdout", "\n")
            raise InputUnavailableError(INPUT_UNAVAILABLE)
        prompt, self._line_tail = self._line_tail, ""
        answer = self.send("input", prompt=prompt)
        return None if answer is None else str(answer)


class Stream(io.TextIOBase):
    """A text stream (what ``sys.stdout`` must be) that writes into an :class:`Output`."""

    def __init__(self, output: Output, name: str) -> None:
        self._output = output
        self._name = name

    @property
    def name(self) -> str:
        return f"<{self._name}>"

    @property
    def encoding(self) -> str:
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._output.write(self._name, text)
        return len(text)

    def flush(self) -> None:
        self._output.flush()


INPUT_UNAVAILABLE = (
    "input() cannot wait for your answer on this page. The browser lets Python pause "
    "for typing only when the page is cross-origin isolated and shares memory with "
    "Python (SharedArrayBuffer), and here it does not: either the server does not send "
    "the COOP/COEP headers and the "
    "site's service worker is not active (reloading the page once usually turns it on), "
    "or this browser does not offer it. Meanwhile, put the value in the code instead, "
    'for example: name = "Ada"'
)


class InputUnavailableError(RuntimeError):
    """input() was called where the page cannot wait for the learner's answer."""


class InputStream(io.TextIOBase):
    """``sys.stdin`` during a run: every line read is one answer typed by the learner.

    ``readline`` returns the answer with its newline, as a terminal would; the builtin
    ``input()`` strips it.  Stop while waiting raises KeyboardInterrupt, like Ctrl+C in a
    terminal.  Where the page cannot wait for an answer, reading raises
    :class:`InputUnavailableError` with a sentence that says why and what to do instead.
    """

    def __init__(self, output: Output, available: bool) -> None:
        self._output = output
        self._available = available

    @property
    def name(self) -> str:
        return "<stdin>"

    @property
    def encoding(self) -> str:
        return "utf-8"

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def readline(self, size: int | None = -1) -> str:
        answer = self._output.ask(self._available)
        if answer is None:
            raise KeyboardInterrupt("stopped while waiting for input")
        line = answer + "\n"
        return line if size is None or size < 0 else line[:size]

    def read(self, size: int | None = -1) -> str:
        """One answer: an interactive stdin has no end to read up to."""
        return self.readline(size)


_current: Output | None = None


def current() -> Output | None:
    """The output of the run in progress (figures are sent through it), if any."""
    return _current


def display(mime: str, data: str) -> None:
    """Send rich data (``mime`` says what it is, ``data`` is text, usually JSON) to the page.

    The page draws it with the renderer registered for ``mime`` (see web/js/renderers.js),
    in order with printed text.  Outside a run (plain CPython) it does nothing.
    """
    output = current()
    if output is not None:
        output.send("display", mime=mime, data=data)


def set_current(output: Output | None) -> None:
    global _current
    _current = output


def flush_current() -> None:
    """Send the text printed so far in the run in progress (before a pause, say)."""
    if _current is not None:
        _current.flush_unless_busy()


@contextlib.contextmanager
def flush_on_signal() -> Iterator[None]:
    """While inside, ``FLUSH_SIGNAL`` sends the current run's output so far."""
    if FLUSH_SIGNAL is None:  # (a platform without it: nothing asks)
        yield
        return
    previous = signal.signal(FLUSH_SIGNAL, lambda _signal, _frame: flush_current())
    try:
        yield
    finally:
        signal.signal(FLUSH_SIGNAL, previous)
