"""A regression coefficient as cxray reports it: estimate, standard error, 95% normal interval and two-sided p."""

from __future__ import annotations

import math

from scipy import stats as sps

from stats import Z


def normal_p(estimate: float, se: float) -> float:
    """Two-sided normal p; 1 when the standard error is 0 (cxray's rule: an outcome that never varies shows no difference)."""
    return 2 * float(sps.norm.sf(abs(estimate / se))) if se > 0 else 1.0


def coefficient(estimate: float, variance: float) -> dict:
    se = math.sqrt(max(0.0, float(variance)))
    estimate = float(estimate)
    return {'estimate': estimate, 'se': se, 'lower': estimate - Z * se, 'upper': estimate + Z * se, 'p_value': normal_p(estimate, se)}


def odds(c: dict) -> dict:
    """A logistic coefficient with its odds ratio and the ratio's interval (the coefficient's interval exponentiated)."""
    return {**c, 'odds_ratio': math.exp(c['estimate']), 'or_lower': math.exp(c['lower']), 'or_upper': math.exp(c['upper'])}
