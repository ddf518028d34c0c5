"""An A/B test's readout (changes/experiment-readout.ts, experiment-report.ts) from the reference's frames.

- The arms: customers whose attribute (as text) is the control or the
  treatment value; their sizes against the planned split (treatment_share,
  0.5 by default) by scipy's chisquare, a mismatch at p < 0.001.
- Each measure asked for (all by default): NPS and CSAT over every answer of
  the arms' customers dated before the end of as_of, net revenue per customer-month (customer_facts'
  revenue + fees - refunds - credits over exposure_days / 30.4375) and adoption (customer_facts'
  adoption flag) over each customer's history: treatment − control fitted
  by statsmodels (did_fits.py) with errors clustered by customer; churn as
  the hazard ratio of a piecewise-exponential model on person-time by month
  of tenure (hazard.py: bands of 5 churns, a Poisson GLM with log months at
  risk as offset, the treatment flag alone). An arm needs 10 customers
  measured (and 5 churns). CSAT's effect is also read over the spread of
  single answers; the measures are screened together (change_effects.py).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from change_effects import MIN_CELL_CUSTOMERS, MIN_CELL_EVENTS, presented
from change_frames import DAYS_PER_MONTH, answers
from change_windows import day_seconds
from did_fits import contrast
from hazard import fit_window, person_time, tenure_bands
from result_table import table
from settings import Settings
from stats import Z
from workspace_settings import WorkspaceSettings

MISMATCH_ALPHA = 0.001
ALL_METRICS = ['nps', 'csat', 'churn', 'revenue', 'adoption']


def _arm_text(column: pd.Series) -> pd.Series:
    """The attribute as SQL's CAST(... AS VARCHAR) writes it (whole numbers without '.0')."""
    if pd.api.types.is_numeric_dtype(column):
        return column.map(lambda v: None if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v))))
    return column.astype(object).where(column.notna(), None)


def _cell(frame: pd.DataFrame, arm: int, answers_: bool) -> dict:
    part = frame[frame['group'] == arm]
    n, y = float(part['n'].sum()), float(part['y'].sum())
    customers = int(part.loc[part['n'] > 0, 'customer'].nunique())
    return {'mean': y / n if n > 0 else None, 'customers': customers, 'observations': int(round(n)) if answers_ else customers, 'total': y}


def _measures(spec: dict, facts: pd.DataFrame, tables: dict[str, pd.DataFrame], members: np.ndarray, flag: np.ndarray, settings: Settings, ws: WorkspaceSettings) -> list[tuple[str, str, str, pd.DataFrame, bool]]:
    wanted = set(spec['metrics'] or ALL_METRICS)
    ids = facts['customer_id'].to_numpy()
    code = pd.Series(np.flatnonzero(members), index=ids[members])
    group = pd.Series(flag[members].astype(int), index=ids[members])
    out = []
    survey = tables.get('survey_responses')
    if survey is not None and len(survey) > 0:
        for kind, column, label in (('nps', 'Q1', 'NPS'), ('csat', 'Q3', 'CSAT')):
            if kind in wanted:
                out.append((kind, kind, label, answers(survey, column, code, group, None, day_seconds(settings.as_of) + 86_400), True))
    f = facts[members]
    exposure = f['exposure_days'].to_numpy(dtype=float)
    known = ~np.isnan(exposure)
    months = np.where(known, exposure / DAYS_PER_MONTH, 0.0)
    base = {'customer': np.flatnonzero(members), 'group': flag[members].astype(int), 'period': 0}
    if 'churn' in wanted and len(tables.get('status_changes', ())) > 0:
        out.append(('churn', 'churn', 'churn', pd.DataFrame({**base, 'n': months, 'y': np.where(known, f['churned'].astype(float).to_numpy(), 0.0)}), False))
    if 'revenue' in wanted and len(tables.get('transactions', ())) > 0:
        # purchases and fees less refunds and credits, as a change's windows count it (not net_revenue: no cost of goods)
        money = (f['revenue'] + f['fees'] - f['refunds'] - f['credits']).to_numpy(dtype=float) / 100
        out.append(('revenue', 'revenue', 'net revenue per customer-month', pd.DataFrame({**base, 'n': months, 'y': np.where(known, money, 0.0)}), False))
    if 'adoption' in wanted:
        events = len(tables.get('behaviour_events', ())) > 0
        for key in settings.behaviours:
            if f'adopted_{key}' in facts.columns and (key in ws.attribute_behaviours or events):
                label = settings.behaviour_labels.get(key, key.replace('_', ' '))
                out.append(('adoption', f'adoption_{key}', f'adoption of {label}', pd.DataFrame({**base, 'n': 1.0, 'y': f[f'adopted_{key}'].astype(float).to_numpy()}), False))
    return out


def _hazard(facts: pd.DataFrame, members: np.ndarray, flag: np.ndarray, variant: str) -> dict | None:
    keep = members & facts['exposure_days'].notna().to_numpy()
    frame = facts[keep].reset_index(drop=True)
    treated = flag[keep].astype(int)
    if frame.loc[treated == 1, 'churned'].sum() == 0 or frame.loc[treated == 0, 'churned'].sum() == 0:
        return None
    pt, last = person_time(frame, treated, [], variant)
    fitted = fit_window(pt, tenure_bands(pt, last), [], variant)
    se = fitted['standard_error']
    return {'estimate': fitted['log_hr'], 'standard_error': se, 'p_value': fitted['p_value'], 'lower': fitted['log_hr'] - Z * se, 'upper': fitted['log_hr'] + Z * se}


