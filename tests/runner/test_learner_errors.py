"""The runner on CPython: input(), friendly solver errors, memory errors, interruptible sleep."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("MPLBACKEND", "module://lab_runner.mpl_backend")

from lab_runner import forget_cell, run_cell
from lab_runner.runner import SLEEP_SLICE, interruptible_sleep
from lab_runner.streams import INPUT_UNAVAILABLE


class Console:
    """An ``emit`` that records events and answers input() from a list, like the page."""

    def __init__(self, answers: list[str | None] | None = None) -> None:
        self.events: list[dict] = []
        self.answers = list(answers or [])

    def __call__(self, event: dict):
        self.events.append(event)
        if event["type"] == "input":
            return self.answers.pop(0)
        return None

    def text(self, name: str | None = None) -> str:
        return "".join(
            e["text"] for e in self.events if e["type"] == "stream" and name in (None, e["name"])
        )


def run(source: str, console: Console | None = None, **options) -> tuple[dict, Console]:
    console = console or Console()
    forget_cell("main")
    return run_cell(source, "main", console, **options), console


# ----------------------------------------------------------------------------- input()


def test_input_shows_its_prompt_first_then_waits_for_the_answer_and_goes_on() -> None:
    source = "name = input('Your name? ')\nprint('Hello,', name)\nprint(len(name))\n"
    result, console = run(source, Console(["Ada Lovelace"]))
    assert result["status"] == "ok"
    kinds = [e["type"] for e in console.events]
    assert kinds == ["stream", "input", "stream"]
    first, asked = console.events[:2]
    assert first == {"type": "stream", "name": "stdout", "text": "Your name? "}  # flushed first
    assert asked == {"type": "input", "prompt": "Your name? "}  # the prompt labels the text box
    assert console.text() == "Your name? Hello, Ada Lovelace\n12\n"


def test_the_prompt_is_only_the_unfinished_last_line() -> None:
    source = "print('Two numbers:')\na = int(input('a = '))\nb = int(input())\nprint(a + b)\n"
    result, console = run(source, Console(["2", "40"]))
    assert result["status"] == "ok"
    assert [e["prompt"] for e in console.events if e["type"] == "input"] == ["a = ", ""]
    assert console.text().endswith("42\n")


def test_sys_stdin_readline_reads_an_answer_with_its_newline() -> None:
    result, console = run(
        "import sys\nline = sys.stdin.readline()\nprint(repr(line))\n", Console(["x"])
    )
    assert result["status"] == "ok"
    assert console.text() == "'x\\n'\n"


def test_stop_while_waiting_for_input_is_reported_as_stopped() -> None:
    result, _ = run("x = 1\nname = input('? ')\nprint('never')\n", Console([None]))
    assert result["status"] == "stopped"
    console = Console()
    assert run_cell("print(x)", "main", console)["status"] == "ok"
    assert console.text() == "1\n"  # the variables from before input() are kept


def test_without_interactive_input_the_learner_gets_a_plain_explanation() -> None:
    result, console = run("name = input('Name? ')\n", input_available=False)
    assert result["status"] == "error"
    assert result["error_type"] == "InputUnavailableError"
    text = result["traceback"]
    assert 'File "main.py", line 1, in <module>' in text
    assert text.rstrip().endswith(f"InputUnavailableError: {INPUT_UNAVAILABLE}")
    assert "cross-origin isolated" in text and 'name = "Ada"' in text
    for noise in ("OSError", "I/O error", "lab_runner", "streams.py", "readline"):
        assert noise not in text
    assert console.text("stdout") == "Name? \n"  # the error starts on a line of its own


def test_stdin_is_restored_after_a_run() -> None:
    before = sys.stdin
    run("input()\n", Console(["a"]))
    assert sys.stdin is before


# ----------------------------------------------------------------------------- linreg


def test_a_linreg_error_shows_the_learners_line_and_the_message_not_linregs_insides() -> None:
    source = (
        "import numpy as np\nimport linreg\n"
        "x = np.array([1.0, 2.0, 3.0, 4.0])\n"
        "y = np.array([2.0, 4.1, np.nan, 8.2])\n"
        "model = linreg.LinearRegression()\n"
        "model.fit(x, y)\n"
    )
    result, console = run(source)
    assert result["status"] == "error"
    assert result["error_type"] == "ValueError"
    text = result["traceback"]
    assert text == (
        "Traceback (most recent call last):\n"
        '  File "main.py", line 6, in <module>\n'
        "    model.fit(x, y)\n"
        "ValueError: y contains NaN (a missing value) at row 2. "
        "Remove or fill such values before fitting.\n"
    )
    assert console.text("stderr") == text


def test_mismatched_lengths_from_a_solver_function_read_the_same_way() -> None:
    source = (
        "import numpy as np\nfrom linreg import design_matrix, lstsq_qr\n"
        "X = design_matrix(np.arange(5.0))\n"
        "w = lstsq_qr(X, np.arange(4.0))\n"
    )
    result, _ = run(source)
    text = result["traceback"]
    assert 'File "main.py", line 4, in <module>' in text
    assert "X has 5 rows (points) but y has 4 values" in text
    assert "linreg" not in text.replace("from linreg", "")
    assert "The above exception" not in text


def test_a_learner_function_between_calls_keeps_all_the_learners_frames() -> None:
    source = (
        "import linreg\n"
        "def fit(xs, ys):\n"
        "    return linreg.LinearRegression().fit(xs, ys)\n"
        "fit([1.0, 2.0, 3.0], [1.0, 2.0])\n"
    )
    text = run(source)[0]["traceback"]
    assert 'File "main.py", line 4, in <module>' in text
    assert 'File "main.py", line 3, in fit' in text
    assert text.count('File "') == 2


def test_divergence_is_named_without_its_module_path() -> None:
    source = (
        "import numpy as np\nimport linreg\nx = np.linspace(0, 10, 50)\ny = 3 * x + 1\n"
        "linreg.LinearRegression(solver='gd', learning_rate=5.0, standardize=False).fit(x, y)\n"
    )
    result, _ = run(source)
    assert result["error_type"] == "DivergenceError"
    last = result["traceback"].rstrip().splitlines()[-1]
    assert last.startswith("DivergenceError: ")
    assert "learning rate" in last.lower() or "learning_rate" in last


def test_a_numpy_error_keeps_the_frames_where_it_happened() -> None:
    result, _ = run("import numpy as np\nnp.linalg.inv(np.zeros((2, 2)))\n")
    assert result["error_type"] == "LinAlgError"
    assert "numpy" in result["traceback"].split('File "main.py"')[1]


# ----------------------------------------------------------------------------- memory


def test_numpys_memory_error_is_called_memoryerror_with_the_reason() -> None:
    result, _ = run("import numpy as np\na = np.ones(10**15)\n")
    assert result["error_type"] == "MemoryError"  # not _ArrayMemoryError
    text = result["traceback"]
    assert 'File "main.py", line 2, in <module>' in text
    assert "MemoryError: Unable to allocate" in text
    assert "at most 4 GB" in text
    assert "numeric.py" not in text and "_ArrayMemoryError" not in text


def test_an_array_too_big_to_address_is_a_memoryerror_as_on_a_desktop() -> None:
    # On wasm32, np.ones(10**11) fails this way; on 64-bit CPython 2**63 elements does.
    for size in ("2**63", "2**62"):
        result, _ = run(f"import numpy as np\na = np.ones({size})\n")
        assert result["error_type"] == "MemoryError", size
        assert (
            "MemoryError: this array is too big for Python in the browser" in (result["traceback"])
        )


def test_other_value_errors_are_left_alone() -> None:
    result, _ = run("int('seven')\n")
    assert result["error_type"] == "ValueError"
    assert "invalid literal" in result["traceback"]


# ----------------------------------------------------------------------------- sleep


def test_sleep_slices_are_short_so_stop_is_quick() -> None:
    assert SLEEP_SLICE <= 0.05
    start = time.monotonic()
    interruptible_sleep(0.12)
    assert 0.119 <= time.monotonic() - start < 0.4
