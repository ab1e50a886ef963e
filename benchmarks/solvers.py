"""Fit times of linreg's solvers next to numpy.linalg.lstsq and scikit-learn.

    python -m benchmarks.solvers            # n = 10³…10⁶ rows, p = 1…20 features
    python -m benchmarks.solvers --quick    # a small grid, a few seconds
    python -m benchmarks.solvers --n 1000000 --p 10

All methods are timed on the same data in the same run, round-robin (one repetition of each
in turn), and the median is reported with its ratio to numpy.linalg.lstsq. This script
measures and prints; it asserts nothing about times.

Methods: numpy lstsq (LAPACK gelsd) on the design matrix; scikit-learn LinearRegression().fit;
linreg.lstsq_qr (the accurate default solver: scaling, then when κ(R) ≤ 10⁴ the normal
equations made accurate — XᵀX and Xᵀy exact to ~2⁻⁹⁰ from one BLAS product of slices of
[X y], linreg.exact_gram, R = Cholesky of the rounded XᵀX, refined with the exact gradient,
linreg.refined_normal; else the readable Householder QR, refined in double-double) on the
design matrix; the readable Householder QR alone ("householder",
ScaledQR.factor(..., fast=False).solve); linreg.LinearRegression().fit (the default
solver plus the statistics: standard errors, R², ESS for the F test);
linreg.normal_equation; and one epoch of linreg.gradient_descent (the time per epoch, which
should grow linearly with n).

After the table: the cost of model.summary() (t and F tails, quantiles, the table) next to
statsmodels' OLS(y, X).fit().summary(), on n = 1000 points.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import linreg
import numpy as np
from linreg.qr import ScaledQR
from sklearn.linear_model import LinearRegression as SklearnLinearRegression

GD_EPOCHS = 20


def problem(n: int, p: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, p)
    y = 3.0 + X @ rng.standard_normal(p) + rng.standard_normal(n)
    D = np.column_stack([np.ones(n), X])
    return X, D, y


def methods(X, D, y) -> dict[str, Callable[[], object]]:
    return {
        "numpy lstsq": lambda: np.linalg.lstsq(D, y),
        "sklearn fit": lambda: SklearnLinearRegression().fit(X, y),
        "linreg lstsq_qr": lambda: linreg.lstsq_qr(D, y),
        "householder": lambda: ScaledQR.factor(D, fast=False).solve(y),
        "linreg model fit": lambda: linreg.LinearRegression().fit(X, y),
        "linreg normal_eq": lambda: linreg.normal_equation(D, y),
        "linreg gd/epoch": lambda: linreg.gradient_descent(
            D, y, learning_rate=1e-3, epochs=GD_EPOCHS, tol=0
        ),
    }


def measure(n: int, p: int, repeats: int, clock=time.perf_counter) -> dict[str, float]:
    X, D, y = problem(n, p)
    runs = methods(X, D, y)
    times: dict[str, list[float]] = {name: [] for name in runs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeats):
            for name, run in runs.items():
                start = clock()
                run()
                times[name].append(clock() - start)
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    medians["linreg gd/epoch"] /= GD_EPOCHS
    return medians


def format_row(n: int, p: int, medians: dict[str, float]) -> str:
    base = medians["numpy lstsq"]
    cells = [f"{n:>9,d} {p:>3d}"]
    for name, t in medians.items():
        ratio = "" if name in ("numpy lstsq", "linreg gd/epoch") else f" ({t / base:4.1f}×)"
        cells.append(f"{_seconds(t):>9}{ratio:<8}")
    return " ".join(cells)


def _seconds(t: float) -> str:
    if t < 1e-3:
        return f"{t * 1e6:.0f} µs"
    if t < 1:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small grid (n ≤ 10⁵, p ∈ {1, 10})")
    parser.add_argument("--n", type=int, nargs="*", help="row counts to measure")
    parser.add_argument("--p", type=int, nargs="*", help="feature counts to measure")
    parser.add_argument("--repeats", type=int, help="repetitions per method (default 3–7)")
    parser.add_argument(
        "--threads",
        type=int,
        help="limit BLAS threads for every method (1 is like Pyodide, which has no threads)",
    )
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="measure process CPU time instead of wall time (steadier on a busy machine; "
        "use with --threads 1, since CPU time adds up over threads)",
    )
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu_time else time.perf_counter
    if args.threads:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn

        threadpool_limits(limits=args.threads, user_api="blas")
    ns = args.n or ([10**3, 10**4, 10**5] if args.quick else [10**3, 10**4, 10**5, 10**6])
    ps = args.p or ([1, 10] if args.quick else [1, 5, 10, 20])

    names = list(methods(*problem(10, 1)).keys())
    threads = f", BLAS threads ≤ {args.threads}" if args.threads else ""
    kind = "CPU time" if args.cpu_time else "fit time"
    print(f"median {kind} (ratio to numpy lstsq); numpy {np.__version__}{threads}")
    print(f"{'n':>9} {'p':>3} " + " ".join(f"{name:>17}" for name in names))
    for n in ns:
        for p in ps:
            repeats = args.repeats or (3 if n >= 10**6 else 5 if n >= 10**5 else 7)
            print(format_row(n, p, measure(n, p, repeats, clock)), flush=True)
    print("gd/epoch: one epoch of gradient descent; it should grow linearly with n.")
    print_summary_cost(args.repeats or 7)


def print_summary_cost(repeats: int, n: int = 1000, p: int = 3) -> None:
    """model.summary() against statsmodels' OLS(...).fit().summary(), median of `repeats`."""
    import statsmodels.api as sm  # a test extra: only this part of the benchmark needs it

    X, D, y = problem(n, p)
    model = linreg.LinearRegression().fit(X, y)
    runs = {
        "linreg summary()": lambda: model.summary(),
        "linreg fit + summary()": lambda: linreg.LinearRegression().fit(X, y).summary(),
        "statsmodels summary()": lambda: sm.OLS(y, D).fit().summary(),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["statsmodels summary()"])
    print(f"\nsummary tables, n = {n}, p = {p} (median of {repeats}, ratio to statsmodels):")
    for name, ts in times.items():
        median = statistics.median(ts)
        print(f"  {name:<24}{_seconds(median):>9} ({median / base:.2f}×)")


if __name__ == "__main__":
    main()
