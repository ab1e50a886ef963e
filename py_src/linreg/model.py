"""LinearRegression: scikit-learn's interface, plus the statistics a textbook reports.

model = LinearRegression().fit(X, y)     # fit returns the model itself
model.predict(X_new)                     # ŷ = intercept_ + X_new @ coef_
model.score(X, y)                        # R²
print(model.summary())                   # coef, std err, t, p-value, intervals, R², F
model.conf_int(alpha=0.05)               # 95% confidence intervals of the weights
model.predict_interval(X_new, kind="observation")   # where new points will fall (95%)
"""

from __future__ import annotations

import math

import numpy as np

from linreg._sklearn_compat import RegressorHooks, data_conversion_warning, not_fitted_error
from linreg._validation import (
    as_float_array,
    check_columns,
    check_enough_points,
    check_lengths,
    validate_matrix,
    validate_y,
    warn,
)
from linreg.gradient_descent import History, gradient_descent
from linreg.inference import (
    check_alpha,
    confidence_intervals,
    f_test,
    interval_half_widths,
    two_sided_pvalues,
)
from linreg.metrics import deviations_from_mean, r_squared, sum_of_squares
from linreg.normal_equation import _check_conditioning
from linreg.qr import ScaledQR, residuals_dd
from linreg.summary import format_summary

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


