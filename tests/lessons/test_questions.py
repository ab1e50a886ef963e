"""The "predict, then run" questions: each one parses, and its answer is what its cell computes.

The questions are read from ``web/lessons/*.md`` by the build's own Markdown module
(``node web/tools/markdown.mjs --questions``), each with the cell that follows it, the one
that answers it.  That cell runs as shipped; then the question's ``check:`` (choices) must be
true in the cell's namespace, or its ``value:`` (a number) must be the ``answer:`` within the
``tolerance:``, so the question's text and the lesson's code cannot drift apart.
"""

from __future__ import annotations

import functools
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lesson_snippets import LESSONS, ROOT, shipped_run

MARKDOWN = ROOT / "web" / "tools" / "markdown.mjs"


def render(*args: str) -> subprocess.CompletedProcess:
    command = ["node", str(MARKDOWN), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@functools.cache
def questions() -> tuple[dict, ...]:
    result = render("--questions", *map(str, sorted(LESSONS.glob("*.md"))))
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout)
    return tuple({**question, "page": page} for page in pages for question in pages[page])


def test_there_are_at_least_six_questions_with_unique_ids() -> None:
    ids = [q["id"] for q in questions()]
    assert len(ids) >= 6
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("question", questions(), ids=lambda q: q["id"])
def test_the_answering_cell_computes_the_answer(question: dict) -> None:
    run = shipped_run(question["answerCell"])
    assert run.status == "ok", run.output
    namespace = dict(run.namespace)
    if question["choices"]:
        assert sum(choice["correct"] for choice in question["choices"]) == 1
        assert eval(question["check"], namespace), f"false after the cell: {question['check']}"
    else:
        value = float(eval(question["value"], namespace))
        assert math.isfinite(value)
        assert abs(value - question["answer"]) <= question["tolerance"], (
            f"the cell computes {value}; the question says "
            f"{question['answer']} ± {question['tolerance']}"
        )


def write_lesson(tmp_path: Path, text: str) -> str:
    path = tmp_path / "page.md"
    path.write_text(f"# A page\n\n{text}\n```python cell=after\nprint(1)\n```\n")
    return str(path)


NAMED = "```question id=q\nWhy?\n"
TWO_CHOICES = "- [x] a\n- [ ] b\n"
EXPLAINED = "right: a\nwrong: b\n"


@pytest.mark.parametrize(
    ("fence", "message"),
    [
        ("```question\nWhy?\n" + EXPLAINED + "answer: 1\nvalue: 1\n```", "write ```question id="),
        (NAMED + "- [x] a\n- [x] b\n" + EXPLAINED + "check: True\n```", "tick exactly one"),
        (NAMED + TWO_CHOICES + "wrong: b\ncheck: True\n```", "`right:`"),
        (NAMED + EXPLAINED + "answer: one\nvalue: 1\n```", "a number as `answer:`"),
        (NAMED + EXPLAINED + "answer: 1\n```", "`value:`"),
        (NAMED + TWO_CHOICES + EXPLAINED + "```", "`check:`"),
        ("```widget spinner\n```", "unknown widget"),
    ],
)
def test_a_mistake_in_a_block_stops_the_build(tmp_path: Path, fence: str, message: str) -> None:
    result = render(write_lesson(tmp_path, fence))
    assert result.returncode != 0
    assert message in result.stderr


def test_a_question_after_the_last_cell_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("# A page\n\n" + NAMED + EXPLAINED + "answer: 1\nvalue: 1\n```\n")
    result = render(str(path))
    assert result.returncode != 0
    assert "no cell after it" in result.stderr
