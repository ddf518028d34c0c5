"""The referral figures from the reference's customer_facts frame, as src/analysis/referrals/ defines them.

A pair is a referred customer and its referrer (customer_facts.referred_by:
the smallest referrer id when several claim one customer). Computed here:
- the graph (customers, referrers, referrals made, customers referred, pairs
  whose referrer is a customer, referrers with such a pair) and the
  distribution of referrals made (0..9, "10 or more");
- by segment (every grouping of segment-groupings, levels under 5 or beyond
  the 25 largest pooled): share referring (Wilson), referrals per customer
  (t interval), the share against the other customers (Newcombe, pooled z),
  screened by Benjamini-Hochberg at 5% and 1 point;
- homophily per grouping (referral_mixing.py; attributes with over 25 values
  among referred customers not tested), screened the same way, and who
  brings whom (pairs by referrer value × referred value, row shares);
- value at equal tenure (referral_mixing.py) and referred customers against
  the others (referral_comparisons.py);
- what referrers bring (downstream-value.ts): per referrer with a pair, its
  own net value and that of the customers it brought; value brought per
  referrer (t interval) and the multiplier (Σ own + Σ brought)/Σ own as a
  ratio of totals over referrers (t interval), overall and by the referrer's
  segment; the 10 referrers who brought the most customers.

Variants: the regressions of the comparisons (fits_*); the rest is a few
groupbys over the customers and the pairs, the same in both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis_settings import AnalysisSettings
from event_value import value_events
from ratio_stats import mean_interval, money_ratio, triple
from referral_comparisons import comparisons
from referral_mixing import MAX_MIXING_LEVELS, assortativity, value_correlation
from result_table import table
from rule_groupings import groupings
from settings import Settings
from stats import benjamini_hochberg, newcombe, wilson

MADE_CAP = 10
MAX_LEVELS = 25
MAX_DISTINCT = 200
MINIMUM = 5


def _levels(sums: pd.DataFrame, count: str, order: list[str]) -> list[tuple[str, bool, pd.Series]]:
    """Levels largest first (ties by level), small ones and those beyond 25 pooled as "other values (k)", banded levels in their order."""
    ranked = sorted(sums.index, key=lambda level: (-sums.at[level, count], level))
    shown = [level for i, level in enumerate(ranked) if i < MAX_LEVELS and sums.at[level, count] >= MINIMUM]
    small = [level for level in ranked if level not in shown]
    if order:
        shown = sorted(shown, key=lambda level: order.index(level) if level in order else -1)
    out = [(level, False, sums.loc[level]) for level in shown]
    if small:
        out.append((f'other values ({len(small)})', True, sums.loc[small].sum()))
    return out


def _screen(rows: list[dict], settings: Settings) -> None:
    tested = [r for r in rows if r['difference'] is not None]
    for r, q in zip(tested, benjamini_hochberg([r['difference']['p_value'] for r in tested])):
        r['q'] = q
        r['passes'] = q <= settings.fdr and abs(100 * r['difference']['estimate']) >= settings.thresholds['percentage_points']


def _by_segment(facts: pd.DataFrame, found: list, settings: Settings) -> list[list]:
    made = facts['referrals_made'].astype(float)
    per = pd.DataFrame({'customers': 1, 'referrers': (made > 0).astype(int), 'referrals': made, 'squares': made * made}, index=facts.index)
    overall = per.sum()
    rows = []
    for g in found:
        sums = per.groupby(g.levels).sum()
        if len(sums) > MAX_DISTINCT:
            continue
        for level, pooled, s in _levels(sums, 'customers', g.order):
            rest = overall - s
            difference = None if pooled or rest['customers'] < 1 or s['customers'] < 1 else newcombe(int(s['referrers']), int(s['customers']), int(rest['referrers']), int(rest['customers']))
            rows.append({'key': g.key, 'level': level, 'pooled': pooled, 's': s, 'difference': difference})
    _screen(rows, settings)
    out = []
    for r in rows:
        s, d = r['s'], r['difference']
        share = wilson(int(s['referrers']), int(s['customers'])) if s['customers'] > 0 else None
        per_customer = mean_interval(int(s['customers']), float(s['referrals']), float(s['squares']))
        out.append([
            r['key'], r['level'], r['pooled'], int(s['customers']), int(s['referrers']), *triple(share), int(s['referrals']), *triple(per_customer),
            *(d and [100 * d['estimate'], 100 * d['lower'], 100 * d['upper']] or [None] * 3), r.get('q'), r.get('passes', False),
        ])
    return out


def _pairs(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per referred customer whose referrer is a customer: the referred row's position and the referrer's."""
    position = pd.Series(np.arange(len(facts)), index=facts['customer_id'].astype(str).to_numpy())
    referred = np.nonzero(facts['referred_by'].notna().to_numpy())[0]
    by = facts['referred_by'].to_numpy()[referred].astype(str)
    referrer = position.reindex(by).to_numpy()
    keep = ~np.isnan(referrer)
    return pd.DataFrame({'referred': referred[keep], 'referrer': referrer[keep].astype(np.int64), 'referrer_id': by[keep]})


