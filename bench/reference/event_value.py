"""Each customer's net value event by event, and over a window of its own tenure.

As the analyses sum it in SQL (fit/history-join.ts, ideal-profile/equal-tenure.ts,
referrals/early-value.ts): a transaction adds its amount when a purchase or a
fee and takes it when a refund or a credit, less its cost of goods (none is
mapped here); an interaction takes its cost to serve, costed by the rule of
customer_facts (facts_common.interaction_cost_cents). Money in whole cents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from facts_common import interaction_cost_cents
from settings import Settings

SIGNS = {'purchase': 1, 'fee': 1, 'refund': -1, 'credit': -1}


def value_events(tables: dict[str, pd.DataFrame], settings: Settings) -> pd.DataFrame:
    """customer_id, at, cents (signed net value) and cost (the cost to serve of an interaction), one row per event."""
    parts = []
    tx = tables.get('transactions')
    if tx is not None and len(tx) > 0:
        sign = tx['kind'].map(SIGNS).fillna(0).astype(np.int64)
        parts.append(pd.DataFrame({'customer_id': tx['customer_id'].astype(str).to_numpy(), 'at': tx['at'].to_numpy(), 'cents': (sign * tx['cents']).to_numpy(), 'cost': 0}))
    ix = tables.get('interactions')
    if ix is not None and len(ix) > 0:
        cost = interaction_cost_cents(ix, settings)
        parts.append(pd.DataFrame({'customer_id': ix['customer_id'].astype(str).to_numpy(), 'at': ix['at'].to_numpy(), 'cents': (-cost).to_numpy(), 'cost': cost.to_numpy()}))
    if not parts:
        return pd.DataFrame({'customer_id': pd.Series(dtype=object), 'at': pd.Series(dtype='datetime64[ns]'), 'cents': pd.Series(dtype=np.int64), 'cost': pd.Series(dtype=np.int64)})
    return pd.concat(parts, ignore_index=True)


def window_value(events: pd.DataFrame, starts: pd.Series, days: int) -> pd.Series:
    """Net value (cents) of each customer's events from its start (`starts`, by customer id) to start + `days` days; 0 without events."""
    start = events['customer_id'].map(starts)
    inside = start.notna() & (events['at'] >= start) & (events['at'] < start + pd.Timedelta(days=days))
    summed = events.loc[inside].groupby('customer_id')['cents'].sum()
    return summed.reindex(starts.index, fill_value=0).astype(np.int64)
