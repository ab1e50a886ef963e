"""LinearRegression follows scikit-learn's conventions and adds a textbook summary."""

from __future__ import annotations

import linreg
import numpy as np
import pytest

rng = np.random.default_rng(7)
x = rng.uniform(0, 10, 40)
y = 4.0 + 2.5 * x + rng.normal(0, 1.0, 40)


def test_fit_returns_self_and_sets_the_fitted_attributes():
    model = linreg.LinearRegression()
    assert model.fit(x, y) is model
    assert model.coef_.shape == (1,)
    assert isinstance(model.intercept_, float)
    assert model.n_features_in_ == 1
    assert model.stderr_.shape == (2,) and model.t_values_.shape == (2,)
    assert model.intercept_ == pytest.approx(4.0, abs=1.0)
    assert model.coef_[0] == pytest.approx(2.5, abs=0.2)
    assert 0.9 < model.r_squared_ <= 1.0
    assert model.adjusted_r_squared_ < model.r_squared_
    assert model.residual_std_ == pytest.approx(1.0, rel=0.3)
    assert model.history_ is None and model.n_iter_ is None


def test_one_dimensional_and_column_inputs_agree():
    a = linreg.LinearRegression().fit(x, y)
    with pytest.warns(UserWarning, match="A column-vector y was passed"):  # as scikit-learn
        b = linreg.LinearRegression().fit(x[:, None], y[:, None])
    c = linreg.LinearRegression().fit(x.tolist(), y.tolist())
    for other in (b, c):
        assert other.intercept_ == a.intercept_
        np.testing.assert_array_equal(other.coef_, a.coef_)


def test_predict_and_score():
    model = linreg.LinearRegression().fit(x, y)
    np.testing.assert_allclose(
        model.predict([0.0, 1.0]), model.intercept_ + model.coef_[0] * np.array([0.0, 1.0])
    )
    assert model.score(x, y) == pytest.approx(model.r_squared_, rel=1e-12)
    assert model.score(x, y) == pytest.approx(linreg.r_squared(y, model.predict(x)), rel=1e-12)


def test_without_intercept_the_line_goes_through_the_origin():
    model = linreg.LinearRegression(fit_intercept=False).fit(x, y)
    assert model.intercept_ == 0.0
    assert model.coef_[0] == pytest.approx((x @ y) / (x @ x), rel=1e-14)
    assert model.stderr_.shape == (1,)
    sse = np.sum((y - model.predict(x)) ** 2)
    assert model.r_squared_ == pytest.approx(1 - sse / np.sum(y**2), rel=1e-12)
    assert model.score(x, y) == pytest.approx(model.r_squared_, rel=1e-12)


def test_solvers_agree_on_an_easy_problem():
    fits = [
        linreg.LinearRegression(solver=s, epochs=5000).fit(x, y) for s in ("qr", "normal", "gd")
    ]
    for other in fits[1:]:
        assert other.intercept_ == pytest.approx(fits[0].intercept_, rel=1e-6)
        np.testing.assert_allclose(other.coef_, fits[0].coef_, rtol=1e-6)
        np.testing.assert_allclose(other.stderr_, fits[0].stderr_, rtol=1e-6)
    assert fits[2].history_ is not None and len(fits[2].history_) <= 500


def test_several_features():
    X = np.column_stack([x, rng.standard_normal(40), rng.uniform(100, 200, 40)])
    target = 1.0 + X @ [2.0, -3.0, 0.01] + rng.normal(0, 0.1, 40)
    model = linreg.LinearRegression().fit(X, target)
    assert model.n_features_in_ == 3
    np.testing.assert_allclose(model.coef_, [2.0, -3.0, 0.01], atol=0.05)
    assert model.predict(X).shape == (40,)


def test_exact_fit_with_as_many_points_as_parameters():
    model = linreg.LinearRegression().fit([1.0, 3.0], [2.0, 6.0])
    assert model.coef_[0] == pytest.approx(2.0) and model.intercept_ == pytest.approx(
        0.0, abs=1e-15
    )
    assert np.isnan(model.residual_std_) and np.all(np.isnan(model.stderr_))


def test_summary_is_a_statsmodels_style_table():
    model = linreg.LinearRegression().fit(np.column_stack([x, x**2]), y)
    text = model.summary()
    lines = text.splitlines()
    assert "coef" in text and "std err" in text and " t" in text
    assert any(line.startswith("intercept") for line in lines)
    assert any(line.startswith("x1") for line in lines) and any(
        line.startswith("x2") for line in lines
    )
    assert f"R²: {model.r_squared_:.6f}" in text
    assert f"adj. R²: {model.adjusted_r_squared_:.6f}" in text
    assert "37 degrees of freedom" in text
    named = model.summary(feature_names=["x", "x squared"])
    assert any(line.startswith("x squared") for line in named.splitlines())


def test_parameters_and_repr():
    model = linreg.LinearRegression(solver="gd", learning_rate=0.05)
    assert repr(model) == "LinearRegression(solver='gd', learning_rate=0.05)"
    assert model.get_params()["learning_rate"] == 0.05
    assert model.set_params(epochs=10).epochs == 10
    with pytest.raises(ValueError, match="no parameter 'alpha'"):
        model.set_params(alpha=1.0)


def test_sklearn_can_clone_it():
    from sklearn.base import clone

    model = linreg.LinearRegression(fit_intercept=False, solver="normal")
    copy = clone(model)
    assert copy is not model and copy.get_params() == model.get_params()


def test_lesson_snippet():
    """What the page runs: noisy points around slope 2.5, intercept 4.0."""
    model = linreg.LinearRegression(solver="gd", learning_rate=0.01, epochs=2000).fit(x, y)
    assert len(model.history_) >= 2
    assert linreg.r_squared(y, model.predict(x)) == pytest.approx(model.r_squared_, rel=1e-9)
    assert "x1" in model.summary()


def test_import_is_cheap():
    import subprocess
    import sys

    code = (
        "import sys, linreg; print(sorted({'scipy', 'sklearn', 'matplotlib'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_package_docstring_example_runs():
    import doctest

    result = doctest.testmod(linreg, verbose=False)
    assert result.attempted > 0 and result.failed == 0


class _Frame:
    """Just enough of a pandas DataFrame: named columns, convertible to an array."""

    def __init__(self, data: dict[str, np.ndarray]):
        self.columns = list(data)
        self._values = np.column_stack(list(data.values()))

    def __array__(self, dtype=None, copy=None):
        return self._values if dtype is None else self._values.astype(dtype)


def test_dataframe_column_names_are_used():
    frame = _Frame({"area": x, "rooms": np.round(x / 3) + rng.integers(0, 2, 40)})
    model = linreg.LinearRegression().fit(frame, y)
    assert any(line.startswith("rooms") for line in model.summary().splitlines())
    with pytest.raises(ValueError, match="area2 is a copy of area"):
        linreg.LinearRegression().fit(_Frame({"area": x, "area2": x}), y)
