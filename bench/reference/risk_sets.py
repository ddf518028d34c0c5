"""The risk sets of one fee line: per week, stratum and role, the customers and their outcomes (fee-aftermath/risk-set-sql.ts).

A customer is in week k's risk set when signed up before the week ends, not
churned by then, and without the line's fee before the week starts; treated
when first charged in the week. Its stratum: the segment, the tenure band at
the week's end and the value band. Outcomes over [week end, week end + 90 days):
churned (its churn instant falls in it) and its mean satisfaction answer.

Variants: idiomatic walks the weeks, each a boolean mask over the customers
giving the week's risk set (the answers of each window averaged per customer
by a groupby), then sums every week's sets in one groupby; best derives each customer's eligible weeks as
one range (from the week of its entry to the week before its churn and the
week of its fee), expands every (customer, week) at once with np.repeat,
finds the answered ones by a binary search and sums all risk sets with
np.bincount over one packed key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

WEEK_ORIGIN = 345_600
WEEK_SECONDS = 604_800
WINDOW_DAYS = 90
DAY = 86_400
WINDOW = WINDOW_DAYS * DAY
# Upper ends (days of tenure at the week's end) of the bands 0-3, 3-6, 6-12, 12-24 months; then 24 and more.
TENURE_BANDS = [90, 182, 365, 730]
ROLE_SUMS = ['customers', 'churned', 'answered', 'score', 'squares']
# A (customer, week) pair as one integer: row·2²⁰ + weeks since 1970 (both fit many times over).
WEEK_KEY = 1 << 20
WEEK_BASE = -(1 << 19)


def week_of(seconds):
    """Weeks since the Monday 1970-01-05 (floor), of epoch seconds (a float or an array)."""
    return np.floor((np.asarray(seconds, dtype=float) - WEEK_ORIGIN) / WEEK_SECONDS).astype(np.int64) if np.ndim(seconds) else int(np.floor((seconds - WEEK_ORIGIN) / WEEK_SECONDS))


@dataclass
class CustomerTimes:
    """Per customer (facts order): entry and churn instants (epoch seconds, NaN if none), segment code, and the value bands' cut points (dollars)."""

    entry: np.ndarray
    churn: np.ndarray
    segment: np.ndarray
    value_cuts: tuple[float, float] | None
    # What each customer bought in its first 90 days (dollars).
    spend: np.ndarray | None = None


