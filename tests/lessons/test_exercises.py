"""Every checked exercise of every lesson page, from its data: the solution passes, the
starter as shipped is "not yet", every known mistake gets its own hint, numbers copied from
the lesson fail, and a learner's mischief (``np = None``, ``sys.exit()``, printing
"Correct!", a flood of output) gives a clear verdict, never a crash.

The exercises are read by the build's own parser (``node web/tools/markdown.mjs``), so a
new exercise, or a new mistake under ``## Mistakes``, is tested without touching this file.
"""

from __future__ import annotations

import ast
import re

import pytest
from lab_runner import forget_cell, run_cell
from lab_runner.checking import HARD_CODED
from lesson_snippets import lessons_json


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
    result = run_cell(code, cell_id, lambda *event: events.append(event), check=check)
    forget_cell(cell_id)
    verdicts = [e[0] for e in events if isinstance(e[0], dict) and e[0].get("type") == "verdict"]
    assert len(verdicts) == 1, f"expected exactly one verdict, got {verdicts}"
    assert events[-1][0] is verdicts[0], "the verdict comes after everything the run printed"
    return result, verdicts[0], events


def names_the_check_reads(exercise: dict) -> list[str]:
    """``"w"`` of every ``learner.value("w")`` / ``learner.function("w")`` in the check."""
    return re.findall(r"learner\.(?:value|function)\(\"(\w+)\"\)", exercise["check"])


def printed(events: list) -> str:
    streams = [e[0] for e in events if isinstance(e[0], dict) and e[0].get("type") == "stream"]
    return "".join(event["text"] for event in streams)


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
