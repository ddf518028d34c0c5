"""What both variants of the per-customer facts share: the column list, the customer columns, and the finishing formulas.

Definitions are cxray's (src/facts/*.ts, catalogue in src/facts/fixed-columns.ts):
rows count when `at < as_of + 1 day`; money is summed exactly (here in whole
cents); a customer without rows of a table gets 0 for counts and money and
NULL for what cannot be known (first purchase, latest NPS, ...).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from settings import ATTRIBUTES, Settings, snake_case

CHANNELS = ['phone', 'email', 'chat', 'walk-in', 'web', 'other']
MONEY = ['revenue', 'fees', 'refunds', 'credits', 'cost_of_goods', 'net_revenue', 'cost_to_serve', 'net_value']
SURVEY_RATINGS = [f'Q2_{k}' for k in range(1, 9)]


def suffix(channel: str) -> str:
    return snake_case(channel)


def fee_columns(settings: Settings) -> list[str]:
    return [f'fee_{snake_case(c)}' for c in settings.fees]


def money_columns(settings: Settings) -> list[str]:
    return MONEY + fee_columns(settings) + [f'cost_to_serve_{suffix(c)}' for c in CHANNELS]


def column_order(settings: Settings) -> list[str]:
    behaviours = [name for key in settings.behaviours for name in (f'adopted_{key}', f'adopted_{key}_at')]
    return (
        ['customer_id', *ATTRIBUTES, 'signup_at', 'tenure_days', 'exposure_days', 'cohort_month', 'cohort_quarter']
        + ['revenue', 'fees', 'refunds', 'credits', 'cost_of_goods', 'net_revenue', *fee_columns(settings)]
        + ['transaction_count', 'purchase_count', 'purchase_days', 'first_purchase_at', 'last_purchase_at', 'frequency', 'recency_days', 'age_days']
        + ['interaction_count', *[f'interactions_{suffix(c)}' for c in CHANNELS], 'handling_minutes']
        + ['cost_to_serve', *[f'cost_to_serve_{suffix(c)}' for c in CHANNELS], 'unresolved_count', 'net_value']
        + ['survey_responses', 'latest_nps', 'mean_nps', 'nps_class', 'first_nps_at', 'latest_csat', 'mean_csat', 'latest_ces', 'mean_rating', 'comment_count']
        + behaviours
        + ['behaviour_count', 'referrals_made', 'referred_by', 'is_referred', 'churned', 'churned_at', 'status', 'reactivations']
    )


COUNTS = ['transaction_count', 'purchase_count', 'purchase_days', 'interaction_count', 'unresolved_count', 'survey_responses', 'comment_count', 'referrals_made', 'reactivations']


def _rate(rates: dict[str, float], channel: str) -> float | None:
    """cxray's rateFor: the channel as written, as a column suffix, else `default`."""
    for key in (channel, suffix(channel), 'default'):
        if key in rates:
            return float(rates[key])
    return None


def interaction_cost_cents(interactions: pd.DataFrame, settings: Settings) -> pd.Series:
    """Cost of each interaction: minutes x the per-minute rate, else the flat rate, else 0 (no cost column is mapped)."""
    cost = pd.Series(0, index=interactions.index, dtype=np.int64)
    for channel in CHANNELS:
        on = interactions['channel'] == channel
        per_minute = _rate(settings.handling_cost_per_minute, channel)
        flat = _rate(settings.handling_cost, channel)
        minutes = interactions['handling_minutes']
        value = pd.Series(0.0, index=interactions.index)
        if flat is not None:
            value[:] = flat
        if per_minute is not None:
            value = (minutes * per_minute).where(minutes.notna(), value)
        cost = cost.mask(on, np.round(value * 100).astype(np.int64))
    return cost


def customer_columns(customers: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """customer_id, attributes, signup_at, tenure_days, cohort_month, cohort_quarter."""
    out = customers[['customer_id', *ATTRIBUTES, 'signup_at']].copy()
    signup = out['signup_at']
    day = signup.dt.normalize()
    out['tenure_days'] = (settings.start - day).dt.days.astype('Int64')
    month = signup.dt.to_period('M').dt.start_time
    out['cohort_month'] = month
    shift = (signup.dt.month - settings.fiscal_year_start_month) % 3
    out['cohort_quarter'] = (signup.dt.to_period('M') - shift.fillna(0).astype(int)).dt.start_time.where(signup.notna())
    return out


def finish(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Zeros where a zero is the truth, the derived columns, and cxray's column order. Money comes in whole cents."""
    for column in money_columns(settings):
        if column not in ('net_revenue', 'net_value'):
            frame[column] = frame[column].fillna(0).astype(np.int64)
    counts = COUNTS + [f'interactions_{suffix(c)}' for c in CHANNELS]
    for column in counts:
        frame[column] = frame[column].fillna(0).astype(np.int64)
    frame['handling_minutes'] = frame['handling_minutes'].fillna(0.0).astype(float)
    frame['net_revenue'] = frame['revenue'] + frame['fees'] - frame['refunds'] - frame['credits'] - frame['cost_of_goods']
    frame['net_value'] = frame['net_revenue'] - frame['cost_to_serve']
    bought = frame['purchase_days'] > 0
    frame['frequency'] = (frame['purchase_days'] - 1).where(bought).astype('Int64')
    first_day = frame['first_purchase_at'].dt.normalize()
    frame['recency_days'] = (frame['last_purchase_at'].dt.normalize() - first_day).dt.days.astype('Int64')
    frame['age_days'] = (settings.start - first_day).dt.days.astype('Int64')
    flags = [f'adopted_{key}' for key in settings.behaviours]
    for key in settings.behaviours:
        frame[f'adopted_{key}'] = frame[f'adopted_{key}_at'].notna()
    frame['behaviour_count'] = frame[flags].sum(axis=1).astype(np.int64) if flags else 0
    frame['is_referred'] = frame['referred_by'].notna()
    frame['churned'] = frame['churned'].fillna(False).astype(bool)
    frame['churned_at'] = frame['churned_at'].where(frame['churned'])
    frame['status'] = np.where(frame['churned'], 'churned', 'active')
    # Days observed: signup (else first purchase) to churn, else to the end of as_of; at least one day.
    start = frame['signup_at'].fillna(frame['first_purchase_at'])
    end = frame['churned_at'].where(frame['churned'], settings.end)
    seconds = (end - start).dt.total_seconds()
    frame['exposure_days'] = (seconds / 86400.0).where(seconds >= 86400, 1.0).where(start.notna())
    frame['latest_ces'] = np.nan
    return frame[column_order(settings)].reset_index(drop=True)
