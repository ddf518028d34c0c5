"""The satisfaction drivers of key-drivers from the reference's survey rows, as src/analysis/key-drivers/ defines them.

One row per survey response (its response_id, else one customer's answers at
one instant): the overall answer (NPS, else CSAT, else an overall rating) and
each experience area's rating in that response, several answers about one
area averaged (response-rows.ts). Areas follow experience_areas (init's: one
per rated area of the question text "Please rate - <area>"). An area rated in
under half of the responses with the overall answer is left out of the weights
(satisfaction-drivers.ts). Over the responses that rate every weighed area:
the correlation matrix, drivers screened as driver-checks.ts does (constant,
|r| ≥ 0.95 with the outcome, exactly collinear; too few rows), then Johnson's
relative weights (Johnson 2000: Rxx = VλV', Λ = V√λV', β = Λ⁻¹rxy,
ε = Λ²β², R² = Σε), the shares ε/R², the standardized coefficients Rxx⁻¹rxy;
and each area's performance (area-performance.ts). Point estimates only: the
bootstrap intervals come from a hash of the customer and are cxray's own.

Variants: idiomatic melts the answers into long form and pivots them with
`pivot_table(aggfunc='mean')`, then `DataFrame.corr()`; best sums each
response's answers with `np.bincount` over factorized keys and takes the
correlations from one pass of sums and cross-products (the sufficient
statistics cxray computes in SQL).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis_settings import AnalysisSettings
from design import collinear_columns
from result_table import table
from settings import snake_case
from sources import SURVEY_ANSWERS
from stats import mean_summary, t_interval

OUTCOME_INSTRUMENTS = ['nps', 'csat', 'rating']
AREA_INSTRUMENTS = {'rating', 'csat', 'ces'}
MINIMUM_COVERAGE = 0.5
LEAK_CORRELATION = 0.95
ROWS_PER_DRIVER = 10
SCALE_TOPS = [1, 5, 7, 10, 100]
OUTCOME = '_outcome'


def question_areas(questions: dict[str, str]) -> dict[str, str]:
    """Answer column -> its area, from the question text ("Please rate - Billing" -> "Billing"), for rating-like answers."""
    out = {}
    for column, instrument in SURVEY_ANSWERS.items():
        parts = str(questions.get(column, '')).split(' - ')
        if instrument in AREA_INSTRUMENTS and len(parts) >= 2 and 0 < len(parts[-1].strip()) <= 60:
            out[column] = parts[-1].strip()
    return out


def experience_areas(rated: dict[str, int], extras: AnalysisSettings) -> list[tuple[str, str, list[str]]]:
    """(name, label, area values) as survey-layout.ts groups them: experience_areas first, then each unclaimed area by itself."""
    configured = extras.experience_areas if extras.experience_areas is not None else {snake_case(v): (v, [v]) for v in rated}
    areas, claimed = [], set()
    for key, (label, values) in configured.items():
        mine = [v for v in values if v in rated and v not in claimed]
        if mine:
            claimed.update(mine)
            areas.append((key, label, mine))
    names = {a[0] for a in areas}
    for value in sorted(v for v in rated if v not in claimed):
        name = value
        while name in names:
            name = f'{name} (survey)'
        names.add(name)
        areas.append((name, value, [value]))
    return areas


def response_key(sv: pd.DataFrame) -> pd.Series:
    """A response: the customer and its response_id, else the customer and the answer instant."""
    instant = '\x01' + sv['at'].astype(str)
    return sv['customer_id'].astype(str) + '\x00' + sv['response_id'].astype(object).where(sv['response_id'].notna(), instant)


def rows_idiomatic(sv: pd.DataFrame, targets: dict[str, list[str]]) -> pd.DataFrame:
    long = sv.assign(key=response_key(sv)).melt(id_vars=['key'], value_vars=sorted({c for cols in targets.values() for c in cols}), var_name='column', value_name='score')
    long = long.dropna(subset=['score'])
    parts = [long[long['column'].isin(cols)].assign(target=name) for name, cols in targets.items()]
    rows = pd.concat(parts).pivot_table(index='key', columns='target', values='score', aggfunc='mean')
    return rows.reindex(columns=list(targets))


def rows_best(sv: pd.DataFrame, targets: dict[str, list[str]]) -> pd.DataFrame:
    codes, keys = pd.factorize(response_key(sv))
    out = {}
    for name, cols in targets.items():
        values = sv[cols].to_numpy(dtype=float)
        present = ~np.isnan(values)
        sums = np.bincount(np.repeat(codes, len(cols)), weights=np.where(present, values, 0).ravel(), minlength=len(keys))
        counts = np.bincount(np.repeat(codes, len(cols)), weights=present.ravel().astype(float), minlength=len(keys))
        with np.errstate(invalid='ignore', divide='ignore'):
            out[name] = np.where(counts > 0, sums / np.where(counts > 0, counts, 1), np.nan)
    return pd.DataFrame(out, index=keys)


def correlation_best(complete: pd.DataFrame) -> pd.DataFrame:
    """Pearson correlations from Σv, Σv_i·v_j over the complete rows (moments.ts)."""
    v = complete.to_numpy(dtype=float)
    n = len(v)
    sums = v.sum(axis=0)
    cov = (v.T @ v - np.outer(sums, sums) / n) / (n - 1)
    sd = np.sqrt(np.maximum(np.diag(cov), 0))
    with np.errstate(invalid='ignore', divide='ignore'):
        corr = np.clip(cov / np.outer(sd, sd), -1, 1)
    np.fill_diagonal(corr, np.where(sd > 0, 1.0, np.nan))
    return pd.DataFrame(corr, index=complete.columns, columns=complete.columns)


def johnson(corr: pd.DataFrame, drivers: list[str]) -> dict:
    rxx = corr.loc[drivers, drivers].to_numpy()
    rxy = corr.loc[drivers, OUTCOME].to_numpy()
    values, vectors = np.linalg.eigh(rxx)
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    beta = np.linalg.solve(lam, rxy)
    raw = (lam**2) @ (beta**2)
    return {'raw': raw, 'r_squared': float(raw.sum()), 'standardized': np.linalg.solve(rxx, rxy), 'correlation': rxy}


def rating_scale(lowest: float, highest: float) -> tuple[int, float]:
    low = 1 if lowest >= 1 else 0
    return low, next((t for t in SCALE_TOPS if t >= highest and t > low), highest)


def key_drivers(sv: pd.DataFrame, customers: pd.Index, questions: dict[str, str], extras: AnalysisSettings, variant: str, end: pd.Timestamp | None = None) -> dict:
    """The key-drivers section of the reference's JSON: the satisfaction drivers and the areas' performance.
    `end`: the first instant after as_of; answers from then on are left out, as cxray's periodConditions leaves them out."""
    sv = sv[sv['customer_id'].isin(customers) & (True if end is None else sv['at'] < end)]
    overall = {instrument: [c for c, i in SURVEY_ANSWERS.items() if i == instrument and c not in question_areas(questions)] for instrument in OUTCOME_INSTRUMENTS}
    instrument = next((i for i in OUTCOME_INSTRUMENTS if overall[i] and sv[overall[i]].notna().to_numpy().sum() > 0), None)
    if instrument is None:
        return {'status': 'skipped', 'reason': 'no overall question'}
    by_area: dict[str, list[str]] = {}
    for column, area in question_areas(questions).items():
        by_area.setdefault(area, []).append(column)
    rated = {area: int(sv[cols].notna().to_numpy().sum()) for area, cols in by_area.items()}
    areas = experience_areas({a: n for a, n in rated.items() if n > 0}, extras)
    if len(areas) < 2:
        return {'status': 'skipped', 'reason': 'fewer than two rated areas'}
    targets = {OUTCOME: overall[instrument], **{name: [c for v in values for c in by_area[v]] for name, _, values in areas}}
    rows = (rows_idiomatic if variant == 'idiomatic' else rows_best)(sv, targets)

    answered = rows[OUTCOME].notna()
    outcome_responses = int(answered.sum())
    names = [name for name, _, _ in areas]
    counts = {a: int(rows[a].notna().sum()) for a in names}
    lows = [rows[a].min() for a in names if counts[a] > 0]
    highs = [rows[a].max() for a in names if counts[a] > 0]
    low, high = rating_scale(min([*lows, 1]), max([*highs, 0]))
    hundred = lambda x: (x - low) / (high - low) * 100  # noqa: E731
    performance = {}
    for a in names:
        x = rows[a].dropna()
        mean, sd = mean_summary(len(x), float(x.sum()), float((x * x).sum()))
        t = t_interval(len(x), mean, sd) if len(x) >= 2 else None
        performance[a] = {
            'n': len(x),
            'coverage': int((answered & rows[a].notna()).sum()) / outcome_responses if outcome_responses > 0 else 0.0,
            'mean': mean if len(x) > 0 else None,
            'performance': None if t is None else hundred(mean),
            'lower': None if t is None else hundred(t['lower']),
            'upper': None if t is None else hundred(t['upper']),
        }
    model = [a for a in names if performance[a]['coverage'] >= MINIMUM_COVERAGE]
    drivers_out, n, r_squared, withheld = [], 0, None, None
    if len(model) < 2:
        withheld = 'fewer than two areas rated in half the responses'
    else:
        complete = rows[[OUTCOME, *model]].dropna()
        n = len(complete)
        corr = complete.corr() if variant == 'idiomatic' else correlation_best(complete)
        kept = [a for a in model if np.isfinite(corr.loc[a, a]) and abs(corr.loc[a, OUTCOME]) < LEAK_CORRELATION]
        dropped = set(collinear_columns(corr.loc[kept, kept].to_numpy(), kept)) if kept else set()
        kept = [a for a in kept if a not in dropped]
        if not np.isfinite(corr.loc[OUTCOME, OUTCOME]) or n < 3:
            withheld = 'the outcome does not vary'
        elif not kept or n < ROWS_PER_DRIVER * len(kept):
            withheld = 'too few complete responses per driver'
        else:
            w = johnson(corr, kept)
            r_squared = w['r_squared']
            shares = w['raw'] / r_squared
            order = sorted(range(len(kept)), key=lambda j: (-shares[j], kept[j]))
            rank = {j: position + 1 for position, j in enumerate(order)}
            labels = {name: label for name, label, _ in areas}
            for j in order:
                drivers_out.append([kept[j], labels[kept[j]], 'rating', n, rank[j], float(w['correlation'][j]), float(w['standardized'][j]), float(w['raw'][j]), float(shares[j])])
    share_of = {row[0]: row[8] for row in drivers_out}
    matrix_rows = [
        [a, label, performance[a]['n'], performance[a]['coverage'], share_of.get(a), performance[a]['mean'], performance[a]['performance'], performance[a]['lower'], performance[a]['upper'], f'{low}-{high:g}']
        for a, label, _ in areas
    ]
    return {
        'status': 'ok',
        'outcome': instrument,
        'outcome_responses': outcome_responses,
        'n': n,
        'r_squared': r_squared,
        'withheld': withheld,
        'tables': {
            'satisfaction_drivers': table(
                ['driver', 'label', 'kind', 'n', 'rank', 'correlation', 'standardized_coefficient', 'raw_weight', 'share'], drivers_out, 'n', ('driver', 'label', 'kind')
            ),
            'importance_performance': table(
                ['area', 'label', 'responses', 'coverage', 'importance', 'mean_rating', 'performance', 'performance_lower', 'performance_upper', 'rating_scale'],
                matrix_rows,
                'responses',
                ('area', 'label'),
            ),
        },
    }


def survey_questions(path: str) -> dict[str, str]:
    """Each answer column's question text: the second header row of the Qualtrics export."""
    first = pd.read_csv(path, nrows=1, dtype=str, keep_default_na=False)
    return first.iloc[0].to_dict() if len(first) > 0 else {}
