"""The fit score from the reference's customer_facts frame and event tables, as src/analysis/fit/ defines it.

- Components per customer (components.ts, measured.ts): net value per
  customer-month (0 once churned), the mean NPS answer (CSAT when under 10
  customers gave an NPS), cost to serve per customer-month (left out when no
  interaction is costed), retention (not churned) and referrals made per year;
  months = exposure_days / 30.4375, at least one; customers with an exposure.
- Weights (calibrate.ts, fit_calibration.py): at the calibration date (12
  months before the day after as_of) the same components from the events
  before it, standardised, and least squares of the net value each customer
  brought over the next 12 months on them (HC1); a component whose weight
  points against its expected direction is left out and the rest fitted again.
  Too few customers started by then (100, or 20 per weight): configured
  weights, one per standard deviation.
- Score (fit-model.ts): the prediction base + Σ w·(x − centre) (a component
  not measured counting at its centre) mapped onto 0-100 by its type-1 1st
  and 99th percentiles, clipped; the histogram in tenths; the calibration
  deciles (edges the type-1 10th..90th percentiles of the unclipped score at
  the calibration date, ties kept together) with the mean forward value and
  its t interval; the example customers nearest the 5th..95th percentiles.

Variants: the idiomatic one merges one groupby per event table onto the
customers and fits with statsmodels (`sm.OLS(...).fit(cov_type='HC1')`); the
best one sums every event table into per-customer arrays with np.bincount and
solves the normal equations with numpy (fit_calibration.py).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import fit_calibration
from event_value import value_events
from perfect_customer import satisfaction_measure
from ratio_stats import mean_interval
from result_table import table
from settings import Settings
from stats import Z, type1_quantile
from value import known_parts

DAYS_PER_MONTH = 30.4375
KEYS = ['value', 'satisfaction', 'cost_to_serve', 'retention', 'referrals']
SIGN = {'value': 1, 'satisfaction': 1, 'cost_to_serve': -1, 'retention': 1, 'referrals': 1}
CALIBRATION_MONTHS = 12
CUSTOMERS_PER_WEIGHT = 20
MINIMUM_CALIBRATION_CUSTOMERS = 100
EXAMPLE_PERCENTILES = [0.05, 0.25, 0.5, 0.75, 0.95]


@dataclass
class Measured:
    """Components of the customers measured (index: customer_id), NaN where not measured, and what else goes with them."""

    x: pd.DataFrame
    value_per_month: pd.Series
    forward: pd.Series | None = None


@dataclass
class FitScore:
    source: str
    measure: str | None
    missing: dict[str, str | None]
    components: list[dict]
    base: float
    low: float
    high: float
    now: Measured
    score: pd.Series
    raw: pd.Series
    points: dict[str, pd.Series]
    base_points: float
    calibration: dict | None = None
    extras: dict = field(default_factory=dict)


def months_before(end: pd.Timestamp, months: int) -> pd.Timestamp:
    """settings.ts monthsBefore: the first instant of the day `months` months before `end`, its day clamped to the month's length."""
    total = end.year * 12 + end.month - 1 - months
    year, month = total // 12, total % 12 + 1
    return pd.Timestamp(year=year, month=month, day=min(end.day, calendar.monthrange(year, month)[1]))


def measured_now(facts: pd.DataFrame, kind: str | None) -> Measured:
    """measuredNow: customer_facts' own columns, customers with an exposure."""
    f = facts[facts['exposure_days'].notna()]
    months = np.maximum(f['exposure_days'].to_numpy(dtype=float) / DAYS_PER_MONTH, 1.0)
    net = f['net_value'].to_numpy(dtype=float) / 100
    churned = f['churned'].to_numpy(dtype=bool)
    column = 'mean_csat' if kind == 'csat' else 'mean_nps'
    x = pd.DataFrame(
        {
            'value': np.where(churned, 0.0, net / months),
            'satisfaction': f[column].to_numpy(dtype=float) if kind is not None else np.nan,
            'cost_to_serve': f['cost_to_serve'].to_numpy(dtype=float) / 100 / months,
            'retention': np.where(churned, 0.0, 1.0),
            'referrals': f['referrals_made'].to_numpy(dtype=float) * 12 / months,
        },
        index=pd.Index(f['customer_id'].astype(str), name='customer_id'),
    )
    return Measured(x, pd.Series(net / months, index=x.index))


