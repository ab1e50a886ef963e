"""The fast path's exact sums (Ozaki's splitting, exact_gram) against exact rationals."""

from __future__ import annotations

from fractions import Fraction

import linreg.exact_gram as exact_gram_module
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linreg.exact_gram import (
    DoubleDoubleMatrix,
    exact_gram,
    extract,
    product_terms,
    sum_exactly,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def fractions(a) -> list:
    return [Fraction(float(v)) for v in np.ravel(a)]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(finite, st.integers(min_value=-40, max_value=10))
def test_extract_cuts_exactly_onto_the_grid(a, exponent):
    unit = 2.0**exponent
    if abs(a) > 2.0**51 * unit:
        return  # outside extract's documented range
    hi, lo = extract(np.float64(a), unit)
    assert Fraction(float(hi)) + Fraction(float(lo)) == Fraction(a)
    assert (Fraction(float(hi)) / Fraction(unit)).denominator == 1  # a multiple of the grid
    assert abs(lo) <= unit / 2


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.floats(-1e200, 1e200), st.floats(-1e100, 1e100))
def test_product_terms_sum_to_the_exact_product(a, b):
    if 0 < abs(Fraction(a) * Fraction(b)) < Fraction(2) ** -960:
        return  # the halves' products would underflow (documented)
    terms = product_terms(np.array([a]), np.array([b]))
    assert sum(fractions(terms)) == Fraction(a) * Fraction(b)


def nearly_parallel_columns(seed: int, n: int, first: float | None = 1.0) -> np.ndarray:
    """[c t t+δ y] with y ≈ a combination of the others: ZᵀZ's entries are near n while the
    differences that matter are ~1e-8 of that, so a rounded Gram would lose them. The first
    column c is constant (1: on its grid, it enters W whole; 0.1: 53 bits, it is sliced) or
    left out."""
    rng = np.random.default_rng(seed)
    t = rng.standard_normal(n) + 3
    u = t + 1e-4 * rng.standard_normal(n)
    y = 2 * t - u + 1e-6 * rng.standard_normal(n)
    columns = [t, u, y * 2.0**-3] if first is None else [np.full(n, first), t, u, y * 2.0**-3]
    return np.asfortranarray(np.column_stack(columns))


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("first", [1.0, 0.1, None])
@pytest.mark.parametrize("entries_per_chunk", [exact_gram_module.ENTRIES_PER_CHUNK, 12 * 37])
def test_gram_matches_exact_rationals_in_one_chunk_or_many(
    seed, first, entries_per_chunk, monkeypatch
):
    """12·37 entries: chunks of 37 rows for 4 columns, the last one shorter."""
    monkeypatch.setattr(exact_gram_module, "ENTRIES_PER_CHUNK", entries_per_chunk)
    Z = nearly_parallel_columns(seed, 500, first)
    hi, lo = exact_gram(Z)
    columns = [fractions(Z[:, j]) for j in range(Z.shape[1])]
    magnitude = np.abs(Z).T @ np.abs(Z)
    for j in range(Z.shape[1]):
        for k in range(Z.shape[1]):
            exact = sum(a * b for a, b in zip(columns[j], columns[k], strict=True))
            assert hi[j, k] == float(exact)  # the high part is the correctly rounded value
            error = abs(Fraction(float(hi[j, k])) + Fraction(float(lo[j, k])) - exact)
            assert error <= 2.0**-88 * magnitude[j, k]


def test_gram_of_whole_columns_only():
    Z = np.asfortranarray(np.column_stack([np.ones(7), np.full(7, 0.5)]))
    hi, lo = exact_gram(Z)
    assert np.array_equal(hi, [[7.0, 3.5], [3.5, 1.75]]) and not lo.any()


def test_gram_leaves_values_near_overflow_to_the_caller():
    assert exact_gram(np.array([[1e130, 1.0], [2.0, 3.0]])) is None
    assert exact_gram(np.array([[1e-130, 1.0], [2e-130, 3.0]])) is None


