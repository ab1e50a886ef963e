"""design_matrix: the column of ones, then the powers of x."""

from __future__ import annotations

import linreg
import numpy as np


def test_straight_line_and_polynomial():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(linreg.design_matrix(x), [[1, 1], [1, 2], [1, 3]])
    np.testing.assert_array_equal(
        linreg.design_matrix(x, degree=3), [[1, 1, 1, 1], [1, 2, 4, 8], [1, 3, 9, 27]]
    )
    np.testing.assert_array_equal(
        linreg.design_matrix(x, degree=2, intercept=False), [[1, 1], [2, 4], [3, 9]]
    )
    np.testing.assert_array_equal(linreg.design_matrix(x, 4), np.vander(x, 5, increasing=True))


def test_several_features_get_their_powers_feature_by_feature():
    X = np.array([[1.0, 10.0], [2.0, 20.0]])
    np.testing.assert_array_equal(
        linreg.design_matrix(X, degree=2), [[1, 1, 1, 10, 100], [1, 2, 4, 20, 400]]
    )


def test_design_matrix_feeds_the_solvers():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 30)
    y = 1.0 - 2.0 * x + 0.5 * x**2
    w = linreg.lstsq_qr(linreg.design_matrix(x, degree=2), y)
    np.testing.assert_allclose(w, [1.0, -2.0, 0.5], rtol=1e-13)
