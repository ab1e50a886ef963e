"""The fast path of the default fit: LAPACK's R and the corrected semi-normal equations.

The readable Householder QR (`qr.householder_qr`) is the version the lesson teaches: Python
loops over the columns, Q kept as its reflections. The fast path computes the same least-
squares solution (the tests check both give the same numbers to 15 digits) in three
different ways, each for speed:

1. R comes from LAPACK, `numpy.linalg.qr(X, mode="r")`: blocked Householder in compiled
   code, and Q is never formed.
2. Without Q, the augmented system [I X; Xᵀ 0][r; w] = [f; g] is solved through the
   semi-normal equations

       RᵀR w = Xᵀf - g,    r = f - Xw,    i.e.  w = R⁻¹(R⁻ᵀ(Xᵀf - g)),

   with R⁻¹ (p×p) formed once, so a solve is two matrix-vector products with X and two tiny
   ones. Alone this squares the condition number, as the normal equations do; refined
   ("corrected semi-normal equations", Björck 1987) each step shrinks the error by
   ρ ≈ κ(R)²·u instead of κ(R)·u. So it is used only where κ(R) ≤ 10⁴ after scaling
   (ρ ≈ 10⁻⁸): every harder problem takes the readable Householder QR.
3. The refinement's residual [y - r - Xw; g - Xᵀr] comes from exact products of slices of X
   (`split_products`: matrix-vector products in BLAS) instead of elementwise double-double
   arithmetic over all n×p entries. It is accurate to about 2⁻⁹⁰ of the size of its terms
   (tested against exact rationals) instead of double-double's ≈ 2⁻¹⁰⁶; the error that
   leaves in w, at most about κ²·2⁻⁹⁰ ≤ 10⁻¹⁹ of the terms, is far below rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from linreg.exact_arithmetic import ROUNDING, augmented_residual
from linreg.split_products import augmented_residual_split

FAST_CONDITION = 1e4  # the largest κ(R) the fast path takes


@dataclass(frozen=True)
class SemiNormalR:
    """R from LAPACK (X = QR, Q not stored), its inverse and its condition number κ(R)."""

    X: np.ndarray
    R: np.ndarray
    R_inv: np.ndarray
    condition: float
    x_max: float  # a bound on |Xᵢⱼ| for the split products: the longest column's length

    @classmethod
    def factor(cls, X: np.ndarray) -> SemiNormalR | None:
        """R from LAPACK; None when κ(R) > 10⁴ (then X is too ill-conditioned for this path)."""
        R = np.linalg.qr(X, mode="r")
        sigma = np.linalg.svd(R, compute_uv=False)  # singular values, largest first
        condition = float(sigma[0] / sigma[-1]) if sigma[-1] > 0 else math.inf
        if not condition <= FAST_CONDITION:
            return None
        # |Xᵢⱼ| ≤ ‖Xⱼ‖ = ‖column j of R‖ (Q keeps lengths), with a margin for rounding
        x_max = float(np.sqrt(np.max(np.einsum("ij,ij->j", R, R)))) * (1 + 2.0**-20)
        return cls(X, R, np.linalg.inv(R), condition, x_max)

    def solve_augmented(self, f: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """[I X; Xᵀ 0][r; w] = [f; g]:  w = R⁻¹(R⁻ᵀ(Xᵀf - g)),  r = f - Xw."""
        w = self.R_inv @ (self.R_inv.T @ (self.X.T @ f - g))
        return f - self.X @ w, w

    def augmented_residual(self, X, r, w, y, g) -> tuple[np.ndarray, np.ndarray]:
        """[y - r - Xw;  g - Xᵀr] by split products; in double-double only when the values
        are so close to over- or underflow that the slices would leave the range of doubles."""
        split = augmented_residual_split(X, r, w, y, g, self.x_max)
        return augmented_residual(X, r, w, y, g) if split is None else split

    def contraction(self) -> float:
        """ρ ≈ 16·κ(R)²·u: how much each refinement step shrinks the error."""
        return 16 * ROUNDING * self.condition**2