def _homophily(facts: pd.DataFrame, found: list, pairs: pd.DataFrame, settings: Settings) -> tuple[list[dict], list[list]]:
    mixings = []
    is_referred = facts['referred_by'].notna().to_numpy()
    for g in found:
        levels = g.levels.to_numpy()
        referred = levels[pairs['referred'].to_numpy()]
        # The referred customers' values, whether or not their referrer is a customer (attribute-mixing.ts).
        counts = pd.Series(levels[is_referred]).value_counts()
        if len(counts) > MAX_MIXING_LEVELS:
            continue
        referred_levels = sorted(counts.index, key=lambda v: (-counts[v], v))
        referrer = levels[pairs['referrer'].to_numpy()]
        matrix = pd.crosstab(pd.Series(referrer, name='i'), pd.Series(referred, name='j')).reindex(columns=referred_levels, fill_value=0)
        sizes = matrix.sum(axis=1)
        rows = sorted(matrix.index, key=lambda v: (-sizes[v], v))
        result = None if len(referred_levels) < 2 or len(rows) < 2 else assortativity(referrer, referred, pairs['referrer_id'].to_numpy())
        mixings.append({'key': g.key, 'levels': referred_levels, 'matrix': matrix.loc[rows], 'referrers': pd.Series(pairs['referrer_id'].to_numpy()).groupby(referrer).nunique(), 'result': result, 'difference': None if result is None else result['difference']})
    _screen(mixings, settings)
    homophily, who = [], []
    for m in mixings:
        r = m['result']
        homophily.append([
            m['key'], int(m['matrix'].to_numpy().sum()), int(m['referrers'].sum()), len(m['levels']),
            *(r and [r['same']['estimate'], r['same']['lower'], r['same']['upper'], r['chance'], 100 * r['difference']['estimate'], 100 * r['difference']['lower'], 100 * r['difference']['upper'],
                     r['coefficient']['estimate'], r['coefficient']['lower'], r['coefficient']['upper'], r['difference']['p_value']] or [None] * 11),
            m.get('q'), m.get('passes', False),
        ])
        for level, row in m['matrix'].iterrows():
            total = int(row.sum())
            for referred_level in m['levels']:
                who.append([m['key'], level, referred_level, int(row[referred_level]), int(row[referred_level]) / total if total > 0 else None])
    return homophily, who


def _downstream(facts: pd.DataFrame, pairs: pd.DataFrame, found: list) -> tuple[dict, list[list], list[list]]:
    net = facts['net_value'].to_numpy(dtype=np.int64)
    brought = pairs.assign(v=net[pairs['referred'].to_numpy()]).groupby('referrer').agg(n=('v', 'size'), b=('v', 'sum'))
    own = net[brought.index.to_numpy()]
    per = pd.DataFrame({'referrers': 1, 'pairs': brought['n'].to_numpy(), 'own': own, 'brought': brought['b'].to_numpy()}, index=brought.index)
    o, b = per['own'] / 100, per['brought'] / 100
    per = per.assign(own_squares=o * o, brought_squares=b * b, cross=o * b)

    def figures(s: pd.Series) -> dict:
        n = int(s['referrers'])
        own_, brought_ = s['own'] / 100, s['brought'] / 100
        multiplier = money_ratio((n, own_ + brought_, own_, s['own_squares'] + 2 * s['cross'] + s['brought_squares'], s['own_squares'], s['own_squares'] + s['cross'])) if own_ > 0 else None
        return {'referrers': n, 'pairs': int(s['pairs']), 'own': own_, 'brought': brought_, 'brought_per_referrer': mean_interval(n, brought_, float(s['brought_squares'])), 'multiplier': multiplier}

    overall = figures(per.sum())
    rows = []
    for g in found:
        sums = per.groupby(g.levels.to_numpy()[per.index.to_numpy()]).sum()
        if len(sums) > MAX_DISTINCT:
            continue
        for level, pooled, s in _levels(sums, 'referrers', g.order):
            f = figures(s)
            rows.append([g.key, level, pooled, f['referrers'], f['pairs'], f['own'], f['brought'], *triple(f['brought_per_referrer']), *triple(f['multiplier'])])
    ids = facts['customer_id'].astype(str).to_numpy()
    top = per.assign(id=ids[per.index.to_numpy()]).sort_values(['pairs', 'brought', 'id'], ascending=[False, False, True]).head(10)
    top_rows = [[r['id'], int(r['pairs']), r['own'] / 100, r['brought'] / 100] for _, r in top.iterrows()]
    return overall, rows, top_rows


