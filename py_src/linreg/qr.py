"""Least squares by Householder QR, with column scaling and iterative refinement.

The problem: minimise ‖y - Xw‖². Write X = QR with Q orthogonal and R upper triangular;
Q does not change lengths, so ‖y - Xw‖ = ‖Qᵀy - Rw‖ and the answer solves R w = (Qᵀy)[:p].
Unlike the normal equations, this never squares the condition number of X.

Three steps make it as accurate as the float data allow:

1. Column scaling by powers of two. Each column is multiplied by 2ᵏ so that its length is
   about 1. Multiplying by a power of two only changes the exponent, so nothing is rounded.
2. Householder QR. Each reflection H = I - τvvᵀ zeroes one column below the diagonal; applied
   to the remaining block it is a rank-1 update, written with NumPy array operations.
3. Iterative refinement of the augmented system (Björck, 1967)

       [ I   X ] [ r ]   [ y ]
       [ Xᵀ  0 ] [ w ] = [ 0 ]        (r = y - Xw is the residual, Xᵀr = 0 at the optimum),

   whose own residual is computed in double-double arithmetic (see `exact_arithmetic`) and
   whose corrections are solved with the same QR factors. Each step multiplies the error by
   about κ(X)·2⁻⁵³, so two or three steps reach full double precision even when the first
   solve kept only a few digits. Refining r together with w is what recovers the digits on
   problems with large residuals, where refining w alone does not.

This is the version the lesson teaches. The default fit takes a faster route to the same
answer when X is well-conditioned (κ ≤ 10⁴ after scaling): the normal equations with XᵀX
computed exactly and the solve refined (see `refined_normal`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from linreg._validation import (
    IllConditionedWarning,
    check_full_rank,
    design_column_names,
    validate_design,
    warn,
)
from linreg.exact_arithmetic import ROUNDING, augmented_residual
from linreg.refined_normal import RefinedNormal
from linreg.refinement import Refinement, relative_change, verdict
from linreg.scaling import power_of_two_scaling


@dataclass(frozen=True)
class HouseholderQR:
    """X = Q R with Q = H₁H₂…Hₚ, Hₖ = I - τₖvₖvₖᵀ.

    vₖ is stored in column k of V from row k down, where the reflections made X zero (as
    LAPACK does); the entries above row k belong to R and are never read from V.
    """

    V: np.ndarray
    tau: np.ndarray
    R: np.ndarray

    def apply_qt(self, b: np.ndarray) -> np.ndarray:
        """Qᵀb = Hₚ…H₂H₁b for a vector or a matrix b of n rows."""
        b = np.array(b, dtype=float)
        for k in range(len(self.tau)):
            _reflect(self.V[k:, k], self.tau[k], b[k:])
        return b

    def apply_q(self, b: np.ndarray) -> np.ndarray:
        """Qb = H₁H₂…Hₚb for a vector or a matrix b of n rows."""
        b = np.array(b, dtype=float)
        for k in reversed(range(len(self.tau))):
            _reflect(self.V[k:, k], self.tau[k], b[k:])
        return b

    def solve_augmented(self, f: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return solve_augmented(self, f, g)

    def augmented_residual(self, X, r, w, y, g) -> tuple[np.ndarray, np.ndarray]:
        """The refinement's residual, in double-double (exact_arithmetic.augmented_residual)."""
        return augmented_residual(X, r, w, y, g)

    @cached_property
    def condition(self) -> float:
        """κ(R) = σ_max/σ_min, from the singular values of the small p×p matrix R."""
        return float(np.linalg.cond(self.R))

    @cached_property
    def R_inv(self) -> np.ndarray:  # noqa: N802 (R, the matrix of the formulas)
        """R⁻¹, column by column: R·(column j of R⁻¹) = eⱼ."""
        return back_substitution(self.R, np.eye(self.R.shape[0]))

    def contraction(self) -> float:
        """ρ ≈ 16·κ(R)·u: how much each refinement step shrinks the error."""
        return 16 * ROUNDING * self.condition


def _reflect(v: np.ndarray, tau: float, b: np.ndarray) -> None:
    """b ← (I - τvvᵀ) b, in place: a rank-1 update, b -= v ⊗ (τ vᵀb)."""
    z = tau * (v @ b)
    if b.ndim == 1:
        b -= z * v
    else:
        for j in range(b.shape[1]):  # column by column: no n×p temporary
            b[:, j] -= z[j] * v


def householder_qr(X: np.ndarray) -> HouseholderQR:
    """Householder QR of an n×p matrix (n ≥ p).

    For k = 1…p, with x the k-th column from the diagonal down:
        α = -sign(x₁)‖x‖,  v = x - αe₁,  τ = 2/(vᵀv) = -1/(α v₁),  so that Hx = αe₁.
    The sign of α avoids cancellation in v₁ = x₁ - α. H is then applied to the columns to
    the right — one rank-1 update of the (n-k)×(p-k) block per reflection.
    """
    V = np.array(X, dtype=float, order="F")  # columns contiguous: every step works on columns
    p = V.shape[1]
    tau, alpha = np.zeros(p), np.zeros(p)
    for k in range(p):
        v = V[k:, k]  # x, turned into v in place
        norm_x = float(np.linalg.norm(v))
        if norm_x == 0.0:
            continue  # nothing to zero (τ = 0, H = I); R[k, k] = 0 and the rank check reports it
        alpha[k] = -np.copysign(norm_x, v[0])
        v[0] -= alpha[k]
        tau[k] = -1.0 / (alpha[k] * v[0])
        _reflect(v, tau[k], V[k:, k + 1 :])
    R = np.triu(V[:p, :p], 1) + np.diag(alpha)
    return HouseholderQR(V=V, tau=tau, R=R)


