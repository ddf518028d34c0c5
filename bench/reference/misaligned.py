"""Misaligned segments from the reference's customer_facts frame, as src/analysis/misaligned/ defines them.

Every cell of one, two and three groupings known at acquisition (cells.ts;
under 5 customers not listed): net value per customer-month (ratio of totals
over the customers with an exposure, t interval; one-sided score test that it
is below zero) and satisfaction (each customer's latest NPS answer as +100, 0
or −100, else CSAT; respondents as units; one-sided test against the other
customers with the variance pooled under one common mean). Tested when the
cell has 5 customers and 5 respondents. Each family (losing money, less
satisfied, both: the larger p) is screened by Benjamini-Hochberg at 5%, and a
condition holds only when its interval clears the line (0; the overall
satisfaction) by the threshold (1 a month; 2 points). Then the smallest
description (smallest-description.ts: a misaligned cell whose parent is
misaligned with 90% of its customers is described by it unless clearly worse
than the rest of it; the context lists take any shorter description), the
overlaps (covering.ts: by yearly loss, a later segment reported only if its
customers outside those already reported still pass), and the context lists
(losing money only; less satisfied only; the 10 largest of each).

The scan is the reference's own: it enumerates the same cells from its own
frame and screens them itself, so a different segment list is a finding.
Variants differ in how the cells are summed (cell_sums.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from cell_sums import CellSums
from perfect_customer import satisfaction_measure
from ratio_stats import below_zero_p, money_ratio, ratio_difference
from result_table import table
from rule_groupings import combinations, describe, groupings, matches, rule_key, scannable
from settings import Settings
from stats import benjamini_hochberg

DAYS_PER_MONTH = 30.4375
MINIMUM = 5
MAX_CONDITIONS = 3
NEARLY_SAME_MEMBERS = 0.9
CONTEXT_ROWS = 10


@dataclass
class Misaligned:
    section: dict
    # Reported segments, each as its (grouping, level) conditions, in the order reported.
    reported: list


def customer_columns(facts: pd.DataFrame, score: pd.Series) -> pd.DataFrame:
    """What each customer adds to its cell's sums (value/sums.ts with net value and satisfaction)."""
    months = facts['exposure_days'] / DAYS_PER_MONTH
    exposed = months.notna()
    m = months.fillna(0.0)
    x = facts['net_value'].astype(float) / 100
    answered = score.notna()
    s = score.fillna(0.0)
    a = answered.astype(float)
    return pd.DataFrame({
        'ne': exposed.astype(float), 'm': m, 'mm': m * m, 'act': (~facts['churned'].astype(bool)).astype(float),
        'cents': facts['net_value'].astype(float).where(exposed, 0.0), 'eq': (x * x).where(exposed, 0.0), 'em': (x * m).where(exposed, 0.0),
        'sr': a, 'ss': s, 'sss': s * s, 'sa': a, 'saa': a * a, 'ssa': s * a,
    }, index=facts.index)


def money(s: dict) -> tuple:
    return (s['ne'], s['cents'] / 100, s['m'], s['eq'], s['mm'], s['em'])


def satisfaction(s: dict) -> tuple:
    return (s['sr'], s['ss'], s['sa'], s['sss'], s['saa'], s['ssa'])


def minus(a: dict, b: dict) -> dict:
    return {k: a[k] - b.get(k, 0.0) for k in a}


def below_p(cell: tuple, rest: tuple, all_: tuple) -> dict | None:
    """scan.ts belowPValue: the segment's satisfaction against the other customers', variance pooled under one common mean."""
    if cell[0] < 2 or rest[0] < 2 or not cell[2] > 0 or not rest[2] > 0 or all_[0] < 3:
        return None
    common = all_[1] / all_[2]
    residual = max(0.0, all_[3] - 2 * common * all_[5] + common * common * all_[4])
    variance = residual / (all_[0] - 1) * (cell[0] / (cell[2] * cell[2]) + rest[0] / (rest[2] * rest[2]))
    gap = cell[1] / cell[2] - rest[1] / rest[2]
    if not variance > 0:
        return {'gap': gap, 'p': 0.0 if gap < 0 else 1.0}
    return {'gap': gap, 'p': float(sps.norm.cdf(gap / math.sqrt(variance)))}


