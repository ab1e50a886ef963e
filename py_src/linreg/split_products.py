"""Nearly exact products X·w and Xᵀr with ordinary BLAS calls (Ozaki's splitting).

Double-double arithmetic (`exact_arithmetic`) makes every product and sum exact one element
at a time: dozens of NumPy passes over the n×p entries of X. This module gets nearly the
same precision from matrix products instead. The idea (Ozaki, Ogita, Oishi, Rump, 2012): cut
each number into slices with few significant bits, all on a common grid,

    a = a₁ + a₂ + a₃,   a₁ a multiple of U,  a₂ a multiple of U·2⁻ᵝ,  a₃ the small rest,

so that the product of two slices has at most 2β bits and a sum of m such products at most
2β + log₂ m bits. When that is ≤ 53, every partial sum is an integer multiple of the grid
unit below 2⁵³ units: exactly representable, so BLAS computes it WITHOUT rounding, in any
order, with or without fused multiply-adds. Products that involve a rest a₃ are rounded, but
they are about 2⁻⁴⁰ times smaller than the result, so their rounding errors stay near 2⁻⁹⁰
of the terms: plenty for iterative refinement (which needs the residual to a few digits of
its own, small, size).

    extract(a, unit)                          a = hi + lo exactly, hi on the grid `unit`
    sum_split(a)                              Σa as hi + lo, from exact NumPy sums of slices
    augmented_residual_split(X, r, w, y, g)   [y - r - Xw;  g - Xᵀr], like the double-double
                                              `exact_arithmetic.augmented_residual`

The work, in chunks of rows that stay in the CPU cache: six elementwise passes to slice X,
five matrix-vector products, and TwoSum on the n results (O(n), not O(np)).
"""

from __future__ import annotations

import math

import numpy as np

ENTRIES_PER_CHUNK = 32768  # a chunk of X and its slices stay in the CPU cache


