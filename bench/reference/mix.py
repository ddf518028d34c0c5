"""The customer mix over acquisition cohorts, as src/analysis/mix/ defines it, on the reference's own ideal rules and misaligned segments.

- Cohorts (cohorts.ts): signup quarters (customer_facts.cohort_quarter), or
  months when the signups span fewer than 8 quarters; the ends compared are
  the first and the last year of signups (or the halves of a shorter span).
- Series (profile-series.ts): the rules of the reference's ideal profile that
  hold (the first is "the ideal"), any of them when several, the misaligned
  segments the reference reported, any of them when several.
- Per series: each cohort's share matching (Wilson), the ends' shares and
  their difference (Newcombe), the trend (share_trend.py), the trends'
  Benjamini-Hochberg q-values; a drift when q ≤ 5%, the difference clears 0
  and 1 point, and both point the same way; away from the ideal when an ideal
  rule falls or a misaligned segment rises.
- At equal tenure (cohort-value.ts, referrals/early-value.ts): net value over
  each customer's first 90 days from signup, among customers signed up 90
  days before the day after as_of; per cohort a t interval, the last year's
  cohorts against the first by Welch's test.
- Without a rule that holds: the profile's cohort mix by attribute instead
  (profile_groups.cohort_mix), as cxray shows it.

Variants: idiomatic counts each cohort by filtering the frame (`df[df.cohort == c]`);
best counts every cohort and series in one groupby.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from event_value import value_events, window_value
from profile_groups import _cohort_label, cohort_mix
from ratio_stats import mean_interval
from result_table import table
from rule_groupings import describe, matches, rule_key, rule_text
from settings import Settings
from share_trend import share_trend
from stats import benjamini_hochberg, newcombe, welch, wilson

MIN_QUARTERS = 8
EQUAL_TENURE_DAYS = 90


def _month_index(day: str) -> int:
    return int(day[:4]) * 12 + int(day[5:7]) - 1


def cohort_plan(facts: pd.DataFrame, settings: Settings) -> dict | None:
    quarters = facts['cohort_quarter'].dropna()
    if quarters.empty:
        return None
    days = sorted({str(d.date()) for d in quarters})
    span_quarters = round((_month_index(days[-1]) - _month_index(days[0])) / 3) + 1
    unit = 'quarter' if span_quarters >= MIN_QUARTERS else 'month'
    column = 'cohort_quarter' if unit == 'quarter' else 'cohort_month'
    cohort = facts[column].map(lambda d: None if pd.isna(d) else str(d.date()))
    cohorts = sorted(cohort.dropna().unique())
    step = 3 if unit == 'quarter' else 1
    index = {c: round((_month_index(c) - _month_index(cohorts[0])) / step) for c in cohorts}
    per_year = 4 if unit == 'quarter' else 12
    span = index[cohorts[-1]] + 1
    years = span >= 2 * per_year
    width = per_year if years else span // 2
    label = (lambda c: _cohort_label(pd.Timestamp(c), settings.fiscal_year_start_month)) if unit == 'quarter' else (lambda c: c[:7])
    early = [c for c in cohorts if index[c] < width] if width > 0 else []
    late = [c for c in cohorts if index[c] >= span - width] if width > 0 else []
    ends = lambda cs: '' if not cs else label(cs[0]) if cs[0] == cs[-1] else f'{label(cs[0])}-{label(cs[-1])}'  # noqa: E731
    return {'unit': unit, 'cohort': cohort, 'cohorts': cohorts, 'index': index, 'per_year': per_year, 'label': label, 'early': early, 'late': late, 'early_label': ends(early), 'late_label': ends(late)}


def series_list(holding: list, reported: list) -> list[dict]:
    rules = [{'kind': 'ideal' if i == 0 else 'rule', 'label': rule_text(c), 'key': rule_key(c), 'conjunctions': [c]} for i, c in enumerate(holding)]
    out = list(rules)
    if len(rules) > 1:
        out.append({'kind': 'any_rule', 'label': f'any of the {len(rules)} rules of the ideal profile', 'key': None, 'conjunctions': list(holding)})
    cells = [{'kind': 'misaligned', 'label': describe(c), 'key': rule_key(c), 'conjunctions': [c]} for c in reported]
    out += cells
    if len(cells) > 1:
        out.append({'kind': 'any_misaligned', 'label': f'any of the {len(cells)} misaligned segments', 'key': None, 'conjunctions': list(reported)})
    return out


def _counts(plan: dict, flags: list[np.ndarray], variant: str) -> list[tuple[str, int, list[int]]]:
    cohort = plan['cohort']
    if variant == 'idiomatic':
        out = []
        for c in plan['cohorts']:
            on = (cohort == c).to_numpy()
            out.append((c, int(on.sum()), [int((f & on).sum()) for f in flags]))
        return out
    frame = pd.DataFrame({f'm{i}': f.astype(np.int64) for i, f in enumerate(flags)}, index=cohort.index).assign(n=1)
    grouped = frame[cohort.notna()].groupby(cohort[cohort.notna()]).sum()
    return [(c, int(grouped.at[c, 'n']), [int(grouped.at[c, f'm{i}']) for i in range(len(flags))]) for c in plan['cohorts']]


def _share_cells(count: int, n: int) -> list:
    """mix-tables.ts shareCells: a group of 1 to 4 (or n under 5) withheld; none at all shown as 0."""
    if n < 5 or (0 < count < 5):
        return [None] * 4
    w = wilson(count, n)
    return [count, w['estimate'], w['lower'], w['upper']]


def mix(facts: pd.DataFrame, tables: dict, holding: list, reported: list, settings: Settings, variant: str) -> dict:
    plan = cohort_plan(facts, settings)
    if plan is None:
        return {'status': 'skipped', 'reason': 'no customer has a signup date'}
    series = series_list(holding, reported)
    flags = [np.logical_or.reduce([matches(c).to_numpy() for c in s['conjunctions']]) for s in series]
    counts = _counts(plan, flags, variant)
    drafts = []
    early, late = set(plan['early']), set(plan['late'])
    for i, s in enumerate(series):
        tally = lambda ends: (sum(m[i] for c, _, m in counts if c in ends), sum(n for c, n, _ in counts if c in ends))  # noqa: E731
        e, l_ = tally(early), tally(late)
        trend = share_trend(np.array([plan['index'][c] for c, _, _ in counts]), np.array([m[i] for _, _, m in counts]), np.array([n for _, n, _ in counts]))
        difference = newcombe(l_[0], l_[1], e[0], e[1]) if e[1] > 0 and l_[1] > 0 else None
        drafts.append({'series': s, 'by_cohort': [(c, n, m[i]) for c, n, m in counts], 'early': e, 'late': l_, 'difference': difference, 'trend': trend})
    tested = [d for d in drafts if d['trend'] is not None]
    for d, q in zip(tested, benjamini_hochberg([d['trend']['p_value'] for d in tested])):
        d['q'] = q
    share_rows, drift_rows = [], []
    for d in drafts:
        s, t, diff = d['series'], d['trend'], d['difference']
        q = d.get('q')
        slope = t['slope'] if t else 0.0
        clear = diff is not None and (diff['upper'] < 0 or diff['lower'] > 0)
        passes = q is not None and q <= settings.fdr and clear and abs(diff['estimate']) * 100 >= settings.thresholds['percentage_points'] and np.sign(diff['estimate']) == np.sign(slope)
        direction = ('fell' if slope < 0 else 'rose') if passes else None
        away = direction is not None and (direction == 'fell' if s['kind'] in ('ideal', 'rule', 'any_rule') else direction == 'rose')
        for c, n, m in d['by_cohort']:
            share_rows.append([plan['label'](c), c, s['kind'], s['label'], s['key'], None if n < 5 else n, *_share_cells(m, n)])
        per_year = plan['per_year']
        drift_rows.append([
            s['kind'], s['label'], s['key'], plan['early_label'], None if d['early'][1] < 5 else d['early'][1], *_share_cells(*d['early']),
            plan['late_label'], None if d['late'][1] < 5 else d['late'][1], *_share_cells(*d['late']),
            *(diff and [diff['estimate'], diff['lower'], diff['upper']] or [None] * 3),
            *(t and [t['slope'] * per_year, t['lower'] * per_year, t['upper'] * per_year, t['cohorts'], t['statistic'], t['p_value']] or [None] * 6),
            q, t and t['dispersion'], t and t['departure_p_value'], direction or 'none', away,
        ])

    signup = facts['signup_at']
    ids = facts['customer_id'].astype(str).to_numpy()
    value = window_value(value_events(tables, settings), pd.Series(signup.to_numpy(), index=ids), EQUAL_TENURE_DAYS).to_numpy() / 100
    eligible = (signup.notna() & (signup < settings.end - pd.Timedelta(days=EQUAL_TENURE_DAYS)) & plan['cohort'].notna()).to_numpy()
    frame = pd.DataFrame({'c': plan['cohort'].to_numpy()[eligible], 'x': value[eligible]})
    sums = frame.assign(xx=frame['x'] ** 2).groupby('c').agg(n=('x', 'size'), s=('x', 'sum'), q=('xx', 'sum'))
    pool = lambda cs: sums.loc[[c for c in cs if c in sums.index]].sum()  # noqa: E731
    summary = lambda p: None if p['n'] < 2 else mean_interval(int(p['n']), float(p['s']), float(p['q']))  # noqa: E731
    e, l_ = summary(pool(plan['early'])), summary(pool(plan['late']))
    difference = welch((l_['n'], l_['estimate'], l_['sd']), (e['n'], e['estimate'], e['sd'])) if e and l_ and e['sd'] + l_['sd'] > 0 else None
    tenure_rows = []
    for c, row in sums.sort_index().iterrows():
        m = mean_interval(int(row['n']), float(row['s']), float(row['q']))
        shown = row['n'] >= 5 and m is not None
        tenure_rows.append([plan['label'](c), c, int(row['n']) if shown else None, *(shown and [m['estimate'], m['lower'], m['upper']] or [None] * 3)])

    out_tables = {}
    if drafts:
        out_tables['mix_by_cohort'] = table(['cohort', 'cohort_start', 'series_kind', 'series', 'key', 'customers', 'matching', 'share', 'lower', 'upper'], share_rows)
        out_tables['mix_drift'] = table(
            ['series_kind', 'series', 'key', 'early_cohorts', 'early_customers', 'early_matching', 'early_share', 'early_lower', 'early_upper', 'late_cohorts', 'late_customers',
             'late_matching', 'late_share', 'late_lower', 'late_upper', 'difference', 'difference_lower', 'difference_upper', 'slope_per_year', 'slope_lower', 'slope_upper', 'cohorts',
             'trend_statistic', 'p_value', 'q_value', 'dispersion', 'departure_p_value', 'drift', 'away_from_ideal'],
            drift_rows,
        )
    out_tables['mix_equal_tenure'] = table(['cohort', 'cohort_start', 'customers', f'net_value_{EQUAL_TENURE_DAYS}_days', 'lower', 'upper'], tenure_rows)
    if not holding:
        out_tables['cohort_mix'] = table(['attribute', 'cohort', 'level', 'n', 'cohort_customers', 'share', 'lower', 'upper'], cohort_mix(facts, settings), 'n', ('attribute', 'cohort', 'level'))
    return {
        'status': 'ok',
        'unit': plan['unit'],
        'equal_tenure_difference': difference,
        'equal_tenure_passes': difference is not None and difference['p_value'] <= settings.fdr and abs(difference['estimate']) >= settings.thresholds['money'],
        'tables': out_tables,
    }
