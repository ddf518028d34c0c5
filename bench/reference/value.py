"""The value figures from the reference's customer_facts frame, as src/analysis/value/ defines them.

Net value = revenue + fees − refunds − credits − cost of goods − cost to serve
(customer_facts.net_value), every part shown:
- per customer: the exact total (whole cents) over n, with a t interval;
- per customer-month: Σ part / Σ months of exposure (exposure_days / 30.4375,
  customers with a start date), customers as units, linearised standard error
  (Cochran 1977, §6.3) and a t interval with n − 1 degrees of freedom, not
  clamped (money can be negative);
- a part the data does not give is unknown, not zero: cost of goods without
  any transaction cost, cost to serve without a costed interaction;
- by segment: the segments of cxray.yaml and the categorical attributes known
  at acquisition no segment names; levels under 5 customers or beyond the 25
  largest pooled as "other values (k)", shown but not screened; each level's
  net value per customer-month against the other customers (difference of two
  ratio estimates, normal interval and two-sided z test), screened together by
  Benjamini-Hochberg at 5% and the money threshold.

Variants: the idiomatic one filters the frame for each level (`df[group == level]`)
and sums each column on its own; the best one builds every derived column once
and sums them in one groupby.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import scipy.stats as sps

from facts_common import CHANNELS
from profile_groups import CATEGORICAL, groupings
from profile_values import MISSING
from result_table import table
from settings import Settings
from stats import LEVEL, Z, benjamini_hochberg, mean_summary, t_interval, t_quantile

DAYS_PER_MONTH = 30.4375
MINIMUM = 5
MAX_LEVELS = 25
# (key, sign): value.ts's VALUE_PARTS.
PARTS = [('revenue', 1), ('fees', 1), ('refunds', -1), ('credits', -1), ('cost_of_goods', -1), ('cost_to_serve', -1)]
MEASURES = [k for k, _ in PARTS] + ['net_value']


def known_parts(tables: dict[str, pd.DataFrame], settings: Settings) -> dict[str, bool]:
    """Cost of goods is known when a transaction carries a cost; cost to serve when an interaction is costed (knowledge.ts)."""
    transactions = tables.get('transactions')
    cost_of_goods = transactions is not None and 'cost' in transactions.columns and bool(transactions['cost'].notna().any())
    interactions = tables.get('interactions')
    costed = False
    if interactions is not None and len(interactions) > 0:
        rated = lambda rates, ch: ch in rates or ch.replace('-', '_') in rates or 'default' in rates  # noqa: E731
        flat = interactions['channel'].isin([c for c in CHANNELS if rated(settings.handling_cost, c)])
        per_minute = interactions['channel'].isin([c for c in CHANNELS if rated(settings.handling_cost_per_minute, c)]) & interactions['handling_minutes'].notna()
        own = interactions['cost'].notna() if 'cost' in interactions.columns else False
        costed = bool((flat | per_minute | own).any())
    return {**{k: True for k, _ in PARTS}, 'cost_of_goods': cost_of_goods, 'cost_to_serve': costed}


def _frame(facts: pd.DataFrame) -> pd.DataFrame:
    """Per customer: months (NaN without a start date), and each measure in cents and in dollars."""
    months = facts['exposure_days'] / DAYS_PER_MONTH
    exposed = months.notna()
    out = pd.DataFrame({'m': months.where(exposed, 0.0), 'e': exposed.astype(np.int64)}, index=facts.index)
    out['mm'] = out['m'] * out['m']
    for k in MEASURES:
        cents = facts[k].astype(np.int64)
        x = cents.astype(float) / 100
        out[f'{k}_c'] = cents
        out[f'{k}_q'] = x * x
        out[f'{k}_ec'] = cents.where(exposed, 0)
        out[f'{k}_eq'] = (x * x).where(exposed, 0.0)
        out[f'{k}_em'] = (x * out['m']).where(exposed, 0.0)
    return out


def _sums_of(frame: pd.DataFrame) -> dict:
    """Idiomatic: each sum on its own."""
    return {'n': len(frame), **{c: frame[c].sum() for c in frame.columns}}


def _ratio(n: int, y: float, m: float, yy: float, mm: float, ym: float) -> dict | None:
    """Σy/Σm with its linearised SE and a t interval (money-ratio.ts), unclamped."""
    if n < 2 or not m > 0:
        return None
    r = y / m
    residual = max(0.0, yy - 2 * r * ym + r * r * mm)
    se = math.sqrt(residual / (n * (n - 1))) / (m / n)
    half = t_quantile(0.5 + LEVEL / 2, n - 1) * se
    return {'estimate': r, 'se': se, 'lower': r - half, 'upper': r + half}


def _ratio_sums(s: dict, k: str) -> tuple:
    return (int(s['e']), s[f'{k}_ec'] / 100, float(s['m']), float(s[f'{k}_eq']), float(s['mm']), float(s[f'{k}_em']))


def _difference(a: dict, b: dict) -> dict | None:
    """ratioDifference: a − b of independent ratio estimates, normal interval and two-sided z test."""
    ra, rb = _ratio(*_ratio_sums(a, 'net_value')), _ratio(*_ratio_sums(b, 'net_value'))
    if ra is None or rb is None:
        return None
    estimate = ra['estimate'] - rb['estimate']
    se = math.sqrt(ra['se'] ** 2 + rb['se'] ** 2)
    p = 2 * float(sps.norm.sf(abs(estimate / se))) if se > 0 else 1.0
    return {'estimate': estimate, 'lower': estimate - Z * se, 'upper': estimate + Z * se, 'p_value': p}


def _minus(a: dict, b: dict) -> dict:
    return {k: a[k] - b[k] for k in a}


def _plus(a: dict, b: dict) -> dict:
    return {k: a[k] + b[k] for k in a}


def _figures(s: dict, known: dict[str, bool]) -> dict:
    n = int(s['n'])
    mean, sd = mean_summary(n, s['net_value_c'] / 100, float(s['net_value_q']))
    per_customer = t_interval(n, mean, sd) if n >= 2 else None
    per_month = _ratio(*_ratio_sums(s, 'net_value'))
    parts = {k: (_ratio(*_ratio_sums(s, k)) if known[k] else None) for k, _ in PARTS}
    return {'n': n, 'per_customer': per_customer, 'per_month': per_month, 'parts': parts}


def segment_groupings(facts: pd.DataFrame, settings: Settings) -> list[tuple[str, pd.Series]]:
    """segment-groupings.ts: the segments of cxray.yaml, then the categorical attributes known at acquisition no segment names."""
    out = groupings(facts, settings)
    named = {attribute for attribute, _ in settings.segments.values()}
    keys = {key for key, _ in out}
    for attribute in settings.at_acquisition:
        if attribute in CATEGORICAL and attribute not in named and attribute not in keys:
            values = facts[attribute]
            out.append((attribute, values.astype(object).where(values.notna(), MISSING).astype(str)))
    return out


def value(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings, variant: str) -> dict:
    """The value section of the reference's JSON: the parts overall and the figures by segment, under cxray's table and column names."""
    if len(tables.get('transactions', [])) == 0:
        return {'status': 'skipped', 'reason': 'no transactions'}
    known = known_parts(tables, settings)
    frame = _frame(facts)
    whole = _sums_of(frame)
    overall = _figures(whole, known)

    part_rows = []
    for k in MEASURES:
        is_known = known.get(k, True)
        s = whole
        total = s[f'{k}_c'] / 100 if is_known else None
        mean, sd = mean_summary(int(s['n']), s[f'{k}_c'] / 100, float(s[f'{k}_q']))
        per_customer = t_interval(int(s['n']), mean, sd) if is_known and s['n'] >= 2 else None
        per_month = _ratio(*_ratio_sums(s, k)) if is_known else None
        part_rows.append([k, is_known, int(s['n']), total, *(per_customer and [per_customer['estimate'], per_customer['lower'], per_customer['upper']] or [None] * 3), int(s['e']), *(per_month and [per_month['estimate'], per_month['lower'], per_month['upper']] or [None] * 3)])

    levels = []
    for key, group in segment_groupings(facts, settings):
        if variant == 'idiomatic':
            sums = {level: _sums_of(frame[group == level]) for level in group.unique()}
        else:
            grouped = frame.groupby(group, sort=False)
            summed = grouped.sum()
            sizes = grouped.size()
            sums = {level: {'n': int(sizes[level]), **summed.loc[level].to_dict()} for level in summed.index}
        by_size = sorted(sums, key=lambda level: (-sums[level]['n'], level))
        shown = [level for i, level in enumerate(by_size) if i < MAX_LEVELS and sums[level]['n'] >= MINIMUM]
        small = [level for level in sums if level not in shown]
        for level in shown:
            levels.append((key, level, False, sums[level]))
        if small:
            pooled = sums[small[0]]
            for level in small[1:]:
                pooled = _plus(pooled, sums[level])
            levels.append((key, f'other values ({len(small)})', True, pooled))

    rows = []
    for key, level, pooled, s in levels:
        f = _figures(s, known)
        rest = _minus(whole, s)
        d = None if pooled or rest['e'] < 2 else _difference(s, rest)
        pm = f['per_month']
        rows.append({
            'cells': [key, level, pooled, f['n'], int(s['e']), float(s['m']), s['net_value_c'] / 100, f['per_customer'] and f['per_customer']['estimate'],
                      pm and pm['estimate'], pm and pm['lower'], pm and pm['upper'], *[p and p['estimate'] for p in f['parts'].values()]],
            'difference': d,
        })
    tested = [r for r in rows if r['difference'] is not None]
    q = benjamini_hochberg([r['difference']['p_value'] for r in tested])
    threshold = settings.thresholds['money']
    for r, qv in zip(tested, q):
        r['q'] = qv
        r['passes'] = qv <= settings.fdr and abs(r['difference']['estimate']) >= threshold
    segment_rows = []
    for r in rows:
        d = r['difference']
        segment_rows.append([*r['cells'], *(d and [d['estimate'], d['lower'], d['upper'], d['p_value']] or [None] * 4), r.get('q'), r.get('passes', False)])

    return {
        'status': 'ok',
        'net_value_total': whole['net_value_c'] / 100,
        'net_value_per_month': overall['per_month'],
        'tables': {
            'value_parts': table(
                ['part', 'known', 'customers', 'total', 'per_customer', 'per_customer_lower', 'per_customer_upper', 'exposed_customers', 'per_customer_month', 'lower', 'upper'],
                part_rows,
                'customers',
                ('part', 'known'),
            ),
            'value_by_segment': table(
                ['grouping', 'level', 'pooled', 'customers', 'exposed_customers', 'customer_months', 'net_value_total', 'per_customer', 'per_customer_month', 'lower', 'upper',
                 *[f'{k}_per_month' for k, _ in PARTS], 'difference', 'difference_lower', 'difference_upper', 'p_value', 'q_value', 'passes'],
                segment_rows,
                'customers',
                ('grouping', 'level', 'pooled'),
            ),
        },
    }
