"""Per-customer facts, the best documented way: each table aggregated once with vectorised
groupby/agg (named aggregations), "latest" rows found by one sort instead of a
function per group, the parts joined onto the customers in one go.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from facts_common import CHANNELS, SURVEY_RATINGS, customer_columns, fee_columns, finish, interaction_cost_cents, suffix
from settings import Settings


def _dated(table: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    return table[table['at'] < settings.end]


def transactions_part(tx: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    tx = _dated(tx, settings)
    kind = tx['kind']
    cents = tx['cents']
    columns = {
        'revenue': cents.where(kind == 'purchase', 0),
        'fees': cents.where(kind == 'fee', 0),
        'refunds': cents.where(kind == 'refund', 0),
        'credits': cents.where(kind == 'credit', 0),
        'cost_of_goods': pd.Series(0, index=tx.index),
        'purchase': (kind == 'purchase').astype(np.int64),
    }
    for category, name in zip(settings.fees, fee_columns(settings)):
        columns[name] = cents.where((kind == 'fee') & (tx['category'] == category), 0)
    wide = pd.DataFrame(columns)
    wide['customer_id'] = tx['customer_id']
    sums = wide.groupby('customer_id').sum()
    sums = sums.rename(columns={'purchase': 'purchase_count'})
    sums['transaction_count'] = tx.groupby('customer_id').size()
    purchases = tx[kind == 'purchase']
    dates = purchases.groupby('customer_id')['at'].agg(first_purchase_at='min', last_purchase_at='max')
    dates['purchase_days'] = purchases.assign(day=purchases['at'].dt.normalize()).groupby('customer_id')['day'].nunique()
    return sums.join(dates)


def interactions_part(ix: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    ix = _dated(ix, settings)
    cost = interaction_cost_cents(ix, settings)
    columns = {'interaction_count': pd.Series(1, index=ix.index), 'handling_minutes': ix['handling_minutes'], 'cost_to_serve': cost, 'unresolved_count': (ix['resolved'] == False).astype(np.int64)}  # noqa: E712 (NaN is not False)
    for channel in CHANNELS:
        on = ix['channel'] == channel
        columns[f'interactions_{suffix(channel)}'] = on.astype(np.int64)
        columns[f'cost_to_serve_{suffix(channel)}'] = cost.where(on, 0)
    wide = pd.DataFrame(columns)
    wide['customer_id'] = ix['customer_id']
    # min_count=1: a customer whose interactions have no minutes has NULL, not 0, until the final fill.
    return wide.groupby('customer_id').sum(min_count=1)


def _latest(answers: pd.DataFrame, column: str) -> pd.Series:
    """The score at the latest instant per customer; the highest when several share it."""
    scored = answers.loc[answers[column].notna(), ['customer_id', 'at', column]]
    last = scored.sort_values(['customer_id', 'at', column]).drop_duplicates('customer_id', keep='last')
    return last.set_index('customer_id')[column]


def survey_part(sv: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    sv = _dated(sv, settings)
    ratings = sv[SURVEY_RATINGS]
    answers = sv[['Q1', *SURVEY_RATINGS, 'Q3']].notna().sum(axis=1) + sv['Q4_TEXT'].notna()
    keyed = sv.assign(
        rating_sum=ratings.sum(axis=1, min_count=1),
        rating_n=ratings.notna().sum(axis=1),
        comment=sv['Q4_TEXT'].notna().astype(np.int64),
        unkeyed=answers.where(sv['response_id'].isna(), 0),
        nps_at=sv['at'].where(sv['Q1'].notna()),
    )
    g = keyed.groupby('customer_id')
    out = g.agg(
        ids=('response_id', 'nunique'),
        unkeyed=('unkeyed', 'sum'),
        mean_nps=('Q1', 'mean'),
        first_nps_at=('nps_at', 'min'),
        mean_csat=('Q3', 'mean'),
        rating_sum=('rating_sum', 'sum'),
        rating_n=('rating_n', 'sum'),
        comment_count=('comment', 'sum'),
    )
    out['survey_responses'] = out.pop('ids') + out.pop('unkeyed')
    out['mean_rating'] = (out.pop('rating_sum') / out['rating_n']).where(out.pop('rating_n') > 0)
    out['latest_nps'] = _latest(sv, 'Q1')
    out['latest_csat'] = _latest(sv, 'Q3')
    nps = out['latest_nps']
    out['nps_class'] = np.select([nps >= 9, nps >= 7, nps.notna()], ['promoter', 'passive', 'detractor'], default=None)
    out['nps_class'] = out['nps_class'].where(nps.notna())
    return out


def behaviours_part(ev: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    ev = _dated(ev, settings)
    wanted = ev[ev['behaviour'].isin(settings.behaviours.values())]
    first = wanted.groupby(['customer_id', 'behaviour'])['at'].min().unstack()
    return pd.DataFrame({f'adopted_{key}_at': first[event] if event in first else pd.Series(dtype='datetime64[ns]') for key, event in settings.behaviours.items()})


def referrals_parts(rf: pd.DataFrame, settings: Settings) -> tuple[pd.Series, pd.Series]:
    counted = rf[(rf['at'].isna() | (rf['at'] < settings.end)) & (rf['referrer_id'] != rf['referred_id'])]
    made = counted.groupby('referrer_id')['referred_id'].nunique().rename('referrals_made')
    # The smallest referrer id as text: one sort (groupby().min() on text loops in Python per group).
    first = counted.sort_values(['referred_id', 'referrer_id']).drop_duplicates('referred_id')
    by = pd.Series(first['referrer_id'].to_numpy(), index=pd.Index(first['referred_id'].to_numpy(), name='customer_id'), name='referred_by')
    return made, by


def status_part(st: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    st = _dated(st, settings)
    latest = st.groupby('customer_id')['at'].transform('max')
    first_churn = st['at'].where(st['status'] == 'churned').groupby(st['customer_id']).transform('min')
    at_latest = st[st['at'] == latest]
    # Churned only when every change at the latest instant is a churn (a churn and a return together read as active).
    churned = (at_latest['status'] == 'churned').groupby(at_latest['customer_id']).all()
    returns = (st['status'] == 'reactivated') | ((st['status'] == 'active') & (st['at'] > first_churn))
    out = pd.DataFrame({'churned': churned, 'churned_at': st.groupby('customer_id')['at'].max()})
    out['reactivations'] = returns.groupby(st['customer_id']).sum()
    return out


def customer_facts(customers: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings) -> pd.DataFrame:
    made, by = referrals_parts(tables['referrals'], settings)
    parts = [
        transactions_part(tables['transactions'], settings),
        interactions_part(tables['interactions'], settings),
        survey_part(tables['survey_responses'], settings),
        behaviours_part(tables['behaviour_events'], settings),
        made,
        by,
        status_part(tables['status_changes'], settings),
    ]
    base = customer_columns(customers, settings).set_index('customer_id', drop=False)
    # One join of every part (all indexed by customer id) onto the customers.
    frame = base.join(parts, how='left')
    return finish(frame, settings)
