"""Bad revenue from the reference's customer_facts and transactions frames, as src/analysis/bad-revenue/ defines it.

- Classes (dissatisfied-classes.ts), the first alerted on: detractors (latest
  NPS 0-6) where at least 10 customers answered NPS with both kinds among
  them; low CSAT (latest CSAT at most 40% of the scale's top, the top read
  from the largest latest CSAT as 5, 7, 10 or 100); customers who had churned
  by as_of where status changes exist, weighted by their months of exposure
  (exposure_days / 30.4375, customers with an exposure known).
- Revenue lines (revenue-lines.ts): each (kind, category) of fee and purchase
  transactions dated by as_of, what each customer paid in it; a line is
  compared with 30 paying customers of known class (first class) and 0.1% of
  its kind's revenue, two or more smaller lines of a kind pooled (summed per
  customer) into "other fees/purchases (k small lines pooled)".
- Each line's concentration ratio in each class (concentration.py), the
  first class's one-sided p-values screened by Benjamini-Hochberg at 5% over
  the compared lines, an alert when q passes and the lower bound is above
  the 1.2 threshold; the coverage per class with the share of all revenue
  (revenue + fees) the dissatisfied paid.

Variants differ in how each customer's payment per line is formed: idiomatic
with one groupby per line merged onto the customers, best with one pivot of
every line at once.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from concentration import concentration, share_of_revenue
from result_table import table
from settings import Settings
from stats import benjamini_hochberg

DAYS_PER_MONTH = 30.4375
MINIMUM_CLASS_CUSTOMERS = 10
MINIMUM_LINE_PAYERS = 30
MINIMUM_LINE_SHARE = 0.001
LOW_CSAT_SHARE = 0.4
LOW_CSAT_CUTS = (2, 4, 40)
KINDS = ('fee', 'purchase')


def scale_top(largest: float) -> float:
    return next((top for top in (5, 7, 10, 100) if largest <= top), math.ceil(largest))


def _number(x: float) -> str:
    """words.number(x, 0): grouped thousands, no decimals."""
    return f'{x:,.0f}'


def classes(facts: pd.DataFrame, has_status: bool, settings: Settings) -> list[dict]:
    """The classes the data support: key, label, definition, basis, and per customer whether it is known, dissatisfied, and its weight."""
    out = []
    enough = lambda known, low: known >= MINIMUM_CLASS_CUSTOMERS and (low is None or 0 < low < known)  # noqa: E731
    nps = facts['latest_nps']
    if enough(int(nps.notna().sum()), int((nps <= 6).sum())):
        out.append({'key': 'detractors', 'definition': 'detractors: latest NPS answer 0 to 6', 'basis': 'customers', 'known': nps.notna().to_numpy(), 'bad': (nps <= 6).to_numpy(), 'weight': None})
    csat = facts['latest_csat']
    top = scale_top(float(csat.max()) if csat.notna().any() else 0.0)
    cut = math.floor(LOW_CSAT_SHARE * top)
    low = int((csat <= cut).sum()) if cut in LOW_CSAT_CUTS else None
    if enough(int(csat.notna().sum()), low):
        out.append({
            'key': 'low_csat',
            'definition': f'low CSAT: latest CSAT answer {_number(cut)} or less (read as a scale up to {_number(top)} from the largest score given)',
            'basis': 'customers', 'known': csat.notna().to_numpy(), 'bad': (csat <= cut).to_numpy(), 'weight': None,
        })
    months = facts['exposure_days'] / DAYS_PER_MONTH
    churned = facts['churned'].astype(bool)
    if has_status and enough(int(months.notna().sum()), int((months.notna() & churned).sum())):
        out.append({
            'key': 'churned',
            'definition': f'churned: the customer had churned by {settings.as_of}; their share is of customer-months of exposure',
            'basis': 'customer-months', 'known': months.notna().to_numpy(), 'bad': churned.to_numpy(), 'weight': months.fillna(0.0).to_numpy(),
        })
    return out


def _line_payments(facts: pd.DataFrame, tx: pd.DataFrame, variant: str) -> tuple[list[tuple[str, object]], np.ndarray, np.ndarray]:
    """The lines (kind, category or None), each customer's payment per line in cents (customers × lines), and who paid in it (a row of the line)."""
    ids = pd.Index(facts['customer_id'])
    if variant == 'idiomatic':
        pairs = tx[['kind', 'category']].drop_duplicates()
        lines = [(k, None if pd.isna(c) else c) for k, c in zip(pairs['kind'], pairs['category'])]
        cents = np.zeros((len(ids), len(lines)), dtype=np.int64)
        paid = np.zeros((len(ids), len(lines)), dtype=bool)
        for j, (kind, cat) in enumerate(lines):
            of_line = tx[(tx['kind'] == kind) & (tx['category'].isna() if cat is None else tx['category'] == cat)]
            per = facts[['customer_id']].merge(of_line.groupby('customer_id')['cents'].agg(['sum', 'size']).reset_index(), on='customer_id', how='left')
            cents[:, j] = per['sum'].fillna(0).astype(np.int64).to_numpy()
            paid[:, j] = per['size'].notna().to_numpy()
        return lines, cents, paid
    # One pass: each transaction's line as one code (kind × category, a missing category its own), summed into customers × lines.
    kind_codes, kinds = pd.factorize(tx['kind'])
    category_codes, categories = pd.factorize(tx['category'])
    width = len(categories) + 1
    column, used = pd.factorize(kind_codes * width + category_codes + 1)
    lines = [(kinds[u // width], None if u % width == 0 else categories[u % width - 1]) for u in used]
    flat = ids.get_indexer(tx['customer_id']) * len(lines) + column
    size = len(ids) * len(lines)
    cents = np.bincount(flat, weights=tx['cents'].to_numpy(dtype=float), minlength=size).round().astype(np.int64).reshape(len(ids), len(lines))
    paid = (np.bincount(flat, minlength=size) > 0).reshape(len(ids), len(lines))
    return lines, cents, paid


def _plan(lines: list[tuple[str, object]], raw: list[dict], settings: Settings) -> tuple[list[dict], list[tuple[str, list]]]:
    """revenue-lines.ts planLines: the lines as reported, and the folds (kind, categories) of two or more small lines."""
    kind_revenue = {k: sum(r['revenue_cents'] for r in raw if r['kind'] == k) for k in KINDS}
    large = lambda r: r['classes'][0]['payers'] >= MINIMUM_LINE_PAYERS and r['revenue_cents'] >= MINIMUM_LINE_SHARE * kind_revenue[r['kind']]  # noqa: E731
    planned, folds = [], []
    for kind in KINDS:
        of_kind = sorted([r for r in raw if r['kind'] == kind], key=lambda r: (-r['revenue_cents'], str(r['category']) if r['category'] is not None else 'null'))
        small = [r for r in of_kind if not large(r)]
        pooled = len(small) >= 2
        if pooled:
            folds.append((kind, [r['category'] for r in small]))
        for r in of_kind:
            compared = large(r)
            planned.append({**r, 'key': f"{kind}:{r['category'] or ''}", 'label': line_label(settings, kind, r['category']),
                            'status': 'compared' if compared else 'folded' if pooled else 'too small', 'folded_into': None if compared or not pooled else f'{kind}:*'})
    return planned, folds


def line_label(settings: Settings, kind: str, category) -> str:
    if category is None:
        return 'fees without a category' if kind == 'fee' else 'purchases without a category'
    return settings.fee_labels.get(category, category) if kind == 'fee' else category


def _raw_line(kind: str, category, cents: np.ndarray, paid: np.ndarray, klasses: list[dict]) -> dict:
    """One line's totals and, per class, its concentration over the customers whose class is known."""
    y = cents / 100
    per_class = []
    for c in klasses:
        known = c['known']
        yk, dk = y[known], c['bad'][known]
        wk = np.ones(int(known.sum())) if c['weight'] is None else c['weight'][known]
        per_class.append({'payers': int(paid[known].sum()), 'y_cents': int(cents[known].sum()), 'dy_cents': int(cents[known & c['bad']].sum()), 'concentration': concentration(yk, dk, wk)})
    return {'kind': kind, 'category': category, 'payers': int(paid.sum()), 'revenue_cents': int(cents.sum()), 'classes': per_class}


def bad_revenue(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings, variant: str) -> dict:
    klasses = classes(facts, len(tables.get('status_changes', [])) > 0, settings)
    if not klasses:
        return {'status': 'skipped', 'reason': 'no way to tell dissatisfied customers'}
    tx = tables['transactions']
    tx = tx[tx['kind'].isin(KINDS) & (tx['at'] < settings.end)]
    lines, cents, paid = _line_payments(facts, tx, variant)
    raw = [_raw_line(kind, cat, cents[:, j], paid[:, j], klasses) for j, (kind, cat) in enumerate(lines)]
    planned, folds = _plan(lines, raw, settings)
    for kind, categories in folds:
        columns = [j for j, (k, c) in enumerate(lines) if k == kind and c in categories]
        pool = _raw_line(kind, None, cents[:, columns].sum(axis=1), paid[:, columns].any(axis=1), klasses)
        planned.append({**pool, 'key': f'{kind}:*', 'label': f"other {'fees' if kind == 'fee' else 'purchases'} ({len(categories)} small lines pooled)",
                        'status': 'compared' if pool['classes'][0]['payers'] >= MINIMUM_LINE_PAYERS else 'too small', 'folded_into': None})

    for line in planned:
        line['by_class'] = [c['concentration'] if line['status'] == 'compared' else None for c in line['classes']]
    tested = [line for line in planned if line['by_class'][0] is not None]
    for line, q in zip(tested, benjamini_hochberg([line['by_class'][0]['p_value'] for line in tested])):
        line['q'] = q
        passes = q <= settings.fdr
        line['alert'] = passes and line['by_class'][0]['lower'] > settings.thresholds['concentration_ratio']
        line['above_one'] = passes and not line['alert']
    labels = {line['key']: line['label'] for line in planned}

    def status(line: dict, index: int) -> str:
        if line['status'] == 'folded':
            return f"pooled into {labels.get(line['folded_into'], 'other')}"
        if line['status'] == 'too small':
            return 'too small to compare'
        if line['by_class'][index] is None:
            return 'not estimable (no dissatisfied payer, or too few customers to bound the ratio)'
        if index > 0:
            return 'shown, not screened'
        return 'alert' if line['alert'] else 'above its share, under the threshold' if line['above_one'] else 'not clearly above its share'

    columns = ['line', 'kind', 'key', 'class', 'status', 'revenue', 'payers', 'payers_known', 'revenue_known', 'revenue_coverage', 'dissatisfied_revenue', 'revenue_share', 'customer_share',
               'ratio', 'lower', 'upper', 'p_value', 'q_value', 'excess_revenue', 'excess_lower', 'excess_upper']
    out_tables = {}
    for i, c in enumerate(klasses):
        rows = []
        for line in planned:
            s = line['classes'][i]
            k = line['by_class'][i]
            known = s['y_cents'] / 100
            rows.append([
                line['label'], line['kind'], line['key'], c['key'], status(line, i), line['revenue_cents'] / 100, line['payers'], s['payers'], known,
                known / (line['revenue_cents'] / 100) if line['revenue_cents'] > 0 else None, s['dy_cents'] / 100, s['dy_cents'] / s['y_cents'] if s['y_cents'] > 0 else None,
                *(k and [k['customer_share'], k['ratio'], k['lower'], k['upper'], k['p_value']] or [None] * 5),
                line.get('q') if i == 0 else None, *(k and [k['excess']['estimate'], k['excess']['lower'], k['excess']['upper']] or [None] * 3),
            ])
        out_tables[f"bad_revenue_{c['key']}"] = table(columns, rows, 'payers_known', ('line', 'kind', 'key', 'class', 'status'))

    paid_cents = (facts['revenue'] + facts['fees']).to_numpy(dtype=np.int64)
    coverage = []
    for c in klasses:
        known = c['known']
        w = np.ones(len(known)) if c['weight'] is None else c['weight']
        share = share_of_revenue(paid_cents[known] / 100, c['bad'][known].astype(float))
        n_known = int(known.sum())
        coverage.append([
            c['key'], c['definition'], c['basis'], len(facts), n_known, n_known / len(facts) if len(facts) else None,
            float((w * c['bad'])[known].sum()) / float(w[known].sum()) if w[known].sum() > 0 else None,
            int(paid_cents.sum()) / 100, int(paid_cents[known].sum()) / 100, int(paid_cents[known].sum()) / int(paid_cents.sum()) if paid_cents.sum() > 0 else None,
            *(share and [share['estimate'], share['lower'], share['upper']] or [None] * 3),
        ])
    out_tables['bad_revenue_coverage'] = table(
        ['class', 'definition', 'basis', 'customers', 'known', 'known_share', 'dissatisfied_share', 'revenue', 'revenue_known', 'revenue_coverage', 'dissatisfied_revenue_share', 'lower', 'upper'],
        coverage, 'known', ('class', 'definition', 'basis'),
    )
    return {'status': 'ok', 'classes': [c['key'] for c in klasses], 'tables': out_tables}
