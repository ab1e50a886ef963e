"""Split products (Ozaki's splitting): the fast path's residual against exact rationals."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linreg.exact_arithmetic import augmented_residual
from linreg.split_products import augmented_residual_split, extract, sum_split

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


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


def exact_residual(X, r, w, y, g):
    """[y - r - Xw; g - Xᵀr] in rationals: nothing rounds."""
    n, p = X.shape
    Xf = [[Fraction(float(v)) for v in row] for row in X]
    wf = [Fraction(float(v)) for v in w[:, 0]]
    rf = [Fraction(float(v)) for v in r[:, 0]]
    f = [
        Fraction(float(y[i, 0])) - rf[i] - sum(Xf[i][j] * wf[j] for j in range(p)) for i in range(n)
    ]
    h = [Fraction(float(g[j, 0])) - sum(Xf[i][j] * rf[i] for i in range(n)) for j in range(p)]
    return f, h


def cancelling_problem(seed: int, n: int = 300, p: int = 6):
    """Columns of lengths ≈ 1 (as the solver scales them), w with entries from 1e-8 to 1e8,
    y = Xw + noise, and r the rounded residual of the double-precision fit: y - r - Xw and
    Xᵀr are then sums of terms near 1e8 that cancel down to about 1e-8."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) / np.sqrt(n)
    w = (10.0 ** rng.uniform(-8, 8, p) * rng.choice([-1, 1], p))[:, None]
    y = X @ w + 1e-3 * rng.standard_normal((n, 1))
    w_fit = np.linalg.lstsq(X, y, rcond=None)[0]
    return X, y - X @ w_fit, w_fit, y, np.zeros((p, 1))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("rows_per_chunk", [None, 64])
def test_split_residual_matches_exact_rationals(seed, rows_per_chunk):
    X, r, w, y, g = cancelling_problem(seed)
    f, h = augmented_residual_split(X, r, w, y, g, rows_per_chunk=rows_per_chunk)
    f_exact, h_exact = exact_residual(X, r, w, y, g)
    # the error: at most ~2⁻⁹⁰ of the terms' size, whatever the cancellation, plus the final
    # rounding of the (small) result to double
    terms_f = np.abs(y[:, 0]) + np.abs(r[:, 0]) + np.abs(X) @ np.abs(w[:, 0])
    terms_h = np.abs(X).T @ np.abs(r[:, 0])
    error_f = [abs(float(Fraction(float(f[i, 0])) - f_exact[i])) for i in range(len(f))]
    error_h = [abs(float(Fraction(float(h[j, 0])) - h_exact[j])) for j in range(len(h))]
    rounding_f = 2.0**-53 * np.abs([float(v) for v in f_exact])
    rounding_h = 2.0**-53 * np.abs([float(v) for v in h_exact])
    assert np.all(np.array(error_f) <= 2.0**-85 * terms_f + rounding_f)
    assert np.all(np.array(error_h) <= 2.0**-85 * terms_h + rounding_h)
    # and it is still accurate relative to the small results themselves
    assert max(error_f) <= 1e-9 * max(abs(float(v)) for v in f_exact)
    assert max(error_h) <= 1e-9 * max(abs(float(v)) for v in h_exact)


def test_split_residual_agrees_with_double_double_on_several_right_hand_sides():
    rng = np.random.default_rng(7)
    n, p, k = 2000, 5, 3
    X = rng.standard_normal((n, p)) / np.sqrt(n)
    w, g = rng.standard_normal((p, k)) * [1e-6, 1.0, 1e6], rng.standard_normal((p, k))
    y = X @ w + rng.standard_normal((n, k))
    r = y - X @ w
    f, h = augmented_residual_split(X, r, w, y, g, rows_per_chunk=256)
    f_dd, h_dd = augmented_residual(X, r, w, y, g)
    scale_f = np.abs(y) + np.abs(X) @ np.abs(w)
    scale_h = np.abs(X).T @ np.abs(r) + np.abs(g)
    assert np.all(np.abs(f - f_dd) <= 2.0**-85 * scale_f + 2.0**-52 * np.abs(f_dd))
    assert np.all(np.abs(h - h_dd) <= 2.0**-85 * scale_h + 2.0**-52 * np.abs(h_dd))


def test_values_near_overflow_are_left_to_double_double():
    X = np.eye(3)
    w = np.array([[1e300], [1.0], [2.0]])
    y, r, g = X @ w, np.zeros((3, 1)), np.zeros((3, 1))
    assert augmented_residual_split(X, r, w, y, g) is None


@pytest.mark.parametrize("seed", range(4))
def test_sum_split_matches_the_exact_sum(seed):
    rng = np.random.default_rng(seed)
    n = [1, 7, 1000, 100_000][seed]
    # a large common offset and terms that cancel: Σa is far smaller than Σ|a|
    a = 1e8 + rng.standard_normal(n) * 10.0 ** rng.uniform(-8, 3, n)
    a = np.concatenate([a, -a[: n // 2]])
    hi, lo = sum_split(a)
    exact = math.fsum(a)  # correctly rounded
    assert hi == exact
    assert abs(Fraction(hi) + Fraction(lo) - sum(map(Fraction, a.tolist()))) <= 2.0**-95 * np.sum(
        np.abs(a)
    )


def test_sum_split_leaves_values_near_overflow_to_the_caller():
    assert sum_split(np.array([1e300, -1e300, 3.0])) is None
