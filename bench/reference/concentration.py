"""The concentration ratio of one revenue line in one class of customers, with Fieller's interval, from per-customer influences.

As src/analysis/bad-revenue/concentration.ts defines it, computed here from
each customer's own terms rather than from cxray's six sums per line: over
the n customers whose class is known, with y_i what customer i paid in the
line (0 if nothing), d_i 1 when dissatisfied, w_i its weight (1, or months
of exposure for the churned class), A = Σ d·y, B = Σ y, N = Σ w, C = Σ d·w,
p = C/N, b = B/N and D = B·p (what the dissatisfied would pay at their
share), the ratio is A/D. Each customer's influence on A is a_i = d_i·y_i
and on D is δ_i = p·y_i + b·d_i·w_i − p·b·w_i (Woodruff 1971); the variances
and covariance are n/(n − 1) times the centred sums of squares and products
(n·var with ddof 1). The interval is Fieller's (the ratios r with
(A − r·D)² ≤ z²·Var(A − r·D)); the p-value is the one-sided test of the
excess A − D, whose interval is normal.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as sps

from stats import LEVEL, Z


def concentration(y: np.ndarray, d: np.ndarray, w: np.ndarray) -> dict | None:
    """y, d (bool), w over the customers whose class is known. None where cxray gives none (no dissatisfied payer, one-sided class, unbounded ratio)."""
    n = len(y)
    dissatisfied = d.astype(float)
    A = float((dissatisfied * y).sum())
    B = float(y.sum())
    N = float(w.sum())
    C = float((dissatisfied * w).sum())
    if not (A > 0) or not (B > 0) or not (C > 0) or not (N > C) or n < 2:
        return None
    p, b = C / N, B / N
    D = B * p
    a = dissatisfied * y
    delta = p * y + b * dissatisfied * w - p * b * w
    covariance = np.cov(np.vstack([a, delta]), ddof=1) * n
    aa, ad, dd = float(covariance[0, 0]), float(covariance[0, 1]), float(covariance[1, 1])
    excess_se = math.sqrt(max(0.0, aa - 2 * ad + dd))
    excess = {'estimate': A - D, 'lower': A - D - Z * excess_se, 'upper': A - D + Z * excess_se}
    p_value = float(sps.norm.sf((A - D) / excess_se)) if excess_se > 0 else (0.0 if A > D else 1.0)
    interval = fieller(A, D, aa, ad, dd)
    if interval is None:
        return None
    return {'revenue_share': A / B, 'customer_share': p, 'ratio': A / D, 'lower': interval[0], 'upper': interval[1], 'p_value': p_value, 'excess': excess, 'A': A, 'B': B}


def fieller(A: float, D: float, aa: float, ad: float, dd: float) -> tuple[float, float] | None:
    """The roots of (A − r·D)² = z²·(aa − 2r·ad + r²·dd); None when the set is not a bounded interval."""
    z2 = Z * Z
    lead = D * D - z2 * dd
    half = A * D - z2 * ad
    discriminant = half * half - lead * (A * A - z2 * aa)
    if not (lead > 0) or discriminant < 0:
        return None
    root = math.sqrt(discriminant)
    return max(0.0, (half - root) / lead), (half + root) / lead


def share_of_revenue(y: np.ndarray, d: np.ndarray) -> dict | None:
    """Σd·y / Σy over the customers whose class is known, customers as units (linearised SE, normal interval clamped to [0, 1])."""
    n = len(y)
    B = float(y.sum())
    if n < 2 or not B > 0:
        return None
    r = float((d * y).sum()) / B
    residual = d * y - r * y
    se = math.sqrt(float((residual * residual).sum()) / (n * (n - 1))) / (B / n)
    return {'estimate': r, 'lower': max(0.0, r - Z * se), 'upper': min(1.0, r + Z * se), 'n': n, 'level': LEVEL}