class LinearRegression(RegressorHooks):
    """Ordinary least squares: minimise Σᵢ (yᵢ - ŷᵢ)², ŷ = intercept_ + X @ coef_.

    solver: "qr" (default: QR with iterative refinement, accurate to nearly full double
    precision; on well-conditioned data the normal equations with XᵀX summed exactly and
    refined (refined_normal), the readable Householder QR otherwise),
    "normal" (the normal equation XᵀXw = Xᵀy, fast but it squares the condition number) or
    "gd" (gradient descent; uses learning_rate, epochs, tol, standardize and max_records, and
    records `history_`).

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
    pvalues_          two-sided p-values of the t statistics, 2·P(T_{n-k} > |t|)
    fvalue_, f_pvalue_  the F test of the model against the intercept-only model (against
                      ŷ = 0 without an intercept), on (k - 1, n - k) or (k, n - k) degrees of
                      freedom, as statsmodels computes it
    conf_int(alpha)   confidence intervals of the weights;  predict_interval(X, alpha, kind)
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
        if y is None:
            raise ValueError(
                "LinearRegression requires y to be passed, but the target y is None: pass "
                "the values to predict, one per point."
            )
        if getattr(y, "ndim", 0) == 2 and y.shape[1] == 1:
            warn(
                "A column-vector y was passed when a 1d array was expected: y is flattened to "
                "one value per point (y.ravel() does this without the warning).",
                data_conversion_warning(),
            )
        # With an intercept X is copied into [1 X] anyway: no copy before that.
        X, y = validate_matrix(X, order="K" if self.fit_intercept else "F"), validate_y(y)
        check_lengths(X, y)
        n, p = X.shape
        names = [f"x{j + 1}" for j in range(p)] if columns is None else [str(c) for c in columns]
        self._feature_names = names
        what = f"{'the intercept and ' if self.fit_intercept else ''}{p} coefficient(s)"
        check_enough_points(n, p + self.fit_intercept, what)
        if self.fit_intercept:  # [1 X], stored column by column: the checks run down columns
            X = _with_intercept(X)
            check_columns(X[:, 1:], names, intercept=True)
            names = ["intercept", *names]
        else:
            check_columns(X, names)

        # the standard errors need it whatever the solver
        factored = ScaledQR.factor(X, names, y=y if self.solver == "qr" else None)
        w, r, sse = self._solve(factored, X, y)
        self.intercept_ = float(w[0]) if self.fit_intercept else 0.0
        self.coef_ = w[1:] if self.fit_intercept else w
        self.n_features_in_ = p
        self._set_statistics(factored, w, r, y, sse)
        return self

    def _solve(
        self, factored: ScaledQR, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, float | None]:
        """Coefficients w (intercept first), residuals r = y - Xw, and Σr² when the solver
        computed it more accurately than from r (else None), by the chosen solver."""
        self.history_: History | None = None
        self.n_iter_: int | None = None
        if self.solver == "qr":
            solution = factored.solve(y)
            return solution.w, solution.r, solution.sse
        if self.solver == "normal":
            gram = X.T @ X
            _check_conditioning(gram, "the normal equation")
            w = np.linalg.solve(gram, X.T @ y)
            return w, residuals_dd(X, w, y), None
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
        return result.w, residuals_dd(X, result.w, y), None

    def _set_statistics(
        self,
        factored: ScaledQR,
        w: np.ndarray,
        r: np.ndarray,
        y: np.ndarray,
        sse: float | None = None,
    ) -> None:
        """s² = SSE/(n - p);  std err(wⱼ) = √(s²·[(XᵀX)⁻¹]ⱼⱼ);  t = wⱼ / std err(wⱼ)."""
        n, k = factored.X.shape
        self._names = ["intercept"] * self.fit_intercept + self._feature_names
        self._n_samples = n
        self._factored = factored  # for predict_interval
        self._w = w
        sse = sum_of_squares(r) if sse is None else sse
        dof = n - k
        self.residual_std_ = math.sqrt(sse / dof) if dof > 0 else math.nan
        self.stderr_ = self.residual_std_ * np.sqrt(factored.inverse_gram_diagonal())
        with np.errstate(divide="ignore", invalid="ignore"):
            self.t_values_ = w / self.stderr_
        # ESS = Σ(ŷᵢ - ȳ)² = Σ((yᵢ - ȳ) - rᵢ)² (Σŷᵢ² without intercept), SST = ESS + SSE
        deviations = deviations_from_mean(y) if self.fit_intercept else y
        self._sse, self._ess = sse, sum_of_squares(deviations - r)
        self._rounding_sse = n * (2.0**-50 * float(np.max(np.abs(y)))) ** 2
        self._df_model = k - 1 if self.fit_intercept else k
        sst = sum_of_squares(deviations)
        self.r_squared_ = 1.0 - sse / sst if sst > 0 else math.nan
        n_centered = n - 1 if self.fit_intercept else n
        self.adjusted_r_squared_ = (
            1.0 - (1.0 - self.r_squared_) * n_centered / dof if dof > 0 else math.nan
        )

    # -- inference ----------------------------------------------------------------------

    def _inference_problem(self) -> str | None:
        """Why p-values and intervals cannot be computed for this fit, or None if they can."""
        self._check_fitted()
        n, k = self._n_samples, len(self._w)
        if n <= k:
            return (
                f"p-values, intervals and the F test need more points than parameters: "
                f"{n} points and {k} parameters leave no degrees of freedom to measure the "
                f"noise. Add points (at least {k + 1})."
            )
        if self._sse <= self._rounding_sse:  # residuals at the rounding level of y
            return (
                "Every point lies exactly on the fitted model (all residuals are zero), so "
                "there is no noise to measure: p-values, intervals and the F test are "
                "undefined."
            )
        return None

    def _check_inference(self) -> int:
        """The residual degrees of freedom n - k, or a ValueError saying why there are none."""
        reason = self._inference_problem()
        if reason is not None:
            raise ValueError(reason)
        return self._n_samples - len(self._w)

    @property
    def pvalues_(self) -> np.ndarray:
        """Two-sided p-values 2·P(T_{n-k} > |tⱼ|), intercept first: how often pure noise
        would give a t this far from 0 if the true weight were 0."""
        return two_sided_pvalues(self.t_values_, self._check_inference())

    @property
    def fvalue_(self) -> float:
        """F = (ESS/d₁)/(SSE/(n - k)): explained against unexplained variation, per degree."""
        return f_test(self._ess, self._sse, self._df_model, self._check_inference())[0]

    @property
    def f_pvalue_(self) -> float:
        """P(F_{d₁, n-k} > F): the p-value of "all weights (but the intercept) are 0"."""
        return f_test(self._ess, self._sse, self._df_model, self._check_inference())[1]

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """(1 - α) confidence intervals, one row [low, high] per weight, intercept first:
        wⱼ ± t_{n-k, 1-α/2} · std err(wⱼ)."""
        alpha = check_alpha(alpha)
        return confidence_intervals(self._w, self.stderr_, self._check_inference(), alpha)

    def predict_interval(self, X, alpha: float = 0.05, kind: str = "mean") -> np.ndarray:
        """(1 - α) intervals around ŷ at new points X, one row [low, high] per point.

        kind="mean": where the true line is, ŷ ± t·s·√h with h = x₀ᵀ(XᵀX)⁻¹x₀ (a confidence
        band); kind="observation": where a new measurement will fall, ŷ ± t·s·√(1 + h) (a
        prediction band, wider by the noise itself).
        """
        alpha = check_alpha(alpha)
        self.predict(X)  # the same checks as predict
        dof = self._check_inference()
        X0 = validate_matrix(X)
        if self.fit_intercept:
            X0 = _with_intercept(X0)
        y_hat = -residuals_dd(X0, self._w, np.zeros(len(X0)))  # ŷ = X0·w in double-double
        h = self._factored.leverages(X0)
        half = interval_half_widths(h, self.residual_std_, dof, alpha, kind)
        return np.column_stack([y_hat - half, y_hat + half])

    # -- using the fit -----------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise not_fitted_error(
                "This LinearRegression instance is not fitted yet: call fit(X, y) first "
                "(fit before predict, score, summary or the intervals)."
            )

    def predict(self, X) -> np.ndarray:
        """ŷ = intercept_ + X @ coef_."""
        self._check_fitted()
        X = as_float_array(X, "X")
        one_dimensional = X.ndim == 1
        X = validate_matrix(X)
        if one_dimensional and self.n_features_in_ > 1:
            raise ValueError(
                f"X is 1-D, so it is read as {X.shape[0]} points of one feature, but "
                f"LinearRegression is expecting {self.n_features_in_} features as input. "
                f"Reshape your data: X.reshape(1, -1) for a single point."
            )
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but LinearRegression is expecting "
                f"{self.n_features_in_} features as input: pass the same columns as in fit."
            )
        return X @ self.coef_ + self.intercept_

    def score(self, X, y) -> float:
        """R² of the predictions for X against y (uncentered when fit_intercept=False)."""
        return r_squared(y, self.predict(X), centered=self.fit_intercept)

    def summary(self, feature_names: list[str] | None = None, alpha: float = 0.05) -> str:
        """A text table like statsmodels': coef, std err, t, P>|t|, the (1 - α) confidence
        intervals, R², adjusted R², the F test and the residual standard deviation.

        Features are called x1, x2, … (or by the DataFrame's column names) unless
        `feature_names` says otherwise.
        """
        self._check_fitted()
        alpha = check_alpha(alpha)
        names = list(self._names)
        if feature_names is not None:
            if len(feature_names) != self.n_features_in_:
                raise ValueError(
                    f"feature_names has {len(feature_names)} names for "
                    f"{self.n_features_in_} features."
                )
            names[-self.n_features_in_ :] = [str(name) for name in feature_names]
        return format_summary(self, names, alpha)


def _with_intercept(X: np.ndarray) -> np.ndarray:
    """[1 X]: the design matrix with a column of ones first (stored column by column)."""
    D = np.empty((X.shape[0], X.shape[1] + 1), order="F")
    D[:, 0] = 1.0
    D[:, 1:] = X
    return D
