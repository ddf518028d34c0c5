"""The profile's group figures: contacts by channel per group, the acquisition mix per signup
cohort, attribute shares and summaries, and whom the survey speaks for.
Definitions follow src/analysis/profile/*.ts.

Variants: the idiomatic one loops over the groups and filters the frame for
each (`for level in levels: df[df[col] == level]`), as analysts often do; the
best one computes every group in one groupby.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from facts_common import suffix
from profile_values import MISSING, dollars, numeric_summary, screen
from settings import Settings
from stats import js_round, mean_summary, newcombe, ratio_of_totals, standardised_mean_difference, welch, wilson

CHANNEL_CLASSES = [('digital', ['email', 'chat', 'web']), ('phone', ['phone']), ('in_person', ['walk-in']), ('other', ['other'])]
CATEGORICAL = ['lifecycle_stage', 'contact_owner', 'segment', 'acquisition_channel', 'region', 'contract_type', 'plan', 'experiment_group']
NUMERIC = ['age']


def _band_labels(bands: list[float]) -> list[str]:
    fmt = lambda x: f'{x:,.0f}' if float(x).is_integer() else f'{x:,}'  # noqa: E731
    labels = [f'under {fmt(bands[0])}']
    for low, high in zip(bands, bands[1:]):
        labels.append(f'{fmt(low)}-{fmt(high - 1)}' if float(low).is_integer() and float(high).is_integer() else f'{fmt(low)} to under {fmt(high)}')
    return labels + [f'{fmt(bands[-1])} and over']


def groupings(facts: pd.DataFrame, settings: Settings) -> list[tuple[str, pd.Series]]:
    """(key, each customer's group label) for the segments of cxray.yaml: attribute values, or bands of a number."""
    out = []
    for key, (attribute, bands) in settings.segments.items():
        values = facts[attribute]
        if bands:
            edges = sorted(set(bands))
            labels = _band_labels(edges)
            x = values.astype(float)
            group = np.select([x.isna()] + [x < b for b in edges], [MISSING] + labels[:-1], default=labels[-1])
            out.append((key, pd.Series(group, index=facts.index)))
        elif attribute in CATEGORICAL:
            out.append((key, values.astype(object).where(values.notna(), MISSING).astype(str)))
    return out


def _sums(frame: pd.DataFrame) -> dict:
    m = frame['m']
    out = {'customers': len(frame), 'contacting': int((m > 0).sum()), 'm': float(m.sum()), 'mm': float((m * m).sum())}
    for name, _ in CHANNEL_CLASSES:
        y = frame[name]
        out[name] = (float(y.sum()), float((y * y).sum()), float((y * m).sum()))
    return out


def contact_channels(facts: pd.DataFrame, settings: Settings, variant: str) -> list[list]:
    per = pd.DataFrame({name: sum(facts[f'interactions_{suffix(c)}'] for c in channels).astype(float) for name, channels in CHANNEL_CLASSES})
    per['m'] = per[[name for name, _ in CHANNEL_CLASSES]].sum(axis=1)

    def row(grouping: str, group: str, s: dict) -> list:
        shares = [ratio_of_totals(s['contacting'], s[name][0], s['m'], s[name][1], s['mm'], s[name][2]) for name, _ in CHANNEL_CLASSES]
        digital = shares[0]
        return [grouping, group, s['customers'], s['contacting'], s['m'], *(digital and [digital['estimate'], digital['lower'], digital['upper']] or [None] * 3), *[r and r['estimate'] for r in shares[1:]]]

    rows = [row('all', 'all customers', _sums(per))]
    for key, group in groupings(facts, settings):
        if variant == 'idiomatic':
            for level in group.unique():
                rows.append(row(key, level, _sums(per[group == level])))
        else:
            for level, part in per.groupby(group, sort=False):
                rows.append(row(key, level, _sums(part)))
    return rows


def _cohort_label(start: pd.Timestamp, fiscal_start: int) -> str:
    return f'{start.year}Q{(start.month - 1) // 3 + 1}' if fiscal_start == 1 else f'quarter from {start.date()}'


def cohort_mix(facts: pd.DataFrame, settings: Settings) -> list[list]:
    rows = []
    dated = facts[facts['cohort_quarter'].notna()]
    cohort = dated['cohort_quarter'].map(lambda d: _cohort_label(d, settings.fiscal_year_start_month))
    for attribute in [a for a in settings.at_acquisition if a in CATEGORICAL]:
        level = dated[attribute].astype(object).where(dated[attribute].notna(), MISSING)
        totals = level.value_counts()
        if len(totals) > 8:
            level = level.where(level.isin(totals.index[:8]), 'other values')
        cells = pd.crosstab(cohort, level)
        sizes = cells.sum(axis=1)
        for c, by_level in cells.iterrows():
            for value, n in by_level.items():
                if n == 0:
                    continue
                w = wilson(int(n), int(sizes[c])) if n >= 5 else None
                rows.append([attribute, c, value, int(n), int(sizes[c]), w and w['estimate'], w and w['lower'], w and w['upper']])
    return rows


def attribute_shares(facts: pd.DataFrame) -> list[list]:
    rows = []
    total = len(facts)
    for attribute in CATEGORICAL:
        levels = facts[attribute].astype(object).where(facts[attribute].notna(), MISSING).value_counts().reset_index()
        levels.columns = ['level', 'n']
        levels = levels.sort_values(['n', 'level'], ascending=[False, True]).reset_index(drop=True)
        if len(levels) > 200:
            continue
        shown = levels[(levels.index < 25) & (levels['n'] >= 5)]
        rest = levels.drop(shown.index)
        if len(rest):
            shown = pd.concat([shown, pd.DataFrame({'level': [f'other values ({len(rest)})'], 'n': [int(rest['n'].sum())]})])
        for level, n in zip(shown['level'], shown['n']):
            w = wilson(int(n), total) if n >= 5 else None
            rows.append([attribute, level, int(n), w and w['estimate'], w and w['lower'], w and w['upper']])
    return rows


def attribute_summaries(facts: pd.DataFrame) -> list[list]:
    rows = []
    for attribute in NUMERIC:
        s = numeric_summary(facts[attribute])
        rows.append([attribute, None, s['n'], s['mean'], s['lower'], s['upper'], s['q1'], s['median'], s['q3']])
    return rows


def survey_coverage(facts: pd.DataFrame, settings: Settings) -> dict:
    """Response rate, and respondents against the others on net value, tenure, churn and every segment level."""
    answered = facts['survey_responses'] > 0
    n_yes, n_no = int(answered.sum()), int((~answered).sum())
    out = {'response_rate': {'count': n_yes, 'n': n_yes + n_no, **wilson(n_yes, n_yes + n_no)}, 'rows': []}
    if n_yes < 5 or n_no < 5:
        return out

    def summary(values: pd.Series) -> tuple[int, float, float]:
        v = values.dropna()
        return (len(v), *mean_summary(len(v), float(v.sum()), float((v * v).sum())))

    comparisons = []
    nv, tenure, churned = dollars(facts['net_value']), facts['tenure_days'].astype(float), facts['churned'].astype(float)
    a, b = summary(nv[answered]), summary(nv[~answered])
    comparisons.append({'measure': 'net value', 'unit': settings.currency, 'n': a[0], 'n_others': b[0], **welch(a, b)})
    a, b = summary(tenure[answered]), summary(tenure[~answered])
    d = standardised_mean_difference(a, b)
    if d is not None:
        comparisons.append({'measure': 'tenure', 'unit': 'standardised_difference', 'n': a[0], 'n_others': b[0], **d})
    a, b = summary(churned[answered]), summary(churned[~answered])
    comparisons.append({'measure': 'share who left', 'unit': 'percentage_points', 'n': a[0], 'n_others': b[0], **_points(newcombe(js_round(a[1] * a[0]), a[0], js_round(b[1] * b[0]), b[0]))})
    for key, group in groupings(facts, settings):
        counts = pd.crosstab(group, answered).reindex(columns=[True, False], fill_value=0)
        for level, (yes, no) in counts.iterrows():
            if yes + no < 5:
                continue
            comparisons.append({'measure': f"{key.replace('_', ' ')} {level}", 'unit': 'percentage_points', 'n': n_yes, 'n_others': n_no, **_points(newcombe(int(yes), n_yes, int(no), n_no))})
    out['rows'] = screen(comparisons, settings)
    return out


def _points(d: dict) -> dict:
    return {**d, 'estimate': d['estimate'] * 100, 'lower': d['lower'] * 100, 'upper': d['upper'] * 100}