def _history_idiomatic(facts, events, answers, referrals, at, end) -> pd.DataFrame:
    """Per customer, one groupby per event table merged in turn: net, cost and forward (cents), answers and their sum, referrals made before `at`."""
    out = pd.DataFrame(index=pd.Index(facts['customer_id'].astype(str), name='customer_id'))
    before = events[events['at'] < at]
    out = out.join(before.groupby('customer_id')[['cents', 'cost']].sum().rename(columns={'cents': 'net'}))
    ahead = events[(events['at'] >= at) & (events['at'] < end)]
    out = out.join(ahead.groupby('customer_id')['cents'].sum().rename('forward'))
    asked = answers[answers['at'] < at]
    out = out.join(asked.groupby('customer_id')['score'].agg(['sum', 'count']).rename(columns={'sum': 'scores', 'count': 'answers'}))
    made = referrals[(referrals['referrer_id'] != referrals['referred_id']) & (referrals['at'] < at)]
    out = out.join(made.groupby('referrer_id').size().rename('referrals'))
    return out.fillna(0)


def _history_best(facts, events, answers, referrals, at, end) -> pd.DataFrame:
    """The same with every table's rows coded against the customers once and summed by np.bincount."""
    ids = pd.Index(facts['customer_id'].astype(str), name='customer_id')
    k = len(ids)

    def summed(keys: pd.Series, weights, mask) -> np.ndarray:
        codes = ids.get_indexer(keys[mask])
        keep = codes >= 0
        w = np.ones(int(mask.sum())) if weights is None else np.asarray(weights[mask], dtype=float)
        return np.bincount(codes[keep], weights=w[keep], minlength=k)

    before = (events['at'] < at).to_numpy()
    ahead = ((events['at'] >= at) & (events['at'] < end)).to_numpy()
    asked = (answers['at'] < at).to_numpy()
    made = ((referrals['referrer_id'] != referrals['referred_id']) & (referrals['at'] < at)).to_numpy()
    eid = events['customer_id']
    return pd.DataFrame(
        {
            'net': summed(eid, events['cents'].to_numpy(), before),
            'cost': summed(eid, events['cost'].to_numpy(), before),
            'forward': summed(eid, events['cents'].to_numpy(), ahead),
            'scores': summed(answers['customer_id'], answers['score'].to_numpy(), asked),
            'answers': summed(answers['customer_id'], None, asked),
            'referrals': summed(referrals['referrer_id'].astype(str), None, made),
        },
        index=ids,
    )


def measured_at(facts: pd.DataFrame, tables: dict, settings: Settings, kind: str | None, at: pd.Timestamp, end: pd.Timestamp, variant: str) -> Measured:
    """measuredAtDate: the components from the events before `at`, exposure from the start to churn before `at` (else `at`), and the net value from `at` to `end`."""
    events = value_events(tables, settings)
    events = events[events['at'] < end]
    sv = tables['survey_responses']
    column = 'Q3' if kind == 'csat' else 'Q1'
    answers = pd.DataFrame({'customer_id': sv['customer_id'].astype(str), 'at': sv['at'], 'score': sv[column]})
    answers = answers[answers['score'].notna()] if kind is not None else answers.iloc[:0]
    referrals = tables['referrals']
    history = (_history_idiomatic if variant == 'idiomatic' else _history_best)(facts, events, answers, referrals, at, end)

    start = facts['signup_at'].fillna(facts['first_purchase_at'])
    seconds = lambda ts: ts.astype('int64').astype(float) / 1e9  # noqa: E731
    churned_by = (facts['churned'] & facts['churned_at'].notna() & (facts['churned_at'] < at)).to_numpy()
    frm = seconds(start.fillna(at)).to_numpy()
    to = np.where(churned_by, seconds(facts['churned_at'].fillna(at)).to_numpy(), at.value / 1e9)
    keep = (start.notna() & (start < at)).to_numpy() & (to > frm)
    months = np.maximum((to - frm) / (86_400 * DAYS_PER_MONTH), 1.0)
    h = history.to_numpy(dtype=float)
    col = {name: h[:, i] for i, name in enumerate(history.columns)}
    net = col['net'] / 100
    x = pd.DataFrame(
        {
            'value': np.where(churned_by, 0.0, net / months),
            'satisfaction': np.where(col['answers'] > 0, col['scores'] / np.where(col['answers'] > 0, col['answers'], 1), np.nan) if kind is not None else np.nan,
            'cost_to_serve': col['cost'] / 100 / months,
            'retention': np.where(churned_by, 0.0, 1.0),
            'referrals': col['referrals'] * 12 / months,
        },
        index=history.index,
    )[keep]
    return Measured(x, pd.Series(net / months, index=history.index)[keep], pd.Series(col['forward'] / 100, index=history.index)[keep])


