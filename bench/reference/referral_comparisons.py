"""Referred customers (and referrers) against the other customers, as src/analysis/referrals/referred-comparison.ts compares them.

- Net value per customer-month (customers with an exposure): each group's
  ratio of totals (t interval); raw and adjusted differences as the flag's
  coefficient of a least-squares fit of net value per month weighted by the
  months, HC1 errors (fits_*.wls on design.py's design).
- Satisfaction: each group's NPS (Wald) or mean CSAT; the perfect-customer
  satisfaction link on the flag (perfect_customer.satisfaction_link).
- Churn in the retention window: shares (Wilson), the raw difference
  (Newcombe), the adjusted odds ratio (perfect_customer.retention_link).
The covariates are the defaults without the acquisition channel (referral is
one of its values): names matching channel, source, medium, campaign, referr or utm.
"""

from __future__ import annotations

import re

import pandas as pd

import fits_best
import fits_idiomatic
from analysis_settings import AnalysisSettings
from design import Design, build_design, default_covariates
from perfect_customer import retention_link, retention_window, satisfaction_link, satisfaction_measure
from ratio_stats import mean_interval, money_ratio
from settings import Settings
from stats import nps_interval, wilson

DAYS_PER_MONTH = 30.4375
CHANNEL_LIKE = re.compile(r'channel|source|medium|campaign|referr|utm', re.IGNORECASE)


def referral_covariates(settings: Settings, extras: AnalysisSettings) -> list[str]:
    return [c for c in default_covariates(settings, extras) if not CHANNEL_LIKE.search(c)]


def adjusted_for(design: Design) -> str:
    names = dict.fromkeys(t.covariate for t in design.terms if t.covariate is not None)
    return ', '.join('tenure' if n == 'tenure_days' else n for n in names)


def value_comparison(facts: pd.DataFrame, fits, flag: pd.Series, covariates: list[str]) -> dict | None:
    months = facts['exposure_days'] / DAYS_PER_MONTH
    exposed = months.notna() & (months > 0)
    net = facts['net_value'].astype(float) / 100

    def level(side: pd.Series) -> dict:
        on = exposed & side
        y, m = net[on], months[on]
        n = int(on.sum())
        return {'n': n, 'level': money_ratio((n, float(y.sum()), float(m.sum()), float((y * y).sum()), float((m * m).sum()), float((y * m).sum())))}

    group, others = level(flag), level(~flag)
    if group['n'] < 5 or others['n'] < 5:
        return None
    frame = facts[exposed].assign(adopted=flag[exposed].astype(int))
    outcome = {'net': net[exposed] / months[exposed]}
    design = build_design(facts, covariates, exposed)
    raw = fits.wls(frame, Design(design.terms[:2]), outcome, months[exposed])
    complete = frame[design.complete(frame)]
    adjusted = fits.wls(complete, design, {'net': outcome['net'][complete.index]}, months[complete.index])
    return {
        'measure': 'net_value_per_month', 'group': group, 'others': others,
        'raw': None if raw is None else raw['coefficients']['net'], 'adjusted': None if adjusted is None else adjusted['coefficients']['net'],
        'adjusted_for': adjusted_for(adjusted['design'] if adjusted is not None else design),
    }


def satisfaction_comparison(facts: pd.DataFrame, fits, key: str, covariates: list[str], measure: tuple[str, pd.Series]) -> dict | None:
    label, score = measure
    answered = score.notna()

    def level(side: pd.Series) -> dict:
        y = score[answered & side]
        n = len(y)
        if n < 2:
            return {'n': n, 'level': None}
        if label == 'NPS':
            p, d = int((y > 0).sum()), int((y < 0).sum())
            return {'n': n, 'level': nps_interval(p, n - p - d, d)}
        return {'n': n, 'level': mean_interval(n, float(y.sum()), float((y * y).sum()))}

    flag = facts[f'adopted_{key}']
    link = satisfaction_link(facts, fits, key, covariates, measure)
    if link is None:
        return None
    return {
        'measure': 'satisfaction', 'group': level(flag), 'others': level(~flag), 'raw': link['raw'], 'adjusted': link['adjusted'],
        'adjusted_for': adjusted_for(build_design(facts, covariates, pd.Series(True, index=facts.index))),
    }


def churn_comparison(facts: pd.DataFrame, fits, key: str, covariates: list[str], window: dict) -> dict | None:
    link = retention_link(facts, fits, key, covariates, window)
    if link is None:
        return None
    share = lambda g: {'n': g[0], 'level': wilson(g[1], g[0]) if g[0] > 0 else None}  # noqa: E731
    a = link['adjusted']
    return {
        'measure': 'churn', 'group': share(link['adopters']), 'others': share(link['others']), 'raw': link['raw'],
        'adjusted': None if a is None else {'estimate': a['odds_ratio'], 'lower': a['or_lower'], 'upper': a['or_upper'], 'p_value': a['p_value']},
        'adjusted_for': adjusted_for(build_design(facts, covariates, window['eligible'])),
    }


def comparisons(facts: pd.DataFrame, table_rows: dict[str, int], settings: Settings, extras: AnalysisSettings, variant: str) -> list[list]:
    """The rows of referred_vs_others, in cxray's order."""
    fits = fits_idiomatic if variant == 'idiomatic' else fits_best
    covariates = referral_covariates(settings, extras)
    frame = facts.assign(adopted_referred=facts['is_referred'].astype(bool), adopted_referrer=facts['referrals_made'] > 0)
    out = []
    if table_rows.get('transactions', 0) > 0:
        out.append(('referred', settings.currency, value_comparison(frame, fits, frame['adopted_referred'], covariates)))
    measure = satisfaction_measure(facts)
    if measure is not None:
        out.append(('referred', 'points', satisfaction_comparison(frame, fits, 'referred', covariates, measure)))
        out.append(('referrers', 'points', satisfaction_comparison(frame, fits, 'referrer', covariates, measure)))
    window = retention_window(facts, settings, extras.retention_window_months, table_rows)
    if window is not None:
        out.append(('referred', 'percentage_points', churn_comparison(frame, fits, 'referred', covariates, window)))
    cells = lambda d, keys=('estimate', 'lower', 'upper'): [None] * len(keys) if d is None else [d.get(k) for k in keys]  # noqa: E731
    rows = []
    for comparison, unit, c in out:
        if c is None:
            continue
        rows.append([
            comparison, c['measure'], unit, c['group']['n'], *cells(c['group']['level']), c['others']['n'], *cells(c['others']['level']),
            *cells(c['raw'], ('estimate', 'lower', 'upper', 'p_value')), *cells(c['adjusted'], ('estimate', 'lower', 'upper', 'p_value')), c['adjusted_for'],
        ])
    return rows
