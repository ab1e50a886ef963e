"""linreg — linear regression from scratch, on NumPy, written to be read.

Building the model
    design_matrix(x, degree=1, intercept=True)   columns 1, x, x², …, x^degree

Solvers (X is a design matrix: include the column of ones yourself, or use design_matrix)
    lstsq_qr(X, y)              QR + iterative refinement: accurate, the default (on well-
                                conditioned X a faster route to the same digits: the normal
                                equations with XᵀX summed exactly, refined; see refined_normal)
    normal_equation(X, y)       solve XᵀX w = Xᵀy: fast, but squares the condition number
    normal_equation_inv(X, y)   w = inv(XᵀX) @ Xᵀy: the "why not inv()" example
    gradient_descent(X, y, learning_rate=0.01, epochs=1000, tol=1e-8, standardize=True,
                     max_records=500)
                                -> GradientDescentResult(w, history, epochs, converged);
                                   history is a History of Step(step, w, loss) records
                                   (.steps, .weights, .losses arrays, .to_dict() for JSON)
    max_stable_learning_rate(X) 2/λ_max of the loss's Hessian: above it, descent diverges
    householder_qr(X)           the factorisation itself: HouseholderQR(V, tau, R)

Goodness of fit
    residuals(y, y_hat)   mse(y, y_hat)   rmse(y, y_hat)
    r_squared(y, y_hat, centered=True)    adjusted_r_squared(y, y_hat, n_features, centered=True)
    (centered=False gives the uncentered R² = 1 - SSE/Σy² of a model without intercept)

The estimator, with scikit-learn's conventions
    LinearRegression(fit_intercept=True, solver="qr" | "normal" | "gd", learning_rate=0.01,
                     epochs=1000, tol=1e-8, standardize=True, max_records=500)
        .fit(X, y) -> self      X: n × p, or 1-D for a single feature
        .predict(X)  .score(X, y) -> R²
        .summary(alpha=0.05) -> str  (coef, std err, t, P>|t|, intervals, R², F test)
        .conf_int(alpha=0.05)        [low, high] per weight, intercept first
        .predict_interval(X, alpha=0.05, kind="mean" | "observation")   [low, high] per point
        coef_, intercept_, n_features_in_,
        stderr_, t_values_ and pvalues_ (intercept first), residual_std_ = √(SSE/(n - p)),
        fvalue_, f_pvalue_ (the model against the intercept-only one, as statsmodels),
        r_squared_, adjusted_r_squared_, history_ and n_iter_ (solver="gd", else None)

The t and F distributions (from the regularised incomplete beta function; no SciPy)
    student_t_sf(t, df)  student_t_isf(q, df)     P(T > t) and the t with P(T > t) = q
    f_sf(f, dfn, dfd)    f_isf(q, dfn, dfd)       P(F > f) and the f with P(F > f) = q
    regularized_incomplete_beta(x, a, b)          I_x(a, b)

Errors and warnings
    Bad input raises ValueError with a sentence that says what is wrong. A diverging gradient
    descent raises DivergenceError (a ValueError carrying the .history that led there).
    IllConditionedWarning (a UserWarning): the normal equations, or even QR, will lose digits.
    A model used before fit raises NotFittedError (a ValueError and an AttributeError;
    scikit-learn's own class when scikit-learn is imported). LinearRegression is a
    scikit-learn regressor (tags, clone, Pipeline, cross_val_score, GridSearchCV) without
    importing scikit-learn itself.
    ConvergenceWarning (a UserWarning): gradient descent ran out of epochs.

Example
    >>> import numpy as np, linreg
    >>> x = np.arange(10.0); y = 4.0 + 2.5 * x
    >>> model = linreg.LinearRegression().fit(x, y)
    >>> round(model.intercept_, 6), np.round(model.coef_, 6).tolist()
    (4.0, [2.5])
"""

from linreg._validation import ConvergenceWarning, IllConditionedWarning
from linreg.design import design_matrix
from linreg.distributions import (
    f_isf,
    f_sf,
    regularized_incomplete_beta,
    student_t_isf,
    student_t_sf,
)
from linreg.gradient_descent import (
    DivergenceError,
    GradientDescentResult,
    History,
    Step,
    gradient_descent,
    max_stable_learning_rate,
)
from linreg.metrics import adjusted_r_squared, mse, r_squared, residuals, rmse
from linreg.model import LinearRegression
from linreg.normal_equation import normal_equation, normal_equation_inv
from linreg.qr import householder_qr, lstsq_qr

__all__ = [
    "ConvergenceWarning",
    "DivergenceError",
    "GradientDescentResult",
    "History",
    "IllConditionedWarning",
    "LinearRegression",
    "Step",
    "adjusted_r_squared",
    "design_matrix",
    "f_isf",
    "f_sf",
    "gradient_descent",
    "householder_qr",
    "lstsq_qr",
    "max_stable_learning_rate",
    "mse",
    "normal_equation",
    "normal_equation_inv",
    "r_squared",
    "regularized_incomplete_beta",
    "residuals",
    "rmse",
    "student_t_isf",
    "student_t_sf",
]
