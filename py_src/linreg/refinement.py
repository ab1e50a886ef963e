"""What iterative refinement returns, and when it stops: shared by both accurate solvers.

Refinement repeats  w ← w + (a correction solved with approximate factors)  where the
correction's right-hand side is computed in extra precision. The corrections shrink by a
factor ρ per step (ρ from the condition number, or as observed, whichever is larger); the
loop stops as soon as the next correction would be lost in rounding, or when the corrections
stop shrinking (stuck at rounding level, or hopeless).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linreg.exact_arithmetic import ROUNDING


@dataclass(frozen=True)
class Refinement:
    """Solution w (and residual r = y - Xw) of a least-squares problem, and how the
    refinement went. sse: Σr², when the solver computed it more accurately than from r."""

    r: np.ndarray | None  # None when the caller asked for w alone
    w: np.ndarray
    steps: int
    corrections: list[float]  # largest relative change of w at each refinement step
    converged: bool
    sse: float | None = None


def relative_change(dw: np.ndarray, w: np.ndarray) -> float:
    """max |Δwᵢ| / |wᵢ| over the nonzero entries (componentwise: every coefficient counts);
    inf when w is all zeros but Δw is not, nan when Δw is not finite."""
    ratios = [
        abs(d) / abs(v) for d, v in zip(dw.ravel().tolist(), w.ravel().tolist(), strict=True) if v
    ]
    if not ratios:
        return 0.0 if not dw.any() else float("inf")
    return max(ratios) if all(r == r for r in ratios) else float("nan")


def verdict(change: float, previous: float, rate: float, dw: np.ndarray, w: np.ndarray):
    """After a correction of relative size `change` (the one before: `previous`):
    True (converged), False (stalled: not converged) or None (go on)."""
    if change * max(rate, change / previous) <= ROUNDING:
        return True  # the next correction would be lost in rounding
    if change > previous / 2:  # not contracting: stuck at rounding level, or hopeless
        return bool(np.linalg.norm(dw) <= 2.0**-40 * np.linalg.norm(w))
    return None
