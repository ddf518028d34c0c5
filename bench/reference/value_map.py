"""The fair-value line of the customer value map and a segment's deviation from it (value-balance/balance-math.ts), from the customers themselves.

The line: price per month p = y / m on x = (1, axes), weighted by the months
m, i.e. the least-squares solution of Σ m·x·x' β = Σ x·y, with the
cluster-robust covariance A⁻¹·B·A⁻¹·n/(n − p) (A = Σ m·x·x', B = Σ e²·x·x',
e = y − m·x'β, each customer its own cluster: statsmodels' HC1 for WLS).

A segment's deviation D = Σ_s e / Σ_s m: its mean price per month minus the
line's price at its exposure-weighted mean axes. Its variance from each
customer's influence on D, [1{i∈s}·(e_i − D·m_i) − h'x_i·e_i] / Σ_s m with
h = A⁻¹·Σ_s m·x (the segment's pull on the line), summed over the customers
on the map and scaled by n_s/(n_s − 1) (n_s: the segment's customers on the
map); the test's standard error is the same at D = 0; t with n_s − 1 df.

Variants: idiomatic fits `smf.wls(..., weights=m).fit(cov_type='HC1')`;
best solves the normal equations with numpy and forms the sandwich itself.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats as sps

from stats import LEVEL, t_quantile

# A variance below this share of its terms is rounding, not spread (every customer of the segment on the line).
ROUNDING = 1e-9


def fit_line(on_map: pd.DataFrame, axes: list[str], variant: str) -> dict:
    """The line over the customers on the map (columns m, y and the axes)."""
    m = on_map['m'].to_numpy(dtype=float)
    y = on_map['y'].to_numpy(dtype=float)
    x = np.column_stack([np.ones(len(on_map)), *[on_map[a].to_numpy(dtype=float) for a in axes]])
    n, p = x.shape
    if variant == 'idiomatic':
        result = smf.wls(f"price ~ {' + '.join(axes)}", data=on_map.assign(price=y / m), weights=m).fit(cov_type='HC1')
        beta = result.params[['Intercept', *axes]].to_numpy()
        covariance = result.cov_params().loc[['Intercept', *axes], ['Intercept', *axes]].to_numpy()
        inverse = result.normalized_cov_params.loc[['Intercept', *axes], ['Intercept', *axes]].to_numpy()
    else:
        a = (x * m[:, None]).T @ x
        beta = np.linalg.solve(a, x.T @ y)
        inverse = np.linalg.inv(a)
        e = y - m * (x @ beta)
        meat = (x * (e * e)[:, None]).T @ x
        covariance = inverse @ meat @ inverse * (n / (n - p) if n > p else 1.0)
    residual = y - m * (x @ beta)
    months = float(m.sum())
    return {
        'names': ['intercept', *axes], 'coefficients': [float(b) for b in beta], 'standard_errors': [math.sqrt(max(0.0, float(covariance[j, j]))) for j in range(p)],
        'inverse': inverse, 'n': n, 'months': months, 'mean_price': float(y.sum()) / months, 'means': [float((m * x[:, j]).sum()) / months for j in range(p)],
        'x': x, 'm': m, 'y': y, 'e': residual, 'index': on_map.index,
    }


def deviation(line: dict, members: pd.Index) -> dict | None:
    """A segment's deviation from the line over its customers on the map (`members`: index labels of the customers, on the map or not)."""
    inside = line['index'].isin(members)
    n = int(inside.sum())
    x, m, e, y = line['x'], line['m'], line['e'], line['y']
    months = float(m[inside].sum())
    if n < 2 or not months > 0:
        return None
    d = float(e[inside].sum()) / months
    h = line['inverse'] @ (x[inside] * m[inside][:, None]).sum(axis=0)
    pull = (x @ h) * e

    def variance(at: float) -> float:
        own = np.where(inside, e - at * m, 0.0)
        total = float(((own - pull) ** 2).sum())
        scale = float((e[inside] ** 2).sum()) + at * at * float((m[inside] ** 2).sum()) + float((pull ** 2).sum())
        return 0.0 if total <= ROUNDING * scale else total * n / ((n - 1) * months * months)

    se, null_se = math.sqrt(variance(d)), math.sqrt(variance(0.0))
    half = t_quantile(0.5 + LEVEL / 2, n - 1) * se
    means = [float((m[inside] * x[inside, j]).sum()) / months for j in range(x.shape[1])]
    return {
        'n': n, 'estimate': d, 'lower': d - half, 'upper': d + half, 'p_value': min(1.0, 2 * float(sps.t.sf(abs(d) / null_se, n - 1))) if null_se > 0 else 1.0,
        'mean_price': float(y[inside].sum()) / months, 'means': means[1:], 'fair_price': float(np.dot(line['coefficients'], means)),
    }
