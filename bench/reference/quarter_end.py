"""Quarter-end pushes from the reference's customer_facts and transactions frames, as src/analysis/quarter-end/ defines them.

Customers are put in the window by the day they were acquired (signup, else
first purchase; by as_of): in the last N days of a fiscal quarter
(quarter_end.window_days, 14 by default). Compared, window against others:
- sales per day, new customers and purchase revenue (quarter_end_sales.py);
- early refunds: among customers whose first purchase is at least
  refund_days (60) before the end of as_of, the share with a refund dated
  before first purchase + refund_days (Newcombe's interval, pooled z test);
- satisfaction: the latest NPS (difference of NPS, normal) and CSAT (Welch);
- churn: survival curves and the hazard ratio (hazard.py);
- the six claims screened together (Benjamini-Hochberg at 5%, then ratios
  at least ×1.1 either way on the log scale, 1 point of refunds, 2 NPS
  points, 0.1 standardised CSAT difference);
- the push's money over horizon_months (push_balance.py).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from analysis_settings import AnalysisSettings
from hazard import hazard
from push_balance import balance_rows, push_balance
from quarter_end_sales import daily_profile, daily_sales, in_window, intake
from result_table import table
from settings import Settings
from stats import Z, benjamini_hochberg, newcombe, welch

MIN_ANSWERS = 10
PRACTICAL_RATIO = 1.1


def _mean(n: int, total: float, squares: float) -> dict:
    mean = total / n if n > 0 else 0.0
    variance = max(0.0, (squares - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    return {'n': n, 'mean': mean, 'sd': math.sqrt(variance)}


def group_outcomes(facts: pd.DataFrame, members: np.ndarray, early: pd.DataFrame, eligible: np.ndarray) -> dict:
    """cohort-outcomes.ts: one group's customers, early refunds, latest NPS and CSAT, and margin per day observed."""
    f = facts[members]
    money = early.reindex(f['customer_id'])['cents'].fillna(0).to_numpy() / 100
    count = early.reindex(f['customer_id'])['n'].fillna(0).to_numpy()
    e = eligible[members]
    nps, csat = f['latest_nps'], f['latest_csat']
    margin = (f['revenue'] + f['fees'] - f['credits'] - f['cost_of_goods']).sum()
    return {
        'customers': int(members.sum()), 'refund_eligible': int(e.sum()), 'refunded': int((e & (count > 0)).sum()),
        'refund_money': float(money[e].sum()), 'refund_squares': float((money[e] ** 2).sum()),
        'promoters': int((nps >= 9).sum()), 'passives': int(((nps >= 7) & (nps < 9)).sum()), 'detractors': int((nps < 7).sum()),
        'csat': (int(csat.notna().sum()), float(csat.sum()), float((csat ** 2).sum())),
        'margin': int(margin) / 100, 'exposure_days': float(f['exposure_days'].fillna(0).sum()),
    }


def refund_comparison(w: dict, o: dict) -> dict | None:
    if w['refund_eligible'] == 0 or o['refund_eligible'] == 0:
        return None
    return {
        'window_share': w['refunded'] / w['refund_eligible'], 'other_share': o['refunded'] / o['refund_eligible'],
        'difference': newcombe(w['refunded'], w['refund_eligible'], o['refunded'], o['refund_eligible']), 'n': (w['refund_eligible'], o['refund_eligible']),
        'window_money': _mean(w['refund_eligible'], w['refund_money'], w['refund_squares']), 'other_money': _mean(o['refund_eligible'], o['refund_money'], o['refund_squares']),
    }


def _nps(g: dict) -> tuple[int, float, float, float]:
    """(answers, NPS, its variance, the per-answer SD) of a group's latest answers."""
    n = g['promoters'] + g['passives'] + g['detractors']
    p, d = g['promoters'] / n, g['detractors'] / n
    return n, 100 * (p - d), 10_000 * (p + d - (p - d) ** 2) / n, 100 * math.sqrt(max(0.0, p + d - (p - d) ** 2))


