"""Exact least squares of float data, in rational arithmetic, as the yardstick for accuracy.

Every double is a rational number, so the least-squares problem of the float data has an exact
answer: solve the normal equations XᵀX w = Xᵀy in `fractions.Fraction`, where nothing rounds.
(Squaring the condition number only hurts in floating point.) Standard errors need (XᵀX)⁻¹,
which comes from the same Gauss–Jordan elimination.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np


@dataclass(frozen=True)
class ExactFit:
    w: np.ndarray  # coefficients, rounded once to double
    stderr: np.ndarray
    residual_std: float
    r_squared: float  # centered if the design has an intercept column, else uncentered
    sse: float
    sst: float  # Σ(y - ȳ)² if centered, else Σy²
    gram_inverse: tuple[tuple[Fraction, ...], ...]  # (XᵀX)⁻¹, exact
    w_exact: tuple[Fraction, ...]

    def predict(self, x0) -> float:
        """x₀ᵀw exactly, rounded once."""
        return float(sum(Fraction(float(v)) * wj for v, wj in zip(x0, self.w_exact, strict=True)))

    def leverage(self, x0) -> float:
        """x₀ᵀ(XᵀX)⁻¹x₀ exactly, rounded once (x₀ includes its 1 for the intercept)."""
        x = [Fraction(float(v)) for v in x0]
        G = self.gram_inverse
        return float(sum(x[i] * G[i][j] * x[j] for i in range(len(x)) for j in range(len(x))))


def exact_least_squares(X: np.ndarray, y: np.ndarray, centered: bool = True) -> ExactFit:
    n, p = X.shape
    Xf = [[Fraction(float(v)) for v in row] for row in X]
    yf = [Fraction(float(v)) for v in y]
    # Gauss–Jordan on [XᵀX | Xᵀy | I]
    A = []
    for i in range(p):
        row = [sum(Xf[k][i] * Xf[k][j] for k in range(n)) for j in range(p)]
        row.append(sum(Xf[k][i] * yf[k] for k in range(n)))
        row.extend(Fraction(int(i == j)) for j in range(p))
        A.append(row)
    for col in range(p):
        pivot = next(r for r in range(col, p) if A[r][col] != 0)
        A[col], A[pivot] = A[pivot], A[col]
        inv = 1 / A[col][col]
        A[col] = [v * inv for v in A[col]]
        for r in range(p):
            if r != col and A[r][col] != 0:
                factor = A[r][col]
                A[r] = [a - factor * b for a, b in zip(A[r], A[col], strict=True)]
    w = [A[i][p] for i in range(p)]
    inverse_diagonal = [A[i][p + 1 + i] for i in range(p)]
    gram_inverse = tuple(tuple(A[i][p + 1 : 2 * p + 1]) for i in range(p))
    residuals = [yf[k] - sum(Xf[k][j] * w[j] for j in range(p)) for k in range(n)]
    sse = sum(r * r for r in residuals)
    if centered:
        mean = sum(yf) / n
        sst = sum((v - mean) ** 2 for v in yf)
    else:
        sst = sum(v * v for v in yf)
    s2 = sse / (n - p)
    return ExactFit(
        w=np.array([float(v) for v in w]),
        stderr=np.array([math.sqrt(float(s2 * c)) for c in inverse_diagonal]),
        residual_std=math.sqrt(float(s2)),
        r_squared=float(1 - sse / sst),
        sse=float(sse),
        sst=float(sst),
        gram_inverse=gram_inverse,
        w_exact=tuple(w),
    )


def digits(approx, exact) -> float:
    """Correct significant digits of the worst entry: -log10 max |approx - exact| / |exact|.

    This is the "log relative error" used to grade software on NIST's StRD; where the exact
    value is 0 (a perfect fit has zero residuals and standard errors) the error is absolute.
    """
    approx = np.atleast_1d(np.asarray(approx, dtype=float))
    exact = np.atleast_1d(np.asarray(exact, dtype=float))
    if not np.all(np.isfinite(approx)):
        return 0.0
    scale = np.where(exact == 0, 1.0, np.abs(exact))
    error = np.max(np.abs(approx - exact) / scale)
    return float(np.clip(-np.log10(max(error, 1e-17)), 0.0, 17.0))
