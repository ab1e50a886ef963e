"""The lesson page in Chromium: Python loads, code runs, output and plots appear."""

from __future__ import annotations

import re

from conftest import cell, editor_code, output_text, run_and_wait, set_code, wait_ready


def test_page_becomes_ready_with_python_in_a_worker(lesson) -> None:
    assert re.match(r"Python ready \(\d+\.\d s\)", lesson.inner_text("#python-status"))
    # The page itself never loaded Pyodide: it lives in the worker.
    assert lesson.evaluate("typeof globalThis.loadPyodide") == "undefined"
    assert lesson.evaluate("crossOriginIsolated") is True


def test_the_editor_is_codemirror_with_line_numbers_and_python_highlighting(lesson) -> None:
    main = cell(lesson)
    assert main.locator(".cm-editor").count() == 1
    assert main.locator(".cm-lineNumbers .cm-gutterElement").count() > 10
    assert main.locator(".cm-content span[class^='ͼ']").count() > 5  # highlighted tokens
    assert main.locator(".cm-content").get_attribute("contenteditable") == "true"


def test_typed_code_runs_with_ctrl_enter_and_shows_its_output(lesson) -> None:
    set_code(lesson, "a = 6\nb = 7\nprint('answer:', a * b)")
    status = run_and_wait(lesson, keyboard=True)
    assert status.startswith("Done in")
    assert output_text(lesson).strip() == "answer: 42"


def test_the_main_snippet_fits_near_slope_2_5_and_intercept_4_and_plots(lesson) -> None:
    status = run_and_wait(lesson)
    assert status.startswith("Done in"), output_text(lesson)
    text = output_text(lesson)
    rows = {}
    for line in text.splitlines():
        found = re.match(r"(np\.polyfit|textbook formula|normal equation|gradient descent)\s+"
                         r"(-?\d+\.\d+)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)", line)  # fmt: skip
        if found:
            rows[found.group(1)] = [float(v) for v in found.groups()[1:]]
    assert set(rows) == {"np.polyfit", "textbook formula", "normal equation", "gradient descent"}
    for slope, intercept, r2 in rows.values():
        assert abs(slope - 2.5) < 0.3
        assert abs(intercept - 4.0) < 0.6
        assert 0.8 < r2 <= 1
    slopes = {round(v[0], 4) for v in rows.values()}
    assert len(slopes) == 1  # all methods agree to the printed digits
    image = cell(lesson).locator(".cell-output img")
    assert image.count() == 1
    width = image.evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert width > 200
    assert "Least-squares line" in image.get_attribute("alt")


def test_stdout_and_stderr_stream_in_order_and_stderr_looks_different(lesson) -> None:
    set_code(lesson, "import sys\nprint('out 1')\nprint('err 1', file=sys.stderr)\nprint('out 2')")
    run_and_wait(lesson)
    spans = cell(lesson).locator(".cell-output span[data-stream]")
    assert spans.evaluate_all("s => s.map(e => [e.dataset.stream, e.textContent])") == [
        ["stdout", "out 1\n"],
        ["stderr", "err 1\n"],
        ["stdout", "out 2\n"],
    ]
    colours = spans.evaluate_all("s => s.map(e => getComputedStyle(e).color)")
    assert colours[0] != colours[1]


def test_output_streams_while_the_code_is_still_running(lesson) -> None:
    set_code(lesson, "import time\nprint('first', flush=True)\ntime.sleep(3)\nprint('last')")
    cell(lesson).locator("button.run").click()
    lesson.wait_for_function(
        "document.querySelector('.cell-output').textContent.includes('first')", timeout=60_000
    )
    assert "last" not in output_text(lesson)
    assert cell(lesson).evaluate("c => c.classList.contains('is-running')")
    run_and_wait_done(lesson)
    assert output_text(lesson).split() == ["first", "last"]


def run_and_wait_done(page) -> None:
    page.wait_for_function("!document.querySelector('.cell').classList.contains('is-running')",
                           timeout=60_000)  # fmt: skip


