"""The design matrix: a column of ones for the intercept, then the features (or powers of x)."""

from __future__ import annotations

import numpy as np

from linreg._validation import validate_matrix


def design_matrix(x, degree: int = 1, intercept: bool = True) -> np.ndarray:
    """X = [1, x, x², …, x^degree] for the model ŷ = w₀ + w₁x + … + w_d x^d.

    x is 1-D (one feature) or 2-D (points × features); with several features each one
    gets its powers 1…degree (no cross terms), feature by feature. `intercept=False`
    leaves out the column of ones.
    """
    if isinstance(degree, bool) or not isinstance(degree, int | np.integer) or degree < 1:
        raise ValueError(f"degree must be a whole number ≥ 1, not {degree!r}.")
    features = validate_matrix(x, name="x")
    columns = [features**k for k in range(1, int(degree) + 1)]  # each n×m
    powers = np.stack(columns, axis=2).reshape(features.shape[0], -1)  # x1, x1², …, x2, …
    if intercept:
        return np.column_stack([np.ones(features.shape[0]), powers])
    return powers
