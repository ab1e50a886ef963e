"""Every kind of bad input gets a ValueError (or a warning) with a sentence a learner
understands — never a silent wrong answer."""

from __future__ import annotations

import re

import linreg
import numpy as np
import pytest
from linreg_hard_problems import filip_like

rng = np.random.default_rng(0)
x = rng.uniform(0, 10, 20)
y = 4.0 + 2.5 * x + rng.standard_normal(20)
X2 = np.column_stack([x, rng.standard_normal(20)])


def fit(X, y, **kwargs):
    return linreg.LinearRegression(**kwargs).fit(X, y)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.r_[x[:3], np.nan, x[4:]], y, "X contains NaN (a missing value) at row 3"),
        (np.r_[x[:5], np.inf, x[6:]], y, "X contains inf (infinity) at row 5"),
        (x, np.r_[y[:2], np.nan, y[3:]], "y contains NaN (a missing value) at row 2"),
        (x, np.r_[y[:2], -np.inf, y[3:]], "y contains -inf (infinity) at row 2"),
        (x, y[:-1], "X has 20 rows (points) but y has 19 values"),
        (x[:2], y[:2], None),  # 2 points, 2 parameters: allowed (an exact fit)
        (x[:1], y[:1], "1 point cannot determine 2 parameters"),
        (X2[:2], y[:2], "2 points cannot determine 3 parameters (the intercept and 2 coeff"),
        ([], [], "X is empty"),
        (np.empty((0, 2)), [], "X is empty"),
        (x, [], "y is empty"),
        (np.c_[x, np.full(20, 3.0)], y, "x2 is constant (every value is 3), which duplicates the"),
        (np.c_[x, np.zeros(20)], y, "x2 is all zeros"),
        (np.c_[x, X2[:, 1], x], y, "x3 is a copy of x1"),
        (np.c_[x, X2[:, 1], x + X2[:, 1]], y, "x3 is (up to rounding) a linear combination"),
        (["1", "2", "3"], [1, 2, 3], "X contains text such as '1', not numbers"),
        ([1, 2, "three"], [1, 2, 3], "X contains text such as 'three', not numbers"),
        ([1.0, 2.0, None, 4.0], [1, 2, 3, 4], "X contains None (a missing value)"),
        ([1.0, 2.0, {}, 4.0], [1, 2, 3, 4], "X contains {} (of type dict), which is not a number"),
        ([1, 2, 3], ["a", "b", "c"], "y contains text such as 'a'"),
        ([1j, 2, 3], [1, 2, 3], "X contains complex numbers"),
        ([[1, 2], [3]], [1, 2], "rows have different lengths"),
        (5.0, [1.0], "X is a single number"),
        (np.ones((3, 2, 2)), [1, 2, 3], "X must be 1-D or 2-D"),
        (x, np.c_[y, y], "y must be a 1-D array of targets"),
    ],
)
def test_bad_input_raises_a_clear_value_error(X, y, message):
    if message is None:
        fit(X, y)
        return
    with pytest.raises(ValueError, match=re.escape(message)):
        fit(X, y)


def test_constant_columns_without_intercept():
    ones = np.ones(20)
    model = fit(np.c_[ones, x], y, fit_intercept=False)  # a constant is fine: it *is* the intercept
    assert model.coef_[0] == pytest.approx(model.coef_[0])
    with pytest.raises(ValueError, match="x1 and x3 are both constant"):
        fit(np.c_[ones, x, 2 * ones], y, fit_intercept=False)


@pytest.mark.parametrize(
    "solver", [linreg.lstsq_qr, linreg.normal_equation, linreg.normal_equation_inv]
)
def test_solvers_name_columns_of_the_design_matrix(solver):
    X = linreg.design_matrix(x)
    with pytest.raises(ValueError, match=re.escape("column 2 of X is a copy of column 1 of X")):
        solver(np.c_[X, x], y)
    with pytest.raises(ValueError, match="column 0 of X and column 2 of X are both constant"):
        solver(np.c_[X, np.full(20, 2.0)], y)
    with pytest.raises(ValueError, match="3 points cannot determine 4 parameters"):
        solver(linreg.design_matrix(x[:3], degree=3), y[:3])


