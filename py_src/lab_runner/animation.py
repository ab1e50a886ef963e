"""Gradient descent, animated in the page: the line moving from its first guess to the fit.

A learner (or a lesson snippet) runs gradient descent for a few learning rates and hands
the recorded steps to :func:`animate_descent`::

    histories = {rate: linreg.LinearRegression(solver="gd", learning_rate=rate)
                       .fit(x, y).history_ for rate in (0.01, 0.1)}
    animate_descent(x, y, histories)

It sends one payload through :func:`lab_runner.display`, with MIME type
``application/vnd.lab.descent+json``; ``web/js/descent-animation.js`` draws it: the
scatter plot with the moving line, the loss curve beside it, play/pause, step, and a slider
over the learning rates.  All the frames travel in that one payload (no round trip to
Python while the slider moves), so each history is thinned to at most ``max_frames``
frames, always keeping the first and the last.

The loss shown is recomputed here for every frame as the mean squared error of that frame's
line, ``L(w₀, w₁) = (1/n) Σᵢ (yᵢ - (w₁xᵢ + w₀))²``, so every run is measured on the same
scale whatever its history recorded.  Each run gets a status:

- ``"diverged"``: the weights or the loss overflowed (the frames stop at the last finite
  one), or the last loss is above the first: the learning rate is too large;
- ``"converged"``: the last loss is within a millionth (relative) of the least-squares minimum;
- ``"descending"``: still on the way down when the history ends (a learning rate so
  small that it crawls, or too few steps).

``zigzag`` says whether the slope overshot the fit back and forth (a large learning rate
that still converges); ``convergedAt`` is the first recorded step from which a converged
run stays within that millionth.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from lab_runner.streams import display

MIME = "application/vnd.lab.descent+json"
MAX_FRAMES = 400
MAX_POINTS = 1000
MAX_RUNS = 8
CONVERGED_RELATIVE_GAP = 1e-6


def animate_descent(
    x: Iterable[float],
    y: Iterable[float],
    runs: Any,
    *,
    learning_rate: float | None = None,
    selected: float | None = None,
    title: str = "Gradient descent fits a line",
    x_label: str = "x",
    y_label: str = "y",
    max_frames: int = MAX_FRAMES,
) -> dict:
    """Animate gradient descent fitting ``y ≈ w₁x + w₀`` in the page; return the payload.

    ``runs`` is either one history or a mapping ``{learning_rate: history}`` (at most
    eight).  A history can be

    - linreg's: a ``History`` (``model.history_``, ``result.history``,
      ``DivergenceError.history``), a fitted ``LinearRegression`` or a
      ``GradientDescentResult``;
    - a dict with ``"w"`` (one ``[w₀, w₁]`` per step) and optionally ``"step"``;
    - a sequence of ``(w₀, w₁)`` or ``(w₀, w₁, loss)`` records, one per step.

    ``learning_rate`` labels a single history; ``selected`` is the learning rate shown
    first (by default the smallest one that converges, or else the smallest).
    """
    x_values, y_values = _data(x, y)
    if not isinstance(max_frames, int) or max_frames < 2:
        raise ValueError(f"max_frames must be a whole number ≥ 2, not {max_frames!r}.")
    # {learning_rate: history}, or one history (a dict of lists has a "w" key, not a rate)
    several = isinstance(runs, Mapping) and "w" not in runs
    mapping = runs if several else {learning_rate: runs}
    if not mapping:
        raise ValueError("animate_descent needs at least one history to animate.")
    if len(mapping) > MAX_RUNS:
        raise ValueError(
            f"animate_descent shows at most {MAX_RUNS} learning rates at once, "
            f"not {len(mapping)}: pick fewer."
        )

    fit_w0, fit_w1 = _least_squares(x_values, y_values)
    fit_loss = _mse(x_values, y_values, np.array([fit_w0]), np.array([fit_w1]))[0]
    built = []
    for rate, history in mapping.items():
        steps, w0, w1 = _records(history)
        built.append(_run(rate, steps, w0, w1, x_values, y_values, fit_w1, fit_loss, max_frames))
    built.sort(key=lambda run: (run["learningRate"] is None, run["learningRate"] or 0.0))

    shown_x, shown_y = _thin_points(x_values, y_values)
    payload = {
        "version": 1,
        "title": str(title),
        "xLabel": str(x_label),
        "yLabel": str(y_label),
        "n": len(x_values),
        "x": _rounded(shown_x),
        "y": _rounded(shown_y),
        "fit": {"w0": _round(fit_w0), "w1": _round(fit_w1), "loss": _round(fit_loss)},
        "runs": built,
        "selected": _selected_index(built, selected),
    }
    display(MIME, json.dumps(payload, allow_nan=False, separators=(",", ":")))
    return payload


# --------------------------------------------------------------------------- the data


def _data(x: Iterable[float], y: Iterable[float]) -> tuple[np.ndarray, np.ndarray]:
    try:
        x_values = np.asarray(x, dtype=float).ravel()
        y_values = np.asarray(y, dtype=float).ravel()
    except (TypeError, ValueError) as error:
        raise ValueError(f"x and y must be numbers: {error}") from None
    if len(x_values) != len(y_values):
        raise ValueError(
            f"x has {len(x_values)} values but y has {len(y_values)}: they must pair up."
        )
    if len(x_values) < 2:
        raise ValueError("animate_descent needs at least two points.")
    if not (np.isfinite(x_values).all() and np.isfinite(y_values).all()):
        raise ValueError("x and y must be finite numbers (no NaN or infinity).")
    if np.ptp(x_values) == 0:
        raise ValueError("all the x values are equal, so no line fits them better than another.")
    return x_values, y_values


def _least_squares(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The line the descent is heading for: lstsq on the design matrix [1, x]."""
    X = np.column_stack([np.ones_like(x), x])
    (w0, w1), *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(w0), float(w1)


