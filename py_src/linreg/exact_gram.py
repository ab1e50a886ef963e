"""ZᵀZ to about 2⁻⁹⁰ of its terms from one ordinary matrix product (Ozaki's splitting).

A Gram matrix ZᵀZ rounded to doubles loses what the normal equations need most: the small
differences between nearly parallel columns. Here it is computed almost exactly with the
speed of BLAS. The idea (Ozaki, Ogita, Oishi, Rump, 2012): cut every column into slices
with few significant bits, all on a common grid,

    Zⱼ = Z₁ⱼ + Z₂ⱼ + Z₃ⱼ,   Z₁ⱼ a multiple of Uⱼ,  Z₂ⱼ of Uⱼ·2⁻ᵝ,  |Z₃ⱼ| ≤ Uⱼ·2⁻ᵝ⁻¹,

so that the product of two slices has at most 2β bits and a sum of m of them at most
2β + log₂ m ≤ 52 bits: every partial sum is a whole number of grid units below 2⁵² units,
exactly representable, and BLAS computes Z₁ᵀZ₁, Z₁ᵀZ₂, Z₂ᵀZ₂ WITHOUT rounding, in any order,
with or without fused multiply-adds. The products with the rest Z₃ are rounded, but they are
2⁻²ᵝ ≈ 2⁻⁴⁰ times smaller, so their errors stay near 2⁻⁹³ of the terms.

All nine blocks come from ONE product WᵀW with W = [Z₁ Z₂ Z₃] (n × 3k), in chunks of rows
that stay in the CPU cache; the chunks' blocks are added with TwoSum, and the blocks
combined into ZᵀZ as hi + lo ("double-double").

    exact_gram(Z)          ZᵀZ as (hi, lo), or None when values are near over- or underflow
    sum_exactly(T)         Σ along the last axis, nearly correctly rounded
    product_terms(a, b)    a·b as four terms that sum to it exactly (for sum_exactly)
    DoubleDoubleMatrix     A = hi + lo, with A.residual(B, V) = B - AV almost exactly
"""

from __future__ import annotations

import math

import numpy as np

from linreg.exact_arithmetic import SPLITTER, two_sum

ENTRIES_PER_CHUNK = 2**18  # a chunk's slices (2 MB) stay in the CPU cache
SMALL = 512  # sums with at most this many terms in all: Python's math.fsum is faster


