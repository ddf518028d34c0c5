"""The experience scorecard from the reference's frames, as src/analysis/scorecard/ defines it.

- Areas (area-scores.ts): the survey answers of the customers in scope dated
  before the end of as_of (as every scorecard query reads them); the
  experience areas key-drivers weighs (key_drivers.py experience_areas); each
  response's rating of an area the mean of its answers about it
  (key_drivers.rows_*), the response dated by its first scored answer and
  indexed by whole days from as_of (truncated toward zero).
  Each area's score is its mean rating on 0-100 of the scale (read from every
  area's answers), with the clustered t interval of customer_blocks.py (the
  customers' bootstrap blocks as units, reproduced from the MD5 of the id);
  the overall is the equal-weight mean of the area scores with its own
  clustered interval; each area's trend per quarter over two quarters of
  answers, cluster-robust.
- Status (status.ts, scorecard-model.ts): weak when the area's upper bound lies
  below the overall minus the margin (thresholds.scorecard_margin, 5), strong
  symmetrically, else average; from 30 responses, and only with two scored
  areas. The characteristics of an outstanding experience
  (scorecard_characteristics.py) group the areas, their equal-weight score
  rated the same way when they hold some but not all of the scored areas.
- Importance (importance.ts): each area's share of the explained variation in
  the overall answer and its rank, read from the key-drivers section
  (key_drivers.py), the line at an equal share; the quadrant by status.
- Touchpoints (scorecard_contacts.py), rated against every contact the same
  way; NPS, CSAT and CES over time (scorecard_series.py).
- Trends claimed (scorecard-findings.ts): every area's and contact measure's
  slope in one Benjamini-Hochberg family at the FDR, at least a quarter of the
  points threshold a quarter, the interval clear of zero.

Point estimates, intervals, p- and q-values are all reproduced; not the
importance's bootstrap interval, which is key-drivers' own.

Variants: best sums the area measures per block with np.bincount over the
responses; idiomatic pivots the answers (key_drivers.rows_idiomatic) and
groups each area's responses by block with pandas. See scorecard_contacts.py
and scorecard_series.py for theirs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis_settings import AnalysisSettings
from customer_blocks import block_lookup, clustered_mean, combined_mean, day_index, grouped_measure_sums, measure_range, measure_sums, trend_of
from key_drivers import OUTCOME_INSTRUMENTS, experience_areas, question_areas, rating_scale, response_key, rows_best, rows_idiomatic
from result_table import table
from scorecard_characteristics import CHARACTERISTICS, LABELS, area_characteristic, configured_characteristic
from scorecard_contacts import behaviour_touchpoints, contact_touchpoints
from scorecard_series import satisfaction_series
from settings import Settings, snake_case
from stats import benjamini_hochberg
from sources import SURVEY_ANSWERS

MINIMUM_RATED = 30
MEASURE_NAMES = {'resolution': 'resolution', 'interaction_satisfaction': 'satisfaction with the contact', 'contact_rate': 'contact rate'}
SCORED = [c for c, i in SURVEY_ANSWERS.items() if i != 'comment']


def response_frame(sv: pd.DataFrame, targets: dict[str, list[str]], variant: str) -> pd.DataFrame:
    """One row per response with a scored answer: its customer, its first instant, and each area's mean rating."""
    scored = sv[sv[SCORED].notna().any(axis=1)]
    if variant == 'idiomatic':
        ratings = rows_idiomatic(scored, targets)
        who = scored.assign(key=response_key(scored)).groupby('key').agg(customer_id=('customer_id', 'first'), at=('at', 'min'))
        return who.join(ratings)
    ratings = rows_best(scored, targets)
    codes, keys = pd.factorize(response_key(scored))
    first = np.full(len(keys), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, scored['at'].to_numpy(dtype='datetime64[ns]').astype(np.int64))
    who = pd.DataFrame({'customer_id': pd.Series(scored['customer_id'].to_numpy()).groupby(codes).first().to_numpy(), 'at': pd.to_datetime(first)}, index=keys)
    return who.join(ratings)