def _mse(x: np.ndarray, y: np.ndarray, w0: np.ndarray, w1: np.ndarray) -> np.ndarray:
    """Mean squared error of each line (w0[k], w1[k]) on the data; inf where it overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        errors = y[None, :] - (w1[:, None] * x[None, :] + w0[:, None])
        loss = np.mean(errors**2, axis=1)
    return np.where(np.isfinite(loss), loss, np.inf)


def _thin_points(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(x) <= MAX_POINTS:
        return x, y
    keep = np.linspace(0, len(x) - 1, MAX_POINTS).round().astype(int)
    return x[keep], y[keep]


# --------------------------------------------------------------------------- the runs


def _records(history: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steps, w₀ and w₁ from any of the accepted history shapes."""
    if hasattr(history, "history_"):  # a fitted linreg.LinearRegression
        if history.history_ is None:
            raise ValueError('this model has no history: fit it with solver="gd" to record one.')
        return _records(history.history_)
    if hasattr(history, "history"):  # a GradientDescentResult or a DivergenceError
        return _records(history.history)
    if hasattr(history, "to_dict"):  # linreg's History
        history = history.to_dict()
    if isinstance(history, Mapping):
        if "w" not in history:
            raise ValueError('a history given as a dict needs a "w" list (one [w0, w1] per step).')
        weights = _weight_rows(history["w"])
        steps = history.get("step")
        steps = np.arange(len(weights)) if steps is None else np.asarray(steps, dtype=float)
        if len(steps) != len(weights):
            raise ValueError(f"the history has {len(steps)} steps but {len(weights)} weights.")
        return steps, weights[:, 0], weights[:, 1]
    weights = _weight_rows(history)
    return np.arange(len(weights), dtype=float), weights[:, 0], weights[:, 1]


