"""Sales per day in the quarter-end windows against the other days (quarter-end/daily-sales.ts, intake-model.ts), fitted with statsmodels.

Each day from the first with a sale (a customer acquired, or purchase revenue
booked) to as_of, zeros included: new customers acquired that day (signup,
else first purchase) and purchase revenue. Per measure, the ratio of the
window days to the others is exp(β) of a quasi-Poisson GLM (statsmodels,
Poisson family, log link) of each day's sales on the window flag, a
quadratic trend (years from the middle of the history), the weekday (Sunday
the reference) and one intercept per day of the month (strata; a day of the
month without any sale is left out, its rate being 0); the dispersion is the
Pearson χ² over the residual df (at least 1 for counts), the interval t with
the residual df.

A history too short to separate the adjustment terms (the squared trend from
the trend, a weekday from the days of the month) is fitted here through
statsmodels' pseudo-inverse, where cxray leaves those terms out: there the
two may differ (not met by the simulated companies, whose histories span
years).

Variants: idiomatic states the model as a formula (`smf.glm` with
C(day_of_month) and C(weekday)); best builds the design matrix with numpy
and calls `sm.GLM` on it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats as sps

from stats import LEVEL, t_quantile

DAY = pd.Timedelta(days=1)
MIN_OTHER_DAYS = 28
# IRLS stops when the deviance changes by less than this: the coefficients are then far inside the comparison's 1e-6.
TOLERANCE = 1e-10


def quarter_index(days: pd.Series, fiscal_year_start_month: int) -> np.ndarray:
    """A month number (year·12 + month − 1) of the fiscal quarter's first month, per timestamp."""
    month = days.dt.year.to_numpy() * 12 + days.dt.month.to_numpy() - 1
    return month - (month - (fiscal_year_start_month - 1)) % 3


def in_window(days: pd.Series, window_days: int, fiscal_year_start_month: int) -> np.ndarray:
    """fiscal-calendar.ts: in the last N days of its fiscal quarter exactly when N days later is another quarter."""
    return quarter_index(days + pd.Timedelta(days=window_days), fiscal_year_start_month) != quarter_index(days, fiscal_year_start_month)


