"""Churn of the customers acquired in a quarter-end window against the others (quarter-end/hazard-*.ts, person-time.ts, survival-curves.ts).

- Covariates: cxray.yaml's adjust_for (its text attributes), else every text
  attribute known at acquisition or named by a segment; each one's churn
  rate per level (levels with 20 customers and some churn, the 6 largest,
  the rest pooled as "other values", or into the largest level when they
  never churn), ranked by the likelihood-ratio χ² of a constant rate across
  its levels (smallest p first), then taken while their levels multiplied
  stay within 64 cells.
- Person-time: each customer counted in the month of tenure its follow-up
  ends in (⌊exposure_days / 30.4375⌋, at most 60), with the days it spent
  there, and at risk for whole months before it.
- Tenure bands of at least 5 churns each; the hazard ratio is exp(β) of a
  Poisson GLM (statsmodels) of the churns per cell and band on the window
  flag and the covariates' dummies, one intercept per band, with
  log(months at risk) as offset: adjusted, and with the flag alone. Wald
  interval and test (normal, the Poisson variance).
- The actuarial life table of each group (Greenwood on log(−log S)).

Variants: idiomatic sums person-time with a groupby per month and states
the model as a formula (`smf.glm` with C(band), offset=); best sums with
np.bincount over packed cells and fits `sm.GLM` on a numpy design.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats as sps

from analysis_settings import AnalysisSettings
from profile_groups import CATEGORICAL
from settings import ATTRIBUTES, Settings
from stats import Z

DAYS_PER_MONTH = 30.4375
MAX_MONTHS = 60
MIN_BAND_EVENTS = 5
CELL_BUDGET = 64
MAX_LEVELS = 6
MIN_LEVEL_CUSTOMERS = 20
OTHER = 'other values'
TOLERANCE = 1e-10


def candidates(settings: Settings, extras: AnalysisSettings) -> list[str]:
    if extras.adjust_for is not None:
        return [a for a in extras.adjust_for if a in CATEGORICAL]
    named = {attribute for attribute, _ in settings.segments.values()}
    return [a for a in ATTRIBUTES if a in CATEGORICAL and (a in settings.at_acquisition or a in named)]


def choose_covariates(frame: pd.DataFrame, settings: Settings, extras: AnalysisSettings) -> list[dict]:
    """hazard-covariates.ts chooseCovariates over the customers of `frame` (exposure known): each chosen one's name, levels and per-customer code."""
    ranked = []
    for name in candidates(settings, extras):
        levels = frame[name].astype(object).where(frame[name].notna(), None)
        rows = frame.assign(_l=levels.fillna('\0')).groupby('_l').agg(n=('churned', 'size'), events=('churned', 'sum'), time=('exposure_days', 'sum')).reset_index()
        if len(rows) > 1000:
            continue
        rows['level'] = rows['_l'].where(rows['_l'] != '\0', None)
        every = sorted(rows.itertuples(index=False), key=lambda r: (-r.n, 'null' if r.level is None else str(r.level)))
        kept = [r for r in every if r.level is not None and r.n >= MIN_LEVEL_CUSTOMERS and r.n >= 5 and r.events > 0][:MAX_LEVELS]
        kept_names = {r.level for r in kept}
        pooled = [r for r in every if r.level not in kept_names or r.level is None]
        pooled_events = sum(r.events for r in pooled)
        own_level = len(pooled) > 0 and pooled_events > 0
        if not kept:
            continue
        reference = {'level': kept[0].level, 'n': kept[0].n, 'events': kept[0].events, 'time': kept[0].time}
        if not own_level:
            reference['n'] += sum(r.n for r in pooled)
            reference['time'] += sum(r.time for r in pooled)
        groups = [reference, *({'level': r.level, 'n': r.n, 'events': r.events, 'time': r.time} for r in kept[1:])]
        if own_level:
            groups.append({'level': OTHER, 'n': sum(r.n for r in pooled), 'events': pooled_events, 'time': sum(r.time for r in pooled)})
        if len(groups) < 2:
            continue
        events, time = sum(g['events'] for g in groups), sum(g['time'] for g in groups)
        chi2 = 0.0 if events == 0 or time <= 0 else 2 * sum(g['events'] * math.log(g['events'] / g['time'] / (events / time)) for g in groups if g['events'] > 0)
        chi2 = max(0.0, chi2)
        codes = {r.level: i for i, r in enumerate(kept)}
        code = levels.map(lambda v: codes.get(v, len(kept) if own_level else 0) if v is not None else (len(kept) if own_level else 0)).astype(np.int64)
        ranked.append({'name': name, 'levels': [str(g['level']) for g in groups], 'code': code, 'chi2': chi2, 'p': float(sps.chi2.sf(chi2, len(groups) - 1))})
    ranked.sort(key=lambda c: (c['p'], -c['chi2'], c['name']))
    chosen, cells = [], 1
    for c in ranked:
        if cells * len(c['levels']) > CELL_BUDGET:
            continue
        cells *= len(c['levels'])
        chosen.append(c)
    return chosen


