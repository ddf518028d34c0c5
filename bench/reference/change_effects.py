"""One measure's cells, difference-in-differences and pre-trend, and the screen of a family of effects (changes/measure-effect.ts, effect-claims.ts).

- Cells: each group in the before window (both halves) and the after window:
  the mean Σy/Σn, the customers measured, the observations (answers; or
  customers, a customer in both halves counting once) and Σy.
- A contrast is fitted only when every cell has 10 customers (and, for
  churn, 5 churns): the treated group's change from before to after less the
  comparison group's (alone without a comparison group); the pre-trend is the
  same on the before window's two halves. Customer-periods are merged over a
  window's halves first (n and y summed), so a customer is one observation
  per window, as cxray counts them.
- CSAT's effect is also read over the standard deviation of single answers in
  the before window (both groups).
- Screen: Benjamini-Hochberg over a change's (or an experiment's) measures
  at 5%, then each unit's practical threshold: NPS points, CSAT standardised
  (else points), adoption percentage points, churn a ratio of 1.1 either way
  (on the log scale), money per customer-month.
"""

from __future__ import annotations

import math

import pandas as pd

from did_fits import contrast
from stats import benjamini_hochberg

MIN_CELL_CUSTOMERS = 10
MIN_CELL_EVENTS = 5
PRACTICAL_RATIO = 1.1
FDR = 0.05
FIT = {'nps': 'ols', 'csat': 'ols', 'churn': 'poisson', 'revenue': 'wls', 'adoption': 'wls'}


def merged(frame: pd.DataFrame, periods: dict[int, int]) -> pd.DataFrame:
    """Rows of the periods in `periods` (period -> window), a customer-period's halves summed into one window row."""
    rows = frame[frame['period'].isin(list(periods))].assign(window=lambda f: f['period'].map(periods))
    if rows.empty:
        return rows.assign(window=pd.Series(dtype=int))
    return rows.groupby(['customer', 'group', 'window'], as_index=False, sort=True)[['n', 'y']].sum()


def cell(frame: pd.DataFrame, group: int, periods: list[int], answers: bool) -> dict:
    part = frame[(frame['group'] == group) & frame['period'].isin(periods)]
    n, y = float(part['n'].sum()), float(part['y'].sum())
    customers = int(part['customer'].nunique())
    return {'mean': y / n if n > 0 else None, 'customers': customers, 'observations': int(round(n)) if answers else customers, 'total': y}


def thin(kind: str, cells: list[dict]) -> bool:
    return any(c['customers'] < MIN_CELL_CUSTOMERS for c in cells) or (kind == 'churn' and any(c['total'] < MIN_CELL_EVENTS for c in cells))


def _fit(kind: str, frame: pd.DataFrame, windows: dict[int, int], with_comparison: bool, answers: bool, variant: str) -> dict:
    rows = frame[frame['period'].isin(list(windows))].assign(window=lambda f: f['period'].map(windows)) if answers else merged(frame, windows)
    if not with_comparison:
        rows = rows[rows['group'] == 1]
    rows = rows.assign(cell=rows['group'].astype(int) * 2 + rows['window'].astype(int))
    signs = {2: -1, 3: 1, **({0: 1, 1: -1} if with_comparison else {})}
    return contrast(FIT[kind], rows, signs, variant)


