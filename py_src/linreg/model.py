"""LinearRegression: scikit-learn's interface, plus the statistics a textbook reports.

model = LinearRegression().fit(X, y)     # fit returns the model itself
model.predict(X_new)                     # ŷ = intercept_ + X_new @ coef_
model.score(X, y)                        # R²
print(model.summary())                   # coef, std err, t, R², adjusted R²
"""

from __future__ import annotations

import math

import numpy as np

from linreg._validation import (
    check_columns,
    check_enough_points,
    check_lengths,
    validate_matrix,
    validate_y,
)
from linreg.gradient_descent import History, gradient_descent
from linreg.metrics import r_squared, sum_of_squares, total_sum_of_squares
from linreg.normal_equation import _check_conditioning
from linreg.qr import ScaledQR, residuals_dd

SOLVERS = ("qr", "normal", "gd")
_PARAMETERS = (
    "fit_intercept",
    "solver",
    "learning_rate",
    "epochs",
    "tol",
    "standardize",
    "max_records",
)


class LinearRegression:
    """Ordinary least squares: minimise Σᵢ (yᵢ - ŷᵢ)², ŷ = intercept_ + X @ coef_.

    solver: "qr" (default: Householder QR with iterative refinement, accurate to nearly full
    double precision), "normal" (the normal equation XᵀXw = Xᵀy, fast but it squares the
    condition number) or "gd" (gradient descent; uses learning_rate, epochs, tol, standardize
    and max_records, and records `history_`).

    Fitted attributes
    -----------------
    coef_             one coefficient per feature
    intercept_        the intercept (0.0 when fit_intercept=False)
    n_features_in_    number of features seen in fit
    stderr_           standard errors: intercept first (if fitted), then the coefficients
    t_values_         coefficient / standard error, in the same order
    residual_std_     s = √(SSE/(n - p)), the typical size of a residual
    r_squared_        R² on the training data (uncentered 1 - SSE/Σy² without intercept)
    adjusted_r_squared_
    history_          gradient descent's recorded steps (None for the other solvers)
    n_iter_           epochs run by gradient descent (None for the other solvers)
    """

    def __init__(
        self,
        fit_intercept: bool = True,
        solver: str = "qr",
        learning_rate: float = 0.01,
        epochs: int = 1000,
        tol: float = 1e-8,
        standardize: bool = True,
        max_records: int = 500,
    ):
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.tol = tol
        self.standardize = standardize
        self.max_records = max_records

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's settings, as scikit-learn's estimators report them."""
        return {name: getattr(self, name) for name in _PARAMETERS}

    def set_params(self, **params) -> LinearRegression:
        for name, value in params.items():
            if name not in _PARAMETERS:
                raise ValueError(f"LinearRegression has no parameter {name!r}.")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = LinearRegression().get_params()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"LinearRegression({', '.join(changed)})"

    # -- fitting ------------------------------------------------------------------------

    def fit(self, X, y) -> LinearRegression:
        """Fit to X (n points × p features, or 1-D for one feature) and y (n targets)."""
        if self.solver not in SOLVERS:
            raise ValueError(f"solver must be one of {SOLVERS}, not {self.solver!r}.")
        columns = getattr(X, "columns", None)  # a pandas DataFrame names its columns
        X, y = validate_matrix(X), validate_y(y)
        check_lengths(X, y)
        n, p = X.shape
        names = [f"x{j + 1}" for j in range(p)] if columns is None else [str(c) for c in columns]
        self._feature_names = names
        what = f"{'the intercept and ' if self.fit_intercept else ''}{p} coefficient(s)"
        check_enough_points(n, p + self.fit_intercept, what)
        check_columns(X, names, intercept=self.fit_intercept)
        if self.fit_intercept:
            X = _with_intercept(X)
            names = ["intercept", *names]

        factored = ScaledQR.factor(X, names)  # the standard errors need it whatever the solver
        w, r = self._solve(factored, X, y)
        self.intercept_ = float(w[0]) if self.fit_intercept else 0.0
        self.coef_ = w[1:] if self.fit_intercept else w
        self.n_features_in_ = p
        self._set_statistics(factored, w, r, y)
        return self

    def _solve(
        self, factored: ScaledQR, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients w (intercept first) and residuals r = y - Xw, by the chosen solver."""
        self.history_: History | None = None
        self.n_iter_: int | None = None
        if self.solver == "qr":
            solution = factored.solve(y)
            return solution.w, solution.r
        if self.solver == "normal":
            gram = X.T @ X
            _check_conditioning(gram, "the normal equation")
            w = np.linalg.solve(gram, X.T @ y)
            return w, residuals_dd(X, w, y)
        result = gradient_descent(
            X,
            y,
            learning_rate=self.learning_rate,
            epochs=self.epochs,
            tol=self.tol,
            standardize=self.standardize,
            max_records=self.max_records,
        )
        self.history_, self.n_iter_ = result.history, result.epochs
        return result.w, residuals_dd(X, result.w, y)

    def _set_statistics(
        self, factored: ScaledQR, w: np.ndarray, r: np.ndarray, y: np.ndarray
    ) -> None:
        """s² = SSE/(n - p);  std err(wⱼ) = √(s²·[(XᵀX)⁻¹]ⱼⱼ);  t = wⱼ / std err(wⱼ)."""
        n, k = factored.X_scaled.shape
        self._names = ["intercept"] * self.fit_intercept + self._feature_names
        self._n_samples = n
        sse = sum_of_squares(r)
        dof = n - k
        self.residual_std_ = math.sqrt(sse / dof) if dof > 0 else math.nan
        self.stderr_ = self.residual_std_ * np.sqrt(factored.inverse_gram_diagonal())
        with np.errstate(divide="ignore", invalid="ignore"):
            self.t_values_ = w / self.stderr_
        sst = total_sum_of_squares(y, centered=self.fit_intercept)
        self.r_squared_ = 1.0 - sse / sst if sst > 0 else math.nan
        n_centered = n - 1 if self.fit_intercept else n
        self.adjusted_r_squared_ = (
            1.0 - (1.0 - self.r_squared_) * n_centered / dof if dof > 0 else math.nan
        )

    # -- using the fit -----------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ValueError("This LinearRegression is not fitted yet: call fit(X, y) first.")

    def predict(self, X) -> np.ndarray:
        """ŷ = intercept_ + X @ coef_."""
        self._check_fitted()
        X = validate_matrix(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} feature(s), but the model was fitted with "
                f"{self.n_features_in_}."
            )
        return X @ self.coef_ + self.intercept_

    def score(self, X, y) -> float:
        """R² of the predictions for X against y (uncentered when fit_intercept=False)."""
        return r_squared(y, self.predict(X), centered=self.fit_intercept)

    def summary(self, feature_names: list[str] | None = None) -> str:
        """A text table of coefficients, standard errors and t statistics, with R².

        Features are called x1, x2, … (or by the DataFrame's column names) unless
        `feature_names` says otherwise.
        """
        self._check_fitted()
        names = list(self._names)
        if feature_names is not None:
            if len(feature_names) != self.n_features_in_:
                raise ValueError(
                    f"feature_names has {len(feature_names)} names for "
                    f"{self.n_features_in_} features."
                )
            names[-self.n_features_in_ :] = [str(name) for name in feature_names]
        w = np.r_[[self.intercept_] if self.fit_intercept else [], self.coef_]
        width = max(12, *(len(name) for name in names))
        rule = "=" * (width + 45)
        n, k = self._n_samples, len(w)
        title = f"Linear regression (solver: {self.solver!r}), {n} points, {k} parameter"
        lines = [
            (title + "s" * (k != 1)).center(len(rule)),
            rule,
            f"{'':<{width}}{'coef':>15}{'std err':>15}{'t':>15}",
            "-" * len(rule),
        ]
        for name, coef, se, t in zip(names, w, self.stderr_, self.t_values_, strict=True):
            lines.append(f"{name:<{width}}{coef:>15.6g}{se:>15.6g}{t:>15.4g}")
        lines += [
            rule,
            f"R²: {self.r_squared_:.6f}    adjusted R²: {self.adjusted_r_squared_:.6f}"
            + ("" if self.fit_intercept else "    (uncentered: no intercept)"),
            f"residual std: {self.residual_std_:.6g} on {n - k} degrees of freedom",
        ]
        return "\n".join(lines)


def _with_intercept(X: np.ndarray) -> np.ndarray:
    """[1 X]: the design matrix with a column of ones first (stored column by column)."""
    D = np.empty((X.shape[0], X.shape[1] + 1), order="F")
    D[:, 0] = 1.0
    D[:, 1:] = X
    return D
