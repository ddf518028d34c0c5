"""The lifetime-value fits from the reference's customer_facts frame and transactions, as
src/analysis/lifetime-value/ defines them (no holdout: histories as of as_of).

- BG/NBD (Fader, Hardie & Lee 2005) on the compressed summaries: customers with a
  purchase history (frequency known, age_days >= 1), grouped by the unique
  (x, t_x, T) in whole days, then expressed in weeks (days / 7; days when the
  median T is under 56 days), not binned.
- Gamma-Gamma (Fader & Hardie 2013) on repeat buyers: the spend of every purchase
  day but the first, over x, in whole cents rounded half up (floor(v + 0.5)),
  grouped by (x, cents); buyers whose repeat spend is not positive are left out.
- Both fitted by maximum likelihood with scipy.optimize.minimize, L-BFGS-B, in
  log-parameters with the analytic gradient of the mean negative log-likelihood
  (scipy's best option for a smooth bound-free problem: the log makes it
  unconstrained; a quasi-Newton method with exact gradients), started where
  cxray starts (r = a = b = 1, alpha = sum T / sum x; p = 1, q = 2,
  gamma = mean spend).

Variants: the idiomatic one counts the summaries with groupby().size() on
columns; the best one packs (x, t_x, T) into one integer key and counts with
np.unique. The fits are the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import digamma, gammaln

YOUNG_MEDIAN_AGE_DAYS = 56


def _weighted_median(values: np.ndarray, counts: np.ndarray) -> float:
    order = np.argsort(values, kind='stable')
    cumulative = np.cumsum(counts[order])
    return float(values[order][np.searchsorted(cumulative * 2, cumulative[-1], side='left')])


def histories(facts: pd.DataFrame, variant: str) -> pd.DataFrame:
    usable = facts['frequency'].notna() & (facts['age_days'] >= 1).fillna(False).astype(bool)
    frame = facts.loc[usable, ['frequency', 'recency_days', 'age_days']].astype('int64')
    if variant == 'idiomatic':
        grouped = frame.groupby(['frequency', 'recency_days', 'age_days']).size().rename('count').reset_index()
        return grouped.rename(columns={'frequency': 'x', 'recency_days': 'tx', 'age_days': 'T'})
    x, tx, T = (frame[c].to_numpy() for c in ('frequency', 'recency_days', 'age_days'))
    span = int(max(tx.max(), T.max())) + 1
    keys, counts = np.unique((x * span + tx) * span + T, return_counts=True)
    return pd.DataFrame({'x': keys // (span * span), 'tx': (keys // span) % span, 'T': keys % span, 'count': counts})


def spend_rows(facts: pd.DataFrame, transactions: pd.DataFrame, settings) -> pd.DataFrame:
    purchases = transactions[(transactions['kind'] == 'purchase') & (transactions['at'] < settings.end)]
    daily = purchases.assign(day=purchases['at'].dt.normalize()).groupby(['customer_id', 'day'], observed=True)['cents'].sum().reset_index()
    first = daily.groupby('customer_id', observed=True)['day'].transform('min')
    repeat = daily[daily['day'] > first].groupby('customer_id', observed=True)['cents'].sum()
    buyers = facts.loc[((facts['age_days'] >= 1) & (facts['frequency'] >= 1)).fillna(False).astype(bool), ['customer_id', 'frequency']]
    spent = buyers.assign(spend=buyers['customer_id'].map(repeat).fillna(0).astype('int64').to_numpy())
    cents = np.floor(spent['spend'].to_numpy() / spent['frequency'].to_numpy().astype('float64') + 0.5)
    rows = pd.DataFrame({'x': spent['frequency'].astype('int64').to_numpy(), 'cents': cents})
    rows = rows[rows['cents'] > 0]
    return rows.groupby(['x', 'cents']).size().rename('count').reset_index()


def _bg_nbd_objective(theta: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, n: float):
    r, alpha, a, b = np.exp(theta)
    repeat = x > 0
    log_ratio = np.log(alpha + T) - np.log(alpha + tx)
    log_odds = np.where(repeat, np.log(a) - np.log(np.where(repeat, b + x - 1, 1.0)) + (r + x) * log_ratio, -np.inf)
    tail = np.logaddexp(0.0, log_odds)
    weight = np.where(repeat, 1.0 / (1.0 + np.exp(-log_odds)), 0.0)
    ll = (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + gammaln(b + x) - gammaln(a + b + x) - gammaln(b) + gammaln(a + b) - (r + x) * np.log(alpha + T) + tail)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - np.log(alpha + T) + weight * log_ratio
    d_alpha = r / alpha - (r + x) / (alpha + T) + weight * (r + x) * (1.0 / (alpha + T) - 1.0 / (alpha + tx))
    d_a = digamma(a + b) - digamma(a + b + x) + weight / a
    d_b = digamma(b + x) - digamma(a + b + x) - digamma(b) + digamma(a + b) - weight / np.where(repeat, b + x - 1, 1.0)
    gradient = np.array([r * (w @ d_r), alpha * (w @ d_alpha), a * (w @ d_a), b * (w @ d_b)])
    return -(w @ ll) / n, -gradient / n


def _gamma_gamma_objective(theta: np.ndarray, x: np.ndarray, m: np.ndarray, w: np.ndarray, n: float):
    p, q, gamma = np.exp(theta)
    px = p * x
    pooled = gamma + x * m
    ll = gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma) + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(pooled)
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - np.log(pooled))
    d_q = digamma(px + q) - digamma(q) + np.log(gamma) - np.log(pooled)
    d_gamma = q / gamma - (px + q) / pooled
    gradient = np.array([p * (w @ d_p), q * (w @ d_q), gamma * (w @ d_gamma)])
    return -(w @ ll) / n, -gradient / n


def _fit(objective, start: np.ndarray, args: tuple) -> tuple[np.ndarray, float, bool, int]:
    found = minimize(objective, np.log(start), args=args, jac=True, method='L-BFGS-B', options={'maxiter': 10000, 'maxcor': 20, 'ftol': 1e-15, 'gtol': 1e-10})
    return np.exp(found.x), float(found.fun), bool(found.success), int(found.nit)


def lifetime_value(facts: pd.DataFrame, transactions: pd.DataFrame, settings, variant: str) -> dict:
    rows = histories(facts, variant)
    if rows.empty:
        return {'status': 'skipped', 'reason': 'no customer has a purchase history'}
    counts = rows['count'].to_numpy().astype('float64')
    unit_days = 1 if _weighted_median(rows['T'].to_numpy(), rows['count'].to_numpy()) < YOUNG_MEDIAN_AGE_DAYS else 7
    x = rows['x'].to_numpy().astype('float64')
    tx = rows['tx'].to_numpy() / unit_days
    T = rows['T'].to_numpy() / unit_days
    n = counts.sum()
    purchases = counts @ x
    start = np.array([1.0, (counts @ T) / purchases if purchases > 0 else (counts @ T) / n, 1.0, 1.0])
    (r, alpha, a, b), value, converged, iterations = _fit(_bg_nbd_objective, start, (x, tx, T, counts, n))
    out = {
        'status': 'ok',
        'unit_days': unit_days,
        'n': int(n),
        'rows': int(len(rows)),
        'bg_nbd': {'r': r, 'alpha': alpha, 'a': a, 'b': b, 'log_likelihood': -value * n, 'converged': converged, 'iterations': iterations},
        'gamma_gamma': None,
    }
    spend = spend_rows(facts, transactions, settings)
    if not spend.empty:
        w = spend['count'].to_numpy().astype('float64')
        sx = spend['x'].to_numpy().astype('float64')
        m = spend['cents'].to_numpy() / 100.0
        k = w.sum()
        (p, q, gamma), value, converged, iterations = _fit(_gamma_gamma_objective, np.array([1.0, 2.0, (w @ m) / k]), (sx, m, w, k))
        out['gamma_gamma'] = {'p': p, 'q': q, 'gamma': gamma, 'log_likelihood': -value * k, 'n': int(k), 'rows': int(len(spend)), 'converged': converged, 'iterations': iterations}
    return out
