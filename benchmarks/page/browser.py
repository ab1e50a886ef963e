"""The browser contexts: Debian's Chromium with a fresh, empty profile for each session."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

from .targets import Target, instrument_script


@contextmanager
def browser_profile(playwright, target: Target, *, viewport: dict = VIEWPORT) -> Iterator[object]:
    """A Chromium with a fresh, empty profile (a new user data folder), instrumented for
    ``target`` (instrument.js runs in every page before the page's own scripts)."""
    folder = tempfile.mkdtemp(prefix="lab-bench-profile-")
    # bypass_csp: wait_for_function evaluates its predicate with eval, which the site's
    # Content-Security-Policy forbids (as in tests/browser/conftest.py).
    context = playwright.chromium.launch_persistent_context(
        folder,
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=viewport,
        bypass_csp=True,
    )
    context.add_init_script(instrument_script(target))
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(folder, ignore_errors=True)
