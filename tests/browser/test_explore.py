"""The lesson's interactive blocks in Chromium: drag the line, the loss surface, and the
"predict, then run" questions.  None of them needs Python: these pages are not waited on.

- a handle dragged with the mouse, a finger (touch events through the DevTools protocol) or
  the arrow keys moves the line, and L falls as it nears the least-squares line; the point on
  the loss surface follows; dragging that point moves the line; the change is made in the
  event's own task (so it is drawn in the next frame);
- "show the least-squares line", the squares, the text for screen readers, reduced motion;
- a question answered wrong, then right, shows the matching explanation and is kept after
  a reload (SafeStorage, progress:question:<id>).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lessons"))
from lesson_snippets import ROOT

from tests.browser.conftest import run_and_wait, wait_ready

POINTS = json.loads((ROOT / "web" / "lessons" / "data" / "lesson-points.json").read_text())


def least_squares() -> tuple[float, float]:
    import numpy as np

    slope, intercept = np.polyfit(POINTS["x"], POINTS["y"], 1)
    return float(intercept), float(slope)


def open_widget(page, server):
    page.goto(f"{server}index.html#1-the-goal-one-line-as-close-as-possible-to-every-point")
    widget = page.locator(".drag-line")
    widget.wait_for(timeout=30_000)
    widget.scroll_into_view_if_needed()
    return widget


def numbers(widget) -> dict[str, float]:
    return {
        key: float(widget.get_attribute(f"data-{key}")) for key in ("w0", "w1", "loss", "best-loss")
    }


def readout(widget) -> str:
    """The readouts as read aloud (each kept on one line by no-break spaces)."""
    return widget.locator(".drag-line-readout").inner_text().replace("\u00a0", " ")


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def point_position(widget) -> tuple[float, float]:
    point = widget.locator(".contour-point")
    return float(point.get_attribute("data-x")), float(point.get_attribute("data-y"))


def test_the_widget_starts_on_the_lessons_data_with_least_squares_as_the_target(
    page, server
) -> None:
    widget = open_widget(page, server)
    w0, w1 = least_squares()
    got = numbers(widget)
    x, y = POINTS["x"], POINTS["y"]
    best = sum((yi - (w1 * xi + w0)) ** 2 for xi, yi in zip(x, y, strict=True))
    assert got["best-loss"] == pytest.approx(best, rel=1e-9)
    assert (got["w0"], got["w1"]) == (12.0, 1.0)
    assert got["loss"] == pytest.approx(2372.1, abs=0.05)  # what the loss cell prints for it
    assert widget.locator(".drag-line-points circle").count() == 100
    assert widget.locator(".drag-line-residual").count() == 100
    assert "L = 2372.1" in readout(widget)
    assert "w₀ = 12.00" in readout(widget)
    target = widget.locator(".drag-line-target")
    assert f"L = {best:.1f}" in target.inner_text()
    assert target.get_attribute("data-state") == "far"


def test_a_handle_dragged_with_the_mouse_lowers_the_loss_the_point_follows(page, server) -> None:
    widget = open_widget(page, server)
    before = numbers(widget)
    point_before = point_position(widget)
    left = widget.locator(".drag-line-handle").first
    x, y = centre(left)
    page.mouse.move(x, y)
    page.mouse.down()
    losses = []
    for dy in range(4, 25, 4):  # down, towards the least-squares line (6.5 at x = 1, not 13)
        page.mouse.move(x, y + dy)
        losses.append(numbers(widget)["loss"])
    page.mouse.up()
    after = numbers(widget)
    assert losses == sorted(losses, reverse=True), losses  # L falls with every move
    assert after["loss"] < before["loss"] - 300
    assert after["w1"] > before["w1"]  # the left end went down: steeper
    assert point_position(widget) != point_before
    assert f"L = {after['loss']:.1f}" in readout(widget)


def test_the_arrow_keys_move_a_handle_in_the_keys_own_task(page, server) -> None:
    widget = open_widget(page, server)
    handle = widget.locator(".drag-line-handle").first
    handle.focus()
    ring = handle.locator(".drag-line-handle-ring")
    # focused from the keyboard: the ring shows (Playwright's focus() counts as keyboard focus)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("el => getComputedStyle(el).opacity", ring.element_handle()) == "1"
    # the line and L change while the keydown is handled, before any frame is drawn
    changed = page.evaluate(
        """el => {
          const root = el.closest('.drag-line');
          const before = Number(root.dataset.loss);
          el.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
          return [before, Number(root.dataset.loss)];
        }""",
        handle.element_handle(),
    )
    assert changed[1] < changed[0]
    before = numbers(widget)
    for _ in range(6):
        page.keyboard.press("Shift+ArrowDown")  # a step of 1 each
    after = numbers(widget)
    assert after["loss"] < before["loss"]
    assert float(handle.get_attribute("aria-valuenow")) == pytest.approx(13 - 0.2 * 2 - 6, abs=1e-6)
    assert "at x = 1" in handle.get_attribute("aria-valuetext")
    # the text for screen readers follows, throttled
    live = widget.locator("[aria-live='polite']")
    # throttled: it catches up with the last key within its interval (0.7 s)
    page.wait_for_function(
        "([el, text]) => el.textContent.includes(text)",
        arg=[live.element_handle(), f"L = {after['loss']:.1f}"],
    )


def test_the_point_on_the_loss_surface_moves_the_line_to_the_minimum(page, server) -> None:
    widget = open_widget(page, server)
    widget.locator(".drag-line-reveal").click()
    assert widget.locator(".drag-line-reveal").get_attribute("aria-pressed") == "true"
    cross = widget.locator(".contour-minimum")
    assert cross.get_attribute("visibility") == "visible"
    x, y = centre(widget.locator(".contour-point"))
    page.mouse.move(x, y)
    page.mouse.down()
    tx, ty = centre(cross)
    page.mouse.move(tx, ty, steps=5)
    page.mouse.up()
    got = numbers(widget)
    w0, w1 = least_squares()
    assert got["w0"] == pytest.approx(w0, abs=0.15)
    assert got["w1"] == pytest.approx(w1, abs=0.05)
    target = widget.locator(".drag-line-target")
    assert target.get_attribute("data-state") in {"matched", "close"}
    assert got["loss"] < 1.05 * got["best-loss"]
    # the handles followed: the left one is at the line's height at x = 1
    left = float(widget.locator(".drag-line-handle").first.get_attribute("aria-valuenow"))
    assert left == pytest.approx(got["w0"] + got["w1"], abs=0.06)
    # and from the keyboard: up raises the slope
    widget.locator(".contour-point").focus()
    page.keyboard.press("ArrowUp")
    assert numbers(widget)["w1"] > got["w1"]
    assert "w₁ = " in widget.locator(".contour-point").get_attribute("aria-label")


def test_squares_and_the_best_line_show_on_demand(page, server) -> None:
    widget = open_widget(page, server)
    square = widget.locator(".drag-line-square").first
    assert not square.is_visible()
    widget.get_by_label("Draw each residual as its square").check()
    assert square.is_visible()
    best = widget.locator(".drag-line-best")
    assert page.evaluate("el => getComputedStyle(el).opacity", best.element_handle()) == "0"
    widget.locator(".drag-line-reveal").click()
    page.wait_for_function("el => getComputedStyle(el).opacity === '1'", arg=best.element_handle())


def test_a_finger_drags_a_handle_at_phone_width(browser, server) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        color_scheme="dark",
    )
    page = context.new_page()
    try:
        widget = open_widget(page, server)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
        before = numbers(widget)
        x, y = centre(widget.locator(".drag-line-handle").first)
        cdp = context.new_cdp_session(page)
        touch = lambda kind, points: cdp.send(  # noqa: E731
            "Input.dispatchTouchEvent", {"type": kind, "touchPoints": points}
        )
        touch("touchStart", [{"x": x, "y": y}])
        for dy in (10, 20, 30, 40):
            touch("touchMove", [{"x": x, "y": y + dy}])
        touch("touchEnd", [])
        # the handle followed the finger (and the page did not scroll instead: touch-action)
        assert centre(widget.locator(".drag-line-handle").first) == pytest.approx(
            (x, y + 40), abs=2
        )
        assert numbers(widget)["loss"] < before["loss"] - 100
    finally:
        context.close()


def test_reduced_motion_shows_the_best_line_at_once(browser, server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    try:
        widget = open_widget(page, server)
        best = widget.locator(".drag-line-best")
        widget.locator(".drag-line-reveal").click()
        style = page.evaluate(
            "el => [getComputedStyle(el).opacity, getComputedStyle(el).transitionDuration]",
            best.element_handle(),
        )
        assert style == ["1", "0s"]
    finally:
        context.close()


# --------------------------------------------------------------------------- questions


def question(page, question_id: str):
    return page.locator(f".question[data-question-id='{question_id}']")


def test_a_question_answered_wrong_then_right_explains_and_is_kept(page, server) -> None:
    page.goto(f"{server}index.html#1-the-goal-one-line-as-close-as-possible-to-every-point")
    q = question(page, "loss-candidates")
    q.scroll_into_view_if_needed()
    submit = q.locator(".question-submit")
    page.wait_for_function("el => !el.disabled", arg=submit.element_handle())
    assert q.get_attribute("data-state") == "unanswered"
    submit.click()  # nothing chosen yet
    assert "Choose one of the answers first" in q.locator(".question-feedback").inner_text()
    q.locator("input[type=radio]").nth(0).check()  # the flat line: wrong
    submit.click()
    feedback = q.locator(".question-feedback")
    assert q.get_attribute("data-state") == "wrong"
    assert feedback.inner_text().startswith("Not quite.")
    assert "A flat line misses at both ends" in feedback.inner_text()
    assert "Now run the code below" in feedback.inner_text()
    stored = page.evaluate(
        "() => Object.entries(localStorage)"
        ".filter(([k]) => k.endsWith('progress:question:loss-candidates'))"
    )
    assert len(stored) == 1
    assert json.loads(stored[0][1])["answer"] == 0
    assert json.loads(stored[0][1])["correct"] is False

    page.reload()
    q = question(page, "loss-candidates")
    page.wait_for_function("el => el.dataset.state === 'wrong'", arg=q.element_handle())
    assert q.locator("input[type=radio]").nth(0).is_checked()
    assert "A flat line misses at both ends" in q.locator(".question-feedback").inner_text()

    q.locator(".question-again").click()
    assert q.get_attribute("data-state") == "unanswered"
    q.locator("input[type=radio]").nth(2).check()
    q.locator(".question-submit").click()
    assert q.get_attribute("data-state") == "right"
    assert q.locator(".question-feedback").inner_text().startswith("Right.")
    page.reload()
    q = question(page, "loss-candidates")
    page.wait_for_function("el => el.dataset.state === 'right'", arg=q.element_handle())
    assert q.locator("input[type=radio]").nth(2).is_checked()


def test_a_number_question_reads_what_is_typed(page, server) -> None:
    page.goto(f"{server}learning-rate.html")
    q = question(page, "eta-half-epochs")
    q.scroll_into_view_if_needed()
    field = q.locator("input[type=text]")
    submit = q.locator(".question-submit")
    page.wait_for_function("el => !el.disabled", arg=submit.element_handle())
    field.fill("one")
    submit.click()
    assert "Type a number first" in q.locator(".question-feedback").inner_text()
    assert q.get_attribute("data-state") == "unanswered"
    field.fill("2")
    field.press("Enter")
    assert q.get_attribute("data-state") == "wrong"
    assert "One epoch" in q.locator(".question-feedback").inner_text()
    q.locator(".question-again").click()
    field.fill(" 1 ")
    field.press("Enter")
    assert q.get_attribute("data-state") == "right"


# ------------------------------------------------------------------ the animation's loss surface

# How far from round the innermost contour is: its farthest point from the minimum over its
# nearest, in the panel's own units (1 for a circle).
STRETCH = """figure => {
  const cross = figure.querySelector('.contour-minimum').getBBox();
  const [cx, cy] = [cross.x + cross.width / 2, cross.y + cross.height / 2];
  const d = figure.querySelector('.contour-level-0').getAttribute('d');
  const numbers = d.match(/-?[\\d.]+/g).map(Number);
  const distances = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) {
    distances.push(Math.hypot(numbers[i] - cx, numbers[i + 1] - cy));
  }
  return Math.max(...distances) / Math.min(...distances);
}"""


def test_the_animation_draws_the_weights_path_on_round_or_long_bowls(page, server) -> None:
    page.goto(f"{server}learning-rate.html")
    wait_ready(page)
    assert run_and_wait(page, "lr-animation").startswith("Done")
    figure = page.locator(".cell[data-cell-id='lr-animation'] .descent")
    figure.locator(".descent-restart").click()
    for _ in range(3):
        figure.locator(".descent-step").click()
    path = figure.locator(".contour-path").get_attribute("points").split()
    assert len(path) == 4  # the first guess and three steps
    assert path[0] != path[-1]
    point = figure.locator(".contour-point")
    last = [round(float(v), 1) for v in path[-1].split(",")]
    assert [round(float(point.get_attribute(k)), 1) for k in ("data-x", "data-y")] == last
    assert "epoch" in figure.locator("svg.contour-panel").get_attribute("aria-label")
    raw = page.evaluate(STRETCH, figure.element_handle())
    figure.get_by_label("standardised x").check()
    standardised = page.evaluate(STRETCH, figure.element_handle())
    assert raw > 3  # raw x: a long thin valley
    assert standardised < 1.15  # standardised x: a round bowl
    assert len(figure.locator(".contour-path").get_attribute("points").split()) == 4