def area_scores(responses: pd.DataFrame, areas: list[tuple[str, str, list[str]]], block_of, settings: Settings, variant: str) -> dict:
    """Each area's n, mean rating, score with interval and trend; the scale, the overall, and the responses rating any area."""
    names = [name for name, _, _ in areas]
    block = block_of(responses['customer_id'])
    day = day_index(responses['at'], settings.start)
    frame = responses.assign(block=block, day=day)
    sums = {a: grouped_measure_sums(frame, a) if variant == 'idiomatic' else measure_sums(block, frame[a].to_numpy(dtype=float), day) for a in names}
    ranges = {a: measure_range(sums[a]) for a in names}
    seen = [r for r in ranges.values() if r is not None]
    low, high = rating_scale(min([r['lowest'] for r in seen] + [1]), max([r['highest'] for r in seen] + [0]))
    # key-drivers' toHundred, operation for operation (the trends' slope is scaled by 100 / (high − low), as cxray's is).
    hundred = lambda x: (x - low) / (high - low) * 100  # noqa: E731
    per = 100 / (high - low)
    out = []
    for name, label, values in areas:
        mean = clustered_mean(sums[name]['m'], sums[name]['y'])
        r = ranges[name]
        score = None if mean is None else {'score': hundred(mean['estimate']), 'lower': hundred(mean['lower']), 'upper': hundred(mean['upper']), 'mean': mean}
        trend = {'per_quarter': None, 'why': 'no answers'} if r is None else trend_of(sums[name], r['last_day'] - r['first_day'], per)
        out.append({'name': name, 'label': label, 'values': values, 'n': 0 if r is None else r['n'], 'mean_rating': None if mean is None else mean['estimate'], 'score': score, 'trend': trend})
    scored = [a['score'] for a in out if a['score'] is not None]
    return {'scale': (low, high), 'areas': out, 'overall': equal_weight(scored, low, high), 'responses': int(frame[names].notna().any(axis=1).sum())}


def equal_weight(scores: list[dict], low: float, high: float) -> dict | None:
    """The equal-weight mean of area scores (each counts once) on 0-100, its interval from the combined block influence."""
    combined = combined_mean([(s['mean'], 1 / len(scores)) for s in scores]) if scores else None
    if combined is None:
        return None
    hundred = lambda x: (x - low) / (high - low) * 100  # noqa: E731
    return {'score': hundred(combined['estimate']), 'lower': hundred(combined['lower']), 'upper': hundred(combined['upper']), 'mean': combined}


def rate(score: dict | None, n: int, overall: float | None, margin: float, comparable: bool) -> tuple[str | None, str | None]:
    """(status, why not) by scorecard-model.ts rate and status.ts areaStatus."""
    if not comparable:
        return None, 'nothing else to compare it with'
    if score is None or overall is None:
        return None, 'too few answers for an interval'
    if n < MINIMUM_RATED:
        return None, f'fewer than {MINIMUM_RATED} observations ({n})'
    return ('weak' if score['upper'] < overall - margin else 'strong' if score['lower'] > overall + margin else 'average'), None


def importance_of(kd: dict | None) -> dict | None:
    """Area -> (share, rank) from key-drivers' satisfaction_drivers table; None when it weighed nothing."""
    if kd is None or kd.get('status') != 'ok':
        return None
    t = kd['tables']['satisfaction_drivers']
    at = {c: i for i, c in enumerate(t['columns'])}
    by_area = {row[at['driver']]: (row[at['share']], row[at['rank']]) for row in t['rows'] if row[at['share']] is not None and row[at['rank']] is not None}
    return by_area or None


def quadrant(status: str | None, weight: tuple | None, equal_share: float) -> str | None:
    if weight is None or status is None or status == 'average':
        return None
    important = weight[0] >= equal_share
    if status == 'weak':
        return 'fix first' if important else 'low priority'
    return 'keep up' if important else 'possible overkill'