def satisfaction_comparisons(w: dict, o: dict) -> list[dict]:
    out = []
    if w['promoters'] + w['passives'] + w['detractors'] >= MIN_ANSWERS and o['promoters'] + o['passives'] + o['detractors'] >= MIN_ANSWERS:
        (nw, sw, vw, dw), (no, so, vo, do) = _nps(w), _nps(o)
        estimate, se = sw - so, math.sqrt(vw + vo)
        statistic = estimate / se if se > 0 else math.copysign(math.inf, estimate) if estimate else 0.0
        pooled = math.sqrt((dw ** 2 + do ** 2) / 2)
        out.append({'instrument': 'nps', 'window': sw, 'others': so, 'estimate': estimate, 'lower': estimate - Z * se, 'upper': estimate + Z * se,
                    'p_value': 2 * float(sps.norm.sf(abs(statistic))), 'n': (nw, no), 'standardised': estimate / pooled if pooled > 0 else 0.0})
    if w['csat'][0] >= MIN_ANSWERS and o['csat'][0] >= MIN_ANSWERS:
        a, b = _mean(*w['csat']), _mean(*o['csat'])
        if a['sd'] > 0 or b['sd'] > 0:
            d = welch((a['n'], a['mean'], a['sd']), (b['n'], b['mean'], b['sd']))
            pooled = math.sqrt((a['sd'] ** 2 + b['sd'] ** 2) / 2)
            out.append({'instrument': 'csat', 'window': a['mean'], 'others': b['mean'], **d, 'n': (a['n'], b['n']), 'standardised': d['estimate'] / pooled if pooled > 0 else 0.0})
    return out


def screen_claims(sales: list[dict], refunds: dict | None, satisfaction: list[dict], model: dict | None, settings: Settings) -> dict:
    """quarter-end-claims.ts: (key -> p, q, passes) over the claims made."""
    log_ratio = math.log(PRACTICAL_RATIO)
    items = [('intake' if s['measure'] == 'customers' else 'revenue', s['log_ratio'], log_ratio, s['p_value']) for s in sales]
    if refunds is not None:
        items.append(('refunds', 100 * refunds['difference']['estimate'], settings.thresholds['percentage_points'], refunds['difference']['p_value']))
    for s in satisfaction:
        # NPS in points; CSAT as a standardised difference (its scales vary).
        nps = s['instrument'] == 'nps'
        items.append((s['instrument'], s['estimate'] if nps else s['standardised'], settings.thresholds['points' if nps else 'standardised_difference'], s['p_value']))
    if model is not None:
        items.append(('churn', model['adjusted']['log_hr'], log_ratio, model['adjusted']['p_value']))
    q = benjamini_hochberg([i[3] for i in items])
    return {key: {'p': p, 'q': qv, 'passes': qv <= settings.fdr and abs(estimate) >= threshold} for (key, estimate, threshold, p), qv in zip(items, q)}


