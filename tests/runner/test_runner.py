"""The Python half of the in-browser runner, on CPython: output, figures, tracebacks."""

from __future__ import annotations

import json
import os
import py_compile
import time

import pytest

os.environ.setdefault("MPLBACKEND", "module://lab_runner.mpl_backend")

from lab_runner import forget_cell, run_cell
from lab_runner.figures import repair_font_cache
from lab_runner.runner import interruptible_sleep


class Recorder:
    """An ``emit`` that keeps every event, as the worker would post them."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def __call__(self, event: dict) -> None:
        self.events.append(event)

    def text(self, name: str | None = None) -> str:
        return "".join(
            e["text"] for e in self.events if e["type"] == "stream" and name in (None, e["name"])
        )

    def of_type(self, type_: str) -> list[dict]:
        return [e for e in self.events if e["type"] == type_]

    def kinds(self) -> list[str]:
        """Each event's type, or for text the stream's name (one for text sent in parts)."""
        kinds: list[str] = []
        for e in self.events:
            kind = e["name"] if e["type"] == "stream" else e["type"]
            if not (kinds and kind == kinds[-1] and e["type"] == "stream"):
                kinds.append(kind)
        return kinds


def run(source: str, cell: str = "test") -> tuple[dict, Recorder]:
    forget_cell(cell)
    recorder = Recorder()
    return run_cell(source, cell, recorder), recorder


def test_print_output_is_captured_in_order_across_streams() -> None:
    result, out = run("import sys\nprint('one')\nprint('two', file=sys.stderr)\nprint('three')\n")
    assert result["status"] == "ok"
    assert out.kinds() == ["stdout", "stderr", "stdout"]
    assert out.text() == "one\ntwo\nthree\n"
    assert out.text("stderr") == "two\n"


def test_many_prints_are_sent_in_batches_not_one_message_each() -> None:
    result, out = run("for i in range(20000):\n    print(i)\n")
    assert result["status"] == "ok"
    assert out.text() == "".join(f"{i}\n" for i in range(20000))
    assert 10 <= len(out.events) < 200  # ~4 KB batches, not 20,000 messages


def test_a_slow_trickle_is_sent_promptly_not_held_until_the_end() -> None:
    result, out = run("import time\nfor i in range(3):\n    print(i)\n    time.sleep(0.08)\n")
    assert result["status"] == "ok"
    assert len([e for e in out.events if e["type"] == "stream"]) >= 2


def test_error_traceback_shows_only_the_learners_frames_with_their_line_numbers() -> None:
    source = "x = 1\n\ndef divide(a):\n    return a / 0\n\ndivide(x)\n"
    result, out = run(source, cell="main")
    assert result["status"] == "error"
    assert result["error_type"] == "ZeroDivisionError"
    text = result["traceback"]
    assert text.startswith("Traceback (most recent call last):\n")
    assert 'File "main.py", line 6, in <module>' in text
    assert 'File "main.py", line 4, in divide' in text
    assert "return a / 0" in text
    assert "lab_runner" not in text and "runner.py" not in text
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")
    assert out.text("stderr") == text


def test_library_frames_below_the_learners_code_are_kept() -> None:
    result, _ = run("import json\njson.loads('{nope')\n")
    assert 'File "test.py", line 2' in result["traceback"]
    assert "json" in result["traceback"].split('File "test.py"')[1]
    assert "JSONDecodeError" in result["traceback"]


def test_syntax_error_names_the_line_and_nothing_else() -> None:
    result, _ = run("a = 1\nb = (2 +\nprint(a)\n", cell="main")
    assert result["status"] == "error"
    assert result["error_type"] == "SyntaxError"
    assert 'File "main.py", line 2' in result["traceback"]
    assert "Traceback" not in result["traceback"]


def test_output_before_an_error_is_kept_and_comes_first() -> None:
    _, out = run("print('before')\n1/0\n")
    assert out.kinds() == ["stdout", "stderr"]
    assert out.text("stdout") == "before\n"


def test_a_cell_keeps_its_variables_between_runs_and_reset_forgets_them() -> None:
    recorder = Recorder()
    forget_cell("keep")
    run_cell("total = 41", "keep", recorder)
    run_cell("print(total + 1)", "keep", recorder)
    assert recorder.text() == "42\n"
    forget_cell("keep")
    result = run_cell("print(total)", "keep", recorder)
    assert result["error_type"] == "NameError"


def test_cells_do_not_share_variables() -> None:
    recorder = Recorder()
    forget_cell("a")
    forget_cell("b")
    run_cell("secret = 1", "a", recorder)
    assert run_cell("secret", "b", recorder)["error_type"] == "NameError"


def test_keyboard_interrupt_is_reported_as_stopped() -> None:
    result, _ = run("raise KeyboardInterrupt\n")
    assert result == {"status": "stopped", "error_type": "KeyboardInterrupt", "traceback": None}


@pytest.mark.parametrize("where", ["Output", "InputStream"])
def test_a_stop_in_the_runners_first_lines_is_a_stop_and_puts_everything_back(
    monkeypatch, where
) -> None:
    """Python checks for Stop on any call, also in run_cell's own lines before the
    learner's code: such a Stop still ends the run as "stopped" (never an error), and
    stdin, sleep and the current output are put back."""
    import sys

    from lab_runner import runner, streams

    def stopped_here(*_args, **_kwargs):
        raise KeyboardInterrupt

    before = sys.stdin, sys.stdout, time.sleep
    monkeypatch.setattr(runner, where, stopped_here)
    result, _ = run("kept = 1\n")
    assert result == {"status": "stopped", "error_type": "KeyboardInterrupt", "traceback": None}
    assert (sys.stdin, sys.stdout, time.sleep) == before
    assert streams.current() is None


def test_sys_exit_ends_the_run_quietly() -> None:
    result, out = run("import sys\nprint('bye')\nsys.exit()\nprint('never')\n")
    assert result["status"] == "ok"
    assert out.text() == "bye\n"


def test_streams_are_restored_after_a_run() -> None:
    import sys

    before = sys.stdout, sys.stderr, time.sleep
    run("print('x')\n1/0\n")
    assert (sys.stdout, sys.stderr, time.sleep) == before


def test_show_sends_a_png_with_alt_text_in_order_with_text() -> None:
    source = (
        "import matplotlib.pyplot as plt\n"
        "print('before')\n"
        "plt.plot([0, 1, 2], [1, 3, 5], label='y = 2x + 1')\n"
        "plt.scatter([0, 1, 2], [1.2, 2.9, 5.1], label='data')\n"
        "plt.title('A line')\nplt.xlabel('x')\nplt.ylabel('y')\nplt.legend()\n"
        "plt.show()\n"
        "print('after')\n"
    )
    result, out = run(source)
    assert result["status"] == "ok"
    assert out.kinds() == ["stdout", "figure", "stdout"]
    (figure,) = out.of_type("figure")
    assert set(figure) == {"type", "png", "alt", "width", "height"}
    png, alt, width, height = figure["png"], figure["alt"], figure["width"], figure["height"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert width > 100 and height > 100
    assert "A line" in alt and "“x”" in alt and "“y”" in alt
    assert "line “y = 2x + 1”" in alt and "3 points “data”" in alt


def test_png_decodes_to_the_reported_size() -> None:
    import io

    from matplotlib.image import imread

    _, out = run("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\n")
    (figure,) = out.of_type("figure")
    pixels = imread(io.BytesIO(figure["png"]))
    assert pixels.shape[:2] == (figure["height"], figure["width"])
    assert pixels.std() > 0  # not a blank image


def test_figures_left_open_are_sent_at_the_end_in_creation_order() -> None:
    source = (
        "import matplotlib.pyplot as plt\n"
        "plt.figure(); plt.title('first')\n"
        "plt.figure(); plt.title('second')\n"
        "print('text first')\n"
    )
    _, out = run(source)
    assert out.kinds() == ["stdout", "figure", "figure"]
    first, second = out.of_type("figure")
    assert "first" in first["alt"] and "second" in second["alt"]


def test_figures_are_closed_after_a_run() -> None:
    import matplotlib.pyplot as plt

    run("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\nplt.plot([3])\n")
    assert plt.get_fignums() == []


def test_a_figure_drawn_before_an_error_is_still_shown() -> None:
    result, out = run("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n1/0\n")
    assert result["status"] == "error"
    assert out.kinds() == ["stderr", "figure"]


def test_interruptible_sleep_sleeps_the_whole_time_in_short_slices() -> None:
    start = time.monotonic()
    interruptible_sleep(0.2)
    assert 0.19 <= time.monotonic() - start < 0.5
    with pytest.raises(ValueError):
        interruptible_sleep(-1)


def test_a_keyboard_interrupt_during_sleep_arrives_within_a_slice() -> None:
    import signal

    # interrupt_main does nothing unless Python's own SIGINT handler is installed, which
    # something earlier in a long test session may have replaced.
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        start = time.monotonic()
        # The interrupt comes 0.2 s into the learner's sleep (timed from inside the run).
        result, _ = run(
            "import _thread, threading, time\n"
            "threading.Timer(0.2, _thread.interrupt_main).start()\n"
            "time.sleep(5)\n"
        )
    finally:
        signal.signal(signal.SIGINT, handler)
    assert result["status"] == "stopped"
    assert time.monotonic() - start < 1.0


def test_repair_font_cache_restamps_the_version_font_manager_declares(tmp_path) -> None:
    (tmp_path / "font_manager.py").write_text("class FontManager:\n    __version__ = 330\n")
    entries = {"_version": 390, "ttflist": [{"fname": "fonts/ttf/DejaVuSans.ttf"}]}
    (tmp_path / "fontlist.json").write_text(json.dumps(entries))
    assert repair_font_cache(tmp_path) is True
    repaired = json.loads((tmp_path / "fontlist.json").read_text())
    assert repaired == {**entries, "_version": 330}
    assert repair_font_cache(tmp_path) is False  # already right: untouched


def test_repair_font_cache_reads_the_version_from_bytecode_when_only_the_pyc_ships(
    tmp_path,
) -> None:
    source = tmp_path / "font_manager.py"
    source.write_text("import os\n\nclass FontManager:\n    x = 1\n    __version__ = 330\n")
    py_compile.compile(str(source), invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    source.unlink()  # as a build that ships __pycache__/*.pyc without sources
    (tmp_path / "fontlist.json").write_text(json.dumps({"_version": 390, "ttflist": []}))
    assert repair_font_cache(tmp_path) is True
    assert json.loads((tmp_path / "fontlist.json").read_text())["_version"] == 330


def test_repair_font_cache_leaves_a_missing_cache_alone(tmp_path) -> None:
    assert repair_font_cache(tmp_path) is False


def test_display_sends_rich_data_in_order_with_text() -> None:
    source = (
        "import json\nfrom lab_runner import display\nprint('table:')\n"
        "display('application/json', json.dumps({'columns': ['a'], 'rows': [[1]]}))\n"
    )
    _, out = run(source)
    assert out.kinds() == ["stdout", "display"]
    (shown,) = out.of_type("display")
    assert shown["mime"] == "application/json"
    assert json.loads(shown["data"]) == {"columns": ["a"], "rows": [[1]]}


def test_display_outside_a_run_does_nothing() -> None:
    from lab_runner import display

    display("text/plain", "nobody listens")  # no error, nothing to send it to


def test_alt_text_names_segments_contours_and_shaded_areas_for_what_they_are() -> None:
    source = (
        "import numpy as np\nimport matplotlib.pyplot as plt\n"
        "fig, (a, b) = plt.subplots(1, 2)\n"
        "a.vlines([1, 2, 3], 0, 1, label='residuals')\n"
        "a.fill_between([0, 1], [0, 1], alpha=0.2)\n"
        "g = np.linspace(-1, 1, 20)\n"
        "b.contour(g, g, np.add.outer(g**2, g**2), levels=[0.5, 1, 1.5])\n"
        "b.set_title('loss surface')\n"
    )
    _, out = run(source)
    alt = out.of_type("figure")[0]["alt"]
    assert "3 line segments “residuals”" in alt
    assert "a shaded area" in alt
    assert "contour lines at 3 levels" in alt
    assert "points" not in alt


def test_warm_up_imports_pyplot_and_leaves_no_figure_open_with_or_without_drawing(
    monkeypatch,
) -> None:
    import matplotlib.pyplot as plt
    from lab_runner import figures, runner

    drawn = []
    monkeypatch.setattr(figures, "figure_png", lambda figure: drawn.append(figure) or (b"", 0, 0))
    runner.warm_up(draw=False)  # a Run is waiting: imports only
    assert drawn == [] and plt.get_fignums() == []
    assert runner.warm_up() >= 0  # nothing waiting: one small figure drawn, then closed
    assert len(drawn) == 1 and drawn[0].axes[0].get_title() == "warm-up"
    assert plt.get_fignums() == []


def test_figures_are_cropped_like_a_tight_savefig_and_fall_back_when_something_sticks_out() -> None:
    import io

    import matplotlib.pyplot as plt
    from lab_runner.figures import crop_box, figure_png
    from matplotlib import image as mpimg

    def tight_size(figure) -> tuple[int, int]:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        height, width = mpimg.imread(io.BytesIO(buffer.getvalue())).shape[:2]
        return width, height

    figure, axes = plt.subplots()
    axes.plot([0, 1, 2], [1, 3, 5], label="y = 2x + 1")
    axes.set_title("A line")
    axes.legend()
    png, width, height = figure_png(figure)  # one drawing, cropped
    assert crop_box(figure) is not None
    assert abs(width - tight_size(figure)[0]) <= 1 and abs(height - tight_size(figure)[1]) <= 1
    assert width < 640 and height < 480  # the empty margins are gone
    assert mpimg.imread(io.BytesIO(png)).shape[:2] == (height, width)

    axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1))  # outside the canvas
    figure.canvas.draw()
    assert crop_box(figure) is None
    _, width, _ = figure_png(figure)  # savefig(bbox_inches="tight") widens the image
    assert width == tight_size(figure)[0] and width > 640 - 100
    plt.close(figure)
