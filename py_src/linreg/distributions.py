"""The Student t and F distributions, from the regularised incomplete beta function.

Both tails a regression table needs are one function away:

    P(T > t)  = ½ · I_x(ν/2, ½)        with x = ν/(ν + t²)          (t ≥ 0, ν degrees of freedom)
    P(F > f)  = I_x(d₂/2, d₁/2)        with x = d₂/(d₂ + d₁f)        (d₁, d₂ degrees of freedom)

where I_x(a, b) = B(x; a, b)/B(a, b) = (1/B(a, b)) ∫₀ˣ sᵃ⁻¹(1 - s)ᵇ⁻¹ ds is the regularised
incomplete beta function. It is computed by its continued fraction (Lentz's method), which
converges fast for x < (a + 1)/(a + b + 2); beyond that point the symmetry
I_x(a, b) = 1 - I_{1-x}(b, a) turns it into one that does.

Accuracy: the callers pass x *and* 1 - x, each computed without cancellation (for the t tail
x = 1/(1 + t²/ν) and 1 - x = 1/(1 + ν/t²)), and every logarithm is a log1p of that ratio, so a
p-value of 1e-300 keeps its 14 digits and no 1 - p is ever formed for a tail. The quantiles
invert the tails by Newton's method on log scales, safeguarded by bisection.

No SciPy: the page runs this in the browser, and the formulas are the lesson.
"""

from __future__ import annotations

import math

EPSILON = 2.0**-52  # the continued fraction stops when a step changes it by less than this
TINY = 1e-300  # Lentz's guard against a zero denominator
MAX_TERMS = 100_000  # enough for a, b up to ~10¹⁰ (it needs O(√max(a, b)) terms)

# Stirling's series for ln Γ(x) - [(x - ½)ln x - x + ½ln 2π], coefficients B₂ₖ/(2k(2k - 1))
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156)


def _stirling_correction(x: float) -> float:
    """δ(x) = ln Γ(x) - (x - ½)ln x + x - ½ln 2π = Σₖ B₂ₖ / (2k(2k - 1)x²ᵏ⁻¹), for x ≥ 10."""
    inverse_square = 1.0 / (x * x)
    total = 0.0
    for coefficient in reversed(_STIRLING):
        total = total * inverse_square + coefficient
    return total / x


def log_beta(a: float, b: float) -> float:
    """ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b).

    With math.lgamma directly when both are small. When the larger, a, is ≥ 10, ln Γ(a) and
    ln Γ(a + b) are huge and nearly equal, so their difference is taken from Stirling's
    formula instead, where it cancels by hand:
        ln Γ(a) - ln Γ(a + b) = -(a - ½)·log1p(b/a) - b·ln(a + b) + b + δ(a) - δ(a + b).
    """
    a, b = max(a, b), min(a, b)
    if a < 10:
        return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    difference = (
        -(a - 0.5) * math.log1p(b / a)
        - b * math.log(a + b)
        + b
        + (_stirling_correction(a) - _stirling_correction(a + b))
    )
    return math.lgamma(b) + difference


def _continued_fraction(a: float, b: float, x: float, y: float) -> float:
    """The continued fraction of I_x(a, b) = xᵃ(1 - x)ᵇ / (a·B(a, b)) · 1/(1 + d₁/(1 + d₂/(1 + …))),

        d₂ₘ₊₁ = -(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)),
        d₂ₘ   = m(b - m)x / ((a + 2m - 1)(a + 2m)),

    evaluated front to back by the modified Lentz method (C and D are the ratios of successive
    numerators and denominators; TINY replaces an exact zero). Stopping rule: the first time a
    full step (two terms) multiplies the value by a factor within EPSILON of 1.

    The first denominator 1 + d₁ = 1 - (a + b)x/(a + 1) nearly cancels when x is close to the
    switch point (a + 1)/(a + b + 2); written as (1 - b + (a + b)y)/(a + 1) with y = 1 - x it
    does not (for b ≤ 1, the t distribution's case; we use it whenever the first form is < ½).
    """
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    if d < 0.5:  # cancellation: use the form in y
        d = (1.0 - b + (a + b) * y) / (a + 1.0)
    d = 1.0 / (d if abs(d) > TINY else TINY)
    value = d
    for m in range(1, MAX_TERMS):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            c = 1.0 + numerator / c
            d = 1.0 / (d if abs(d) > TINY else TINY)
            c = c if abs(c) > TINY else TINY
            step = c * d
            value *= step
        if abs(step - 1.0) <= EPSILON:
            return value
    raise ArithmeticError(f"the continued fraction of I_x({a}, {b}) did not converge")