def judge(sums: dict, overall: dict) -> dict:
    """scan.ts judgeCell."""
    net = money_ratio(money(sums))
    sat = money_ratio(satisfaction(sums))
    below = below_p(satisfaction(sums), satisfaction(minus(overall, sums)), satisfaction(overall))
    tested = sums['n'] >= MINIMUM and sums['sr'] >= MINIMUM and net is not None and sat is not None and below is not None
    p_loss = below_zero_p(money(sums)) if tested else 1.0
    p_below = below['p'] if tested else 1.0
    loss = None
    if net is not None and net['estimate'] < 0:
        scale = -12 * sums['act']
        loss = {'estimate': net['estimate'] * scale, 'lower': net['upper'] * scale, 'upper': net['lower'] * scale}
    return {'sums': sums, 'net': net, 'sat': sat, 'p_loss': p_loss, 'p_below': p_below, 'p': max(p_loss, p_below), 'tested': tested, 'loss': loss}


def clear(v: dict, overall: float, settings: Settings) -> tuple[bool, bool]:
    """scan.ts clearOfThresholds: (loses money, less satisfied) by their intervals and the thresholds."""
    loses = v['net'] is not None and v['net']['upper'] < 0 and -v['net']['estimate'] >= settings.thresholds['money']
    less = v['sat'] is not None and v['sat']['upper'] < overall and overall - v['sat']['estimate'] >= settings.thresholds['points']
    return loses, less


def clearly_worse(child: dict, parent: dict, settings: Settings) -> bool:
    rest = minus(parent['sums'], child['sums'])
    d = ratio_difference(money(child['sums']), money(rest))
    if d is not None and d['upper'] < 0 and -d['estimate'] >= settings.thresholds['money']:
        return True
    s = ratio_difference(satisfaction(child['sums']), satisfaction(rest))
    return s is not None and s['upper'] < 0 and -s['estimate'] >= settings.thresholds['points']


def smallest_descriptions(verdicts: list[dict], flagged, settings: Settings, parents_only: bool = True) -> tuple[list[dict], list[tuple[dict, dict]]]:
    """smallest-description.ts: (kept, [(described, by)])."""
    candidates = sorted([v for v in verdicts if flagged(v)], key=lambda v: len(v['conditions']))
    by_key = {v['key']: v for v in candidates}
    described_by: dict[str, dict] = {}
    kept, described = [], []
    for v in candidates:
        n = len(v['conditions'])
        subsets = [[c for i, c in enumerate(v['conditions']) if mask & (1 << i)] for mask in range(1, (1 << n) - 1)]
        subsets = sorted([s for s in subsets if not parents_only or len(s) == n - 1], key=len)
        found = None
        for conditions in subsets:
            ancestor = by_key.get(rule_key(conditions))
            if ancestor is None:
                continue
            if parents_only and v['sums']['n'] < NEARLY_SAME_MEMBERS * ancestor['sums']['n']:
                continue
            if clearly_worse(v, ancestor, settings):
                continue
            found = ancestor
            break
        if found is None:
            kept.append(v)
            continue
        by = described_by.get(found['key'], found)
        described_by[v['key']] = by
        described.append((v, by))
    return kept, described


def cover_overlaps(frame: pd.DataFrame, overall: dict, candidates: list[dict], cutoff: float, line: float, settings: Settings) -> tuple[list[dict], list[tuple[dict, list[dict]]]]:
    """covering.ts: segments by yearly loss; a later one reported only if its customers outside those reported still pass."""
    ordered = sorted(candidates, key=lambda v: (-(v['loss']['estimate'] if v['loss'] else 0.0), v['key']))
    reported, covered = [], []
    for v in ordered:
        if not reported:
            reported.append(v)
            continue
        inside = matches(v['conditions']).to_numpy()
        others = [matches(r['conditions']).to_numpy() for r in reported]
        shared = [int((inside & o).sum()) for o in others]
        if all(s == 0 for s in shared):
            reported.append(v)
            continue
        outside = inside & ~np.logical_or.reduce(others)
        sums = {'n': int(outside.sum()), **frame[outside].sum().to_dict()}
        residual = judge(sums, overall)
        loses, less = clear(residual, line, settings)
        if residual['tested'] and residual['p'] <= cutoff and loses and less:
            reported.append(v)
        else:
            covered.append((v, [r for r, s in zip(reported, shared) if s > 0]))
    return reported, covered