def test_an_error_shows_a_traceback_trimmed_to_the_learners_line(lesson) -> None:
    set_code(lesson, "import numpy as np\n\nw = np.zeros(2)\nprint(w[5])")
    status = run_and_wait(lesson)
    assert status == "Error: IndexError"
    text = output_text(lesson)
    assert 'File "main.py", line 4, in <module>' in text
    assert "print(w[5])" in text
    assert "IndexError: index 5 is out of bounds" in text
    for internal in ("_pyodide", "/lib/python", "lab_runner", "eval_code"):
        assert internal not in text
    stderr = cell(lesson).locator(".cell-output .out-stderr")
    assert "IndexError" in stderr.inner_text()


def test_a_figure_left_open_without_show_still_appears_after_the_text(lesson) -> None:
    set_code(lesson, "import matplotlib.pyplot as plt\nplt.plot([1, 4, 9])\nprint('drawn')")
    run_and_wait(lesson)
    children = (
        cell(lesson).locator(".cell-output > *").evaluate_all("nodes => nodes.map(n => n.tagName)")
    )
    assert children == ["SPAN", "FIGURE"]
    image = cell(lesson).locator(".cell-output img")
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 100


def test_reset_restores_the_snippet_as_shipped(lesson) -> None:
    shipped = editor_code(lesson)
    set_code(lesson, "print('my own experiment')")
    assert editor_code(lesson) == "print('my own experiment')"
    cell(lesson).locator("button.reset").click()
    assert editor_code(lesson) == shipped
    assert "np.polyfit" in shipped


def test_open_in_full_editor_carries_the_edited_code(lesson, server) -> None:
    code = "# edited in the lesson\nprint(sum(range(10)))"
    set_code(lesson, code)
    link = cell(lesson).locator("a.open-full")
    link.click()
    lesson.wait_for_url(re.compile(r"playground\.html#"))
    wait_ready(lesson)
    assert editor_code(lesson, "playground-main") == code
    assert lesson.locator(".cell-output").inner_text() == ""  # shown, not run
    status = run_and_wait(lesson, "playground-main")
    assert status.startswith("Done in")
    assert output_text(lesson, "playground-main").strip() == "45"


def test_linreg_imports_and_fits_in_the_page(lesson) -> None:
    set_code(
        lesson,
        "import numpy as np\nimport linreg\n"
        "x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])\ny = 3.0 * x - 1.0\n"
        "model = linreg.LinearRegression().fit(x, y)\n"
        "print(round(float(model.coef_[0]), 6), round(float(model.intercept_), 6))",
    )
    status = run_and_wait(lesson)
    assert status.startswith("Done in"), output_text(lesson)
    assert output_text(lesson).strip() == "3.0 -1.0"


def test_rich_display_output_is_drawn_as_text_not_html(lesson) -> None:
    set_code(
        lesson,
        "from lab_runner import animate_descent, display\n"
        "animate_descent([0, 1, 2], [1, 3, 5], [(0, 0), (1, 2)], learning_rate=0.1,\n"
        "                title='<b>bold?</b> & <i>fit</i>', x_label='<img src=x>')\n"
        "display('<b>text</b>/plain', '{}')\n"
        "display('application/vnd.lab.descent+json', '{not json')",
    )
    assert run_and_wait(lesson).startswith("Done in")
    shown = cell(lesson).locator(".cell-output .out-display")
    assert shown.count() == 3
    assert shown.nth(0).locator("figcaption").inner_text() == "<b>bold?</b> & <i>fit</i>"
    assert "<img src=x>" in shown.nth(0).text_content()  # the x axis's title
    assert shown.nth(1).inner_text() == "(the page cannot show <b>text</b>/plain output)"
    broken = shown.nth(2).inner_text()
    assert broken.startswith("(could not show application/vnd.lab.descent+json output: ")
    assert cell(lesson).locator(".cell-output b, .cell-output i, .cell-output img").count() == 0


def test_keyboard_focus_moves_from_run_to_stop_and_back(lesson) -> None:
    set_code(lesson, "import time\ntime.sleep(1.5)\nprint('slept')")
    cell(lesson).locator("button.run").focus()
    lesson.keyboard.press("Enter")
    stop = cell(lesson).locator("button.stop")
    stop.wait_for(state="visible")
    assert stop.evaluate("b => document.activeElement === b")
    run_and_wait_done(lesson)
    assert cell(lesson).locator("button.run").evaluate("b => document.activeElement === b")
    assert output_text(lesson).strip() == "slept"