def person_time(frame: pd.DataFrame, flag: np.ndarray, covariates: list[dict], variant: str) -> tuple[pd.DataFrame, int]:
    """One row per cell (window, covariate codes) and month 0..60: at_risk, churned, censored, days; and the last month reached."""
    exposure = frame['exposure_days'].to_numpy(dtype=float)
    month = np.minimum(np.floor(exposure / DAYS_PER_MONTH).astype(np.int64), MAX_MONTHS)
    event = frame['churned'].to_numpy(dtype=bool)
    keys = ['window', *[f"c_{c['name']}" for c in covariates]]
    cells = pd.DataFrame({'window': flag.astype(np.int64), **{f"c_{c['name']}": c['code'].to_numpy() for c in covariates}})
    unique, cell = np.unique(cells.to_numpy(), axis=0, return_inverse=True)
    cell = cell.reshape(-1)
    size = MAX_MONTHS + 1
    if variant == 'idiomatic':
        per = pd.DataFrame({'cell': cell, 'month': month, 'churned': event.astype(np.int64), 'censored': (~event).astype(np.int64), 'days': exposure - month * DAYS_PER_MONTH})
        summed = per.groupby(['cell', 'month']).agg(ends=('churned', 'size'), churned=('churned', 'sum'), censored=('censored', 'sum'), days=('days', 'sum'))
        full = summed.reindex(pd.MultiIndex.from_product([range(len(unique)), range(size)], names=['cell', 'month']), fill_value=0).reset_index()
        later = full.groupby('cell')['ends'].transform(lambda s: s[::-1].cumsum()[::-1].shift(-1, fill_value=0))
        full['at_risk'] = full['ends'] + later
        full['days'] = full['days'] + later * DAYS_PER_MONTH
    else:
        flat = cell * size + month
        count = lambda weights=None: np.bincount(flat, weights=weights, minlength=len(unique) * size).reshape(len(unique), size)  # noqa: E731
        ends, churned, days = count(), count(event.astype(float)), count(exposure - month * DAYS_PER_MONTH)
        later = np.concatenate([np.cumsum(ends[:, ::-1], axis=1)[:, ::-1][:, 1:], np.zeros((len(unique), 1))], axis=1)
        full = pd.DataFrame({
            'cell': np.repeat(np.arange(len(unique)), size), 'month': np.tile(np.arange(size), len(unique)), 'churned': churned.reshape(-1), 'censored': (ends - churned).reshape(-1),
            'at_risk': (ends + later).reshape(-1), 'days': (days + later * DAYS_PER_MONTH).reshape(-1),
        })
    for j, k in enumerate(keys):
        full[k] = unique[full['cell'].to_numpy(), j]
    return full, int(month.max()) if len(month) else 0


def tenure_bands(pt: pd.DataFrame, last_month: int) -> list[tuple[int, int]]:
    """hazard-model.ts tenureBands: consecutive months holding at least 5 churns each, a short tail joining the band before."""
    per_month = pt.groupby('month')['churned'].sum()
    bands, start, events = [], 0, 0
    for month in range(last_month + 1):
        events += per_month.get(month, 0)
        if events >= MIN_BAND_EVENTS:
            bands.append((start, month))
            start, events = month + 1, 0
    if start <= last_month:
        bands = bands[:-1] + [(bands[-1][0] if bands else start, last_month)]
    return bands


def _band_rows(pt: pd.DataFrame, bands: list[tuple[int, int]], covariates: list[dict]) -> pd.DataFrame:
    band = np.full(len(pt), -1)
    for i, (a, b) in enumerate(bands):
        band[(pt['month'] >= a) & (pt['month'] <= b)] = i
    keys = ['window', *[f"c_{c['name']}" for c in covariates]]
    rows = pt.assign(band=band)[band >= 0].groupby(['cell', 'band', *keys], as_index=False)[['churned', 'days']].sum()
    rows = rows[rows['days'] > 0].copy()
    rows['months'] = rows['days'] / DAYS_PER_MONTH
    for c in covariates:
        for level in range(1, len(c['levels'])):
            rows[f"d_{c['name']}_{level}"] = (rows[f"c_{c['name']}"] == level).astype(float)
    return rows


