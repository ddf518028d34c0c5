"""Per-customer facts as an analyst typically writes them: one groupby per question,
each merged onto the customers in turn, money as floats (rounded to the cent at
the end), a day column of Python dates for distinct purchase days, and
`groupby().apply` with a small function for "the latest answer", the common
way to say it (one Python call per customer who answered).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from facts_common import CHANNELS, SURVEY_RATINGS, customer_columns, fee_columns, finish, interaction_cost_cents, suffix
from settings import Settings


def _merge(frame: pd.DataFrame, part: pd.DataFrame | pd.Series) -> pd.DataFrame:
    return frame.merge(part.reset_index(), on='customer_id', how='left')


def _nps_class(score: float):
    if pd.isna(score):
        return None
    if score >= 9:
        return 'promoter'
    if score >= 7:
        return 'passive'
    return 'detractor'


def _latest_scores(group: pd.DataFrame) -> pd.Series:
    """The latest NPS and CSAT answer of one customer (the highest when several share the latest instant)."""
    out = {}
    for column, name in [('Q1', 'latest_nps'), ('Q3', 'latest_csat')]:
        answered = group[group[column].notna()]
        out[name] = np.nan if answered.empty else answered.loc[answered['at'] == answered['at'].max(), column].max()
    return pd.Series(out)


def customer_facts(customers: pd.DataFrame, tables: dict[str, pd.DataFrame], settings: Settings) -> pd.DataFrame:
    df = customer_columns(customers, settings)
    end = settings.end

    tx = tables['transactions']
    tx = tx[tx['at'] < end].copy()
    tx['amount'] = tx['cents'] / 100
    for kind, name in [('purchase', 'revenue'), ('fee', 'fees'), ('refund', 'refunds'), ('credit', 'credits')]:
        df = _merge(df, tx[tx['kind'] == kind].groupby('customer_id')['amount'].sum().rename(name))
    df['cost_of_goods'] = 0.0
    for category, name in zip(settings.fees, fee_columns(settings)):
        df = _merge(df, tx[(tx['kind'] == 'fee') & (tx['category'] == category)].groupby('customer_id')['amount'].sum().rename(name))
    df = _merge(df, tx.groupby('customer_id').size().rename('transaction_count'))
    purchases = tx[tx['kind'] == 'purchase'].copy()
    purchases['day'] = purchases['at'].dt.date
    df = _merge(df, purchases.groupby('customer_id').agg(purchase_count=('at', 'count'), purchase_days=('day', 'nunique'), first_purchase_at=('at', 'min'), last_purchase_at=('at', 'max')))

    ix = tables['interactions']
    ix = ix[ix['at'] < end].copy()
    ix['cost'] = interaction_cost_cents(ix, settings) / 100
    df = _merge(df, ix.groupby('customer_id').size().rename('interaction_count'))
    for channel in CHANNELS:
        on = ix[ix['channel'] == channel]
        df = _merge(df, on.groupby('customer_id').size().rename(f'interactions_{suffix(channel)}'))
        df = _merge(df, on.groupby('customer_id')['cost'].sum().rename(f'cost_to_serve_{suffix(channel)}'))
    df = _merge(df, ix.groupby('customer_id')['handling_minutes'].sum(min_count=1).rename('handling_minutes'))
    df = _merge(df, ix.groupby('customer_id')['cost'].sum().rename('cost_to_serve'))
    df = _merge(df, ix[ix['resolved'] == False].groupby('customer_id').size().rename('unresolved_count'))  # noqa: E712 (NaN is not False)

    sv = tables['survey_responses']
    sv = sv[sv['at'] < end].copy()
    answers = sv[['Q1', *SURVEY_RATINGS, 'Q3']].notna().sum(axis=1) + sv['Q4_TEXT'].notna()
    keyed = sv[sv['response_id'].notna()].groupby('customer_id')['response_id'].nunique()
    unkeyed = answers[sv['response_id'].isna()].groupby(sv['customer_id']).sum()
    df = _merge(df, keyed.add(unkeyed, fill_value=0).rename('survey_responses'))
    df = _merge(df, sv.groupby('customer_id')['Q1'].mean().rename('mean_nps'))
    df = _merge(df, sv[sv['Q1'].notna()].groupby('customer_id')['at'].min().rename('first_nps_at'))
    df = _merge(df, sv.groupby('customer_id')['Q3'].mean().rename('mean_csat'))
    ratings = sv.melt(id_vars=['customer_id'], value_vars=SURVEY_RATINGS, value_name='rating').dropna(subset=['rating'])
    df = _merge(df, ratings.groupby('customer_id')['rating'].mean().rename('mean_rating'))
    df = _merge(df, sv[sv['Q4_TEXT'].notna()].groupby('customer_id').size().rename('comment_count'))
    df = _merge(df, sv.groupby('customer_id').apply(_latest_scores))
    df['nps_class'] = df['latest_nps'].apply(_nps_class)

    ev = tables['behaviour_events']
    ev = ev[ev['at'] < end]
    for key, event in settings.behaviours.items():
        df = _merge(df, ev[ev['behaviour'] == event].groupby('customer_id')['at'].min().rename(f'adopted_{key}_at'))

    rf = tables['referrals']
    rf = rf[(rf['at'].isna() | (rf['at'] < end)) & (rf['referrer_id'] != rf['referred_id'])]
    df = _merge(df, rf.groupby('referrer_id')['referred_id'].nunique().rename('referrals_made').rename_axis('customer_id'))
    df = _merge(df, rf.groupby('referred_id')['referrer_id'].min().rename('referred_by').rename_axis('customer_id'))

    st = tables['status_changes']
    st = st[st['at'] < end].copy()
    st['latest'] = st.groupby('customer_id')['at'].transform('max')
    st['first_churn'] = st['at'].where(st['status'] == 'churned').groupby(st['customer_id']).transform('min')
    now = st[st['at'] == st['latest']]
    # Churned when every change at the latest instant is a churn: a churn and a return together read as active.
    df = _merge(df, now.groupby('customer_id')['status'].agg(lambda s: (s == 'churned').all()).rename('churned'))
    df = _merge(df, st.groupby('customer_id')['at'].max().rename('churned_at'))
    st['returned'] = (st['status'] == 'reactivated') | ((st['status'] == 'active') & (st['at'] > st['first_churn']))
    df = _merge(df, st.groupby('customer_id')['returned'].sum().rename('reactivations'))

    money = ['revenue', 'fees', 'refunds', 'credits', 'cost_of_goods', 'cost_to_serve', *fee_columns(settings), *[f'cost_to_serve_{suffix(c)}' for c in CHANNELS]]
    for column in money:
        df[column] = (df[column].fillna(0) * 100).round().astype(np.int64)
    return finish(df, settings)
