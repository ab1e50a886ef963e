"""Accessibility gate: axe-core finds no violations on any page, light and dark, after the
cells have run; and the lesson can be used with the keyboard alone.

axe-core is the npm package pinned in package.json (node_modules/axe-core/axe.min.js),
injected into each page (the shared context bypasses the page's Content-Security-Policy for
this).  Every rule axe runs by default is checked (WCAG 2.0–2.2 A and AA, and best practices).
Every editor is built first (the lesson builds them lazily), so that CodeMirror's own markup is
checked too, and the figures, tables and animations the cells print.
"""

from __future__ import annotations

import sys

import pytest

from tests.browser.conftest import ROOT, cell, run_and_wait, wait_ready

sys.path.insert(0, str(ROOT / "tests" / "lessons"))
from lesson_snippets import pages_with_cells

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LESSON_PAGES = ["index", "polynomial-regression", "correlated-features", "learning-rate"]

RUN_AXE = """async () => {
  const { violations } = await axe.run(document, { resultTypes: ['violations'] });
  return violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    where: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
  }));
}"""


def violations_light_and_dark(page) -> dict[str, list]:
    """axe's violations in the light and in the dark colour scheme."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        found[scheme] = page.evaluate(RUN_AXE)
    page.emulate_media(color_scheme=None)
    return found


def build_every_editor(page) -> None:
    page.evaluate("() => labCells.forEach((c) => c.mount())")
    page.wait_for_function("() => labCells.every((c) => c.mounted)")


@pytest.mark.parametrize("name", LESSON_PAGES)
def test_axe_finds_nothing_on_a_lesson_page_after_its_cells_ran(page, server, name) -> None:
    page.goto(f"{server}{name}.html")
    wait_ready(page)
    for cell_id in pages_with_cells()[f"{name}.md"]:
        status = run_and_wait(page, cell_id)
        assert status.startswith("Done"), (cell_id, status)
    # a question answered, so its explanation is checked too
    question = page.locator(".question").first
    if question.locator("input[type=text]").count():
        question.locator("input[type=text]").fill("1")
    else:
        question.locator("input[type=radio]").first.check()
    question.locator(".question-submit").click()
    build_every_editor(page)
    assert violations_light_and_dark(page) == {"light": [], "dark": []}


def test_axe_finds_nothing_on_the_examples_page_and_the_full_editor(page, server) -> None:
    page.goto(f"{server}examples.html")
    assert violations_light_and_dark(page) == {"light": [], "dark": []}
    page.goto(f"{server}playground.html#from=main")
    page.wait_for_selector("body[data-playground='ready']")
    wait_ready(page)
    cell_id = page.locator(".playground .cell").get_attribute("data-cell-id")
    assert run_and_wait(page, cell_id).startswith("Done")
    assert violations_light_and_dark(page) == {"light": [], "dark": []}


# --------------------------------------------------------------------------- keyboard only

CONTROLS = """() => [...document.querySelectorAll(
    'main a[href], main button, main input, main [tabindex="0"], main textarea, main .cm-content'
  )].filter((el) => !el.disabled && !el.closest('[hidden]') && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden')
   .map((el) => {
     el.dataset.a11yId ??= String(Math.random()).slice(2);
     return el.dataset.a11yId;
   })"""

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  el.dataset.a11yId ??= String(Math.random()).slice(2);
  return {
    id: el.dataset.a11yId,
    code: el.matches('.cm-content, textarea.cell-code'),
    radio: el.type === 'radio' ? el.name : null,
    inMain: !!el.closest('main'),
  };
}"""


def test_tab_reaches_every_control_and_esc_tab_leaves_a_code_box(page, server) -> None:
    """From the top of the page, Tab alone (Esc first, in a code box, as its label says)
    reaches every control of the lesson: links, buttons, the handles and the point of the
    figure, each question (one stop per group of radio buttons), every code box."""
    page.goto(server)
    wait_ready(page)
    build_every_editor(page)
    page.evaluate("() => document.activeElement?.blur()")
    controls = page.evaluate(CONTROLS)
    assert len(controls) > 60  # every cell's editor, Run, Reset and link; the figure; questions
    figure = page.evaluate(
        "() => [...document.querySelectorAll('.drag-line [tabindex=\"0\"]')]"
        ".map((el) => el.dataset.a11yId)"
    )
    assert len(figure) == 3 and set(figure) <= set(controls)  # two handles and the point
    radios = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('main input[type=radio]')]"
        ".map((el) => [el.dataset.a11yId, el.name]))"
    )
    label = cell(page).locator(".cm-content").get_attribute("aria-label")
    assert "Esc, then Tab, leaves the code box" in label
    code_before = page.evaluate("() => labCells.map((c) => c.code)")
    reached: set[str] = set()
    groups: set[str] = set()
    left_main = False
    for _ in range(1500):
        active = page.evaluate(ACTIVE)
        if active and active["code"]:
            page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if not active:
            continue
        if not active["inMain"]:
            if reached:
                left_main = True
                break
            continue
        reached.add(active["id"])
        if active["radio"]:
            groups.add(active["radio"])
    assert left_main, "Tab never got past the lesson"
    missed = [c for c in controls if c not in reached and not (c in radios and radios[c] in groups)]
    described = page.evaluate(
        "ids => ids.map((id) => document.querySelector(`[data-a11y-id='${id}']`).outerHTML"
        ".slice(0, 120))",
        missed,
    )
    assert not missed, f"Tab never reached: {described}"
    # Esc then Tab moved on without typing a tab into any code box
    assert page.evaluate("() => labCells.map((c) => c.code)") == code_before
