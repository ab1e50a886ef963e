"""The lesson and its example pages in Chromium.

- The math is typeset at build time: KaTeX markup and fonts, no raw TeX in the text.
- Every snippet cell of every page runs in the page's one Python worker and prints what
  the same snippet prints on CPython (tests/lessons checks those numbers), with the same
  plots and alt text.
- The gradient-descent animation plays, pauses, steps, restarts, switches learning rate,
  ends on the least-squares line, and says plainly when a learning rate diverges.
- The scikit-learn check cell agrees as shipped and disagrees once the code is broken.
- At phone width (375 px) nothing scrolls sideways and the editor works; light and dark
  colour schemes keep text, editor, output, math and the animation readable; with
  prefers-reduced-motion the animation shows its last frame without playing.

Each page is loaded once (Python's start-up costs seconds); the lesson page is shared by
the tests of this module that read it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import RUN_TIMEOUT_MS, cell, output_text, run_and_wait, set_code, wait_ready
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lessons"))

from lesson_snippets import (
    numbers_and_words,
    pages_with_cells,
    same_printout,
    shipped_run,
    snippet,
)

EXAMPLE_PAGES = ["polynomial-regression", "correlated-features", "learning-rate"]
RAW_TEX = re.compile(r"\$|\\(?:frac|sum|hat|mathbf|lVert|begin|top|partial|eta|lambda)\b")

READ_OUTPUT = """async id => {
  const out = document.querySelector(`.cell[data-cell-id='${id}'] .cell-output`);
  const images = [...out.querySelectorAll('.out-figure img')];
  await Promise.all(images.map(img => img.decode()));
  return {
    streams: [...out.querySelectorAll('span[data-stream]')].map(s => s.textContent).join(''),
    figures: images.map(i => ({alt: i.alt, width: i.naturalWidth, height: i.naturalHeight})),
    displays: [...out.querySelectorAll('.out-display')].map(d => d.dataset.mime),
    notices: [...out.querySelectorAll('.out-notice')].map(p => p.textContent),
  };
}"""

VISIBLE_LESSON_TEXT = """() => {
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT, {
    acceptNode: node => node.parentElement.closest('.katex-mathml, .cell')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  let text = '';
  while (walker.nextNode()) text += walker.currentNode.textContent;
  return text;
}"""

# WCAG contrast of an element's text (or an SVG shape's fill/stroke) against what is
# behind it: the nearest ancestor with an opaque background, opacity blended in.
CONTRAST = """(element, property) => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const luminance = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const style = getComputedStyle(element);
  let color = parse(style[property]);
  let opacity = property === 'fill' ? Number(style.fillOpacity)
    : property === 'stroke' ? Number(style.strokeOpacity) : 1;
  let background = null;
  for (let node = element; node && !background; node = node.parentElement) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg && bg[3] > 0.9) background = bg;
  }
  background ??= parse(getComputedStyle(document.documentElement).backgroundColor)
    ?? [255, 255, 255, 1];
  const alpha = color[3] * opacity;
  color = color.slice(0, 3).map((v, i) => v * alpha + background[i] * (1 - alpha));
  const [hi, lo] = [luminance(color), luminance(background)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""

TEXT_CONTRAST = {  # WCAG AA: 4.5 for text
    "main p": "color",
    "main .katex": "color",
    "main h2": "color",
    ".site-header nav a": "color",
    '.cell[data-cell-id="main"] .cm-content .cm-line': "color",
    '.cell[data-cell-id="main"] .cm-lineNumbers .cm-gutterElement': "color",
    '.cell[data-cell-id="main"] .cell-output span[data-stream="stdout"]': "color",
    '.cell[data-cell-id="main"] .cell-status': "color",
    ".descent-readout": "color",
    ".descent-message": "color",
    ".descent-rate-value": "color",
    ".descent-chart text": "fill",
    ".descent-chart .descent-axis-title": "fill",
    ".descent-legend": "color",
}
GRAPHIC_CONTRAST = {  # WCAG: 3 for lines and shapes that carry meaning
    ".descent-current-line": "stroke",
    ".descent-fit-line": "stroke",
    ".descent-loss-path": "stroke",
    ".descent-points circle": "fill",
}


def screenshot(page, name: str) -> None:
    """Saved only when LAB_SCREENSHOTS names a folder (for looking at, not for asserting)."""
    folder = os.environ.get("LAB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def run_every_cell(page, markdown_page: str) -> dict[str, dict]:
    """Run each cell of the page in order, reading its output right after."""
    results = {}
    for cell_id in pages_with_cells()[markdown_page]:
        status = run_and_wait(page, cell_id)
        results[cell_id] = {"status": status, **page.evaluate(READ_OUTPUT, cell_id)}
    return results


def inverse_loses_digits_lstsq_keeps_them(printed: str) -> None:
    """The "inverse" snippet shows rounding error on purpose, and every BLAS rounds its own
    way: check what the lesson says (inv() and solve() keep only a few correct digits of
    the intercept, lstsq twice as many or more), not the digits themselves."""
    digits = dict(re.findall(r"^(\S+)\s+w0 = \S+\s+correct digits:\s+(\S+)$", printed, re.M))
    inv, solve, lstsq = (float(digits[name]) for name in ["inv()", "solve()", "lstsq"])
    assert inv < 6 and solve < 6 and lstsq > 8 and lstsq >= 2 * max(inv, solve), printed


# Snippets whose digits are rounding noise by design: the words must match, and the check
# says what must hold whatever the platform's rounding.
ROUNDING_ON_PURPOSE = {"inverse": inverse_loses_digits_lstsq_keeps_them}


def assert_same_as_cpython(cell_id: str, got: dict) -> None:
    """Pyodide's run of a snippet says what CPython's says (numbers up to the last digit)."""
    expected = shipped_run(cell_id)
    assert got["status"].startswith("Done in"), f"{cell_id}: {got['status']}\n{got['streams']}"
    if cell_id in ROUNDING_ON_PURPOSE:
        assert numbers_and_words(got["streams"])[1] == numbers_and_words(expected.output)[1]
        ROUNDING_ON_PURPOSE[cell_id](got["streams"])
    else:
        difference = same_printout(got["streams"], expected.output)
        assert difference is None, f"{cell_id}: {difference}\n--- page:\n{got['streams']}"
    assert [f["alt"] for f in got["figures"]] == [f.alt for f in expected.figures], cell_id
    for shown, drawn in zip(got["figures"], expected.figures, strict=True):
        assert abs(shown["width"] - drawn.width) <= 0.1 * drawn.width, cell_id
        assert abs(shown["height"] - drawn.height) <= 0.1 * drawn.height, cell_id
    assert got["displays"] == [mime for mime, _ in expected.displays], cell_id
    assert got["notices"] == [], f"{cell_id}: {got['notices']}"


def contrast(page, selector: str, prop: str) -> float:
    found = page.locator(selector)
    assert found.count(), f"nothing matches {selector}"
    return found.first.evaluate(CONTRAST, prop)


def assert_readable(page, scheme: str) -> None:
    low = {}
    for selector, prop in TEXT_CONTRAST.items():
        if (ratio := contrast(page, selector, prop)) < 4.5:
            low[selector] = round(ratio, 2)
    for selector, prop in GRAPHIC_CONTRAST.items():
        if (ratio := contrast(page, selector, prop)) < 3:
            low[selector] = round(ratio, 2)
    tokens = page.locator('.cell[data-cell-id="main"] .cm-content span[class]')
    for i in range(min(tokens.count(), 60)):  # every highlighted token colour of the editor
        if (ratio := tokens.nth(i).evaluate(CONTRAST, "color")) < 4.5:
            low[f"token {tokens.nth(i).inner_text()!r}"] = round(ratio, 2)
    assert not low, f"{scheme}: too little contrast: {low}"


def descent(page, cell_id: str):
    return cell(page, cell_id).locator("figure.descent")


def wait_state(page, cell_id: str, state: str, timeout: int = 20_000) -> None:
    # a locator assertion, not wait_for_function: it works under the page's CSP (no eval)
    expect(descent(page, cell_id)).to_have_attribute("data-state", state, timeout=timeout)


def line_ends(figure, which: str) -> list[float]:
    line = figure.locator(f".descent-scatter .{which}")
    return [float(line.get_attribute(a)) for a in ("x1", "y1", "x2", "y2")]


# The phone's context keeps the site's Content-Security-Policy (the session's context
# bypasses it for wait_for_function): these waits use locator assertions, which need no eval.
def wait_ready_under_csp(page) -> None:
    status = page.locator("#python-status")
    expect(status).to_have_attribute("data-phase", re.compile("ready|error"), timeout=120_000)
    assert status.get_attribute("data-phase") == "ready", status.inner_text()


def run_under_csp(page, cell_id: str = "main") -> str:
    root = cell(page, cell_id)
    root.locator("button.run").tap()
    status = root.locator(".cell-status")
    expect(status).to_have_text(re.compile(r"^(Done|Error|Stopped|Python crashed)"),
                                timeout=RUN_TIMEOUT_MS)  # fmt: skip
    return status.inner_text()


def no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= inner, f"{page.url}: the page is {width} px wide in a {inner} px window"


# --------------------------------------------------------------------------- the lesson page


@pytest.fixture(scope="module")
def lesson_page(context, server):
    """The lesson, loaded once, every cell run once in order; (page, results by cell)."""
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server)
    wait_ready(page)
    results = run_every_cell(page, "index.md")
    yield page, results
    page.evaluate("() => { try { localStorage.clear() } catch {} }")
    page.close()
    assert not problems, f"uncaught errors on the lesson page: {problems}"


def test_the_math_is_typeset_by_katex_at_build_time(lesson_page) -> None:
    page, _ = lesson_page
    assert page.locator("main .katex").count() > 60
    assert page.locator("main .katex-display").count() > 8
    assert page.locator("main .katex-error").count() == 0
    text = page.evaluate(VISIBLE_LESSON_TEXT)
    assert "Linear regression from scratch" in text
    assert not RAW_TEX.search(text), RAW_TEX.search(text)
    # KaTeX's own fonts are bundled and used (no CDN): the formula's glyphs are KaTeX's
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.katex .mord.mathnormal')).fontFamily"
    ).startswith("KaTeX_Math")


