"""The profile's value figures from the per-customer facts: headcount, tenure, money totals,
value concentration (top shares, Gini, Lorenz curve), value tiers and what sets
the top tier apart, numeric attributes, NPS. Definitions follow
src/analysis/profile/*.ts; money arrives in whole cents.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from settings import Settings
from stats import Z, benjamini_hochberg, js_round, mean_summary, nps_interval, standardised_mean_difference, standardised_proportion_difference, t_interval, type1_quantile, wilson

TIERS = ['bottom quarter', 'second quarter', 'third quarter', 'top quarter']
MISSING = '(missing)'


def dollars(cents: pd.Series) -> pd.Series:
    return cents.astype(float) / 100


def numeric_summary(values: pd.Series) -> dict:
    """n, mean with its t interval (from sums, as cxray), and type-1 quartiles."""
    x = values.dropna().astype(float).to_numpy()
    n = len(x)
    mean, sd = mean_summary(n, float(x.sum()), float((x * x).sum()))
    ordered = np.sort(x)
    interval = t_interval(n, mean, sd) if n >= 2 else {'lower': None, 'upper': None}
    quartiles = [type1_quantile(ordered, p) if n else None for p in (0.25, 0.5, 0.75)]
    return {'n': n, 'mean': mean if n >= 2 else None, 'lower': interval['lower'], 'upper': interval['upper'], 'q1': quartiles[0], 'median': quartiles[1], 'q3': quartiles[2]}


def headcount(facts: pd.DataFrame) -> dict:
    n = len(facts)
    churned = int(facts['churned'].sum())
    return {'customers': n, 'churned': {'count': churned, **wilson(churned, n)}}


def money_totals(facts: pd.DataFrame, settings: Settings) -> dict:
    columns = ['revenue', 'fees', 'refunds', 'credits', 'net_revenue', 'cost_to_serve', 'net_value'] + [c for c in facts.columns if c.startswith('fee_')]
    totals = {c: int(facts[c].sum()) for c in columns}
    totals['revenue_after_refunds'] = totals['revenue'] + totals['fees'] - totals['refunds']
    return {'unit': f'{settings.currency} cents', **totals}


def concentration(facts: pd.DataFrame) -> dict:
    """Revenue after refunds per customer (revenue + fees − refunds): top shares with influence-function intervals, exact Gini, Lorenz points."""
    x = np.sort(dollars(facts['revenue'] + facts['fees'] - facts['refunds']).to_numpy())
    n = len(x)
    total = float(x.sum())
    squares = float((x * x).sum())
    mu = total / n
    out = {'n': n, 'total': total, 'negatives': int((x < 0).sum())}
    for fraction, name in [(0.01, 'top1_share'), (0.1, 'top10_share'), (0.2, 'top20_share')]:
        k = min(n - 1, max(1, js_round(n * fraction)))
        t = type1_quantile(x, (n - k - 0.5) / n)
        below = x < t
        bottom = float(x[below].sum()) + (n - k - int(below.sum())) * t
        lorenz = bottom / total
        u = np.where(x <= t, x - t, 0.0)
        eu = float(u.sum()) / n
        var_u = float((u * u).sum()) / n - eu * eu
        var_x = squares / n - mu * mu
        cov = float((u * x).sum()) / n - eu * mu
        se = math.sqrt(max(0.0, var_u + lorenz * lorenz * var_x - 2 * lorenz * cov) / (mu * mu) / n)
        estimate = 1 - lorenz
        out[name] = {'k': k, 'estimate': estimate, 'lower': max(0.0, estimate - Z * se), 'upper': min(1.0, estimate + Z * se)}
    i = np.arange(1, n + 1, dtype=float)
    a = np.cumsum(x) - x
    g = 2 * float((x * i).sum()) / (n * total) - (n + 1) / n
    influence = (1 - g) - (g + 1) / mu * x - 2 / mu / n * a + 2 / mu / n * x * i
    se = math.sqrt(max(0.0, float((influence * influence).mean()) - float(influence.mean()) ** 2) / n)
    out['gini'] = {'estimate': g, 'lower': g - Z * se, 'upper': g + Z * se}
    cumulative = np.cumsum(x)
    cuts = [js_round(n * (k + 1) / 20) for k in range(19)]
    out['lorenz_curve'] = [[0, 0]] + [[m / n, (float(cumulative[m - 1]) if m > 0 else 0.0) / total] for m in cuts] + [[1, 1]]
    return out


def tier_variables(facts: pd.DataFrame, settings: Settings) -> list[tuple[str, str, str, pd.Series]]:
    """(key, label, kind, values) as cxray's tierVariables lists them for this import."""
    flag = lambda column: facts[column].astype(float)  # noqa: E731
    out = [
        ('net_value', 'net value', 'mean', dollars(facts['net_value'])),
        ('tenure_days', 'tenure', 'mean', facts['tenure_days'].astype(float)),
        ('attribute:age', 'age', 'mean', facts['age'].astype(float)),
        ('interaction_count', 'contacts', 'mean', facts['interaction_count'].astype(float)),
        ('cost_to_serve', 'cost to serve', 'mean', dollars(facts['cost_to_serve'])),
        ('responded', 'answered a survey', 'share', (facts['survey_responses'] > 0).astype(float)),
        ('latest_nps', 'latest likelihood to recommend (0-10)', 'mean', facts['latest_nps'].astype(float)),
        ('churned', 'left', 'share', flag('churned')),
        ('is_referred', 'came by referral', 'share', flag('is_referred')),
        ('referrals_made', 'referrals made', 'mean', facts['referrals_made'].astype(float)),
    ]
    for key in settings.behaviours:
        label = settings.behaviour_labels.get(key, key.replace('_', ' '))
        out.append((f'adopted_{key}', f'adopted {label.lower()}', 'share', flag(f'adopted_{key}')))
    return out