def _beta_front(a: float, b: float, log_x: float, log_y: float) -> float:
    """xᵃ yᵇ / (a·B(a, b)), y = 1 - x, from the logarithms (no underflow until the end)."""
    return math.exp(a * log_x + b * log_y - log_beta(a, b) - math.log(a))


def _incomplete_beta_pair(a: float, b: float, ratio: float) -> tuple[float, float]:
    """(I_x(a, b), 1 - I_x(a, b)) for x = 1/(1 + ratio), i.e. ratio = (1 - x)/x.

    Both x and y = 1 - x come from the ratio without cancellation, and so do their logarithms
    (ln x = -log1p(ratio)): with a = 10⁶/2, xᵃ needs ln x to the last bit. Whichever of the
    two results the continued fraction gives directly is accurate to about 14 digits however
    small it is; the other is 1 minus it.
    """
    if ratio <= 0.0:
        return 1.0, 0.0
    if math.isinf(ratio):
        return 0.0, 1.0
    x, y = 1.0 / (1.0 + ratio), 1.0 / (1.0 + 1.0 / ratio)
    log_x, log_y = -math.log1p(ratio), -math.log1p(1.0 / ratio)
    if a >= 15 and 2 * b == int(2 * b) and b <= 1000 and log_x > -1.0:
        lower = _large_a_half_integer_b(a, b, log_x, log_y)
        if lower <= 0.5:
            return lower, 1.0 - lower
    elif x < (a + 1.0) / (a + b + 2.0):
        lower = _beta_front(a, b, log_x, log_y) * _continued_fraction(a, b, x, y)
        return lower, 1.0 - lower
    upper = _beta_front(b, a, log_y, log_x) * _continued_fraction(b, a, y, x)
    return 1.0 - upper, upper


def _large_a_expansion(a: float, b: float, log_x: float, tolerance: float = EPSILON) -> float:
    """I_x(a, b) for a ≥ 15, b ∈ {½, 1} and x > 1/e: the asymptotic expansion of DiDonato &
    Morris (1992, §9; their BGRAT), where the continued fraction loses digits (x close to 1
    and a large: Student's t with many degrees of freedom, F with d₁ ≤ 2). It is asymptotic
    in 1/T² and in ln x, so it is used only where ln x > -1 (measured: ≤ 3e-14 relative error
    there against mpmath, for a from 15 to 5·10⁵).

    With T = a + (b - 1)/2 and z = -T·ln x:
        I_x(a, b) ≈ M · Σₙ dₙ Jₙ,   M = e⁻ᶻ zᵇ Γ(a) / (Γ(b) Γ(a + b) Tᵇ),
        J₀ = Q(b, z)/(e⁻ᶻzᵇ/Γ(b)),
        Jₙ = [(b + 2n - 2)(b + 2n - 1)Jₙ₋₁ + (z + b + 2n - 1)(ln x/2)²ⁿ⁻²] / (4T²),
        d₀ = 1,  dₙ = (b - 1)cₙ + (1/n) Σᵢ₌₁ⁿ⁻¹ (ib - n) cᵢ dₙ₋ᵢ,  cₙ = 1/(2n + 1)!,
    where Q(½, z) = erfc(√z) and Q(1, z) = e⁻ᶻ. Stopping rule: a term below `tolerance` times
    the sum (at most 30 terms; the series is asymptotic in 1/T², so it gets there fast).
    """
    T = a + (b - 1.0) / 2
    z = -T * log_x
    log_m = -z + b * math.log(z) - log_beta(a, b) - b * math.log(T)
    j = math.sqrt(math.pi / z) * _erfcx(math.sqrt(z)) if b == 0.5 else 1.0 / z
    total, power, v, t2 = j, 1.0, 0.25 / (T * T), (log_x / 2) ** 2
    c: list[float] = []
    d: list[float] = []
    factorial_inverse, n2 = 1.0, 0.0
    for n in range(1, 31):
        bp2n = b + n2
        j = (bp2n * (bp2n + 1.0) * j + (z + bp2n + 1.0) * power) * v
        n2 += 2.0
        power *= t2
        factorial_inverse /= n2 * (n2 + 1.0)
        c.append(factorial_inverse)
        s = sum((b * i - n) * c[i - 1] * d[n - 1 - i] for i in range(1, n))
        d.append((b - 1.0) * factorial_inverse + s / n)
        term = d[-1] * j
        total += term
        if abs(term) <= tolerance * total:
            break
    return math.exp(log_m) * total


