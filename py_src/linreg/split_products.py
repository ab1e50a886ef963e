"""Nearly exact products X·v and Xᵀr with ordinary BLAS calls (Ozaki's splitting).

Double-double arithmetic (`exact_arithmetic`) makes every product and sum exact, one element
at a time: dozens of NumPy passes over the n×p entries of X. This module gets the same
precision from matrix products instead. The idea (Ozaki, Ogita, Oishi, Rump, 2012): cut each
number into slices with few significant bits, all on a common grid,

    a = a₁ + a₂ + a₃,   a₁ a multiple of U,  a₂ a multiple of U·2⁻ᵝ,  a₃ the small remainder,

so that the product of two slices has at most 2β bits and a sum of m such products at most
2β + log₂ m bits. When that is ≤ 53, every partial sum is an integer multiple of the grid
unit below 2⁵³ units: exactly representable, so BLAS computes it WITHOUT rounding, in any
order, with or without fused multiply-adds. The products of the remainders are rounded, but
they are 2⁻²ᵝ ≈ 2⁻⁴⁶ times smaller than the result, so their rounding errors (2⁻⁵³ of that)
are far below double-double's 2⁻¹⁰⁶-ish level that refinement needs... almost: ≈ 2⁻⁹⁹.

    extract(a, unit)                     a = hi + lo exactly, hi on the grid `unit`
    augmented_residual_split(X, r, w, y, g)   [y - r - Xw;  g - Xᵀr], as `qr.augmented_residual`

Only O(n) work (the slices of r, TwoSum on the n results) is elementwise; the O(np) work is
six elementwise passes to slice X (in cache-sized chunks) and three matrix products.
"""

from __future__ import annotations

import math

import numpy as np

from linreg.exact_arithmetic import sum_dd, two_sum

ROWS_PER_CHUNK = 4096  # a chunk of X and its slices stay in the CPU cache


