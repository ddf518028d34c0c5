"""The fit score's weights, as src/analysis/fit/calibrate.ts fits them.

Over the customers who had started by the calibration date: each component
standardised by its mean and population SD then (z = (x − mean)/sd, 0 where
not measured); least squares of the forward net value on an intercept and the
z's, HC1 errors and normal intervals (as fitOlsInEngine); columns the others
determine (design.collinear_columns, cxray's Cholesky pivot rule) left out;
then, while some weight points against its component's expected direction,
the one with the most negative t is left out and the rest fitted again. The
first fit's estimates are reported as fitted; the last one's are the weights.

Variants: idiomatic fits with statsmodels (`sm.OLS(y, X).fit(cov_type='HC1')`),
best solves X'X β = X'y by Cholesky with numpy and builds the HC1 sandwich
from the residuals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from coefficients import coefficient
from design import collinear_columns


def moments(x: pd.Series) -> dict:
    v = x.dropna().to_numpy(dtype=float)
    n = len(v)
    mean = float(v.sum()) / n if n > 0 else 0.0
    variance = max(0.0, float((v * v).sum()) / n - mean * mean) if n > 0 else 0.0
    sd = math.sqrt(variance) if math.sqrt(variance) > 1e-9 * max(1.0, abs(mean)) else 0.0
    return {'n': n, 'mean': mean, 'sd': sd}


def _ols_best(x: np.ndarray, y: np.ndarray) -> tuple[list[dict], float]:
    n, p = x.shape
    xtx = x.T @ x
    factor = np.linalg.cholesky(xtx)
    beta = np.linalg.solve(factor.T, np.linalg.solve(factor, x.T @ y))
    residuals = y - x @ beta
    bread = np.linalg.inv(xtx)
    scores = x * residuals[:, None]
    covariance = bread @ (scores.T @ scores) @ bread * n / (n - p)
    r_squared = 1 - float(residuals @ residuals) / float(((y - y.mean()) ** 2).sum())
    return [coefficient(beta[i], covariance[i, i]) for i in range(p)], r_squared


def _ols_idiomatic(x: np.ndarray, y: np.ndarray) -> tuple[list[dict], float]:
    import statsmodels.api as sm

    fit = sm.OLS(y, x).fit(cov_type='HC1')
    covariance = fit.cov_params()
    return [coefficient(fit.params[i], covariance[i, i]) for i in range(x.shape[1])], float(fit.rsquared)


def calibrate(measured, keys: list[str], sign: dict[str, int], missing: dict[str, str | None], variant: str) -> dict:
    ols = _ols_idiomatic if variant == 'idiomatic' else _ols_best
    x_all, y = measured.x, measured.forward.to_numpy(dtype=float)
    components = []
    for k in keys:
        m = moments(x_all[k])
        left = f'not measured: {missing[k]}' if missing[k] is not None else 'no customer has it at the calibration date' if m['n'] == 0 else 'the same for every customer at the calibration date' if m['sd'] == 0 else None
        components.append({'key': k, 'moments': m, 'unconstrained': None, 'per_sd': 0.0, 'left_out': left})
    z = {c['key']: ((x_all[c['key']] - c['moments']['mean']) / c['moments']['sd']).fillna(0.0).to_numpy() if c['left_out'] is None else None for c in components}
    kept = [c for c in components if c['left_out'] is None]
    first = True
    while True:
        names = ['intercept', *[c['key'] for c in kept]]
        x = np.column_stack([np.ones(len(y)), *[z[c['key']] for c in kept]])
        dropped = set(collinear_columns(x.T @ x, names))
        if 'intercept' in dropped:
            raise ValueError('the calibration intercept is collinear')
        for c in kept:
            if c['key'] in dropped:
                c['left_out'] = 'explained by the other components among these customers (collinear)'
        kept = [c for c in kept if c['left_out'] is None]
        names = ['intercept', *[c['key'] for c in kept]]
        x = np.column_stack([np.ones(len(y)), *[z[c['key']] for c in kept]])
        fitted, r_squared = ols(x, y)
        by_name = dict(zip(names, fitted))
        if first:
            for c in kept:
                c['unconstrained'] = by_name[c['key']]
        first = False
        against = sorted(
            ((by_name[c['key']]['estimate'] * sign[c['key']] / max(by_name[c['key']]['se'], 1e-300), i) for i, c in enumerate(kept) if by_name[c['key']]['estimate'] * sign[c['key']] / max(by_name[c['key']]['se'], 1e-300) < 0),
        )
        if against:
            worst = kept[against[0][1]]
            worst['left_out'] = 'against its expected direction'
            kept = [c for c in kept if c is not worst]
            continue
        for c in kept:
            c['per_sd'] = by_name[c['key']]['estimate']
        return {'components': components, 'intercept': by_name['intercept']['estimate'], 'r_squared': r_squared}
