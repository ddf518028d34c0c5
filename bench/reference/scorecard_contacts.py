"""The scorecard's touchpoints from the reference's frames, as src/analysis/scorecard/contact-touchpoints.ts and behaviour-touchpoints.ts define them.

Contacts of the customers in scope dated before the end of as_of (the
caller cuts them): every contact, each channel, and each experience
area's contact reasons (`interaction_reasons`), each with
- resolution (the share of contacts with a known outcome resolved) and
  satisfaction with the contact (0..1 as imported), on 0-100, each a mean
  clustered by bootstrap block (customer_blocks.py) with its trend per
  quarter when its contacts span two quarters;
- contacts per 100 customer-months: the touchpoint's contacts of customers
  with an exposure over every customer's months (exposure_days / 30.4375),
  the blocks of every customer in scope the units, the lower bound at 0.
Behaviours an area lists (`behaviours`, declared in cxray.yaml and with an
adopted_<key> column): the share of customers who adopted it, Wilson.

Variants: best sums each touchpoint's blocks with np.bincount over the rows'
block numbers; idiomatic groups each channel's rows by block with pandas
(customer_blocks.grouped_measure_sums).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_blocks import BLOCKS, added, clustered_mean, day_index, empty_sums, grouped_measure_sums, measure_range, measure_sums, trend_of
from settings import Settings
from stats import wilson

DAYS_PER_MONTH = 30.4375
MEASURES = (('resolution', 'resolved'), ('interaction_satisfaction', 'satisfaction'))


def _gather(rows: pd.DataFrame, variant: str) -> dict:
    """A touchpoint's per-block sums: each measure's parts, its contacts and its contacts of customers with an exposure."""
    if variant == 'idiomatic':
        sums = {measure: grouped_measure_sums(rows, column) for measure, column in MEASURES}
        counts = rows.groupby('block').agg(contacts=('block', 'size'), exposed=('exposed', 'sum')).reindex(range(BLOCKS), fill_value=0)
        return {**sums, 'contacts': counts['contacts'].to_numpy(dtype=float), 'exposed': counts['exposed'].to_numpy(dtype=float)}
    block = rows['block'].to_numpy()
    day = rows['day'].to_numpy()
    sums = {measure: measure_sums(block, rows[column].to_numpy(dtype=float), day) for measure, column in MEASURES}
    return {
        **sums,
        'contacts': np.bincount(block, minlength=BLOCKS).astype(float),
        'exposed': np.bincount(block, weights=rows['exposed'].to_numpy(dtype=float), minlength=BLOCKS),
    }


def _plus(a: dict, b: dict) -> dict:
    return {k: added(a[k], b[k]) if isinstance(a[k], dict) else a[k] + b[k] for k in a}


def _nothing() -> dict:
    return {'resolution': empty_sums(), 'interaction_satisfaction': empty_sums(), 'contacts': np.zeros(BLOCKS), 'exposed': np.zeros(BLOCKS)}


def contact_touchpoints(ix: pd.DataFrame, facts: pd.DataFrame, specs: dict[str, dict], block_of, settings: Settings, variant: str) -> list[dict]:
    """[{kind, key, label, contacts, values: [{measure, value, lower, upper, n, clusters, trend}]}] in cxray's order: all, channels, areas."""
    if len(ix) == 0:
        return []
    exposed_ids = facts.loc[facts['exposure_days'].notna(), 'customer_id']
    rows = ix.assign(
        block=block_of(ix['customer_id']),
        day=day_index(ix['at'], settings.start),
        resolved=ix['resolved'].map({True: 1.0, False: 0.0}).astype(float),
        exposed=ix['customer_id'].isin(exposed_ids).astype(float),
    )
    gathered: dict[str, tuple[str, str, dict]] = {'all': ('all', 'all contacts', _nothing())}
    for channel in sorted(rows['channel'].unique()):
        sums = _gather(rows[rows['channel'] == channel], variant)
        gathered['all'] = ('all', 'all contacts', _plus(gathered['all'][2], sums))
        gathered[channel] = ('channel', f'{channel} contacts', sums)
    for key, spec in specs.items():
        reasons = list(spec.get('interaction_reasons') or [])
        if not reasons:
            continue
        label = spec.get('label')
        label = key.replace('_', ' ') if label is None else label
        gathered[key] = ('area', f'contacts about {label.lower()}', _gather(rows[rows['reason'].isin(reasons)], variant))

    # Exposure per block over every customer in scope: the contact rate's denominator.
    months = facts['exposure_days'].to_numpy(dtype=float) / DAYS_PER_MONTH
    customer_block = block_of(facts['customer_id'])
    exposure_months = np.bincount(customer_block, weights=np.nan_to_num(months), minlength=BLOCKS)
    exposed_customers = int(np.sum(~np.isnan(months)))

    out = []
    for key, (kind, label, sums) in gathered.items():
        values = []
        for measure, _ in MEASURES:
            s = sums[measure]
            mean = clustered_mean(s['m'], s['y'])
            span = measure_range(s)
            if mean is None or span is None:
                continue
            values.append({'measure': measure, 'value': 100 * mean['estimate'], 'lower': 100 * mean['lower'], 'upper': 100 * mean['upper'], 'n': int(mean['n']), 'clusters': mean['clusters'], 'trend': trend_of(s, span['last_day'] - span['first_day'], 100.0)})
        contacts = int(sums['contacts'].sum())
        if exposed_customers > 0 and contacts > 0:
            # Blocks without months (no customer, or none with an exposure) hold no observation, as cxray's rate blocks do not.
            rate = clustered_mean(exposure_months, sums['exposed'])
            if rate is not None:
                values.append({'measure': 'contact_rate', 'value': 100 * rate['estimate'], 'lower': max(0.0, 100 * rate['lower']), 'upper': 100 * rate['upper'], 'n': exposed_customers, 'clusters': rate['clusters'], 'trend': None})
        if contacts > 0 or kind == 'area':
            out.append({'kind': kind, 'key': key, 'label': label, 'contacts': contacts, 'values': values})
    return out


def behaviour_touchpoints(facts: pd.DataFrame, specs: dict[str, dict], settings: Settings) -> tuple[list[dict], list[str]]:
    """Adoption of each behaviour an area lists among the customers in scope (Wilson, one customer one observation); the unknown ones."""
    listed, unknown = [], []
    for area, spec in specs.items():
        for key in spec.get('behaviours') or []:
            if key in settings.behaviours and f'adopted_{key}' in facts.columns:
                listed.append({'area': area, 'key': key, 'label': settings.behaviour_labels.get(key, key.replace('_', ' '))})
            else:
                unknown.append(key)
    customers = len(facts)
    if not listed or customers == 0:
        return [], unknown
    out = []
    for b in listed:
        adopters = int(facts[f'adopted_{b["key"]}'].astype(bool).sum())
        share = wilson(adopters, customers)
        out.append({**b, 'adopters': adopters, 'customers': customers, 'adoption': 100 * share['estimate'], 'lower': 100 * share['lower'], 'upper': 100 * share['upper']})
    return out, unknown
