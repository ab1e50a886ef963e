"""Every checked exercise of every lesson page, from its data: the solution passes, the
starter as shipped is "not yet", every known mistake gets its own hint, numbers copied from
the lesson fail, and a learner's mischief (``np = None``, ``sys.exit()``, printing
"Correct!", a flood of output) gives a clear verdict, never a crash.

The exercises are read by the build's own parser (``node web/tools/markdown.mjs``), so a
new exercise, or a new mistake under ``## Mistakes``, is tested without touching this file.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess

import pytest
from lab_runner import forget_cell, run_cell
from lab_runner.checking import HARD_CODED
from lesson_snippets import ROOT, lessons_json


def exercises() -> list[dict]:
    return [
        {**exercise, "page": page} for page, found in lessons_json().items()
        for exercise in found["exercises"]
    ]  # fmt: skip


EXERCISES = {exercise["id"]: exercise for exercise in exercises()}
MISTAKES = [(id, mistake) for id, ex in EXERCISES.items() for mistake in ex["mistakes"]]


def check_run(code: str, exercise: dict) -> tuple[dict, dict, list]:
    """Run ``code`` as the exercise's cell with its check: the run's result, its one
    verdict, and every event in order."""
    cell_id = f"exercise-{exercise['id']}"
    events: list = []
    forget_cell(cell_id)
    check = {"exercise": exercise["id"], "source": exercise["check"]}
    result = run_cell(code, cell_id, events.append, check=check)
    forget_cell(cell_id)
    verdicts = [event for event in events if event["type"] == "verdict"]
    assert len(verdicts) == 1, f"expected exactly one verdict, got {verdicts}"
    assert events[-1] is verdicts[0], "the verdict comes after everything the run printed"
    return result, verdicts[0], events


def names_the_check_reads(exercise: dict) -> list[str]:
    """``"w"`` of every ``learner.value("w")`` / ``learner.function("w")`` in the check."""
    return re.findall(r"learner\.(?:value|function)\(\"(\w+)\"\)", exercise["check"])


def printed(events: list) -> str:
    return "".join(event["text"] for event in events if event["type"] == "stream")


def test_the_lessons_have_the_exercises_the_course_promises() -> None:
    assert "r-squared" in EXERCISES
    for exercise in EXERCISES.values():
        assert len(exercise["hints"]) >= 2 and exercise["title"]
        assert HARD_CODED in {m["id"] for m in exercise["mistakes"]}, (
            f"{exercise['id']}: add a ### hard-coded mistake (numbers copied from the output)"
        )


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_solution_passes(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    result, verdict, _ = check_run(exercise["solution"], exercise)
    assert result["status"] == "ok", result
    assert verdict["status"] == "passed", verdict
    assert verdict["exercise"] == exercise_id and verdict["mistake"] is None
    assert verdict["details"], "a pass says what was compared"
    assert all("relative" in d or "other data" in d for d in verdict["details"]), verdict


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_starter_as_shipped_is_not_yet(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    result, verdict, _ = check_run(exercise["starter"], exercise)
    assert result["status"] == "ok", f"the starter should run without an error: {result}"
    assert verdict["status"] == "not-yet", verdict
    assert not verdict["message"].startswith("The check could not"), verdict


@pytest.mark.parametrize(
    ("exercise_id", "mistake"), MISTAKES, ids=lambda v: v if isinstance(v, str) else v["id"]
)
def test_each_known_mistake_gets_its_own_hint(exercise_id: str, mistake: dict) -> None:
    _, verdict, _ = check_run(mistake["code"], EXERCISES[exercise_id])
    assert verdict["mistake"] == mistake["id"], verdict
    assert verdict["status"] == ("passed" if mistake["accepted"] else "not-yet"), verdict
    assert len(verdict["message"]) > 30, verdict


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_printing_correct_passes_nothing(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    code = exercise["starter"] + '\nprint("Correct!")\nprint("✓ passed")\n'
    _, verdict, events = check_run(code, exercise)
    assert "Correct!" in printed(events)
    assert verdict["status"] == "not-yet", verdict


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_sys_exit_before_the_answer_is_not_yet(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    _, verdict, _ = check_run("import sys\nsys.exit()\n" + exercise["solution"], exercise)
    assert verdict["status"] == "not-yet", verdict
    assert "does not define" in verdict["message"], verdict


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_deleted_answer_is_named(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    name = names_the_check_reads(exercise)[0]
    _, verdict, _ = check_run(exercise["solution"] + f"\ndel {name}\n", exercise)
    assert verdict["status"] == "not-yet", verdict
    assert verdict["message"] == f"Your code does not define {name} yet.", verdict


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_rebinding_np_never_breaks_the_check(exercise_id: str) -> None:
    """``np = None`` after the solution: the check keeps its own NumPy.  A function of the
    learner's that needs np then fails when called, and the verdict says how."""
    exercise = EXERCISES[exercise_id]
    _, verdict, _ = check_run(exercise["solution"] + "\nnp = None\n", exercise)
    assert not verdict["message"].startswith("The check could not"), verdict
    functions_use_np = any(
        isinstance(node, ast.Name) and node.id == "np"
        for function in ast.walk(ast.parse(exercise["solution"]))
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
    )
    if "learner.function(" in exercise["check"] and functions_use_np:
        assert verdict["status"] == "not-yet", verdict
        assert "AttributeError: 'NoneType' object has no attribute" in verdict["message"], verdict
    else:
        assert verdict["status"] == "passed", verdict


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_flood_of_output_does_not_change_the_verdict(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    flood = "\nfor i in range(20_000):\n    print('Correct!', i)\n"
    _, verdict, events = check_run(exercise["solution"] + flood, exercise)
    assert verdict["status"] == "passed", verdict
    assert printed(events).count("Correct!") == 20_000
    _, verdict, _ = check_run(exercise["starter"] + flood, exercise)
    assert verdict["status"] == "not-yet", verdict


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_solution_and_mistakes_parse(exercise_id: str) -> None:
    exercise = EXERCISES[exercise_id]
    for code in [exercise["starter"], exercise["solution"], exercise["check"]]:
        ast.parse(code)
    for mistake in exercise["mistakes"]:
        ast.parse(mistake["code"])


# --------------------------------------------------------------------------- the format

MARKDOWN = ROOT / "web" / "tools" / "markdown.mjs"
GOOD = (ROOT / "web" / "lessons" / "exercises" / "r-squared.md").read_text()


def parse_exercise(text: str) -> subprocess.CompletedProcess:
    """Parse an exercise file's text with the build's parser (parseExercise, as "x.md")."""
    script = (
        f"import {{ parseExercise }} from {json.dumps(MARKDOWN.as_uri())};\n"
        "const text = require('node:fs').readFileSync(0, 'utf8');\n"
        "console.log(JSON.stringify(parseExercise('x', text, 'web/lessons/exercises/x.md')));"
    ).replace("require('node:fs')", "(await import('node:fs'))")
    return subprocess.run(
        ["node", "--input-type=module", "-e", script],
        input=text, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_a_well_formed_exercise_file_parses_into_its_parts() -> None:
    done = parse_exercise(GOOD)
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["title"] == "R² by hand"
    assert len(parsed["hints"]) == 3 and parsed["hints"][1].startswith("The top is <code>")
    assert "katex" in parsed["hints"][0]  # math typeset at build time
    assert parsed["solution"].startswith("import numpy as np")
    assert "learner.function" in parsed["check"]
    assert [m["id"] for m in parsed["mistakes"]][:2] == ["y-not-centred", "missing-one-minus"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("## Check", "## Verify"), "the ## Check section is missing"),
        (lambda t: t.replace("# R² by hand\n", ""), "must start with a # Title line"),
        (lambda t: t.replace("### y-not-centred", "### Y not centred"), "cannot read the mistake"),
        (
            lambda t: t.replace("## Hints\n\n1.", "## Hints\n\nA nudge:"),
            "## Hints needs an ordered",
        ),
        (lambda t: t + "\n## Notes\n\ntext\n", "unknown section ## Notes"),
        (lambda t: t.replace("```python\ndef answer", "```\ndef answer"), "## Check must hold"),
        (lambda t: t + "\n### hard-coded\n\n```python\npass\n```\n", "two mistakes are named"),
    ],
)
def test_a_broken_exercise_file_stops_the_build_naming_the_file(change, message) -> None:
    done = parse_exercise(change(GOOD))
    assert done.returncode != 0
    assert message in done.stderr and "web/lessons/exercises/x.md" in done.stderr, done.stderr