def misaligned(facts: pd.DataFrame, settings: Settings, variant: str) -> Misaligned:
    measure = satisfaction_measure(facts)
    if measure is None:
        return Misaligned({'status': 'skipped', 'reason': 'no NPS or CSAT answers'}, [])
    found = groupings(facts, settings)
    if not found:
        return Misaligned({'status': 'skipped', 'reason': 'no attribute known at acquisition'}, [])
    frame = customer_columns(facts, measure[1])
    overall = {'n': len(frame), **frame.sum().to_dict()}
    kept, _ = scannable(found)
    sums = CellSums(frame, kept, variant)
    verdicts, counts = [], [0] * MAX_CONDITIONS
    for combination in combinations(kept, MAX_CONDITIONS):
        counts[len(combination) - 1] += 1
        cells = []
        for levels, s in sums.cells(combination):
            if s['n'] < MINIMUM:
                continue
            conditions = list(zip(combination, levels))
            cells.append({'conditions': conditions, 'key': rule_key(conditions), **judge(s, overall)})
        verdicts += sorted(cells, key=lambda c: c['key'])
    overall_sat = money_ratio(satisfaction(overall))
    line = overall_sat['estimate'] if overall_sat is not None else float('nan')
    tested = [v for v in verdicts if v['tested']]
    for name, p in (('q_loss', 'p_loss'), ('q_below', 'p_below'), ('q', 'p')):
        for v, q in zip(tested, benjamini_hochberg([v[p] for v in tested])):
            v[name] = q
    for v in verdicts:
        loses, less = clear(v, line, settings)
        v['costly'] = v['tested'] and v.get('q_loss', 1.0) <= settings.fdr and loses
        v['unhappy'] = v['tested'] and v.get('q_below', 1.0) <= settings.fdr and less
        v['misaligned'] = v['tested'] and v.get('q', 1.0) <= settings.fdr and loses and less
    passing = sum(1 for v in tested if v['q'] <= settings.fdr)
    cutoff = 0.0 if not tested else settings.fdr * passing / len(tested)

    both_kept, both_described = smallest_descriptions(verdicts, lambda v: v['misaligned'], settings)
    reported, covered = cover_overlaps(frame, overall, both_kept, cutoff, line, settings)
    by_size = lambda v: (-v['sums']['n'], v['key'])  # noqa: E731
    costly = sorted(smallest_descriptions(verdicts, lambda v: v['costly'] and not v['unhappy'] and not v['misaligned'], settings, False)[0], key=by_size)[:CONTEXT_ROWS]
    unhappy = sorted(smallest_descriptions(verdicts, lambda v: v['unhappy'] and not v['costly'] and not v['misaligned'], settings, False)[0], key=by_size)[:CONTEXT_ROWS]
    label = lambda v: describe(v['conditions'])  # noqa: E731
    listed = lambda items: items[0] if len(items) <= 1 else f"{', '.join(items[:-1])} and {items[-1]}"  # noqa: E731
    rows = (
        [(v, 'misaligned') for v in reported]
        + [(v, f'misaligned; described by {label(by)}') for v, by in both_described]
        + [(v, f'misaligned; covered by {listed([label(b) for b in by])}') for v, by in covered]
        + [(v, 'losing money only') for v in costly]
        + [(v, 'less satisfied only') for v in unhappy]
    )
    cells = lambda d: [None, None, None] if d is None else [d['estimate'], d['lower'], d['upper']]  # noqa: E731
    segment_rows = [
        [label(v), v['key'], len(v['conditions']), status, v['sums']['n'], v['sums']['act'], v['sums']['sr'], *cells(v['net']), *cells(v['sat']), line, *cells(v['loss']), v['p_loss'], v['p_below'], v.get('q', 1.0)]
        for v, status in rows
    ]
    scan_rows = []
    for size in range(1, MAX_CONDITIONS + 1):
        of = [v for v in verdicts if len(v['conditions']) == size]
        scan_rows.append([size, counts[size - 1], len(of), sum(v['tested'] for v in of), sum(v['costly'] for v in of), sum(v['unhappy'] for v in of), sum(v['misaligned'] for v in of)])
    section = {
        'status': 'ok',
        'measure': measure[0],
        'overall_satisfaction': line,
        'cells_tested': len(tested),
        'tables': {
            'misaligned_segments': table(
                ['segment', 'key', 'conditions', 'status', 'customers', 'active_customers', 'respondents', 'net_value_per_month', 'net_value_lower', 'net_value_upper',
                 'satisfaction', 'satisfaction_lower', 'satisfaction_upper', 'overall_satisfaction', 'yearly_loss', 'yearly_loss_lower', 'yearly_loss_upper', 'p_loss', 'p_less_satisfied', 'q_value'],
                segment_rows,
                'customers',
                ('segment', 'key', 'conditions', 'status'),
            ),
            'misaligned_scan': table(['conditions', 'combinations', 'cells', 'cells_tested', 'losing_money', 'less_satisfied', 'both'], scan_rows),
        },
    }
    return Misaligned(section, [v['conditions'] for v in reported])