def component_missing(facts: pd.DataFrame, tables: dict, settings: Settings, kind: str | None) -> dict[str, str | None]:
    """Why each component cannot be measured (components.ts), or None."""
    costed = known_parts(tables, settings)['cost_to_serve']
    has = lambda t: len(tables.get(t, [])) > 0  # noqa: E731
    return {
        'value': None,
        'satisfaction': None if kind is not None else 'no customer in scope gave an NPS or CSAT answer (at least 10 are needed)',
        'cost_to_serve': None
        if costed
        else ('no interactions rows' if not has('interactions') else 'no interaction has a cost or a handling rate (handling_cost or handling_cost_per_minute in cxray.yaml)'),
        'retention': None if has('status_changes') else 'churn is not recorded (no status_changes rows)',
        'referrals': None if has('referrals') else 'referrals are not recorded (no referrals rows)',
    }


def prediction(x: pd.DataFrame, components: list[dict], base: float) -> pd.Series:
    """predictionSql: base + Σ w·(x − centre), a component not measured at its centre."""
    out = pd.Series(base, index=x.index)
    for c in components:
        if c['used']:
            out = out + c['per_unit'] * (x[c['key']].fillna(c['centre']) - c['centre'])
    return out


def score_parts(x: pd.DataFrame, components: list[dict], base: float, low: float, high: float) -> tuple[pd.Series, pd.Series, dict[str, pd.Series], float]:
    """fitScoreExpressions: each used component's points, the unclipped sum with the base points, and the score 0-100."""
    scale = 100 / (high - low)
    base_points = (base - low) * scale
    points = {c['key']: (c['per_unit'] * scale) * (x[c['key']].fillna(c['centre']) - c['centre']) for c in components if c['used']}
    raw = pd.Series(base_points, index=x.index)
    for p in points.values():
        raw = raw + p
    return raw.clip(0, 100), raw, points, base_points


def fit_score(facts: pd.DataFrame, tables: dict, settings: Settings, variant: str) -> FitScore:
    measure = satisfaction_measure(facts)
    kind = None if measure is None else measure[0].lower()
    missing = component_missing(facts, tables, settings, kind)
    now = measured_now(facts, kind)
    moments_now = {k: fit_calibration.moments(now.x[k]) for k in KEYS}
    end = settings.end
    at = months_before(end, CALIBRATION_MONTHS)
    available = sum(1 for k in KEYS if missing[k] is None)
    needed = max(MINIMUM_CALIBRATION_CUSTOMERS, CUSTOMERS_PER_WEIGHT * (available + 1))
    calibration, because = None, None
    cal = measured_at(facts, tables, settings, kind, at, end, variant)
    if len(cal.x) < needed:
        because = f'only {len(cal.x)} customers had started by the calibration date; fitting {available} weights needs at least {needed}'
    else:
        fitted = fit_calibration.calibrate(cal, KEYS, SIGN, missing, variant)
        if all(c['left_out'] is not None for c in fitted['components']):
            because = 'no component predicted the following months in its expected direction'
        else:
            calibration = {'at': at, 'measured': cal, **fitted}
    components, base = [], 0.0
    if calibration is None:
        for k in KEYS:
            m = moments_now[k]
            left = f'not measured: {missing[k]}' if missing[k] is not None else 'the same for every customer scored' if m['sd'] == 0 else None
            components.append({'key': k, 'used': left is None, 'left_out': left, 'centre': m['mean'], 'sd': m['sd'], 'per_unit': SIGN[k] / m['sd'] if left is None else 0.0, 'fitted': None})
    else:
        base = calibration['intercept']
        for c in calibration['components']:
            m = moments_now[c['key']]
            per_unit = c['per_sd'] / c['moments']['sd'] if c['left_out'] is None and c['moments']['sd'] > 0 else 0.0
            base += per_unit * (m['mean'] - c['moments']['mean'])
            u = c['unconstrained']
            components.append({
                'key': c['key'], 'used': c['left_out'] is None and per_unit != 0, 'left_out': c['left_out'], 'centre': m['mean'], 'sd': m['sd'], 'per_unit': per_unit,
                'fitted': None if u is None else {**u, 'sd_at_calibration': c['moments']['sd']},
            })
    predicted = np.sort(prediction(now.x, components, base).to_numpy())
    low, high = type1_quantile(predicted, 0.01), type1_quantile(predicted, 0.99)
    if not high - low > 1e-9 * max(1.0, abs(low)):
        low, high = low - 0.5, low + 0.5
    score, raw, points, base_points = score_parts(now.x, components, base, low, high)
    return FitScore('configured' if calibration is None else 'fitted', kind, missing, components, base, low, high, now, score, raw, points, base_points, calibration, {'because': because})


