"""Comments from the reference's survey rows, as src/analysis/comments/ defines them.

- The comments: every response with a comment (Q4_TEXT) of a customer in
  customer_facts, dated before the end of as_of (periodConditions), with the NPS and CSAT answers of the same response; its id
  the response id (else `<customer>@<epoch seconds>`, a repeat `#2`), sorted
  by id and text (comment-rows.ts). Blank and hashed (`h:` and 32 hex digits)
  texts are counted and left out.
- Language, VADER compound and themes come from cxray's text layer run on
  these texts (text_labels.py, src/bench/comment-labels.ts): a language the
  detector cannot tell ('und') is read as English; only English comments are
  scored; themes are read on at most 50,000 of them (those whose id's FNV-1a
  hash is lowest, ties by id); a comment the theme reader finds not English
  is counted under `other` and left out of sentiment (read-comments.ts).
- Languages: comments per language, English first, then by count.
- Sentiment: positive at a compound of 0.05 or more, negative at -0.05 or
  less (Wilson shares), the mean compound (t interval), its mean per NPS
  class of the response, and promoters' mean against detractors' (Welch,
  10 comments each) (comment-sentiment.ts).
- Themes: comment_themes.py.
- Over time (sentiment-trend.ts): by calendar month, by quarter when the
  comments span more than 731 days; the mean compound (t) and the shares
  positive and negative (Wilson) per period; the least-squares slope of the
  compound on the date in years, t interval on n - 2 degrees of freedom.

Variants: idiomatic counts languages and classes with value_counts and
groupby; best with np.unique, boolean masks and np.bincount over coded
periods (comment_themes.py says how the themes differ).
"""

from __future__ import annotations

import math
import re
import time

import numpy as np
import pandas as pd
from scipy import stats as sps

import text_labels
from analysis_settings import AnalysisSettings
from comment_themes import THEME_COLUMNS, THEME_KEYS, theme_impacts, theme_rows
from key_drivers import question_areas
from result_table import table
from settings import Settings, snake_case
from stats import LEVEL, t_quantile, welch, wilson

THEME_SAMPLE_SIZE = 50_000
SENTIMENT_THRESHOLD = 0.05
MINIMUM_CLASS_COMMENTS = 10
MONTHS_SPAN_DAYS = 731
YEAR_SECONDS = 365.25 * 86_400
HASHED = re.compile(r'^h:[0-9a-f]{32}$')
UNREADABLE = 'other'
LANGUAGE_NAMES = {'en': 'English', 'es': 'Spanish', 'fr': 'French', 'de': 'German', 'it': 'Italian', 'pt': 'Portuguese', 'nl': 'Dutch', UNREADABLE: 'no recognisable language'}
NPS_CLASSES = ['promoter', 'passive', 'detractor']
SENTIMENTS = ['positive', 'neutral', 'negative']


