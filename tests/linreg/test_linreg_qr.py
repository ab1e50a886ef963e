"""The pieces of the QR solver: scaling, Householder reflections, triangular solves."""

from __future__ import annotations

import linreg
import numpy as np
import pytest
from linreg.qr import (
    ScaledQR,
    back_substitution,
    forward_substitution,
    householder_qr,
    power_of_two_scaling,
    solve_augmented,
)

rng = np.random.default_rng(3)


def test_scaling_is_by_powers_of_two_and_exact():
    X = rng.standard_normal((20, 4)) * [1e-8, 1.0, 1e5, 3e12]
    scale = power_of_two_scaling(X)
    mantissa, _ = np.frexp(scale)
    assert np.all(mantissa == 0.5)  # exact powers of two
    np.testing.assert_array_equal((X * scale) / scale, X)  # nothing was rounded
    lengths = np.linalg.norm(X * scale, axis=0)
    assert np.all((lengths >= 0.5) & (lengths < 1.0))


def test_householder_qr_reproduces_x_with_orthogonal_q():
    X = rng.standard_normal((30, 5))
    qr = householder_qr(X)
    n, p = X.shape
    Q = qr.apply_q(np.eye(n))
    np.testing.assert_allclose(Q.T @ Q, np.eye(n), atol=1e-14)
    np.testing.assert_allclose(Q[:, :p] @ qr.R, X, atol=1e-14)
    np.testing.assert_allclose(qr.apply_qt(X)[p:], 0.0, atol=1e-14)
    assert np.allclose(qr.R, np.triu(qr.R))
    # the same R as LAPACK, up to the signs of the rows
    R_lapack = np.linalg.qr(X, mode="r")
    np.testing.assert_allclose(np.abs(qr.R), np.abs(R_lapack), atol=1e-13)


def test_triangular_solves():
    R = np.triu(rng.standard_normal((5, 5))) + 5 * np.eye(5)
    b = rng.standard_normal(5)
    np.testing.assert_allclose(R @ back_substitution(R, b), b, atol=1e-14)
    np.testing.assert_allclose(R.T @ forward_substitution(R.T, b), b, atol=1e-14)
    B = rng.standard_normal((5, 3))
    np.testing.assert_allclose(R @ back_substitution(R, B), B, atol=1e-14)


def test_augmented_system_solution():
    X = rng.standard_normal((25, 3))
    f, g = rng.standard_normal((25, 1)), rng.standard_normal((3, 1))
    r, w = solve_augmented(householder_qr(X), f, g)
    np.testing.assert_allclose(r + X @ w, f, atol=1e-13)
    np.testing.assert_allclose(X.T @ r, g, atol=1e-13)


def test_refinement_stops_after_one_step_on_an_easy_problem():
    X = np.column_stack([np.ones(50), rng.standard_normal((50, 3))])
    y = X @ [1.0, 2.0, 3.0, 4.0] + rng.standard_normal(50)
    solution = ScaledQR.factor(X).solve(y)
    assert solution.steps == 1 and solution.converged
    np.testing.assert_allclose(solution.r, y - X @ solution.w, atol=1e-13)
    np.testing.assert_allclose(solution.w, linreg.lstsq_qr(X, y))


def test_inverse_gram_diagonal():
    X = np.column_stack([np.ones(40), rng.standard_normal((40, 2)) * [1.0, 1e3]])
    expected = np.diag(np.linalg.inv(X.T @ X))
    np.testing.assert_allclose(ScaledQR.factor(X).inverse_gram_diagonal(), expected, rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_fast_path_gives_the_readable_householder_qrs_answers(seed):
    """The default takes the exactly computed normal equations, refined (refined_normal); the
    Householder QR the lesson teaches gives the same numbers, both ≥ 14 exact digits."""
    from linreg.qr import HouseholderQR, RefinedNormal, ScaledQR
    from linreg_exact_reference import digits, exact_least_squares

    rng = np.random.default_rng(seed)
    n, p = 120, 5
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p)) * [1, 1e3, 1e-3, 5, 1] + 3])
    y = X @ rng.standard_normal(p + 1) + rng.standard_normal(n)
    fast, readable = ScaledQR.factor(X), ScaledQR.factor(X, fast=False)
    assert isinstance(fast.qr, RefinedNormal) and isinstance(readable.qr, HouseholderQR)
    exact = exact_least_squares(X, y)
    for factored in (fast, readable):
        solution = factored.solve(y)
        assert solution.converged and digits(solution.w, exact.w) >= 14
        s2 = exact.sse / (n - p - 1)
        assert digits(np.sqrt(s2 * factored.inverse_gram_diagonal()), exact.stderr) >= 14
        assert digits(factored.leverages(X[:3]), [exact.leverage(row) for row in X[:3]]) >= 14
    np.testing.assert_allclose(fast.solve(y).w, readable.solve(y).w, rtol=1e-15, atol=0)


def test_ill_conditioned_problems_take_the_readable_householder_path():
    from linreg.qr import HouseholderQR, ScaledQR
    from linreg_hard_problems import all_problems

    for problem in all_problems():
        factored = ScaledQR.factor(problem.X)
        ill = np.linalg.cond(factored.X_scaled) > 1e4  # κ(X) after scaling, by its SVD
        assert isinstance(factored.qr, HouseholderQR) == ill, problem.name