def test_an_exercise_fence_without_its_file_stops_the_build(tmp_path) -> None:
    lesson = tmp_path / "lesson.md"
    lesson.write_text("# T\n\n```python exercise=no-such-exercise\n...\n```\n")
    done = subprocess.run(["node", str(MARKDOWN), str(lesson)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "there is no web/lessons/exercises/no-such-exercise.md" in done.stderr


def test_the_page_html_holds_the_starter_and_the_data_the_check_needs() -> None:
    script = (
        f"import {{ renderLesson }} from {json.dumps(MARKDOWN.as_uri())};\n"
        "const lesson = '# T\\n\\n```python exercise=r-squared\\nx = 1 < 2\\n```\\n';\n"
        "const { html } = renderLesson(lesson);\n"
        "console.log(html);"
    )
    html = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    ).stdout
    assert 'data-exercise-id="r-squared"' in html and 'data-cell-id="exercise-r-squared"' in html
    assert "x = 1 &lt; 2\n</textarea>" in html  # the starter, editable
    data = re.search(r'<script type="application/json" class="exercise-data">(.*?)</script>', html)
    parsed = json.loads(data.group(1))
    assert sorted(parsed) == ["check", "hints", "solution", "title"]
    assert parsed["check"] == EXERCISES["r-squared"]["check"]
    assert "<" not in data.group(1)  # nothing in the JSON can close the script element


def test_the_readmes_example_exercise_works_as_it_says() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## How to write an exercise") :]
    lesson, exercise_file = re.findall(r"^````markdown\n(.*?)^````$", section, re.M | re.S)[:2]
    starter = re.search(r"```python exercise=residuals\n(.*?)```", lesson, re.S).group(1)
    done = parse_exercise(exercise_file)
    assert done.returncode == 0, done.stderr
    exercise = {**json.loads(done.stdout), "id": "residuals"}
    assert check_run(exercise["solution"], exercise)[1]["status"] == "passed"
    assert check_run(starter, exercise)[1]["status"] == "not-yet"
    for mistake in exercise["mistakes"]:
        assert check_run(mistake["code"], exercise)[1]["mistake"] == mistake["id"]
