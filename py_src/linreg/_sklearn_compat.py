"""What scikit-learn asks of an estimator, without making scikit-learn a dependency of linreg.

scikit-learn finds out what an estimator is by calling hooks on it: `__sklearn_tags__`
(scikit-learn ≥ 1.6), `_more_tags` and `_estimator_type` (older versions), and
`__sklearn_is_fitted__`. Those hooks import scikit-learn themselves, so `import linreg` never
does (in the browser scikit-learn is a large download, loaded only when a learner imports it).

Errors and warnings: where scikit-learn's checks expect its own classes, we raise scikit-learn's
class if scikit-learn is already imported (so a learner who uses it gets exactly what it
documents), and otherwise a class of ours with the same name and the same bases.
"""

from __future__ import annotations

import sys


class NotFittedError(ValueError, AttributeError):
    """The model is used before fit: a ValueError and an AttributeError, like scikit-learn's
    NotFittedError (so hasattr(model, "coef_") is simply False before fit)."""


class DataConversionWarning(UserWarning):
    """The input had to be converted (a column y flattened), like scikit-learn's warning."""


def _loaded_sklearn_class(module: str, name: str, fallback: type) -> type:
    """scikit-learn's class if scikit-learn is already imported, else ours (no import here)."""
    if "sklearn" not in sys.modules:
        return fallback
    try:
        return getattr(__import__(module, fromlist=[name]), name)
    except (ImportError, AttributeError):
        return fallback


def not_fitted_error(message: str) -> Exception:
    return _loaded_sklearn_class("sklearn.exceptions", "NotFittedError", NotFittedError)(message)


def data_conversion_warning() -> type[Warning]:
    return _loaded_sklearn_class(
        "sklearn.exceptions", "DataConversionWarning", DataConversionWarning
    )


class RegressorHooks:
    """The hooks that make a class a scikit-learn regressor (mixed into LinearRegression)."""

    _estimator_type = "regressor"  # scikit-learn < 1.6 reads this

    def __sklearn_tags__(self):
        """scikit-learn ≥ 1.6: a regressor that needs y; X is 2-D floats (1-D is accepted too,
        a teaching convenience that scikit-learn's own regressors refuse)."""
        from sklearn.utils import InputTags, RegressorTags, Tags, TargetTags

        return Tags(
            estimator_type="regressor",
            target_tags=TargetTags(required=True, single_output=True, multi_output=False),
            regressor_tags=RegressorTags(),
            input_tags=InputTags(two_d_array=True, allow_nan=False),
        )

    def _more_tags(self) -> dict:
        """scikit-learn < 1.6."""
        return {"requires_y": True, "multioutput": False, "allow_nan": False}

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "coef_")
