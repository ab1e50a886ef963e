"""The text table of LinearRegression.summary(), laid out like statsmodels' but narrow.

Two blocks instead of one wide row, so that it stays readable on a phone (375 px, about 48
characters of monospace):

    coef, std err, t, P>|t|        then        the (1 - α) confidence interval of each weight

followed by R², adjusted R², the F test of the whole model and the residual standard
deviation. p-values below 1e-16 are shown as "< 1e-16".
"""

from __future__ import annotations

import numpy as np

from linreg.inference import format_pvalue

NUMBERS = 38  # width of the four number columns of the first block


def format_summary(model, names: list[str], alpha: float = 0.05) -> str:
    """The whole table for a fitted LinearRegression, its rows called `names`."""
    w = np.r_[[model.intercept_] if model.fit_intercept else [], model.coef_]
    n, k = model._n_samples, len(w)
    width = max(9, *(len(name) + 1 for name in names))
    rule = "=" * (width + NUMBERS)
    title = f"Linear regression: {n} points, {k} parameter{'s' * (k != 1)}"
    lines = [title.center(len(rule)).rstrip(), rule]
    lines.append(f"{'':<{width}}{'coef':>11}{'std err':>10}{'t':>8}{'P>|t|':>9}")
    lines.append("-" * len(rule))
    reason = model._inference_problem()
    pvalues = model.pvalues_ if reason is None else np.full(k, np.nan)
    for name, coef, se, t, p in zip(names, w, model.stderr_, model.t_values_, pvalues, strict=True):
        # every number after a space of its own, so that a long one shifts but never merges
        cells = f" {coef:>10.6g} {se:>9.6g} {t:>7.4g} {format_pvalue(p):>8}"
        lines.append(f"{name:<{width}}{cells}")
    if reason is None:
        low, high = f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"
        lines += ["-" * len(rule), f"{'':<{width}}{low:>11}{high:>11}"]
        for name, (lo, hi) in zip(names, model.conf_int(alpha), strict=True):
            lines.append(f"{name:<{width}} {lo:>10.6g} {hi:>10.6g}")
    lines.append(rule)
    adjusted = "adj. R²" + ("" if model.fit_intercept else " (uncentered)")
    lines.append(f"R²: {model.r_squared_:.6f}   {adjusted}: {model.adjusted_r_squared_:.6f}")
    if reason is None:
        df_model, dof = model._df_model, n - k
        lines.append(
            f"F({df_model}, {dof}) = {model.fvalue_:.6g}, p-value {_p_phrase(model.f_pvalue_)}"
        )
    lines.append(f"residual std: {model.residual_std_:.6g} on {n - k} degrees of freedom")
    if reason is not None:
        lines.append(reason)
    return "\n".join(lines)


def _p_phrase(p: float) -> str:
    text = format_pvalue(p)
    return text if text.startswith("<") else f"= {text}"
