"""Customers dealt into cxray's 4,096 bootstrap blocks, and the scorecard's estimators with the blocks as units.

The block of a customer is src/analysis/block-bootstrap.ts's blockKeySql: the
portable hash of the id (the first 16 hex digits of its MD5 as an unsigned
64-bit integer, src/engine/duckdb/dialect.ts hashString, as halves.py reads
it) modulo 4096. With the blocks reproduced, the scorecard's clustered
intervals are closed forms of per-block sums (src/analysis/scorecard/
clustered-mean.ts), so the reference computes them itself:

- the mean of a measure, Σy/Σm, with the linearisation variance of a ratio
  of totals, block influence z_b = (y_b − R·m_b)/M, Var = G/(G − 1)·Σz² over
  the G blocks holding observations, Student's t on G − 1 df (Cochran 1977,
  §6.3);
- a weighted combination Σw_k·R_k (the overall: each area with weight 1/K),
  its influence the same combination of the parts' (a block counts where any
  part observes it);
- the least-squares slope on the day index with the cluster-robust variance,
  u_b = Σ_{i∈b}(t_i − t̄)(y_i − ȳ − b(t_i − t̄))/S_tt (Liang & Zeger 1986),
  from the blocks' m, Σt, Σy, Σt², Σty.

A measure's block sums are a dict of arrays indexed by block: m, y, t, tt, ty
(sums over the rows observing it) and lo, hi, t0, t1 (extremes, NaN where
the block has none).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from stats import LEVEL, t_quantile

BLOCKS = 4096
# Trends are stated per quarter (365.25 / 4 days) over measures answered across two quarters at least (area-scores.ts).
DAYS_PER_QUARTER = 91.3125
MINIMUM_TREND_DAYS = 182
PARTS = ('m', 'y', 't', 'tt', 'ty', 'lo', 'hi', 't0', 't1')
MICROSECONDS_PER_DAY = 86_400_000_000


def block_of(customer_id: str) -> int:
    return int(hashlib.md5(str(customer_id).encode('utf-8')).hexdigest()[:16], 16) % BLOCKS


def blocks_of(customer_ids: pd.Series) -> np.ndarray:
    """The block of every row's customer, each distinct id hashed once."""
    codes, uniques = pd.factorize(customer_ids)
    return np.fromiter((block_of(c) for c in uniques), dtype=np.int64, count=len(uniques))[codes]


def block_lookup(customers: pd.Series, variant: str):
    """rows' customer ids -> their blocks, every customer of `customers` (unique ids) hashed once: a map of a Series (idiomatic) or one
    get_indexer into the hashed ids (best). Every id looked up must be among them (rows of customers in scope)."""
    blocks = pd.Series(blocks_of(customers), index=pd.Index(customers))
    if variant == 'idiomatic':
        return lambda ids: ids.map(blocks).to_numpy(dtype=np.int64)
    values = blocks.to_numpy()
    return lambda ids: values[blocks.index.get_indexer(ids)]


