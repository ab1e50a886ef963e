"""p-values, confidence and prediction intervals and the F test: equal to statsmodels' on
well-conditioned problems (relative 1e-12), and to the exact values (rational least squares,
then mpmath's t and F at 50 digits) on the NIST-like hard problems; friendly errors."""

from __future__ import annotations

import linreg
import mpmath
import numpy as np
import pytest
import statsmodels.api as sm
from linreg_exact_reference import digits, exact_least_squares
from linreg_hard_problems import all_problems

mpmath.mp.dps = 50
PROBLEMS = all_problems()


def exact_t_two_sided(t: float, dof: int) -> float:
    t2 = mpmath.mpf(t) ** 2
    return float(mpmath.betainc(mpmath.mpf(dof) / 2, 0.5, 0, dof / (dof + t2), regularized=True))


def exact_t_quantile(q: float, dof: int) -> float:
    def upper(s):
        x = dof / (dof + s * s)
        return mpmath.betainc(mpmath.mpf(dof) / 2, 0.5, 0, x, regularized=True) / 2

    return float(mpmath.findroot(lambda s: upper(s) - q, mpmath.mpf(2)))


def exact_f_sf(f: float, dfn: int, dfd: int) -> float:
    f = mpmath.mpf(f)
    return float(mpmath.betainc(mpmath.mpf(dfd) / 2, mpmath.mpf(dfn) / 2, 0, dfd / (dfd + dfn * f),
                                regularized=True))  # fmt: skip


