"""NPS, CSAT and effort over time from the reference's survey rows, as src/analysis/scorecard/satisfaction-series.ts and control-limits.ts define them.

The overall answers (NPS, CSAT, CES questions without an area) of the
customers in scope, per calendar month, or per fiscal quarter when the
median month (first to last, empty months counted) of the busiest question
holds fewer than 100 answers. Each period: NPS with its Wald interval
(100²·[p + d − (p − d)²]/n, clamped to ±100), CSAT and CES as the mean
answer on 0-100 of their scale with a t interval; control limits at 3
standard errors of the difference from the centre line of every other
period pooled (NPS: the others' shares; means: the others' variance), for
periods of 30 answers or more. `customer_months` counts each customer once
per month it answered, summed over a quarter's months (cxray's column).

Variants: idiomatic melts the answers and groups them per customer, question
and month, then per question and month; best takes the month per answer with
numpy and sums per question and month in one groupby (a customer-month is
one row of the per-customer aggregate, so its count is a count of distinct
(customer, month) pairs).
"""

from __future__ import annotations

import math

import pandas as pd

from key_drivers import rating_scale
from sources import SURVEY_ANSWERS
from stats import LEVEL, nps_interval, t_quantile

SERIES_INSTRUMENTS = ['nps', 'csat', 'ces']
MONTHLY_ANSWERS = 100
CONTROL_SIGMAS = 3
MINIMUM_PERIOD_ANSWERS = 30
SUMS = ['answers', 'customers', 'sum', 'squares', 'promoters', 'detractors']


