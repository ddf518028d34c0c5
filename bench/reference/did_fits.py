"""A contrast of group-period cells fitted by statsmodels with errors clustered by customer (what changes/did-math.ts computes from sums).

The saturated model, one indicator per cell and no intercept:
- `ols`: least squares on the answers (NPS net scores, CSAT scores) or on
  customer-periods with one observation each (an experiment's adoption);
- `wls`: least squares of each customer-period's mean (money per month, the
  share of a window's halves adopted) weighted by its n (months, halves);
- `poisson`: a Poisson GLM of each customer-period's churns with log(months
  at risk) as offset (the coefficients are log rates, so a contrast of them
  is a log ratio of rates).
Fitted with cov_type='cluster' (groups: the customers; statsmodels' CR1
correction G/(G−1)·(N−1)/(N−K)), normal inference (use_t=False). The
contrast Σ sign·β, its variance L·V·L', a normal interval and two-sided p.

Variants: idiomatic states the model as a formula (`smf.ols('y ~ 0 + C(cell)')`,
`smf.wls(..., weights=n)`, `smf.glm(..., offset=np.log(n))`); best fits
`sm.OLS` / `sm.WLS` / `sm.GLM` on a numpy one-hot design.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats as sps

from stats import Z

TOLERANCE = 1e-12


def contrast(kind: str, rows: pd.DataFrame, signs: dict[int, int], variant: str) -> dict:
    """rows: customer (cluster), cell (int), y and n; signs: cell -> +1/-1. Returns estimate, standard_error, statistic, p_value, lower, upper."""
    cells = sorted(rows['cell'].unique())
    if set(signs) - set(cells):
        raise ValueError('a signed cell has no rows')
    groups = pd.factorize(rows['customer'])[0]
    cov_kwds = {'groups': groups}
    if variant == 'idiomatic':
        data = pd.DataFrame({'y': rows['y'].to_numpy(dtype=float), 'n': rows['n'].to_numpy(dtype=float), 'cell': rows['cell'].to_numpy()})
        if kind == 'ols':
            fitted = smf.ols('y ~ 0 + C(cell)', data).fit(cov_type='cluster', cov_kwds=cov_kwds, use_t=False)
        elif kind == 'wls':
            fitted = smf.wls('rate ~ 0 + C(cell)', data.assign(rate=data['y'] / data['n']), weights=data['n']).fit(cov_type='cluster', cov_kwds=cov_kwds, use_t=False)
        else:
            fitted = smf.glm('y ~ 0 + C(cell)', data, family=sm.families.Poisson(), offset=np.log(data['n'])).fit(cov_type='cluster', cov_kwds=cov_kwds, use_t=False, tol=TOLERANCE)
        names = [f'C(cell)[{c}]' for c in cells]
        beta = fitted.params[names].to_numpy()
        cov = fitted.cov_params().loc[names, names].to_numpy()
    else:
        design = (rows['cell'].to_numpy()[:, None] == np.asarray(cells)[None, :]).astype(float)
        y, n = rows['y'].to_numpy(dtype=float), rows['n'].to_numpy(dtype=float)
        if kind == 'ols':
            fitted = sm.OLS(y, design).fit(cov_type='cluster', cov_kwds=cov_kwds, use_t=False)
        elif kind == 'wls':
            fitted = sm.WLS(y / n, design, weights=n).fit(cov_type='cluster', cov_kwds=cov_kwds, use_t=False)
        else:
            fitted = sm.GLM(y, design, family=sm.families.Poisson(), offset=np.log(n)).fit(cov_type='cluster', cov_kwds=cov_kwds, use_t=False, tol=TOLERANCE)
        beta, cov = np.asarray(fitted.params), np.asarray(fitted.cov_params())
    weights = np.array([signs.get(c, 0) for c in cells], dtype=float)
    estimate = float(weights @ beta)
    se = math.sqrt(max(0.0, float(weights @ cov @ weights)))
    statistic = estimate / se if se > 0 else 0.0
    return {
        'estimate': estimate, 'standard_error': se, 'statistic': statistic, 'p_value': min(1.0, 2 * float(sps.norm.sf(abs(statistic)))) if se > 0 else 1.0,
        'lower': estimate - Z * se, 'upper': estimate + Z * se,
    }