@pytest.mark.parametrize("shape", [(3,), (2, 5), (4, 300), (1, 100_000)])
def test_sum_exactly_is_correctly_rounded_with_heavy_cancellation(shape):
    """Few terms go through math.fsum, many through the sliced NumPy sums: both agree with the
    exact sum, and the double-double form keeps what the rounding left out."""
    rng = np.random.default_rng(sum(shape))
    T = 1e8 + rng.standard_normal(shape) * 10.0 ** rng.uniform(-8, 3, shape)
    T = np.concatenate([T, -T[..., : shape[-1] // 2] * (1 + 2.0**-40)], axis=-1)
    hi, lo = sum_exactly(T, double_double=True)
    rows = T.reshape(-1, T.shape[-1])
    for row, h, low in zip(rows, np.ravel(hi), np.ravel(lo), strict=True):
        exact = sum(fractions(row))
        assert abs(Fraction(float(h)) - exact) <= abs(exact) * 2.0**-52  # within an ulp
        assert abs(Fraction(float(h)) + Fraction(float(low)) - exact) <= 2.0**-95 * np.sum(
            np.abs(row)
        )
    assert np.array_equal(sum_exactly(T), hi)


def test_sum_exactly_near_overflow():
    assert sum_exactly(np.array([1e300, 3.0, -1e300])) == 3.0
    big = np.full((2, 600), 1e305)
    big[:, 1::2] = -1e305
    assert np.array_equal(sum_exactly(big), [0.0, 0.0])


@pytest.mark.parametrize(("k", "q"), [(3, 1), (6, 1), (6, 3), (21, 21)])
def test_matrix_residual_matches_exact_rationals(k, q):
    """B - A·V with A = hi + lo, V close to A⁻¹B: the result is ~1e-10 of the terms (far
    less where the columns' scales differ by 2⁴⁰) and still correct to its last digit or
    so, or to 2⁻⁹⁵ of k·(row's largest)·(column's largest). q = 1 takes Veltkamp's halves,
    q > 1 Ozaki's slices in two matrix products."""
    rng = np.random.default_rng(q)
    M = rng.standard_normal((40, k)) * 2.0 ** rng.integers(-20, 20, k)
    hi, lo = exact_gram(np.asfortranarray(M))
    B_hi = rng.standard_normal((k, q))
    B_lo = B_hi * 2.0**-60
    V = np.linalg.solve(hi, B_hi) * (1 + 1e-10 * rng.standard_normal((k, q)))
    residual = DoubleDoubleMatrix(hi, lo).residual(B_hi, B_lo, V)
    for i in range(k):
        for j in range(q):
            exact = (
                Fraction(float(B_hi[i, j]))
                + Fraction(float(B_lo[i, j]))
                - sum(
                    (Fraction(float(hi[i, m])) + Fraction(float(lo[i, m])))
                    * Fraction(float(V[m, j]))
                    for m in range(k)
                )
            )
            # Ozaki's slices are cut on grids below the row's and column's largest entries
            largest = k * float(np.max(np.abs(hi[i])) * np.max(np.abs(V[:, j])))
            bound = abs(exact) * 2.0**-50 + Fraction(largest + abs(B_hi[i, j])) * 2.0**-95
            assert abs(Fraction(float(residual[i, j])) - exact) <= bound
    assert np.all(np.abs(residual) < 1e-8 * (np.abs(hi) @ np.abs(V)))  # it did cancel


@pytest.mark.parametrize("entries_per_chunk", [exact_gram_module.ENTRIES_PER_CHUNK, 12 * 37])
def test_gram_of_x_and_y_is_the_gram_of_x_beside_y(entries_per_chunk, monkeypatch):
    """exact_gram(X, y) cuts y along with X, chunk by chunk: the same numbers as [X y]."""
    monkeypatch.setattr(exact_gram_module, "ENTRIES_PER_CHUNK", entries_per_chunk)
    Z = nearly_parallel_columns(3, 300)
    X, y = np.asfortranarray(Z[:, :-1]), Z[:, -1].copy()
    for ours, reference in zip(exact_gram(X, y), exact_gram(Z), strict=True):
        assert np.array_equal(ours, reference)
