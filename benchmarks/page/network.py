"""The page and the naive baseline over a simulated network, under each host's cache headers.

Each visit is cold (a new browser profile), presses Run at once and ends at the main
snippet's plot; it gets a server of its own with a new :class:`~.link.Link`, so nothing of
a previous visit still uses the pipe.  Per visit: navigation → plot, the bytes the server
sent before the plot and in the whole visit, the requests, the requests per path, and
every path asked for more than once (a file sent twice shows as ``[200, 200]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .browser import browser_profile
from .link import MBIT, Link, LinkSpec
from .server import (
    CACHE_HEADERS,
    Server,
    bytes_sent_again,
    fetched_again,
    requests_per_path,
    wire,
)
from .targets import Target
from .visit import visit

FAST = LinkSpec("40 Mbit/s, 20 ms", 40 * MBIT, 0.020)
SLOW = LinkSpec("10 Mbit/s, 20 ms", 10 * MBIT, 0.020)
SERVE_HEADERS = "build.py serve (immutable)"


@dataclass(frozen=True)
class Serving:
    """How a network visit is served: over which link, with which host's cache headers,
    with the build's compressed copies or without (a host that compresses nothing)."""

    name: str
    link: LinkSpec
    cache_headers: str = SERVE_HEADERS  # a key of server.CACHE_HEADERS
    precompressed: bool = True


SERVINGS = [
    Serving(f"{FAST.name}, {SERVE_HEADERS}", FAST),
    Serving(f"{SLOW.name}, {SERVE_HEADERS}", SLOW),
    *(
        Serving(f"{FAST.name}, {headers}", FAST, headers)
        for headers in CACHE_HEADERS
        if headers != SERVE_HEADERS
    ),
    Serving(f"{FAST.name}, a host that compresses nothing", FAST, precompressed=False),
]


def network_visit(
    playwright, site: Path, serving: Serving, target: Target, code: str, samples: dict
) -> None:
    """One cold visit with Run pressed at once, served as ``serving`` says."""
    server = Server(
        site,
        precompressed=serving.precompressed,
        link=Link.from_spec(serving.link),
        cache_control=CACHE_HEADERS[serving.cache_headers],
    )
    try:
        with browser_profile(playwright, target) as context:
            cold = visit(context, server, target, run_at_once=True, code=code)
    finally:
        server.close()
    plot = cold.runs[0]["plotDecoded"]
    to_plot = cold.before(plot)
    add = samples.setdefault
    add("nav_to_plot_s", []).append(plot)
    add("bytes_to_plot", []).append(wire(to_plot))
    add("bytes_in_visit", []).append(wire(cold.requests))
    add("requests_to_plot", []).append(len(to_plot))
    add("bytes_sent_again", []).append(bytes_sent_again(cold.requests))
    add("fetched_again", []).append(fetched_again(cold.requests))
    add("requests_per_path", []).append(requests_per_path(cold.requests))
    add("encodings", []).append(sorted({r.encoding or "identity" for r in cold.requests}))
    add("accepts_br", []).append(any("br" in r.accept_encoding for r in cold.requests))
