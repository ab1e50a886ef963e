"""The fast path of the default fit: the normal equations, made accurate.

The textbook warning about XᵀXw = Xᵀy is about rounding: XᵀX rounded to doubles has lost
the digits that tell nearly parallel columns apart, and solving with it squares κ(X). For
well-conditioned X (κ(R) ≤ 10⁴ after scaling) two changes remove the cause:

1. XᵀX, Xᵀy and yᵀy are computed to about 2⁻⁹⁰ of their terms and kept as double-double
   hi + lo (`exact_gram`: Ozaki's slices of [X y] and one BLAS product).
2. The solve is refined with the exact gradient,

       w₀ = C·Xᵀy,    wₖ₊₁ = wₖ + C·(Xᵀy - XᵀX·wₖ),

   C the inverse of the rounded XᵀX (C·XᵀX = I + F with ‖F‖ ≈ κ(X)²·u), formed once.
   Xᵀy - XᵀX·wₖ is summed without loss from the double-double Gram
   (`DoubleDoubleMatrix.residual`). C only preconditions, so each step shrinks the error by
   ρ ≈ κ(X)²·u ≤ 10⁻⁸, and what is left is the Gram's own error: about κ²·2⁻⁹⁰ ≤ 10⁻¹⁹ of
   the terms, far below rounding. κ(X) = κ(R) = √κ(XᵀX): from the 2×2 formulas for a line,
   else bounded by ‖XᵀX‖∞‖C‖∞ (the eigenvalues decide only when that bound says no).

What it does differently from the readable Householder QR (`qr`), and why: no QR of X at
all. The O(np) work is slicing X once and one product WᵀW of 3(p + 1) columns, which BLAS
runs near its peak, and everything after that is (p + 1)×(p + 1). The columns' scaling by
powers of two comes from the Gram's diagonal (‖Xⱼ‖²), and scales the Gram exactly, so X
itself is never copied or scaled. The residual r = y - Xw
is formed once at the end in plain double; Σr² comes from the Gram (yᵀy - 2wᵀXᵀy + wᵀXᵀXw,
summed exactly), which keeps its digits even when the fit is nearly perfect. The standard
errors and leverages, which the Householder path reads from its R⁻¹, are refined the same
way: diag((XᵀX)⁻¹) from XᵀX·V = I, and h = zᵀv from XᵀX·v = z. Both paths give the same
answers to 15 digits (tested); harder problems (κ(R) > 10⁴) take the Householder QR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from linreg.exact_arithmetic import ROUNDING
from linreg.exact_gram import DoubleDoubleMatrix, exact_gram, halves, product_terms, sum_exactly
from linreg.refinement import Refinement, relative_change, verdict

FAST_CONDITION = 1e4  # the largest κ(R) the fast path takes

DoubleDouble = tuple[np.ndarray, np.ndarray]  # hi + lo


@dataclass(frozen=True)
class Solved:
    """V with A·V = B after refinement, the residual B - A·V at that V, and the record."""

    V: np.ndarray
    residual: np.ndarray
    steps: int
    corrections: list[float]
    converged: bool


@dataclass(frozen=True)
class RefinedNormal:
    """The exact Gram of [XD y] (or of XD), D = diag(scale) the column scaling by powers of
    two, C = the inverse of its rounded (XD)ᵀXD, and κ. Everything after the Gram works on
    the scaled columns, as the Householder path does; X itself is kept as given."""

    X: np.ndarray
    scale: np.ndarray  # D: each column's length ‖Xⱼ‖·dⱼ in [0.5, 1)
    gram: DoubleDouble  # ZᵀZ for Z = [XD y], or (XD)ᵀXD when no y was given
    y: np.ndarray | None  # the y of the Gram's last row and column
    XtX: DoubleDoubleMatrix
    C: np.ndarray  # ((XD)ᵀXD rounded)⁻¹: the preconditioner
    condition: float  # κ(XD) = κ(R) (R from XD = QR) = √κ((XD)ᵀXD)

    @classmethod
    def factor(cls, X: np.ndarray, y: np.ndarray | None = None) -> RefinedNormal | None:
        """None when κ > 10⁴, XᵀX is not positive definite, or values are near overflow."""
        gram = exact_gram(X, y)
        if gram is None:
            return None
        p = X.shape[1]
        lengths_squared = np.diag(gram[0]).tolist()[:p]  # ‖Xⱼ‖², exact to rounding
        if not all(lengths_squared):
            return None  # a column of zeros: the Householder path says so by name
        # dⱼ = 2⁻ᵉ with ‖Xⱼ‖ = m·2ᵉ, 0.5 ≤ m < 1 (scaling.power_of_two_below, on p floats)
        d = [math.ldexp(1.0, -math.frexp(math.sqrt(g))[1]) for g in lengths_squared]
        scale = np.array(d)
        gram = _scaled(gram, d)
        XtX = DoubleDoubleMatrix(gram[0][:p, :p], gram[1][:p, :p])
        C, condition = _inverse_and_condition(XtX.hi)
        if not condition <= FAST_CONDITION:
            return None  # κ(XᵀX) > 10⁸, or not positive definite (rank deficient)
        return cls(X, scale, gram, y, XtX, C, condition)

    def contraction(self) -> float:
        """ρ ≈ 16·κ²·u: how much each refinement step shrinks the error."""
        return 16 * ROUNDING * self.condition**2

    def solve(
        self, y: np.ndarray, max_steps: int = 10, residuals: bool = True
    ) -> Refinement | None:
        """Least squares for y: w (in X's units, D times the w of the scaled columns XD)
        and r = y - Xw (None with residuals=False). None when y's values are near
        overflow."""
        gram = self.gram if y is self.y else exact_gram(self.X, y)
        if gram is None:
            return None
        if y is not self.y:
            gram = _scaled(gram, self.scale.tolist())
        p = self.X.shape[1]
        Xty = (gram[0][:p, p:], gram[1][:p, p:])
        solved = self.refine(Xty, max_steps)
        w = solved.V[:, 0]
        sse = _sum_of_squared_residuals(gram[0][p, p], gram[1][p, p], w, Xty, solved.residual)
        w = w * self.scale
        r = y - self.X @ w if residuals else None
        return Refinement(r, w, solved.steps, solved.corrections, solved.converged, sse)

    def refine(
        self, B: DoubleDouble, max_steps: int = 10, watch: np.ndarray | None = None
    ) -> Solved:
        """V with XᵀX·V = B (B p×q, double-double): V = C·B, then refined with
        V += C·(B - XᵀX·V) until V stops changing (entries in `watch`, default all)."""
        V = self.C @ B[0]
        rate, previous, converged = self.contraction(), 1.0, False
        corrections: list[float] = []
        residual = None
        for _ in range(max_steps):
            E = self.XtX.residual(B[0], B[1], V)
            dV = self.C @ E
            V, previous_V = V + dV, V
            # B - A·V at the new V. Not E - A·dV: V + dV is rounded, and that rounding
            # moves the residual by as much as its own size; V - previous_V is exact.
            residual = E - self.XtX.hi @ (V - previous_V)
            dW, W = (dV, V) if watch is None else (dV[watch], V[watch])
            change = relative_change(dW, W)
            if not math.isfinite(change):  # values near overflow: stop where we were
                V, residual = previous_V, E
                break
            corrections.append(change)
            done = verdict(change, previous, rate, dW, W)
            if done is not None:
                converged = done
                break
            previous = change
        if residual is None:
            residual = B[0] - self.XtX.hi @ V
        return Solved(V, residual, len(corrections), corrections, converged)

    def inverse_gram_diagonal(self) -> np.ndarray:
        """diag((XᵀX)⁻¹) from XᵀX·V = I, refined (watching the diagonal only)."""
        p = self.X.shape[1]
        identity = (np.eye(p), np.zeros((p, p)))
        return np.diag(self.refine(identity, watch=np.eye(p, dtype=bool)).V).copy()

    def leverages(self, Z: np.ndarray) -> np.ndarray:
        """h = zᵀ(XᵀX)⁻¹z for each column z of Z (p×m), from v = (XᵀX)⁻¹z refined.

        zᵀv can cancel (terms far larger than h), so v is carried to beyond double precision
        as v + δv, δv = C·(z - XᵀXv) the next correction, and zᵀv + zᵀδv is summed
        exactly: an ordinary dot product would lose the digits the cancellation takes.
        """
        solved = self.refine((Z, np.zeros_like(Z)))
        dV = self.C @ solved.residual
        terms = [product_terms(Z.T, solved.V.T), Z.T * dV.T]  # (m, 4p) and (m, p)
        return sum_exactly(np.concatenate(terms, axis=-1))


def _sum_of_squared_residuals(yty_hi, yty_lo, w, Xty, g) -> float:
    """‖y - Xw‖² = yᵀy - 2wᵀXᵀy + wᵀXᵀXw = yᵀy - wᵀXᵀy - wᵀg with g = Xᵀy - XᵀXw (small),
    every product wⱼ·(Xᵀy)ⱼ split into exact terms (Veltkamp halves) and the whole sum made
    by math.fsum, so the digits survive the cancellation of a nearly perfect fit. O(p), in
    plain Python floats."""
    terms = [float(yty_hi), float(yty_lo)]
    for w_j, b_hi, b_lo, g_j in zip(
        w.tolist(), Xty[0][:, 0].tolist(), Xty[1][:, 0].tolist(), g[:, 0].tolist(), strict=True
    ):
        w1, w2 = halves(w_j)
        b1, b2 = halves(b_hi)
        terms += [-w1 * b1, -w1 * b2, -w2 * b1, -w2 * b2, -w_j * b_lo, -w_j * g_j]
    return max(0.0, math.fsum(terms))


def _scaled(gram: DoubleDouble, d: list[float]) -> DoubleDouble:
    """The Gram of [XD y] from that of [X y]: entry (j, k) times dⱼdₖ (d = 1 for y's column).
    Powers of two: exact."""
    d = np.array(d + [1.0] * (len(gram[0]) - len(d)))
    D = d[:, None] * d
    return gram[0] * D, gram[1] * D


def _inverse_and_condition(A: np.ndarray) -> tuple[np.ndarray, float]:
    """A⁻¹ and √κ(A) (= κ(X) for A = XᵀX) of a Gram matrix A (symmetric, positive
    semidefinite); κ = inf (or beyond 10⁴) when A is singular or nearly.

    A line with an intercept (2×2) takes the formulas: λ_max = m + √(h² + b²) with m, h the
    mean and half-difference of the diagonal, λ_min = det/λ_max (no cancellation), and
    A⁻¹ = [d -b; -b a]/det, a few Python floats where numpy.linalg's calls cost tens of
    microseconds each. Larger A: A⁻¹ from numpy.linalg.inv, and κ bounded by
    ‖A‖∞·‖A⁻¹‖∞ ≥ κ₂(A); only when that bound is too large to take the fast path do the
    eigenvalues decide (the bound is at most k times too large).
    """
    if A.shape == (2, 2):
        (a, b), (_, d) = A.tolist()
        largest = (a + d) / 2 + math.hypot((a - d) / 2, b)
        det = a * d - b * b
        if not (det > 0 and largest > 0):
            return A, math.inf
        return np.array([[d, -b], [-b, a]]) / det, math.sqrt(largest * largest / det)
    try:
        inverse = np.linalg.inv(A)
    except np.linalg.LinAlgError:
        return A, math.inf
    bound = float(np.abs(A).sum(axis=1).max() * np.abs(inverse).sum(axis=1).max())
    if bound <= FAST_CONDITION**2:
        return inverse, math.sqrt(bound)
    eigenvalues = np.linalg.eigvalsh(A)  # ascending
    if not eigenvalues[0] > 0:
        return inverse, math.inf
    return inverse, math.sqrt(eigenvalues[-1] / eigenvalues[0])