def day_index(at: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """Whole days from the start of as_of to `at`, truncated toward zero (the DuckDB dialect's dateDiff('day'): integer microseconds, then //)."""
    us = (at - as_of).to_numpy(dtype='timedelta64[us]').astype(np.int64)
    return (np.sign(us) * (np.abs(us) // MICROSECONDS_PER_DAY)).astype(float)


def measure_sums(block: np.ndarray, value: np.ndarray, day: np.ndarray) -> dict[str, np.ndarray]:
    """measure-sums.ts's parts per block over rows whose value is not NaN (np.bincount: sums; ufunc.at: extremes)."""
    seen = ~np.isnan(value)
    b, v, d = block[seen], value[seen], day[seen]
    out = {
        'm': np.bincount(b, minlength=BLOCKS).astype(float),
        'y': np.bincount(b, weights=v, minlength=BLOCKS),
        't': np.bincount(b, weights=d, minlength=BLOCKS),
        'tt': np.bincount(b, weights=d * d, minlength=BLOCKS),
        'ty': np.bincount(b, weights=v * d, minlength=BLOCKS),
    }
    # Extremes per block by one sort on the block and ufunc.reduceat over each block's run (numpy 1.24's ufunc.at is slow).
    order = np.argsort(b, kind='stable')
    sorted_blocks = b[order]
    starts = np.flatnonzero(np.r_[True, sorted_blocks[1:] != sorted_blocks[:-1]]) if len(b) else np.array([], dtype=np.int64)
    for name, source, reduce in (('lo', v, np.minimum), ('hi', v, np.maximum), ('t0', d, np.minimum), ('t1', d, np.maximum)):
        extreme = np.full(BLOCKS, np.nan)
        if len(b):
            extreme[sorted_blocks[starts]] = reduce.reduceat(source[order], starts)
        out[name] = extreme
    return out


def grouped_measure_sums(frame: pd.DataFrame, value: str, day: str = 'day') -> dict[str, np.ndarray]:
    """The same parts by a pandas groupby on the block (what an analyst writes first), reindexed to every block."""
    seen = frame[frame[value].notna()]
    g = seen.assign(_tt=seen[day] * seen[day], _ty=seen[value] * seen[day]).groupby('block')
    sums = pd.DataFrame(
        {
            'm': g[value].count(),
            'y': g[value].sum(),
            't': g[day].sum(),
            'tt': g['_tt'].sum(),
            'ty': g['_ty'].sum(),
            'lo': g[value].min(),
            'hi': g[value].max(),
            't0': g[day].min(),
            't1': g[day].max(),
        }
    ).reindex(range(BLOCKS))
    out = {p: sums[p].to_numpy(dtype=float) for p in PARTS}
    for p in ('m', 'y', 't', 'tt', 'ty'):
        out[p] = np.nan_to_num(out[p])
    return out


def added(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Two disjoint sets of rows as one (measure-sums.ts addMeasureParts): sums add, extremes take the extreme."""
    out = {p: a[p] + b[p] for p in ('m', 'y', 't', 'tt', 'ty')}
    for p, how in (('lo', np.fmin), ('hi', np.fmax), ('t0', np.fmin), ('t1', np.fmax)):
        out[p] = how(a[p], b[p])
    return out


def empty_sums() -> dict[str, np.ndarray]:
    return {p: (np.zeros(BLOCKS) if p in ('m', 'y', 't', 'tt', 'ty') else np.full(BLOCKS, np.nan)) for p in PARTS}


def measure_range(s: dict[str, np.ndarray]) -> dict | None:
    """Observations, the smallest and largest value, and the first and last day; None when nothing is observed."""
    seen = s['m'] > 0
    if not seen.any():
        return None
    return {'n': int(s['m'].sum()), 'lowest': float(np.min(s['lo'][seen])), 'highest': float(np.max(s['hi'][seen])), 'first_day': float(np.min(s['t0'][seen])), 'last_day': float(np.max(s['t1'][seen]))}


def _from_influence(estimate: float, influence: np.ndarray) -> dict:
    g = len(influence)
    se = math.sqrt(g / (g - 1) * float(np.sum(influence * influence)))
    half = t_quantile(0.5 + LEVEL / 2, g - 1) * se
    return {'se': se, 'lower': estimate - half, 'upper': estimate + half}


def clustered_mean(m: np.ndarray, y: np.ndarray) -> dict | None:
    """Σy/Σm with its clustered t interval; None without observations or with fewer than 2 blocks holding them."""
    count = float(m.sum())
    if not count > 0:
        return None
    estimate = float(y.sum()) / count
    seen = m > 0
    if seen.sum() < 2:
        return None
    influence = np.zeros(BLOCKS)
    influence[seen] = (y[seen] - estimate * m[seen]) / count
    return {'estimate': estimate, **_from_influence(estimate, influence[seen]), 'n': count, 'clusters': int(seen.sum()), 'influence': influence, 'seen': seen}


def combined_mean(parts: list[tuple[dict, float]]) -> dict | None:
    """Σw·R of clustered means, its influence per block Σw·z over the blocks any part observes."""
    if not parts:
        return None
    estimate = 0.0
    for mean, weight in parts:
        estimate += weight * mean['estimate']
    seen = np.zeros(BLOCKS, dtype=bool)
    influence = np.zeros(BLOCKS)
    for mean, weight in parts:
        seen |= mean['seen']
        influence += weight * mean['influence']
    if seen.sum() < 2:
        return None
    return {'estimate': estimate, **_from_influence(estimate, influence[seen]), 'n': sum(mean['n'] for mean, _ in parts), 'clusters': int(seen.sum()), 'influence': influence, 'seen': seen}


def clustered_slope(s: dict[str, np.ndarray]) -> dict | None:
    """The slope per day with its cluster-robust t interval and two-sided p; None without a spread of days or with fewer than 3 blocks."""
    m, y, t, tt, ty = (float(s[p].sum()) for p in ('m', 'y', 't', 'tt', 'ty'))
    if not m > 0:
        return None
    t_bar, y_bar = t / m, y / m
    stt = tt - t * t_bar
    if not stt > 1e-9 * max(1.0, tt):
        return None
    per_day = (ty - t * y_bar) / stt
    seen = s['m'] > 0
    mb, yb, tb = s['m'][seen], s['y'][seen], s['t'][seen]
    centred_ty = s['ty'][seen] - t_bar * yb - y_bar * tb + mb * t_bar * y_bar
    centred_tt = s['tt'][seen] - 2 * t_bar * tb + mb * t_bar * t_bar
    influence = (centred_ty - per_day * centred_tt) / stt
    g = len(influence)
    if g < 3:
        return None
    se = math.sqrt(g / (g - 1) * float(np.sum(influence * influence)))
    half = t_quantile(0.5 + LEVEL / 2, g - 1) * se
    p = min(1.0, 2 * float(sps.t.sf(abs(per_day / se), g - 1))) if se > 0 else (1.0 if per_day == 0 else 0.0)
    return {'per_day': per_day, 'se': se, 'lower': per_day - half, 'upper': per_day + half, 'p_value': p, 'n': m, 'clusters': g}


def trend_of(s: dict[str, np.ndarray], span_days: float, per: float) -> dict:
    """area-scores.ts trendOf: the slope per quarter on 0-100 (`per` points per unit of the measure), or why there is none."""
    if span_days < MINIMUM_TREND_DAYS:
        return {'per_quarter': None, 'why': f'answers span {max(0, math.floor(span_days + 0.5))} days, under two quarters'}
    slope = clustered_slope(s)
    if slope is None:
        return {'per_quarter': None, 'why': 'too few customers to fit a trend'}
    f = DAYS_PER_QUARTER * per
    return {'per_quarter': slope['per_day'] * f, 'lower': slope['lower'] * f, 'upper': slope['upper'] * f, 'p_value': slope['p_value'], 'days': span_days}
