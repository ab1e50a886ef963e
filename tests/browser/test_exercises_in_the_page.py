"""Checked exercises in the page (issue 13), in Chromium: the r-squared exercise of the lesson.

The learner types with the keyboard; the verdict is read from its own region, the state
and the counts from the words the page shows (what a screen reader reads too).
"""

from __future__ import annotations

import json
import re

from conftest import RUN_TIMEOUT_MS, editor_code, wait_ready

EXERCISE = "r-squared"
CELL = f"exercise-{EXERCISE}"
ANSWER = "return 1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2)"
NOT_CENTRED = "return 1 - np.sum((y - y_hat) ** 2) / np.sum(y ** 2)"
BLANK_LINE = 11  # the starter's "...   # your code here" line


def exercise(page):
    return page.locator(f'.cell[data-exercise-id="{EXERCISE}"]')


def open_lesson(page, base: str, query: str = "") -> None:
    page.goto(f"{base}{query}")
    wait_ready(page)
    exercise(page).scroll_into_view_if_needed()


def type_answer(page, line: str) -> None:
    """Click into the exercise's code, go to the blank's line and type over it (keyboard only)."""
    box = exercise(page).locator(".cm-content, textarea.cell-code").first
    box.click()
    page.locator(f'.cell[data-exercise-id="{EXERCISE}"] .cm-content').wait_for()
    page.keyboard.press("Control+Home")
    for _ in range(BLANK_LINE - 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")  # back to the indentation: the blank is selected
    page.keyboard.type(line)


def run_checked(page) -> str:
    """Ctrl+Enter in the exercise; wait for the run to end; the verdict region's text."""
    exercise(page).locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    done = f".cell[data-cell-id='{CELL}']:not(.is-running) .cell-status:not(:empty)"
    page.locator(done).wait_for(timeout=RUN_TIMEOUT_MS)
    verdict = exercise(page).locator(".exercise-verdict")
    verdict.locator(".verdict-title").wait_for()
    return verdict.inner_text()


def wait_code(page, code: str) -> None:
    """Wait until the exercise's editor holds exactly `code` (revealing is asynchronous)."""
    page.wait_for_function(
        "([id, code]) => labCells.find(c => c.cellId === id).code === code", arg=[CELL, code]
    )


def state(page) -> str:
    return exercise(page).locator(".exercise-state").text_content()


def count(page) -> str:
    """The page's "k of n exercises solved"."""
    return page.locator(".exercise-count").text_content()


def solved_of(page, k: int) -> str:
    n = page.locator(".cell[data-exercise-id]").count()
    return f"{k} of {n} exercises solved"


def test_a_typed_solution_passes_and_progress_survives_a_reload(page, server) -> None:
    open_lesson(page, server)
    assert state(page) == "Not tried"
    assert count(page) == solved_of(page, 0)
    type_answer(page, ANSWER)
    verdict = run_checked(page)
    assert verdict.startswith("✓ Passed"), verdict
    assert "within" in verdict  # the tolerance, said in words
    region = exercise(page).locator(".exercise-verdict")
    assert region.get_attribute("role") == "status"
    assert region.get_attribute("aria-live") == "polite"
    assert state(page) == "Solved"
    assert count(page) == solved_of(page, 1)

    n = page.locator(".cell[data-exercise-id]").count()
    page.reload()
    wait_ready(page)
    assert state(page) == "Solved"
    assert count(page) == solved_of(page, 1)
    assert ANSWER in editor_code(page, CELL)

    # The examples index: the totals beside the lesson's link, and over the whole site.
    page.goto(f"{server}examples.html")
    page.locator("body[data-progress='ready']").wait_for()
    totals = page.locator('.exercise-totals[data-page="index.html"]')
    assert totals.text_content().strip() == f"(1 of {n} exercises solved)"
    others = page.locator('.exercise-totals:not([data-page="index.html"])')
    assert others.count() >= 3  # every related page has its exercise
    assert all(text.strip().startswith("(0 of") for text in others.all_text_contents())
    in_all = page.locator(".exercise-totals-all").text_content()
    assert re.search(r"1 of \d+ exercises solved in all", in_all), in_all

    # Start over for the page asks first, then forgets
    page.goto(server)
    page.locator(".exercise-summary").wait_for()
    page.locator("button.start-over-page").click()
    assert "of this page over?" in page.locator(".exercise-summary").inner_text()
    page.locator(".exercise-summary button.confirm-yes").click()
    page.locator(".exercise-count", has_text=solved_of(page, 0)).wait_for()
    assert state(page) == "Not tried"


def test_a_known_mistake_gets_its_hint_and_printing_correct_passes_nothing(page, server) -> None:
    open_lesson(page, server)
    type_answer(page, NOT_CENTRED)
    # the learner's code claims success in its output: the verdict ignores it
    page.keyboard.press("Control+Home")
    page.keyboard.type('print("Correct! ✓ Passed")')
    page.keyboard.press("Enter")
    verdict = run_checked(page)
    assert "Correct! ✓ Passed" in exercise(page).locator(".cell-output").inner_text()
    assert verdict.startswith("✗ Not yet"), verdict
    assert "Passed" not in verdict
    mistake = exercise(page).locator(".exercise-verdict").get_attribute("data-mistake")
    assert mistake == "y-not-centred"
    assert "y.mean()" in verdict  # the hint for that very mistake
    assert state(page) == "Not yet"
    assert count(page) == solved_of(page, 0)

    # Hints one at a time (keyboard), then Show solution
    hints = exercise(page).locator(".exercise-hint")
    assert hints.count() == 0 and exercise(page).locator("button.show-solution").is_hidden()
    hint = exercise(page).locator("button.hint")
    hint.focus()
    page.keyboard.press("Enter")
    assert hints.count() == 1 and "sums of squares" in hints.nth(0).inner_text()
    assert hint.inner_text() == "Next hint (2 of 3)"
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert hints.count() == 3 and hint.is_hidden()
    assert exercise(page).locator("button.show-solution").is_visible()


def test_reveal_asks_first_is_recorded_and_can_be_undone(page, server) -> None:
    open_lesson(page, server)
    type_answer(page, NOT_CENTRED)
    mine = editor_code(page, CELL)
    page.wait_for_timeout(600)  # (typing and the next edit are separate steps of undo)
    for _ in range(3):
        exercise(page).locator("button.hint").click()
    show = exercise(page).locator("button.show-solution")
    show.click()
    confirm = exercise(page).locator(".exercise-confirm")
    assert "Show the solution?" in confirm.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Show the solution"
    page.keyboard.press("Escape")  # not now: nothing changed
    assert confirm.is_hidden() and editor_code(page, CELL) == mine
    assert page.evaluate("document.activeElement.classList.contains('show-solution')")

    show.click()
    exercise(page).locator("button.confirm-yes").click()
    solution = json.loads(exercise(page).locator("script.exercise-data").text_content())["solution"]
    wait_code(page, solution)
    stored = page.evaluate(
        "() => Object.entries(localStorage)"
        ".find(([key]) => key.endsWith(':progress:exercise:r-squared'))[1]"
    )
    assert json.loads(stored)["revealed"] is True

    page.keyboard.press("Control+z")  # the editor has the focus: its undo brings mine back
    assert editor_code(page, CELL) == mine
    # the visible Undo too (after a second reveal)
    show.click()
    exercise(page).locator("button.confirm-yes").click()
    wait_code(page, solution)
    exercise(page).locator("button.undo-solution").click()
    wait_code(page, mine)
    assert exercise(page).locator(".exercise-revealed").is_hidden()

    show.click()
    exercise(page).locator("button.confirm-yes").click()
    assert run_checked(page).startswith("✓ Passed")
    assert state(page) == "Solved after seeing the solution"

    # Start over: asks, then the starter is back (undoable) and the progress forgotten
    exercise(page).locator("button.start-over").click()
    exercise(page).locator("button.confirm-yes").click()
    starter = page.evaluate("id => labCells.find(c => c.cellId === id).originalCode", CELL)
    wait_code(page, starter)
    assert state(page) == "Not tried" and exercise(page).locator(".exercise-hint").count() == 0
    assert count(page) == solved_of(page, 0)


def test_the_full_editor_opens_the_exercise_with_its_check(page, server) -> None:
    open_lesson(page, server)
    type_answer(page, NOT_CENTRED)
    exercise(page).locator("a.open-full").click()
    page.locator("body[data-playground='ready']").wait_for()
    wait_ready(page)
    box = page.locator(".exercise-box")
    assert "R² by hand" in box.locator(".exercise-head").inner_text()
    root = page.locator(".playground .cell")
    assert NOT_CENTRED in page.evaluate("labCells[0].code")
    root.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    verdict = box.locator(".exercise-verdict[data-status='not-yet']")
    verdict.wait_for(timeout=RUN_TIMEOUT_MS)
    assert box.locator(".exercise-verdict").get_attribute("data-mistake") == "y-not-centred"
    root.locator(".cm-content").click()
    page.keyboard.press("Control+Home")
    for _ in range(BLANK_LINE - 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(ANSWER)
    page.keyboard.press("Control+Enter")
    box.locator(".exercise-verdict[data-status='passed']").wait_for(timeout=RUN_TIMEOUT_MS)
    assert box.locator(".exercise-state").inner_text() == "Solved"


def test_a_stuck_check_is_stopped_without_isolation_and_the_next_run_is_checked(
    browser, plain_server
) -> None:
    # Service workers blocked: the site's cannot add COOP/COEP, the page stays non-isolated.
    context = browser.new_context(bypass_csp=True, service_workers="block")
    page = context.new_page()
    try:
        open_lesson(page, plain_server, "?timeLimit=3")
        assert page.evaluate("crossOriginIsolated") is False
        type_answer(page, "while True: pass")
        verdict = run_checked(page)
        assert verdict.startswith("Not checked") and "stopped" in verdict, verdict
        assert state(page) == "Not tried"
        page.keyboard.press("Control+a")
        page.keyboard.type("import sys\nsys.exit()\n")
        verdict = run_checked(page)
        assert verdict.startswith("✗ Not yet"), verdict
        assert state(page) == "Not yet"
    finally:
        context.close()


def test_a_changed_exercise_keeps_the_code_and_says_so(page, server) -> None:
    page.goto(f"{server}examples.html")  # (no Python: the storage is written before it reads)
    mine = "import numpy as np\n# my attempt\n"
    page.evaluate(
        """async ([mine]) => {
          const catalog = await (await fetch('snippets.json')).json();
          const prefix = 'linreg-lab:v1:/:';
          localStorage.setItem(prefix + 'progress:exercise:r-squared',
            JSON.stringify({ tried: true, version: '00000000' }));
          localStorage.setItem(prefix + 'lesson:exercise-r-squared', JSON.stringify({ code: mine,
            base: catalog.exercises['r-squared'].starter }));
        }""",
        [mine],
    )
    open_lesson(page, server)
    assert editor_code(page, CELL) == mine
    note = exercise(page).locator(".cell-note").text_content()  # (laid out or not)
    assert "changed since you last worked on it" in note and "Your code is kept" in note
    assert state(page) == "Not yet"


def test_at_phone_width_in_the_dark_the_exercise_fits(browser, server) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, color_scheme="dark", bypass_csp=True
    )
    page = context.new_page()
    try:
        open_lesson(page, server)
        exercise(page).locator("button.hint").click()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, width
        box = exercise(page).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        background = page.evaluate(
            "getComputedStyle(document.querySelector('.exercise-head')).backgroundColor"
        )
        channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
        assert max(channels) < 80, background  # a dark panel, not a light one
        page.keyboard.press("Tab")  # the buttons are reachable and show their focus
        focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert focused != "none"
    finally:
        context.close()