def _weight_rows(rows: Any) -> np.ndarray:
    """(w₀, w₁) per step from records (w₀, w₁) or (w₀, w₁, loss)."""
    try:
        array = np.array([list(np.ravel(row))[:2] for row in rows], dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"each step of a history must be (w0, w1) or (w0, w1, loss): {error}"
        ) from None
    if array.ndim != 2 or array.shape[1] != 2 or len(array) == 0:
        raise ValueError(
            "each step of a history must be (w0, w1) or (w0, w1, loss), intercept first, "
            "and the history must have at least one step."
        )
    return array


def _run(
    rate: Any,
    steps: np.ndarray,
    w0: np.ndarray,
    w1: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    fit_w1: float,
    fit_loss: float,
    max_frames: int,
) -> dict:
    """One learning rate's frames, thinned, with its status."""
    loss = _mse(x, y, w0, w1)
    finite = np.isfinite(w0) & np.isfinite(w1) & np.isfinite(loss)
    overflowed = not finite.all()
    if overflowed:  # keep the frames up to the first one that is not a number any more
        cut = int(np.argmin(finite))
        if cut == 0:
            raise ValueError("the first step of a history must be finite numbers.")
        steps, w0, w1, loss = steps[:cut], w0[:cut], w1[:cut], loss[:cut]
    # relative to the minimum, or to the spread of y when the points lie on a line (min ≈ 0)
    gaps = (loss - fit_loss) / max(fit_loss, 1e-9 * float(np.var(y)), 1e-300)
    close = gaps <= CONVERGED_RELATIVE_GAP
    if overflowed or (len(loss) > 1 and loss[-1] > loss[0]):
        status = "diverged"
    elif close[-1]:
        status = "converged"
    else:
        status = "descending"
    # the first recorded step from which the loss stays within a millionth of the minimum
    settled = None
    if status == "converged":
        far = np.flatnonzero(~close)  # steps still farther than that
        settled = int(steps[far[-1] + 1]) if far.size else int(steps[0])
    side = np.sign(w1 - fit_w1)
    side = side[side != 0]
    flips = int(np.count_nonzero(side[1:] != side[:-1]))
    keep = _frames_to_keep(len(steps), max_frames)
    learning_rate = _learning_rate(rate)
    return {
        "learningRate": learning_rate,
        "label": f"{learning_rate:g}" if learning_rate is not None else "",
        "status": status,
        "overflowed": overflowed,
        "zigzag": flips >= 3,
        "convergedAt": settled,
        "recorded": len(steps),
        "steps": [int(s) for s in steps[keep]],
        "w0": _rounded(w0[keep]),
        "w1": _rounded(w1[keep]),
        "loss": _rounded(loss[keep]),
    }


def _learning_rate(rate: Any) -> float | None:
    if rate is None:
        return None
    try:
        value = float(rate)
    except (TypeError, ValueError):
        raise ValueError(f"learning rates must be numbers, not {rate!r}.") from None
    if not math.isfinite(value):
        raise ValueError(f"learning rates must be finite, not {rate!r}.")
    return value


def _frames_to_keep(count: int, max_frames: int) -> np.ndarray:
    """Indices of the frames to send: all of them, or every one of the first quarter
    (where the line moves most) and evenly spaced ones after, always ending on the last."""
    if count <= max_frames:
        return np.arange(count)
    head = max_frames // 4
    tail = np.linspace(head, count - 1, max_frames - head).round().astype(int)
    return np.unique(np.concatenate([np.arange(head), tail]))


def _selected_index(runs: list[dict], selected: float | None) -> int:
    if selected is not None:
        rates = [run["learningRate"] for run in runs]
        for index, rate in enumerate(rates):
            if rate is not None and math.isclose(rate, float(selected)):
                return index
        raise ValueError(f"selected={selected!r} is not one of the learning rates {rates}.")
    converged = [i for i, run in enumerate(runs) if run["status"] == "converged"]
    return converged[0] if converged else 0


def _round(value: float) -> float:
    """Nine significant digits: plenty for drawing, and a third of the JSON."""
    return float(f"{value:.9g}")


def _rounded(values: np.ndarray) -> list[float]:
    return [_round(v) for v in values.tolist()]