def back_substitution(R: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve R w = b for upper-triangular R: wₖ = (bₖ - Σⱼ₍ⱼ>ₖ₎ Rₖⱼwⱼ) / Rₖₖ, k = p…1."""
    w = np.array(b, dtype=float)
    for k in reversed(range(R.shape[0])):
        w[k] = (w[k] - R[k, k + 1 :] @ w[k + 1 :]) / R[k, k]
    return w


def forward_substitution(L: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve L a = b for lower-triangular L: aₖ = (bₖ - Σⱼ₍ⱼ<ₖ₎ Lₖⱼaⱼ) / Lₖₖ, k = 1…p."""
    a = np.array(b, dtype=float)
    for k in range(L.shape[0]):
        a[k] = (a[k] - L[k, :k] @ a[:k]) / L[k, k]
    return a


def solve_augmented(
    qr: HouseholderQR, f: np.ndarray, g: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Solve [I X; Xᵀ 0][r; w] = [f; g] with X = QR.

    With Qᵀr = [a; b] and Qᵀf = [c₁; c₂]:  Rᵀa = g,  R w = c₁ - a,  r = Q[a; c₂].
    """
    p = qr.R.shape[0]
    c = qr.apply_qt(f)
    a = forward_substitution(qr.R.T, g)
    w = back_substitution(qr.R, c[:p] - a)
    c[:p] = a
    return qr.apply_q(c), w


def refine(
    X: np.ndarray,
    qr: HouseholderQR,
    y: np.ndarray,
    g: np.ndarray,
    max_steps: int = 10,
    watch: np.ndarray | None = None,
) -> Refinement:
    """Solve [I X; Xᵀ 0][r; w] = [y; g] by QR, then refine until w stops changing.

    Step 0 is the plain QR solve. Each later step computes the residual of the augmented
    system in double-double, solves for the correction with the same QR factors and adds it.
    The correction shrinks by a factor ρ ≈ κ(X)·u per step (κ of the scaled X, estimated from
    R, or as observed, whichever is larger); we stop as soon as the next correction would be
    below rounding (relative size ≤ u), or when it stops shrinking. `watch` (a boolean mask
    shaped like w) names the entries whose convergence counts; default: all of them.
    """
    r, w = qr.solve_augmented(y, g)
    watch = np.ones(w.shape, dtype=bool) if watch is None else watch
    rate = qr.contraction()  # the expected contraction ρ
    previous = 1.0  # the first solve is a change of 100% from w = 0
    corrections: list[float] = []
    converged = False
    for _ in range(max_steps):
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            f, h = qr.augmented_residual(X, r, w, y, g)
            dr, dw = qr.solve_augmented(f, h)
        if not (np.isfinite(dr).all() and np.isfinite(dw).all()):
            break  # overflow in the extra-precise residual (values near 1e300): keep r, w
        r, w = r + dr, w + dw
        change = relative_change(dw[watch], w[watch])
        corrections.append(change)
        done = verdict(change, previous, rate, dw[watch], w[watch])
        if done is not None:
            converged = done
            break
        previous = change
    return Refinement(r, w, len(corrections), corrections, converged)


@dataclass(frozen=True)
class ScaledQR:
    """X·diag(scale), factored: the start of every accurate computation here.

    qr is the readable Householder QR of X·diag(scale), or on well-conditioned X the fast
    path (refined_normal.RefinedNormal: the exact Gram of X, scaled, and refined normal
    equations). X is kept as given; X_scaled is made when the Householder path needs it.
    """

    X: np.ndarray
    scale: np.ndarray
    qr: HouseholderQR | RefinedNormal

    @cached_property
    def X_scaled(self) -> np.ndarray:  # noqa: N802 (X, the matrix of the formulas)
        return np.asfortranarray(self.X * self.scale)

    @classmethod
    def factor(
        cls,
        X: np.ndarray,
        names: list[str] | None = None,
        fast: bool = True,
        y: np.ndarray | None = None,
    ) -> ScaledQR:
        """Scale the columns by powers of two, factor, and refuse a rank-deficient X.

        fast=True (the default) first tries the fast path and keeps it when κ(R) ≤ 10⁴ (see
        refined_normal: it takes the scale from its exact XᵀX, ‖Xⱼ‖² on the diagonal);
        otherwise, or with fast=False, the readable Householder QR. Given y, the fast
        path's Gram includes it, so that solve(y) has nothing left to add up.
        """
        X = np.asarray(X, dtype=float)
        if fast:
            refined_normal = RefinedNormal.factor(X, y)
            if refined_normal is not None:  # κ(R) ≤ 10⁴: full rank, no |Rₖₖ| near rounding
                return cls(X, refined_normal.scale, refined_normal)
        scale = power_of_two_scaling(X)
        qr = householder_qr(X * scale)
        check_full_rank(qr.R, names)
        return cls(X, scale, qr)

    def solve(self, y: np.ndarray, max_steps: int = 10, residuals: bool = True) -> Refinement:
        """Least squares for y: w (in the original units) and r = y - Xw, refined.
        residuals=False: r only where the solver has it anyway (the fast path skips it)."""
        solution = None
        if isinstance(self.qr, RefinedNormal):
            solution = self.qr.solve(y, max_steps, residuals)  # None: y near overflow
        if solution is None:
            qr = self.qr if isinstance(self.qr, HouseholderQR) else householder_qr(self.X_scaled)
            p = self.X_scaled.shape[1]
            augmented = refine(self.X_scaled, qr, y[:, None], np.zeros((p, 1)), max_steps)
            w = augmented.w[:, 0] * self.scale  # in the original units
            solution = replace(augmented, r=augmented.r[:, 0], w=w)
        if max_steps > 0 and not solution.converged:
            warn(
                "Iterative refinement did not converge: X is too ill-conditioned for double "
                "precision (or its values are close to overflow), so the coefficients may be "
                "inaccurate.",
                IllConditionedWarning,
            )
        return solution

    def inverse_gram_diagonal(self) -> np.ndarray:
        """diag((XᵀX)⁻¹), the variances of the coefficients up to the factor s².

        With XD = QR (D the scaling): (XᵀX)⁻¹ = D(RᵀR)⁻¹D = D R⁻¹R⁻ᵀ D, whose diagonal is
        dⱼ² times the squared length of row j of R⁻¹. That is accurate to about κ(R)·u, so
        when R is ill-conditioned we refine instead: (XᵀX)⁻¹ is the w-part of the augmented
        system with right-hand side [0; -I] (r + Xw = 0 and Xᵀr = -I give XᵀXw = I). The
        fast path's R comes from the rounded XᵀX (accurate to κ(R)²·u): it always refines.
        """
        if isinstance(self.qr, RefinedNormal):
            return self.qr.inverse_gram_diagonal() * self.scale**2
        p = self.qr.R.shape[0]
        if self.qr.condition * ROUNDING <= 1e-14:  # at most ~100: R⁻¹ keeps 14 digits
            return np.sum(self.qr.R_inv**2, axis=1) * self.scale**2
        n = self.X_scaled.shape[0]
        diagonal = np.eye(p, dtype=bool)  # only the diagonal is needed
        solution = refine(self.X_scaled, self.qr, np.zeros((n, p)), -np.eye(p), watch=diagonal)
        return np.diag(solution.w) * self.scale**2

    def leverages(self, X0: np.ndarray) -> np.ndarray:
        """h = x₀ᵀ(XᵀX)⁻¹x₀ for each row x₀ of X0 (in the original units).

        With z = D x₀ (D the scaling): h = zᵀ(RᵀR)⁻¹z = ‖R⁻ᵀz‖², one triangular solve, accurate
        to about κ(R)·u. When R is ill-conditioned, the refined augmented system with
        right-hand side [0; -z] (as in inverse_gram_diagonal) gives w = (XᵀX)⁻¹z and
        r = -Xw, and h = ‖r‖² = zᵀ(XᵀX)⁻¹XᵀX(XᵀX)⁻¹z: a sum of squares, where zᵀw would
        cancel away the digits. The fast path refines XᵀX·v = z and sums zᵀv exactly.
        """
        Z = (X0 * self.scale).T  # p × m
        if isinstance(self.qr, RefinedNormal):
            return self.qr.leverages(Z)
        if self.qr.condition * ROUNDING <= 1e-14:
            a = forward_substitution(self.qr.R.T, Z)
            return np.sum(a * a, axis=0)
        n = self.X_scaled.shape[0]
        solution = refine(self.X_scaled, self.qr, np.zeros((n, Z.shape[1])), -Z)
        return np.sum(solution.r**2, axis=0)


def residuals_dd(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    """r = y - Xw with the products and sums in double-double, rounded once."""
    n, p = X.shape
    f, _ = augmented_residual(X, np.zeros((n, 1)), w[:, None], y[:, None], np.zeros((p, 1)))
    return f[:, 0]


def lstsq_qr(X, y) -> np.ndarray:
    """Least squares w = argmin ‖y - Xw‖² by Householder QR: solve R w = (Qᵀy)[:p].

    The columns are scaled by powers of two, and the solution is refined on the augmented
    system [I X; Xᵀ 0][r; w] = [y; 0] with residuals in double-double arithmetic, so w is
    accurate to nearly full double precision for any X that is not numerically rank deficient.
    """
    X_valid, y = validate_design(X, y)
    names = design_column_names(X_valid.shape[1])
    return ScaledQR.factor(X_valid, names, y=y).solve(y, residuals=False).w
