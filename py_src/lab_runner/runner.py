"""Run one cell of learner code: compile, execute, capture, and report.

The worker calls :func:`run_cell` once per press of Run.  Each cell keeps its own
namespace between runs (so a stopped run keeps the learner's variables), and each cell's
source is registered in :mod:`linecache` under the cell's file name, so tracebacks show
the learner's lines even when a function from an earlier run fails later.
"""

from __future__ import annotations

import contextlib
import linecache
import sys
import time
from collections.abc import Callable

from lab_runner import streams
from lab_runner.streams import Emit, InputStream, Output
from lab_runner.tracebacks import format_user_exception, learner_error_name

_namespaces: dict[str, dict] = {}
_user_files: set[str] = set()
_original_sleep = time.sleep


def cell_filename(cell_id: str) -> str:
    """The file name a cell's code runs under, as tracebacks show it."""
    return f"{cell_id}.py"


def _is_user_file(filename: str) -> bool:
    return filename in _user_files


def _register_source(filename: str, source: str) -> None:
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    _user_files.add(filename)


def namespace(cell_id: str) -> dict:
    """The cell's globals, created on first use, kept until :func:`forget_cell`."""
    if cell_id not in _namespaces:
        _namespaces[cell_id] = {"__name__": "__main__", "__builtins__": __builtins__}
    return _namespaces[cell_id]


def forget_cell(cell_id: str) -> None:
    """Drop a cell's variables (Reset)."""
    _namespaces.pop(cell_id, None)


STOPPED = {"status": "stopped", "error_type": "KeyboardInterrupt", "traceback": None}
SLEEP_SLICE = 0.05  # seconds: the longest Stop may wait during time.sleep
# Pyodide reads its interrupt buffer once every 50 ticks of the interpreter's eval
# breaker (src/core/keyboard_interrupt.c, callback_clock = 50); a few dozen loop jumps
# between slices make sure it looks after every slice, not after every 10th or so.
_TICKS_BETWEEN_SLICES = 64


def interruptible_sleep(seconds: float) -> None:
    """``time.sleep`` in short slices, so Stop works during a long sleep.

    Pyodide 0.27 does not check its interrupt buffer during a plain sleep; between slices
    Python does, and raises KeyboardInterrupt: Stop takes effect within about
    ``SLEEP_SLICE`` seconds (measured ~0.05 s in Chromium, against ~0.5-0.7 s without
    the extra ticks).  What was printed before is sent first: the learner sees it while
    the code sleeps.
    """
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    streams.flush_current()
    end = time.monotonic() + seconds
    while (remaining := end - time.monotonic()) > 0:
        _original_sleep(min(remaining, SLEEP_SLICE))
        for _ in range(_TICKS_BETWEEN_SLICES):
            pass


def _send_figures_if_any() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and pyplot.get_fignums():
        from lab_runner.figures import send_open_figures

        send_open_figures()


def run_cell(
    source: str,
    cell_id: str,
    emit: Emit,
    *,
    send_figures: bool = True,
    input_available: bool = True,
    check: dict | None = None,
) -> dict:
    """Run ``source`` as cell ``cell_id``; everything it prints or plots goes to ``emit``.

    Returns ``{"status": "ok" | "error" | "stopped", "error_type", "traceback"}``; an
    error's trimmed traceback is also sent as stderr text, in order with the output.
    ``error_type`` is the name the learner reads (``MemoryError`` for NumPy's
    ``_ArrayMemoryError``).  ``input()`` asks through ``emit({"type": "input", "prompt": ...})``,
    which returns the answer, or None when the learner stopped the run; with
    ``input_available=False`` (a page that cannot wait for an answer) it raises an error
    that explains why.
    """
    filename = cell_filename(cell_id)
    result: dict = {"status": "ok", "error_type": None, "traceback": None}
    raised: BaseException | None = None
    output: Output | None = None
    stdin = sys.stdin
    try:
        # Inside the try: a Stop that lands in these first lines (Python checks for it on
        # any call) still ends the run as "stopped", with stdin and sleep put back.
        _register_source(filename, source)
        output = Output(emit)
        streams.set_current(output)
        time.sleep = interruptible_sleep
        sys.stdin = InputStream(output, input_available)
        with (
            contextlib.redirect_stdout(output.stdout),
            contextlib.redirect_stderr(output.stderr),
            streams.flush_on_signal(),
        ):
            try:
                code = compile(source, filename, "exec")
                exec(code, namespace(cell_id))
                if send_figures:
                    _send_figures_if_any()
            except KeyboardInterrupt:
                result = dict(STOPPED)
            except SystemExit as exit_:
                if exit_.code not in (None, 0):
                    print(f"(the program exited with code {exit_.code!r})", file=sys.stderr)
            except BaseException as error:
                raised = error
                text = format_user_exception(error, _is_user_file)
                name = learner_error_name(error)
                result = {"status": "error", "error_type": name, "traceback": text}
                output.write("stderr", text)
            if result["status"] != "ok" and send_figures:
                with contextlib.suppress(Exception):
                    _send_figures_if_any()
            if check is not None:
                result = _check_and_emit(check, source, cell_id, output, result, raised)
    except KeyboardInterrupt:
        result = dict(STOPPED)
    finally:
        if output is not None:
            output.flush()
        time.sleep = _original_sleep
        sys.stdin = stdin
        streams.set_current(None)
    return result


def _check_and_emit(
    check: dict,
    source: str,
    cell_id: str,
    output: Output,
    result: dict,
    raised: BaseException | None,
) -> dict:
    """Run the exercise's check after the learner's code and send its verdict (after the
    learner's output); Stop during the check makes the run "stopped"."""
    from lab_runner.checking import not_yet_stopped, run_check

    try:
        verdict = run_check(check, namespace(cell_id), source, cell_filename(cell_id),
                            status=result["status"], error=raised)  # fmt: skip
    except KeyboardInterrupt:
        verdict = not_yet_stopped(str(check.get("exercise", "")))
        result = dict(STOPPED)
    output.flush()
    output.emit(verdict)
    return result


def warm_up(
    *, draw: bool = True, install_matplotlib_data: Callable[[], None] | None = None
) -> float:
    """Import NumPy and pyplot and draw one small figure, so the learner's first run is fast.

    Repairs matplotlib's font cache first (see :func:`lab_runner.figures.repair_font_cache`).
    Given ``install_matplotlib_data`` (the page ships matplotlib's rarely used fonts and
    sample data apart), matplotlib calls it the first time it needs one of those files
    (see :mod:`lab_runner.matplotlib_data`).  With ``draw=False`` only the imports happen
    (a run is already waiting: drawing first would only delay it).  Returns the seconds
    it took.
    """
    from lab_runner.figures import repair_font_cache

    start = time.perf_counter()
    repair_font_cache()
    if install_matplotlib_data is not None:
        from lab_runner.matplotlib_data import install_on_first_use

        install_on_first_use(install_matplotlib_data)
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401

    if draw:
        draw_warm_up_figure()
    return time.perf_counter() - start


def draw_warm_up_figure() -> None:
    """Draw and encode one small figure (line, title, legend), then close it: the first
    drawing loads fonts and fills matplotlib's caches, so the learner's first one need not."""
    import matplotlib.pyplot as plt
    import numpy as np

    from lab_runner.figures import figure_png

    figure, axes = plt.subplots()
    axes.plot(np.arange(3), np.arange(3), label="warm-up")
    axes.set_title("warm-up")
    axes.legend()
    figure_png(figure)
    plt.close(figure)
