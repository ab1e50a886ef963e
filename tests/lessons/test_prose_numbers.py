"""The numbers the lessons' prose quotes are the numbers their cells compute.

Each entry names a phrase of the prose, exactly as a learner reads it (line breaks count as
spaces), the cell whose run it describes, and how to write the phrase from that run.  The
test runs the cell as shipped (CPython), writes the phrase from what it computed, and looks
for it in the page: change the code, or the text, and the two can no longer silently
disagree.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lesson_snippets import LESSONS, Run, shipped_run


def least_squares_loss(run: Run) -> float:
    x, y = run.namespace["x"], run.namespace["y"]
    slope, intercept = np.polyfit(x, y, 1)
    return float(np.sum((y - (slope * x + intercept)) ** 2))


def typo(run: Run) -> str:
    ns = run.namespace
    i = ns["i"]
    return f"({ns['y_typo'][i]:.1f} instead of {ns['y'][i]:.2f})"


def largest_stable_rate(run: Run) -> str:
    """η < 2 / λ_max of the MSE's Hessian (2/n)ZᵀZ, Z = [1, z] with standardised z."""
    z = run.namespace["z"]
    Z = np.column_stack([np.ones_like(z), z])
    hessian = 2 / len(z) * Z.T @ Z
    return f"({2 / np.linalg.eigvalsh(hessian).max():.3g} for this data"


def r_squared_of_case(run: Run, index: int) -> float:
    _, y, y_hat = run.namespace["cases"][index]
    return float(1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2))


def z_weights_in_x_units(run: Run) -> str:
    w0, w1 = run.namespace["ends"][0]
    x = run.namespace["x"]
    slope = w1 / x.std()
    return f"slope {slope:.3f} and intercept {w0 - slope * x.mean():.3f}"


def anscombe_line(run: Run) -> str:
    lines = run.stdout.splitlines()
    slopes = {re.search(r"y = (\S+)x", line).group(1) for line in lines}
    intercepts = {re.search(r"x \+ (\S+),", line).group(1) for line in lines}
    r2 = {round(float(line.split("R² = ")[1]), 2) for line in lines}
    assert len(slopes) == len(intercepts) == len(r2) == 1, lines
    slope, intercept, (r2_value,) = float(*slopes), float(*intercepts), r2
    return f"line $\\hat y = {slope:g}x + {intercept:g}$ and the same $R^2 \\approx {r2_value:g}$"


def held_out_train_r2(run: Run) -> str:
    return "($R^2 = " + run.line(r"degree 12 polynomial\s+(\S+)").group(1) + "$)"


def summary_slope(run: Run) -> str:
    model = run.namespace["model"]
    slope, se = model.coef_[0], model.stderr_[1]
    return f"The slope is ${slope:.3f}$ with a standard error of ${se:.3f}$"


def truth_in_standard_errors(run: Run) -> str:
    model = run.namespace["model"]
    slope, se = model.coef_[0], model.stderr_[1]
    return f"$(2.5 - {slope:.3f}) / {se:.3f} \\approx {(2.5 - slope) / se:.1f}$ away"


def slope_interval(run: Run) -> str:
    low, high = run.namespace["model"].conf_int(alpha=0.05)[1]
    return f"runs from ${low:.3f}$ to ${high:.3f}$: it contains the true 2.5"


# (page, cell, phrase as the run writes it)
PROSE: list[tuple[str, str, Callable[[Run], str]]] = [
    ("index.md", "loss", lambda run: f'"$L = {least_squares_loss(run):.0f}$" says little'),
    ("index.md", "outlier", typo),
    ("index.md", "gradient-descent", largest_stable_rate),
    ("index.md", "r-squared", lambda run: f"$R^2 = {r_squared_of_case(run, 1):.2f}$: the line"),
    (
        "index.md",
        "r-squared",
        lambda run: f"accounts for {100 * r_squared_of_case(run, 1):.0f}% of the **variance**",
    ),
    ("index.md", "random-starts", z_weights_in_x_units),
    ("index.md", "held-out", held_out_train_r2),
    ("index.md", "anscombe", anscombe_line),
    ("index.md", "linreg-summary", summary_slope),
    ("index.md", "linreg-summary", truth_in_standard_errors),
    ("index.md", "linreg-summary", slope_interval),
    (
        "index.md",
        "linreg-summary",
        lambda run: "Here " + run.line(r"band: (\d+) of").group(1) + " of the 100 points",
    ),
]


def prose(page: str) -> str:
    """The page's Markdown outside code fences, line breaks as spaces."""
    text = re.sub(r"^```.*?^```$", "", (LESSONS / page).read_text(), flags=re.M | re.S)
    return re.sub(r"\s*\n\s*", " ", text)


@pytest.mark.parametrize(("page", "cell_id", "phrase"), PROSE, ids=[c for _, c, _ in PROSE])
def test_the_prose_quotes_what_the_cell_computes(
    page: str, cell_id: str, phrase: Callable[[Run], str]
) -> None:
    run = shipped_run(cell_id)
    assert run.status == "ok", run.output
    written = phrase(run)
    assert written in prose(page), f"{page} should say {written!r} (from cell {cell_id})"