@pytest.mark.parametrize("cell_id", pages_with_cells()["index.md"])
def test_each_lesson_cell_runs_and_prints_what_cpython_prints(lesson_page, cell_id) -> None:
    _, results = lesson_page
    assert_same_as_cpython(cell_id, results[cell_id])


def test_the_main_snippet_shows_the_four_methods_near_2_5_and_4(lesson_page) -> None:
    _, results = lesson_page
    streams = results["main"]["streams"]
    rows = re.findall(r"^(np\.polyfit|textbook formula|normal equation|gradient descent)\s+"
                      r"(\S+)\s+(\S+)\s+(\S+)$", streams, re.MULTILINE)  # fmt: skip
    assert [r[0] for r in rows] == [
        "np.polyfit",
        "textbook formula",
        "normal equation",
        "gradient descent",
    ]
    assert {r[1:] for r in rows} == {("2.4739", "3.9851", "0.9373")}
    assert "fit: y = 2.47x + 3.99" in results["main"]["figures"][0]["alt"]


def test_the_animation_plays_pauses_steps_and_ends_on_the_fit(lesson_page) -> None:
    page, _ = lesson_page
    figure = descent(page, "descent-animation")
    payload = json.loads(shipped_run("descent-animation").displays[0][1])
    fit = payload["fit"]
    run_and_wait(page, "descent-animation")  # play it again from the start, watched
    figure = descent(page, "descent-animation")
    assert figure.get_attribute("data-state") == "playing"
    assert figure.get_attribute("data-run") == "1"  # 0.01 is selected
    expect(figure).not_to_have_attribute("data-frame", re.compile(r"^[0-5]$"), timeout=10_000)
    # pause: the frame stays put
    figure.locator("button.descent-play").click()
    assert figure.get_attribute("data-state") == "paused"
    frame = int(figure.get_attribute("data-frame"))
    page.wait_for_timeout(300)
    assert int(figure.get_attribute("data-frame")) == frame
    # step: exactly one recorded step on
    figure.locator("button.descent-step").click()
    assert int(figure.get_attribute("data-frame")) == frame + 1
    # restart: the first guess, the flat line y = 0
    figure.locator("button.descent-restart").click()
    assert figure.get_attribute("data-frame") == "0" and float(figure.get_attribute("data-w1")) == 0
    assert "epoch 0 of 912" in figure.locator(".descent-readout").inner_text()
    # play to the end: the last frame's line is the least-squares line
    figure.locator("button.descent-play").click()
    wait_state(page, "descent-animation", "ended")
    assert float(figure.get_attribute("data-w1")) == pytest.approx(fit["w1"], abs=1e-6)
    assert float(figure.get_attribute("data-w0")) == pytest.approx(fit["w0"], abs=1e-6)
    current, target = (
        line_ends(figure, "descent-current-line"),
        line_ends(figure, "descent-fit-line"),
    )
    assert current == pytest.approx(target, abs=0.05)  # drawn on top of each other
    message = figure.locator(".descent-message").inner_text()
    assert message.startswith("Converged: at epoch 912 gradient descent's line is the least")
    assert "y = 2.474x + 3.985" in message
    label = figure.locator("svg.descent-scatter").get_attribute("aria-label")
    assert "100 points" in label and "epoch 912, y = 2.474x + 3.985" in label
    assert "Loss curve" in figure.locator("svg.descent-loss").get_attribute("aria-label")
    assert figure.locator(".descent-points circle").count() == 100