def fit_window(pt: pd.DataFrame, bands: list[tuple[int, int]], covariates: list[dict], variant: str) -> dict:
    """The window flag's log hazard ratio and its standard error, one intercept per band, log(months at risk) offset."""
    rows = _band_rows(pt, bands, covariates)
    dummies = [f"d_{c['name']}_{level}" for c in covariates for level in range(1, len(c['levels']))]
    if variant == 'idiomatic':
        formula = 'churned ~ 0 + C(band) + window' + ''.join(f' + {d}' for d in dummies)
        result = smf.glm(formula, data=rows, family=sm.families.Poisson(), offset=np.log(rows['months'])).fit(tol=TOLERANCE)
        beta, se = float(result.params['window']), float(result.bse['window'])
    else:
        strata = (rows['band'].to_numpy()[:, None] == np.arange(len(bands))[None, :]).astype(float)
        exog = np.column_stack([rows[['window', *dummies]].to_numpy(dtype=float), strata])
        result = sm.GLM(rows['churned'].to_numpy(dtype=float), exog, family=sm.families.Poisson(), offset=np.log(rows['months'].to_numpy())).fit(tol=TOLERANCE)
        beta, se = float(result.params[0]), float(result.bse[0])
    statistic = beta / se if se > 0 else 0.0
    return {'hazard_ratio': math.exp(beta), 'lower': math.exp(beta - Z * se), 'upper': math.exp(beta + Z * se), 'log_hr': beta, 'standard_error': se,
            'p_value': 2 * float(sps.norm.sf(abs(statistic))) if se > 0 else 1.0}


def full_rank(pt: pd.DataFrame, bands: list[tuple[int, int]], covariates: list[dict]) -> list[dict]:
    """Covariates the cells can separate: a later one is left out while the design is rank-deficient (cxray leaves out those its solver names)."""
    kept = list(covariates)
    while kept:
        rows = _band_rows(pt, bands, kept)
        dummies = [f"d_{c['name']}_{level}" for c in kept for level in range(1, len(c['levels']))]
        strata = (rows['band'].to_numpy()[:, None] == np.arange(len(bands))[None, :]).astype(float)
        exog = np.column_stack([rows[['window', *dummies]].to_numpy(dtype=float), strata])
        if np.linalg.matrix_rank(exog) == exog.shape[1]:
            break
        kept = kept[:-1]
    return kept


def group_totals(pt: pd.DataFrame, window: int, last_month: int) -> dict:
    of = pt[pt['window'] == window]
    return {'customers': int(of.loc[of['month'] == 0, 'at_risk'].sum()), 'churned': int(of['churned'].sum()), 'months': float(of.loc[of['month'] <= last_month, 'days'].sum()) / DAYS_PER_MONTH}


def life_table(pt: pd.DataFrame, window: int, last_month: int) -> list[dict]:
    """survival-curves.ts lifeTable: actuarial, censored customers at risk for half their last month; Greenwood on log(−log S)."""
    by_month = pt[pt['window'] == window].groupby('month')[['at_risk', 'churned', 'censored']].sum()
    points, survival, greenwood = [], 1.0, 0.0
    for month in range(last_month + 1):
        at_risk = int(by_month['at_risk'].get(month, 0))
        if at_risk == 0:
            break
        churned, censored = int(by_month['churned'].get(month, 0)), int(by_month['censored'].get(month, 0))
        effective = at_risk - censored / 2
        share = min(1.0, churned / effective) if effective > 0 else 0.0
        survival *= 1 - share
        if share < 1 and effective > 0:
            greenwood += share / (effective * (1 - share))
        lower = upper = survival
        if 0 < survival < 1:
            spread = Z * math.sqrt(greenwood) / abs(math.log(survival))
            lower, upper = survival ** math.exp(spread), survival ** math.exp(-spread)
        points.append({'month': month, 'at_risk': at_risk, 'churned': churned, 'censored': censored, 'survival': survival, 'lower': lower, 'upper': upper})
    return points


def hazard(frame: pd.DataFrame, flag: np.ndarray, settings: Settings, extras: AnalysisSettings, variant: str) -> tuple[dict | None, list[dict], list[dict]]:
    """(the hazard model or None, the window group's life table, the others'), over the customers of `frame` (exposure known)."""
    covariates = choose_covariates(frame, settings, extras)
    pt, last_month = person_time(frame, flag, covariates, variant)
    curves = life_table(pt, 1, last_month), life_table(pt, 0, last_month)
    window, others = group_totals(pt, 1, last_month), group_totals(pt, 0, last_month)
    if window['churned'] == 0 or others['churned'] == 0:
        return None, *curves
    bands = tenure_bands(pt, last_month)
    kept = full_rank(pt, bands, covariates)
    model = {
        'adjusted': fit_window(pt, bands, kept, variant), 'unadjusted': fit_window(pt, bands, [], variant), 'adjusted_for': ', '.join(c['name'] for c in kept),
        'bands': len(bands), 'window': window, 'others': others,
    }
    return model, *curves