def scorecard(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], questions: dict[str, str], kd: dict | None, settings: Settings, extras: AnalysisSettings, variant: str) -> dict:
    """The scorecard section of the reference's JSON."""
    customers = pd.Index(facts['customer_id'])
    # Rows of customers in scope dated before the end of as_of (cxray's periodConditions, with or without a period).
    sv = tables['survey_responses']
    sv = sv[sv['customer_id'].isin(customers) & (sv['at'] < settings.end)]
    area_of = question_areas(questions)
    by_area: dict[str, list[str]] = {}
    for column, area in area_of.items():
        by_area.setdefault(area, []).append(column)
    rated = {area: int(sv[cols].notna().to_numpy().sum()) for area, cols in by_area.items()}
    areas = experience_areas({a: n for a, n in rated.items() if n > 0}, extras)
    specs = extras.experience_area_specs if extras.experience_area_specs is not None else {snake_case(v): {'label': v, 'survey_areas': [v]} for v, n in rated.items() if n > 0}
    overall_columns = {i: [c for c, x in SURVEY_ANSWERS.items() if x == i and c not in area_of] for i in OUTCOME_INSTRUMENTS}
    instrument = next((i for i in OUTCOME_INSTRUMENTS if overall_columns[i] and sv[overall_columns[i]].notna().to_numpy().sum() > 0), None)
    margin = extras.scorecard_margin

    block_of = block_lookup(facts['customer_id'], variant)
    scores = None
    if areas:
        targets = {name: [c for v in values for c in by_area[v]] for name, _, values in areas}
        scores = area_scores(response_frame(sv, targets, variant), areas, block_of, settings, variant)
    ix = tables['interactions']
    contacts = contact_touchpoints(ix[ix['customer_id'].isin(customers) & (ix['at'] < settings.end)], facts, specs, block_of, settings, variant)
    behaviours, _ = behaviour_touchpoints(facts, specs, settings)
    weights = importance_of(kd) if len(areas) >= 2 and instrument is not None else None
    has_answers = bool(sv[SCORED].notna().to_numpy().any())
    unit, series = satisfaction_series(sv, set(area_of), settings.fiscal_year_start_month, variant) if has_answers else ('quarter', [])
    overall = None if scores is None else scores['overall']
    if overall is None and not contacts and not behaviours and not series:
        return {'status': 'skipped', 'reason': 'nothing measures the experience'}

    # Areas rated against the overall, placed on the matrix, under their characteristic.
    equal_share = None if weights is None else 1 / len(weights)
    scored_count = 0 if scores is None else sum(1 for a in scores['areas'] if a['score'] is not None)
    overall_score = None if overall is None else overall['score']
    rated_areas = []
    for a in [] if scores is None else scores['areas']:
        status, why = rate(a['score'], a['n'], overall_score, margin, scored_count >= 2)
        weight = None if weights is None else weights.get(a['name'])
        characteristic, source = area_characteristic(specs, a['name'], a['label'], a['values'])
        rated_areas.append({**a, 'status': status, 'why': why, 'weight': weight, 'quadrant': None if weights is None else quadrant(status, weight, equal_share), 'characteristic': characteristic, 'from': source})
    contacts = rate_contacts(contacts, specs, margin)
    low, high = (None, None) if scores is None else scores['scale']
    characteristics = []
    for c in CHARACTERISTICS:
        mine = [a for a in rated_areas if a['characteristic'] == c]
        touch = [t for t in contacts if t['characteristic'] == c and t['kind'] != 'all' and t['values']]
        acts = [b for b in behaviours if configured_characteristic(specs, b['area']) == c]
        with_scores = [a['score'] for a in mine if a['score'] is not None]
        score = equal_weight(with_scores, low, high) if scores is not None and with_scores else None
        n = sum(a['n'] for a in mine)
        status = None if score is None else rate(score, n, overall_score, margin, scored_count >= 2 and len(with_scores) < scored_count)[0]
        characteristics.append({'characteristic': c, 'areas': mine, 'contacts': touch, 'behaviours': acts, 'score': score, 'n': n, 'status': status})

    trends, family = trend_findings(rated_areas, contacts, settings, extras)
    findings = [('scorecard.weak_area' if a['status'] == 'weak' else 'scorecard.strong_area', a['n']) for a in rated_areas if a['score'] is not None and a['status'] in ('weak', 'strong')]
    if overall is not None:
        findings.append(('scorecard.overall', scores['responses']))
    findings += [('scorecard.trend', t['n']) for t in trends]
    findings += [('scorecard.weak_touchpoint' if v['status'] == 'weak' else 'scorecard.strong_touchpoint', v['n']) for t in contacts for v in t['values'] if v['status'] in ('weak', 'strong') and v['overall'] is not None]
    for s in series:
        if s['points']:
            findings.append((f'scorecard.latest_{s["instrument"]}', s['points'][-1]['n']))
        findings += [('scorecard.control_signal', p['n']) for p in s['points'] if p['signal'] is not None and p['centre'] is not None]
    counts: dict[str, int] = {}
    for code, n in findings:
        if n >= 5:
            counts[code] = counts.get(code, 0) + 1
    return {
        'status': 'ok',
        'responses': None if scores is None else scores['responses'],
        'rating_scale': None if scores is None else f'{low}-{high:g}',
        'overall': None if overall is None else {'estimate': overall['score'], 'lower': overall['lower'], 'upper': overall['upper'], 'n': scores['responses']},
        'period_unit': unit,
        'trend_family': family,
        'trends': [t for t in trends if t['n'] >= 5],
        'finding_counts': counts,
        'tables': tables_of(rated_areas, overall_score, characteristics, contacts, behaviours, specs, unit, series),
    }


