"""linreg.distributions against mpmath at 50 digits: the t and F tails and their inverses keep
≥ 12 correct digits (relative error ≤ 1e-12) wherever the probability is ≥ 1e-300, for degrees
of freedom from 1 to 10⁶ and t from 0 to 40, tails included.

The references are computed from the double inputs exactly as given (the t tail through
x = ν/(ν + t²) in mpmath, so no 1 - p is formed there either); the quantiles are compared with
mpmath's root of P(T > t) = q for the same double q.
"""

from __future__ import annotations

import math

import mpmath
import pytest
from linreg.distributions import (
    f_isf,
    f_sf,
    log_beta,
    regularized_incomplete_beta,
    student_t_isf,
    student_t_pdf,
    student_t_sf,
)

mpmath.mp.dps = 50
RELATIVE = 1e-12  # 12 correct digits
DFS = [1, 2, 3, 5, 10, 15, 29, 30, 31, 100, 1000, 10**4, 10**5, 10**6]
TS = [0.0, 1e-3, 0.1, 0.5, 0.7, 1.0, 1.7, 2.0, 2.5, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0, 37.0, 40.0]


def exact_t_sf(t: float, df: float) -> mpmath.mpf:
    t, df = mpmath.mpf(t), mpmath.mpf(df)
    if t < 0:
        return 1 - exact_t_sf(-t, df)
    return mpmath.betainc(df / 2, 0.5, 0, df / (df + t * t), regularized=True) / 2


def exact_f_sf(f: float, dfn: float, dfd: float) -> mpmath.mpf:
    f, dfn, dfd = mpmath.mpf(f), mpmath.mpf(dfn), mpmath.mpf(dfd)
    return mpmath.betainc(dfd / 2, dfn / 2, 0, dfd / (dfd + dfn * f), regularized=True)


def relative_error(approx: float, exact) -> float:
    return float(abs((mpmath.mpf(approx) - exact) / exact))


@pytest.mark.parametrize("df", DFS)
def test_t_survival_function_has_12_digits_down_to_1e_300(df):
    checked = 0
    for t in [*TS, -1.0, -3.0]:
        exact = exact_t_sf(t, df)
        if exact < 1e-300:
            assert student_t_sf(t, df) < 1e-299
            continue
        assert relative_error(student_t_sf(t, df), exact) <= RELATIVE, t
        checked += 1
    assert checked >= 12


@pytest.mark.parametrize("df", DFS)
def test_t_quantile_inverts_the_tail_to_12_digits(df):
    for t in TS[1:]:
        q = float(exact_t_sf(t, df))
        if q < 1e-300:
            continue
        exact = mpmath.findroot(lambda s, q=q: exact_t_sf(s, df) - q, mpmath.mpf(t))
        assert relative_error(student_t_isf(q, df), exact) <= RELATIVE, (t, q)
        assert student_t_isf(1 - q, df) == -student_t_isf(1 - (1 - q), df)  # symmetric


@pytest.mark.parametrize("dfn", [1, 2, 3, 5, 10, 20, 100])
@pytest.mark.parametrize("dfd", [1, 2, 5, 30, 100, 10**4, 10**6])
def test_f_survival_function_and_quantile_have_12_digits(dfn, dfd):
    for f in [0.01, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0, 1e3, 1e5]:
        if f_sf(f, dfn, dfd) < 1e-290:  # beyond the claim; mpmath takes minutes out there
            continue
        exact = exact_f_sf(f, dfn, dfd)
        assert relative_error(f_sf(f, dfn, dfd), exact) <= RELATIVE, f
        q = float(exact)
        if q == 1.0:  # the double nearest the probability is 1: no quantile to compare
            continue
        root = mpmath.findroot(lambda s, q=q: exact_f_sf(s, dfn, dfd) - q, mpmath.mpf(f))
        assert relative_error(f_isf(q, dfn, dfd), root) <= RELATIVE, (f, q)


def test_f_with_one_numerator_degree_is_the_square_of_t():
    for df in [1, 7, 1000]:
        for t in [0.3, 2.0, 9.0]:
            assert f_sf(t * t, 1, df) == pytest.approx(2 * student_t_sf(t, df), rel=1e-13)


def test_textbook_values():
    assert student_t_isf(0.025, 10) == pytest.approx(2.228138851986274, rel=1e-14)
    assert student_t_isf(0.025, 1) == pytest.approx(12.706204736174698, rel=1e-14)
    assert student_t_sf(0.0, 3) == 0.5 and student_t_isf(0.5, 3) == 0.0
    assert student_t_sf(math.inf, 3) == 0.0 and student_t_isf(0.0, 3) == math.inf
    assert f_isf(0.05, 3, 20) == pytest.approx(3.0983912121407795, rel=1e-13)


def test_log_beta_and_incomplete_beta_against_mpmath():
    for a, b in [(0.5, 0.5), (3.0, 7.5), (12.0, 12.0), (5e5, 0.5), (5e5, 50.0)]:
        assert relative_error(log_beta(a, b), mpmath.log(mpmath.beta(a, b))) <= 1e-14
    for x in [1e-10, 0.2, 0.5, 0.9, 1 - 1e-9]:
        for a, b in [(0.5, 0.5), (2.0, 3.0), (40.0, 0.5), (7.5, 120.0)]:
            exact = mpmath.betainc(a, b, 0, x, regularized=True)
            if exact > 1e-300:
                assert relative_error(regularized_incomplete_beta(x, a, b), exact) <= RELATIVE


def test_t_density_against_mpmath():
    for df in [1, 30, 10**6]:
        for t in [0.0, 2.0, 30.0]:
            exact = (
                mpmath.gamma((df + 1) / mpmath.mpf(2))
                / (mpmath.sqrt(df * mpmath.pi) * mpmath.gamma(df / mpmath.mpf(2)))
                * (1 + mpmath.mpf(t) ** 2 / df) ** (-(df + 1) / mpmath.mpf(2))
            )
            assert relative_error(student_t_pdf(t, df), exact) <= RELATIVE


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda: student_t_sf(1.0, 0), "df (degrees of freedom) must be a positive number"),
        (lambda: student_t_isf(1.5, 3), "q is a probability, so it must be between 0 and 1"),
        (lambda: f_sf(1.0, 2, -1), "dfd (denominator degrees of freedom) must be a positive"),
        (lambda: regularized_incomplete_beta(2.0, 1, 1), "x must be between 0 and 1"),
    ],
)
def test_bad_arguments_get_a_sentence(call, says):
    with pytest.raises(ValueError, match=says.replace("(", r"\(").replace(")", r"\)")):
        call()
