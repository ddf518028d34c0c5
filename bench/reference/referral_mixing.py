"""Whether customers refer people like themselves, computed pair by pair from the reference's frames.

- Attribute assortativity (src/analysis/referrals/mixing-math.ts, Newman 2003
  eq. 2): over the pairs (a referred customer and its referrer, customer_facts.referred_by),
  the same-value share O, the chance share E = Σ a_v·b_v and Newman's
  r = (O − E)/(1 − E); standard errors by the delta method clustered by
  referrer, each pair's influence (1[i = j] − O for O, b_i + a_j − 2E for E)
  summed per referrer, Var = G/(G − 1)·Σu²/P²; the test of O = E with the
  influences under independence (1[i = j] − b_i − a_j + E). Here the
  influences are summed over the pairs themselves (np.bincount by referrer),
  not from the per-level moments cxray's SQL returns.
- Value at equal tenure (value-assortativity.ts, clustered-correlation.ts):
  each side's net value over its own first 365 days from signup (else 90
  when under 30 pairs have both windows whole), Spearman's rho on midranks
  and Pearson's r over the pairs, clustered by referrer, Fisher-z intervals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from event_value import window_value
from stats import Z

MAX_MIXING_LEVELS = 25
VALUE_WINDOWS = [365, 90]
MINIMUM_VALUE_PAIRS = 30


def _clustered_variance(z: np.ndarray, owner: np.ndarray, groups: int, pairs: int) -> float:
    u = np.bincount(owner, weights=z, minlength=groups)
    return groups / (groups - 1) * float((u * u).sum()) / (pairs * pairs)


def _linearised(estimate: float, variance: float, null_variance: float) -> dict:
    se = math.sqrt(max(0.0, variance))
    null_se = math.sqrt(max(0.0, null_variance))
    statistic = estimate / null_se if null_se > 0 else 0.0
    return {'estimate': estimate, 'lower': max(-1.0, estimate - Z * se), 'upper': min(1.0, estimate + Z * se), 'p_value': 2 * float(sps.norm.sf(abs(statistic))) if null_se > 0 else 1.0}


def assortativity(referrer_level: np.ndarray, referred_level: np.ndarray, referrer: np.ndarray) -> dict | None:
    """The mixing of one attribute over the pairs (levels of each side, the referrer's id)."""
    pairs = len(referrer_level)
    owner, ids = pd.factorize(referrer)
    groups = len(ids)
    if pairs == 0 or groups < 2:
        return None
    a = pd.Series(referrer_level).value_counts() / pairs
    b = pd.Series(referred_level).value_counts() / pairs
    same = (referrer_level == referred_level).astype(float)
    observed = float(same.sum()) / pairs
    chance = float(sum(share * b.get(v, 0.0) for v, share in a.items()))
    if not chance < 1 - 1e-12:
        return None
    b_i = pd.Series(referrer_level).map(b).fillna(0.0).to_numpy()
    a_j = pd.Series(referred_level).map(a).fillna(0.0).to_numpy()
    z_observed = same - observed
    z_chance = b_i + a_j - 2 * chance
    one_minus = 1 - chance
    var = lambda z: _clustered_variance(z, owner, groups, pairs)  # noqa: E731
    null = var(same - b_i - a_j + chance)
    same_se = math.sqrt(max(0.0, var(z_observed)))
    return {
        'pairs': pairs,
        'referrers': groups,
        'same': {'estimate': observed, 'lower': max(0.0, observed - Z * same_se), 'upper': min(1.0, observed + Z * same_se)},
        'chance': chance,
        'difference': _linearised(observed - chance, var(z_observed - z_chance), null),
        'coefficient': _linearised((observed - chance) / one_minus, var(z_observed / one_minus - z_chance * (1 - observed) / (one_minus * one_minus)), null / (one_minus * one_minus)),
    }


def clustered_correlation(x: np.ndarray, y: np.ndarray, owner: np.ndarray, ranks: bool) -> dict | None:
    """clustered-correlation.ts: r over the pairs, SE by the delta method clustered by referrer, Fisher-z interval."""
    n = len(x)
    groups = len(np.unique(owner))
    if n < 5 or groups < 2:
        return None
    if ranks:
        x, y = sps.rankdata(x), sps.rankdata(y)
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float((dx * dx).sum()), float((dy * dy).sum())
    if not sxx > 0 or not syy > 0:
        return None
    r = max(-1.0, min(1.0, float((dx * dy).sum()) / math.sqrt(sxx * syy)))
    a, b = dx / math.sqrt(sxx / n), dy / math.sqrt(syy / n)
    codes, _ = pd.factorize(owner)
    u = np.bincount(codes, weights=a * b - r / 2 * (a * a + b * b))
    se = math.sqrt(groups / (groups - 1) * float((u * u).sum()) / (n * n))
    if abs(r) >= 1 or not se > 0:
        return {'estimate': r, 'lower': r, 'upper': r, 'p_value': 1.0 if se > 0 or r == 0 else 0.0, 'pairs': n, 'clusters': groups}
    se_z = se / (1 - r * r)
    centre = math.atanh(r)
    return {'estimate': r, 'lower': math.tanh(centre - Z * se_z), 'upper': math.tanh(centre + Z * se_z), 'p_value': 2 * float(sps.norm.sf(abs(centre / se_z))), 'pairs': n, 'clusters': groups}


def value_correlation(facts: pd.DataFrame, events: pd.DataFrame, end: pd.Timestamp) -> dict | None:
    """Referrer's against referred customer's early net value, over the pairs with both windows whole."""
    ids = facts['customer_id'].astype(str).to_numpy()
    signup = pd.Series(facts['signup_at'].to_numpy(), index=ids)
    for days in VALUE_WINDOWS:
        value = window_value(events, signup, days).to_numpy() / 100
        eligible = (signup.notna() & (signup < end - pd.Timedelta(days=days))).to_numpy()
        referrers = pd.Series(value[eligible & (facts['referrals_made'] > 0).to_numpy()], index=ids[eligible & (facts['referrals_made'] > 0).to_numpy()])
        referred = facts['referred_by'].notna().to_numpy() & eligible
        pairs = pd.DataFrame({'id': facts['referred_by'].to_numpy()[referred].astype(str), 'y': value[referred]})
        pairs = pairs[pairs['id'].isin(referrers.index)].sort_values(['id', 'y'], kind='stable')
        if len(pairs) < MINIMUM_VALUE_PAIRS:
            continue
        x = pairs['id'].map(referrers).to_numpy(dtype=float)
        y = pairs['y'].to_numpy(dtype=float)
        owner = pairs['id'].to_numpy()
        rank = clustered_correlation(x, y, owner, ranks=True)
        if rank is None:
            continue
        return {'days': days, 'spearman': rank, 'pearson': clustered_correlation(x, y, owner, ranks=False), 'referrer_mean': float(x.mean()), 'referred_mean': float(y.mean())}
    return None