def measure_effect(kind: str, frame: pd.DataFrame, with_comparison: bool, answers: bool, variant: str) -> dict:
    """A change's measure: its four cells, the effect and pre-trend (or the reason there is none), CSAT's standardised effect."""
    treated = [cell(frame, 1, [0, 1], answers), cell(frame, 1, [2], answers)]
    comparison = [cell(frame, 0, [0, 1], answers), cell(frame, 0, [2], answers)] if with_comparison else None
    cells = treated + (comparison or [])
    effect = pre_trend = standardised = None
    if not thin(kind, cells):
        effect = _fit(kind, frame, {0: 0, 1: 0, 2: 1}, with_comparison, answers, variant)
        halves = [cell(frame, 1, [0], answers), cell(frame, 1, [1], answers)] + ([cell(frame, 0, [0], answers), cell(frame, 0, [1], answers)] if with_comparison else [])
        if not thin(kind, halves):
            pre_trend = _fit(kind, frame, {0: 0, 1: 1}, with_comparison, answers, variant)
        if kind == 'csat':
            before = frame[frame['period'] < 2] if with_comparison else frame[(frame['period'] < 2) & (frame['group'] == 1)]
            n, y, squares = float(before['n'].sum()), float(before['y'].sum()), float((before['y'] ** 2).sum())
            variance = (squares - y * y / n) / (n - 1) if n > 1 else 0.0
            standardised = effect['estimate'] / math.sqrt(variance) if variance > 0 else None
    customers = int(frame[frame['group'] == 1]['customer'].nunique()) + (int(frame[frame['group'] == 0]['customer'].nunique()) if with_comparison else 0)
    reason = None if effect is not None else _reason(kind, treated, comparison)
    return {'treated': treated, 'comparison': comparison, 'effect': effect, 'pre_trend': pre_trend, 'standardised': standardised, 'customers': customers, 'reason': reason}


def _reason(kind: str, treated: list[dict], comparison: list[dict] | None) -> str:
    named = [('the segment before', treated[0]), ('the segment after', treated[1])] + ([('the comparison group before', comparison[0]), ('the comparison group after', comparison[1])] if comparison else [])
    few = [(name, c) for name, c in named if c['customers'] < MIN_CELL_CUSTOMERS]
    if few:
        return f'fewer than {MIN_CELL_CUSTOMERS} customers measured in ' + ', '.join(f"{name} ({c['customers']})" for name, c in few)
    rare = [(name, c) for name, c in named if c['total'] < MIN_CELL_EVENTS]
    return f'fewer than {MIN_CELL_EVENTS} churns in ' + ', '.join(f"{name} ({_js_number(c['total'])})" for name, c in rare)


def _js_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def presented(kind: str, e: dict) -> dict:
    """The effect on its reading scale: adoption in percentage points, churn a ratio, the rest as fitted; its standard error in the same unit (churn: of the log ratio)."""
    if kind == 'adoption':
        return {k: 100 * e[k] for k in ('estimate', 'lower', 'upper', 'standard_error')} | {'unit': 'percentage_points', 'se_scale': 'unit'}
    if kind == 'churn':
        # a ratio's interval is symmetric on the log scale only: its standard error stays that of the log ratio
        return {k: math.exp(e[k]) for k in ('estimate', 'lower', 'upper')} | {'standard_error': e['standard_error'], 'unit': 'ratio', 'se_scale': 'log'}
    return {k: e[k] for k in ('estimate', 'lower', 'upper', 'standard_error')} | {'unit': None, 'se_scale': 'unit'}


def screen(items: list[tuple[str, str, dict, float | None]], thresholds: dict[str, float]) -> dict[str, dict]:
    """items: (key, kind, effect, standardised); key -> p, q, passes."""
    rows = []
    for key, kind, e, standardised in items:
        if kind == 'nps':
            rows.append((key, e['estimate'], thresholds['points'], e['p_value']))
        elif kind == 'csat':
            rows.append((key, e['estimate'], thresholds['points'], e['p_value']) if standardised is None else (key, standardised, thresholds['standardised_difference'], e['p_value']))
        elif kind == 'adoption':
            rows.append((key, 100 * e['estimate'], thresholds['percentage_points'], e['p_value']))
        elif kind == 'churn':
            rows.append((key, e['estimate'], math.log(PRACTICAL_RATIO), e['p_value']))
        else:
            rows.append((key, e['estimate'], thresholds['money'], e['p_value']))
    q = benjamini_hochberg([r[3] for r in rows])
    return {key: {'p_value': p, 'q_value': qv, 'passes': bool(qv <= FDR and abs(estimate) >= threshold)} for (key, estimate, threshold, p), qv in zip(rows, q)}