def extract(a: np.ndarray, unit: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """hi = a rounded to a multiple of `unit` (a power of two), lo = a - hi; both exact.

    With σ = 0.75·2⁵³·unit, the spacing of doubles near σ is exactly `unit`, so
    hi = fl(fl(a + σ) - σ) is a rounded to that grid (needs |a| ≤ 2⁵¹·unit).
    """
    sigma = 0.75 * 2.0**53 * unit
    hi = (a + sigma) - sigma
    return hi, a - hi


def _power_of_two_above(a: np.ndarray) -> np.ndarray:
    """2ᵉ with a < 2ᵉ (a ≥ 0); 1 where a = 0."""
    _, exponent = np.frexp(a)
    return np.ldexp(1.0, exponent)


def slice_bits(p: int) -> int:
    """β with 2p products of β-bit slices summing exactly: 2p·2²ᵝ ≤ 2⁵³."""
    return (53 - math.ceil(math.log2(2 * p))) // 2


def augmented_residual_split(
    X: np.ndarray,
    r: np.ndarray,
    w: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> tuple[np.ndarray, np.ndarray] | None:
    """[y - r - Xw;  g - Xᵀr] to about 2⁻⁹⁹ of the terms' size, by split products.

    X is n×p; r, y are n×k; w, g are p×k. Column j of X is cut on the grid Uⱼ (2ᵝUⱼ above its
    largest entry) into X = X₁ + X₂ + X₃; w on the grid c/Uⱼ into w = w₁ + w₂ + w₃, so every
    product X₁ᵢⱼw₁ⱼ is a multiple of c and X₁w₁ and X₁w₂ + X₂w₁ = [X₁ X₂]·[w₂; w₁] are exact.
    r is cut into 3 slices of βᵣ bits (plus a remainder) with m·2^(β+βᵣ) ≤ 2⁵³ for a chunk of
    m rows, so each chunk's Xₛᵀrₜ (s ≤ 2, t ≤ 3) is exact; the chunks' sums are added in
    double-double. Returns None when the grid would leave the range of doubles (values near
    the overflow or underflow thresholds): then use the double-double residual instead.
    """
    n, p = X.shape
    k = w.shape[1]
    beta = slice_bits(p)
    m = min(rows_per_chunk, n)
    beta_r = 53 - beta - math.ceil(math.log2(m)) if m > 1 else 50 - beta
    U = _power_of_two_above(np.maximum(X.max(axis=0), -X.min(axis=0))) * 2.0**-beta  # p
    c = _power_of_two_above(np.max(np.abs(w) * U[:, None], axis=0)) * 2.0**-beta  # k
    rho = _power_of_two_above(np.max(np.abs(r), axis=0)) * 2.0**-beta_r  # k
    units = np.concatenate([U, c, rho, U * 2.0**-beta, c * 2.0**-beta, rho * 2.0 ** -(3 * beta_r)])
    if not (units.min() >= 2.0**-900 and units.max() <= 2.0**900):
        return None
    w_units = c[None, :] / U[:, None]  # p×k
    w1, rest = extract(w, w_units)
    w2, w3 = extract(rest, w_units * 2.0**-beta)
    # [X₁ X₂ X₃]·V = [X₁w₁,  X₁w₂ + X₂w₁,  the small rest X₁w₃ + X₂(w₂ + w₃) + X₃w]
    V = np.zeros((3 * p, 3 * k))
    V[:p, :k], V[:p, k : 2 * k], V[:p, 2 * k :] = w1, w2, w3
    V[p : 2 * p, k : 2 * k], V[p : 2 * p, 2 * k :], V[2 * p :, 2 * k :] = w1, w2 + w3, w
    r_slices, rest = [], r
    for t in range(3):
        r_t, rest = extract(rest, rho * 2.0 ** (-beta_r * t))
        r_slices.append(r_t)
    Rs = np.concatenate([*r_slices, rest], axis=1)  # n × 4k: three exact slices, a remainder

    f = np.empty((n, k))
    exact_parts, small = [], np.zeros((p, k))
    s1, s2 = 0.75 * 2.0**53 * U, 0.75 * 2.0**53 * U * 2.0**-beta
    slices = np.empty((m, 3 * p), order="F")  # [X₁ X₂ X₃] of one chunk of rows
    for start in range(0, n, m):
        rows = slice(start, start + m)
        Xc = X[rows]
        S = slices[: len(Xc)]
        X1, X2, X3 = S[:, :p], S[:, p : 2 * p], S[:, 2 * p :]
        np.add(Xc, s1, out=X1)  # the slices, in place (see extract)
        np.subtract(X1, s1, out=X1)
        np.subtract(Xc, X1, out=X3)
        np.add(X3, s2, out=X2)
        np.subtract(X2, s2, out=X2)
        np.subtract(X3, X2, out=X3)
        # f = y - r - Xw = (y - r) - X₁w₁ - (X₁w₂ + X₂w₁) - (the small rest), with TwoSum
        P = S @ V
        s, e1 = two_sum(y[rows], -r[rows])
        s, e2 = two_sum(s, -P[:, :k])
        s, e3 = two_sum(s, -P[:, k : 2 * k])
        f[rows] = s + ((e1 + e2 + e3) - P[:, 2 * k :])
        # Xᵀr: Xₛᵀrₜ exact for s ≤ 2, t ≤ 3; the products with a remainder are small
        Q = S.T @ Rs[rows]  # 3p × 4k
        exact_parts.append(Q[: 2 * p, : 3 * k])
        small += Q[: 2 * p, 3 * k :].reshape(2, p, k).sum(axis=0) + Q[2 * p :].reshape(p, 4, k).sum(
            axis=1
        )
    exact = np.stack(exact_parts).reshape(-1, 2, p, 3, k).transpose(0, 1, 3, 2, 4)
    hi, lo = sum_dd(exact.reshape(-1, p, k), axis=0)
    s, e = two_sum(g, -hi)
    return f, s + (e - (lo + small))
