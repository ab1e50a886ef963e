"""Browser tests: the built site, served on a free localhost port, in Debian's Chromium.

One build and one browser per test session; each test gets a fresh page in a shared
browser context (so the HTTP cache is warm after the first page, as for a learner's
second visit).  Fixtures:

- ``site``: the built ``dist/`` (built into a temporary folder, never your ``dist/``);
- ``server`` / ``plain_server``: base URLs, with and without cross-origin isolation;
- ``lesson``: a page of the lesson, Python ready.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from sitebuild.serve import make_handler  # noqa: E402

READY_TIMEOUT_MS = 120_000
RUN_TIMEOUT_MS = 120_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site(self_hosted_build) -> Path:
    """The built site (tests/conftest.py: one build, shared with the build's tests)."""
    return self_hosted_build.out


def _serve(directory: Path, isolated: bool) -> Iterator[str]:
    handler = make_handler(directory, isolated=isolated)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The site with COOP/COEP: cross-origin isolated, as `build.py serve` sends it."""
    yield from _serve(site, isolated=True)


@pytest.fixture(scope="session")
def plain_server(site: Path) -> Iterator[str]:
    """The site without COOP/COEP headers, as GitHub Pages serves it."""
    yield from _serve(site, isolated=False)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), "
            "as the README's test command does."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def profile_context(browser, profile: Path, **options):
    """A browser context with a profile on disk, as a learner's browser has (unlike the
    incognito `context`, it keeps Chromium's wasm code cache); close it when done."""
    return browser.browser_type.launch_persistent_context(
        profile,
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        bypass_csp=True,
        **options,
    )


@pytest.fixture(scope="session")
def context(browser):
    # bypass_csp: Playwright's wait_for_function evaluates its predicate with eval, which
    # the site's Content-Security-Policy forbids; test_robustness.py checks the policy in
    # contexts of its own.
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context
    context.close()


class Problems(list):
    """Uncaught page errors; a test fails if any happen."""


@pytest.fixture
def page(context):
    page = context.new_page()
    problems = Problems()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    yield page
    # The pages keep learners' edits in localStorage; every test starts without any.
    try:
        page.evaluate("() => { try { localStorage.clear() } catch {} }")
    except Exception:  # a closed or crashed page: nothing to clear
        pass
    page.close()
    assert not problems, f"uncaught errors on the page: {problems}"


def wait_ready(page) -> None:
    # Locator waits, here and in run_and_wait, not wait_for_function: they also work in
    # contexts that keep the site's Content-Security-Policy (no eval).
    settled = "#python-status[data-phase='ready'], #python-status[data-phase='error']"
    page.locator(settled).wait_for(timeout=READY_TIMEOUT_MS)
    phase = page.get_attribute("#python-status", "data-phase")
    assert phase == "ready", page.inner_text("#python-status")


@pytest.fixture
def lesson(page, server):
    page.goto(server)
    wait_ready(page)
    return page


def cell(page, cell_id: str = "main"):
    return page.locator(f'.cell[data-cell-id="{cell_id}"]')


def set_code(page, code: str, cell_id: str = "main") -> None:
    """Replace a cell's code the way a learner would: select all, type."""
    editor = cell(page, cell_id).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    # insert_text types it in one go without auto-indent adding to our indentation
    page.keyboard.insert_text(code)


def run_and_wait(page, cell_id: str = "main", *, keyboard: bool = False) -> str:
    """Run a cell (Run button, or Ctrl+Enter in its editor); return its status text."""
    root = cell(page, cell_id)
    if keyboard:
        root.locator(".cm-content").click()
        page.keyboard.press("Control+Enter")
    else:
        root.locator("button.run").click()
    finished = f".cell[data-cell-id='{cell_id}']:not(.is-running) .cell-status:not(:empty)"
    page.locator(finished).wait_for(timeout=RUN_TIMEOUT_MS)
    return root.locator(".cell-status").inner_text()


def output_text(page, cell_id: str = "main") -> str:
    return cell(page, cell_id).locator(".cell-output").inner_text()


def editor_code(page, cell_id: str = "main") -> str:
    """The whole text of a cell's editor (CodeMirror only renders the lines in view)."""
    return page.evaluate("id => labCells.find(c => c.cellId === id).code", cell_id)
