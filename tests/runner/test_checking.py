"""The check vocabulary (lab_runner.checking) on its own: tolerances said in words, the
first grade wins, data swapped into a rerun, errors known and unknown, Stop during a check.
The exercises themselves are tested from their data in tests/lessons/test_exercises.py."""

from __future__ import annotations

from lab_runner import forget_cell, run_cell
from lab_runner.checking import HARD_CODED, run_check


def checked(code: str, check: str) -> tuple[dict, dict, list[dict]]:
    """Run ``code`` with ``check``: the run's result, its verdict, every event."""
    events: list[dict] = []
    forget_cell("t")
    result = run_cell(code, "t", events.append, check={"exercise": "t", "source": check})
    forget_cell("t")
    (verdict,) = [event for event in events if event["type"] == "verdict"]
    return result, verdict, events


def test_a_pass_states_each_comparison_and_its_relative_tolerance() -> None:
    _, verdict, _ = checked(
        "slope = 2.473912\n", 'close(learner.value("slope"), 2.4739, "slope", 1e-5)'
    )
    assert verdict == {
        "type": "verdict", "exercise": "t", "status": "passed",
        "message": "Correct: every comparison is within its tolerance.", "mistake": None,
        "details": ["your slope is 2.47391, the answer 2.4739: within 1e-05 relative, correct"],
    }  # fmt: skip


def test_a_miss_says_by_how_much_with_the_digits_that_differ() -> None:
    _, verdict, _ = checked(
        "slope = 2.5 - 0.0251\n", 'close(learner.value("slope"), 2.4739, "slope")'
    )
    assert verdict["status"] == "not-yet" and verdict["mistake"] is None
    assert verdict["message"] == (
        "Your slope is 2.4749, the answer 2.4739: 0.0004 relative apart, "
        "more than the 1e-06 allowed."
    )


def test_the_first_grade_wins_and_a_known_wrong_answer_is_named() -> None:
    check = (
        "v = learner.value('v')\n"
        "fail_if_close(v, 2.0, 'doubled', 'You doubled it.')\n"
        "fail_if_close(v, 2.0, 'other', 'never reached')\n"
    )
    _, verdict, _ = checked("v = 2.0\n", check)
    assert (verdict["mistake"], verdict["message"]) == ("doubled", "You doubled it.")


def test_an_accepted_mistake_passes_with_its_note() -> None:
    check = "note_if(learner.uses('linalg.inv'), 'inv', 'Prefer lstsq.')\n"
    _, verdict, _ = checked("from numpy.linalg import inv\n", check)
    assert verdict["status"] == "passed" and verdict["mistake"] == "inv"
    assert verdict["message"].endswith("Prefer lstsq.")


def test_shapes_that_broadcast_wrongly_get_their_own_hint() -> None:
    check = "close(learner.value('r'), np.zeros(5), 'residuals')"
    _, verdict, _ = checked("import numpy as np\nr = np.zeros(5) - np.zeros((5, 1))\n", check)
    assert verdict["mistake"] == "shape-n-by-n" and "(n, n)" in verdict["message"]
    _, verdict, _ = checked("import numpy as np\nr = np.zeros((5, 1))\n", check)
    assert verdict["mistake"] == "shape-column" and ".ravel()" in verdict["message"]


def test_a_rerun_swaps_the_data_in_right_after_the_learner_sets_it() -> None:
    code = "x = [1.0, 2.0, 3.0]\ny = [v * 2 for v in x]\ntotal = sum(y)\n"
    check = "other = learner.rerun(x=[10.0])\nclose(other.value('total'), 20.0, 'total')"
    _, verdict, _ = checked(code, check)
    assert verdict["status"] == "passed", verdict


def test_numbers_typed_in_fail_on_other_data_with_a_hint_that_says_so() -> None:
    code = "x = [1.0, 2.0, 3.0]\ntotal = 12.3456   # printed by the lesson\n"
    check = (
        "close(learner.value('total'), 12.3456, 'total')\n"
        "same_on_other_data(learner.rerun(x=[5.0]).value('total'), 5.0, 'total')"
    )
    _, verdict, _ = checked(code, check)
    assert verdict["mistake"] == HARD_CODED and "typed in" in verdict["message"]


def test_an_error_in_the_run_keeps_its_traceback_and_adds_the_known_hint() -> None:
    code = "import numpy as np\nw = np.zeros(3)\nprint(np.ones((4, 2)) @ w)\n"
    check = "known_error('matmul', 'w-size', 'X has 2 columns, w must have 2 entries.')\n"
    result, verdict, events = checked(code, check)
    assert result["status"] == "error" and result["error_type"] == "ValueError"
    stderr = "".join(e["text"] for e in events if e["type"] == "stream" and e["name"] == "stderr")
    assert 'File "t.py", line 3' in stderr and "matmul" in stderr
    assert verdict["mistake"] == "w-size"
    assert verdict["message"].endswith("X has 2 columns, w must have 2 entries.")


def test_an_unknown_error_in_the_run_is_not_yet_and_points_at_the_traceback() -> None:
    _, verdict, _ = checked("1 / 0\n", "close(learner.value('v'), 1.0, 'v')")
    assert verdict["status"] == "not-yet"
    assert verdict["message"].startswith("Your code stopped with ZeroDivisionError")


def test_what_the_learners_function_prints_or_exits_during_the_check_is_contained() -> None:
    code = "import sys\ndef f(v):\n    print('Correct!' * 1000)\n    sys.exit()\nprint('mine')\n"
    _, verdict, events = checked(code, "learner.function('f')(1)")
    printed = "".join(e["text"] for e in events if e["type"] == "stream")
    assert printed == "mine\n"
    assert verdict["message"].startswith("Your code called sys.exit() when the check called f")


def test_stop_during_the_check_stops_the_run_with_a_not_yet() -> None:
    code = "def f():\n    raise KeyboardInterrupt\n"
    result, verdict, _ = checked(code, "learner.function('f')()")
    assert result["status"] == "stopped"
    assert verdict["message"] == "The run was stopped before the check finished."


def test_a_check_that_cannot_use_the_answer_says_so_instead_of_crashing() -> None:
    _, verdict, _ = checked("v = 'text'\n", "learner.value('v') + 1")
    assert verdict["status"] == "not-yet"
    assert verdict["message"].startswith("The check could not use your answer (TypeError")


def test_the_check_keeps_its_own_numpy_whatever_the_learner_rebinds() -> None:
    verdict = run_check(
        {"exercise": "t", "source": "close(np.sum(learner.value('v')), 6.0, 'sum')"},
        {"v": [1, 2, 3], "np": None},
        "v = [1, 2, 3]\nnp = None\n",
        "t.py",
    )
    assert verdict["status"] == "passed", verdict