def test_fast_path_refines_the_statistics_of_a_moderately_ill_conditioned_problem():
    """κ(R) ≈ 2000: the fast path, whose standard errors and leverages then come from the
    refinement with p right-hand sides (XᵀX·V = I, the Gram's residual summed exactly)."""
    from linreg.qr import RefinedNormal, ScaledQR
    from linreg_exact_reference import digits, exact_least_squares

    rng = np.random.default_rng(5)
    n = 200
    t = rng.standard_normal(n)
    X = np.column_stack([np.ones(n), t, t + 1e-3 * rng.standard_normal(n), rng.standard_normal(n)])
    y = X @ [1.0, 2.0, 3.0, 4.0] + rng.standard_normal(n)
    factored = ScaledQR.factor(X)
    assert isinstance(factored.qr, RefinedNormal) and 100 < factored.qr.condition < 1e4
    exact = exact_least_squares(X, y)
    assert digits(factored.solve(y).w, exact.w) >= 14
    stderr = np.sqrt(exact.sse / (n - 4) * factored.inverse_gram_diagonal())
    assert digits(stderr, exact.stderr) >= 14
    assert digits(factored.leverages(X[:3]), [exact.leverage(row) for row in X[:3]]) >= 14


def test_fast_path_keeps_the_digits_of_a_nearly_perfect_fit():
    """Residuals ~1e-7 of y: Σr² from the plain residuals would keep ~9 digits; the fast path
    sums yᵀy - wᵀXᵀy - wᵀg exactly from the Gram and keeps them all."""
    from linreg.qr import RefinedNormal, ScaledQR
    from linreg_exact_reference import digits, exact_least_squares

    rng = np.random.default_rng(11)
    n = 60
    X = np.column_stack([np.ones(n), rng.uniform(0, 1e-3, n)])
    y = 3.0 + 0.36 * X[:, 1] + 1e-7 * rng.standard_normal(n)
    factored = ScaledQR.factor(X, y=y)
    assert isinstance(factored.qr, RefinedNormal)
    solution = factored.solve(y)
    exact = exact_least_squares(X, y)
    assert digits(solution.sse, exact.sse) >= 14
    model = linreg.LinearRegression().fit(X[:, 1:], y)
    assert digits(model.residual_std_, exact.residual_std) >= 14
    assert digits(model.stderr_, exact.stderr) >= 14


def test_fast_path_solves_for_a_y_it_was_not_factored_with():
    """solve(y) for another y makes that y's Gram anew: the same numbers as factoring with it."""
    X = np.column_stack([np.ones(80), rng.standard_normal((80, 2))])
    y1, y2 = rng.standard_normal(80), rng.standard_normal(80) + 5
    w_other = ScaledQR.factor(X, y=y1).solve(y2).w
    np.testing.assert_array_equal(w_other, ScaledQR.factor(X, y=y2).solve(y2).w)


def test_y_near_overflow_takes_the_householder_path():
    """|y| ~ 1e130 > 2⁴⁰⁰: the Gram declines (squares near overflow) and the Householder QR
    (refined in double-double) answers."""
    from linreg.qr import HouseholderQR, RefinedNormal
    from linreg_exact_reference import digits, exact_least_squares

    X = np.column_stack([np.ones(30), rng.standard_normal(30)])
    y = 1e130 * (X @ [1.0, 2.0] + rng.standard_normal(30))
    assert isinstance(ScaledQR.factor(X).qr, RefinedNormal)  # X alone is fine
    assert isinstance(ScaledQR.factor(X, y=y).qr, HouseholderQR)
    for factored in (ScaledQR.factor(X), ScaledQR.factor(X, y=y)):
        assert digits(factored.solve(y).w, exact_least_squares(X, y).w) >= 14


@pytest.mark.parametrize("shape", [2, 3, 6])
def test_inverse_and_condition_agree_with_numpy(shape):
    """The 2×2 formulas (a line with an intercept) and the norm bound for larger matrices
    against numpy.linalg, well and badly conditioned: κ exact for 2×2, within the bound's
    factor k (and never below) for larger; past 10⁸ the eigenvalues decide."""
    from linreg.refined_normal import _inverse_and_condition

    for condition in (1.0, 37.0, 1e6, 1e12):
        Q, _ = np.linalg.qr(rng.standard_normal((shape, shape)))
        A = Q @ np.diag(np.geomspace(1.0, 1.0 / condition, shape)) @ Q.T
        A = (A + A.T) / 2
        inverse, kappa = _inverse_and_condition(A)
        exact = np.sqrt(np.linalg.cond(A))
        if shape == 2 or condition > 1e8:
            np.testing.assert_allclose(kappa, exact, rtol=1e-3)  # λ_min ± u·λ_max
        else:
            assert exact * (1 - 1e-9) <= kappa <= exact * np.sqrt(shape)
        if condition < 1e8:
            np.testing.assert_allclose(inverse @ A, np.eye(shape), atol=1e-9 * condition)
    assert _inverse_and_condition(np.array([[1.0, 1.0], [1.0, 1.0]]))[1] == np.inf
    M = rng.standard_normal((10, 2))
    M = np.column_stack([M, M[:, 0] - M[:, 1]])  # rank 2: its Gram is singular
    assert _inverse_and_condition(M.T @ M)[1] > 1e8