def extract(a: np.ndarray, unit: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """hi = a rounded to a multiple of `unit` (a power of two), lo = a - hi; both exact.

    With σ = 0.75·2⁵³·unit, the spacing of doubles near σ is exactly `unit`, so
    hi = fl(fl(a + σ) - σ) is a rounded to that grid (needs |a| ≤ 2⁵¹·unit).
    """
    sigma = 0.75 * 2.0**53 * unit
    hi = (a + sigma) - sigma
    return hi, a - hi


def power_of_two_above(a: np.ndarray) -> np.ndarray:
    """2ᵉ with a < 2ᵉ (a ≥ 0); 1 where a = 0."""
    _, exponent = np.frexp(a)
    return np.ldexp(1.0, exponent)


def slice_bits(m: int) -> int:
    """β such that a sum of m products of β-bit slices is exact with a bit to spare:
    2β + ⌈log₂ m⌉ ≤ 52."""
    return (52 - math.ceil(math.log2(max(m, 2)))) // 2


def exact_gram(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """ZᵀZ = hi + lo to about 2⁻⁹⁰ of Σᵢ|Zᵢⱼ||Zᵢₖ| (k×k each); None when a column's largest
    value is beyond 2^±400 (its squares would near over- or underflow)."""
    n, k = Z.shape
    m = max(1, min(n, 16384, ENTRIES_PER_CHUNK // (3 * k)))
    beta = slice_bits(m)
    top = power_of_two_above(np.maximum(Z.max(axis=0), -Z.min(axis=0)))  # per column
    if not (top.max() <= 2.0**400 and top.min() >= 2.0**-400):  # squares stay in range
        return None
    sigma1 = 0.75 * 2.0**53 * top * 2.0**-beta  # see extract
    sigma2 = sigma1 * 2.0**-beta
    W = np.empty((m, 3 * k), order="F")  # [Z₁ Z₂ Z₃] of one chunk
    hi = lo = 0.0
    for start in range(0, n, m):
        Zc = Z[start : start + m]
        if len(Zc) < m:  # the last, shorter chunk: contiguous columns, or BLAS is not used
            W = np.empty((len(Zc), 3 * k), order="F")
        Z1, Z2, Z3 = W[:, :k], W[:, k : 2 * k], W[:, 2 * k :]
        np.add(Zc, sigma1, out=Z1)  # Z₁ = Z on the grid U (in place: no temporaries)
        np.subtract(Z1, sigma1, out=Z1)
        np.subtract(Zc, Z1, out=Z3)
        np.add(Z3, sigma2, out=Z2)  # Z₂ = the rest on the grid U·2⁻ᵝ
        np.subtract(Z2, sigma2, out=Z2)
        np.subtract(Z3, Z2, out=Z3)
        blocks = W.T @ W  # one product: all nine blocks ZₛᵀZₜ
        if start == 0:
            hi = blocks
        else:
            hi, error = two_sum(hi, blocks)
            lo = lo + error
    # ZᵀZ = Σₛₜ ZₛᵀZₜ: each entry the sum of its nine blocks (and their chunks' errors)
    parts = [hi] if start == 0 else [hi, lo]
    terms = np.concatenate(parts).reshape(3 * len(parts), k, 3, k).transpose(1, 3, 0, 2)
    return sum_exactly(terms.reshape(k, k, -1), double_double=True)


def sum_exactly(T: np.ndarray, double_double: bool = False):
    """Σ along the last axis, nearly correctly rounded whatever the cancellation; with
    double_double=True also what rounding left out: (hi, lo) with hi + lo ≈ Σ to ~2⁻¹⁰⁶.

    Few terms (or values near overflow): Python's math.fsum (exact, then rounded once) row
    by row. Many: each row's
    terms are cut on grids below its largest, T = T₁ + T₂ + T₃ with T₁ and T₂ of
    b = 52 - ⌈log₂ m⌉ bits each (m terms), so NumPy sums ΣT₁ and ΣT₂ exactly; ΣT₃ is 2⁻²ᵇ
    smaller and rounded. Then (ΣT₁ + ΣT₂) by TwoSum, plus ΣT₃.
    """
    top = power_of_two_above(np.max(np.abs(T), axis=-1, keepdims=True))
    if T.size <= SMALL or not top.max() <= 2.0**900:  # (near overflow the grids would too)
        rows = T.reshape(-1, T.shape[-1]).tolist()
        hi = np.array([math.fsum(row) for row in rows]).reshape(T.shape[:-1])
        if not double_double:
            return hi
        left = [math.fsum([*row, -h]) for row, h in zip(rows, hi.ravel().tolist(), strict=True)]
        return hi, np.array(left).reshape(T.shape[:-1])
    m = T.shape[-1]
    bits = max(1, 52 - math.ceil(math.log2(max(m, 2))))
    T1, rest = extract(T, top * 2.0**-bits)
    T2, T3 = extract(rest, top * 2.0 ** (-2 * bits))
    s, e = two_sum(T1.sum(axis=-1), T2.sum(axis=-1))
    t = e + T3.sum(axis=-1)
    hi = s + t
    return (hi, t - (hi - s)) if double_double else hi


def product_terms(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a·b (elementwise, broadcast) as four exact terms along a new first axis: a and b cut
    into 26-bit halves (Veltkamp), a₁b₁ + a₁b₂ + a₂b₁ + a₂b₂, each product exact in double
    (barring underflow: |a·b| below about 2⁻⁹⁶⁰)."""
    a_halves, b_halves = halves(a), halves(b)
    products = a_halves[:, None] * b_halves[None, :]
    return products.reshape(4, *products.shape[2:])


def halves(a: np.ndarray) -> np.ndarray:
    """[a₁, a₂] stacked: a = a₁ + a₂ exactly, each with at most 26 significant bits."""
    c = SPLITTER * a
    a1 = c - (c - a)
    return np.stack([a1, a - a1])


class DoubleDoubleMatrix:
    """A k×k matrix A = hi + lo that computes B - A·V almost exactly (`residual`).

    A's high part is cut into halves once; each residual cuts V into halves, forms all the
    exact products of halves in one broadcast multiplication, and sums each entry's terms
    (B's two parts, the four products, lo·V) with sum_exactly.
    """

    def __init__(self, hi: np.ndarray, lo: np.ndarray):
        self.hi, self.lo = hi, lo
        self._minus_halves = -halves(hi)[:, None, :, None, :]  # (2, 1, k, 1, k)
        self._minus_lo = -lo[:, None, :]  # (k, 1, k): 2⁻⁵³ of the terms, its rounding negligible

    def residual(self, B_hi: np.ndarray, B_lo: np.ndarray, V: np.ndarray) -> np.ndarray:
        """B - A·V (B and V k×q), each entry nearly correctly rounded."""
        k, q = V.shape
        V_rows = V.T[None, :, :]  # (1, q, k): the columns of V along the last axis
        products = self._minus_halves * halves(V.T)[None, :, None]  # (2, 2, k, q, k)
        terms = [
            B_hi[:, :, None],
            B_lo[:, :, None],
            products.transpose(2, 3, 0, 1, 4).reshape(k, q, 4 * k),
            self._minus_lo * V_rows,
        ]
        return sum_exactly(np.concatenate(terms, axis=-1))
