"""Output capture: ``sys.stdout`` and ``sys.stderr`` written in batches, in order.

Sending every ``print`` to the page on its own costs one message each: a loop printing a
million lines would flood the page.  So text is gathered and sent when

- the batch holds ``max_chars`` characters, or
- ``max_delay`` seconds have passed since the last send (checked on each write, because
  no timer can fire while Python is busy), or
- the other stream writes (stdout and stderr stay in order), a figure is sent, or the
  run ends.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

Emit = Callable[..., object]


class Output:
    """Collects the text of both streams and sends it through ``emit("stream", name, text)``."""

    def __init__(self, emit: Emit, max_chars: int = 4096, max_delay: float = 0.05) -> None:
        self.emit = emit
        self.max_chars = max_chars
        self.max_delay = max_delay
        self._name: str | None = None
        self._parts: list[str] = []
        self._size = 0
        self._last_sent = time.monotonic()
        self.stdout = Stream(self, "stdout")
        self.stderr = Stream(self, "stderr")

    def write(self, name: str, text: str) -> None:
        if not text:
            return
        if name != self._name:
            self.flush()
            self._name = name
        self._parts.append(text)
        self._size += len(text)
        if self._size >= self.max_chars or time.monotonic() - self._last_sent >= self.max_delay:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            text = "".join(self._parts)
            self._parts.clear()
            self._size = 0
            self.emit("stream", self._name, text)
        self._last_sent = time.monotonic()


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
        output.flush()
        output.emit("display", mime, data)


def set_current(output: Output | None) -> None:
    global _current
    _current = output
