"""Goodness of fit: residuals, MSE, RMSE, R² and adjusted R².

The mean of y is computed in double-double arithmetic, so deviations from it keep their
digits even when the mean is large compared with the spread.
"""

from __future__ import annotations

import numpy as np

from linreg._validation import validate_y
from linreg.exact_gram import sum_exactly


def _pair(y, y_hat) -> tuple[np.ndarray, np.ndarray]:
    y = validate_y(y, "y")
    y_hat = validate_y(y_hat, "y_hat")
    if y.size != y_hat.size:
        raise ValueError(
            f"y has {y.size} values but y_hat has {y_hat.size}; they must match point by point."
        )
    return y, y_hat


def sum_of_squares(v: np.ndarray) -> float:
    """Σ vᵢ². The terms are all positive, so nothing cancels: NumPy's pairwise summation is
    accurate to about log₂(n) rounding errors. (The care goes into v itself: residuals from
    the refined solve, deviations from a mean computed in double-double.)"""
    return float(np.sum(v * v))


def residuals(y, y_hat) -> np.ndarray:
    """eᵢ = yᵢ - ŷᵢ: what the model misses at each point."""
    y, y_hat = _pair(y, y_hat)
    return y - y_hat


def mse(y, y_hat) -> float:
    """Mean squared error: (1/n) Σ (yᵢ - ŷᵢ)²."""
    e = residuals(y, y_hat)
    return sum_of_squares(e) / e.size


def rmse(y, y_hat) -> float:
    """Root mean squared error: √MSE, in the units of y."""
    return float(np.sqrt(mse(y, y_hat)))


def deviations_from_mean(y: np.ndarray) -> np.ndarray:
    """yᵢ - ȳ, with the mean ȳ = mean_hi + mean_lo in double-double (Σy from exact sums of
    slices of y, exact_gram.sum_exactly)."""
    hi, lo = (float(part) for part in sum_exactly(y, double_double=True))
    mean_hi = hi / y.size
    mean_lo = ((hi - mean_hi * y.size) + lo) / y.size
    return (y - mean_hi) - mean_lo


def total_sum_of_squares(y: np.ndarray, centered: bool = True) -> float:
    """SST = Σ (yᵢ - ȳ)² (centered) or Σ yᵢ² (uncentered, for a model without intercept)."""
    return sum_of_squares(deviations_from_mean(y) if centered else y)


def r_squared(y, y_hat, *, centered: bool = True) -> float:
    """R² = 1 - SSE/SST: the share of the variation in y that the model explains.

    SSE = Σ(yᵢ - ŷᵢ)² and SST = Σ(yᵢ - ȳ)². For a model without an intercept pass
    centered=False: SST = Σyᵢ² (the uncentered R², as regression references define it).
    """
    y, y_hat = _pair(y, y_hat)
    sst = total_sum_of_squares(y, centered)
    if sst == 0:
        raise ValueError("R² is undefined: y has no variation (every value is the same).")
    return 1.0 - sum_of_squares(y - y_hat) / sst


def adjusted_r_squared(y, y_hat, n_features: int, *, centered: bool = True) -> float:
    """Adjusted R² = 1 - (1 - R²)(n - 1)/(n - p - 1), p = number of features (not counting the
    intercept). It only rises when a new feature helps more than chance would.

    Without an intercept (centered=False) it is 1 - (1 - R²)·n/(n - p).
    """
    y, y_hat = _pair(y, y_hat)
    n = y.size
    n_params = n_features + 1 if centered else n_features
    if n <= n_params:
        raise ValueError(
            f"Adjusted R² needs more points than parameters: n = {n}, parameters = {n_params}."
        )
    degrees_total = n - 1 if centered else n
    r2 = r_squared(y, y_hat, centered=centered)
    return 1.0 - (1.0 - r2) * degrees_total / (n - n_params)
