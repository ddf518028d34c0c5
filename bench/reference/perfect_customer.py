"""The perfect-customer figures from the reference's customer_facts frame, as src/analysis/perfect-customer/ defines them.

Per declared behaviour:
- adoption: customers with an exposure (and a tenure) and how many adopted;
- value (value.ts): each money component per customer-month (its total over
  exposure_days / 30.4375) regressed on adoption, raw (adoption alone) and
  adjusted (the design of design.py), weighted by exposure months, HC1 errors;
  the components are handling cost (cost_to_serve), credits, revenue net of
  refunds and fees; the value is revenue − refunds − cost_to_serve − credits;
- satisfaction (satisfaction.ts): the latest NPS as +100/0/−100 (CSAT when
  under 10 customers gave an NPS), raw difference with the NPS variance
  formula (Welch for CSAT), adjusted by least squares with HC1 errors;
- retention (retention.ts, retention/window.ts): customers signed up before
  the window (retention_window_months to as_of, 12 by default) and not
  churned before it; churn within it; the raw difference (Newcombe) and the
  adjusted odds ratio (logistic regression);
then the Perfect Customer Index (index-score.ts): weights from the declared
or estimated values, its mean with a t interval.

The regressions come from fits_idiomatic (statsmodels formulas) or fits_best
(numpy on sufficient statistics); everything else is shared.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy import stats as sps

import fits_best
import fits_idiomatic
from analysis_settings import AnalysisSettings
from design import Design, build_design, default_covariates
from result_table import table
from settings import Settings
from stats import Z, mean_summary, newcombe, t_interval, welch, wilson

DAYS_PER_MONTH = 30.4375
MINIMUM_GROUP = 5
# Components as value.ts lists them: (key, sign in the value; 0: shown, not counted).
COMPONENTS = [('handling', -1), ('credits', -1), ('revenue', 1), ('fees', 0)]
VALUE = '_value'


def _cents(facts: pd.DataFrame, name: str) -> pd.Series:
    return facts[name].astype(np.int64)


def component_cents(facts: pd.DataFrame, table_rows: dict[str, int]) -> dict[str, pd.Series]:
    """Each component's total per customer, in cents, for the tables imported (value.ts's valueComponents)."""
    out = {}
    if table_rows.get('interactions', 0) > 0:
        out['handling'] = _cents(facts, 'cost_to_serve')
    if table_rows.get('transactions', 0) > 0:
        out['credits'] = _cents(facts, 'credits')
        out['revenue'] = _cents(facts, 'revenue') - _cents(facts, 'refunds')
        out['fees'] = _cents(facts, 'fees')
    return out


def behaviour_value(facts, fits, key: str, covariates: list[str], components: dict[str, pd.Series]) -> dict | None:
    """Each component's (and the value's) money per customer-month, adopters against non-adopters: raw, and adjusted with HC1 errors."""
    months = facts['exposure_days'] / DAYS_PER_MONTH
    exposed = months.notna()
    design = build_design(facts, covariates, exposed)
    frame = facts[exposed & design.complete(facts)].assign(adopted=lambda f: f[f'adopted_{key}'].astype(int))
    signs = dict(COMPONENTS)
    counted = [k for k in components if signs[k] != 0]
    cents = dict(components)
    if counted:
        cents[VALUE] = sum(signs[k] * components[k] for k in counted)
    per_month = lambda rows: {k: v[rows.index] / 100 / months[rows.index] for k, v in cents.items()}  # noqa: E731
    adjusted = fits.wls(frame, design, per_month(frame), months[frame.index])
    raw_rows = facts[exposed].assign(adopted=lambda f: f[f'adopted_{key}'].astype(int))
    raw = fits.wls(raw_rows, Design(design.terms[:2]), per_month(raw_rows), months[raw_rows.index])
    if adjusted is None or raw is None:
        return None
    used = facts[exposed & adjusted['design'].complete(facts)]
    return {
        'n': adjusted['n'],
        'adopters': int(used[f'adopted_{key}'].sum()),
        'components': {k: {**adjusted['coefficients'][k], 'raw': raw['coefficients'][k]['estimate']} for k in components},
        'value': adjusted['coefficients'].get(VALUE),
    }


def satisfaction_measure(facts: pd.DataFrame) -> tuple[str, pd.Series] | None:
    """NPS when at least 10 customers gave one (as +100 / 0 / −100), else CSAT; None when neither."""
    if facts['latest_nps'].notna().sum() >= 10:
        nps = facts['latest_nps']
        return 'NPS', pd.Series(np.select([nps >= 9, nps >= 7], [100.0, 0.0], -100.0), index=facts.index).where(nps.notna())
    if facts['latest_csat'].notna().sum() >= 10:
        return 'CSAT', facts['latest_csat'].astype(float)
    return None


def nps_difference(a: pd.Series, b: pd.Series) -> dict:
    """Difference of two NPS (a − b) in points, Var = Var_a + Var_b with Var = 100²·[p + d − (p − d)²]/n (Rocks 2016); normal interval, two-sided z test."""
    parts = []
    for scores in (a, b):
        n = len(scores)
        p, d = (scores > 0).sum() / n, (scores < 0).sum() / n
        parts.append((100 * (p - d), 10_000 * (p + d - (p - d) ** 2) / n))
    estimate = parts[0][0] - parts[1][0]
    se = float(np.sqrt(parts[0][1] + parts[1][1]))
    p_value = 2 * float(sps.norm.sf(abs(estimate / se))) if se > 0 else 1.0 if estimate == 0 else 0.0
    return {'estimate': float(estimate), 'lower': float(estimate - Z * se), 'upper': float(estimate + Z * se), 'p_value': p_value}


def satisfaction_link(facts, fits, key: str, covariates: list[str], measure: tuple[str, pd.Series]) -> dict | None:
    label, score = measure
    adopted = facts[f'adopted_{key}']
    answered = score.notna()
    a, b = score[answered & adopted], score[answered & ~adopted]
    if len(a) < MINIMUM_GROUP or len(b) < MINIMUM_GROUP:
        return None
    if label == 'NPS':
        raw = nps_difference(a, b)
    else:
        raw = welch(*[(len(s), *mean_summary(len(s), float(s.sum()), float((s * s).sum()))) for s in (a, b)])
    # The design's levels are counted over every customer in scope (satisfaction.ts passes no condition).
    design = build_design(facts, covariates, pd.Series(True, index=facts.index))
    frame = facts[answered & design.complete(facts)].assign(adopted=lambda f: f[f'adopted_{key}'].astype(int))
    fitted = fits.wls(frame, design, {'score': score[frame.index]}, None)
    if fitted is None:
        return None
    return {'measure': label, 'n': [len(a), len(b)], 'raw': raw, 'adjusted': fitted['coefficients']['score']}


def months_before(as_of: str, months: int) -> str:
    """The window's first day: the day after as_of's day, `months` earlier (clamped to the month's length), as window.ts."""
    y, m, d = (int(x) for x in as_of.split('-'))
    total = y * 12 + (m - 1) - months
    year, month = total // 12, total % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return (date(year, month, 1) + timedelta(days=min(d, last))).isoformat()


def retention_window(facts: pd.DataFrame, settings: Settings, months: int, table_rows: dict[str, int]) -> dict | None:
    if table_rows.get('status_changes', 0) == 0:
        return None
    churned = facts['churned']
    churned_at = facts['churned_at']
    dated = int((churned & (churned_at < settings.start)).sum())
    if churned.sum() > 0 and dated == 0:
        return {'kind': 'undated', 'start': None, 'eligible': pd.Series(True, index=facts.index), 'churned': churned.astype(int)}
    start = months_before(settings.as_of, months)
    at = pd.Timestamp(start)
    signup = facts['signup_at']
    eligible = signup.notna() & (signup < at) & (churned_at.isna() | (churned_at >= at))
    within = (churned_at.notna() & (churned_at >= at)).astype(int)
    return {'kind': 'window', 'start': start, 'eligible': eligible, 'churned': within}


def retention_link(facts, fits, key: str, covariates: list[str], window: dict) -> dict | None:
    eligible = window['eligible']
    churned = window['churned']
    adopted = facts[f'adopted_{key}']
    groups = [(int(churned[eligible & side].sum()), int((eligible & side).sum())) for side in (adopted, ~adopted)]
    (ca, na), (co, no) = groups
    if na < MINIMUM_GROUP or no < MINIMUM_GROUP:
        return None
    out = {'adopters': (na, ca), 'others': (no, co), 'raw': newcombe(ca, na, co, no), 'adjusted': None}
    churners = ca + co
    if churners < 10 or na + no - churners < 10:
        return out
    design = build_design(facts, covariates, eligible)
    frame = facts[eligible & design.complete(facts)].assign(adopted=lambda f: f[f'adopted_{key}'].astype(int))
    fitted = fits.logit(frame, design, churned[frame.index])
    out['adjusted'] = fitted if fitted is not None and fitted['converged'] else None
    return out


def index_weights(keys: list[str], extras: AnalysisSettings, estimated: dict[str, float]) -> list[tuple[str, float, str]]:
    """(behaviour, weight, source): declared value, else the estimated value (none below 0); equal when none is positive."""
    weights = [(k, max(0.0, extras.value_per_month[k]), 'declared') if k in extras.value_per_month else (k, max(0.0, estimated.get(k, 0.0)), 'estimated') for k in keys]
    if all(w == 0 for _, w, _ in weights):
        return [(k, 1.0, 'equal') for k in keys]
    return weights


def index_mean(facts: pd.DataFrame, weights: list[tuple[str, float, str]]) -> dict:
    total = sum(w for _, w, _ in weights)
    score = 100.0 * sum((w / total) * facts[f'adopted_{k}'].astype(float) for k, w, _ in weights)
    n = len(score)
    mean, sd = mean_summary(n, float(score.sum()), float((score * score).sum()))
    return {'n': n, **t_interval(n, mean, sd)}


def perfect_customer(facts: pd.DataFrame, table_rows: dict[str, int], settings: Settings, extras: AnalysisSettings, variant: str) -> dict:
    """The perfect-customer section of the reference's JSON, under cxray's table and column names."""
    keys = list(settings.behaviours)
    if not keys:
        return {'status': 'skipped', 'reason': 'no behaviour is declared'}
    fits = fits_idiomatic if variant == 'idiomatic' else fits_best
    covariates = default_covariates(settings, extras)
    components = component_cents(facts, table_rows)
    valued = {k: v for k in keys if components and (v := behaviour_value(facts, fits, k, covariates, components)) is not None}
    measure = satisfaction_measure(facts)
    satisfaction = {k: s for k in keys if measure is not None and (s := satisfaction_link(facts, fits, k, covariates, measure)) is not None}
    window = retention_window(facts, settings, extras.retention_window_months, table_rows)
    retention = {k: r for k in keys if window is not None and (r := retention_link(facts, fits, k, covariates, window)) is not None}
    weights = index_weights(keys, extras, {k: v['value']['estimate'] for k, v in valued.items() if v['value'] is not None})

    adoption_rows, component_rows, value_rows = [], [], []
    for k, v in valued.items():
        w = wilson(v['adopters'], v['n'])
        adoption_rows.append([k, v['n'], v['adopters'], w['estimate'], w['lower'], w['upper']])
        for c, e in v['components'].items():
            component_rows.append([k, c, v['n'], e['raw'], e['estimate'], e['lower'], e['upper'], e['p_value']])
        if v['value'] is not None:
            value_rows.append([k, v['n'], v['value']['estimate'], v['value']['lower'], v['value']['upper'], v['value']['p_value']])
    satisfaction_rows = [
        [k, s['measure'], s['n'][0], s['n'][1], s['raw']['estimate'], s['raw']['lower'], s['raw']['upper'], s['adjusted']['estimate'], s['adjusted']['lower'], s['adjusted']['upper']]
        for k, s in satisfaction.items()
    ]
    retention_rows = []
    for k, r in retention.items():
        adjusted = r['adjusted'] or {}
        retention_rows.append([k, *r['adopters'], *r['others'], r['raw']['estimate'], r['raw']['lower'], r['raw']['upper'], adjusted.get('odds_ratio'), adjusted.get('or_lower'), adjusted.get('or_upper')])
    total = sum(w for _, w, _ in weights)
    return {
        'status': 'ok',
        'covariates': covariates,
        'satisfaction_measure': None if measure is None else measure[0],
        'retention_window': None if window is None else {'kind': window['kind'], 'start': window['start'], 'customers': int(window['eligible'].sum()), 'churners': int(window['churned'][window['eligible']].sum())},
        'index_mean': index_mean(facts, weights),
        'tables': {
            'adoption': table(['behaviour', 'n', 'adopters', 'share', 'lower', 'upper'], adoption_rows, 'adopters', ('behaviour', 'n')),
            'value_components': table(['behaviour', 'component', 'n', 'raw_per_month', 'adjusted_per_month', 'lower', 'upper', 'p_value'], component_rows, 'n', ('behaviour', 'component')),
            'value': table(['behaviour', 'n', 'estimate', 'lower', 'upper', 'p_value'], value_rows, 'n', ('behaviour',)),
            'satisfaction': table(
                ['behaviour', 'measure', 'n_adopters', 'n_others', 'raw_difference', 'raw_lower', 'raw_upper', 'adjusted_difference', 'adjusted_lower', 'adjusted_upper'],
                satisfaction_rows,
                'n_adopters',
                ('behaviour', 'measure'),
            ),
            'retention': table(
                ['behaviour', 'n_adopters', 'churned_adopters', 'n_others', 'churned_others', 'raw_difference', 'raw_lower', 'raw_upper', 'adjusted_odds_ratio', 'or_lower', 'or_upper'],
                retention_rows,
                'n_adopters',
                ('behaviour',),
            ),
            'index_weights': table(['behaviour', 'weight', 'source', 'n'], [[k, w / total, source, len(facts)] for k, w, source in weights], 'n', ('behaviour',)),
        },
    }
