"""Inference for least squares: p-values, confidence and prediction intervals, the F test.

With n points, k parameters (intercept included), residual degrees of freedom ν = n - k and
s² = SSE/ν, under the textbook assumptions (independent normal noise of constant variance):

    t-test of wⱼ = 0:      tⱼ = wⱼ / se(wⱼ),  p-value = P(|T_ν| > |tⱼ|) = 2·P(T_ν > |tⱼ|)
    confidence interval:   wⱼ ± t_{ν, 1-α/2} · se(wⱼ)
    F test of the model:   F = (ESS/d₁) / (SSE/ν),  p-value = P(F_{d₁,ν} > F)
                           d₁ = k - 1 with an intercept (against the intercept-only model,
                           ESS = Σ(ŷᵢ - ȳ)²), d₁ = k without one (against ŷ = 0, ESS = Σŷᵢ²)
    intervals at x₀:       ŷ₀ ± t_{ν, 1-α/2} · s·√h₀ (the mean of y at x₀),
                           ŷ₀ ± t_{ν, 1-α/2} · s·√(1 + h₀) (a new observation at x₀),
                           h₀ = x₀ᵀ(XᵀX)⁻¹x₀ (x₀ with its 1 for the intercept)
"""

from __future__ import annotations

import math

import numpy as np

from linreg.distributions import f_sf, student_t_isf, student_t_sf


def check_alpha(alpha: float) -> float:
    """alpha is the probability the interval misses: strictly between 0 and 1."""
    try:
        alpha = float(alpha)
    except (TypeError, ValueError):
        raise ValueError(f"alpha must be a number between 0 and 1, not {alpha!r}.") from None
    if not 0.0 < alpha < 1.0:
        raise ValueError(
            f"alpha must be strictly between 0 and 1 (0.05 gives 95% intervals), not {alpha!r}."
        )
    return alpha


def two_sided_pvalues(t_values: np.ndarray, dof: int) -> np.ndarray:
    """p = 2·P(T_ν > |t|): how often noise alone would give a t at least this far from 0."""
    return np.array([2.0 * student_t_sf(abs(float(t)), dof) for t in t_values])


def t_critical(alpha: float, dof: int) -> float:
    """t_{ν, 1-α/2}, the multiplier of a two-sided (1 - α) interval."""
    return student_t_isf(check_alpha(alpha) / 2.0, dof)


def confidence_intervals(w: np.ndarray, stderr: np.ndarray, dof: int, alpha: float) -> np.ndarray:
    """[wⱼ - t·se(wⱼ), wⱼ + t·se(wⱼ)] per row, t = t_{ν, 1-α/2}."""
    half_width = t_critical(alpha, dof) * stderr
    return np.column_stack([w - half_width, w + half_width])


def f_test(ess: float, sse: float, df_model: int, dof: int) -> tuple[float, float]:
    """F = (ESS/d₁)/(SSE/ν) and its p-value P(F_{d₁,ν} > F)."""
    fvalue = (ess / df_model) / (sse / dof)
    return fvalue, f_sf(fvalue, df_model, dof)


def interval_half_widths(
    h: np.ndarray, residual_std: float, dof: int, alpha: float, kind: str
) -> np.ndarray:
    """t_{ν, 1-α/2}·s·√h (kind="mean") or t_{ν, 1-α/2}·s·√(1 + h) (kind="observation")."""
    if kind not in ("mean", "observation"):
        raise ValueError(
            f'kind must be "mean" (an interval for the line itself) or "observation" (for a '
            f"new point), not {kind!r}."
        )
    spread = h if kind == "mean" else 1.0 + h
    return t_critical(alpha, dof) * residual_std * np.sqrt(spread)


def format_pvalue(p: float) -> str:
    """A p-value for a table: 4 significant digits, floored at '< 1e-16' (below that the
    number says only "astronomically small", and the fit's own rounding is larger)."""
    if math.isnan(p):
        return "nan"
    if p < 1e-16:
        return "< 1e-16"
    return f"{p:.4g}" if p >= 1e-4 else f"{p:.2e}"
