"""Gradient descent on the mean squared error, with a history for plots and animations.

    loss      L(w) = (1/n) ‖Xw - y‖²
    gradient  ∇L(w) = (2/n) Xᵀ(Xw - y)
    update    w ← w - η ∇L(w)            (η is the learning rate)

Each epoch costs two matrix-vector products, O(np). The iteration converges when
η < 2/λ_max, λ_max the largest eigenvalue of the loss's Hessian (2/n)XᵀX; past that it
diverges, and we stop and say so instead of returning garbage. Standardising the features
(mean 0, standard deviation 1) makes the Hessian well-conditioned, so one learning rate suits
every coefficient; the weights are still reported in the original units.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from numbers import Real
from typing import NamedTuple

import numpy as np

from linreg._validation import ConvergenceWarning, validate_design, warn


class Step(NamedTuple):
    """One recorded moment of the descent: epoch number, weights (original units), loss."""

    step: int
    w: np.ndarray
    loss: float


@dataclass
class History:
    """The recorded steps, at most `max_records` of them, first and last always kept.

    Every step is recorded until the cap is reached; then every other record is dropped and
    from then on only every 2nd (4th, 8th, …) step is kept. The result is light enough to
    send to a browser for an animation, however many epochs ran.
    """

    max_records: int = 500
    records: list[Step] = field(default_factory=list)
    stride: int = 1

    def add(self, step: int, w: np.ndarray, loss: float, last: bool = False) -> None:
        if step % self.stride == 0 or last:
            self.records.append(Step(step, w, loss))
        while len(self.records) > self.max_records:
            self.stride *= 2
            final = self.records[-1]
            kept = [r for r in self.records[:-1] if r.step % self.stride == 0]
            self.records = [*kept, final]

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.records)

    def __getitem__(self, i: int) -> Step:
        return self.records[i]

    @property
    def steps(self) -> np.ndarray:
        return np.array([r.step for r in self.records], dtype=int)

    @property
    def weights(self) -> np.ndarray:
        """One row of weights per record (intercept first, if the design has one)."""
        return np.array([r.w for r in self.records])

    @property
    def losses(self) -> np.ndarray:
        return np.array([r.loss for r in self.records])

    def to_dict(self) -> dict[str, list]:
        """Plain lists, ready for JSON (e.g. to animate the descent in the browser)."""
        return {
            "step": self.steps.tolist(),
            "w": self.weights.tolist(),
            "loss": self.losses.tolist(),
        }


class DivergenceError(ValueError):
    """Gradient descent blew up: the learning rate is too large. `.history` shows how."""

    def __init__(self, message: str, history: History):
        super().__init__(message)
        self.history = history


@dataclass(frozen=True)
class GradientDescentResult:
    w: np.ndarray
    history: History
    epochs: int  # epochs actually run
    converged: bool


@dataclass(frozen=True)
class _Standardizer:
    """Z = (X - c)/s column by column; a constant (intercept) column is left as it is."""

    center: np.ndarray
    spread: np.ndarray
    intercept_column: int | None
    intercept_value: float  # the constant in that column (usually 1)

    @classmethod
    def fit(cls, X: np.ndarray) -> _Standardizer:
        constant = X.max(axis=0) == X.min(axis=0)
        if constant.any():  # centre the others: the intercept absorbs their means
            intercept = int(np.flatnonzero(constant)[0])
            center = np.where(constant, 0.0, X.mean(axis=0))
            spread = np.where(constant, 1.0, X.std(axis=0))
            return cls(center, spread, intercept, float(X[0, intercept]))
        # no intercept: centring would change the model, so only rescale (by the RMS)
        return cls(np.zeros(X.shape[1]), np.sqrt(np.mean(X**2, axis=0)), None, 1.0)

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (X - self.center) / self.spread

    def original_weights(self, v: np.ndarray) -> np.ndarray:
        """From Zv = Σⱼ vⱼ(xⱼ - cⱼ)/sⱼ: wⱼ = vⱼ/sⱼ, and the intercept absorbs -Σⱼ vⱼcⱼ/sⱼ."""
        w = v / self.spread
        if self.intercept_column is not None:
            w[self.intercept_column] -= (w @ self.center) / self.intercept_value
        return w


def max_stable_learning_rate(X: np.ndarray) -> float:
    """2/λ_max of the Hessian (2/n)XᵀX: the largest η for which gradient descent converges."""
    hessian = 2.0 * (X.T @ X) / X.shape[0]
    return 2.0 / float(np.linalg.eigvalsh(hessian)[-1])


def gradient_descent(
    X,
    y,
    learning_rate: float = 0.01,
    epochs: int = 1000,
    tol: float = 1e-8,
    standardize: bool = True,
    max_records: int = 500,
    patience: int = 5,
) -> GradientDescentResult:
    """Minimise L(w) = (1/n)‖Xw - y‖² by w ← w - η·(2/n)Xᵀ(Xw - y), starting from w = 0.

    Stops when ‖∇L(w)‖ ≤ tol·‖∇L(w₀)‖ (converged) or after `epochs` epochs (with a
    ConvergenceWarning, unless tol = 0, which asks for exactly `epochs` epochs).
    Raises DivergenceError (a ValueError) as soon as the loss becomes inf or NaN, or grows
    `patience` epochs in a row above where it started.

    With standardize=True the descent runs on standardised features (mean 0, standard
    deviation 1; intercept column untouched), and weights, history and loss are reported in
    the original units. The recorded history keeps at most `max_records` steps.
    """
    X, y = validate_design(X, y)
    _check_settings(learning_rate, epochs, tol, max_records)
    scaler = _Standardizer.fit(X) if standardize else None
    Z = scaler.transform(X) if scaler else X

    def original(v: np.ndarray) -> np.ndarray:
        return scaler.original_weights(v) if scaler else v.copy()

    n = X.shape[0]
    history = History(max_records)
    v = np.zeros(X.shape[1])
    error = Z @ v - y
    loss = float(error @ error) / n
    start_loss, grown = loss, 0
    gradient = (2.0 / n) * (Z.T @ error)
    target = tol * float(np.linalg.norm(gradient))
    history.add(0, original(v), loss)
    epoch, converged = 0, float(np.linalg.norm(gradient)) <= target
    while not converged and epoch < epochs:
        epoch += 1
        v = v - learning_rate * gradient
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is caught just below
            error = Z @ v - y
            new_loss = float(error @ error) / n
        grown = grown + 1 if new_loss > loss else 0
        loss = new_loss
        if not math.isfinite(loss) or (grown >= patience and loss > start_loss):
            history.add(epoch, original(v), loss, last=True)
            raise DivergenceError(_divergence_message(learning_rate, Z, history), history)
        gradient = (2.0 / n) * (Z.T @ error)
        converged = float(np.linalg.norm(gradient)) <= target
        if epoch % history.stride == 0 or converged or epoch == epochs:
            history.add(epoch, original(v), loss, last=converged or epoch == epochs)
    if not converged and tol > 0:  # with tol = 0 a fixed number of epochs was asked for
        warn(
            f"Gradient descent used all {epochs} epochs without converging (the gradient is "
            f"still above tol = {tol:g} of its starting size). Increase epochs or the learning "
            f"rate{'' if standardize else ', or use standardize=True'}.",
            ConvergenceWarning,
        )
    return GradientDescentResult(original(v), history, epoch, converged)


def _divergence_message(learning_rate: float, Z: np.ndarray, history: History) -> str:
    first, last = history.records[0], history.records[-1]
    limit = max_stable_learning_rate(Z)
    return (
        f"Gradient descent diverged: with learning_rate={learning_rate:g} the loss went from "
        f"{first.loss:.4g} to {last.loss:.4g} in {last.step} epochs. The learning rate is too "
        f"large: for this data it must be below {limit:.3g} (2/λ_max of the loss's Hessian); "
        f"try {limit / 2:.3g} or smaller."
    )


def _check_settings(learning_rate: float, epochs: int, tol: float, max_records: int) -> None:
    if not (isinstance(learning_rate, Real) and math.isfinite(learning_rate)) or (
        learning_rate <= 0
    ):
        raise ValueError(f"learning_rate must be a positive number, not {learning_rate!r}.")
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 1:
        raise ValueError(f"epochs must be a whole number ≥ 1, not {epochs!r}.")
    if not (isinstance(tol, Real) and tol >= 0):
        raise ValueError(f"tol must be a number ≥ 0, not {tol!r}.")
    if isinstance(max_records, bool) or not isinstance(max_records, int) or max_records < 2:
        raise ValueError(f"max_records must be a whole number ≥ 2, not {max_records!r}.")