def quarter_end(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings, extras: AnalysisSettings, variant: str) -> dict:
    window_days, refund_days = extras.quarter_end_window_days, extras.quarter_end_refund_days
    fys = settings.fiscal_year_start_month
    acquired = facts['signup_at'].fillna(facts['first_purchase_at'])
    cohort = (acquired.notna() & (acquired < settings.end)).to_numpy()
    flag = np.zeros(len(facts), dtype=bool)
    flag[cohort] = in_window(acquired[cohort], window_days, fys)
    tx = tables.get('transactions')
    first = facts.set_index('customer_id')['first_purchase_at']
    refunds_tx = tx[tx['kind'] == 'refund'] if tx is not None else tx
    fp = refunds_tx['customer_id'].map(first)
    early = refunds_tx[refunds_tx['at'] < fp + pd.Timedelta(days=refund_days)].groupby('customer_id')['cents'].agg(['size', 'sum']).rename(columns={'size': 'n', 'sum': 'cents'})
    eligible = (facts['first_purchase_at'].notna() & (facts['first_purchase_at'] < settings.end - pd.Timedelta(days=refund_days))).to_numpy()
    w, o = group_outcomes(facts, cohort & flag, early, eligible), group_outcomes(facts, cohort & ~flag, early, eligible)
    if w['customers'] == 0 or o['customers'] == 0:
        return {'status': 'skipped', 'reason': 'no customer acquired in, or out of, the windows'}

    days = daily_sales(facts, acquired, cohort, tables, settings.end)
    sales = [] if days is None else [s for s in (intake(days, m, window_days, fys, variant) for m in ('customers', 'revenue')) if s is not None]
    refunds = refund_comparison(w, o)
    satisfaction = satisfaction_comparisons(w, o)
    exposed = cohort & facts['exposure_days'].notna().to_numpy()
    model, window_curve, other_curve = (None, [], [])
    if len(tables.get('status_changes', [])) > 0:
        model, window_curve, other_curve = hazard(facts[exposed].reset_index(drop=True), flag[exposed], settings, extras, variant)
    claims = screen_claims(sales, refunds, satisfaction, model, settings)
    customers_intake = next((s for s in sales if s['measure'] == 'customers'), None)
    balance = None if customers_intake is None else push_balance(customers_intake, model, refunds, w, o, other_curve, extras.quarter_end_horizon_months)

    claim = lambda key: [claims[key]['p'], claims[key]['q'], claims[key]['passes']] if key in claims else [None, None, False]  # noqa: E731
    out_tables = {}
    if sales:
        out_tables['quarter_end_sales'] = table(
            ['measure', 'window_days', 'other_days', 'window_per_day', 'other_per_day', 'ratio', 'lower', 'upper', 'dispersion', 'p_value', 'q_value', 'passes'],
            [['new customers' if s['measure'] == 'customers' else f'purchase revenue ({settings.currency})', s['window_days'], s['other_days'], s['window_per_day'], s['other_per_day'],
              s['ratio'], s['lower'], s['upper'], s['dispersion'], *claim('intake' if s['measure'] == 'customers' else 'revenue')] for s in sales],
        )
    rows = []
    if refunds is not None:
        d = refunds['difference']
        rows.append([f'early refund (within {refund_days} days of the first purchase)', 'share', refunds['window_share'], refunds['other_share'], d['estimate'], d['lower'], d['upper'], *refunds['n'], *claim('refunds')])
    for s in satisfaction:
        rows.append(['NPS (latest answer)' if s['instrument'] == 'nps' else 'CSAT (latest answer)', 'points', s['window'], s['others'], s['estimate'], s['lower'], s['upper'], *s['n'], *claim(s['instrument'])])
    if rows:
        out_tables['quarter_end_outcomes'] = table(['outcome', 'unit', 'window', 'others', 'difference', 'lower', 'upper', 'window_n', 'others_n', 'p_value', 'q_value', 'passes'], rows, 'window_n', ('outcome', 'unit'))
    if model is not None:
        m = model
        hazard_row = lambda name, fit, adjusted_for, q: [name, fit['hazard_ratio'], fit['lower'], fit['upper'], fit['standard_error'], fit['p_value'], q, adjusted_for, m['bands'],  # noqa: E731
                                                         m['window']['customers'], m['window']['churned'], m['window']['months'], m['others']['customers'], m['others']['churned'], m['others']['months']]
        out_tables['quarter_end_hazard'] = table(
            ['model', 'hazard_ratio', 'lower', 'upper', 'log_hr_standard_error', 'p_value', 'q_value', 'adjusted_for', 'tenure_bands', 'window_customers', 'window_churned', 'window_months',
             'other_customers', 'other_churned', 'other_months'],
            [hazard_row('adjusted', m['adjusted'], m['adjusted_for'], claims['churn']['q']), hazard_row('unadjusted', m['unadjusted'], '', None)],
        )
    group = f"in the last {window_days} day{'' if window_days == 1 else 's'} of a {'' if fys == 1 else 'fiscal '}quarter"
    curves = [(group, window_curve), ('on other days', other_curve)]
    if any(points for _, points in curves):
        out_tables['quarter_end_survival'] = table(
            ['group', 'month', 'at_risk', 'churned', 'censored', 'survival', 'lower', 'upper'],
            [[g, p['month'] + 1, p['at_risk'], p['churned'], p['censored'], p['survival'], p['lower'], p['upper']] for g, points in curves for p in points], 'at_risk', ('group', 'month'),
        )
    if days is not None:
        out_tables['quarter_end_daily'] = table(['days_to_quarter_end', 'in_window', 'days', 'new_customers_per_day', 'revenue_per_day'], daily_profile(days, window_days, fys))
    if balance is not None:
        out_tables['quarter_end_balance'] = table(['item', 'value', 'unit'], balance_rows(balance, settings.currency))
    money = settings.thresholds['money']
    findings = [('quarter-end.intake' if s['measure'] == 'customers' else 'quarter-end.revenue') for s in sales if claims[('intake' if s['measure'] == 'customers' else 'revenue')]['passes']]
    findings += ['quarter-end.early_refunds'] if 'refunds' in claims and claims['refunds']['passes'] else []
    findings += [f"quarter-end.{s['instrument']}" for s in satisfaction if claims[s['instrument']]['passes']]
    findings += ['quarter-end.churn_hazard'] if 'churn' in claims and claims['churn']['passes'] else []
    if balance is not None and abs(balance['net']) >= money and (balance['upper'] < 0 or balance['lower'] > 0):
        findings.append('quarter-end.push_balance')
    return {'status': 'ok', 'window_days': window_days, 'findings': findings, 'tables': out_tables}