def _large_a_half_integer_b(a: float, b: float, log_x: float, log_y: float) -> float:
    """I_x(a, b) for a ≥ 15 and b = ½, 1, 3/2, 2, … (degrees of freedom over 2).

    Down to b₀ = ½ or 1 by the recurrence I_x(a, b + 1) = I_x(a, b) + xᵃyᵇ/(b·B(a, b)):
        I_x(a, b) = I_x(a, b₀) + Σⱼ₌₀ᵏ⁻¹ Tⱼ,  T₀ = xᵃy^b₀/(b₀B(a, b₀)),
        Tⱼ₊₁ = Tⱼ·(a + b₀ + j)y/(b₀ + j + 1).
    Every term is positive, so nothing cancels.
    """
    b0 = 1.0 if b == int(b) else 0.5
    total = _large_a_expansion(a, b0, log_x)
    if b > b0:
        y = math.exp(log_y)
        term = math.exp(a * log_x + b0 * log_y - log_beta(a, b0) - math.log(b0))
        for j in range(round(b - b0)):
            total += term
            term *= (a + b0 + j) * y / (b0 + j + 1)
    return total


def _erfcx(s: float) -> float:
    """eˢ² erfc(s), the scaled complementary error function (no overflow for large s)."""
    if s < 26.0:
        return math.exp(s * s) * math.erfc(s)
    # erfc(s)eˢ² = (1/(s√π)) Σₖ (-1)ᵏ (2k - 1)!! / (2s²)ᵏ, 12 terms are far below 1e-16 here
    term, total = 1.0, 1.0
    for k in range(1, 12):
        term *= -(2 * k - 1) / (2 * s * s)
        total += term
    return total / (s * math.sqrt(math.pi))


def _check_positive(value: float, name: str) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a positive number, not {value!r}.")


