"""Ratio-of-totals figures the right-customer analyses share, as src/analysis/ratio-estimate.ts and value/money-ratio.ts define them.

Sums come as (n, y, m, yy, mm, ym): customers as units, Σy/Σm with the
linearised standard error √(Σ(y − r·m)²/(n(n − 1)))/m̄ (Cochran 1977, §6.3).
A share clamps its interval to [0, 1] (normal); money does not (Student's t
on n − 1 df), and a residual under 1e-9 of Σy² + r²Σm² is rounding, not
spread. The one-sided test that money per month is below zero is a score
test with the standard error under the null (ratio 0).
"""

from __future__ import annotations

import math

from scipy import stats as sps

from stats import LEVEL, Z, t_quantile

ROUNDING = 1e-9


def t_critical(df: float) -> float:
    return t_quantile(0.5 + LEVEL / 2, df)


def ratio_estimate(s: tuple) -> dict | None:
    """ratioEstimate: estimate, standard error and the interval clamped to [0, 1]."""
    n, y, m, yy, mm, ym = s
    if n < 2 or not m > 0:
        return None
    r = y / m
    residual = max(0.0, yy - 2 * r * ym + r * r * mm)
    se = math.sqrt(residual / (n * (n - 1))) / (m / n)
    return {'estimate': r, 'se': se, 'lower': max(0.0, r - Z * se), 'upper': min(1.0, r + Z * se)}


def money_ratio(s: tuple) -> dict | None:
    """moneyRatio: the ratio with a t interval, unclamped; a rounding residue gives no spread."""
    r = ratio_estimate(s)
    if r is None:
        return None
    n, _, _, yy, mm, ym = s
    e = r['estimate']
    residual = yy - 2 * e * ym + e * e * mm
    se = 0.0 if residual <= ROUNDING * (yy + e * e * mm) else r['se']
    half = t_critical(n - 1) * se
    return {'estimate': e, 'se': se, 'lower': e - half, 'upper': e + half, 'n': n}


def below_zero_p(s: tuple) -> float:
    """belowZeroPValue: one-sided p that the ratio is below zero, its SE under the null."""
    n, y, m, yy, _, _ = s
    if n < 2 or not m > 0:
        return 1.0
    se = math.sqrt(max(0.0, yy) / (n * (n - 1))) / (m / n)
    if not se > 0:
        return 0.0 if y < 0 else 1.0
    return float(sps.t.cdf(y / m / se, n - 1))


def ratio_difference(a: tuple, b: tuple) -> dict | None:
    """ratioDifference: a − b of two independent ratio estimates, normal interval, two-sided p."""
    ra, rb = ratio_estimate(a), ratio_estimate(b)
    if ra is None or rb is None:
        return None
    estimate = ra['estimate'] - rb['estimate']
    se = math.sqrt(ra['se'] ** 2 + rb['se'] ** 2)
    return {'estimate': estimate, 'se': se, 'lower': estimate - Z * se, 'upper': estimate + Z * se, 'p_value': 2 * float(sps.norm.sf(abs(estimate / se))) if se > 0 else 1.0}


def mean_interval(n: int, total: float, squares: float) -> dict | None:
    """meanInterval on a mean and sample SD from sums; None under two."""
    if n < 2:
        return None
    mean = total / n
    sd = math.sqrt(max(0.0, (squares - n * mean * mean) / (n - 1)))
    se = sd / math.sqrt(n)
    half = t_critical(n - 1) * se
    return {'estimate': mean, 'se': se, 'lower': mean - half, 'upper': mean + half, 'sd': sd, 'n': n}


def triple(d: dict | None, keys: tuple[str, str, str] = ('estimate', 'lower', 'upper')) -> list:
    """An estimate and its interval as three cells (None when there is none)."""
    return [None if d is None else d[k] for k in keys]
