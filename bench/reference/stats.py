"""The interval and test formulas the profile reports, written with scipy's distributions.

Each follows the reference cxray cites (src/stats/*.ts): Wilson's score
interval for a share, Student's t for a mean, a linearised ratio of totals for
a channel's share of contacts, Newcombe's hybrid interval for a difference of
shares, Welch's t for a difference of means, Austin's standardised differences,
Benjamini-Hochberg q-values, and the Wald interval of an NPS. All at 95%.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import stats as sps

LEVEL = 0.95
Z = float(sps.norm.ppf(0.5 + LEVEL / 2))


@functools.lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """Student's t quantile to double precision. scipy 1.10's t.ppf (cephes stdtrit) is off by up to 3e-9 relative
    (df = 42 at 0.975: 2.0180816971 against 2.0180817028), past the 1e-9 the closed-form figures are compared to;
    two Newton steps on its (accurate) cdf from there agree with a 40-digit mpmath root to 1e-15, as cxray's tQuantile does.
    Kept per (p, df): the scorecard asks for the same few thousand degrees of freedom (its blocks less one) dozens of times."""
    t = float(sps.t.ppf(p, df))
    if not math.isfinite(t):
        return t
    for _ in range(2):
        density = float(sps.t.pdf(t, df))
        if density > 0:
            t -= (float(sps.t.cdf(t, df)) - p) / density
    return t


def js_round(x: float) -> int:
    """JavaScript's Math.round (halves go up), which cxray uses for counts like round(10% of n)."""
    return math.floor(x + 0.5)


def wilson(count: int, n: int) -> dict:
    p = count / n
    z2n = Z * Z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = Z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    lower = 0.0 if count == 0 else max(0.0, centre - half)
    upper = 1.0 if count == n else min(1.0, centre + half)
    return {'estimate': p, 'lower': lower, 'upper': upper}


def mean_summary(n: int, total: float, squares: float) -> tuple[float, float]:
    """Mean and sample SD from count, sum and sum of squares (one pass, as SQL returns them)."""
    mean = total / n if n > 0 else 0.0
    variance = max(0.0, (squares - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    return mean, math.sqrt(variance)


def t_interval(n: int, mean: float, sd: float) -> dict:
    half = t_quantile(0.5 + LEVEL / 2, n - 1) * sd / math.sqrt(n)
    return {'estimate': mean, 'lower': mean - half, 'upper': mean + half}


def ratio_of_totals(n: int, y: float, m: float, yy: float, mm: float, ym: float) -> dict | None:
    """Σy/Σm with customers as units: SE = √(Σ(y − r·m)²/(n(n−1)))/m̄ (Cochran 1977, §6.3)."""
    if n < 2 or not m > 0:
        return None
    r = y / m
    residual = max(0.0, yy - 2 * r * ym + r * r * mm)
    se = math.sqrt(residual / (n * (n - 1))) / (m / n)
    return {'estimate': r, 'se': se, 'lower': max(0.0, r - Z * se), 'upper': min(1.0, r + Z * se)}


def newcombe(a_count: int, a_n: int, b_count: int, b_n: int) -> dict:
    """Difference of two shares (a − b): Newcombe's method 10 interval and the pooled z test."""
    first, second = wilson(a_count, a_n), wilson(b_count, b_n)
    p1, p2 = first['estimate'], second['estimate']
    estimate = p1 - p2
    lower = estimate - math.sqrt((p1 - first['lower']) ** 2 + (second['upper'] - p2) ** 2)
    upper = estimate + math.sqrt((first['upper'] - p1) ** 2 + (p2 - second['lower']) ** 2)
    pooled = (a_count + b_count) / (a_n + b_n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / a_n + 1 / b_n))
    statistic = estimate / se if se > 0 else 0.0
    return {'estimate': estimate, 'lower': lower, 'upper': upper, 'p_value': 2 * float(sps.norm.sf(abs(statistic))) if se > 0 else 1.0}


def welch(a: tuple[int, float, float], b: tuple[int, float, float]) -> dict:
    """a and b are (n, mean, sd)."""
    va, vb = a[2] ** 2 / a[0], b[2] ** 2 / b[0]
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (a[0] - 1) + vb * vb / (b[0] - 1))
    estimate = a[1] - b[1]
    statistic = estimate / se
    half = t_quantile(0.5 + LEVEL / 2, df) * se
    return {'estimate': estimate, 'lower': estimate - half, 'upper': estimate + half, 'p_value': 2 * float(sps.t.sf(abs(statistic), df))}


def standardised_mean_difference(a: tuple[int, float, float], b: tuple[int, float, float]) -> dict | None:
    if a[0] < 2 or b[0] < 2:
        return None
    pooled = math.sqrt((a[2] ** 2 + b[2] ** 2) / 2)
    if not pooled > 0:
        return None
    raw = welch(a, b)
    return {'estimate': raw['estimate'] / pooled, 'lower': raw['lower'] / pooled, 'upper': raw['upper'] / pooled, 'p_value': raw['p_value']}


def standardised_proportion_difference(a_count: int, a_n: int, b_count: int, b_n: int) -> dict | None:
    if a_n < 1 or b_n < 1:
        return None
    pa, pb = a_count / a_n, b_count / b_n
    pooled = math.sqrt((pa * (1 - pa) + pb * (1 - pb)) / 2)
    if not pooled > 0:
        return None
    raw = newcombe(a_count, a_n, b_count, b_n)
    return {'estimate': raw['estimate'] / pooled, 'lower': raw['lower'] / pooled, 'upper': raw['upper'] / pooled, 'p_value': raw['p_value']}


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return []
    order = np.argsort(p, kind='stable')
    ranked = np.minimum.accumulate((m * p[order] / np.arange(1, m + 1))[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(ranked, 1.0)
    return q.tolist()


def nps_interval(promoters: int, passives: int, detractors: int) -> dict:
    """NPS in points with its Wald interval, Var = 100²·[p + d − (p − d)²]/n (Rocks 2016)."""
    n = promoters + passives + detractors
    p, d = promoters / n, detractors / n
    nps = 100 * (p - d)
    se = math.sqrt(10_000 * (p + d - (p - d) ** 2) / n)
    return {'estimate': nps, 'lower': max(-100.0, nps - Z * se), 'upper': min(100.0, nps + Z * se), 'n': n}


def type1_quantile(sorted_values: np.ndarray, p: float) -> float:
    """The inverse empirical CDF (Hyndman & Fan type 1): x_(ceil(n·p)), as DuckDB's quantile_disc."""
    n = len(sorted_values)
    return float(sorted_values[max(0, math.ceil(n * p) - 1)])
