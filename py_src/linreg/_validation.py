"""Checks at the door: every bad input gets a ValueError with a sentence a learner understands.

A regression on bad data does not fail loudly by itself — NumPy happily fits NaN, text that
happens to parse, or a column that is a copy of another, and returns numbers. So every public
function calls these checks first.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

import numpy as np


class IllConditionedWarning(UserWarning):
    """The problem is so ill-conditioned that the chosen method may lose most of its digits."""


class ConvergenceWarning(UserWarning):
    """An iterative method stopped (ran out of epochs) before it converged."""


class NotANumberError(ValueError, TypeError):
    """A value that is not a number at all (a dict, a list…): a ValueError like every bad input
    here, and a TypeError like NumPy's own complaint, which scikit-learn's checks expect."""


def warn(message: str, category: type[Warning] = IllConditionedWarning) -> None:
    """Issue a warning attributed to the learner's line of code, not to linreg's internals."""
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("linreg"):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def as_float_array(a, name: str, order: str = "F") -> np.ndarray:
    """Convert to a float array, refusing text, objects, complex numbers and ragged lists."""
    if a is None:
        raise ValueError(f"{name} is None; pass an array of numbers.")
    try:
        arr = np.asarray(a)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"{name} could not be read as a table of numbers: its rows have different lengths."
        ) from error
    kind = arr.dtype.kind
    if kind in "US":
        values = [str(v) for v in arr.ravel()]
        example = next((v for v in values if not _looks_numeric(v)), values[0] if values else "")
        raise ValueError(
            f"{name} contains text such as {str(example)!r}, not numbers. Convert it to numbers "
            f"first (for example with float()), or drop the non-numeric column."
        )
    if kind == "c":
        raise ValueError(
            f"Complex data not supported: {name} contains complex numbers, and linear "
            f"regression here needs real numbers."
        )
    if kind in "mM":
        raise ValueError(f"{name} contains dates or times; convert them to numbers first.")
    if kind == "O":
        for value in arr.ravel():
            if isinstance(value, bool | np.bool_) or value is None:
                continue
            try:
                float(value)
            except (TypeError, ValueError):
                raise NotANumberError(
                    f"{name} contains {value!r} (of type {type(value).__name__}), which is not "
                    f"a number (float() argument must be a string or a real number)."
                ) from None
            if isinstance(value, str | bytes):
                raise ValueError(f"{name} contains text such as {value!r}, not numbers.")
        if any(value is None for value in arr.ravel()):
            raise ValueError(f"{name} contains None (a missing value); remove or fill it first.")
    # Column-major ("Fortran") order: every algorithm here works column by column. (order="K"
    # keeps the input's layout, for a caller that copies it into its own array anyway.)
    return np.asarray(arr, dtype=float, order=order)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_finite(arr: np.ndarray, name: str) -> None:
    if np.isfinite(arr.sum()):  # a single NaN or inf makes the sum NaN or inf: a fast test
        return
    if np.isfinite(arr).all():  # every entry is finite, the sum merely overflowed
        return
    where = np.argwhere(~np.isfinite(arr))[0]
    value = arr[tuple(where)]
    kind = "NaN (a missing value)" if np.isnan(value) else f"{value} (infinity)"
    place = f"row {where[0]}" + (f", column {where[1]}" if arr.ndim == 2 else "")
    raise ValueError(
        f"{name} contains {kind} at {place}. Remove or fill such values before fitting."
    )


def validate_matrix(X, name: str = "X", order: str = "F") -> np.ndarray:
    """X as a 2-D float array; a 1-D X is one feature, i.e. a single column."""
    X = as_float_array(X, name, order)
    if X.ndim == 0:
        raise ValueError(f"{name} is a single number; pass an array with one value per point.")
    if X.ndim == 1:
        X = X.reshape(-1, 1, order="F")
    if X.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D (points × features), but it is {X.ndim}-D.")
    if X.shape[1] == 0:
        raise ValueError(
            f"{name} is empty: 0 feature(s) (shape={X.shape}) while a minimum of 1 is "
            f"required. There is nothing to fit."
        )
    if X.shape[0] == 0:
        raise ValueError(
            f"{name} is empty: 0 sample(s) (shape={X.shape}) while a minimum of 1 is "
            f"required. There is nothing to fit."
        )
    _check_finite(X, name)
    return X


def validate_y(y, name: str = "y") -> np.ndarray:
    """y as a 1-D float array (a single column is accepted and flattened)."""
    y = as_float_array(y, name)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of targets, but its shape is {y.shape}.")
    if y.size == 0:
        raise ValueError(f"{name} is empty: there is nothing to fit.")
    _check_finite(y, name)
    return y


def check_lengths(X: np.ndarray, y: np.ndarray) -> None:
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X has {X.shape[0]} rows (points) but y has {y.shape[0]} values; "
            f"each point needs exactly one target."
        )


def check_enough_points(n: int, n_params: int, what: str) -> None:
    if n < n_params:
        raise ValueError(
            f"{n} point{'s' * (n != 1)} cannot determine {n_params} parameters ({what}): "
            f"you need at least as many points as parameters (n_samples = {n})."
        )


def check_columns(X: np.ndarray, names: Sequence[str], intercept: bool = False) -> None:
    """Refuse columns that make the coefficients non-unique: all zeros, constant, or copies.

    `intercept` says a column of ones will be added, so any constant column duplicates it.
    """
    lo, hi = X.min(axis=0), X.max(axis=0)
    constant = [j for j in range(X.shape[1]) if lo[j] == hi[j]]
    for j in constant:
        if hi[j] == 0:
            raise ValueError(f"{names[j]} is all zeros, so its coefficient could be anything.")
        if intercept:
            raise ValueError(
                f"{names[j]} is constant (every value is {hi[j]:g}), which duplicates the "
                f"intercept. Drop it, or fit with fit_intercept=False."
            )
    if len(constant) > 1:
        a, b = constant[:2]
        raise ValueError(
            f"{names[a]} and {names[b]} are both constant, so one is a multiple of the other."
        )
    # Copies: compare cheap fingerprints first, whole columns only when those agree.
    fingerprint: dict[tuple[float, float, float], int] = {}
    sums = X.sum(axis=0)
    for j in range(X.shape[1]):
        key = (X[0, j], X[-1, j], sums[j])
        i = fingerprint.setdefault(key, j)
        if i != j and np.array_equal(X[:, i], X[:, j]):
            raise ValueError(
                f"{names[j]} is a copy of {names[i]}, so their coefficients are not unique. "
                f"Drop one of them."
            )


def check_full_rank(R: np.ndarray, names: Sequence[str] | None = None) -> None:
    """Refuse numerically dependent columns, seen as a tiny diagonal entry of R.

    With the columns scaled to length ≈ 1, |Rₖₖ| is the distance of column k from the span of
    the columns before it. When that is at rounding level, column k is (up to rounding) a
    combination of the earlier ones and the least-squares solution is not unique.
    """
    d = np.abs(np.diag(R))
    tolerance = 64 * 2.0**-53 * max(float(d.max()), 1.0) * np.sqrt(R.shape[0])
    for k in np.flatnonzero(d <= tolerance):
        name = names[k] if names is not None else f"column {k}"
        raise ValueError(
            f"{name} is (up to rounding) a linear combination of the columns before it, so the "
            f"coefficients are not unique (X does not have full column rank). Drop that column."
        )


def validate_design(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Checks for a design matrix X (intercept column included, if any) and targets y."""
    X = validate_matrix(X)
    y = validate_y(y)
    check_lengths(X, y)
    check_enough_points(X.shape[0], X.shape[1], "the columns of X")
    check_columns(X, design_column_names(X.shape[1]))
    return X, y


def design_column_names(p: int) -> list[str]:
    return [f"column {j} of X" for j in range(p)]
