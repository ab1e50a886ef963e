#!/usr/bin/env python3
"""Regenerate the README's screenshot (docs/screenshot.png) from the current page.

    .venv/bin/python scripts/screenshot.py            # writes docs/screenshot.png
    .venv/bin/python scripts/screenshot.py --out x.png

It builds the site into a temporary folder, serves it as ``build.py serve`` does, opens the
lesson in Debian's Chromium, runs the main snippet once Python is ready, and takes the
viewport with the end of the main cell (the table of fits and the plot) at its bottom.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.page.server import Server  # noqa: E402
from benchmarks.page.site_build import build  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshot.png"
VIEWPORT = {"width": 1100, "height": 1000}
MAIN = '.cell[data-cell-id="main"]'
TIMEOUT_MS = 180_000


def take(url: str, out: Path) -> None:
    """Open the lesson at ``url``, run the main snippet, save the screenshot to ``out``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(url)
            page.locator("#python-status[data-phase='ready']").wait_for(timeout=TIMEOUT_MS)
            page.locator(f"{MAIN} .cm-content").wait_for(timeout=TIMEOUT_MS)  # CodeMirror
            page.locator(f"{MAIN} button.run").click()
            done = f"{MAIN}:not(.is-running) .cell-status:not(:empty)"
            page.locator(done).wait_for(timeout=TIMEOUT_MS)
            status = page.inner_text(f"{MAIN} .cell-status")
            if not status.startswith("Done"):
                raise SystemExit(f"the main snippet did not run: {status}")
            figure = page.locator(f"{MAIN} .cell-output img").first
            figure.evaluate("img => img.decode()")
            page.locator(MAIN).evaluate("cell => cell.scrollIntoView({block: 'end'})")
            page.mouse.move(0, VIEWPORT["height"] - 1)  # no hover styles on the buttons
            page.wait_for_timeout(500)  # the scroll settles, the caret blinks off or on
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"PNG file (default {OUT})")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    work = Path(tempfile.mkdtemp(prefix="lab-screenshot-"))
    try:
        build(work / "dist")
        server = Server(work / "dist")
        try:
            take(server.url, args.out)
        finally:
            server.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