def test_the_learning_rate_slider_shows_crawling_and_divergence(lesson_page) -> None:
    page, _ = lesson_page
    figure = descent(page, "descent-animation")
    slider = figure.locator("input.descent-slider")
    slider.focus()
    page.keyboard.press("End")  # the largest learning rate, 1.05
    assert figure.get_attribute("data-run") == "4"
    assert slider.get_attribute("aria-valuetext") == "1.05, diverges"
    wait_state(page, "descent-animation", "ended")
    message = figure.locator(".descent-message").inner_text()
    assert message.startswith("Diverged: in 5 epochs the loss grew from 368 to 948.4")
    assert "learning rate 1.05" in message and "too large" in message
    assert figure.get_attribute("data-step") == "5"  # the animation stopped there
    screenshot(page, "lesson-animation-diverged")
    page.keyboard.press("Home")  # the smallest, 0.001
    assert slider.get_attribute("aria-valuetext") == "0.001, crawls, not there yet"
    wait_state(page, "descent-animation", "ended")
    assert (
        figure.locator(".descent-message")
        .inner_text()
        .startswith("Still descending after 1000 epochs")
    )
    assert figure.locator(".descent-rate-value").inner_text() == "0.001 — crawls, not there yet"


def test_the_check_cell_agrees_and_then_catches_broken_code(lesson_page) -> None:
    page, results = lesson_page
    assert re.search(r"^Agree: every difference is within the tolerance 1e-06",
                     results["check"]["streams"], re.MULTILINE)  # fmt: skip
    broken = snippet("check").code.replace(
        "np.sum((y - y.mean()) ** 2)",
        "np.sum(y ** 2)",  # a wrong R²
    )
    set_code(page, broken, "check")
    assert run_and_wait(page, "check").startswith("Done in")
    text = output_text(page, "check")
    assert re.search(r"^Disagree: R² differs by 0\.0\d+: more than the tolerance 1e-06\.$",
                     text, re.MULTILINE), text  # fmt: skip
    assert "Agree" not in text
    cell(page, "check").locator("button.reset").click()
    assert run_and_wait(page, "check").startswith("Done in")
    assert "Agree:" in output_text(page, "check")


