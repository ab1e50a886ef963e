"""The normal equation w = (XᵀX)⁻¹Xᵀy — the textbook formula, and why it loses digits.

Setting the gradient of ‖y - Xw‖² to zero gives XᵀX w = Xᵀy. It is fast (one p×p system),
but κ(XᵀX) = κ(X)²: every digit the data's conditioning costs, the normal equations cost
twice. Both functions warn with that condition number when it is large.
"""

from __future__ import annotations

import numpy as np

from linreg._validation import IllConditionedWarning, validate_design, warn

# Warn when κ(XᵀX)·u exceeds 1e-6, i.e. fewer than about 6 of 16 digits are safe.
WARN_CONDITION = 1e-6 / 2.0**-53


def _check_conditioning(gram: np.ndarray, method: str) -> float:
    """κ(XᵀX) = σ_max/σ_min; warn if it eats most of the 16 digits of double precision."""
    sigma = np.linalg.svd(gram, compute_uv=False)  # singular values, largest first
    condition = sigma[0] / sigma[-1] if sigma[-1] > 0 else np.inf
    if not np.isfinite(condition) or condition > WARN_CONDITION:
        lost = min(16.0, np.log10(condition)) if np.isfinite(condition) else 16.0
        warn(
            f"XᵀX is ill-conditioned (condition number {condition:.1e}): {method} may lose "
            f"about {lost:.0f} of the 16 significant digits of double precision. "
            f"Use the QR solver (solver='qr'), which works with X itself.",
            IllConditionedWarning,
        )
    return condition


def normal_equation(X, y) -> np.ndarray:
    """Least squares by the normal equation XᵀX w = Xᵀy, solved by a linear solve (LU).

    w = (XᵀX)⁻¹Xᵀy in formula, but computed without forming the inverse.
    """
    X, y = validate_design(X, y)
    gram = X.T @ X
    _check_conditioning(gram, "the normal equation")
    return np.linalg.solve(gram, X.T @ y)


def normal_equation_inv(X, y) -> np.ndarray:
    """w = (XᵀX)⁻¹Xᵀy with an explicit inverse — the lesson's "why not inv()" example.

    Forming the inverse costs more and is less accurate than solving; use `normal_equation`
    (or better, the QR solver) for real work.
    """
    X, y = validate_design(X, y)
    gram = X.T @ X
    _check_conditioning(gram, "inverting XᵀX")
    return np.linalg.inv(gram) @ (X.T @ y)
