"""How the lesson page starts: Python first, the code readable at once, editors as needed.

- The Python worker is created by the page's first small script, before CodeMirror has
  even arrived (checked by holding CodeMirror's file back: the worker starts anyway).
- Until a cell's editor is built, its code is on the page as text, laid out exactly like
  the editor (nothing moves when the editor replaces it), with the learner's saved edits.
- The page's first cell (the lesson's main snippet) can be typed in from the first paint:
  a textarea whose run keys work as soon as the page's first script has run, and whose
  text, caret and focus CodeMirror takes over when it arrives, every keystroke kept once.
- A cell far down the page gets its editor when the learner reaches for it (click, Tab)
  or once Python is ready; it then takes typed text and runs it.
- Sections out of view are left to the browser to lay out later (content-visibility), and
  a link to one of them still lands on it.

The tests hold back files with Playwright's routing (the CodeMirror chunk; the Python
worker's script, so that Python stays loading for as long as a test needs) and observe
the order of events, never how long anything took.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import editor_code, output_text, run_and_wait, wait_ready

FAR = "linreg-summary"  # a cell near the end of the lesson
# Cells coming near the viewport get their editor through an IntersectionObserver; a page
# without one shows what happens when the learner reaches a cell before it does.
NO_INTERSECTION_OBSERVER = """
window.IntersectionObserver = class { observe() {} unobserve() {} disconnect() {} };
"""


def codemirror_chunk(site: Path) -> str:
    """The file name of the chunk the lesson preloads that holds CodeMirror."""
    html = (site / "index.html").read_text()
    for href in re.findall(r'<link rel="modulepreload" href="([^"]+)"', html):
        if "cm-content" in (site / href).read_text():
            return Path(href).name
    raise AssertionError("no preloaded chunk holds CodeMirror")


class Held:
    """Requests for files matching a pattern wait until release() (or are answered at once
    after it)."""

    def __init__(self, page, pattern: str) -> None:
        self.page, self.pattern, self.routes, self.released = page, pattern, [], False
        page.route(pattern, self._hold)

    def _hold(self, route) -> None:
        if self.released:
            route.continue_()
        else:
            self.routes.append(route)

    @property
    def asked(self) -> bool:
        return bool(self.routes) or self.released

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()
        self.routes.clear()


def geometry(page, cell_id: str) -> dict:
    """Where the code's text sits in a cell's code box (the text or the editor), in px."""
    return page.evaluate(
        """id => {
            const root = document.querySelector(`.cell[data-cell-id="${id}"]`);
            const box = root.querySelector('.cell-editor').getBoundingClientRect();
            const line = root.querySelector('.cm-line') ?? root.querySelector('.cell-source .line');
            const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
            const text = walker.nextNode();
            const range = document.createRange();
            range.setStart(text, 0);
            range.setEnd(text, 1);
            const glyph = range.getBoundingClientRect();
            return { x: glyph.left - box.left, y: glyph.top - box.top, height: box.height,
                     top: root.getBoundingClientRect().top + scrollY };
        }""",
        cell_id,
    )


def ink(page, cell_id: str) -> dict:
    """Where a cell's code box has text drawn (a screenshot: pixels far from their column's
    background): the rows with ink, the first column with ink right of the gutter, and the
    line numbers' ink.  Colours may change (syntax highlighting), positions not."""
    from PIL import Image

    box = page.locator(f'.cell[data-cell-id="{cell_id}"] .cell-editor')
    image = Image.open(io.BytesIO(box.screenshot(animations="disabled", caret="hide")))
    pixels = np.asarray(image.convert("L"), dtype=int)
    drawn = np.abs(pixels - np.median(pixels, axis=0)) > 90
    gutter = int(
        page.evaluate(
            """id => { const r = document.querySelector(`.cell[data-cell-id="${id}"]`);
                   const g = r.querySelector('.cm-gutters, .cell-gutter');
                   return g.getBoundingClientRect().right - r.querySelector('.cell-editor')
                          .getBoundingClientRect().left; }""",
            cell_id,
        )
    )
    code = drawn[:, gutter:]
    return {
        "size": pixels.shape,
        "rows": np.flatnonzero(drawn.any(axis=1)).tolist(),
        "first column": gutter + int(np.flatnonzero(code.any(axis=0))[0]),
        "numbers": drawn[:, : gutter - 12].tolist(),  # (not the fold markers' column)
    }


def is_text(page, cell_id: str) -> bool:
    """Does the cell still show its code as text (no editor yet)?"""
    root = f'.cell[data-cell-id="{cell_id}"]'
    return page.locator(f"{root} .cell-source").count() == 1 and (
        page.locator(f"{root} .cm-editor").count() == 0
    )


