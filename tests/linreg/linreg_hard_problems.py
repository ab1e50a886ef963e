"""Deterministic ill-conditioned least-squares problems, built here (nothing is downloaded).

Modelled on the NIST StRD "higher difficulty" linear regressions: Filip (degree-10 polynomial
on uncentered x), Wampler (degree-5 polynomials on x = 0…20, small and large residuals) and
Longley (collinear macroeconomic columns of very different scales).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Problem:
    name: str
    X: np.ndarray  # design matrix, intercept column first
    y: np.ndarray


def polynomial_design(x: np.ndarray, degree: int) -> np.ndarray:
    return np.vander(x, degree + 1, increasing=True)


def filip_like() -> Problem:
    """Degree 10 on x ∈ [-9, -3]: the monomials are nearly parallel there."""
    rng = np.random.default_rng(10)
    x = np.sort(rng.uniform(-9.0, -3.0, 48))
    X = polynomial_design(x, 10)
    y = 0.85 + 0.01 * np.sin(x) + 0.003 * rng.standard_normal(48)
    return Problem("degree-10 polynomial, x in [-9, -3]", X, y)


def wampler_like(large_residuals: bool) -> Problem:
    """Degree 5 on x = 0, 1, …, 20; y = 1 + x + … + x⁵ plus (optionally huge) noise."""
    x = np.arange(21.0)
    X = polynomial_design(x, 5)
    y = X.sum(axis=1)
    if large_residuals:
        rng = np.random.default_rng(5)
        y = y + 1e7 * rng.standard_normal(21)
    return Problem(
        f"degree-5 polynomial, x = 0..20, {'large' if large_residuals else 'small'} residuals", X, y
    )


def polynomial_large_residuals() -> Problem:
    """Degree 8 on x ∈ [10, 20] whose noise dwarfs the signal: R² near zero."""
    rng = np.random.default_rng(8)
    x = np.linspace(10.0, 20.0, 40)
    X = polynomial_design(x, 8)
    y = 3.0 + 0.5 * x + 100.0 * rng.standard_normal(40)
    return Problem("degree-8 polynomial, x in [10, 20], large residuals", X, y)


def longley_like() -> Problem:
    """16 yearly rows, six collinear economic series of very different scales, plus intercept."""
    rng = np.random.default_rng(1947)
    year = np.arange(1947.0, 1963.0)
    t = year - 1947.0
    deflator = np.round(83.0 + 2.2 * t + rng.normal(0, 0.8, 16), 1)
    gnp = np.round(234289.0 + 2.0e4 * t + 150.0 * t**2 + rng.normal(0, 2500, 16))
    unemployed = np.round(2356.0 + 120.0 * t + rng.normal(0, 500, 16))
    armed = np.round(1590.0 + 90.0 * t - 6.0 * (t - 5) ** 2 + rng.normal(0, 200, 16))
    population = np.round(107608.0 + 1500.0 * t + rng.normal(0, 120, 16))
    X = np.column_stack([np.ones(16), deflator, gnp, unemployed, armed, population, year])
    y = np.round(60323.0 + 900.0 * t + 0.01 * (gnp - 234289.0) + rng.normal(0, 300, 16))
    return Problem("Longley-like collinear economic data", X, y)


def all_problems() -> list[Problem]:
    return [
        filip_like(),
        wampler_like(False),
        wampler_like(True),
        polynomial_large_residuals(),
        longley_like(),
    ]
