"""Gradient descent: converges to the least-squares answer, records a light history, and stops
with a clear error when the learning rate makes it diverge."""

from __future__ import annotations

import json

import linreg
import numpy as np
import pytest

rng = np.random.default_rng(42)
x = rng.uniform(0, 10, 50)
y = 4.0 + 2.5 * x + rng.normal(0, 1.0, 50)
X = linreg.design_matrix(x)


def test_converges_to_the_least_squares_solution():
    result = linreg.gradient_descent(X, y, learning_rate=0.01, epochs=5000)
    assert result.converged
    np.testing.assert_allclose(result.w, linreg.lstsq_qr(X, y), rtol=1e-6)
    assert result.history[-1].step == result.epochs


def test_without_standardisation_it_needs_a_smaller_rate_and_more_epochs():
    with pytest.warns(linreg.ConvergenceWarning, match="used all 1000 epochs"):
        slow = linreg.gradient_descent(X, y, learning_rate=0.01, standardize=False)
    assert not slow.converged
    result = linreg.gradient_descent(X, y, learning_rate=0.02, epochs=20000, standardize=False)
    assert result.converged
    # tol bounds the gradient; the weights' error is larger by the Hessian's condition number
    np.testing.assert_allclose(result.w, linreg.lstsq_qr(X, y), rtol=1e-5)


def test_loss_decreases_monotonically_below_the_stable_rate():
    limit = linreg.max_stable_learning_rate(X)
    result = linreg.gradient_descent(
        X, y, learning_rate=0.9 * limit, epochs=300, standardize=False, tol=0
    )
    assert np.all(np.diff(result.history.losses) <= 1e-12 * result.history.losses[:-1])


def test_divergence_is_detected_just_above_the_stable_rate():
    limit = linreg.max_stable_learning_rate(X)
    with pytest.raises(linreg.DivergenceError, match="learning rate is too large") as caught:
        linreg.gradient_descent(X, y, learning_rate=1.05 * limit, epochs=100000, standardize=False)
    history = caught.value.history
    assert history.losses[-1] > history.losses[0]
    assert f"must be below {limit:.3g}" in str(caught.value)


def test_divergence_to_infinity_stops_instead_of_returning_nan():
    with pytest.raises(linreg.DivergenceError) as caught:
        linreg.gradient_descent(X * 1e150, y, learning_rate=1.0, standardize=False)
    assert len(caught.value.history) >= 2


def test_history_records_every_step_until_the_cap_and_keeps_first_and_last():
    short = linreg.gradient_descent(X, y, learning_rate=0.1, epochs=30, tol=0)
    assert short.history.steps.tolist() == list(range(31))
    long = linreg.gradient_descent(X, y, learning_rate=0.001, epochs=20000, tol=0)
    steps = long.history.steps
    assert 250 <= len(steps) <= 500
    assert steps[0] == 0 and steps[-1] == 20000
    assert np.all(np.diff(steps) > 0)
    record = long.history[10]
    assert isinstance(record, linreg.Step) and record.w.shape == (2,)
    assert long.history.weights.shape == (len(steps), 2)


def test_history_is_json_ready_and_in_original_units():
    result = linreg.gradient_descent(X, y, learning_rate=0.05, epochs=2000)
    payload = json.loads(json.dumps(result.history.to_dict()))
    assert set(payload) == {"step", "w", "loss"}
    w_last = np.array(payload["w"][-1])
    np.testing.assert_allclose(w_last, result.w)
    loss = np.mean((y - X @ w_last) ** 2)  # the recorded loss is the MSE in original units
    assert payload["loss"][-1] == pytest.approx(loss, rel=1e-9)


def test_standardisation_without_intercept_and_several_features():
    X3 = np.column_stack([x, x**2 / 10, rng.standard_normal(50) * 100])
    target = X3 @ [1.5, -0.5, 0.02] + rng.normal(0, 0.1, 50)
    result = linreg.gradient_descent(X3, target, learning_rate=0.1, epochs=50000)
    np.testing.assert_allclose(result.w, linreg.lstsq_qr(X3, target), rtol=1e-5)


def test_model_with_gradient_descent():
    model = linreg.LinearRegression(solver="gd", learning_rate=0.01, epochs=3000).fit(x, y)
    exact = linreg.LinearRegression().fit(x, y)
    assert model.intercept_ == pytest.approx(exact.intercept_, rel=1e-6)
    np.testing.assert_allclose(model.coef_, exact.coef_, rtol=1e-6)
    assert model.n_iter_ == model.history_[-1].step
    np.testing.assert_allclose(model.stderr_, exact.stderr_, rtol=1e-6)
    assert exact.history_ is None