def test_the_light_scheme_is_readable(lesson_page) -> None:
    page, _ = lesson_page
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is False
    cell(page, "descent-animation").scroll_into_view_if_needed()
    screenshot(page, "lesson-light-animation")
    assert_readable(page, "light")


# --------------------------------------------------------------------------- the example pages


@pytest.mark.parametrize("name", EXAMPLE_PAGES)
def test_every_cell_of_an_example_page_runs_like_on_cpython(page, server, name) -> None:
    page.goto(f"{server}{name}.html")
    wait_ready(page)
    assert page.locator("main .katex").count() > 5
    assert not RAW_TEX.search(page.evaluate(VISIBLE_LESSON_TEXT))
    results = run_every_cell(page, f"{name}.md")
    for cell_id, got in results.items():
        assert_same_as_cpython(cell_id, got)
    if name == "learning-rate":  # the learner's own loop, animated
        wait_state(page, "lr-animation", "ended", timeout=RUN_TIMEOUT_MS)
        figure = descent(page, "lr-animation")
        fit = json.loads(shipped_run("lr-animation").displays[0][1])["fit"]
        assert float(figure.get_attribute("data-w1")) == pytest.approx(fit["w1"], abs=1e-6)
        assert line_ends(figure, "descent-current-line") == pytest.approx(
            line_ends(figure, "descent-fit-line"), abs=0.05
        )


