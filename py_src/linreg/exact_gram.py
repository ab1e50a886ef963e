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

All nine blocks come from ONE product WᵀW with W = [Z₁ Z₂ Z₃] (n × 3k), in chunks of at most
16384 rows and 8 MB (one buffer, reused from fit to fit); the chunks' blocks are added with
TwoSum, and the blocks combined into ZᵀZ as hi + lo ("double-double").

    exact_gram(X, y)       ZᵀZ for Z = [X y], as (hi, lo); None near over- or underflow
    sum_exactly(T)         Σ along the last axis, nearly correctly rounded
    product_terms(a, b)    a·b as four terms that sum to it exactly (for sum_exactly)
    DoubleDoubleMatrix     A = hi + lo, with A.residual(B, V) = B - AV almost exactly
"""

from __future__ import annotations

import functools
import math
import threading

import numpy as np

from linreg.exact_arithmetic import split, two_sum

ENTRIES_PER_CHUNK = 2**20  # a chunk of slices: 8 MB at most (n = 10⁴ is one chunk up to p ≈ 30)
SMALL = 512  # sums with at most this many terms in all: Python's math.fsum is faster
SMALL_MATRIX = 4  # B - A·V for a vector V and A up to 4×4: in Python floats (measured faster)


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


def exact_gram(X: np.ndarray, y: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """ZᵀZ for Z = [X y] (or Z = X) as hi + lo, to about 2⁻⁹⁰ of Σᵢ|Zᵢⱼ||Zᵢₖ| (k×k each);
    None when a column's largest value is beyond 2^±400 (its squares would near over- or
    underflow).

    Leading columns that are constant and already on their grid (the intercept's column of
    ones, scaled by a power of two) are their own first slice: they enter W once, not three
    times, which makes W a third narrower for a line with an intercept.
    """
    n, p = X.shape
    lowest, highest = X.min(axis=0).tolist(), X.max(axis=0).tolist()
    if y is not None:
        lowest.append(float(y.min()))
        highest.append(float(y.max()))
    k = len(lowest)
    # the power of two above each column's largest |value| (math.frexp: a few floats)
    top = [math.ldexp(1.0, math.frexp(max(a, -b))[1]) for a, b in zip(highest, lowest, strict=True)]
    if not all(2.0**-400 <= t <= 2.0**400 for t in top):  # squares stay in range
        return None
    m = max(1, min(n, 16384, ENTRIES_PER_CHUNK // (3 * k)))
    beta = slice_bits(m)
    sigma = [0.75 * 2.0**53 * t * 2.0**-beta for t in top]  # see extract
    h = min(p, _leading_whole_columns(lowest, highest, sigma))
    s1 = np.array(sigma[h:])
    s2, width = s1 * 2.0**-beta, h + 3 * (k - h)
    W = _slices_buffer(m, width)  # [whole columns, Z₁, Z₂, Z₃] of one chunk
    hi = lo = 0.0
    for start in range(0, n, m):
        rows = slice(start, start + m)
        if n - start < m:  # the last, shorter chunk: contiguous columns, or BLAS is not used
            W = _slices_buffer(n - start, width)
        Z1, Z2, Z3 = W[:, h:k], W[:, k : 2 * k - h], W[:, 2 * k - h : width]
        W[:, :h] = X[rows, :h]
        Z3[:, : p - h] = X[rows, h:]  # Z, then cut in place: Z₁, Z₂ and the rest Z₃
        if y is not None:
            Z3[:, -1] = y[rows]
        np.add(Z3, s1, out=Z1)  # Z₁ = Z on the grid U
        np.subtract(Z1, s1, out=Z1)
        np.subtract(Z3, Z1, out=Z3)
        np.add(Z3, s2, out=Z2)  # Z₂ = the rest on the grid U·2⁻ᵝ
        np.subtract(Z2, s2, out=Z2)
        np.subtract(Z3, Z2, out=Z3)
        blocks = W.T @ W  # one product: every slice of every column against every other
        if start == 0:
            hi = blocks
        else:
            hi, error = two_sum(hi, blocks)
            lo = lo + error
    # ZᵀZ = Σₛₜ ZₛᵀZₜ: each entry the sum of its blocks (and their chunks' errors). `index`
    # points at a zero row and column (W's padding, or one added here) where a whole column
    # has no second and third slice.
    index = _slice_index(k, h, width)
    if start == 0:  # one chunk: its blocks of slices 1 and 2 are exact
        if len(hi) == width:
            hi = np.pad(hi, (0, 1))
        index = index.T  # (3, k)
        return _add_exact_blocks(hi[index[:, None, :, None], index[None, :, None, :]])
    parts = np.zeros((2, width + 1, width + 1))
    parts[0, :width, :width] = hi[:width, :width]
    parts[1, :width, :width] = lo[:width, :width]
    terms = parts[:, index[:, :, None, None], index[None, None, :, :]]  # (2, k, 3, k, 3)
    return sum_exactly(terms.transpose(1, 3, 0, 2, 4).reshape(k, k, -1), double_double=True)


def _add_exact_blocks(B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σₛₜ Bₛₜ as hi + lo for the blocks B[s, t] = ZₛᵀZₜ (k×k) of ONE chunk, where those of
    slices 1 and 2 are exact: B₁₁ + (B₁₂ + B₂₁) by TwoSum (B₁₂ + B₂₁ is exact too, with the
    bit to spare), the small rest in plain double (≈ 2⁻⁴⁰ of the sum, rounded to ≈ 2⁻⁹³),
    then renormalised so that hi is the sum rounded."""
    hi, lo = two_sum(B[0, 0], B[0, 1] + B[1, 0])
    lo += B[1:, 1:].sum(axis=(0, 1)) + (B[0, 2] + B[2, 0])
    total = hi + lo
    return total, lo - (total - hi)


