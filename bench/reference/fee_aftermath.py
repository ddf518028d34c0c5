"""What fees do next, from the reference's customer_facts, transactions and survey frames, as src/analysis/fee-aftermath/ defines it.

For each fee line (a category of fee transactions; customers ever charged it,
its first charge), risk-set matching by week (weeks start on Mondays, UTC):
in week k, the customers first charged the line in it (treated) against
every customer signed up before the week ends, not churned by then and
without the fee before it starts (controls), in strata of the segment
(cxray.yaml's `segment` grouping, else its first), the tenure band at the
week's end (0-3, 3-6, 6-12, 12-24 months, more) and the value band (thirds,
type-1 quantiles, of what customers bought in their first 90 days among
those who have had them; "new" under 90 days of tenure). Weeks run from the
line's first charge to the last whose 90 days after its end are observed.
Outcomes over the 90 days from the week's end: churn (customer_facts'
churned_at), and each customer's mean NPS answer as +100/0/−100 (else CSAT).
risk_sets.py builds the sums per risk set and role; here each line is
compared (aftermath-math.ts: each treated customer against its risk set's
controls' mean, averaged; the treated's variance plus the controls' per
risk set; normal interval, two-sided test), every line on both outcomes
screened together (Benjamini-Hochberg at 5%, 1 point of churn, 2 points of
satisfaction, the interval clear of zero).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from risk_sets import WEEK_ORIGIN, WEEK_SECONDS, WINDOW_DAYS, CustomerTimes, risk_sets, week_of
from result_table import table
from rule_groupings import groupings
from settings import Settings
from stats import Z, benjamini_hochberg, type1_quantile

DAY = 86_400
MINIMUM_TREATED = 30


def _seconds(ts: pd.Series) -> np.ndarray:
    """Epoch seconds as doubles, NaN for NaT (the reference's timestamps are whole seconds)."""
    values = ts.to_numpy(dtype='datetime64[ns]')
    out = values.astype(np.int64).astype(float) / 1e9
    out[np.isnat(values)] = np.nan
    return out


def first_days_spend(facts: pd.DataFrame, tx: pd.DataFrame, entry: np.ndarray, as_of_end: float) -> np.ndarray:
    """What each customer bought before entry + 90 days (and by as_of): the value band's measure, in dollars."""
    purchases = tx[(tx['kind'] == 'purchase') & (tx['at'] < pd.Timestamp(as_of_end, unit='s'))]
    row = pd.Index(facts['customer_id']).get_indexer(purchases['customer_id'])
    early = (row >= 0) & (_seconds(purchases['at']) < entry[row] + WINDOW_DAYS * DAY)
    return np.bincount(row[early], weights=purchases['cents'].to_numpy()[early], minlength=len(facts)) / 100


def value_cuts(spend: np.ndarray, entry: np.ndarray, as_of_end: float) -> tuple[float, float] | None:
    """aftermath-plan.ts valueCuts: type-1 thirds of first-90-day purchases over the customers whose first 90 days are observed."""
    eligible = ~np.isnan(entry) & (entry + WINDOW_DAYS * DAY <= as_of_end)
    if eligible.sum() < 30:
        return None
    ordered = np.sort(spend[eligible])
    return type1_quantile(ordered, 1 / 3), type1_quantile(ordered, 2 / 3)


def compare(sets: pd.DataFrame, outcome: str) -> dict | None:
    """aftermath-math.ts compareRiskSets over one line's risk sets (columns per role: n, sum, squares)."""
    n_col, sum_col, sq_col, minimum = ('customers', 'churned', 'churned', 1) if outcome == 'churn' else ('answered', 'score', 'squares', 2)
    t = sets[f't_{n_col}'].to_numpy(float)
    c = sets[f'c_{n_col}'].to_numpy(float)
    has = t > 0
    matched = has & (c >= minimum)
    unmatched = int(t[has & ~matched].sum())
    t, c = t[matched], c[matched]
    n = float(t.sum())
    if n < 2:
        return None
    ts, tq = sets[f't_{sum_col}'].to_numpy(float)[matched], sets[f't_{sq_col}'].to_numpy(float)[matched]
    cs, cq = sets[f'c_{sum_col}'].to_numpy(float)[matched], sets[f'c_{sq_col}'].to_numpy(float)[matched]
    mean = cs / c
    variance = np.where(c > 1, np.maximum(0.0, (cq - c * mean * mean) / np.maximum(c - 1, 1)), 0.0)
    difference = float((ts.sum() - (t * mean).sum()) / n)
    squares = float((tq - 2 * mean * ts + t * mean * mean).sum())
    treated_variance = max(0.0, squares - n * difference * difference) / (n * (n - 1))
    se = math.sqrt(treated_variance + float((t * t * variance / c).sum()) / (n * n))
    p = 2 * float(sps.norm.sf(abs(difference) / se)) if se > 0 else (1.0 if difference == 0 else 0.0)
    return {'treated': float(ts.sum()) / n, 'controls': float((t * mean).sum()) / n, 'difference': difference, 'lower': difference - Z * se, 'upper': difference + Z * se,
            'p_value': p, 'matched': int(n), 'unmatched': unmatched, 'control_weeks': int(c.sum())}


def fee_aftermath(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings, variant: str) -> dict:
    tx = tables.get('transactions')
    fees = tx[tx['kind'] == 'fee'] if tx is not None else None
    if fees is None or len(fees) == 0:
        return {'status': 'skipped', 'reason': 'no fee was charged'}
    category = fees['category'].astype(object).where(fees['category'].notna(), None)
    lines = fees.assign(category=category.fillna('\0')).groupby('category').agg(customers=('customer_id', 'nunique'), first=('at', 'min')).reset_index()
    lines['category'] = lines['category'].where(lines['category'] != '\0', None)
    lines = sorted(lines.itertuples(index=False), key=lambda r: (-r.customers, 'null' if r.category is None else r.category))

    as_of_end = _seconds(pd.Series([settings.end]))[0]
    entry = _seconds(facts['signup_at'].fillna(facts['first_purchase_at']))
    churned = facts['churned'].astype(bool).to_numpy() & facts['churned_at'].notna().to_numpy()
    churn = np.where(churned, _seconds(facts['churned_at']), np.nan)
    found = groupings(facts, settings)
    segment = next((g for g in found if g.key == 'segment'), found[0] if found else None)
    instrument = 'nps' if facts['latest_nps'].notna().sum() >= 10 else 'csat' if facts['latest_csat'].notna().sum() >= 10 else None
    if len(tables.get('survey_responses', [])) == 0:
        instrument = None
    answers = None
    if instrument is not None:
        sv = tables['survey_responses']
        column = 'Q1' if instrument == 'nps' else 'Q3'
        sv = sv[sv[column].notna() & (sv['at'] < settings.end)]
        score = sv[column].to_numpy(float)
        scored = np.select([score >= 9, score >= 7], [100.0, 0.0], -100.0) if instrument == 'nps' else score
        answers = pd.DataFrame({'row': pd.Index(facts['customer_id']).get_indexer(sv['customer_id']), 'at': _seconds(sv['at']), 'x': scored})
        answers = answers[answers['row'] >= 0].reset_index(drop=True)
    spend = first_days_spend(facts, tx, entry, as_of_end)
    times = CustomerTimes(
        entry=entry, churn=churn, segment=np.zeros(len(facts), dtype=np.int64) if segment is None else pd.factorize(segment.levels)[0],
        value_cuts=value_cuts(spend, entry, as_of_end), spend=spend,
    )
    last = week_of(as_of_end - WINDOW_DAYS * DAY) - 1

    outcomes = []
    windows: dict = {}
    index = pd.Index(facts['customer_id'])
    for line in lines:
        label = settings.fee_labels.get(line.category, line.category) if line.category is not None else 'fees without a category'
        name = line.category or ''
        first = week_of(_seconds(pd.Series([line.first]))[0])

        def none(why: str) -> None:
            outcomes.append({'label': label, 'line': name, 'outcome': 'churn', 'charged': 0, 'comparison': None, 'why': why})
            if instrument is not None:
                outcomes.append({'label': label, 'line': name, 'outcome': 'satisfaction', 'charged': 0, 'comparison': None, 'why': why})

        if line.customers < MINIMUM_TREATED:
            none(f'too few customers charged ({line.customers})')
            continue
        if last < first:
            none(f'no fee early enough to have {WINDOW_DAYS} days after it by as_of')
            continue
        of_line = fees[(fees['category'].isna() if line.category is None else fees['category'] == line.category) & (fees['at'] < settings.end)]
        fee = np.full(len(facts), np.nan)
        firsts = of_line.groupby('customer_id')['at'].min()
        fee[index.get_indexer(firsts.index)] = _seconds(firsts)
        sets = risk_sets(times, fee, answers, first, last, variant, windows)
        charged = int(sets['t_customers'].sum())
        churn_c = compare(sets, 'churn')
        outcomes.append({'label': label, 'line': name, 'outcome': 'churn', 'charged': charged,
                         **({'comparison': churn_c} if churn_c is not None and churn_c['matched'] >= MINIMUM_TREATED else {'comparison': None, 'why': f"too few customers charged with comparable customers ({churn_c['matched'] if churn_c else 0})"})})
        if instrument is not None:
            sat = compare(sets, 'satisfaction')
            outcomes.append({'label': label, 'line': name, 'outcome': 'satisfaction', 'charged': charged,
                             **({'comparison': sat} if sat is not None and sat['matched'] >= MINIMUM_TREATED else {'comparison': None, 'why': f"too few answered in the {WINDOW_DAYS} days after it ({sat['matched'] if sat else 0})"})})

    compared = [o for o in outcomes if o['comparison'] is not None]
    for o, q in zip(compared, benjamini_hochberg([o['comparison']['p_value'] for o in compared])):
        c = o['comparison']
        estimate = 100 * c['difference'] if o['outcome'] == 'churn' else c['difference']
        threshold = settings.thresholds['percentage_points'] if o['outcome'] == 'churn' else settings.thresholds['points']
        o['q'] = q
        o['passes'] = q <= settings.fdr and abs(estimate) >= threshold and (c['lower'] > 0 or c['upper'] < 0)
    rows = []
    for o in outcomes:
        c = o['comparison']
        harmful = c is not None and (c['difference'] > 0 if o['outcome'] == 'churn' else c['difference'] < 0)
        status = o.get('why', 'not compared') if c is None else ('worse after the fee' if harmful else 'better after the fee') if o['passes'] else 'no clear difference'
        rows.append([o['label'], o['outcome'], status, o['charged'], *(c and [c['matched'], c['unmatched'], c['control_weeks']] or [0, 0, 0]),
                     *(c and [c['treated'], c['controls'], c['difference'], c['lower'], c['upper'], c['p_value']] or [None] * 6), o.get('q')])
    columns = ['line', 'outcome', 'status', 'charged', 'matched', 'unmatched', 'control_weeks', 'after_fee', 'comparable', 'difference', 'lower', 'upper', 'p_value', 'q_value']
    return {
        'status': 'ok',
        'instrument': instrument,
        'segment': None if segment is None else segment.key,
        'weeks': {'origin_seconds': WEEK_ORIGIN, 'week_seconds': WEEK_SECONDS, 'last': last},
        'tables': {'fee_aftermath': table(columns, rows, 'matched', ('line', 'outcome', 'status'))},
    }
