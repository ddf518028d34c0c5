"""The observations a change's measures are fitted on (changes/change-measures.ts), from the reference's frames.

Periods k = 0, 1 (the before window's halves) and 2 (the after window):
- NPS and CSAT: each answer dated in a period (score known), of a customer
  of either group: NPS scored +100 (9-10), 0 (7-8), −100 (0-6); CSAT as
  answered. One observation per answer.
- Customer-periods, for the customers with a start (signup, else first
  purchase), in a period while a customer (start to churn, else to the end
  of as_of): n = the months in it (days / 30.4375); churn: 1 when the
  customer churned in it (after its start, up to its end); net revenue:
  purchases and fees less refunds and credits dated in it; adoption of a
  behaviour declared by an event: n = 1, 1 when adopted before its end.
A long frame per measure: customer, group, period, n, y (answers: n = 1).

Variants: idiomatic builds the customer-periods as one frame per period,
concatenated, and sums the money with a groupby on (customer, period); best
takes them from the nonzero cells of the customers x periods arrays and sums
the money with np.bincount over customer x period codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from change_windows import empty

DAYS_PER_MONTH = 30.4375
SECONDS_PER_MONTH = 86_400 * DAYS_PER_MONTH
SIGN = {'purchase': 1.0, 'fee': 1.0, 'refund': -1.0, 'credit': -1.0}


def seconds(at: pd.Series) -> np.ndarray:
    """Epoch seconds of naive UTC timestamps (NaN where missing), from whole microseconds as DuckDB's epoch() gives them."""
    values = at.astype('datetime64[ns]')
    out = (values.to_numpy().astype('int64') // 1000) / 1e6
    return np.where(values.isna().to_numpy(), np.nan, out)


def period_of(at: np.ndarray, spans: list[tuple[float, float]]) -> np.ndarray:
    """The period of each instant (−1 outside every non-empty span)."""
    k = np.full(len(at), -1)
    for i, span in enumerate(spans):
        if not empty(span):
            k[(at >= span[0]) & (at < span[1])] = i
    return k


def answers(survey: pd.DataFrame, column: str, customer: pd.Series, group: pd.Series, spans: list[tuple[float, float]] | None, end: float | None = None) -> pd.DataFrame:
    """One row per answer of `column` (Q1 NPS, Q3 CSAT) of the customers in `customer` (id -> row code): customer, group, period, n = 1, y.
    spans None: every answer dated before `end` (the end of as_of), period 0 (an experiment)."""
    sv = survey[survey[column].notna() & survey['customer_id'].isin(customer.index)]
    at = seconds(sv['at'])
    k = np.where(at < end, 0, -1) if spans is None else period_of(at, spans)
    score = sv[column].to_numpy(dtype=float)
    y = np.select([score >= 9, score <= 6], [100.0, -100.0], 0.0) if column == 'Q1' else score
    code = customer.reindex(sv['customer_id']).to_numpy()
    out = pd.DataFrame({'customer': code, 'group': group.reindex(sv['customer_id']).to_numpy(), 'period': k, 'n': 1.0, 'y': y, 'at': at})
    return out[out['period'] >= 0].reset_index(drop=True)


def months(start: np.ndarray, end: np.ndarray, spans: list[tuple[float, float]]) -> np.ndarray:
    """Months while a customer in each period: customers x 3."""
    out = np.zeros((len(start), len(spans)))
    for k, (a, b) in enumerate(spans):
        if a < b:
            out[:, k] = np.maximum(0.0, np.minimum(end, b) - np.maximum(start, a)) / SECONDS_PER_MONTH
    return np.where(np.isnan(out), 0.0, out)


def money(transactions: pd.DataFrame, customer: pd.Series, spans: list[tuple[float, float]], variant: str) -> np.ndarray:
    """Signed amounts per customer (row code) and period: customers x 3."""
    out = np.zeros((len(customer), len(spans)))
    tx = transactions[transactions['customer_id'].isin(customer.index)]
    k = period_of(seconds(tx['at']), spans)
    amount = tx['cents'].to_numpy(dtype=float) / 100 * tx['kind'].map(SIGN).fillna(0.0).to_numpy()
    code = customer.reindex(tx['customer_id']).to_numpy()
    keep = k >= 0
    if variant == 'idiomatic':
        summed = pd.DataFrame({'customer': code[keep], 'period': k[keep], 'amount': amount[keep]}).groupby(['customer', 'period'])['amount'].sum()
        for (c, p), v in summed.items():
            out[c, p] = v
    else:
        flat = np.bincount(code[keep] * len(spans) + k[keep], weights=amount[keep], minlength=len(customer) * len(spans))
        out[:, :] = flat.reshape(len(customer), len(spans))
    return out


def customer_periods(n: np.ndarray, y: np.ndarray, group: np.ndarray, variant: str) -> pd.DataFrame:
    """customers x periods n and y -> one row per customer-period with n > 0."""
    periods = n.shape[1]
    if variant == 'idiomatic':
        frames = [pd.DataFrame({'customer': np.arange(len(n)), 'group': group, 'period': k, 'n': n[:, k], 'y': y[:, k]}) for k in range(periods)]
        long = pd.concat(frames, ignore_index=True)
        return long[long['n'] > 0].reset_index(drop=True)
    rows, cols = np.nonzero(n.T > 0)
    return pd.DataFrame({'customer': cols, 'group': group[cols], 'period': rows, 'n': n.T[rows, cols], 'y': y.T[rows, cols]})


def fact_measures(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], member: np.ndarray, group: np.ndarray, spans: list[tuple[float, float]], as_of_end: float,
                  churn_known: bool, behaviours: list[tuple[str, str, str]], variant: str) -> list[tuple[str, str, pd.DataFrame]]:
    """[(kind, key, long frame)] of churn, net revenue and each behaviour's adoption; behaviours are (key, label, adoption column)."""
    start = seconds(facts['signup_at'].fillna(facts['first_purchase_at']))
    keep = member & ~np.isnan(start)
    f = facts[keep].reset_index(drop=True)
    start, g = start[keep], group[keep]
    churn_at = seconds(f['churned_at'].where(f['churned'].astype(bool))) if churn_known else np.full(len(f), np.nan)
    end = np.where(np.isnan(churn_at), as_of_end, churn_at)
    m = months(start, end, spans)
    present = m > 0
    ids = pd.Series(f.index.to_numpy(), index=f['customer_id'].to_numpy())
    out = []
    if churn_known:
        churned = np.stack([present[:, k] & (churn_at > a) & (churn_at <= b) if a < b else np.zeros(len(f), bool) for k, (a, b) in enumerate(spans)], axis=1)
        out.append(('churn', 'churn', customer_periods(m, churned.astype(float), g, variant)))
    tx = tables.get('transactions')
    if tx is not None and len(tx) > 0 and any(not empty(s) for s in spans):
        amounts = np.where(present, money(tx, ids, spans, variant), 0.0)
        out.append(('revenue', 'revenue', customer_periods(m, amounts, g, variant)))
    for key, _label, column in behaviours:
        adopted = seconds(f[column])
        shown = np.stack([present[:, k] & (adopted < b) if a < b else np.zeros(len(f), bool) for k, (a, b) in enumerate(spans)], axis=1)
        out.append(('adoption', f'adoption_{key}', customer_periods(present.astype(float), shown.astype(float), g, variant)))
    for _, _, frame in out:
        frame['customer'] = np.flatnonzero(keep)[frame['customer'].to_numpy()]
    return out