def _leading_whole_columns(lowest: list, highest: list, sigma1: list) -> int:
    """How many leading columns are constant and on their grid (their own first slice)."""
    h = 0
    while h < len(lowest) and lowest[h] == highest[h] == (highest[h] + sigma1[h]) - sigma1[h]:
        h += 1
    return h


@functools.lru_cache(maxsize=64)
def _slice_index(k: int, h: int, width: int) -> np.ndarray:
    """index[j]: the columns of W that hold column j's slices; `width` (a zero row and
    column) where it has fewer than three (the whole columns: one)."""
    index = np.full((k, 3), width)
    index[:h, 0] = np.arange(h)
    index[h:] = h + np.arange(k - h)[:, None] + (k - h) * np.arange(3)
    index.flags.writeable = False
    return index


_scratch = threading.local()  # each thread's room for the slices, kept between fits


def _slices_buffer(rows: int, width: int) -> np.ndarray:
    """Room for the slices, column by column, reused from fit to fit (fresh memory of this
    size comes from the OS page by page, which costs more than the arithmetic on it), with
    zero columns up to a multiple of 4 wide: OpenBLAS computes WᵀW for 8 columns faster
    than for 7 (measured: 64 µs against 129 µs at 10⁴ rows), and a zero column changes no
    sum."""
    padded = -(-width // 4) * 4
    buffer = getattr(_scratch, "buffer", None)
    if buffer is None or buffer.size < rows * padded:
        buffer = _scratch.buffer = np.empty(rows * padded)
    W = buffer[: rows * padded].reshape((rows, padded), order="F")
    W[:, width:] = 0.0
    return W


def sum_exactly(T: np.ndarray, double_double: bool = False):
    """Σ along the last axis, nearly correctly rounded whatever the cancellation; with
    double_double=True also what rounding left out: (hi, lo) with hi + lo ≈ Σ to ~2⁻¹⁰⁶.

    Few terms: Python's math.fsum (exact, then rounded once) row by row. Many: each row's
    terms are cut on grids below its largest, T = T₁ + T₂ + T₃ with T₁ and T₂ of
    b = 52 - ⌈log₂ m⌉ bits each (m terms), so NumPy sums ΣT₁ and ΣT₂ exactly; ΣT₃ is 2⁻²ᵇ
    smaller and rounded. Then (ΣT₁ + ΣT₂) by TwoSum, plus ΣT₃. (Near overflow, where the
    grids would overflow too, math.fsum again.)
    """
    top = None
    if T.size > SMALL:
        top = power_of_two_above(np.max(np.abs(T), axis=-1, keepdims=True))
    if top is None or not top.max() <= 2.0**900:
        rows = T.reshape(-1, T.shape[-1]).tolist()
        hi = [math.fsum(row) for row in rows]
        if not double_double:
            return np.array(hi).reshape(T.shape[:-1])
        lo = [math.fsum([*row, -h]) for row, h in zip(rows, hi, strict=True)]
        return np.array(hi).reshape(T.shape[:-1]), np.array(lo).reshape(T.shape[:-1])
    m = T.shape[-1]
    bits = max(1, 52 - math.ceil(math.log2(max(m, 2))))
    T1, rest = extract(T, top * 2.0**-bits)
    T2, T3 = extract(rest, top * 2.0 ** (-2 * bits))
    s, e = two_sum(T1.sum(axis=-1), T2.sum(axis=-1))
    t = e + T3.sum(axis=-1)
    hi = s + t
    return (hi, t - (hi - s)) if double_double else hi


def product_terms(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a·b (elementwise, same shapes) as four exact terms side by side along the last axis:
    a and b cut into 26-bit halves (Veltkamp), a₁b₁ + a₁b₂ + a₂b₁ + a₂b₂, each product exact
    in double (barring underflow: |a·b| below about 2⁻⁹⁶⁰)."""
    a1, a2 = split(a)
    b1, b2 = split(b)
    return np.concatenate([a1 * b1, a1 * b2, a2 * b1, a2 * b2], axis=-1)


def halves(a: float) -> tuple[float, float]:
    """Veltkamp for one Python float: a = a₁ + a₂ exactly, 26 bits each (exact_arithmetic.split)."""
    c = 134217729.0 * a
    a1 = c - (c - a)
    return a1, a - a1


class DoubleDoubleMatrix:
    """A k×k matrix A = hi + lo that computes B - A·V almost exactly (`residual`).

    For one right-hand side (a vector V) every product Aᵢⱼ·Vⱼ is cut into exact products
    of Veltkamp halves, and each entry's terms are added by sum_exactly: few NumPy calls
    (for A up to 4×4, in Python floats and math.fsum: fewer calls still).
    For many (V a k×q matrix, e.g. (XᵀX)⁻¹ column by column) that would be k·q·5k terms;
    instead A's rows and V's columns are cut into Ozaki slices of β bits on their own grids
    (2β + log₂ k ≤ 53), so that BLAS computes A₁V₁, A₁V₂, A₂V₁, A₂V₂ exactly in one matrix
    product, and the small rest A·V₃ + A₃(V₁ + V₂) + lo·V in another: seven terms an entry,
    accurate to about 2⁻⁹⁵ of k·(the row's largest |Aᵢⱼ|)·(the column's largest |Vⱼₗ|).
    """

    def __init__(self, hi: np.ndarray, lo: np.ndarray):
        self.hi, self.lo = hi, lo
        self._beta = (53 - math.ceil(math.log2(max(len(hi), 2)))) // 2

    @functools.cached_property
    def _minus_halves(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """-A₁, -A₂ (Veltkamp halves of hi) and -lo, rows along the last axis: (k, 1, k)."""
        a1, a2 = split(self.hi)
        return -a1[:, None, :], -a2[:, None, :], -self.lo[:, None, :]

    @functools.cached_property
    def _rows(self) -> list[list[tuple[float, float, float]]]:
        """(a₁, a₂, lo) of every entry, row by row, as Python floats (for a small A)."""
        return [
            [(*halves(a), low) for a, low in zip(row_hi, row_lo, strict=True)]
            for row_hi, row_lo in zip(self.hi.tolist(), self.lo.tolist(), strict=True)
        ]

    @functools.cached_property
    def _ozaki_slices(self) -> tuple[np.ndarray, np.ndarray]:
        """[A₁; A₂] (2k×k) and [hi A₃ lo] (k×3k): A's rows cut on grids below each row's
        largest entry (made when a matrix right-hand side first needs them)."""
        beta = self._beta
        unit = power_of_two_above(np.max(np.abs(self.hi), axis=1, keepdims=True)) * 2.0**-beta
        A1, rest = extract(self.hi, unit)
        A2, A3 = extract(rest, unit * 2.0**-beta)
        return np.concatenate([A1, A2]), np.concatenate([self.hi, A3, self.lo], axis=1)

    def residual(self, B_hi: np.ndarray, B_lo: np.ndarray, V: np.ndarray) -> np.ndarray:
        """B - A·V (B and V k×q), each entry nearly correctly rounded."""
        k, q = V.shape
        if q == 1 and k <= SMALL_MATRIX:  # Python floats: fewer calls than NumPy's
            return self._vector_residual_in_floats(B_hi[:, 0], B_lo[:, 0], V[:, 0])
        if q == 1:
            V_rows = V.T[None, :, :]  # (1, 1, k)
            V1, V2 = split(V_rows)
            a1, a2, minus_lo = self._minus_halves  # (k, 1, k)
            products = [a1 * V1, a1 * V2, a2 * V1, a2 * V2, minus_lo * V_rows]
            terms = np.concatenate([B_hi[:, :, None], B_lo[:, :, None], *products], axis=-1)
            return sum_exactly(terms)
        unit = power_of_two_above(np.max(np.abs(V), axis=0)) * 2.0**-self._beta
        V1, rest = extract(V, unit)  # column by column
        V2, V3 = extract(rest, unit * 2.0**-self._beta)
        slices, rest_rows = self._ozaki_slices
        exact = slices @ np.concatenate([V1, V2], axis=1)  # [A₁V₁ A₁V₂; A₂V₁ A₂V₂]
        small = rest_rows @ np.concatenate([V3, V1 + V2, V])  # A·V₃ + A₃(V₁ + V₂) + lo·V
        parts = [B_hi, B_lo, -exact[:k, :q], -exact[:k, q:], -exact[k:, :q], -exact[k:, q:], -small]
        return sum_exactly(np.stack(parts, axis=-1))

    def _vector_residual_in_floats(self, b_hi, b_lo, v) -> np.ndarray:
        """b - A·v, a column, for a small A: exact products of halves, math.fsum per row."""
        v = [(*halves(x), x) for x in v.tolist()]
        result = []
        for row, bi_hi, bi_lo in zip(self._rows, b_hi.tolist(), b_lo.tolist(), strict=True):
            terms = [bi_hi, bi_lo]
            for (a1, a2, low), (v1, v2, x) in zip(row, v, strict=True):
                terms += (-a1 * v1, -a1 * v2, -a2 * v1, -a2 * v2, -low * x)
            result.append([math.fsum(terms)])
        return np.array(result)