def referrals(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings, extras: AnalysisSettings, variant: str) -> dict:
    if len(tables.get('referrals', [])) == 0:
        return {'status': 'skipped', 'reason': 'no referrals'}
    made = facts['referrals_made']
    pairs = _pairs(facts)
    found = groupings(facts, settings)
    graph = [
        ['customers', len(facts)],
        ['referrers (referred at least one customer)', int((made > 0).sum())],
        ['referrals made', int(made.sum())],
        ['customers acquired by referral', int(facts['is_referred'].sum())],
        ['pairs whose referrer is in scope', len(pairs)],
        ['referrers with a referred customer in the store', int(pairs['referrer'].nunique())],
    ]
    bins = np.minimum(made.to_numpy(), MADE_CAP)
    distribution = [[f'{MADE_CAP} or more' if k == MADE_CAP else str(k), int((bins == k).sum()), int((bins == k).sum()) / len(facts)] for k in range(int(bins.max()) + 1)] if len(facts) else []
    homophily, who = _homophily(facts, found, pairs, settings) if len(pairs) else ([], [])
    with_value = len(tables.get('transactions', [])) > 0
    value = value_correlation(facts, value_events(tables, settings), settings.end) if len(pairs) and with_value else None
    correlation_rows = []
    if value is not None:
        for method in ('spearman', 'pearson'):
            c = value[method]
            if c is not None:
                correlation_rows.append([method, value['days'], c['pairs'], c['clusters'], c['estimate'], c['lower'], c['upper'], c['p_value']])
    table_rows = {k: len(v) for k, v in tables.items()}
    downstream, downstream_rows, top_rows = _downstream(facts, pairs, found) if len(pairs) and with_value else (None, [], [])
    compared = comparisons(facts, table_rows, settings, extras, variant)
    compared_columns = ['comparison', 'measure', 'unit', 'group_customers', 'group_level', 'group_lower', 'group_upper', 'other_customers', 'other_level', 'other_lower', 'other_upper',
                        'raw_difference', 'raw_lower', 'raw_upper', 'raw_p_value', 'adjusted', 'adjusted_lower', 'adjusted_upper', 'adjusted_p_value', 'adjusted_for']
    keys = ('comparison', 'measure', 'unit')
    return {
        'status': 'ok',
        'downstream': downstream,
        'tables': {
            'referral_graph': table(['measure', 'count'], graph),
            'referrals_made_distribution': table(['referrals_made', 'customers', 'share'], distribution, 'customers', ('referrals_made',)),
            'referrals_by_segment': table(
                ['grouping', 'level', 'pooled', 'customers', 'referrers', 'share_referring', 'share_lower', 'share_upper', 'referrals', 'per_customer', 'per_customer_lower', 'per_customer_upper',
                 'difference', 'difference_lower', 'difference_upper', 'q_value', 'passes'],
                _by_segment(facts, found, settings),
                'customers',
                ('grouping', 'level', 'pooled'),
            ),
            'referral_homophily': table(
                ['attribute', 'pairs', 'referrers', 'values', 'same_share', 'same_lower', 'same_upper', 'chance_share', 'difference', 'difference_lower', 'difference_upper', 'coefficient',
                 'coefficient_lower', 'coefficient_upper', 'p_value', 'q_value', 'passes'],
                homophily,
                'pairs',
                ('attribute', 'values'),
            ),
            'who_brings_whom': table(['attribute', 'referrer_value', 'referred_value', 'pairs', 'row_share'], who, 'pairs', ('attribute', 'referrer_value', 'referred_value')),
            'referral_value_correlation': table(['method', 'days', 'pairs', 'referrers', 'correlation', 'lower', 'upper', 'p_value'], correlation_rows),
            'referred_vs_others': table(compared_columns, table(compared_columns, compared, 'group_customers', keys)['rows'], 'other_customers', keys),
            'referral_value_by_segment': table(
                ['grouping', 'level', 'pooled', 'referrers', 'customers_brought', 'own_net_value', 'brought_net_value', 'brought_per_referrer', 'brought_lower', 'brought_upper',
                 'multiplier', 'multiplier_lower', 'multiplier_upper'],
                downstream_rows,
                'referrers',
                ('grouping', 'level', 'pooled'),
            ),
            'top_referrers': table(['customer_id', 'customers_brought', 'own_net_value', 'brought_net_value'], top_rows),
        },
    }
