"""A simulated network link between the test server and the browser.

One :class:`Link` is shared by every connection of a server, as one home connection is
shared by every download of a page: the page's, its Web Worker's and its service worker's
alike (per-page throttling in the browser's DevTools protocol misses the workers).  It has

- a bandwidth of ``bits_per_second``, a token bucket: the pipe carries
  ``bits_per_second / 8`` bytes a second, all connections together, with a burst of at most
  ``burst_bytes`` after an idle moment; and
- a ``latency_s`` paid once by every request before its response starts (the round trip).

The server hands a response to the socket in pieces of ``piece_bytes``, each once the pipe
has carried it, so concurrent responses share the pipe piece by piece, in turn.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

MBIT = 1_000_000


@dataclass(frozen=True)
class LinkSpec:
    """A link's name and figures, as the report lists them."""

    name: str
    bits_per_second: float
    latency_s: float


class Link:
    """A shared pipe of ``bits_per_second``, and ``latency_s`` per request."""

    def __init__(
        self,
        bits_per_second: float,
        latency_s: float = 0.0,
        *,
        burst_bytes: int = 16_384,
        piece_bytes: int = 16_384,
    ) -> None:
        if bits_per_second <= 0:
            raise ValueError(f"a link needs a positive bandwidth, not {bits_per_second} bit/s")
        if latency_s < 0:
            raise ValueError(f"a link's latency cannot be negative ({latency_s} s)")
        self.bytes_per_second = bits_per_second / 8
        self.latency_s = latency_s
        self.burst_s = burst_bytes / self.bytes_per_second
        self.piece_bytes = piece_bytes
        self._lock = threading.Lock()
        self._free_at = time.monotonic()  # when the pipe has carried all it was given

    @classmethod
    def from_spec(cls, spec: LinkSpec) -> Link:
        return cls(spec.bits_per_second, spec.latency_s)

    def wait_for_request(self) -> None:
        """The request's round trip: ``latency_s``."""
        if self.latency_s:
            time.sleep(self.latency_s)

    def carry(self, size: int) -> None:
        """Block until the pipe has carried ``size`` more bytes.

        The pipe is busy until ``free_at``; ``size`` bytes keep it busy ``size / rate``
        seconds longer.  An idle pipe lends at most ``burst_s`` of the past (the bucket's
        tokens), so a response after a pause starts at once but never outruns the rate.
        """
        with self._lock:
            now = time.monotonic()
            start = max(self._free_at, now - self.burst_s)
            self._free_at = start + size / self.bytes_per_second
            done = self._free_at
        delay = done - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def write(self, write, data) -> int:
        """Write ``data`` with ``write`` piece by piece, each once the pipe carried it."""
        view = memoryview(data)
        for offset in range(0, len(view), self.piece_bytes):
            piece = view[offset : offset + self.piece_bytes]
            self.carry(len(piece))
            write(piece)
        return len(view)
