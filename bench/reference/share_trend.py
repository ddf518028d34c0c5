"""The trend of a share over ordered cohorts, as src/analysis/mix/share-trend.ts tests it.

The weighted least-squares slope of the cohort shares on the cohort index
(weights: customers), the Cochran-Armitage test z = b/√(p̄(1 − p̄)/S_tt), and
the departure from the line (Armitage's χ² on k − 2 df) as a dispersion φ ≥ 1
that widens the test and the slope's interval (binomial variance at the fitted
shares) and moves both to t on k − 2 df when above 1. Written here from the
papers' formulas on the per-cohort arrays (numpy), not from cxray's code.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from stats import Z, t_quantile


def share_trend(index: np.ndarray, matching: np.ndarray, customers: np.ndarray) -> dict | None:
    keep = customers > 0
    t, x, n = index[keep].astype(float), matching[keep].astype(float), customers[keep].astype(float)
    k = len(t)
    if k < 3:
        return None
    total = n.sum()
    pooled = x.sum() / total
    if not 0 < pooled < 1:
        return None
    centre = (n * t).sum() / total
    stt = (n * (t - centre) ** 2).sum()
    if not stt > 0:
        return None
    slope = ((t - centre) * x).sum() / stt
    fitted = pooled + slope * (t - centre)
    df = k - 2
    pq = pooled * (1 - pooled)
    departure = (n * (x / n - fitted) ** 2).sum() / pq
    dispersion = max(1.0, departure / df)
    statistic = slope / np.sqrt(dispersion * pq / stt)
    p = np.clip(fitted, 0, 1)
    at = np.maximum(p * (1 - p), 1 / (4 * total))
    variance = dispersion * (n * (t - centre) ** 2 * at).sum() / (stt * stt)
    estimated = dispersion > 1
    half = (t_quantile(0.975, df) if estimated else Z) * np.sqrt(variance)
    p_value = min(1.0, 2 * float(sps.t.sf(abs(statistic), df))) if estimated else 2 * float(sps.norm.sf(abs(statistic)))
    return {
        'slope': float(slope), 'lower': float(slope - half), 'upper': float(slope + half), 'statistic': float(statistic), 'p_value': p_value,
        'dispersion': float(dispersion), 'departure_p_value': float(sps.chi2.sf(departure, df)), 'cohorts': k,
    }
