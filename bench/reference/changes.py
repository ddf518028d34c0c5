"""The measured effect of each stored change, and the readout of each declared experiment, as src/analysis/changes/ defines them.

The changes are the workspace's store/changes.json and the experiments
cxray.yaml's `experiments` (workspace_settings.py). Each change:
- its windows (change_windows.py) and groups: the treated customers match
  its segment rule, the comparison group its comparison rule (a customer
  matching both is treated), else every customer the segment does not match
  (segment_rules.py); no segment: every customer, no comparison group;
- its measures (change_frames.py: NPS, CSAT, churn, net revenue, adoption of
  each behaviour declared by an event), a measure nobody gave left out;
- each measure's cells, difference-in-differences and pre-trend fitted by
  statsmodels with errors clustered by customer (change_effects.py,
  did_fits.py), its measures screened together;
- NPS per calendar month of each group, with an interval clustered by
  customer: OLS of the answers' net scores on a constant, cov_type='cluster'
  (idiomatic), or the same closed form from per-customer sums (best).
The experiments: experiments.py.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm

from change_effects import measure_effect, presented, screen
from change_frames import answers, fact_measures, seconds
from change_windows import day_seconds, empty, unique_slugs, windows
from experiments import experiment_findings, experiment_tables, read_experiment
from result_table import table
from segment_rules import matches, tokens
from settings import Settings
from stats import Z
from workspace_settings import WorkspaceSettings

NOTHING = 'no change stored and no experiment declared'
PRE_TREND_ALPHA = 0.05


def _rest_words(rule: str) -> str:
    parts = tokens(rule)
    if len(parts) == 4 and parts[0][0] == 'word' and parts[1] == ('op', '=') and parts[2][0] == 'string':
        return f"the customers whose {parts[0][1]} is not '{parts[2][1].replace(chr(39), chr(39) * 2)}'"
    return 'the rest of the customers'


def _groups(change: dict, facts: pd.DataFrame) -> dict:
    everyone = np.ones(len(facts), dtype=bool)
    if change.get('segment') is None:
        return {'flag': everyone, 'member': everyone, 'segment': None, 'compare': None, 'words': 'no comparison group'}
    flag = matches(change['segment'], facts)
    if change.get('compare') is None:
        return {'flag': flag, 'member': everyone, 'segment': change['segment'], 'compare': None, 'words': _rest_words(change['segment'])}
    return {'flag': flag, 'member': flag | matches(change['compare'], facts), 'segment': change['segment'], 'compare': change['compare'], 'words': f"customers matching {change['compare']}"}


def nps_by_month(frame: pd.DataFrame, variant: str) -> list[dict]:
    """One row per group and month: answers, customers, NPS and its customer-clustered interval."""
    month = pd.to_datetime(frame['at'].to_numpy() * 1e6, unit='us').to_period('M').start_time.strftime('%Y-%m-%d')
    per = frame.assign(month=month).groupby(['group', 'month', 'customer'], as_index=False).agg(n=('n', 'sum'), y=('y', 'sum'))
    out = []
    for (group, m), part in per.groupby(['group', 'month']):
        answers_n, customers = float(part['n'].sum()), len(part)
        mean = float(part['y'].sum()) / answers_n
        if variant == 'idiomatic' and customers > 1:
            rows = frame.assign(month=month)
            rows = rows[(rows['group'] == group) & (rows['month'] == m)]
            fitted = sm.OLS(rows['y'].to_numpy(dtype=float), np.ones((len(rows), 1))).fit(cov_type='cluster', cov_kwds={'groups': pd.factorize(rows['customer'])[0]}, use_t=False)
            mean, se = float(fitted.params[0]), float(fitted.bse[0])
        else:
            s = float(((part['y'] - mean * part['n']) ** 2).sum())
            se = math.sqrt(max(0.0, customers / (customers - 1) * s)) / answers_n if customers > 1 else 0.0
        out.append({'month': m, 'group': int(group), 'answers': int(answers_n), 'customers': customers, 'nps': mean, 'lower': mean - Z * se, 'upper': mean + Z * se})
    return sorted(out, key=lambda r: (r['month'], -r['group']))


def measure_change(change: dict, facts: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings, variant: str) -> dict:
    start = seconds(facts['signup_at'].fillna(facts['first_purchase_at']))
    first = float(np.nanmin(start)) if np.isfinite(start).any() else None
    w = windows(change, settings.as_of, first)
    spans = w['spans']
    base = {'change': change, 'windows': w, 'groups': None, 'treated': 0, 'comparison': 0, 'effects': [], 'months': [], 'skipped': None}
    if change['date'] > settings.as_of:
        return {**base, 'skipped': f'its date is after as_of ({settings.as_of}): nothing after it has been measured yet'}
    if empty(spans[2]):
        return {**base, 'skipped': 'the period analysed holds no day of its after window'}
    if empty(spans[0]) and empty(spans[1]):
        return {**base, 'skipped': 'the period analysed holds no day of its before window'}
    try:
        groups = _groups(change, facts)
    except (KeyError, ValueError) as error:
        return {**base, 'skipped': f'its rule cannot be read: {error}'}
    member, flag = groups['member'], groups['flag']
    treated, comparison = int((member & flag).sum()), int((member & ~flag).sum())
    measured = {**base, 'groups': groups, 'treated': treated, 'comparison': comparison}
    with_comparison = groups['segment'] is not None
    if treated == 0:
        return {**measured, 'skipped': f"no customer in scope matches its segment {groups['segment'] or 'all customers'}"}
    if with_comparison and comparison == 0:
        return {**measured, 'skipped': f"no customer in scope is in its comparison group ({groups['words']})"}
    ids = facts['customer_id'].to_numpy()
    code = pd.Series(np.flatnonzero(member), index=ids[member])
    group = pd.Series(flag[member].astype(int), index=ids[member])
    measures = []
    survey = tables.get('survey_responses')
    nps_answers = None
    if survey is not None and len(survey) > 0:
        nps_answers = answers(survey, 'Q1', code, group, spans)
        measures += [('nps', 'nps', 'NPS', nps_answers, True), ('csat', 'csat', 'CSAT', answers(survey, 'Q3', code, group, spans), True)]
    churn_known = len(tables.get('status_changes', ())) > 0
    events = len(tables.get('behaviour_events', ())) > 0
    behaviours = [(key, settings.behaviour_labels.get(key, key), f'adopted_{key}_at') for key in settings.behaviours if events and f'adopted_{key}_at' in facts.columns]
    as_of_end = day_seconds(settings.as_of) + 86_400
    labels = {f'adoption_{k}': f'adoption of {label}' for k, label, _ in behaviours} | {'churn': 'churn', 'revenue': 'net revenue per customer-month'}
    for kind, key, frame in fact_measures(facts, tables, member, flag.astype(int), spans, as_of_end, churn_known, behaviours, variant):
        measures.append((kind, key, labels[key], frame, False))
    effects = []
    for kind, key, label, frame, per_answer in measures:
        given = frame if with_comparison else frame[frame['group'] == 1]
        if len(given) == 0:
            continue
        effects.append({'kind': kind, 'key': key, 'label': label, **measure_effect(kind, frame, with_comparison, per_answer, variant)})
    months = nps_by_month(nps_answers, variant) if nps_answers is not None and len(nps_answers) > 0 else []
    return {**measured, 'effects': effects, 'months': months}


def _finite(x):
    return None if x is None or not math.isfinite(x) else x


def change_tables(measured: list[dict], claims: dict[str, dict], currency: str) -> dict:
    change_rows, effect_rows, month_rows = [], [], []
    for m in measured:
        c, w, g = m['change'], m['windows'], m['groups']
        comparison = c.get('compare') if g is None else None if g['segment'] is None else (g['compare'] or g['words'])
        note = m['skipped'] if m['skipped'] is not None else ('; '.join(w['cuts']) or None)
        change_rows.append([
            c['name'], c['date'], g['segment'] if g is not None else c.get('segment'), comparison, w['before_start'], w['placebo'], w['after_last'],
            None if g is None else m['treated'], None if g is None or g['segment'] is None else m['comparison'], note,
        ])
        for e in m['effects']:
            claim = claims.get(m['slug'], {}).get(e['key'])
            shown = None if e['effect'] is None else presented(e['kind'], e['effect'])
            pre = None if e['pre_trend'] is None else presented(e['kind'], e['pre_trend'])
            t, cmp = e['treated'], e['comparison']
            cells = t + (cmp or [])
            unit = None if shown is None else shown['unit'] or (currency if e['kind'] == 'revenue' else 'points')
            effect_rows.append([
                c['name'], e['key'], unit, _finite(t[0]['mean']), _finite(t[1]['mean']), None if cmp is None else _finite(cmp[0]['mean']), None if cmp is None else _finite(cmp[1]['mean']),
                None if shown is None else shown['estimate'], None if shown is None else shown['lower'], None if shown is None else shown['upper'],
                None if shown is None else shown['standard_error'], None if shown is None else shown['se_scale'], None if claim is None else claim['p_value'], None if claim is None else claim['q_value'],
                False if claim is None else claim['passes'], None if pre is None else pre['estimate'], None if pre is None else pre['lower'], None if pre is None else pre['upper'],
                None if e['pre_trend'] is None else e['pre_trend']['p_value'], None if e['pre_trend'] is None else e['pre_trend']['p_value'] < PRE_TREND_ALPHA,
                t[0]['customers'], t[1]['customers'], None if cmp is None else cmp[0]['customers'], None if cmp is None else cmp[1]['customers'],
                sum(x['observations'] for x in cells), e['reason'], min(x['customers'] for x in cells),
            ])
        for r in m['months']:
            month_rows.append([c['name'], r['month'], 'segment' if r['group'] == 1 else 'comparison', r['answers'], r['customers'], r['nps'], r['lower'], r['upper']])
    effect_columns = [
        'change', 'measure', 'unit', 'segment_before', 'segment_after', 'comparison_before', 'comparison_after', 'effect', 'lower', 'upper', 'standard_error', 'standard_error_scale', 'p_value', 'q_value',
        'claimed', 'pre_trend', 'pre_trend_lower', 'pre_trend_upper', 'pre_trend_p', 'pre_trend_flag', 'segment_customers_before', 'segment_customers_after',
        'comparison_customers_before', 'comparison_customers_after', 'observations', 'note', 'smallest_cell',
    ]
    return {
        'changes': table(['change', 'date', 'segment', 'comparison', 'before_from', 'placebo_date', 'after_to', 'treated_customers', 'comparison_customers', 'note'], change_rows),
        'change_effects': table(effect_columns, effect_rows, 'smallest_cell', ('change', 'measure', 'unit', 'standard_error_scale', 'note', 'smallest_cell')),
        'change_nps_by_month': table(['change', 'month', 'group', 'answers', 'customers', 'nps', 'lower', 'upper'], month_rows, 'customers', ('change', 'month', 'group')),
    }


def changes(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], ws: WorkspaceSettings, settings: Settings, variant: str) -> dict:
    if not ws.changes and not ws.experiments:
        return {'status': 'skipped', 'reason': NOTHING}
    slugs = unique_slugs([c['name'] for c in ws.changes])
    measured = [{**measure_change(c, facts, tables, settings, variant), 'slug': s} for c, s in zip(ws.changes, slugs)]
    readouts = [read_experiment(key, spec, facts, tables, settings, ws, variant) for key, spec in ws.experiments.items()]
    claims = {
        m['slug']: screen([(e['key'], e['kind'], e['effect'], e['standardised']) for e in m['effects'] if e['effect'] is not None], ws.thresholds)
        for m in measured if m['skipped'] is None
    }
    findings = [f"changes.{m['slug']}.{key}" for m in measured if m['skipped'] is None for key, claim in claims[m['slug']].items() if claim['passes']]
    out_tables = change_tables(measured, claims, settings.currency) if measured else {}
    if readouts:
        experiment_claims = {x['key']: screen([(e['key'], e['kind'], e['effect'], e['standardised']) for e in x['effects'] if e['effect'] is not None], ws.thresholds) for x in readouts if x['skipped'] is None}
        out_tables.update(experiment_tables(readouts, experiment_claims, settings.currency))
        findings += experiment_findings(readouts, experiment_claims)
    return {'status': 'ok', 'tables': out_tables, 'findings': sorted(findings)}
