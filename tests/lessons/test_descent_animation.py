"""lab_runner.animate_descent on CPython, and the pure helpers of the page's renderer in Node.

What the Python side promises: every accepted history shape gives the same frames; each run
is thinned to max_frames keeping the first and the last; a run that overflows stops at its
last finite frame and is called diverged; statuses and the default selection follow the
module's docstring; the payload is strict JSON (no NaN or Infinity) sent as one display.
"""

from __future__ import annotations

import json
import subprocess
import warnings
from pathlib import Path

import linreg
import numpy as np
import pytest
from lab_runner import animate_descent, forget_cell, run_cell
from lab_runner.animation import MAX_RUNS, MIME

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, 100)
    return x, 2.5 * x + 4.0 + rng.normal(0, 2.0, 100)


def descend(x, y, rate: float, epochs: int) -> list[tuple[float, float, float]]:
    """The learner's loop: (w0, w1, loss) per step, on raw x, until it overflows."""
    w0 = w1 = 0.0
    steps = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs + 1):
            error = w1 * x + w0 - y
            steps.append((w0, w1, float(np.mean(error**2))))
            w0, w1 = w0 - rate * 2 * np.mean(error), w1 - rate * 2 * np.mean(error * x)
    return steps


def test_linreg_histories_models_and_divergence_errors_are_all_accepted(data) -> None:
    x, y = data
    model = linreg.LinearRegression(solver="gd", learning_rate=0.1).fit(x, y)
    result = linreg.gradient_descent(linreg.design_matrix(x), y, learning_rate=0.1)
    with pytest.raises(linreg.DivergenceError) as diverged:
        linreg.LinearRegression(solver="gd", learning_rate=1.05).fit(x, y)
    payload = animate_descent(x, y, {0.1: model, 0.2: result, 1.05: diverged.value})
    by_rate = {run["learningRate"]: run for run in payload["runs"]}
    assert by_rate[0.1]["w1"] == payload["runs"][0]["w1"]
    assert by_rate[0.1]["steps"] == model.history_.steps.tolist()
    assert by_rate[0.1]["status"] == "converged"
    assert by_rate[0.2]["status"] == "converged"  # a GradientDescentResult
    assert by_rate[1.05]["status"] == "diverged" and not by_rate[1.05]["overflowed"]
    assert by_rate[0.1]["w1"][-1] == pytest.approx(model.coef_[0], abs=1e-8)


def test_dicts_and_lists_of_records_give_the_same_frames(data) -> None:
    x, y = data
    steps = descend(x, y, 0.01, 50)
    as_triples = animate_descent(x, y, steps, learning_rate=0.01)["runs"][0]
    as_pairs = animate_descent(x, y, [s[:2] for s in steps], learning_rate=0.01)["runs"][0]
    as_dict = animate_descent(x, y, {0.01: {"w": [s[:2] for s in steps]}})["runs"][0]
    assert as_triples == as_pairs == as_dict
    assert as_triples["steps"] == list(range(51)) and as_triples["label"] == "0.01"
    # the loss is recomputed as the mean squared error of each frame's line
    assert as_triples["loss"][-1] == pytest.approx(steps[-1][2], rel=1e-8)


def test_long_histories_are_thinned_keeping_the_start_and_the_end(data) -> None:
    x, y = data
    steps = descend(x, y, 0.001, 3000)
    run = animate_descent(x, y, steps, learning_rate=0.001, max_frames=200)["runs"][0]
    assert len(run["steps"]) == 200 and run["recorded"] == 3001
    assert run["steps"][:50] == list(range(50))  # every step of the first quarter
    assert run["steps"][-1] == 3000 and run["steps"] == sorted(set(run["steps"]))
    assert run["status"] == "descending"  # 0.001 on raw x crawls


def test_an_overflowing_run_stops_at_its_last_finite_frame_and_is_diverged(data) -> None:
    x, y = data
    steps = descend(x, y, 0.05, 1000)  # far past the limit 0.025 for raw x
    assert not np.isfinite(steps[-1][0])
    payload = animate_descent(x, y, {0.05: steps, 0.01: descend(x, y, 0.01, 3000)})
    diverged = payload["runs"][1]
    assert diverged["status"] == "diverged" and diverged["overflowed"]
    assert all(np.isfinite(diverged["w0"])) and all(np.isfinite(diverged["loss"]))
    assert diverged["loss"][-1] > 1e100
    json.loads(json.dumps(payload, allow_nan=False))  # strict JSON
    assert payload["selected"] == 0  # the smallest learning rate that converges
    assert [r["learningRate"] for r in payload["runs"]] == [0.01, 0.05]  # sorted


def test_points_exactly_on_a_line_converge_to_a_loss_of_zero() -> None:
    x = np.arange(10.0)
    steps = descend(x, 3 * x - 2, 0.02, 4000)
    run = animate_descent(x, 3 * x - 2, steps, learning_rate=0.02)["runs"][0]
    assert run["loss"][-1] < 1e-12 and run["status"] == "converged"


def test_converged_at_is_the_step_from_which_the_loss_stays_at_its_minimum(data) -> None:
    x, y = data
    payload = animate_descent(x, y, {0.01: descend(x, y, 0.01, 3000)})
    run, minimum = payload["runs"][0], payload["fit"]["loss"]
    settled = [loss <= minimum * (1 + 1e-6) for loss in run["loss"]]
    after = [
        ok for step, ok in zip(run["steps"], settled, strict=True) if step >= run["convergedAt"]
    ]
    before = [
        ok for step, ok in zip(run["steps"], settled, strict=True) if step < run["convergedAt"]
    ]
    assert 0 < run["convergedAt"] < 3000
    assert all(after) and not before[-1]  # (frames are thinned: it may fall between two)
    crawling = animate_descent(x, y, {0.001: descend(x, y, 0.001, 300)})["runs"][0]
    assert crawling["convergedAt"] is None


