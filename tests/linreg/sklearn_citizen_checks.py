"""check_estimator on linreg.LinearRegression, run as a script so that the same file serves
the newest scikit-learn (the test environment) and scikit-learn 1.6.1 (the page's version,
in a small second environment that scripts/test.sh makes).

Prints one line per failed check, then "N passed, M failed" ; exits 1 when a check fails that
is not an expected exception.
"""

from __future__ import annotations

import sys
import warnings

import linreg
import sklearn
from sklearn.utils.estimator_checks import check_estimator

# Checks that contradict a documented teaching choice of linreg, and why.
EXPECTED_FAILURES = {
    "check_fit1d": (
        "a 1-D X is one feature: LinearRegression().fit(x, y) works for the lesson's single "
        "feature without x.reshape(-1, 1) (documented in linreg's docstring and the lesson)"
    ),
}


def main() -> int:
    warnings.simplefilter("ignore")
    results = check_estimator(
        linreg.LinearRegression(), expected_failed_checks=EXPECTED_FAILURES, on_fail=None
    )
    failed = [r for r in results if r["status"] == "failed"]
    passed = [r for r in results if r["status"] == "passed"]
    expected = [r for r in results if r["status"] == "xfail"]
    for r in failed:
        print(f"FAILED {r['check_name']}: {r['exception']}")
    print(f"scikit-learn {sklearn.__version__}: expected failures "
          f"{sorted(r['check_name'] for r in expected)}")  # fmt: skip
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