def days_to_quarter_end(days: pd.Series, fiscal_year_start_month: int) -> np.ndarray:
    """Whole days from the day to the next fiscal quarter's first day: 1 on the quarter's last day."""
    nxt = quarter_index(days, fiscal_year_start_month) + 3
    starts = pd.to_datetime({'year': nxt // 12, 'month': nxt % 12 + 1, 'day': 1})
    return (starts - days.reset_index(drop=True)).dt.days.to_numpy()


def daily_sales(facts: pd.DataFrame, acquired: pd.Series, cohort: np.ndarray, tables: dict, end: pd.Timestamp) -> pd.DataFrame | None:
    """day, customers, revenue (dollars) from the first day with a sale to the as_of day."""
    customers = acquired[cohort].dt.normalize().value_counts()
    tx = tables.get('transactions')
    revenue = pd.Series(dtype=float)
    if tx is not None and len(tx) > 0:
        purchases = tx[(tx['kind'] == 'purchase') & (tx['at'] < end) & tx['customer_id'].isin(facts['customer_id'])]
        revenue = purchases.groupby(purchases['at'].dt.normalize())['cents'].sum() / 100
    seen = customers.index.union(revenue.index)
    if len(seen) == 0:
        return None
    days = pd.date_range(seen.min(), end - DAY, freq='D')
    return pd.DataFrame({'day': days, 'customers': customers.reindex(days, fill_value=0).to_numpy(), 'revenue': revenue.reindex(days, fill_value=0.0).to_numpy()})


def _fit(frame: pd.DataFrame, y: str, weekdays: list[int], variant: str) -> tuple[float, float, float, int]:
    """(β of the window flag, its standard error under the Poisson variance, Pearson χ², residual df), strata without sales left out."""
    totals = frame.groupby('day_of_month')[y].transform('sum')
    used = frame[totals > 0]
    if variant == 'idiomatic':
        terms = ['window', 'trend', 'trend_squared'] + (['C(weekday)'] if len(weekdays) > 1 else [])
        model = smf.glm(f"{y} ~ 0 + C(day_of_month) + {' + '.join(terms)}", data=used, family=sm.families.Poisson())
        result = model.fit(tol=TOLERANCE)
        beta, se = float(result.params['window']), float(result.bse['window'])
    else:
        strata = pd.get_dummies(used['day_of_month']).to_numpy(dtype=float)
        dummies = np.column_stack([(used['weekday'].to_numpy() == w).astype(float) for w in weekdays[1:]]) if len(weekdays) > 1 else np.empty((len(used), 0))
        exog = np.column_stack([used[['window', 'trend', 'trend_squared']].to_numpy(dtype=float), dummies, strata])
        result = sm.GLM(used[y].to_numpy(dtype=float), exog, family=sm.families.Poisson()).fit(tol=TOLERANCE)
        beta, se = float(result.params[0]), float(result.bse[0])
    return beta, se, float(result.pearson_chi2), int(round(result.df_resid))


def intake(days: pd.DataFrame, measure: str, window_days: int, fiscal_year_start_month: int, variant: str) -> dict | None:
    """intake-model.ts intakeComparison, with statsmodels' GLM."""
    y = 'customers' if measure == 'customers' else 'revenue'
    flag = in_window(days['day'], window_days, fiscal_year_start_month)
    window_total, other_total = float(days[y][flag].sum()), float(days[y][~flag].sum())
    if flag.sum() < 1 or (~flag).sum() < MIN_OTHER_DAYS or window_total <= 0 or other_total <= 0:
        return None
    first, last = days['day'].iloc[0], days['day'].iloc[-1]
    middle = first + (last - first) / 2
    t = ((days['day'] - middle) / pd.Timedelta(days=1)).to_numpy() / 365.25
    weekday = ((days['day'].dt.dayofweek + 1) % 7).to_numpy()
    frame = pd.DataFrame({y: days[y].to_numpy(dtype=float), 'window': flag.astype(float), 'trend': t, 'trend_squared': t * t, 'weekday': weekday, 'day_of_month': days['day'].dt.day.to_numpy()})
    weekdays = sorted(set(weekday.tolist()))
    beta, se, pearson, df = _fit(frame, y, weekdays, variant)
    dispersion = pearson / df if df > 0 else 1.0
    if measure == 'customers':
        dispersion = max(1.0, dispersion)
    se = se * math.sqrt(dispersion)
    critical = t_quantile(0.5 + LEVEL / 2, df) if df > 0 else float(sps.norm.ppf(0.5 + LEVEL / 2))
    statistic = beta / se if se > 0 else 0.0
    p = 2 * float(sps.t.sf(abs(statistic), df)) if se > 0 else 1.0
    return {
        'measure': measure,
        'window_days': int(flag.sum()), 'other_days': int((~flag).sum()),
        'window_per_day': window_total / int(flag.sum()), 'other_per_day': other_total / int((~flag).sum()),
        'log_ratio': beta, 'standard_error': se, 'ratio': math.exp(beta), 'lower': math.exp(beta - critical * se), 'upper': math.exp(beta + critical * se),
        'p_value': p, 'dispersion': dispersion, 'df_residual': df,
    }


def daily_profile(days: pd.DataFrame, window_days: int, fiscal_year_start_month: int) -> list[list]:
    """Mean sales on each day of the quarter, counted back from its last day (1), over the quarters observed."""
    k = days_to_quarter_end(days['day'], fiscal_year_start_month)
    grouped = days.assign(k=k).groupby('k').agg(days=('day', 'size'), customers=('customers', 'mean'), revenue=('revenue', 'mean')).sort_index(ascending=False)
    return [[int(key), bool(key <= window_days), int(r['days']), float(r['customers']), float(r['revenue'])] for key, r in grouped.iterrows()]