def regularized_incomplete_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b) = (1/B(a, b)) ∫₀ˣ sᵃ⁻¹(1 - s)ᵇ⁻¹ ds, for 0 ≤ x ≤ 1 and a, b > 0."""
    _check_positive(a, "a")
    _check_positive(b, "b")
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"x must be between 0 and 1, not {x!r}.")
    if x == 0.0:
        return 0.0
    return _incomplete_beta_pair(a, b, (1.0 - x) / x)[0]


# -- Student's t ----------------------------------------------------------------------------


def _t_tail_and_centre(t: float, df: float) -> tuple[float, float]:
    """(P(T > t), P(0 < T < t)) for t ≥ 0: ½I_x(ν/2, ½) and ½I_{1-x}(½, ν/2), x = ν/(ν + t²).

    The ratio (1 - x)/x is t²/ν, so neither x nor 1 - x is 1 minus something.
    """
    if t == 0.0:
        return 0.5, 0.0
    if math.isinf(t):
        return 0.0, 0.5
    tail, centre = _incomplete_beta_pair(df / 2, 0.5, (t / math.sqrt(df)) ** 2)
    return tail / 2, centre / 2


def student_t_sf(t: float, df: float) -> float:
    """Survival function P(T > t) of Student's t with ν = df degrees of freedom.

    P(T > t) = ½ I_x(ν/2, ½), x = ν/(ν + t²), for t ≥ 0;  P(T > t) = 1 - P(T > -t) for t < 0.
    The two-sided p-value of a t statistic is 2·student_t_sf(|t|, df).
    """
    _check_positive(df, "df (degrees of freedom)")
    if math.isnan(t):
        return math.nan
    tail, centre = _t_tail_and_centre(abs(t), df)
    return tail if t >= 0 else 0.5 + centre


def student_t_pdf(t: float, df: float) -> float:
    """Density f(t) = (1 + t²/ν)^(-(ν+1)/2) / (√ν · B(ν/2, ½))."""
    _check_positive(df, "df (degrees of freedom)")
    log_kernel = -(df + 1) / 2 * math.log1p((t / math.sqrt(df)) ** 2)
    return math.exp(log_kernel - 0.5 * math.log(df) - log_beta(df / 2, 0.5))


def student_t_isf(q: float, df: float) -> float:
    """Inverse survival function: the t with P(T > t) = q (so t_{1-α/2} = student_t_isf(α/2)).

    For q < ¼ it solves ln P(T > t) = ln q, otherwise ln P(0 < T < t) = ln(½ - q) (½ - q is
    exact in floating point), with u = ln t as the unknown: both sides are then smooth and
    nearly straight, and 12+ digits survive from q = 0.5 down to 1e-300. t < 0 by symmetry.
    """
    _check_probability(q, "q")
    _check_positive(df, "df (degrees of freedom)")
    if q > 0.5:
        return -student_t_isf(1.0 - q, df) if q < 1.0 else -math.inf
    if q == 0.5:
        return 0.0
    if q == 0.0:
        return math.inf
    if q < 0.25:
        target, which = math.log(q), 0
    else:
        target, which = math.log(0.5 - q), 1

    def log_probability_and_slope(u: float) -> tuple[float, float]:
        t = math.exp(u)
        probability = _t_tail_and_centre(t, df)[which]
        if probability <= 0.0:
            return -math.inf, -1.0
        slope = t * student_t_pdf(t, df) / probability  # d ln P / du, up to sign
        return math.log(probability), -slope if which == 0 else slope

    return math.exp(_solve_monotone(log_probability_and_slope, target, _t_start(q, df)))


def _t_start(q: float, df: float) -> float:
    """A first guess for ln t: the Cauchy quantile for ν = 1, the normal one otherwise."""
    if df <= 1.5:
        return math.log(math.tan(math.pi * (0.5 - q)))
    z = math.sqrt(-2 * math.log(q)) if q < 0.25 else 2.5 * (0.5 - q)
    return math.log(max(z, 1e-300))


# -- F --------------------------------------------------------------------------------------


def _f_upper_and_lower(f: float, dfn: float, dfd: float) -> tuple[float, float]:
    """(P(F > f), P(F < f)) = (I_x(d₂/2, d₁/2), I_{1-x}(d₁/2, d₂/2)), x = d₂/(d₂ + d₁f)."""
    if f <= 0.0:
        return 1.0, 0.0
    if math.isinf(f):
        return 0.0, 1.0
    return _incomplete_beta_pair(dfd / 2, dfn / 2, dfn * f / dfd)  # ratio (1 - x)/x


def f_sf(f: float, dfn: float, dfd: float) -> float:
    """Survival function P(F > f) of the F distribution with d₁ = dfn and d₂ = dfd degrees of
    freedom:  P(F > f) = I_x(d₂/2, d₁/2) with x = d₂/(d₂ + d₁f).  (F(1, ν) is T² of Student's t.)
    """
    _check_positive(dfn, "dfn (numerator degrees of freedom)")
    _check_positive(dfd, "dfd (denominator degrees of freedom)")
    if math.isnan(f):
        return math.nan
    return _f_upper_and_lower(f, dfn, dfd)[0]


def f_pdf(f: float, dfn: float, dfd: float) -> float:
    """Density g(f) = (d₁/d₂)^(d₁/2) f^(d₁/2 - 1) (1 + d₁f/d₂)^(-(d₁+d₂)/2) / B(d₁/2, d₂/2)."""
    if f <= 0.0:
        return 0.0
    ratio = dfn * f / dfd
    log_density = (
        (dfn / 2) * math.log(ratio)
        - math.log(f)
        - (dfn + dfd) / 2 * math.log1p(ratio)
        - log_beta(dfn / 2, dfd / 2)
    )
    return math.exp(log_density)


def f_isf(q: float, dfn: float, dfd: float) -> float:
    """Inverse survival function: the f with P(F > f) = q.

    Solves ln P(F > f) = ln q for q < ½, else ln P(F < f) = ln(1 - q) (exact in floating point
    for q ≥ ½), with u = ln f as the unknown: Newton's method, safeguarded by bisection.
    """
    _check_probability(q, "q")
    _check_positive(dfn, "dfn (numerator degrees of freedom)")
    _check_positive(dfd, "dfd (denominator degrees of freedom)")
    if q == 0.0:
        return math.inf
    if q == 1.0:
        return 0.0
    which = 0 if q < 0.5 else 1
    target = math.log(q) if which == 0 else math.log(1.0 - q)

    def log_probability_and_slope(u: float) -> tuple[float, float]:
        f = math.exp(u)
        probability = _f_upper_and_lower(f, dfn, dfd)[which]
        if probability <= 0.0:
            return -math.inf, 1.0 if which else -1.0
        slope = f * f_pdf(f, dfn, dfd) / probability
        return math.log(probability), -slope if which == 0 else slope

    return math.exp(_solve_monotone(log_probability_and_slope, target, 0.0))


# -- shared -----------------------------------------------------------------------------------


def _check_probability(q: float, name: str) -> None:
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"{name} is a probability, so it must be between 0 and 1, not {q!r}.")


def _solve_monotone(g, target: float, u: float, max_steps: int = 200) -> float:
    """The u where g(u)[0] = target, for g monotone in u and returning (value, slope).

    First a bracket [lo, hi] that holds the root: move away from u by 1, 2, 4, … until
    g(u) - target changes sign. Then Newton's step u ← u - (g(u) - target)/g′(u), replaced by
    bisection whenever it would leave the bracket (which shrinks at every step). Stopping
    rule: a step below 4 rounding errors of u (u is a logarithm, so that is the relative
    accuracy of the quantile itself).
    """
    value, slope = g(u)
    increasing = slope > 0

    def root_is_above(v: float) -> bool:
        return (v < target) == increasing

    lo = hi = u
    step = 1.0
    if root_is_above(value):
        while root_is_above(value):
            lo, hi, step = hi, hi + step, 2 * step
            value, _ = g(hi)
    else:
        while value != target and not root_is_above(value):
            lo, hi, step = lo - step, lo, 2 * step
            value, _ = g(lo)
    for _ in range(max_steps):
        value, slope = g(u)
        if value == target:
            return u
        if root_is_above(value):
            lo = max(lo, u)
        else:
            hi = min(hi, u)
        newton = u - (value - target) / slope if slope and math.isfinite(value) else math.nan
        u_next = newton if lo <= newton <= hi else (lo + hi) / 2
        if abs(u_next - u) <= 4 * EPSILON * max(1.0, abs(u)):
            return u_next
        u = u_next
    return u