def extract(a: np.ndarray, unit: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """hi = a rounded to a multiple of `unit` (a power of two), lo = a - hi; both exact.

    With σ = 0.75·2⁵³·unit, the spacing of doubles near σ is exactly `unit`, so
    hi = fl(fl(a + σ) - σ) is a rounded to that grid (needs |a| ≤ 2⁵¹·unit).
    """
    sigma = 0.75 * 2.0**53 * unit
    hi = (a + sigma) - sigma
    return hi, a - hi


def extract_into(a: np.ndarray, unit: float, hi: np.ndarray, lo: np.ndarray) -> None:
    """`extract` into the given arrays (hi = a on the grid `unit`, lo = a - hi), allocating
    nothing: fresh temporaries of a chunk's size cost more than the arithmetic on them."""
    sigma = 0.75 * 2.0**53 * unit
    np.add(a, sigma, out=hi)
    np.subtract(hi, sigma, out=hi)
    np.subtract(a, hi, out=lo)


def two_difference_into(a, b, s: np.ndarray, e: np.ndarray, t: np.ndarray) -> None:
    """`exact_arithmetic.two_difference` into s and e (s = fl(a - b), a - b = s + e exactly)
    with t as scratch, allocating nothing; s, e, t must not overlap a or b."""
    np.subtract(a, b, out=s)
    np.subtract(a, s, out=t)  # b_virtual
    np.add(s, t, out=e)  # a_virtual
    np.subtract(a, e, out=e)  # a - a_virtual
    np.subtract(t, b, out=t)  # b_virtual - b
    np.add(e, t, out=e)


def _power_of_two_above(a: np.ndarray) -> np.ndarray:
    """2ᵉ with a < 2ᵉ (a ≥ 0); 1 where a = 0."""
    _, exponent = np.frexp(a)
    return np.ldexp(1.0, exponent)


def sum_split(a: np.ndarray) -> tuple[float, float] | None:
    """Σaᵢ as hi + lo, to about 2⁻¹⁰⁰ of Σ|aᵢ|: a = a₁ + a₂ + a₃ with a₁, a₂ on grids of
    b = 52 - ⌈log₂ n⌉ bits below max |a|, so that NumPy sums Σa₁ and Σa₂ exactly (in any
    order); Σa₃ is 2⁻²ᵇ smaller, its rounding negligible. None near over- or underflow."""
    n = a.size
    bits = min(50, 52 - math.ceil(math.log2(max(n, 2))))
    top = float(_power_of_two_above(max(float(a.max()), -float(a.min()))))
    if not 2.0**-800 <= top <= 2.0**800:
        return None
    a1, rest = extract(a, top * 2.0**-bits)
    a2, a3 = extract(rest, top * 2.0 ** (-2 * bits))
    parts = [float(np.sum(a1)), float(np.sum(a2)), float(np.sum(a3))]
    hi = math.fsum(parts)
    return hi, math.fsum([*parts, -hi])


def slice_bits(p: int) -> int:
    """β with 2p products of β-bit slices summing exactly: 2p·2²ᵝ ≤ 2⁵³."""
    return (53 - math.ceil(math.log2(2 * p))) // 2


def augmented_residual_split(
    X: np.ndarray,
    r: np.ndarray,
    w: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    x_max: float | None = None,
    rows_per_chunk: int | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """[y - r - Xw;  g - Xᵀr] to about 2⁻⁹⁰ of the terms' size, by split products.

    X is n×p; r, y are n×k; w, g are p×k; x_max bounds |X| (computed if not given). X is cut
    on the grid U (2ᵝU above x_max) into X = X₁ + X₂ + X₃, and each column of w on the grid
    c (2ᵝc above max |w|·U) / U into w = w₁ + w₂ + w₃, so that every product X₁ᵢⱼw₁ⱼ is a
    multiple of c: then X₁w₁ and X₁w₂ + X₂w₁ = [X₁ X₂]·[w₂; w₁] are exact, and

        Xw = X₁w₁ + (X₁w₂ + X₂w₁) + (X w₃ + X₂w₂ + X₃(w₁ + w₂))      (the last part small).

    r is cut into r₁ + r₂ (βᵣ bits each, m·2^(β+βᵣ) ≤ 2⁵³ for a chunk of m rows) + r₃, so
    each chunk's [X₁ X₂]ᵀ[r₁ r₂] is exact and Xᵀr = Σ exact + (Xᵀr₃ + X₃ᵀ(r₁ + r₂)); the
    chunks' exact sums are added in double-double. Returns None when a grid would leave the
    range of doubles (values near over- or underflow): use the double-double residual then.
    """
    n, p = X.shape
    k = w.shape[1]
    beta = slice_bits(p)
    # chunks of ≈ ENTRIES_PER_CHUNK entries of X, and columns of at most 15000 rows (< 128 kB:
    # the C library then reuses memory instead of asking the OS for fresh pages each time)
    m = min(rows_per_chunk or max(64, ENTRIES_PER_CHUNK // p), 15000, n)
    beta_r = 52 - beta - math.ceil(math.log2(m)) if m > 1 else 50 - beta
    if x_max is None:
        x_max = max(float(X.max()), -float(X.min()))
    U = float(_power_of_two_above(x_max)) * 2.0**-beta
    c = _power_of_two_above(np.max(np.abs(w), axis=0) * U) * 2.0**-beta  # k
    rho = _power_of_two_above(np.maximum(r.max(axis=0), -r.min(axis=0))) * 2.0**-beta_r  # k
    w_units = c / U  # k
    grids = np.concatenate([[U], w_units, rho])
    if not (grids.min() >= 2.0**-800 and grids.max() <= 2.0**800):
        return None
    w1, rest = extract(w, w_units)
    w2, w3 = extract(rest, w_units * 2.0**-beta)
    w_cross, w12 = np.concatenate([w2, w1]), w1 + w2  # [X₁ X₂]·[w₂; w₁] = X₁w₂ + X₂w₁

    f = np.empty((n, k))
    exact_parts: list[list[np.ndarray]] = [[] for _ in range(k)]
    small = np.zeros((p, k))
    s1, s2 = 0.75 * 2.0**53 * U, 0.75 * 2.0**53 * U * 2.0**-beta
    S = np.empty((m, 2 * p), order="F")  # [X₁ X₂] of one chunk of rows
    X3 = np.empty((m, p), order="F")
    work = np.empty((10, m))  # the O(n) vectors of a chunk, reused: no fresh temporaries
    for start in range(0, n, m):  # everything in cache-sized pieces, even the O(n) work
        rows = slice(start, start + m)
        Xc = X[rows]
        Sc, X3c = S[: len(Xc)], X3[: len(Xc)]
        X1, X2 = Sc[:, :p], Sc[:, p:]
        np.add(Xc, s1, out=X1)  # the slices, in place (see extract)
        np.subtract(X1, s1, out=X1)
        np.subtract(Xc, X1, out=X3c)
        np.add(X3c, s2, out=X2)
        np.subtract(X2, s2, out=X2)
        np.subtract(X3c, X2, out=X3c)
        s_a, s_b, e1, e2, e3, t, product, r1, r2, r3 = work[:, : len(Xc)]
        for j in range(k):  # one right-hand side at a time: matrix-vector products are fastest
            rc = r[rows, j]
            # f = y - r - Xw = (y - r) - X₁w₁ - (X₁w₂ + X₂w₁) - (the small part), with TwoSum
            two_difference_into(y[rows, j], rc, s_a, e1, t)
            two_difference_into(s_a, np.matmul(X1, w1[:, j], out=product), s_b, e2, t)
            two_difference_into(s_b, np.matmul(Sc, w_cross[:, j], out=product), s_a, e3, t)
            small_part = np.matmul(Xc, w3[:, j], out=product)
            small_part += np.matmul(X2, w2[:, j], out=t)
            small_part += np.matmul(X3c, w12[:, j], out=t)
            e1 += e2
            e1 += e3
            e1 -= small_part
            np.add(s_a, e1, out=f[rows, j])
            # Xᵀr = [X₁ X₂]ᵀr₁ + [X₁ X₂]ᵀr₂ (exact) + Xᵀr₃ + X₃ᵀ(r₁ + r₂)
            extract_into(rc, rho[j], r1, r3)
            extract_into(r3, rho[j] * 2.0**-beta_r, r2, r3)
            exact_parts[j] += [Sc.T @ r1, Sc.T @ r2]
            small[:, j] += Xc.T @ r3 + X3c.T @ np.add(r1, r2, out=t)
    # g - Xᵀr, each entry a correctly rounded sum (math.fsum) of g, the exact parts and -small
    h = np.empty((p, k))
    for j in range(k):
        exact = np.array(exact_parts[j]).reshape(-1, p)  # [X₁ X₂]ᵀrₜ: X₁ᵀrₜ and X₂ᵀrₜ
        terms = np.concatenate([g[None, :, j], -exact, -small[None, :, j]])
        h[:, j] = [math.fsum(column) for column in terms.T.tolist()]
    return f, h
