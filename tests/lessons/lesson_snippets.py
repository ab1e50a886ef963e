"""The lessons' snippets exactly as shipped, and what each one does on CPython.

The snippets are read from ``web/lessons/*.md`` by the build's own Markdown module
(``node web/tools/markdown.mjs``), so the tests run the text a learner sees, never a copy.
Each one runs through :func:`lab_runner.run_cell`, as in the browser's worker, with an
``emit`` that records everything: printed text, figures (PNG bytes and alt text) and rich
displays (the gradient-descent animation).

Also used by the browser tests, which compare what Pyodide prints with what CPython prints.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

os.environ["MPLBACKEND"] = "module://lab_runner.mpl_backend"

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "web" / "lessons"


@dataclass(frozen=True)
class Snippet:
    page: str  # the Markdown file, e.g. "index.md"
    cell_id: str
    code: str

    @property
    def html_page(self) -> str:
        return self.page.removesuffix(".md") + ".html"


@functools.cache
def lessons_json() -> dict:
    """What ``node web/tools/markdown.mjs web/lessons/*.md`` says: per page, its cells and
    its exercises (starter, hints, solution, check, mistakes)."""
    files = sorted(LESSONS.glob("*.md"))
    result = subprocess.run(
        ["node", str(ROOT / "web" / "tools" / "markdown.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"web/tools/markdown.mjs failed:\n{result.stderr}")
    return json.loads(result.stdout)


@functools.cache
def snippets() -> tuple[Snippet, ...]:
    """Every ```python cell=NAME block of every lesson page, in page order."""
    pages = lessons_json()
    return tuple(
        Snippet(page, cell["id"], cell["code"]) for page in pages for cell in pages[page]["cells"]
    )


def snippet(cell_id: str) -> Snippet:
    for found in snippets():
        if found.cell_id == cell_id:
            return found
    raise KeyError(f"no lesson has a cell named {cell_id!r}")


def pages_with_cells() -> dict[str, list[str]]:
    pages: dict[str, list[str]] = {}
    for found in snippets():
        pages.setdefault(found.page, []).append(found.cell_id)
    return pages


@dataclass
class Figure:
    png: bytes
    alt: str
    width: int
    height: int


@dataclass
class Run:
    """What one run of a snippet produced, in order."""

    status: str
    error_type: str | None
    events: list[dict] = field(default_factory=list)
    namespace: dict = field(default_factory=dict)

    @property
    def output(self) -> str:
        """stdout and stderr as the cell's output shows them."""
        return "".join(e["text"] for e in self.events if e["type"] == "stream")

    @property
    def stdout(self) -> str:
        return self._text("stdout")

    @property
    def stderr(self) -> str:
        return self._text("stderr")

    def _text(self, name: str) -> str:
        return "".join(
            e["text"] for e in self.events if e["type"] == "stream" and e["name"] == name
        )

    @property
    def figures(self) -> list[Figure]:
        return [
            Figure(e["png"], e["alt"], e["width"], e["height"])
            for e in self.events
            if e["type"] == "figure"
        ]

    @property
    def displays(self) -> list[tuple[str, str]]:
        return [(e["mime"], e["data"]) for e in self.events if e["type"] == "display"]

    def line(self, pattern: str) -> re.Match:
        """The first printed line matching a regular expression (fails if none)."""
        for text in self.output.splitlines():
            found = re.search(pattern, text)
            if found:
                return found
        raise AssertionError(f"no printed line matches {pattern!r} in:\n{self.output}")


def _use_runner_backend() -> None:
    """Figures go through lab_runner's backend, even if pyplot was imported before us."""
    import matplotlib.pyplot as plt

    if plt.get_backend() != "module://lab_runner.mpl_backend":
        plt.switch_backend("module://lab_runner.mpl_backend")


def run_code(code: str, cell_id: str) -> Run:
    """Run code as a fresh cell, recording everything it emits."""
    from lab_runner import forget_cell, run_cell
    from lab_runner.runner import namespace

    _use_runner_backend()
    forget_cell(cell_id)
    events: list[dict] = []
    result = run_cell(code, cell_id, events.append)
    run = Run(result["status"], result["error_type"], events, dict(namespace(cell_id)))
    forget_cell(cell_id)
    return run


@functools.cache
def shipped_run(cell_id: str) -> Run:
    """The snippet as shipped, run once per test session."""
    return run_code(snippet(cell_id).code, cell_id)


# --------------------------------------------------------------------------- comparing output

_NUMBER = re.compile(r"(?<![\w.])[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def numbers_and_words(text: str) -> tuple[list[str], list[str]]:
    """Split printed text into its numbers and the words between them (spaces collapsed)."""
    numbers = _NUMBER.findall(text)
    words = [" ".join(part.split()) for part in _NUMBER.split(text)]
    return numbers, words


def _unit_in_last_place(token: str) -> float:
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def same_printout(actual: str, expected: str) -> str | None:
    """None when two printouts say the same up to rounding; otherwise what differs.

    Words must match exactly (spaces aside).  Numbers may differ by one unit in the last
    printed digit (a different BLAS may round the other way), and numbers below 1e-9 are
    rounding noise that no two platforms print alike.
    """
    got_numbers, got_words = numbers_and_words(actual)
    want_numbers, want_words = numbers_and_words(expected)
    if got_words != want_words:
        for got, want in zip(got_words, want_words, strict=False):
            if got != want:
                return f"text differs: {got!r} instead of {want!r}"
        return f"text differs in length: {len(got_words)} parts instead of {len(want_words)}"
    for got, want in zip(got_numbers, want_numbers, strict=True):
        a, b = float(got.replace("−", "-")), float(want.replace("−", "-"))
        if abs(a) < 1e-9 and abs(b) < 1e-9:
            continue
        if abs(a - b) > 1.01 * max(_unit_in_last_place(got), _unit_in_last_place(want)):
            return f"{got} instead of {want}"
    return None
