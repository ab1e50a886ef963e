"""Debian's Chromium as the browser tests and the benchmarks launch it: one path, one set of flags.

``tests/browser/conftest.py`` and ``benchmarks/page`` both import these, so a flag added
for one is used by the other and their measurements and checks see the same browser.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # no user namespaces in containers and CI runners
    "--disable-gpu",
    "--disable-quic",  # HTTP over TCP only, as the local server speaks it
    "--no-first-run",
    # Nothing but the page on the network: no update checks, component or sync downloads.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