def _bands(times: CustomerTimes, rows: np.ndarray, week_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tenure band (0-4) and value band (0 new, 1 low, 2 middle, 3 high; 0 'all' without cuts) at the week's end."""
    days = (week_end - times.entry[rows]) / DAY
    tenure = np.digitize(days, TENURE_BANDS)
    if times.value_cuts is None:
        return tenure, np.zeros(len(rows), dtype=np.int64)
    spend = times.spend[rows]
    value = np.where(days < WINDOW_DAYS, 0, np.where(spend <= times.value_cuts[0], 1, np.where(spend <= times.value_cuts[1], 2, 3)))
    return tenure, value


def _answer_weeks(answers: pd.DataFrame, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (customer row, week) whose 90-day window holds an answer, as sorted keys row·2²⁰ + week offset, and the mean answer of each:
    an answer at t sits in the windows of the weeks from that of t − 90 days to the week before t's."""
    at = answers['at'].to_numpy()
    low = week_of(at - WINDOW)
    high = np.minimum(week_of(at) - 1, last)
    count = np.maximum(0, high - low + 1)
    which = np.repeat(np.arange(len(answers)), count)
    week = low[which] + (np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count))
    keys = answers['row'].to_numpy()[which] * WEEK_KEY + (week - WEEK_BASE)
    unique, inverse = np.unique(keys, return_inverse=True)
    means = np.bincount(inverse, weights=answers['x'].to_numpy()[which]) / np.bincount(inverse)
    return unique, means


def _best(times: CustomerTimes, fee: np.ndarray, answers: pd.DataFrame | None, first: int, last: int, windows: dict) -> pd.DataFrame:
    n = len(times.entry)
    known = ~np.isnan(times.entry)
    low = np.where(known, np.maximum(first, week_of(np.where(known, times.entry, 0.0))), 1)
    high = np.full(n, last, dtype=np.int64)
    churned = ~np.isnan(times.churn)
    high = np.where(churned, np.minimum(high, week_of(np.where(churned, times.churn, 0.0)) - 1), high)
    charged = ~np.isnan(fee)
    high = np.where(charged, np.minimum(high, week_of(np.where(charged, fee, 0.0))), high)
    count = np.where(known, np.maximum(0, high - low + 1), 0)
    rows = np.repeat(np.arange(n), count)
    week = low[rows] + (np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count))
    start = week.astype(float) * WEEK_SECONDS + WEEK_ORIGIN
    end = start + WEEK_SECONDS
    treated = (fee[rows] >= start) & (fee[rows] < end)
    out_churn = churned[rows] & (times.churn[rows] < end + WINDOW)
    tenure, value = _bands(times, rows, end)
    segments = int(times.segment.max()) + 1 if n else 1
    score = np.full(len(rows), np.nan)
    if answers is not None and len(answers) > 0:
        # The answers' windows are the same for every line: formed once. The pairs come sorted by (row, week), so each
        # answered (row, week) is found by a binary search.
        if 'best' not in windows:
            windows['best'] = _answer_weeks(answers, last)
        keys, means = windows['best']
        pairs = rows * WEEK_KEY + (week - WEEK_BASE)
        at = np.searchsorted(pairs, keys)
        found = at < len(pairs)
        found[found] = pairs[at[found]] == keys[found]
        score[at[found]] = means[found]
    answered = ~np.isnan(score)
    x = np.where(answered, score, 0.0)
    # Every risk set and role has its place in one dense range: week × segment × 5 tenure bands × 4 value bands × 2 roles.
    key = ((((week - first) * segments + times.segment[rows]) * 5 + tenure) * 4 + value) * 2 + treated
    size = (last - first + 1) * segments * 5 * 4 * 2
    sums = {
        'customers': np.bincount(key, minlength=size), 'churned': np.bincount(key, weights=out_churn, minlength=size), 'answered': np.bincount(key, weights=answered, minlength=size),
        'score': np.bincount(key, weights=x, minlength=size), 'squares': np.bincount(key, weights=x * x, minlength=size),
    }
    used = np.nonzero(sums['customers'])[0]
    frame = pd.DataFrame({'treated': used % 2, 'set': used // 2, **{k: v[used] for k, v in sums.items()}})
    return _by_role(frame)


def _idiomatic(times: CustomerTimes, fee: np.ndarray, answers: pd.DataFrame | None, first: int, last: int, windows: dict) -> pd.DataFrame:
    customers = pd.DataFrame({'entry': times.entry, 'churn': times.churn, 'fee': fee, 'segment': times.segment})
    parts = []
    for week in range(first, last + 1):
        start = week * WEEK_SECONDS + WEEK_ORIGIN
        end = start + WEEK_SECONDS
        at_risk = customers[(customers['entry'] < end) & (customers['churn'].isna() | (customers['churn'] >= end)) & (customers['fee'].isna() | (customers['fee'] >= start))]
        tenure, value = _bands(times, at_risk.index.to_numpy(), np.full(len(at_risk), float(end)))
        frame = pd.DataFrame({
            'segment': at_risk['segment'], 'tenure': tenure, 'value': value, 'treated': ((at_risk['fee'] >= start) & (at_risk['fee'] < end)).astype(int),
            'churned': (at_risk['churn'] < end + WINDOW).astype(float),
        })
        if answers is not None:
            # Each week's window of answers is the same for every line: averaged once per customer.
            if week not in windows:
                inside = answers[(answers['at'] >= end) & (answers['at'] < end + WINDOW)]
                windows[week] = inside.groupby('row')['x'].mean()
            frame['score'] = windows[week].reindex(at_risk.index).to_numpy()
        else:
            frame['score'] = np.nan
        frame['week'] = week
        parts.append(frame)
    frame = pd.concat(parts, ignore_index=True)
    frame['squares'] = frame['score'] ** 2
    frame = frame.groupby(['week', 'segment', 'tenure', 'value', 'treated']).agg(
        customers=('churned', 'size'), churned=('churned', 'sum'), answered=('score', 'count'), score=('score', 'sum'), squares=('squares', 'sum'),
    ).reset_index()
    frame['set'] = (((frame['week'] - first) * (int(times.segment.max()) + 1) + frame['segment']) * 5 + frame['tenure']) * 4 + frame['value']
    return _by_role(frame[['treated', 'set', *ROLE_SUMS]])


def _by_role(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per risk set: t_<sum> for the treated, c_<sum> for the controls (0 where a role is absent), in the sets' order."""
    wide = frame.pivot_table(index='set', columns='treated', values=ROLE_SUMS, aggfunc='sum', fill_value=0)
    out = pd.DataFrame(index=wide.index)
    for role, prefix in ((1, 't_'), (0, 'c_')):
        for s in ROLE_SUMS:
            out[prefix + s] = wide[(s, role)] if (s, role) in wide.columns else 0.0
    return out.sort_index().reset_index(drop=True)


def risk_sets(times: CustomerTimes, fee: np.ndarray, answers: pd.DataFrame | None, first: int, last: int, variant: str, windows: dict) -> pd.DataFrame:
    """The line's risk sets from week `first` to `last`: the treated's and the controls' sums (ROLE_SUMS). `windows`: per-week answer means kept across lines."""
    if variant == 'idiomatic':
        return _idiomatic(times, fee, answers, first, last, windows)
    return _best(times, fee, answers, first, last, windows)
