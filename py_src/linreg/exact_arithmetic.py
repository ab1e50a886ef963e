"""Error-free transformations: doing double-double arithmetic with ordinary doubles.

A floating-point sum or product is rounded. The rounding error can itself be computed exactly,
with a few more floating-point operations (Knuth, Dekker). Keeping that error next to the
rounded result gives a number with about twice the precision ("double-double"), which is all
the extra precision iterative refinement needs. Every function here works elementwise on NumPy
arrays, so one call processes a whole column or matrix.

    two_sum(a, b)      -> s, e   with  s + e == a + b  exactly   (s = fl(a + b))
    two_difference(a, b) -> s, e with  s + e == a - b  exactly   (s = fl(a - b))
    two_product(a, b)  -> p, e   with  p + e == a * b  exactly   (p = fl(a * b))
    sum_dd(a, axis)    -> hi, lo with  hi + lo ≈ sum(a) to about twice double precision
    augmented_residual(X, r, w, y, g)  -> [y - r - Xw;  g - Xᵀr], the refinement's residual

No `np.longdouble`: it is plain double in WebAssembly (Pyodide), so it would not help there.
"""

from __future__ import annotations

import numpy as np

ROUNDING = 2.0**-53  # u, the unit roundoff of double precision

# Veltkamp's splitting constant 2**27 + 1 cuts a 53-bit double into two 26-bit halves.
_SPLITTER = 134217729.0


def two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knuth's TwoSum: s = fl(a + b) and the exact rounding error e, so a + b = s + e."""
    s = a + b
    b_virtual = s - a
    a_virtual = s - b_virtual
    e = (a - a_virtual) + (b - b_virtual)
    return s, e


def two_difference(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TwoSum for a - b without forming -b: s = fl(a - b), e exact, a - b = s + e."""
    s = a - b
    b_virtual = a - s
    a_virtual = s + b_virtual
    e = (a - a_virtual) + (b_virtual - b)
    return s, e


def split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Veltkamp's splitting: a = hi + lo exactly, each half with at most 26 significant bits.

    The product of two halves then has at most 52 bits, so it is computed without rounding.
    """
    c = _SPLITTER * a
    hi = c - (c - a)
    lo = a - hi
    return hi, lo


def two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dekker's TwoProduct: p = fl(a * b) and the exact rounding error e, so a * b = p + e."""
    p = a * b
    a_hi, a_lo = split(a)
    b_hi, b_lo = split(b)
    e = a_lo * b_lo - (((p - a_hi * b_hi) - a_lo * b_hi) - a_hi * b_lo)
    return p, e


def sum_dd(a: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sum along `axis` in double-double: returns hi, lo with hi + lo ≈ Σ a.

    Pairwise: add the first half to the second half with TwoSum, keep the rounding errors,
    and repeat on the half-length array. The errors are exact and small, so summing them
    in ordinary double arithmetic is enough: |hi + lo - Σ a| ≲ (log2 n)² u² Σ|a|,
    with u = 2⁻⁵³. The work is O(n), all of it vectorised.
    """
    a = np.moveaxis(np.asarray(a, dtype=float), axis, 0)
    lo = np.zeros(a.shape[1:])
    if a.shape[0] == 0:
        return lo.copy(), lo
    while a.shape[0] > 1:
        half = a.shape[0] // 2
        s, e = two_sum(a[:half], a[half : 2 * half])
        lo += e.sum(axis=0)
        if a.shape[0] % 2:  # the odd one out joins the first partial sum, exactly
            s[0], e = two_sum(s[0], a[-1])
            lo += e
        a = s
    return a[0], lo


def dot_dd(a: np.ndarray, b: np.ndarray) -> float:
    """Compensated dot product Σ aᵢbᵢ, accurate to about twice double precision, rounded."""
    p, e = two_product(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    hi, lo = sum_dd(p)
    return float(hi + (lo + e.sum()))


def sum_accurate(a: np.ndarray) -> float:
    """Σ aᵢ in double-double, rounded once to double."""
    hi, lo = sum_dd(np.asarray(a, dtype=float).ravel())
    return float(hi + lo)


def augmented_residual(
    X: np.ndarray,
    r: np.ndarray,
    w: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    rows_per_chunk: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """[y - r - Xw;  g - Xᵀr] computed in double-double arithmetic, then rounded.

    r, y are n×k and w, g are p×k (k right-hand sides). Both parts are sums of many products
    that nearly cancel, which is why ordinary double arithmetic is not enough here. The rows
    are processed in chunks so that the temporary arrays stay in the CPU cache; the work is
    O(npk), a fixed number of vectorised passes. Internally everything is transposed, with
    the point index last: NumPy's inner loops then run along long contiguous rows (fastest
    when X is stored column by column, order="F").
    """
    n, p = X.shape
    k = w.shape[1]
    # Chunks of about 10⁵ entries, and at least four of them when there is room: the next
    # chunk then reuses the memory of the last instead of asking the OS for fresh pages.
    m = rows_per_chunk or max(1, min(16384, 131072 // (p * k), max(1024, -(-n // 4))))
    Xt, rt, yt = X.T, r.T, y.T  # p×n, k×n, k×n
    wt = w.T[:, :, None]  # k×p×1
    ft = np.empty((k, n))
    xtr_hi, xtr_lo = np.zeros((k, p)), np.zeros((k, p))
    for start in range(0, n, m):
        points = slice(start, start + m)
        Xc = Xt[None, :, points]  # 1×p×m
        # f = y - r - Σⱼ Xᵢⱼwⱼ, point by point
        P, P_err = two_product(Xc, wt)  # k×p×m
        P_hi, P_lo = sum_dd(P, axis=1)
        s, e1 = two_sum(yt[:, points], -rt[:, points])
        s, e2 = two_sum(s, -P_hi)
        ft[:, points] = s + ((e1 + e2) - (P_lo + P_err.sum(axis=1)))
        # Xᵀr = Σᵢ Xᵢⱼrᵢ, accumulated over the chunks
        Q, Q_err = two_product(Xc, rt[:, None, points])  # k×p×m
        Q_hi, Q_lo = sum_dd(Q, axis=2)
        xtr_hi, e = two_sum(xtr_hi, Q_hi)
        xtr_lo += e + Q_lo + Q_err.sum(axis=2)
    s, e = two_sum(g.T, -xtr_hi)
    return ft.T, (s + (e - xtr_lo)).T
