"""The ideal customer profile from the reference's fit score, as src/analysis/ideal-profile/ defines it.

- Attributes (run-ideal-profile.ts, price-tier.ts): the scannable groupings
  (rule_groupings.py) but a price tier, one whose levels alone explain at
  least half of the variation in net value per customer-month (η² over the
  customers with a fit score), unless cxray.yaml fit.rule_attributes lists them.
- Rules: the split search on the training half and the check on the held-out
  half (ideal_search.py), at least max(10, ⌈1% of the scored customers / 2⌉)
  training customers each.
- Each rule's coverage (Wilson), its customers' mean fit (t interval), the
  fit lift on all and on the held-out customers, and the lift in first-year
  net value (equal-tenure.ts: the events of each customer's first 365 days
  from signup, else the first purchase, among customers whose first year is
  whole by the day after as_of), per half.
- What the ideal customers value (ideal-drivers.ts): key-drivers' shares
  within the first rule that holds and among the other customers (the
  reference's key_drivers.py on each group's survey rows); point estimates
  only, the intervals are cxray's bootstrap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

import ideal_search
from analysis_settings import AnalysisSettings
from event_value import value_events, window_value
from halves import held_out
from key_drivers import key_drivers
from ratio_stats import mean_interval
from result_table import table
from rule_groupings import groupings, matches, rule_text, scannable
from settings import Settings
from stats import wilson

MIN_COVERAGE_SHARE = 0.01
MIN_RULE_CUSTOMERS = 10
PRICE_TIER_SHARE = 0.5
FIRST_YEAR_DAYS = 365


@dataclass
class IdealProfile:
    section: dict
    # The rules that hold, as (grouping, level) conditions, in rank order.
    holding: list


def explained_share(values: np.ndarray, levels: np.ndarray) -> float:
    """price-tier.ts: η², the between-level sum of squares over the total."""
    n = len(values)
    mean = float(values.sum()) / n if n > 0 else 0.0
    total = float((values * values).sum()) - n * mean * mean
    frame = pd.DataFrame({'x': values, 'g': levels}).groupby('g')['x'].agg(['count', 'sum'])
    between = float((frame['count'] * (frame['sum'] / frame['count'] - mean) ** 2).sum())
    return min(1.0, between / total) if total > 0 else 0.0


def ideal_profile(facts: pd.DataFrame, tables: dict, fs, questions: dict[str, str], settings: Settings, extras: AnalysisSettings, variant: str) -> IdealProfile:
    ids = facts['customer_id'].astype(str)
    scored = ids.isin(fs.score.index).to_numpy()
    score = ids.map(fs.score).to_numpy(dtype=float)
    value_per_month = ids.map(fs.now.value_per_month).to_numpy(dtype=float)
    kept_all, _ = scannable(groupings(facts, settings))
    shares = [(g, explained_share(value_per_month[scored], g.levels.to_numpy()[scored])) for g in kept_all]
    if extras.rule_attributes is not None:
        names = set(extras.rule_attributes)
        kept = [g for g in kept_all if g.key in names or g.attribute in names]
    else:
        kept = [g for g, share in shares if share < PRICE_TIER_SHARE]
    if not kept:
        return IdealProfile({'status': 'skipped', 'reason': 'no attribute known at acquisition to write rules with'}, [])
    minimum = max(MIN_RULE_CUSTOMERS, math.ceil(MIN_COVERAGE_SHARE * len(fs.score) / 2))
    held = held_out(ids)
    training = facts.index[scored & ~held]
    frame = pd.DataFrame({'s': score, 'q': score * score}, index=facts.index).loc[training]
    found = ideal_search.search(frame, kept, minimum, variant)

    start = facts['signup_at'].fillna(facts['first_purchase_at'])
    eligible = (start.notna() & (start <= settings.end - pd.Timedelta(days=FIRST_YEAR_DAYS))).to_numpy()
    first_year = window_value(value_events(tables, settings), pd.Series(start.to_numpy(), index=ids.to_numpy()), FIRST_YEAR_DAYS).to_numpy() / 100

    rows, holding = [], []
    for rank, f in enumerate(found, start=1):
        inside = matches(f['conditions']).to_numpy()
        split = ideal_search.splits(score[scored], held[scored], inside[scored])
        test = ideal_search.higher(split['held_out'])
        adjusted = 1.0 if test is None else min(1.0, test['p'] * len(found))
        holds = test is not None and adjusted <= settings.fdr and test['difference'] >= settings.thresholds['points']
        if holds:
            holding.append(f['conditions'])
        everything = ideal_search.all_of(split)
        everyone = ideal_search.add_sums(everything['covered'], everything['rest'])
        customers = everything['covered']['n']
        coverage = wilson(customers, everyone['n']) if everyone['n'] > 0 else None
        mean_fit = mean_interval(customers, everything['covered']['sum'], everything['covered']['squares'])
        tenure = ideal_search.splits(first_year[eligible], held[eligible], inside[eligible])
        held_tenure = tenure['held_out']
        both = ideal_search.add_sums(held_tenure['covered'], held_tenure['rest'])
        lifts = lambda x: [None, None, None] if x is None else [x['estimate'], x['lower'], x['upper']]  # noqa: E731
        suppressed = customers < 5
        rows.append([
            rank, rule_text(f['conditions']), f['key'], 'holds out' if holds else 'does not hold out',
            None if suppressed else customers, *([None] * 3 if suppressed or coverage is None else [coverage['estimate'], coverage['lower'], coverage['upper']]),
            split['training']['covered']['n'], split['held_out']['covered']['n'],
            None if mean_fit is None else mean_fit['estimate'], everyone['sum'] / everyone['n'],
            *lifts(ideal_search.lift(everything)), *lifts(ideal_search.lift(split['held_out'])),
            None if test is None else test['difference'], None if test is None else test['p'], None if test is None else adjusted,
            held_tenure['covered']['n'],
            held_tenure['covered']['sum'] / held_tenure['covered']['n'] if held_tenure['covered']['n'] > 0 else None,
            both['sum'] / both['n'] if both['n'] > 0 else None,
            *lifts(ideal_search.lift(held_tenure)), *lifts(ideal_search.lift(tenure['training'])),
        ])

    drivers = None
    if holding:
        inside = matches(holding[0]).to_numpy()
        sides = [key_drivers(tables['survey_responses'], pd.Index(ids[mask]), questions, extras, variant, settings.end) for mask in (inside, ~inside)]
        if all(s['status'] == 'ok' for s in sides):
            def shares_of(side):
                t = side['tables']['satisfaction_drivers']
                at = {c: i for i, c in enumerate(t['columns'])}
                return {r[at['driver']]: (r[at['label']], r[at['share']], r[at['n']]) for r in t['rows'] if r[at['share']] is not None}

            a, b = shares_of(sides[0]), shares_of(sides[1])
            areas = [(d, x, b[d]) for d, x in a.items() if d in b]
            areas.sort(key=lambda e: (-e[1][1], e[0]))
            drivers = [[d, x[0], x[1], x[2], y[1], y[2], x[1] - y[1]] for d, x, y in areas]

    tables_out = {
        'ideal_rules': table(
            ['rank', 'rule', 'key', 'status', 'customers', 'coverage', 'coverage_lower', 'coverage_upper', 'training_customers', 'held_out_customers', 'mean_fit', 'overall_fit',
             'fit_lift', 'fit_lift_lower', 'fit_lift_upper', 'held_out_fit_lift', 'held_out_fit_lift_lower', 'held_out_fit_lift_upper', 'held_out_difference', 'held_out_p_value',
             'held_out_adjusted_p_value', 'equal_tenure_customers', 'equal_tenure_mean', 'equal_tenure_mean_all', 'equal_tenure_lift', 'equal_tenure_lift_lower', 'equal_tenure_lift_upper',
             'training_equal_tenure_lift', 'training_equal_tenure_lift_lower', 'training_equal_tenure_lift_upper'],
            rows,
        ),
        'ideal_attributes': table(['attribute', 'label', 'value_explained', 'in_rules'], [[g.key, g.label, share, g in kept] for g, share in shares]),
    }
    if drivers is not None:
        tables_out['ideal_drivers'] = table(['driver', 'label', 'share_ideal', 'responses_ideal', 'share_others', 'responses_others', 'difference'], drivers)
    return IdealProfile({'status': 'ok', 'minimum': minimum, 'rules_found': len(found), 'tables': tables_out}, holding)