def rate_contacts(contacts: list[dict], specs: dict[str, dict], margin: float) -> list[dict]:
    """Each touchpoint's characteristic (an area's, else solving the problem) and each measure rated against every contact; the contact rate is not rated."""
    everyone = next((t for t in contacts if t['kind'] == 'all'), None)
    overall_of = {v['measure']: v['value'] for v in ([] if everyone is None else everyone['values'])}
    out = []
    for t in contacts:
        values = []
        for v in t['values']:
            overall = None if t['kind'] == 'all' else overall_of.get(v['measure'])
            status, why = (None, None) if t['kind'] == 'all' or v['measure'] == 'contact_rate' else rate(v, v['n'], overall, margin, True)
            values.append({**v, 'overall': overall, 'status': status, 'why': why})
        out.append({**t, 'characteristic': configured_characteristic(specs, t['key']) if t['kind'] == 'area' else 'solves_problem', 'values': values})
    return out


def trend_findings(areas: list[dict], contacts: list[dict], settings: Settings, extras: AnalysisSettings) -> tuple[list[dict], int]:
    """The trends claimed, with their p and q; and the size of the family screened."""
    candidates = [{'subject': a['label'], 'n': a['n'], **a['trend']} for a in areas if a['trend']['per_quarter'] is not None]
    for t in contacts:
        for v in t['values']:
            if v['trend'] is not None and v['trend']['per_quarter'] is not None:
                candidates.append({'subject': f'{t["label"][:1].upper()}{t["label"][1:]}: {MEASURE_NAMES[v["measure"]]}', 'n': v['n'], **v['trend']})
    q = benjamini_hochberg([c['p_value'] for c in candidates])
    threshold = extras.points_threshold / 4
    claimed = []
    for c, qv in zip(candidates, q):
        passes = qv <= settings.fdr and abs(c['per_quarter']) >= threshold
        if passes and not (c['lower'] <= 0 <= c['upper']):
            claimed.append({'subject': c['subject'], 'estimate': c['per_quarter'], 'lower': c['lower'], 'upper': c['upper'], 'n': c['n'], 'p_value': c['p_value'], 'q_value': qv})
    return claimed, len(candidates)