def _deciles(fs: FitScore) -> list[dict]:
    """calibrationDeciles: the calibration customers in tenths of their unclipped score then, with the forward value each tenth brought."""
    cal = fs.calibration
    if cal is None:
        return []
    score, raw, _, _ = score_parts(cal['measured'].x, fs.components, fs.base, fs.low, fs.high)
    ordered = np.sort(raw.to_numpy())
    edges = [type1_quantile(ordered, (i + 1) / 10) for i in range(9)]
    r = raw.to_numpy()
    bins = np.full(len(r), 10)
    for i in reversed(range(9)):
        bins = np.where(r < edges[i], i + 1, bins)
    forward = cal['measured'].forward.to_numpy()
    out = []
    for b in sorted(set(bins.tolist())):
        on = bins == b
        n = int(on.sum())
        f = forward[on]
        out.append({'decile': b, 'customers': n, 'mean_score': float(score.to_numpy()[on].sum()) / n, 'forward': mean_interval(n, float(f.sum()), float((f * f).sum()))})
    return out


def _examples(fs: FitScore) -> list[list]:
    """exampleCustomers: the customer nearest each score percentile (distance rounded to 9 places, ties by id), taken apart."""
    score = fs.score
    ordered = np.sort(score.to_numpy())
    ids: list[str] = []
    for p in EXAMPLE_PERCENTILES:
        target = type1_quantile(ordered, p)
        candidates = pd.DataFrame({'id': score.index, 'd': np.round(np.abs(score.to_numpy() - target), 9)})
        candidates = candidates[~candidates['id'].isin(ids)]
        if len(candidates):
            ids.append(candidates.sort_values(['d', 'id']).iloc[0]['id'])
    rows = []
    for i in ids:
        row = [i, float(fs.score[i]), float(fs.raw[i]), fs.base_points]
        for c in fs.components:
            if c['used']:
                value = fs.now.x.at[i, c['key']]
                row += [None if pd.isna(value) else float(value), float(fs.points[c['key']][i])]
            else:
                row += [None, None]
        rows.append(row)
    return rows


def section(fs: FitScore, settings: Settings) -> dict:
    """The fit section of the reference's JSON, under cxray's table and column names."""
    scale = 100 / (fs.high - fs.low)
    component_rows = []
    for c in fs.components:
        f = c['fitted']
        measured = fs.missing[c['key']] is None
        component_rows.append([
            c['key'], 'used' if c['used'] else f"left out: {c['left_out'] or 'no weight'}", c['centre'] if measured else None, c['sd'] if measured else None,
            None if f is None else f['sd_at_calibration'], None if f is None else f['estimate'], None if f is None else f['lower'], None if f is None else f['upper'], None if f is None else f['p_value'],
            c['per_unit'] * c['sd'] * scale if c['used'] else 0,
        ])
    deciles = _deciles(fs)
    bins = np.minimum(np.floor(fs.score.to_numpy() / 10), 9).astype(int)
    histogram = [[b * 10, b * 10 + 10, int((bins == b).sum())] for b in range(10)]
    spread = None
    if len(deciles) >= 2 and deciles[0]['forward'] is not None and deciles[-1]['forward'] is not None:
        top, bottom = deciles[-1]['forward'], deciles[0]['forward']
        difference = top['estimate'] - bottom['estimate']
        se = math.hypot(top['se'], bottom['se'])
        spread = {'estimate': difference, 'lower': difference - Z * se, 'upper': difference + Z * se, 'n': deciles[-1]['customers'] + deciles[0]['customers']}
    cal = fs.calibration
    unit = 'standard deviations' if cal is None else f'{settings.currency} over {CALIBRATION_MONTHS} months'
    return {
        'status': 'ok',
        'weights': fs.source,
        'calibration_date': None if cal is None else str(cal['at'].date()),
        'calibration_customers': None if cal is None else len(cal['measured'].x),
        'r_squared': None if cal is None else cal['r_squared'],
        'calibration_spread': spread,
        'tables': {
            'fit_components': table(['component', 'status', 'mean', 'sd', 'sd_at_calibration', 'fitted_weight_per_sd', 'lower', 'upper', 'p_value', 'points_per_sd'], component_rows),
            'fit_scale': table(['weights', 'prediction_unit', 'prediction_at_0', 'prediction_at_100', 'base_prediction', 'base_points', 'customers_scored'], [[fs.source, unit, fs.low, fs.high, fs.base, fs.base_points, len(fs.score)]]),
            'fit_calibration': table(
                ['decile', 'customers', 'mean_score', 'mean_forward_value', 'lower', 'upper'],
                [[d['decile'], d['customers'], d['mean_score'], *(d['forward'] and [d['forward']['estimate'], d['forward']['lower'], d['forward']['upper']] or [None] * 3)] for d in deciles],
                'customers',
                ('decile',),
            ),
            'fit_distribution': table(['from', 'to', 'customers'], histogram, 'customers', ('from', 'to')),
            'fit_examples': table(['customer_id', 'score', 'unclipped', 'base', *[f'{k}_{part}' for k in KEYS for part in ('value', 'points')]], _examples(fs)),
        },
    }