def test_zigzag_is_reported_for_a_large_rate_that_still_converges(data) -> None:
    x, y = data
    payload = animate_descent(x, y, {0.02: descend(x, y, 0.02, 3000)})
    assert payload["runs"][0]["zigzag"] and payload["runs"][0]["status"] == "converged"


def test_the_payload_goes_to_the_page_as_one_display_through_run_cell() -> None:
    events: list[dict] = []
    code = (
        "import numpy as np\nfrom lab_runner import animate_descent\n"
        "x = np.arange(5.0)\ny = 2 * x + 1\n"
        "payload = animate_descent(x, y, [(0, 0), (0.5, 1.0), (1, 2)], learning_rate=0.1,\n"
        "                          title='<b>mine</b>', x_label='hours', y_label='marks')\n"
    )
    forget_cell("animation-test")
    result = run_cell(code, "animation-test", events.append)
    assert result["status"] == "ok"
    [event] = events
    assert (event["type"], event["mime"]) == ("display", MIME)
    payload = json.loads(event["data"])
    assert payload["title"] == "<b>mine</b>"  # text: the renderer inserts it as text
    assert (payload["xLabel"], payload["yLabel"], payload["n"]) == ("hours", "marks", 5)
    assert payload["fit"]["w0"] == pytest.approx(1.0) and payload["fit"]["w1"] == 2.0
    assert payload["fit"]["loss"] < 1e-20
    assert payload["runs"][0]["status"] == "converged"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda x, y: animate_descent(x, y[:-1], [(0, 0)]), "x has 100 values but y has 99"),
        (lambda x, y: animate_descent(x, y, {}), "at least one history"),
        (lambda x, y: animate_descent(x, y, {r: [(0, 0)] for r in range(9)}), "at most 8"),
        (lambda x, y: animate_descent(x, y, [(0, 0, 1, 5)][:0]), "at least one step"),
        (lambda x, y: animate_descent(x, y, [(1,), (2,)]), "(w0, w1) or (w0, w1, loss)"),
        (lambda x, y: animate_descent(x, y, {"fast": [(0, 0)]}), "must be numbers, not 'fast'"),
        (lambda x, y: animate_descent(x, y, [(np.nan, 0)]), "first step of a history"),
        (lambda x, y: animate_descent(x * 0, y, [(0, 0)]), "all the x values are equal"),
        (lambda x, y: animate_descent(x, y, [(0, 0)], selected=0.3), "not one of"),
        (lambda x, y: animate_descent(x, y, linreg.LinearRegression().fit(x, y)), 'solver="gd"'),
        (lambda x, y: animate_descent(x, y, {"w": [[0, 0]], "step": [0, 1]}), "2 steps but 1"),
    ],
)
def test_bad_input_gets_a_plain_error(data, call, message) -> None:
    x, y = data
    with pytest.raises(ValueError) as error:
        call(x, y)
    assert message in str(error.value)


def test_at_most_eight_runs_is_the_documented_limit() -> None:
    assert MAX_RUNS == 8


def test_linreg_crawling_warning_does_not_stop_the_animation(data) -> None:
    x, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linreg.ConvergenceWarning)
        model = linreg.LinearRegression(solver="gd", learning_rate=0.001, epochs=300).fit(x, y)
    run = animate_descent(x, y, model, learning_rate=0.001)["runs"][0]
    assert run["status"] == "descending" and run["steps"][-1] == 300


# --------------------------------------------------------------------------- the renderer's math

NODE_CHECKS = """
import { clipLine } from "./web/js/explore/descent-charts.js";
import { decadeLabel, equation, formatNumber, niceTicks } from "./web/js/explore/numbers.js";
console.log(JSON.stringify({
  inside: clipLine(1, 2, [0, 10], [0, 100]),
  clipped: clipLine(0, 10, [0, 10], [0, 50]),
  missed: clipLine(1000, 1, [0, 10], [0, 50]),
  flat: clipLine(3, 0, [0, 10], [0, 50]),
  steep: clipLine(-1e12, 1e12, [0, 10], [-5, 5]),
  ticks: niceTicks(-1.3, 33.7),
  small: niceTicks(0, 0.07),
  numbers: [formatNumber(3.98508), formatNumber(-0.35), formatNumber(123456), formatNumber(2e-7),
            formatNumber(Infinity), formatNumber(1000)],
  equations: [equation(3.985, 2.4739), equation(-0.346, 3.734)],
  decades: [decadeLabel(0), decadeLabel(3), decadeLabel(12), decadeLabel(-5), decadeLabel(1.5)],
}));
"""


def test_the_renderers_line_clipping_ticks_and_numbers() -> None:
    done = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_CHECKS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(done.stdout)
    assert got["inside"] == [0, 1, 10, 21]
    assert got["clipped"] == [0, 0, 5, 50]  # leaves through the top at x = 5
    assert got["missed"] is None
    assert got["flat"] == [0, 3, 10, 3]
    xa, ya, xb, yb = got["steep"]  # a diverging line: only the sliver inside the box
    assert 0.99999 < xa < xb < 1.00001 and (ya, yb) == (-5, 5)
    assert got["ticks"] == [0, 10, 20, 30]
    assert got["small"] == [0, 0.02, 0.04, 0.06]
    assert got["numbers"] == ["3.985", "−0.35", "1.23×10⁵", "2.00×10⁻⁷", "∞", "1000"]
    assert got["equations"] == ["y = 2.474x + 3.985", "y = 3.734x − 0.346"]
    assert got["decades"] == ["1", "10³", "10¹²", "10⁻⁵", "31.62"]