def random_problem(seed: int, n: int = 60, p: int = 3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * [1.0, 10.0, 0.1][:p] + rng.uniform(-2, 2, p)
    y = 1.5 + X @ rng.standard_normal(p) * 0.3 + rng.standard_normal(n)
    return X, y


@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize("seed", range(4))
def test_matches_statsmodels(seed, intercept):
    X, y = random_problem(seed)
    ours = linreg.LinearRegression(fit_intercept=intercept).fit(X, y)
    theirs = sm.OLS(y, sm.add_constant(X) if intercept else X).fit()
    rel = 1e-12
    np.testing.assert_allclose(ours.stderr_, theirs.bse, rtol=rel)
    np.testing.assert_allclose(ours.t_values_, theirs.tvalues, rtol=rel)
    np.testing.assert_allclose(ours.pvalues_, theirs.pvalues, rtol=1e-11)
    for alpha in (0.05, 0.01, 0.32):
        np.testing.assert_allclose(ours.conf_int(alpha), theirs.conf_int(alpha), rtol=rel)
    assert ours.fvalue_ == pytest.approx(theirs.fvalue, rel=rel)
    assert ours.f_pvalue_ == pytest.approx(theirs.f_pvalue, rel=1e-11)
    assert ours.r_squared_ == pytest.approx(theirs.rsquared, rel=rel)
    X_new = X[:5] + 0.5
    frame = theirs.get_prediction(sm.add_constant(X_new, has_constant="add") if intercept
                                  else X_new).summary_frame(alpha=0.1)  # fmt: skip
    np.testing.assert_allclose(
        ours.predict_interval(X_new, alpha=0.1), frame[["mean_ci_lower", "mean_ci_upper"]], rtol=rel
    )
    np.testing.assert_allclose(
        ours.predict_interval(X_new, alpha=0.1, kind="observation"),
        frame[["obs_ci_lower", "obs_ci_upper"]],
        rtol=rel,
    )


def test_f_test_of_one_feature_is_the_square_of_its_t_test():
    X, y = random_problem(7, p=1)
    model = linreg.LinearRegression().fit(X, y)
    assert model.fvalue_ == pytest.approx(model.t_values_[1] ** 2, rel=1e-12)
    assert model.f_pvalue_ == pytest.approx(model.pvalues_[1], rel=1e-12)


@pytest.fixture(scope="module", params=PROBLEMS, ids=[p.name for p in PROBLEMS])
def hard(request):
    P = request.param
    return P, exact_least_squares(P.X, P.y)


def test_hard_problems_every_new_statistic_is_exact(hard):
    """Exact rational least squares, then mpmath at 50 digits: the p-values, intervals, F and
    its p-value keep ≥ 10 digits, and both kinds of prediction interval are within 1e-10 of
    |ŷ| + the half width (a bound near 0 is the difference of the two)."""
    P, exact = hard
    model = linreg.LinearRegression().fit(P.X[:, 1:], P.y)
    n, k = P.X.shape
    dof = n - k
    if exact.sse == 0:  # the data lie exactly on the polynomial: a friendly refusal
        with pytest.raises(ValueError, match="all residuals are zero"):
            model.conf_int()
        return
    t_exact = exact.w / exact.stderr
    assert digits(model.pvalues_, [exact_t_two_sided(t, dof) for t in t_exact]) >= 10
    t_crit = exact_t_quantile(0.025, dof)
    bounds = np.column_stack([exact.w - t_crit * exact.stderr, exact.w + t_crit * exact.stderr])
    assert digits(model.conf_int(), bounds) >= 10
    f_exact = ((exact.sst - exact.sse) / (k - 1)) / (exact.sse / dof)
    assert digits(model.fvalue_, f_exact) >= 10
    assert digits(model.f_pvalue_, exact_f_sf(f_exact, k - 1, dof)) >= 10
    rows = P.X[[0, n // 2, n - 1]]
    h = np.array([exact.leverage(row) for row in rows])
    y_hat = np.array([exact.predict(row) for row in rows])
    for kind, spread in (("mean", h), ("observation", 1 + h)):
        half = t_crit * exact.residual_std * np.sqrt(spread)
        bands = model.predict_interval(rows[:, 1:], kind=kind)
        error = np.abs(bands - np.column_stack([y_hat - half, y_hat + half]))
        # relative to |ŷ| + half width: a bound near 0 is a difference of the two
        assert np.all(error <= 1e-10 * (np.abs(y_hat) + half)[:, None]), kind


@pytest.mark.parametrize("alpha", [0, 1, -0.1, 1.5, float("nan"), "five percent"])
def test_alpha_outside_zero_one_is_refused_with_a_sentence(alpha):
    model = linreg.LinearRegression().fit(*random_problem(0))
    calls = (
        lambda a: model.conf_int(alpha=a),
        lambda a: model.summary(alpha=a),
        lambda a: model.predict_interval([[0, 0, 0]], alpha=a),
    )
    for call in calls:
        with pytest.raises(ValueError, match="alpha must be"):
            call(alpha)


def test_unknown_interval_kind_is_refused():
    model = linreg.LinearRegression().fit(*random_problem(0))
    with pytest.raises(ValueError, match='kind must be "mean"'):
        model.predict_interval([[0, 0, 0]], kind="prediction")


def test_as_many_points_as_parameters_has_no_inference():
    model = linreg.LinearRegression().fit([1.0, 3.0], [2.0, 7.0])
    for attribute in ("pvalues_", "fvalue_", "f_pvalue_"):
        with pytest.raises(ValueError, match=r"2 points and 2 parameters leave no degrees"):
            getattr(model, attribute)
    with pytest.raises(ValueError, match=r"Add points \(at least 3\)"):
        model.conf_int()
    assert "leave no degrees of freedom" in model.summary()


def test_perfect_fit_has_no_noise_to_measure():
    x = np.arange(10.0)
    model = linreg.LinearRegression().fit(x, 4.0 + 2.5 * x)
    with pytest.raises(ValueError, match=r"all residuals are zero"):
        model.pvalues_  # noqa: B018
    with pytest.raises(ValueError, match=r"all residuals are zero"):
        model.predict_interval(x)
    text = model.summary()
    assert "all residuals are zero" in text and "F(" not in text


def test_summary_has_pvalues_intervals_and_the_f_line_and_fits_a_phone():
    X, y = random_problem(1, p=2)
    model = linreg.LinearRegression().fit(X, y)
    text = model.summary()
    assert "P>|t|" in text and "[0.025" in text and "0.975]" in text
    assert f"F(2, 57) = {model.fvalue_:.6g}, p-value" in text
    assert max(len(line) for line in text.splitlines()) <= 48  # 375 px of monospace
    assert "[0.005" in model.summary(alpha=0.01)
    tiny = linreg.LinearRegression().fit(X[:, 0], 100 * X[:, 0] + y)
    assert "< 1e-16" in tiny.summary()
