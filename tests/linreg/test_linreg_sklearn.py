"""linreg.LinearRegression as a scikit-learn citizen: scikit-learn's own check_estimator
passes (newest scikit-learn here, and 1.6.1, the page's version, in a second environment),
except the checks listed with their reasons in sklearn_citizen_checks.py; pipelines,
cross-validation and grid search work; errors keep their friendly sentences."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import linreg
import numpy as np
import pytest
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SKLEARN_16 = ROOT / ".venv-sklearn-1.6" / "bin" / "python"


def data(n: int = 60):
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 10, (n, 2))
    y = 4.0 + 2.5 * X[:, 0] - X[:, 1] + rng.normal(0, 1.0, n)
    return X, y


def run_checks(python: Path | str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "py_src")}
    return subprocess.run(
        [str(python), str(HERE / "sklearn_citizen_checks.py")],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip


def test_check_estimator_passes_on_the_newest_scikit_learn():
    result = run_checks(sys.executable)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "expected failures ['check_fit1d']" in result.stdout
    assert " passed, 0 failed" in result.stdout


@pytest.mark.skipif(
    not SKLEARN_16.exists() and not os.environ.get("CI"),
    reason="scripts/test.sh makes .venv-sklearn-1.6 (scikit-learn 1.6.1, the page's version)",
)
def test_check_estimator_passes_on_scikit_learn_1_6_1():
    check = subprocess.run(
        [str(SKLEARN_16), "-c", "import sklearn; print(sklearn.__version__)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert check.stdout.strip() == "1.6.1"
    result = run_checks(SKLEARN_16)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "scikit-learn 1.6.1: expected failures ['check_fit1d']" in result.stdout


def test_pipeline_cross_validation_and_grid_search():
    X, y = data()
    pipeline = make_pipeline(StandardScaler(), linreg.LinearRegression())
    pipeline.fit(X, y)
    assert pipeline.score(X, y) > 0.95
    folds = KFold(5, shuffle=True, random_state=0)
    scores = cross_val_score(pipeline, X, y, cv=folds)
    from sklearn.linear_model import LinearRegression as SklearnLinearRegression

    theirs = cross_val_score(make_pipeline(StandardScaler(), SklearnLinearRegression()), X, y,
                             cv=folds)  # fmt: skip
    np.testing.assert_allclose(scores, theirs, rtol=1e-10)
    search = GridSearchCV(
        make_pipeline(PolynomialFeatures(include_bias=False), linreg.LinearRegression()),
        {"polynomialfeatures__degree": [1, 2, 3], "linearregression__solver": ["qr", "normal"]},
        cv=folds,
    )
    search.fit(X, y)
    assert search.best_params_["polynomialfeatures__degree"] == 1
    assert isinstance(search.best_estimator_[-1], linreg.LinearRegression)


def test_not_fitted_is_scikit_learns_error_with_a_friendly_sentence():
    model = linreg.LinearRegression()
    with pytest.raises(NotFittedError, match="not fitted yet: call fit\\(X, y\\) first"):
        model.predict([[1.0, 2.0]])
    assert not hasattr(model, "coef_")


def test_without_scikit_learn_loaded_the_error_is_linregs_own():
    code = (
        "import sys, linreg\n"
        "try:\n    linreg.LinearRegression().predict([1.0])\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, isinstance(e, ValueError), isinstance(e, AttributeError),"
        " 'sklearn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["NotFittedError", "True", "True", "False"]


def test_a_column_y_warns_like_scikit_learn_and_fits_the_same():
    X, y = data()
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed"):
        column = linreg.LinearRegression().fit(X, y[:, None])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flat = linreg.LinearRegression().fit(X, y)
    np.testing.assert_array_equal(column.coef_, flat.coef_)


def test_wrong_number_of_features_says_so_in_both_vocabularies():
    X, y = data()
    model = linreg.LinearRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but LinearRegression is expecting 2"):
        model.predict(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"Reshape your data: X.reshape\(1, -1\)"):
        model.predict([1.0, 2.0])
    assert linreg.LinearRegression().fit(X[:, 0], y).predict(X[:3, 0]).shape == (3,)  # 1-D ok