def value_tiers(facts: pd.DataFrame, settings: Settings, level_attributes: list[str]) -> dict:
    """Quarters of net value cut at its type-1 quartiles (ties share a tier); each tier described, the top one compared with the rest."""
    nv = dollars(facts['net_value'])
    ordered = np.sort(nv.to_numpy())
    cuts = [type1_quantile(ordered, p) for p in (0.25, 0.5, 0.75)]
    tier = pd.Series(np.select([nv <= cuts[0], nv <= cuts[1], nv <= cuts[2]], [0, 1, 2], default=3), index=facts.index)
    customers = [int((tier == t).sum()) for t in range(4)]
    rows, levels, contrasts = [], [], []
    for key, label, kind, values in tier_variables(facts, settings):
        sums = []
        for t, name in enumerate(TIERS):
            v = values[tier == t].dropna()
            n, total, squares = len(v), float(v.sum()), float((v * v).sum())
            sums.append((n, total, squares))
            mean, sd = mean_summary(n, total, squares)
            interval = None if n < 2 else wilson(js_round(total), n) if kind == 'share' else t_interval(n, mean, sd)
            rows.append([name, key, kind, n, mean if n > 0 else None, interval and interval['lower'], interval and interval['upper']])
        top, rest = sums[3], tuple(sum(s[j] for s in sums[:3]) for j in range(3))
        if key != 'net_value' and top[0] >= 5 and rest[0] >= 5:
            if kind == 'share':
                d = standardised_proportion_difference(js_round(top[1]), top[0], js_round(rest[1]), rest[0])
            else:
                d = standardised_mean_difference((top[0], *mean_summary(*top)), (rest[0], *mean_summary(*rest)))
            if d is not None:
                contrasts.append({'measure': label, 'n': top[0], 'n_rest': rest[0], 'top_quarter': top[1] / top[0], 'others': rest[1] / rest[0], **d})
    for attribute in level_attributes:
        level = facts[attribute].astype(object).where(facts[attribute].notna(), MISSING).astype(str)
        counts = pd.crosstab(level, tier).reindex(columns=range(4), fill_value=0)
        if len(counts) > 25:
            continue
        for value, by_tier in counts.iterrows():
            for t, name in enumerate(TIERS):
                c, n = int(by_tier[t]), customers[t]
                w = wilson(c, n) if n > 0 and c >= 5 else None
                levels.append([name, attribute, value, c, w and w['estimate'], w and w['lower'], w and w['upper']])
            a, b = int(by_tier[3]), int(by_tier[:3].sum())
            if value != MISSING and a + b >= 5 and customers[3] >= 5 and sum(customers[:3]) >= 5:
                d = standardised_proportion_difference(a, customers[3], b, sum(customers[:3]))
                if d is not None:
                    contrasts.append({'measure': f'{attribute} {value}', 'n': customers[3], 'n_rest': sum(customers[:3]), 'top_quarter': a / customers[3], 'others': b / sum(customers[:3]), **d})
    screened = screen([{**c, 'unit': 'standardised_difference'} for c in contrasts], settings)
    return {'cuts': cuts, 'customers': customers, 'value_tiers': rows, 'value_tier_levels': levels, 'top_tier_differences': screened}


def screen(findings: list[dict], settings: Settings) -> list[dict]:
    """Benjamini-Hochberg q-values over the family, and whether each passes both the rate and its unit's practical threshold (money: the currency)."""
    q = benjamini_hochberg([f['p_value'] for f in findings])
    out = []
    for f, qv in zip(findings, q):
        threshold = settings.thresholds.get(f['unit'], settings.thresholds['money'])
        out.append({**f, 'q_value': qv, 'passes': bool(qv <= settings.fdr and abs(f['estimate']) >= threshold)})
    return out


def nps(facts: pd.DataFrame) -> dict:
    """NPS of the customers' latest answers (customer_facts.nps_class), with its interval."""
    counts = facts['nps_class'].value_counts()
    return nps_interval(int(counts.get('promoter', 0)), int(counts.get('passive', 0)), int(counts.get('detractor', 0)))