def read_experiment(key: str, spec: dict, facts: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings, ws: WorkspaceSettings, variant: str) -> dict:
    label = spec['label'] or key.replace('_', ' ')
    base = {'key': key, 'label': label, 'spec': spec, 'treatment_customers': 0, 'control_customers': 0, 'ratio': None, 'effects': [], 'skipped': None}
    if spec['attribute'] not in facts.columns:
        return {**base, 'skipped': f"customer_facts has no attribute {spec['attribute']}"}
    arm = _arm_text(facts[spec['attribute']])
    flag = (arm == spec['treatment']).to_numpy()
    members = flag | (arm == spec['control']).to_numpy()
    treatment, control = int(flag.sum()), int((members & ~flag).sum())
    sized = {**base, 'treatment_customers': treatment, 'control_customers': control}
    if treatment == 0 or control == 0:
        return {**sized, 'skipped': f"no customer in scope has {spec['attribute']} = {spec['treatment'] if treatment == 0 else spec['control']}"}
    planned = spec['treatment_share'] or 0.5
    total = treatment + control
    chi2, p = sps.chisquare([treatment, control], [total * planned, total * (1 - planned)])
    ratio = {'planned': planned, 'share': treatment / total, 'chi_square': float(chi2), 'p_value': float(p), 'mismatch': bool(p < MISMATCH_ALPHA)}
    effects = []
    for kind, measure, name, frame, per_answer in _measures(spec, facts, tables, members, flag, settings, ws):
        t, c = _cell(frame, 1, per_answer), _cell(frame, 0, per_answer)
        if t['observations'] + c['observations'] == 0:
            continue
        reason = effect = standardised = None
        if t['customers'] < MIN_CELL_CUSTOMERS or c['customers'] < MIN_CELL_CUSTOMERS:
            reason = f"fewer than {MIN_CELL_CUSTOMERS} customers measured in an arm (treatment {t['customers']}, control {c['customers']})"
        elif kind == 'churn' and (t['total'] < MIN_CELL_EVENTS or c['total'] < MIN_CELL_EVENTS):
            reason = f"fewer than {MIN_CELL_EVENTS} churns in an arm (treatment {int(t['total'])}, control {int(c['total'])})"
        if reason is None:
            if kind == 'churn':
                effect = _hazard(facts, members, flag, variant)
                reason = 'an arm has no churn' if effect is None else None
            else:
                rows = frame[frame['n'] > 0].assign(cell=lambda x: 1 - x['group'])
                effect = contrast('ols' if per_answer or kind == 'adoption' else 'wls', rows, {0: 1, 1: -1}, variant)
            if effect is not None and kind == 'csat':
                n, y, squares = float(frame['n'].sum()), float(frame['y'].sum()), float((frame['y'] ** 2).sum())
                variance = (squares - y * y / n) / (n - 1) if n > 1 else 0.0
                standardised = effect['estimate'] / math.sqrt(variance) if variance > 0 else None
        effects.append({'kind': kind, 'key': measure, 'label': name, 'treatment': t, 'control': c, 'effect': effect, 'reason': reason, 'standardised': standardised, 'customers': t['customers'] + c['customers']})
    return {**sized, 'ratio': ratio, 'effects': effects}


def experiment_tables(readouts: list[dict], claims: dict[str, dict], currency: str) -> dict:
    arms, rows = [], []
    for x in readouts:
        r, spec = x['ratio'], x['spec']
        for name in ('treatment', 'control'):
            share = None if r is None else r['share'] if name == 'treatment' else 1 - r['share']
            planned = None if r is None else r['planned'] if name == 'treatment' else 1 - r['planned']
            arms.append([x['label'], name, spec[name], x[f'{name}_customers'], share, planned, None if r is None else r['chi_square'], None if r is None else r['p_value'], None if r is None else r['mismatch'], x['skipped']])
        for e in x['effects']:
            claim = claims.get(x['key'], {}).get(e['key'])
            shown = None if e['effect'] is None else presented(e['kind'], e['effect'])
            unit = None if shown is None else 'hazard_ratio' if e['kind'] == 'churn' else shown['unit'] or (currency if e['kind'] == 'revenue' else 'points')
            rows.append([
                x['label'], e['key'], unit, e['treatment']['mean'], e['control']['mean'], None if shown is None else shown['estimate'], None if shown is None else shown['lower'],
                None if shown is None else shown['upper'], None if shown is None else shown['standard_error'], None if shown is None else shown['se_scale'], None if claim is None else claim['p_value'],
                None if claim is None else claim['q_value'], False if claim is None else claim['passes'], e['treatment']['customers'], e['control']['customers'], e['reason'],
                min(e['treatment']['customers'], e['control']['customers']),
            ])
    columns = ['experiment', 'measure', 'unit', 'treatment', 'control', 'effect', 'lower', 'upper', 'standard_error', 'standard_error_scale', 'p_value', 'q_value', 'claimed', 'treatment_customers', 'control_customers', 'note', 'smallest_arm']
    return {
        'experiment_arms': table(['experiment', 'arm', 'value', 'customers', 'share', 'planned_share', 'chi_square', 'p_value', 'mismatch', 'note'], arms),
        'experiment_effects': table(columns, rows, 'smallest_arm', ('experiment', 'measure', 'unit', 'standard_error_scale', 'note', 'smallest_arm')),
    }


def experiment_findings(readouts: list[dict], claims: dict[str, dict]) -> list[str]:
    out = []
    for x in readouts:
        if x['ratio'] is not None and x['ratio']['mismatch']:
            out.append(f"changes.experiment_{x['key']}.sample_ratio_mismatch")
        out += [f"changes.experiment_{x['key']}.{k}" for k, claim in claims.get(x['key'], {}).items() if claim['passes']]
    return out
