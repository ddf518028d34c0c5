"""Value delivered against value captured, from the reference's frames, as src/analysis/value-balance/ defines it (Gale's customer value map).

- Price captured: revenue + fees − refunds − credits per customer-month
  (exposure_days / 30.4375, at least one month); customers with an exposure
  are counted in segments.
- Value delivered (delivered-value.ts): satisfaction with price or value
  where a survey area is about it (an experience area, or a survey area,
  whose name says price, value, money, cost, worth, afford or fair; rated by
  30 customers), else the NPS score, else CSAT, each customer's mean answer
  on 0-100 from the scale of every answer of that kind in the store; and
  usage, behaviour events of every kind per customer-month, where 30
  customers have one.
- The fair-value line: price per month on the axes, weighted by months, over
  the customers with every axis (value_map.py), cluster-robust (HC1) errors.
- Each segment (the groupings of segment-groupings.ts with 2 to 25 levels,
  levels of 5 counted customers): its deviation Σe / Σm (e = y − m·x'β) with
  the delta-method interval that carries the line's uncertainty (t, n − 1
  df over its customers on the map), tested with 10 of them, screened by
  Benjamini-Hochberg at 5%, flagged over-charged or over-served when the
  interval clears zero and the deviation is 10% of the mean price (at least
  the money threshold); money per year = deviation × 12 × active customers.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis_settings import AnalysisSettings
from key_drivers import question_areas
from ratio_stats import money_ratio
from result_table import table
from rule_groupings import groupings, scannable
from settings import Settings, snake_case
from sources import SURVEY_ANSWERS
from stats import LEVEL, benjamini_hochberg, t_quantile
from value_map import deviation, fit_line

DAYS_PER_MONTH = 30.4375
MINIMUM_CUSTOMERS = 30
MINIMUM_RESPONDENTS = 10
MINIMUM_CELL = 5
PRACTICAL_PRICE_SHARE = 0.1
VALUE_AREA = re.compile(r'\b(price|prices|pricing|value|money|cost|costs|worth|afford|affordability|fair)\b', re.I)
AREA_INSTRUMENTS = ('rating', 'csat')


def survey_scale(smallest: float, largest: float) -> tuple[float, float]:
    """delivered-value.ts surveyScale: (bottom, top)."""
    top = next((t for t in (5, 7, 10, 100) if largest <= t), math.ceil(largest))
    bottom = min(1 if top in (5, 7) else 0, math.floor(smallest))
    return bottom, top if top > bottom else bottom + 1


def satisfaction_axis(sv: pd.DataFrame, questions: dict[str, str], extras_areas: dict | None, settings: Settings) -> tuple[str, list[str], tuple[float, float]] | None:
    """(label, answer columns, scale) of the satisfaction axis: a price-or-value area first (experience areas in cxray.yaml's order, then
    unclaimed survey areas), else NPS (0-10), else CSAT; the first that 30 customers answered by as_of. Scales from every answer."""
    by_area: dict[str, list[str]] = {}
    for column, area in question_areas(questions).items():
        if SURVEY_ANSWERS[column] in AREA_INSTRUMENTS:
            by_area.setdefault(area, []).append(column)
    rated = [area for area, columns in by_area.items() if sv[columns].notna().to_numpy().any()]
    configured = extras_areas if extras_areas is not None else {snake_case(a): (a, [a]) for a in rated}
    specs, claimed = [], set()
    scale = lambda columns: survey_scale(float(np.nanmin(sv[columns].to_numpy(dtype=float))), float(np.nanmax(sv[columns].to_numpy(dtype=float))))  # noqa: E731
    for key, (label, areas) in configured.items():
        mine = [a for a in areas if a in rated]
        claimed.update(mine)
        if mine and (VALUE_AREA.search(key.replace('_', ' ')) or VALUE_AREA.search(label) or any(VALUE_AREA.search(a) for a in mine)):
            columns = [c for a in mine for c in by_area[a]]
            specs.append((f'satisfaction with {label.lower()}', columns, scale(columns)))
    specs += [(f'satisfaction with {a.lower()}', by_area[a], scale(by_area[a])) for a in sorted(rated) if a not in claimed and VALUE_AREA.search(a)]
    overall = [c for c in SURVEY_ANSWERS if c not in question_areas(questions)]
    for instrument, label in (('nps', 'NPS score'), ('csat', 'CSAT')):
        columns = [c for c in overall if SURVEY_ANSWERS[c] == instrument]
        if columns and sv[columns].notna().to_numpy().any():
            specs.append((label, columns, (0.0, 10.0) if instrument == 'nps' else scale(columns)))
    dated = sv[sv['at'] < settings.end]
    for label, columns, bounds in specs:
        if dated[columns].notna().any(axis=1).groupby(dated['customer_id']).any().sum() >= MINIMUM_CUSTOMERS:
            return label, columns, bounds
    return None


def customer_values(facts: pd.DataFrame, tables: dict, questions: dict[str, str], extras_areas: dict | None, settings: Settings) -> tuple[pd.DataFrame, list[str], str | None]:
    """Per customer: months (raw, at least 1), price y, the axes; the axis names; the satisfaction label."""
    ids = pd.Index(facts['customer_id'])
    raw = facts['exposure_days'] / DAYS_PER_MONTH
    out = pd.DataFrame({'mraw': raw, 'm': raw.clip(lower=1.0), 'y': (facts['revenue'] + facts['fees'] - facts['refunds'] - facts['credits']).to_numpy() / 100,
                        'active': (~facts['churned'].astype(bool)).astype(int), 'counted': raw.notna()})
    axes = []
    sv = tables.get('survey_responses')
    axis = None if sv is None or len(sv) == 0 else satisfaction_axis(sv, questions, extras_areas, settings)
    if axis is not None:
        label, columns, (bottom, top) = axis
        dated = sv[sv['at'] < settings.end]
        long = dated[['customer_id', *columns]].melt(id_vars='customer_id', value_name='score').dropna(subset=['score'])
        scaled = (long['score'] - bottom) * (100 / (top - bottom))
        out['satisfaction'] = scaled.groupby(long['customer_id']).mean().reindex(ids).to_numpy()
        axes.append('satisfaction')
    ev = tables.get('behaviour_events')
    if ev is not None and len(ev) > 0:
        events = ev[ev['at'] < settings.end].groupby('customer_id').size().reindex(ids, fill_value=0).to_numpy()
        if (events > 0).sum() >= MINIMUM_CUSTOMERS:
            out['usage'] = events / out['m'].to_numpy()
            axes.append('usage')
    out['fit'] = out['counted'] & (out['satisfaction'].notna() if 'satisfaction' in axes else True)
    return out, axes, None if axis is None else axis[0]


def value_balance(facts: pd.DataFrame, tables: dict, questions: dict[str, str], settings: Settings, extras: AnalysisSettings, variant: str) -> dict:
    cv, axes, label = customer_values(facts, tables, questions, extras.experience_areas, settings)
    if not axes:
        return {'status': 'skipped', 'reason': 'nothing measures the value delivered'}
    found = groupings(facts, settings)
    if not found:
        return {'status': 'skipped', 'reason': 'no attribute known at acquisition'}
    on_map = cv[cv['fit']]
    if len(on_map) < MINIMUM_CUSTOMERS:
        return {'status': 'skipped', 'reason': f'only {len(on_map)} customers on the map'}
    line = fit_line(on_map, axes, variant)
    kept, _ = scannable(found)
    threshold = max(PRACTICAL_PRICE_SHARE * abs(line['mean_price']), settings.thresholds['money'])
    segments = []
    counted = cv['counted'].to_numpy()
    for g in kept:
        if variant == 'idiomatic':
            members = {level: cv.index[counted & (g.levels == level).to_numpy()] for level in sorted(g.levels[counted].unique())}
        else:
            members = dict(sorted(g.levels[counted].groupby(g.levels[counted]).groups.items()))
        for level, index in members.items():
            if len(index) < MINIMUM_CELL:
                continue
            segments.append({'key': g.key, 'label': g.label, 'level': level, 'customers': len(index), 'active': int(cv.loc[index, 'active'].sum()), 'deviation': deviation(line, index)})
    for s in segments:
        d = s['deviation']
        s['tested'] = d is not None and d['n'] >= MINIMUM_RESPONDENTS
    tested = [s for s in segments if s['tested']]
    for s, q in zip(tested, benjamini_hochberg([s['deviation']['p_value'] for s in tested])):
        s['q'] = q
    rows = []
    for s in segments:
        d = s['deviation']
        verdict = 'on the line' if s['tested'] else 'not tested'
        if s['tested'] and s['q'] <= settings.fdr and abs(d['estimate']) >= threshold:
            verdict = 'over-charged' if d['estimate'] > 0 and d['lower'] > 0 else 'over-served' if d['estimate'] < 0 and d['upper'] < 0 else verdict
        year = 12 * s['active']
        rows.append([f"{s['label']} {s['level']}", s['key'], s['level'], verdict, s['customers'], s['active'], 0 if d is None else d['n'],
                     *(d and [d['mean_price'], *d['means'], d['fair_price'], d['estimate'], d['lower'], d['upper'], d['p_value']] or [None] * (5 + len(axes) + 1)),
                     s.get('q') if s['tested'] else None, *(d and [d['estimate'] * year, d['lower'] * year, d['upper'] * year] or [None] * 3)])
    axis_columns = ['usage_per_month' if a == 'usage' else a for a in axes]
    segment_table = table(['segment', 'attribute', 'level', 'verdict', 'customers', 'active_customers', 'customers_on_map', 'price_per_month', *axis_columns, 'fair_price_per_month',
                           'deviation', 'deviation_lower', 'deviation_upper', 'p_value', 'q_value', 'money_per_year', 'money_per_year_lower', 'money_per_year_upper'],
                          rows, 'customers_on_map', ('segment', 'attribute', 'level', 'verdict'))
    df = max(1, line['n'] - len(line['names']))
    critical = t_quantile(0.5 + LEVEL / 2, df)
    line_rows = [[name, b, se, b - critical * se, b + critical * se, line['mean_price'] if j == 0 else line['means'][j], line['n']]
                 for j, (name, b, se) in enumerate(zip(line['names'], line['coefficients'], line['standard_errors']))]
    slopes = [{'axis': name, 'estimate': b, 'p_value': min(1.0, 2 * float(sps.t.sf(abs(b / se), df))) if se > 0 else 1.0}
              for name, b, se in zip(line['names'][1:], line['coefficients'][1:], line['standard_errors'][1:])]
    mean_price = money_ratio((line['n'], float(on_map['y'].sum()), float(on_map['m'].sum()), float((on_map['y'] ** 2).sum()), float((on_map['m'] ** 2).sum()), float((on_map['y'] * on_map['m']).sum())))
    return {
        'status': 'ok',
        'satisfaction_axis': label,
        'axes': axes,
        'mean_price': mean_price,
        'slopes': slopes,
        'tables': {'value_balance_segments': segment_table, 'value_balance_line': table(['term', 'coefficient', 'standard_error', 'lower', 'upper', 'mean', 'customers'], line_rows)},
    }