# --------------------------------------------------------------------------- phone, dark, calm


@pytest.fixture
def phone(browser):
    """A phone-sized window, dark colour scheme, reduced motion."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        color_scheme="dark",
        reduced_motion="reduce",
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text
            and problems.append(message.text))  # fmt: skip
    yield page
    context.close()
    assert not problems, f"uncaught errors or policy violations on the page: {problems}"


def test_at_phone_width_in_the_dark_nothing_scrolls_sideways_and_the_editor_works(
    phone, server
) -> None:
    page = phone
    for name in ["examples", *EXAMPLE_PAGES]:  # static layout first: no need to wait for Python
        page.goto(f"{server}{name}.html")
        no_sideways_scroll(page)
    page.goto(server)
    no_sideways_scroll(page)
    wait_ready_under_csp(page)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is True
    # the editor works with a touch keyboard's text input
    set_code(page, "print(6 * 7)")
    assert run_under_csp(page).startswith("Done")
    assert output_text(page).strip() == "42"
    cell(page).locator("button.reset").tap()
    assert run_under_csp(page).startswith("Done")
    # reduced motion: the animation shows its end at once and does not play by itself
    assert run_under_csp(page, "descent-animation").startswith("Done in")
    figure = descent(page, "descent-animation")
    assert figure.get_attribute("data-state") == "ended"
    assert figure.locator(".descent-message").inner_text().startswith("Converged")
    page.wait_for_timeout(400)
    assert figure.get_attribute("data-frame") == str(
        len(json.loads(shipped_run("descent-animation").displays[0][1])["runs"][1]["steps"]) - 1
    )
    # the two charts are stacked, each as wide as the cell
    scatter = figure.locator("svg.descent-scatter").bounding_box()
    loss = figure.locator("svg.descent-loss").bounding_box()
    assert loss["y"] >= scatter["y"] + scatter["height"] - 1
    assert scatter["width"] > 300
    no_sideways_scroll(page)
    figure.scroll_into_view_if_needed()
    screenshot(page, "lesson-phone-dark-animation")
    assert_readable(page, "dark")