@pytest.fixture
def page(browser):
    """A page of its own context, without service workers: a service worker of an earlier
    test would answer the page's requests from its cache, out of reach of the routing."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, service_workers="block"
    )
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, f"uncaught errors on the page: {problems}"


@pytest.fixture
def shipped(site: Path) -> dict[str, str]:
    manifest = json.loads((site / "snippets.json").read_text())
    return {cell_id: s["code"] for cell_id, s in manifest["snippets"].items()}


def settled(page) -> None:
    """Wait for the fonts and two frames: nothing left to move the layout by itself."""
    page.evaluate(
        "() => document.fonts.ready.then(() => new Promise(r => "
        "requestAnimationFrame(() => requestAnimationFrame(r))))"
    )


def test_python_starts_before_codemirror_and_the_code_is_readable_meanwhile(
    page, server, site, shipped
) -> None:
    codemirror = Held(page, f"**/{codemirror_chunk(site)}")
    workers = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(server, wait_until="domcontentloaded")

    # The worker is created while CodeMirror is still on its way (held here).
    if not any("python-worker" in url for url in workers):
        page.wait_for_event("worker", predicate=lambda w: "python-worker" in w.url)
    assert page.locator(".cm-editor").count() == 0
    assert page.get_attribute("#python-status", "data-phase") in ("loading", "ready")

    # Every cell's code is on the page exactly as shipped: the first cell's in a textarea,
    # the others' as text (the line numbers are drawn apart, by CSS or in a column hidden
    # from screen readers: they are not part of the text a learner selects and copies).
    sources = page.locator(".cell[data-cell-id] .cell-source")
    ids = page.locator(".cell[data-cell-id]").evaluate_all("cs => cs.map(c => c.dataset.cellId)")
    assert len(ids) >= 10 and sources.count() == len(ids) and ids[0] == "main"
    main = page.locator('.cell[data-cell-id="main"]')
    assert main.locator("textarea.cell-code").input_value() == shipped["main"]
    assert main.locator(".cell-gutter").get_attribute("aria-hidden") == "true"
    assert main.locator(".cell-gutter").inner_text().split() == [
        str(n) for n in range(1, shipped["main"].count("\n") + 2)
    ]
    for index, cell_id in enumerate(ids[1:], start=1):
        if cell_id.startswith("exercise-"):  # an exercise's starter is a code box from the start
            code = sources.nth(index).locator("textarea.cell-code").input_value()
            assert "..." in code or "your code here" in code, cell_id
            continue
        assert sources.nth(index).evaluate("e => e.textContent") == shipped[cell_id]
    assert main.locator("textarea.cell-code").is_visible()

    settled(page)
    before = ink(page, "main")
    assert codemirror.asked  # (the page did ask for CodeMirror: it was held all along)
    codemirror.release()
    main.locator(".cm-content").wait_for()
    settled(page)
    after = ink(page, "main")
    # the editor took the textarea's place exactly: same size, text drawn at the same
    # rows and from the same column, the same line numbers
    assert after["size"] == before["size"]
    assert after["rows"] == before["rows"]
    assert after["first column"] == before["first column"]
    assert after["numbers"] == before["numbers"]


def test_a_far_cell_is_text_until_reached_then_takes_typing_and_runs(page, server, shipped) -> None:
    python = Held(page, "**/python-worker-*.js")  # Python stays loading until released
    page.add_init_script(NO_INTERSECTION_OBSERVER)
    page.goto(server)
    page.locator('.cell[data-cell-id="main"] .cm-content').wait_for()
    # The cell in view has its editor; one far below is still text, as it was sent.
    assert is_text(page, FAR)
    assert python.asked  # (the worker was asked for: Python is starting)

    # Run already works on it (clicked without scrolling there): the run waits for Python.
    far = page.locator(f'.cell[data-cell-id="{FAR}"]')
    far.locator("button.run").dispatch_event("click")
    # (text_content: a section out of view is not rendered, so it has no innerText yet)
    assert "Waiting for Python" in far.locator(".cell-status").text_content()
    assert is_text(page, FAR)  # (running needs no editor)

    # A click on a line of code (past the imports) builds the editor, with the cursor where
    # the click was, and nothing moves.  (This page has no IntersectionObserver, see
    # above: scrolled to, the cell stays text until it is clicked, as when a learner is
    # quicker than it.)
    before = geometry(page, FAR)
    target = next(n for n, text in enumerate(shipped[FAR].split("\n")) if n >= 3 and text)
    line = far.locator(".cell-source .line").nth(target)
    line.scroll_into_view_if_needed()
    assert is_text(page, FAR)
    line.click(position={"x": 1, "y": line.bounding_box()["height"] / 2})
    far.locator(".cm-editor.cm-focused").wait_for()
    after = geometry(page, FAR)
    for key in ("x", "y", "height"):
        assert after[key] == pytest.approx(before[key], abs=0.5), (key, before, after)
    page.keyboard.type("# typed here\n")
    lines = editor_code(page, FAR).split("\n")
    original = shipped[FAR].split("\n")
    assert lines[: target + 2] == [*original[:target], "# typed here", original[target]]

    # Python arrives: the queued run runs the code it was given (the shipped snippet),
    # and the edited code runs with Ctrl+Enter.
    python.release()
    wait_ready(page)
    finished = f".cell[data-cell-id='{FAR}']:not(.is-running) .cell-status:not(:empty)"
    page.locator(finished).wait_for()
    assert far.locator(".cell-status").inner_text().startswith("Done"), output_text(page, FAR)
    assert "coef" in output_text(page, FAR)
    far.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("print('far', 6 * 7)")
    status = run_and_wait(page, FAR, keyboard=True)
    assert status.startswith("Done"), output_text(page, FAR)
    assert output_text(page, FAR).strip() == "far 42"


def test_saved_edits_show_before_the_editor_and_every_editor_is_built_once_python_is_ready(
    page, server, shipped
) -> None:
    # A learner edits a far cell; the edit is saved in the browser.
    page.goto(server)
    wait_ready(page)
    editor = page.locator(f'.cell[data-cell-id="{FAR}"] .cm-content')
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("print('my own version')\n")
    page.wait_for_function(
        "id => Object.keys(localStorage).some(key => key.endsWith(`:lesson:${id}`))", arg=FAR
    )

    # Next visit: long before its editor is built, the far cell shows the saved version.
    python = Held(page, "**/python-worker-*.js")
    page.goto(server)  # (a new visit, at the top of the lesson)
    page.locator('.cell[data-cell-id="main"] .cm-content').wait_for()
    far = page.locator(f'.cell[data-cell-id="{FAR}"]')
    assert is_text(page, FAR)
    assert far.locator(".cell-source").evaluate("e => e.textContent") == "print('my own version')\n"
    assert "Your edited version" in far.locator(".cell-note").text_content()

    # Keyboard: focusing the code (Tab) builds the editor and puts the focus in it.
    far.locator(".cell-source").focus()
    far.locator(".cm-editor.cm-focused").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    assert editor_code(page, FAR) == "print('my own version')\n"

    # Once Python is ready, every cell gets its editor, with its code.
    python.release()
    wait_ready(page)
    count = page.locator(".cell[data-cell-id]").count()
    page.wait_for_function(
        "n => document.querySelectorAll('.cell[data-cell-id] .cm-editor').length === n", arg=count
    )
    assert page.locator(".cell-source").count() == 0
    assert editor_code(page, "main") == shipped["main"]
    assert editor_code(page, FAR) == "print('my own version')\n"


def test_a_link_to_a_section_far_down_lands_on_it(page, server) -> None:
    # (Sections out of view are laid out lazily, with a guessed height until then.)
    headings = page.context.request.get(server).text()
    anchors = re.findall(r'<h2 id="([^"]+)"', headings)
    anchor = anchors[len(anchors) * 2 // 3]  # far down, with enough page below to scroll to it
    page.goto(f"{server}#{anchor}")
    heading = page.locator(f"h2[id='{anchor}']")
    heading.wait_for()
    settled(page)  # the sections laid out late must not have moved it
    top = heading.evaluate("h => h.getBoundingClientRect().top")
    header = page.locator(".site-header").evaluate("h => h.getBoundingClientRect().bottom")
    assert header <= top < header + 80, (top, header)


def test_the_first_cell_takes_typing_and_runs_before_codemirror_and_the_editor_keeps_it(
    page, server, site, shipped
) -> None:
    """Typed and run before the page's module (hold lesson.js) and before CodeMirror (hold
    its chunk): every keystroke ends up in the editor once, and runs."""
    html = (site / "index.html").read_text()
    module = re.search(r'href="assets/(lesson-[^"]+)"', html).group(1)
    page_module = Held(page, f"**/{module}")
    codemirror = Held(page, f"**/{codemirror_chunk(site)}")
    page.goto(server, wait_until="domcontentloaded")
    main = page.locator('.cell[data-cell-id="main"]')
    box = main.locator("textarea.cell-code")

    # No page module yet: the textarea takes typing (the caret where the learner puts it),
    # and Ctrl+Enter is held for the cell, not typed as a new line.
    box.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("print('early', 6 * 7)")
    page.keyboard.press("Control+Enter")
    typed = shipped["main"] + "print('early', 6 * 7)"
    assert box.input_value() == typed
    assert main.locator(".cell-status").inner_text() == ""  # (no cell yet)
    assert page_module.asked and not page.evaluate("'labCells' in window")

    # The page's module arrives: the held Ctrl+Enter runs the typed code (waiting for
    # Python if it is still loading); Enter keeps the indentation; Shift+Enter runs too.
    page_module.release()
    main.locator(".cell-status:not(:empty)").wait_for()
    assert page.locator(".cm-editor").count() == 0  # (CodeMirror is still held)
    finished = ".cell[data-cell-id='main']:not(.is-running) .cell-status:not(:empty)"
    page.locator(finished).wait_for(timeout=120_000)
    assert main.locator(".cell-status").inner_text().startswith("Done"), output_text(page)
    assert output_text(page).rstrip().endswith("early 42")
    assert main.locator(".cell-output img").count() == 1  # (the snippet's plot, drawn)
    page.keyboard.type("\nif True:\nx = 1")
    typed += "\nif True:\n    x = 1"
    assert box.input_value() == typed
    assert page.evaluate("labCells[0].code") == typed
    page.evaluate("labCells[0].clearOutput()")
    page.keyboard.press("Shift+Enter")
    main.locator(".cell-output img").wait_for()  # (it ran again)
    page.locator(finished).wait_for(timeout=120_000)
    assert box.input_value() == typed  # (no new line typed)

    # CodeMirror arrives and takes over: the text once, the focus, the caret where it was.
    codemirror.release()
    main.locator(".cm-editor.cm-focused").wait_for()
    assert main.locator("textarea").count() == 0
    assert editor_code(page) == typed
    page.keyboard.type("  # then in the editor")
    typed += "  # then in the editor"
    assert editor_code(page) == typed
    page.evaluate("labCells[0].clearOutput()")
    page.keyboard.press("Control+Enter")
    main.locator(".cell-output img").wait_for()
    page.locator(finished).wait_for(timeout=120_000)
    assert main.locator(".cell-status").inner_text().startswith("Done"), output_text(page)
    assert output_text(page).rstrip().endswith("early 42")


def test_keystrokes_while_codemirror_takes_over_are_kept_once(page, server, site, shipped) -> None:
    """A burst of typing in the textarea as CodeMirror arrives: every character once, in order."""
    codemirror = Held(page, f"**/{codemirror_chunk(site)}")
    page.goto(server, wait_until="domcontentloaded")
    main = page.locator('.cell[data-cell-id="main"]')
    main.locator("textarea.cell-code").click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")  # (the caret at the start of the second line)
    # The learner pauses: the page asks for CodeMirror (held here), then types on as it
    # arrives, is evaluated and takes the textarea over.
    page.wait_for_timeout(2000)
    codemirror.release()
    burst = "".join(f"v{n} = {n}; " for n in range(40))
    page.keyboard.type(burst, delay=5)
    main.locator(".cm-content").wait_for()
    first, rest = shipped["main"].split("\n", 1)
    assert page.evaluate("labCells[0].code") == f"{first}\n{burst}{rest}"
    page.keyboard.type("# end")  # (where the caret was carried over to)
    assert editor_code(page) == f"{first}\n{burst}# end{rest}"


def test_reset_before_codemirror_can_be_undone_in_the_editor(page, server, site, shipped) -> None:
    codemirror = Held(page, f"**/{codemirror_chunk(site)}")
    page.goto(server, wait_until="domcontentloaded")
    main = page.locator('.cell[data-cell-id="main"]')
    box = main.locator("textarea.cell-code")
    box.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("print('mine')")
    main.locator("button.reset:not([disabled])").click()
    assert box.input_value() == shipped["main"]  # (CodeMirror is still held)
    assert "undoes" in main.locator(".cell-status").inner_text()
    codemirror.release()
    main.locator(".cm-content").click()
    assert editor_code(page) == shipped["main"]
    page.keyboard.press("Control+z")  # the editor has the Reset as an edit
    assert editor_code(page) == "print('mine')"


def test_the_main_snippet_starts_on_a_laptops_first_screen(page, server) -> None:
    """The lesson's first code box is what the learner sees first: on a 1280×900 window
    (and so in the benchmark's 'editor interactive' visit) its first four lines of code
    are on the first screen, before any scrolling."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server)
    main = page.locator('.cell[data-cell-id="main"]')
    main.locator(".cm-content").wait_for()
    bottoms = main.evaluate(
        """cell => [...cell.querySelectorAll('.cm-line')]
                     .slice(0, 4).map(line => line.getBoundingClientRect().bottom)"""
    )
    assert len(bottoms) == 4
    assert page.evaluate("scrollY") == 0
    assert max(bottoms) <= 900, bottoms