def _long(sv: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """One row per answer: customer, instrument, month index (year·12 + month − 1), score."""
    parts = []
    for column, instrument in columns.items():
        scored = sv[sv[column].notna()]
        at = scored['at']
        parts.append(pd.DataFrame({'customer_id': scored['customer_id'].to_numpy(), 'instrument': instrument, 'month': (at.dt.year * 12 + at.dt.month - 1).to_numpy(), 'score': scored[column].to_numpy(dtype=float)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=['customer_id', 'instrument', 'month', 'score'])


def month_rows(sv: pd.DataFrame, columns: dict[str, str], variant: str) -> pd.DataFrame:
    """Per instrument and month: answers, customers (customer-months), Σx, Σx², promoters (≥ 9), detractors (< 7), lowest, highest."""
    if variant == 'idiomatic':
        long = sv.melt(id_vars=['customer_id', 'at'], value_vars=list(columns), var_name='column', value_name='score').dropna(subset=['score'])
        long['instrument'] = long['column'].map(columns)
        long['month'] = long['at'].dt.year * 12 + long['at'].dt.month - 1
    else:
        long = _long(sv, columns)
    long = long.assign(sq=long['score'] ** 2, promoter=(long['score'] >= 9).astype(int), detractor=(long['score'] < 7).astype(int))
    if variant == 'idiomatic':
        per_customer = long.groupby(['customer_id', 'instrument', 'month']).agg(
            answers=('score', 'size'), sum=('score', 'sum'), squares=('sq', 'sum'), promoters=('promoter', 'sum'), detractors=('detractor', 'sum'), lowest=('score', 'min'), highest=('score', 'max')
        )
        return (
            per_customer.reset_index()
            .groupby(['instrument', 'month'])
            .agg(answers=('answers', 'sum'), customers=('customer_id', 'size'), sum=('sum', 'sum'), squares=('squares', 'sum'), promoters=('promoters', 'sum'), detractors=('detractors', 'sum'), lowest=('lowest', 'min'), highest=('highest', 'max'))
            .reset_index()
        )
    out = long.groupby(['instrument', 'month']).agg(
        answers=('score', 'size'), sum=('score', 'sum'), squares=('sq', 'sum'), promoters=('promoter', 'sum'), detractors=('detractor', 'sum'), lowest=('score', 'min'), highest=('score', 'max')
    )
    out['customers'] = long.drop_duplicates(['customer_id', 'instrument', 'month']).groupby(['instrument', 'month']).size()
    return out.reset_index()


def choose_unit(monthly: pd.Series) -> str:
    """Month when the median month of the busiest question, from its first to its last, holds MONTHLY_ANSWERS answers."""
    if len(monthly) == 0:
        return 'quarter'
    counts = monthly.reindex(range(int(monthly.index.min()), int(monthly.index.max()) + 1), fill_value=0).sort_values().to_numpy()
    n = len(counts)
    middle = counts[(n - 1) // 2] if n % 2 == 1 else (counts[n // 2 - 1] + counts[n // 2]) / 2
    return 'month' if middle >= MONTHLY_ANSWERS else 'quarter'


def fiscal_quarter_of(index: int, fiscal_start: int) -> int:
    month = index % 12 + 1
    return index - (((month - fiscal_start) % 3) + 3) % 3


def _first_day(index: int) -> str:
    return f'{index // 12}-{index % 12 + 1:02d}-01'


def _label(index: int, unit: str, fiscal_start: int) -> str:
    if unit == 'month':
        return _first_day(index)[:7]
    start = _first_day(index)
    # profile/cohort-mix.ts cohortLabel
    return f'{start[:4]}Q{(int(start[5:7]) - 1) // 3 + 1}' if fiscal_start == 1 else f'quarter from {start}'


def _limits(estimate: float, centre: float, sigma: float) -> dict:
    lower, upper = centre - CONTROL_SIGMAS * sigma, centre + CONTROL_SIGMAS * sigma
    return {'centre': centre, 'lower_limit': lower, 'upper_limit': upper, 'signal': 'above' if estimate > upper else 'below' if estimate < lower else None}


def _within(value: float, low: float, high: float) -> float:
    """A bound shown on a bounded scale stays on it (control-limits.ts); the signal is decided before."""
    return min(high, max(low, value))


NO_LIMITS = {'centre': None, 'lower_limit': None, 'upper_limit': None, 'signal': None}


def nps_points(periods: pd.DataFrame) -> list[dict]:
    total_p, total_d, total_n = periods['promoters'].sum(), periods['detractors'].sum(), periods['answers'].sum()
    out = []
    for r in periods.itertuples():
        own = nps_interval(int(r.promoters), int(r.answers - r.promoters - r.detractors), int(r.detractors))
        point = {'estimate': own['estimate'], 'lower': _within(own['lower'], -100, 100), 'upper': _within(own['upper'], -100, 100), 'n': int(r.answers)}
        m = int(total_n - r.answers)
        if m == 0 or r.answers < MINIMUM_PERIOD_ANSWERS:
            out.append({**point, **NO_LIMITS})
            continue
        p, d = (total_p - r.promoters) / m, (total_d - r.detractors) / m
        sigma = 100 * math.sqrt(max(0.0, p + d - (p - d) ** 2) * (1 / r.answers + 1 / m))
        raw = _limits(own['estimate'], 100 * (p - d), sigma)
        out.append({**point, **raw, 'lower_limit': _within(raw['lower_limit'], -100, 100), 'upper_limit': _within(raw['upper_limit'], -100, 100)})
    return out


def mean_points(periods: pd.DataFrame, low: float, high: float) -> list[dict]:
    hundred = lambda x: (x - low) / (high - low) * 100  # noqa: E731
    variance = lambda n, s, q: max(0.0, (q - s * s / n) / (n - 1)) if n > 1 else 0.0  # noqa: E731
    total = (periods['answers'].sum(), periods['sum'].sum(), periods['squares'].sum())
    out = []
    for r in periods.itertuples():
        n = int(r.answers)
        mean = r.sum / n
        half = t_quantile(0.5 + LEVEL / 2, n - 1) * math.sqrt(variance(n, r.sum, r.squares) / n) if n > 1 else 0.0
        point = {'estimate': hundred(mean), 'lower': _within(hundred(mean - half), 0, 100), 'upper': _within(hundred(mean + half), 0, 100), 'n': n}
        on, osum, osq = int(total[0] - n), total[1] - r.sum, total[2] - r.squares
        if on < 2 or n < MINIMUM_PERIOD_ANSWERS:
            out.append({**point, **NO_LIMITS})
            continue
        centre = osum / on
        sigma = math.sqrt(variance(on, osum, osq) * (1 / n + 1 / on))
        raw = _limits(mean, centre, sigma)
        out.append({**point, 'centre': hundred(centre), 'lower_limit': _within(hundred(raw['lower_limit']), 0, 100), 'upper_limit': _within(hundred(raw['upper_limit']), 0, 100), 'signal': raw['signal']})
    return out


def satisfaction_series(sv: pd.DataFrame, area_columns: set[str], fiscal_start: int, variant: str) -> tuple[str, list[dict]]:
    """(unit, [{instrument, scale, points: [{period, start, customers, mean_answer, estimate, lower, upper, n, centre, lower_limit, upper_limit, signal}]}])."""
    columns = {c: i for c, i in SURVEY_ANSWERS.items() if i in SERIES_INSTRUMENTS and c not in area_columns}
    rows = month_rows(sv, columns, variant)
    totals = [(rows.loc[rows['instrument'] == i, 'answers'].sum(), i) for i in SERIES_INSTRUMENTS]
    # The busiest question: most answers, the earlier one of SERIES_INSTRUMENTS on a tie (a stable sort).
    busiest = sorted(totals, key=lambda x: -x[0])[0][1]
    mine = rows[rows['instrument'] == busiest]
    unit = choose_unit(mine.set_index('month')['answers'])
    series = []
    for instrument in SERIES_INSTRUMENTS:
        mine = rows[rows['instrument'] == instrument]
        if len(mine) == 0:
            continue
        period = mine['month'] if unit == 'month' else mine['month'].map(lambda m: fiscal_quarter_of(int(m), fiscal_start))
        agg = {k: 'sum' for k in SUMS} | {'lowest': 'min', 'highest': 'max'}
        periods = mine.assign(period=period).groupby('period').agg(agg).sort_index()
        scale = None if instrument == 'nps' else rating_scale(float(mine['lowest'].min()), float(mine['highest'].max()))
        points = nps_points(periods) if scale is None else mean_points(periods, *scale)
        series.append(
            {
                'instrument': instrument,
                'scale': scale,
                'points': [
                    {'period': _label(int(r.Index), unit, fiscal_start), 'start': _first_day(int(r.Index)), 'customers': int(r.customers), 'mean_answer': None if scale is None else r.sum / r.answers, **point}
                    for r, point in zip(periods.itertuples(), points)
                ],
            }
        )
    return unit, series
