"""On random well-conditioned problems linreg agrees with NumPy (lstsq, polyfit) and
scikit-learn, which are accurate there. Property-based: hypothesis draws sizes and seeds."""

from __future__ import annotations

import warnings

import linreg
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression as SklearnLinearRegression
from sklearn.metrics import mean_squared_error, r2_score

# derandomize: the same examples on every run, so CI cannot flake on an unlucky draw
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


@st.composite
def problems(draw, max_features: int = 5):
    p = draw(st.integers(1, max_features))
    n = draw(st.integers(p + 3, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([1e-3, 1.0, 1e4]))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * scale + rng.uniform(-2, 2, p) * scale
    w = rng.standard_normal(p)
    y = 3.0 + X @ w + rng.standard_normal(n) * draw(st.sampled_from([1e-6, 0.1, 10.0]))
    return X, y


@SETTINGS
@given(problems())
def test_matches_sklearn(problem):
    X, y = problem
    ours = linreg.LinearRegression().fit(X, y)
    theirs = SklearnLinearRegression().fit(X, y)
    np.testing.assert_allclose(
        ours.coef_, theirs.coef_, rtol=1e-8, atol=1e-10 * np.abs(theirs.coef_).max()
    )
    assert np.isclose(ours.intercept_, theirs.intercept_, rtol=1e-8, atol=1e-8 * abs(y).max())
    np.testing.assert_allclose(
        ours.predict(X), theirs.predict(X), rtol=1e-9, atol=1e-9 * abs(y).max()
    )
    assert np.isclose(ours.score(X, y), theirs.score(X, y), rtol=1e-9, atol=1e-12)
    assert np.isclose(ours.r_squared_, r2_score(y, theirs.predict(X)), rtol=1e-9, atol=1e-12)


@SETTINGS
@given(problems(), st.booleans())
def test_all_solvers_match_numpy_lstsq(problem, intercept):
    X, y = problem
    D = np.column_stack([np.ones(len(y)), X]) if intercept else X
    reference = np.linalg.lstsq(D, y)[0]
    tolerance = 1e-9 * np.abs(reference).max()
    np.testing.assert_allclose(linreg.lstsq_qr(D, y), reference, rtol=1e-8, atol=tolerance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linreg.IllConditionedWarning)
        normal = linreg.normal_equation(D, y)
        inverse = linreg.normal_equation_inv(D, y)
    cond = np.linalg.cond(D) ** 2
    np.testing.assert_allclose(normal, reference, rtol=1e-14 * cond + 1e-8, atol=tolerance * cond)
    np.testing.assert_allclose(inverse, reference, rtol=1e-14 * cond + 1e-8, atol=tolerance * cond)


@SETTINGS
@given(st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_polynomials_match_polyfit(degree, seed):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, 30))
    y = np.polyval(rng.standard_normal(degree + 1), x) + 0.1 * rng.standard_normal(30)
    ours = linreg.lstsq_qr(linreg.design_matrix(x, degree), y)
    theirs = np.polyfit(x, y, degree)[::-1]  # polyfit lists the highest power first
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-11)


@SETTINGS
@given(problems(max_features=3))
def test_standard_errors_match_the_textbook_formula(problem):
    """s² = SSE/(n - p), std err = √diag(s²(XᵀX)⁻¹): here computed naively (it is accurate
    enough on a well-conditioned problem)."""
    X, y = problem
    model = linreg.LinearRegression().fit(X, y)
    D = np.column_stack([np.ones(len(y)), X])
    w = np.linalg.lstsq(D, y)[0]
    r = y - D @ w
    n, k = D.shape
    s2 = r @ r / (n - k)
    assert np.isclose(model.residual_std_, np.sqrt(s2), rtol=1e-6)
    np.testing.assert_allclose(
        model.stderr_, np.sqrt(s2 * np.diag(np.linalg.inv(D.T @ D))), rtol=1e-6
    )
    np.testing.assert_allclose(model.t_values_, w / model.stderr_, rtol=1e-6)


@SETTINGS
@given(problems(max_features=3))
def test_metrics_match_sklearn(problem):
    X, y = problem
    y_hat = SklearnLinearRegression().fit(X, y).predict(X)
    assert np.isclose(linreg.mse(y, y_hat), mean_squared_error(y, y_hat), rtol=1e-12)
    assert np.isclose(linreg.rmse(y, y_hat), np.sqrt(mean_squared_error(y, y_hat)), rtol=1e-12)
    assert np.isclose(linreg.r_squared(y, y_hat), r2_score(y, y_hat), rtol=1e-10, atol=1e-13)
    np.testing.assert_array_equal(linreg.residuals(y, y_hat), y - y_hat)
