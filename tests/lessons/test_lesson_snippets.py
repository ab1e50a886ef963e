"""Every snippet of every lesson page, run on CPython exactly as shipped, gives the numbers,
text, plots and animation the page's prose promises.

Each cell has its own check below (``CHECKS``); a cell without one, or a check without its
cell, fails the suite, so a new snippet cannot ship untested.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from lesson_snippets import Run, run_code, shipped_run, snippet, snippets
from matplotlib import image as mpimg

ROOT = Path(__file__).resolve().parents[2]
MAIN_TRUTH = (4.0, 2.5)  # the intercept and slope the lesson's data is made from

# --------------------------------------------------------------------------- helpers


def floats(text: str) -> list[float]:
    return [float(v.replace("−", "-")) for v in re.findall(r"[-−]?\d+\.?\d*(?:e[-+]?\d+)?", text)]


def only_figure(run: Run, *, axes: int | None = None) -> str:
    """The run drew exactly one figure, a real PNG; return its alt text."""
    assert len(run.figures) == 1, f"expected one figure, got {len(run.figures)}"
    figure = run.figures[0]
    pixels = mpimg.imread(io.BytesIO(figure.png), format="png")
    assert pixels.shape[:2] == (figure.height, figure.width)
    assert figure.width > 300 and figure.height > 200
    assert pixels.std() > 0.05  # something is drawn, not a blank canvas
    if axes is not None:
        assert figure.alt.count("plot titled") == axes, figure.alt
    return figure.alt


def table_rows(run: Run, names: list[str]) -> dict[str, list[float]]:
    rows = {}
    for name in names:
        found = run.line(rf"^{re.escape(name)}\s+(.*)$")
        rows[name] = floats(found.group(1))
    return rows


# --------------------------------------------------------------------------- index.md


def check_main(run: Run) -> None:
    ns = run.namespace
    assert "sklearn" not in ns and "model" not in ns  # numpy and matplotlib only: ready at once
    slopes = [ns["slope_polyfit"], ns["slope_formula"], ns["w_lstsq"][1], ns["slope_gd"]]
    intercepts = [
        ns["intercept_polyfit"],
        ns["intercept_formula"],
        ns["w_lstsq"][0],
        ns["intercept_gd"],
    ]
    # the four methods agree to 1e-6 and land near the slope 2.5 and intercept 4.0
    assert max(slopes) - min(slopes) < 1e-6
    assert max(intercepts) - min(intercepts) < 1e-6
    assert abs(slopes[0] - MAIN_TRUTH[1]) < 0.1
    assert abs(intercepts[0] - MAIN_TRUTH[0]) < 0.3
    names = ["np.polyfit", "textbook formula", "normal equation", "gradient descent"]
    rows = table_rows(run, names)
    assert all(row == [2.4739, 3.9851, 0.9373] for row in rows.values()), rows
    alt = only_figure(run, axes=1)
    assert "Least-squares line through noisy data" in alt
    assert "fit: y = 2.47x + 3.99" in alt and "truth: y = 2.50x + 4.00" in alt
    assert "100 points" in alt


def check_loss(run: Run) -> None:
    losses = [float(run.line(rf"y = {w1}x \+ {w0}:\s+L =\s+([\d.]+)").group(1)) for w0, w1 in
              [(12.0, 1.0), (0.5, 3.5), (4.0, 2.5)]]  # fmt: skip
    assert losses == [2372.1, 1801.8, 379.2]
    assert run.line(r"smallest loss: (.*)").group(1) == "y = 2.5x + 4.0"
    alt = only_figure(run, axes=3)
    assert "Residuals (red) of three candidate lines" in alt and "L = 379" in alt


def check_polyfit(run: Run) -> None:
    assert run.stdout == "y = 2.4739x + 3.9851\n"


def check_normal_equation(run: Run) -> None:
    ns = run.namespace
    assert np.allclose(ns["w_formula"], ns["w_lstsq"], atol=1e-9)
    assert np.allclose(ns["w_solve"], ns["w_lstsq"], atol=1e-9)
    for name in ["inv(XᵀX) Xᵀy", "solve", "lstsq"]:
        assert run.line(rf"^{re.escape(name)}\s+w0 = 3\.985080\s+w1 = 2\.473855$")
    assert run.output.startswith("first rows of X:\n [[1.    6.37 ]")


def check_inverse(run: Run) -> None:
    digits = {
        name: float(run.line(rf"^{re.escape(name)}\s+w0 = \S+\s+correct digits:\s+(\S+)$").group(1))
        for name in ["inv()", "solve()", "lstsq"]
    }
    # "inv() and solve() keep only a few correct digits, lstsq twice as many or more"
    assert digits["inv()"] < 6 and digits["solve()"] < 6, digits
    assert digits["lstsq"] > 8 and digits["lstsq"] >= 2 * max(digits["inv()"], digits["solve()"])
    assert run.line(r"exact\s+w0 = (\S+)").group(1) == "657.6211878493"  # "far from 4"
    assert 1e9 < float(run.line(r"condition number of X:\s+(\S+)").group(1)) < 1e10
    assert float(run.line(r"condition number of XᵀX:\s+(\S+)").group(1)) > 1e18


def check_gradient_descent(run: Run) -> None:
    ns = run.namespace
    slope, intercept = np.polyfit(ns["x"], ns["y"], 1)
    assert ns["w1"] / ns["x"].std() == pytest.approx(slope, abs=1e-9)
    assert abs((ns["w0"] - ns["w1"] / ns["x"].std() * ns["x"].mean()) - intercept) < 1e-9
    assert run.line(r"epoch\s+0\s+loss\s+(\S+)").group(1) == "367.9512"
    assert run.line(r"epoch 1500\s+loss\s+(\S+)").group(1) == "3.7602"
    assert run.line(r"gradient descent: (.*)").group(1) == "y = 2.473855x + 3.985080"
    assert run.line(r"np.polyfit:\s+(.*)").group(1) == "y = 2.473855x + 3.985080"


def check_descent_animation(run: Run) -> None:
    assert not run.figures
    (mime, data), *rest = run.displays
    assert not rest and mime == "application/vnd.lab.descent+json"
    assert len(data) < 100_000  # one reasonable payload for five learning rates
    payload = json.loads(data)
    rates = [r["learningRate"] for r in payload["runs"]]
    assert rates == [0.001, 0.01, 0.1, 0.9, 1.05]
    statuses = [r["status"] for r in payload["runs"]]
    assert statuses == ["descending", "converged", "converged", "converged", "diverged"]
    assert [r["zigzag"] for r in payload["runs"]] == [False, False, False, True, True]
    assert payload["selected"] == 1  # 0.01, "a sane start"
    assert payload["title"] == "Gradient descent, one step at a time"
    slope, intercept = np.polyfit(run.namespace["x"], run.namespace["y"], 1)
    assert payload["fit"]["w1"] == pytest.approx(slope, abs=1e-7)
    assert payload["fit"]["w0"] == pytest.approx(intercept, abs=1e-7)
    for frames in payload["runs"]:
        assert 2 <= len(frames["steps"]) <= 400
        assert frames["steps"][0] == 0 and frames["w0"][0] == 0 and frames["w1"][0] == 0
        if frames["status"] == "converged":  # the last frame's line is the fit
            assert frames["w1"][-1] == pytest.approx(slope, abs=1e-6)
            assert frames["w0"][-1] == pytest.approx(intercept, abs=1e-6)
    diverged = payload["runs"][-1]
    assert diverged["loss"][-1] > diverged["loss"][0]
    assert 300 < payload["runs"][1]["convergedAt"] < 912  # the loss settles before the gradient
    assert run.line(r"learning rate\s+0.01:\s+(\d+) epochs").group(1) == "912"
    assert run.line(r"learning rate\s+1.05: diverged after (\d+) epochs").group(1) == "5"
    assert run.stderr == ""  # the crawling run's ConvergenceWarning is silenced on purpose


def check_r_squared(run: Run) -> None:
    expected = {"on the line": 1.0, "noise σ = 3.2": 0.852, "noise σ = 17": 0.101,
                "a wrong line": -0.900}  # fmt: skip
    for name, value in expected.items():
        mine, sklearn = floats(run.line(rf"^{re.escape(name)}\s+R² by hand(.*)$").group(1))
        assert mine == sklearn == value
    alt = only_figure(run, axes=4)
    assert "R²: the line against predicting the mean" in alt
    assert "R² = 0.85" in alt and "R² = -0.90" in alt


def thirds(run: Run) -> list[float]:
    return [
        float(run.line(rf"mean residual, {name} third: ([-+][\d.]+)").group(1))
        for name in ("left", "middle", "right")
    ]


def check_curved(run: Run) -> None:
    left, middle, right = thirds(run)
    assert left > 1 and middle < -1 and right > 0.5  # a smile
    assert run.line(r"^line: (.*)$").group(1) == "y = 1.609x + 5.090, R² = 0.678"
    alt = only_figure(run, axes=2)
    assert "Residuals: a smile, not noise" in alt and "residual y − ŷ" in alt


def check_outlier(run: Run) -> None:
    assert run.line(r"clean data:\s+(.*)").group(1) == "y = 2.47x + 3.99"
    assert run.line(r"with one typo:\s+(.*)").group(1) == "y = 3.73x − 0.35"
    ns = run.namespace
    assert ns["slope_typo"] - ns["slope"] > 1  # one point out of 100 tilts the line
    assert ns["y_typo"][ns["i"]] == pytest.approx(10 * ns["y"][ns["i"]])
    alt = only_figure(run, axes=1)
    assert "with the typo: y = 3.73x − 0.35" in alt


def check_correlated(run: Run) -> None:
    rows = [floats(line) for line in run.stdout.splitlines()[1:6]]
    assert [row[0] for row in rows] == [0, 1, 2, 3, 4]
    w1 = [row[1] for row in rows]
    sums = [row[3] for row in rows]
    assert max(w1) - min(w1) > 5  # the individual weights swing
    assert all(abs(s - 2.5) < 0.15 for s in sums)  # their sum stays put
    assert float(run.line(r"correlation of x1 and x2: (\S+)").group(1)) > 0.999


def check_polynomial(run: Run) -> None:
    assert run.line(r"quadratic: (.*)").group(1) == "y = 0.40x² − 2.52x + 12.00, R² = 0.973"
    assert run.line(r"agrees: (\w+)").group(1) == "True"
    assert all(abs(t) < 0.3 for t in thirds(run))  # no smile left
    assert run.namespace["w"][2] == pytest.approx(0.4, abs=0.02)
    alt = only_figure(run, axes=2)
    assert "y = 0.40x² − 2.52x + 12.00" in alt and "Residuals: just noise now" in alt


def check_sklearn(run: Run) -> None:
    assert run.stdout == "slope 2.4739, intercept 3.9851\nR² 0.9373\n"


def check_linreg_summary(run: Run) -> None:
    # coef, std err, t, P>|t|; then the 95 % interval (2.5 inside the slope's)
    assert floats(run.line(r"^intercept\s+(\S+\s+\S+\s+\S+\s+\S+)$").group(1)) == [
        3.98508,
        0.404878,
        9.843,
        2.66e-16,
    ]
    assert run.line(r"^x1\s+(.*)$").group(1).split() == [
        "2.47386",
        "0.0646262",
        "38.28",
        "<",
        "1e-16",
    ]
    assert floats(run.line(r"^intercept\s+(\S+\s+\S+)$").group(1)) == [3.18161, 4.78855]
    assert floats(run.line(r"^x1\s+(\S+\s+\S+)$").group(1)) == [2.34561, 2.6021]
    assert run.line(r"^R²: (\S+)").group(1) == "0.937313"
    assert run.line(r"^F\(1, 98\) = (\S+), p-value < 1e-16$").group(1) == "1465.32"
    interval = floats(run.line(r"^95% interval of the slope: (\S+) to (\S+)$").group(0))
    assert interval == [95, 2.346, 2.602] and interval[1] < MAIN_TRUTH[1] < interval[2]
    assert run.line(r"^points inside the 95% prediction band: (\d+) of 100$").group(1) == "97"
    model = run.namespace["model"]
    assert model.fvalue_ == pytest.approx(model.t_values_[1] ** 2)  # as the prose says
    alt = only_figure(run, axes=1)
    assert "95% prediction band (new points)" in alt and "95% confidence band (the line)" in alt
    assert "100 points" in alt
    prose = (ROOT / "web" / "lessons" / "index.md").read_text(encoding="utf-8")
    for said in ("$2.346$ to $2.602$", "($t = 38.28$)", "`F(1, 98) = 1465.32`",
                 "Here 97 of the 100 points", "$R^2 = 0.937$"):  # fmt: skip
        assert said in prose, said


def check_linreg_pipeline(run: Run) -> None:
    scores = floats(run.line(r"^R² on each held-out fold: (.*)$").group(1))
    assert scores == [0.966, 0.931, 0.909, 0.911, 0.953]
    assert run.line(r"^mean R² (\S+)$").group(1) == "0.934"
    pipeline = run.namespace["pipeline"]
    assert type(pipeline[-1]).__module__ == "linreg.model"  # the from-scratch model, in sklearn


CHECK_CELL_ROWS = ["slope w1", "intercept w0", "R²"]


def check_check(run: Run) -> None:
    rows = table_rows(run, CHECK_CELL_ROWS)
    for mine, theirs, difference in rows.values():
        assert mine == theirs and difference < 1e-12
    assert run.line(r"^Agree: every difference is within the tolerance 1e-06 \(the largest is")


@pytest.mark.parametrize(
    ("mistake", "fixed", "says"),
    [
        ("np.sum((y - y.mean()) ** 2)", "np.sum(y ** 2)", r"^Disagree: R² differs by 0\.0"),
        ("X.T @ y)", "X.T @ (y + 1))",
         r"^Disagree: intercept w0 differs by 1; R² differs by 0\.0167: more"),
        ("y_hat = w1 * x + w0", "y_hat = 1.01 * w1 * x + w0",
         r"^Disagree: R² differs by 0\.00\d+: more than the tolerance 1e-06\.$"),
    ],
)  # fmt: skip
def test_the_check_cell_says_disagree_when_the_learners_code_is_wrong(mistake, fixed, says):
    code = snippet("check").code
    assert mistake in code
    broken = code.replace(mistake, fixed, 1)
    run = run_code(broken, "check-broken")
    assert run.status == "ok", run.output
    assert run.line(says)
    assert not re.search(r"^Agree", run.output, re.MULTILINE)


# ------------------------------------------------------------------ polynomial-regression.md


def check_poly_degrees(run: Run) -> None:
    mse = [float(run.line(rf"degree\s+{d}: training MSE (\S+)").group(1)) for d in (1, 3, 12)]
    assert mse == sorted(mse, reverse=True)  # training error only goes down
    alt = only_figure(run, axes=1)
    assert "degree 12 (training MSE 0.08)" in alt and "20 points" in alt


def check_poly_validation(run: Run) -> None:
    table = [floats(line) for line in run.stdout.splitlines()[1:14]]
    degrees, train, valid = zip(*table, strict=True)
    assert list(degrees) == list(range(13))
    assert all(a >= b for a, b in itertools.pairwise(train))  # falls all the way
    assert int(np.argmin(valid)) == 3
    assert valid[12] > 10 * valid[3]  # and the validation error explodes
    assert run.line(r"smallest validation error: degree (\d+)").group(1) == "3"
    assert "chosen degree: 3" in only_figure(run, axes=1)


def check_poly_sklearn(run: Run) -> None:
    assert run.line(r"chosen degree: (\d+)").group(1) == "3"
    scores = [float(run.line(rf"degree {d}: cross-validated MSE (\S+)").group(1))
              for d in range(1, 9)]  # fmt: skip
    assert min(scores) == scores[2] and scores[0] > 4 * scores[2]
    assert float(run.line(r"within (\S+) of the true curve").group(1)) < 0.6


def check_poly_conditioning(run: Run) -> None:
    table = [floats(line) for line in run.stdout.splitlines()[1:6]]
    raw = [row[1] for row in table]
    scaled = [row[2] for row in table]
    assert raw == sorted(raw) and raw[-1] > 1e10
    assert all(s < r for s, r in zip(scaled, raw, strict=True))
    assert raw[-1] / scaled[-1] > 1e5  # several digits saved at degree 12


# ------------------------------------------------------------------- correlated-features.md


def check_multi_fit(run: Run) -> None:
    scratch = floats(run.line(r"^from scratch: (.*)$").group(1))
    sklearn = floats(run.line(r"^scikit-learn: (.*)$").group(1))
    assert scratch == sklearn == [53.8571, 3.0109, -1.2911, -5.9623]
    assert floats(run.line(r"^area\s+(.*)$").group(1))[:2] == [3.01091, 0.0841793]


def check_multi_correlated(run: Run) -> None:
    assert float(run.line(r"correlation of area and area_ft2: (\S+)").group(1)) > 0.99
    stderr = floats(run.line(r"^area\s+(.*)$").group(1))[1]
    assert stderr > 8 * 0.0841793  # tenfold the standard error of the clean fit
    assert abs(floats(run.line(r"^area_ft2\s+(.*)$").group(1))[2]) < 1  # "looks useless"
    assert 50 < float(run.line(r"VIF of area: (\d+)").group(1)) < 200
    assert float(run.line(r"bootstrap spread of the area weight: (\S+)").group(1)) > 0.5
    weights = run.namespace["weights"]
    assert weights.shape == (300, 2)
    assert np.corrcoef(weights.T)[0, 1] < -0.95  # the points lie along a falling line
    alt = only_figure(run, axes=1)
    assert "300 points" in alt and "weight of area_ft2" in alt


def check_multi_standardise(run: Run) -> None:
    raw = run.line(r"raw, 0.9 × limit\s+(\d+) epochs, (.*), largest weight error (\S+)")
    scaled = run.line(r"standardised, 0.1\s+(\d+) epochs, (.*), largest weight error (\S+)")
    assert raw.group(2) == "not converged" and float(raw.group(3)) > 10
    assert scaled.group(2) == "converged" and float(scaled.group(3)) < 1e-4
    assert int(scaled.group(1)) < 100
    area, distance = (float(run.line(rf"^\s+{n}\s+(\S+)").group(1))
                      for n in ("area", "distance"))  # fmt: skip
    assert 3.5 < area / abs(distance) < 5  # "about four times"
    limits = [float(run.line(rf"^{n}\s.*learning rate (\S+)").group(1))
              for n in ("raw features", "standardised")]  # fmt: skip
    assert limits[1] / limits[0] > 1000


def check_multi_remedies(run: Run) -> None:
    spread = {
        name: floats(run.line(rf"^{re.escape(name)}\s+(.*)$").group(1))
        for name in ["both columns, least squares", "area_ft2 dropped", "both columns, ridge α = 1"]
    }
    both, dropped, ridge = (spread[k][0] for k in spread)
    assert both > 3 * dropped and both > 3 * ridge  # "several times over"
    r2 = [v[1] for v in spread.values()]
    assert max(r2) - min(r2) < 0.005  # "at no visible cost in R²"


# ------------------------------------------------------------------------- learning-rate.md


def check_lr_curves(run: Run) -> None:
    verdicts = {
        float(m.group(1)): m.group(2)
        for m in re.finditer(r"learning rate (\S+)\s+(.*)", run.stdout)
    }
    assert verdicts[0.001].startswith("still") and verdicts[0.01].startswith("still")
    assert verdicts[0.1] == "converges in 57 epochs" == verdicts[0.9]
    assert verdicts[0.5] == "converges in 1 epoch"
    assert verdicts[1.0] == "bounces between two lines for ever"
    assert verdicts[1.05].startswith("diverges")
    alt = only_figure(run, axes=1)
    assert all(f"η = {rate}" in alt for rate in verdicts)


def check_lr_limit(run: Run) -> None:
    raw = run.line(r"raw x: eigenvalues \[(.*)\], limit 2/λmax = (\S+) \(linreg says (\S+)\)")
    assert floats(raw.group(1)) == [0.459, 80.039]
    assert raw.group(2) == raw.group(3) == "0.02499"
    scaled = run.line(r"standardised x: eigenvalues \[(.*)\], limit 2/λmax = (\S+) \(linreg")
    assert floats(scaled.group(1)) == [2.0, 2.0] and scaled.group(2) == "1"
    verdicts = re.findall(r": (converges|diverges)$", run.stdout, re.MULTILINE)
    assert verdicts == ["converges", "converges", "diverges"] * 2


def check_lr_valley(run: Run) -> None:
    raw, scaled, best = (
        [float(v) for v in run.line(rf"^{name}\s+w0 = (\S+), w1 = (\S+)$").groups()]
        for name in ("raw x, 200 epochs", "standardised, 200 epochs", "least squares")
    )
    assert scaled == best == [3.985, 2.474]  # standardised: there in 200 epochs
    assert abs(raw[0] - best[0]) > 0.3  # raw: still creeping along the valley
    alt = only_figure(run, axes=1)
    assert "raw x, η = 0.0225" in alt and "standardised x, η = 0.1" in alt


def check_lr_animation(run: Run) -> None:
    (mime, data), *rest = run.displays
    assert not rest and mime == "application/vnd.lab.descent+json"
    payload = json.loads(data)
    statuses = {r["learningRate"]: r["status"] for r in payload["runs"]}
    assert statuses == {0.001: "descending", 0.01: "converged", 0.02: "converged",
                        0.026: "diverged"}  # fmt: skip
    diverged = payload["runs"][-1]
    assert diverged["loss"][-1] > 1e6 * diverged["loss"][0]
    assert payload["runs"][payload["selected"]]["learningRate"] == 0.01
    assert all(len(r["steps"]) <= 400 for r in payload["runs"])
    assert len(data) < 100_000


def check_lr_sweep(run: Run) -> None:
    assert run.line(r"fastest: η = (\S+) \((\d+) epochs?\)").groups() == ("0.5", "1")
    assert run.line(r"slowest tried: η = 0.02 \((\d+) epochs\)").group(1) == "310"
    assert run.line(r"never converged .*: η ≥ (\S+)").group(1) == "1.0"
    counts = run.namespace["counts"]
    converging = [c for c in counts if c is not None]
    assert counts.index(min(converging)) == 24  # 0.02 × 25 = 0.5
    assert "the limit 2/λmax = 1" in only_figure(run, axes=1)


def check_random_starts(run: Run) -> None:
    ends = {line.split("->")[1].strip() for line in run.stdout.splitlines()}
    assert ends == {"end (17.549004, 7.498227)"}  # "five starts, one end"
    assert len(run.stdout.splitlines()) == 5
    z_slope = 7.498227 / run.namespace["x"].std()  # "slope 2.474 and intercept 3.985"
    assert f"{z_slope:.3f}" == "2.474"
    assert f"{17.549004 - z_slope * run.namespace['x'].mean():.3f}" == "3.985"
    assert "Five random starts, one bottom" in only_figure(run, axes=1)


def check_held_out(run: Run) -> None:
    rows = table_rows(run, ["degree 1 polynomial", "degree 12 polynomial"])
    assert rows["degree 12 polynomial"][0] == 1.0  # "threads all 13 training points"
    assert rows["degree 12 polynomial"][1] < -100  # "hundreds of times worse"
    line_train, line_test = rows["degree 1 polynomial"]
    assert abs(line_train - line_test) < 0.1 and line_test > 0.9  # "about the same on both"
    assert "A perfect fit to the training points" in only_figure(run, axes=1)


def check_leverage(run: Run) -> None:
    assert run.line(r"clean data:\s+slope (\S+)").group(1) == "2.474"
    end = floats(run.line(r"typo at the largest x: (.*)").group(1))
    middle = floats(run.line(r"typo at the median x: (.*)").group(1))
    assert 3.6 < end[0] < 3.8 and abs(end[1] - 2.474) < 0.05  # Huber keeps the slope
    assert abs(middle[0] - 2.5) < 0.1 and f"{middle[0]:.2f}" == "2.56"  # "2.56 here"
    assert "A robust loss shrugs off the typo" in only_figure(run, axes=1)


def check_anscombe(run: Run) -> None:
    lines = run.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:  # "the same line 0.5x + 3 and the same R² ≈ 0.67"
        assert "y = 0.500x + 3.00" in line and abs(floats(line.split("R² =")[1])[0] - 0.667) < 0.002
    assert "Anscombe's quartet: one line, four stories" in only_figure(run, axes=8)


def check_tree(run: Run) -> None:
    r2 = {name: float(run.line(rf"^{re.escape(name)}\s+R² on new points: (\S+)").group(1))
          for name in ["straight line", "degree-2 polynomial", "tree, depth 3"]}  # fmt: skip
    # "both beat the straight line by far; the degree-2 polynomial wins here"
    assert r2["degree-2 polynomial"] > r2["tree, depth 3"] > r2["straight line"] + 0.2
    assert "Curved data: a polynomial and a tree" in only_figure(run, axes=1)


def check_sklearn_project(run: Run) -> None:
    mean, spread = floats(run.line(r"R² on held-out folds: (.*)").group(1))
    assert 0.9 < mean < 1 and spread < 0.05
    inside = floats(run.line(r"area 100 m².*predicted price\s+(\S+)").group(1))[0]
    outside = floats(run.line(r"area 400 m².*predicted price\s+(\S+)").group(1))[0]
    truth = 3.0 * 100 - 1.2 * 10 - 4.0 * 5 + 60
    assert abs(inside - truth) < 15 and outside > 3 * inside  # the line goes on, straight
    assert not run.figures


# --------------------------------------------------------------------------- running them

CHECKS: dict[str, Callable[[Run], None]] = {
    "main": check_main,
    "loss": check_loss,
    "polyfit": check_polyfit,
    "normal-equation": check_normal_equation,
    "inverse": check_inverse,
    "gradient-descent": check_gradient_descent,
    "random-starts": check_random_starts,
    "descent-animation": check_descent_animation,
    "r-squared": check_r_squared,
    "held-out": check_held_out,
    "curved": check_curved,
    "outlier": check_outlier,
    "leverage": check_leverage,
    "correlated": check_correlated,
    "polynomial": check_polynomial,
    "anscombe": check_anscombe,
    "tree": check_tree,
    "sklearn": check_sklearn,
    "sklearn-project": check_sklearn_project,
    "linreg-summary": check_linreg_summary,
    "linreg-pipeline": check_linreg_pipeline,
    "check": check_check,
    "poly-degrees": check_poly_degrees,
    "poly-validation": check_poly_validation,
    "poly-sklearn": check_poly_sklearn,
    "poly-conditioning": check_poly_conditioning,
    "multi-fit": check_multi_fit,
    "multi-correlated": check_multi_correlated,
    "multi-standardise": check_multi_standardise,
    "multi-remedies": check_multi_remedies,
    "lr-curves": check_lr_curves,
    "lr-limit": check_lr_limit,
    "lr-valley": check_lr_valley,
    "lr-animation": check_lr_animation,
    "lr-sweep": check_lr_sweep,
}

CELL_IDS = [found.cell_id for found in snippets()]


def test_every_cell_has_a_check_and_every_check_a_cell() -> None:
    assert sorted(CELL_IDS) == sorted(CHECKS)
    assert len(CELL_IDS) == len(set(CELL_IDS))


def test_every_page_has_several_snippets_and_the_main_one_opens_the_lesson() -> None:
    pages: dict[str, list[str]] = {}
    for found in snippets():
        pages.setdefault(found.page, []).append(found.cell_id)
    assert pages["index.md"][0] == "main"
    assert set(pages) == {
        "index.md",
        "polynomial-regression.md",
        "correlated-features.md",
        "learning-rate.md",
    }
    assert all(len(cells) >= 4 for cells in pages.values())


@pytest.mark.parametrize("cell_id", CELL_IDS)
def test_the_snippet_runs_on_its_own_and_says_what_the_page_says(cell_id: str) -> None:
    run = shipped_run(cell_id)
    assert run.status == "ok", run.output
    assert run.stderr == "", run.stderr  # no warnings, no tracebacks
    CHECKS[cell_id](run)


@pytest.mark.parametrize("cell_id", CELL_IDS)
def test_the_snippet_is_self_contained_seeded_and_fits_the_editor(cell_id: str) -> None:
    code = snippet(cell_id).code
    assert all(len(line) <= 88 for line in code.splitlines()), "a line wider than the editor"
    if "rng" in code:
        assert re.search(r"default_rng\(\d+\)", code), "random data must be seeded"
    for figure in shipped_run(cell_id).figures:  # every plot is described for screen readers
        assert "plot titled “" in figure.alt, figure.alt
        assert "unlabelled” and" not in figure.alt and "and y axis “unlabelled" not in figure.alt


def test_the_same_seed_gives_the_same_printout_twice() -> None:
    first = run_code(snippet("main").code, "main-again")
    assert first.stdout == shipped_run("main").stdout
    assert math.isclose(first.namespace["slope_gd"], shipped_run("main").namespace["slope_gd"])
