"""TwoSum and TwoProduct are error-free: s + e equals the exact sum/product, as rationals."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from linreg.exact_arithmetic import (
    dot_dd,
    sum_accurate,
    sum_dd,
    two_difference,
    two_product,
    two_sum,
)

finite = st.floats(min_value=-1e150, max_value=1e150, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(finite, finite)
def test_two_sum_is_exact(a, b):
    s, e = two_sum(np.float64(a), np.float64(b))
    assert Fraction(float(s)) + Fraction(float(e)) == Fraction(a) + Fraction(b)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(finite, finite)
def test_two_product_is_exact(a, b):
    p, e = two_product(np.float64(a), np.float64(b))
    exact = Fraction(a) * Fraction(b)
    if abs(exact) > 2.0**-900:  # away from underflow, where no split can be exact
        assert Fraction(float(p)) + Fraction(float(e)) == exact


def test_sum_dd_survives_catastrophic_cancellation():
    rng = np.random.default_rng(0)
    a = rng.standard_normal(1001) * 10.0 ** rng.integers(-8, 9, 1001)
    a = np.concatenate([a, -a, [1e-3]])  # exact sum 1e-3, hidden under terms up to 1e8
    rng.shuffle(a)
    assert sum_accurate(a) == 1e-3
    hi, lo = sum_dd(a.reshape(-1, 1), axis=0)
    assert float(hi[0] + lo[0]) == 1e-3


def test_dot_dd_matches_exact_rational_dot():
    rng = np.random.default_rng(1)
    a = rng.standard_normal(200) * 1e6
    b = rng.standard_normal(200)
    b[-1] = 0.0
    b[-1] = -np.dot(a, b) / a[-1]  # make the dot product nearly cancel
    exact = sum(Fraction(float(x)) * Fraction(float(y)) for x, y in zip(a, b, strict=True))
    # as if computed with twice the precision, then rounded: u·|s| + n·u²·Σ|aᵢbᵢ|
    u = 2.0**-53
    bound = u * abs(float(exact)) + len(a) * u**2 * float(np.abs(a * b).sum())
    assert abs(dot_dd(a, b) - float(exact)) <= bound
    assert abs(np.dot(a, b) - float(exact)) > 1e6 * bound  # the plain dot product is far off


def test_sum_dd_handles_odd_lengths_and_empty():
    for n in [0, 1, 2, 3, 7, 1000, 1023]:
        a = np.arange(n, dtype=float) + 0.1
        assert sum_accurate(a) == float(sum(Fraction(float(v)) for v in a))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(finite, finite)
def test_two_difference_is_exact(a, b):
    s, e = two_difference(np.float64(a), np.float64(b))
    assert Fraction(float(s)) + Fraction(float(e)) == Fraction(a) - Fraction(b)