def _number_text(x: float) -> str:
    """A number as JavaScript's String() writes it (whole numbers without '.0')."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _seconds(at: pd.Series) -> pd.Series:
    """Epoch seconds of naive UTC timestamps, from whole microseconds as DuckDB's epoch() computes them."""
    return (at.astype('int64') // 1000) / 1e6


def comment_rows(survey: pd.DataFrame, customer_ids: pd.Index, end: pd.Timestamp) -> pd.DataFrame:
    """id, text, nps, csat, at (epoch seconds): one row per comment dated before `end`, sorted by id then text."""
    sv = survey[survey['Q4_TEXT'].notna() & survey['customer_id'].isin(customer_ids) & (survey['at'] < end)]
    seconds = _seconds(sv['at'])
    fallback = sv['customer_id'].astype(str) + '@' + seconds.map(_number_text)
    key = sv['response_id'].astype(object).where(sv['response_id'].notna(), fallback)
    rows = pd.DataFrame({'key': key.to_numpy(), 'text': sv['Q4_TEXT'].astype(str).to_numpy(), 'nps': sv['Q1'].to_numpy(dtype=float), 'csat': sv['Q3'].to_numpy(dtype=float), 'at': seconds.to_numpy()})
    rows = rows.sort_values(['key', 'text'], kind='mergesort').reset_index(drop=True)
    ids, used = [], set()
    for k in rows['key']:
        unique, repeat = k, 2
        while unique in used:
            unique, repeat = f'{k}#{repeat}', repeat + 1
        used.add(unique)
        ids.append(unique)
    return rows.assign(id=ids).drop(columns='key')


def fnv1a(text: str) -> int:
    """read-comments.ts idHash: FNV-1a, 32 bits, over UTF-16 code units."""
    h = 0x811C9DC5
    units = text.encode('utf-16-le')
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def theme_sample(ids: list[str], size: int) -> set[str]:
    if len(ids) <= size:
        return set(ids)
    return {i for _, i in sorted((fnv1a(i), i) for i in ids)[:size]}


def read_comments(rows: pd.DataFrame, concepts: dict) -> dict:
    """read-comments.ts readComments on the reference's rows, with the text layer's labels."""
    text = rows['text']
    blank = text.str.strip() == ''
    hashed = ~blank & text.str.strip().str.match(HASHED)
    readable = rows[~blank & ~hashed]
    started = time.perf_counter()
    labels = text_labels.ask({'step': 'read', 'comments': [{'id': i, 'text': t} for i, t in zip(readable['id'], readable['text'])]})['labels']
    text_seconds = time.perf_counter() - started
    by_id = {label['id']: label for label in labels}
    language = {i: ('en' if by_id[i]['language'] == 'und' else by_id[i]['language']) for i in readable['id']}
    candidates = readable[[language[i] == 'en' for i in readable['id']]].assign(compound=lambda f: [by_id[i]['compound'] for i in f['id']])
    sample = theme_sample(candidates['id'].tolist(), THEME_SAMPLE_SIZE)
    in_sample = candidates['id'].isin(sample).to_numpy()
    started = time.perf_counter()
    answer = text_labels.ask({
        'step': 'themes',
        'comments': [{'id': i, 'text': t, 'sentiment': c} for i, t, c in zip(candidates['id'][in_sample], candidates['text'][in_sample], candidates['compound'][in_sample])],
        'concepts': concepts,
    })
    text_seconds += time.perf_counter() - started
    assignments = {a['id']: a for a in answer['assignments']}
    status = [assignments[i]['status'] if i in assignments else None for i in candidates['id']]
    for i, s in zip(candidates['id'], status):
        if s == 'not_english':
            language[i] = UNREADABLE
    english = candidates[[s != 'not_english' for s in status]].copy()
    themed_flags = [i in assignments for i in english['id']]
    english['themed'] = themed_flags
    english['primary'] = [assignments[i]['primary'] if i in assignments else None for i in english['id']]
    english['themes'] = [
        ([a['primary']] if a['primary'] is not None else []) + [k for k in a['secondary'] if k != a['primary']] if (a := assignments.get(i)) is not None else []
        for i in english['id']
    ]
    return {
        'total': len(language), 'blank': int(blank.sum()), 'hashed': int(hashed.sum()), 'language': language, 'english': english.reset_index(drop=True),
        'themed': int(sum(themed_flags)), 'sampled': len(sample) < len(candidates), 'themes': answer['themes'], 'min_theme_size': answer['min_theme_size'],
        'text_layer_seconds': text_seconds,
    }


def language_rows(language: dict[str, str], variant: str) -> list[list]:
    codes = pd.Series(list(language.values()), dtype=object)
    if variant == 'idiomatic':
        counts = codes.value_counts()
    else:
        names, sizes = np.unique(codes.to_numpy(dtype=str), return_counts=True)
        counts = pd.Series(sizes, index=names)
    ordered = sorted(counts.items(), key=lambda kv: (kv[0] != 'en', -kv[1], kv[0]))
    total = len(language)
    return [[code, LANGUAGE_NAMES.get(code, code), 'scored' if code == 'en' else 'not scored', int(n), n / total if total > 0 else None] for code, n in ordered]


def _mean(values: np.ndarray) -> dict | None:
    n = len(values)
    if n < 2:
        return None
    total, squares = float(values.sum()), float((values * values).sum())
    mean = total / n
    return {**_interval(n, mean, math.sqrt(max(0.0, (squares - n * mean * mean) / (n - 1)))), 'n': n, 'sd': math.sqrt(max(0.0, (squares - n * mean * mean) / (n - 1)))}


def _interval(n: int, mean: float, sd: float) -> dict:
    half = t_quantile(0.5 + LEVEL / 2, n - 1) * sd / math.sqrt(n)
    return {'estimate': mean, 'lower': mean - half, 'upper': mean + half}


def _sentiment(compound: np.ndarray) -> np.ndarray:
    return np.select([compound >= SENTIMENT_THRESHOLD, compound <= -SENTIMENT_THRESHOLD], ['positive', 'negative'], 'neutral')


def _nps_class(nps: np.ndarray) -> np.ndarray:
    return np.select([np.isnan(nps), nps >= 9, nps >= 7], [None, 'promoter', 'passive'], 'detractor')


def sentiment(english: pd.DataFrame, variant: str) -> dict:
    """comment-sentiment.ts sentimentSummary: the three shares, the mean compound, by NPS class, and promoters against detractors."""
    compound = english['compound'].to_numpy(dtype=float)
    klass = _sentiment(compound)
    nps_class = _nps_class(english['nps'].to_numpy(dtype=float))
    n = len(english)
    if variant == 'idiomatic':
        counts = pd.Series(klass).value_counts()
        frame = pd.DataFrame({'nps_class': nps_class, 'compound': compound, 'negative': klass == 'negative'}).dropna(subset=['nps_class'])
        by = frame.groupby('nps_class')
        per_class = {c: (frame.loc[frame['nps_class'] == c, 'compound'].to_numpy(), int(by['negative'].sum().get(c, 0))) for c in NPS_CLASSES}
    else:
        counts = pd.Series({c: int((klass == c).sum()) for c in SENTIMENTS})
        per_class = {c: (compound[nps_class == c], int(((nps_class == c) & (klass == 'negative')).sum())) for c in NPS_CLASSES}
    shares = [] if n == 0 else [[c, int(counts.get(c, 0)), *(wilson(int(counts.get(c, 0)), n)[k] for k in ('estimate', 'lower', 'upper'))] for c in SENTIMENTS]
    by_class = []
    for c in NPS_CLASSES:
        values, negative = per_class[c]
        m = _mean(values)
        by_class.append([c, len(values), *((None,) * 3 if m is None else (m['estimate'], m['lower'], m['upper'])), negative / len(values) if len(values) > 0 else None])
    promoters, detractors = _mean(per_class['promoter'][0]), _mean(per_class['detractor'][0])
    agreement = None
    if len(per_class['promoter'][0]) >= MINIMUM_CLASS_COMMENTS and len(per_class['detractor'][0]) >= MINIMUM_CLASS_COMMENTS and (promoters['sd'] > 0 or detractors['sd'] > 0):
        w = welch((promoters['n'], promoters['estimate'], promoters['sd']), (detractors['n'], detractors['estimate'], detractors['sd']))
        agreement = {**w, 'n': promoters['n'] + detractors['n'], 'verdict': 'agrees' if w['lower'] > 0 else 'disagrees'}
    return {'shares': shares, 'by_class': by_class, 'compound': _mean(compound), 'with_nps': int((nps_class != None).sum()), 'agreement': agreement}  # noqa: E711


def trend(english: pd.DataFrame, variant: str) -> dict:
    """sentiment-trend.ts sentimentTrend: per month (quarter past 731 days) and the slope per year."""
    if len(english) == 0:
        return {'unit': 'month', 'rows': [], 'slope': None}
    at = english['at'].to_numpy(dtype=float)
    first, last = float(at.min()), float(at.max())
    unit = 'quarter' if last - first > MONTHS_SPAN_DAYS * 86_400 else 'month'
    when = pd.to_datetime(at * 1e6, unit='us')
    period = when.strftime('%Y-%m') if unit == 'month' else pd.Index(when.year.astype(str) + '-Q' + ((when.month - 1) // 3 + 1).astype(str))
    compound = english['compound'].to_numpy(dtype=float)
    klass = _sentiment(compound)
    rows = []
    if variant == 'idiomatic':
        groups = pd.DataFrame({'period': np.asarray(period), 'compound': compound, 'klass': klass}).groupby('period')
        parts = [(p, g['compound'].to_numpy(), int((g['klass'] == 'positive').sum()), int((g['klass'] == 'negative').sum())) for p, g in groups]
    else:
        codes, names = pd.factorize(np.asarray(period), sort=True)
        order = np.argsort(codes, kind='stable')
        bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
        positive = np.bincount(codes, weights=(klass == 'positive'), minlength=len(names))
        negative = np.bincount(codes, weights=(klass == 'negative'), minlength=len(names))
        parts = [(names[k], compound[order[bounds[k]:bounds[k + 1]]], int(positive[k]), int(negative[k])) for k in range(len(names))]
    for p, values, pos, neg in sorted(parts, key=lambda x: x[0]):
        m, n = _mean(values), len(values)
        pw, nw = wilson(pos, n), wilson(neg, n)
        rows.append([p, n, *((None,) * 3 if m is None else (m['estimate'], m['lower'], m['upper'])), pw['estimate'], pw['lower'], pw['upper'], nw['estimate'], nw['lower'], nw['upper']])
    return {'unit': unit, 'rows': rows, 'slope': _slope((at - first) / YEAR_SECONDS, compound)}


def _slope(t: np.ndarray, y: np.ndarray) -> dict | None:
    n = len(t)
    if n < 3:
        return None
    tc, yc = t - t.mean(), y.mean()
    sxx = float((tc * tc).sum())
    if not sxx > 0:
        return None
    slope = float((tc * (y - yc)).sum()) / sxx
    residuals = float(((y - (yc + slope * tc)) ** 2).sum())
    se = math.sqrt(residuals / (n - 2) / sxx)
    if not se > 0:
        return None
    half = t_quantile(0.5 + LEVEL / 2, n - 2) * se
    return {'estimate': slope, 'lower': slope - half, 'upper': slope + half, 'p_value': 2 * float(sps.t.sf(abs(slope / se), n - 2)), 'n': n}


def experience_areas(questions: dict[str, str], extras: AnalysisSettings) -> dict[str, tuple[str, list[str]]]:
    """cxray.yaml's experience_areas (key -> label, survey areas), else init's: one per rated survey area."""
    if extras.experience_areas is not None:
        return extras.experience_areas
    return {snake_case(area): (area, [area]) for area in question_areas(questions).values()}


def comments(facts: pd.DataFrame, tables: dict[str, pd.DataFrame], questions: dict[str, str], concepts: dict, settings: Settings, extras: AnalysisSettings, variant: str) -> dict:
    survey = tables.get('survey_responses')
    rows = comment_rows(survey, pd.Index(facts['customer_id']), settings.end) if survey is not None else pd.DataFrame()
    if len(rows) == 0:
        return {'status': 'skipped', 'reason': 'no comment'}
    read = read_comments(rows, concepts)
    if read['total'] == 0:
        return {'status': 'skipped', 'reason': 'every comment is blank or hashed'}
    english = read['english']
    summary = sentiment(english, variant)
    themed = english[english['themed']].reset_index(drop=True)
    impacts = theme_impacts(themed, read['themes'], experience_areas(questions, extras), variant)
    over_time = trend(english, variant)
    tables_out = {'comment_languages': table(['language', 'name', 'status', 'comments', 'share'], language_rows(read['language'], variant), 'comments', ('language', 'name', 'status'))}
    if len(english) > 0:
        share_columns = ['share', 'lower', 'upper']
        tables_out.update({
            'comment_sentiment': table(['sentiment', 'comments', *share_columns], summary['shares'], 'comments', ('sentiment',)),
            'comment_sentiment_by_nps': table(['nps_class', 'comments', 'mean_compound', 'lower', 'upper', 'negative_share'], summary['by_class'], 'comments', ('nps_class',)),
            'comment_themes': table(THEME_COLUMNS, theme_rows(impacts), 'mentions', THEME_KEYS),
            'comment_sentiment_trend': table(
                ['period', 'comments', 'mean_compound', 'lower', 'upper', 'positive_share', 'positive_lower', 'positive_upper', 'negative_share', 'negative_lower', 'negative_upper'],
                over_time['rows'], 'comments', ('period',),
            ),
        })
    shares = {row[0]: {'estimate': row[2], 'lower': row[3], 'upper': row[4], 'n': len(english)} for row in summary['shares'] if row[0] != 'neutral'}
    return {
        'status': 'ok', 'comments': read['total'], 'english': len(english), 'blank': read['blank'], 'hashed': read['hashed'], 'themed': read['themed'],
        'sampled': read['sampled'], 'min_theme_size': read['min_theme_size'], 'with_nps': summary['with_nps'], 'text_layer_seconds': read['text_layer_seconds'],
        'findings': {
            'positive_share': shares.get('positive'), 'negative_share': shares.get('negative'),
            'sentiment_nps_agreement': summary['agreement'] if len(english) > 0 else None,
            'sentiment_trend': over_time['slope'],
        },
        'tables': tables_out,
    }
