"""Column scaling by powers of two: every accurate solver here starts from it.

Multiplying a column by 2ᵏ changes only the exponents of its entries, so nothing is rounded,
and columns of lengths near 1 keep κ(X) from being inflated by mere units (metres against
millimetres).
"""

from __future__ import annotations

import numpy as np


def power_of_two_scaling(X: np.ndarray) -> np.ndarray:
    """Scale factors sⱼ = 2ᵏ that bring every column's length ‖X[:, j]·sⱼ‖ into [0.5, 1).

    Multiplying by a power of two only changes the exponent, so it is exact (barring
    underflow). Only the power of two matters, so a rough length is enough.
    """
    with np.errstate(over="ignore"):
        lengths = np.sqrt(np.einsum("ij,ij->j", X, X))
    if not np.all(np.isfinite(lengths)):  # squares beyond 1e308: use the largest entries
        lengths = np.maximum(X.max(axis=0), -X.min(axis=0))
    return power_of_two_below(lengths)


def power_of_two_below(a: np.ndarray) -> np.ndarray:
    """2⁻ᵉ where a = m·2ᵉ with 0.5 ≤ m < 1, so that a·2⁻ᵉ ∈ [0.5, 1); 1 where a = 0."""
    _, exponent = np.frexp(a)
    return np.ldexp(1.0, -exponent)