def test_lstsq_qr_reports_numerical_rank_deficiency():
    X = np.c_[np.ones(20), x, X2[:, 1], 3 * x - 0.5 * X2[:, 1]]
    with pytest.raises(ValueError, match=r"column 3 of X is \(up to rounding\) a linear comb"):
        linreg.lstsq_qr(X, y)


def test_diverging_learning_rate():
    with pytest.raises(ValueError, match="learning rate is too large") as caught:
        fit(x, y, solver="gd", learning_rate=2.0)
    assert isinstance(caught.value, linreg.DivergenceError)
    assert "must be below 1" in str(caught.value)  # standardised: Hessian 2I, limit 2/2


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"solver": "svd"}, "solver must be one of ('qr', 'normal', 'gd'), not 'svd'"),
        ({"solver": "gd", "learning_rate": -0.1}, "learning_rate must be a positive number"),
        ({"solver": "gd", "learning_rate": np.nan}, "learning_rate must be a positive number"),
        ({"solver": "gd", "epochs": 0}, "epochs must be a whole number ≥ 1"),
        ({"solver": "gd", "epochs": 10.5}, "epochs must be a whole number ≥ 1"),
        ({"solver": "gd", "tol": -1}, "tol must be a number ≥ 0"),
        ({"solver": "gd", "max_records": 1}, "max_records must be a whole number ≥ 2"),
    ],
)
def test_bad_settings(settings, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        fit(x, y, **settings)


def test_predict_checks():
    with pytest.raises(ValueError, match="not fitted yet"):
        linreg.LinearRegression().predict(x)
    model = fit(X2, y)
    with pytest.raises(ValueError, match="X has 1 features, but LinearRegression is expecting 2"):
        model.predict(x[:, None])
    with pytest.raises(ValueError, match="X is 1-D, so it is read as 20 points of one feature"):
        model.predict(x)
    with pytest.raises(ValueError, match="X contains NaN"):
        model.predict(np.c_[x, np.full(20, np.nan)])


def test_ill_conditioned_normal_equations_warn_with_the_condition_number():
    P = filip_like()
    for solve in (linreg.normal_equation, linreg.normal_equation_inv):
        with pytest.warns(linreg.IllConditionedWarning, match=r"condition number \d\.\de\+\d+"):
            solve(P.X, P.y)
    with pytest.warns(linreg.IllConditionedWarning, match="Use the QR solver"):
        fit(P.X[:, 1:], P.y, solver="normal")
    assert issubclass(linreg.IllConditionedWarning, UserWarning)


def test_well_conditioned_normal_equations_do_not_warn(recwarn):
    linreg.normal_equation(linreg.design_matrix(x), y)
    assert not [w for w in recwarn if issubclass(w.category, linreg.IllConditionedWarning)]


def test_metric_errors():
    with pytest.raises(ValueError, match="y has 3 values but y_hat has 2"):
        linreg.r_squared([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="R² is undefined: y has no variation"):
        linreg.r_squared([2, 2, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="y_hat contains NaN"):
        linreg.mse([1, 2, 3], [1, np.nan, 3])
    with pytest.raises(ValueError, match="Adjusted R² needs more points than parameters"):
        linreg.adjusted_r_squared([1, 2, 3], [1, 2, 3], n_features=2)


def test_design_matrix_errors():
    with pytest.raises(ValueError, match="degree must be a whole number ≥ 1, not 0"):
        linreg.design_matrix(x, degree=0)
    with pytest.raises(ValueError, match=re.escape("degree must be a whole number ≥ 1, not 2.5")):
        linreg.design_matrix(x, degree=2.5)
    with pytest.raises(ValueError, match="x contains NaN"):
        linreg.design_matrix([1.0, np.nan])