def tables_of(areas: list[dict], overall: float | None, characteristics: list[dict], contacts: list[dict], behaviours: list[dict], specs: dict[str, dict], unit: str, series: list[dict]) -> dict:
    trend = lambda t: [t['per_quarter'], t.get('lower'), t.get('upper')]  # noqa: E731
    area_rows = [
        [
            a['name'], a['label'], a['characteristic'], a['from'], a['n'], a['mean_rating'],
            *([None] * 3 if a['score'] is None else [a['score']['score'], a['score']['lower'], a['score']['upper']]),
            overall, None if a['score'] is None or overall is None else a['score']['score'] - overall,
            a['status'], a['why'], *trend(a['trend']), a['trend'].get('why'),
            None if a['weight'] is None else a['weight'][0], None if a['weight'] is None else a['weight'][1], a['quadrant'],
        ]
        for a in areas
    ]
    characteristic_rows = []
    for c in characteristics:
        s = c['score']
        row = [
            c['characteristic'], LABELS[c['characteristic']], 'measured' if c['areas'] or c['contacts'] or c['behaviours'] else 'not measured',
            '; '.join(a['label'] for a in c['areas']) or None, '; '.join([*(t['label'] for t in c['contacts']), *(b['label'] for b in c['behaviours'])]) or None,
            c['n'], *([None] * 3 if s is None else [s['score'], s['lower'], s['upper']]), c['status'],
        ]
        # A characteristic's score rests on its areas: rows of 1 to 4 responses keep their names only.
        characteristic_rows.append(row[:5] + [None] * 5 if 0 < c['n'] < 5 else row)
    touch_rows = [
        [t['kind'], t['key'], t['label'], t['characteristic'], v['measure'], v['n'], v['value'], v['lower'], v['upper'], v['overall'], v['status'], v['why'], *(trend(v['trend']) if v['trend'] is not None else [None] * 3)]
        for t in contacts
        for v in t['values']
    ]
    touch_rows += [
        ['behaviour', b['key'], b['label'], configured_characteristic(specs, b['area']), 'adoption', b['customers'], b['adoption'], b['lower'], b['upper'], None, None, 'adoption of different behaviours is not comparable', None, None, None]
        for b in behaviours
    ]
    series_rows = [
        [s['instrument'], unit, p['period'], p['start'], p['n'], p['customers'], p['mean_answer'], p['estimate'], p['lower'], p['upper'], p['centre'], p['lower_limit'], p['upper_limit'], p['signal']]
        for s in series
        for p in s['points']
    ]
    return {
        'scorecard_areas': table(
            ['area', 'label', 'characteristic', 'characteristic_from', 'responses', 'mean_rating', 'score', 'lower', 'upper', 'overall', 'difference', 'status', 'not_rated_because',
             'trend_per_quarter', 'trend_lower', 'trend_upper', 'no_trend_because', 'importance', 'importance_rank', 'quadrant'],
            area_rows, 'responses', ('area', 'label', 'characteristic', 'characteristic_from'),
        ),
        'scorecard_characteristics': table(['characteristic', 'label', 'measured', 'areas', 'touchpoints', 'responses', 'score', 'lower', 'upper', 'status'], characteristic_rows),
        'scorecard_touchpoints': table(
            ['kind', 'key', 'label', 'characteristic', 'measure', 'n', 'value', 'lower', 'upper', 'overall', 'status', 'not_rated_because', 'trend_per_quarter', 'trend_lower', 'trend_upper'],
            touch_rows, 'n', ('kind', 'key', 'label', 'characteristic', 'measure'),
        ),
        'satisfaction_over_time': table(
            ['instrument', 'period_unit', 'period', 'start', 'answers', 'customer_months', 'mean_answer', 'value', 'lower', 'upper', 'centre', 'lower_limit', 'upper_limit', 'signal'],
            series_rows, 'answers', ('instrument', 'period_unit', 'period', 'start'),
        ),
    }
