"""Each theme's impact on NPS and its experience area (comments/theme-impact.ts, area-links.ts), from the reference's read comments.

- Over the English comments whose themes were read: a theme's mentions
  (primary or other theme), its share with Wilson's interval, the mean
  compound of those comments (t interval), the NPS of those mentioning it
  against the other commenters (each side needs 30 NPS answers; the
  difference's variance the sum of the two multinomial variances, Rocks
  2016), the one-sided p of a lower NPS, Benjamini-Hochberg across the
  themes compared, the status (an alert: a complaint theme, q within 5%,
  the whole interval 5 points below zero, 2% of the comments), the NPS
  points it costs (share x gap), the CSAT means; sorted by that cost.
- The experience area: the theme's area matched to cxray.yaml's
  experience_areas by key, by a label or survey area naming it, else by
  shared words (the area's words and the words it is often named with count
  twice, the concept label's once; 2 needed).

Variants: idiomatic explodes each comment's themes into rows and counts with
a groupby; best builds one comments x themes membership matrix and gets every
count and sum by matrix products.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from scipy import stats as sps

from stats import Z, benjamini_hochberg, nps_interval, t_interval, wilson

MINIMUM_NPS_ANSWERS = 30
MIN_SHARE = 0.02
NPS_MARGIN = 5
FDR = 0.05

AREA_WORDS = {
    'billing': ['billing', 'bill', 'invoice', 'payment', 'charge', 'statement'],
    'price': ['price', 'pricing', 'value', 'cost', 'tariff', 'fee'],
    'support': ['support', 'service', 'help', 'care', 'contact', 'helpdesk', 'assistance'],
    'staff': ['staff', 'people', 'employee', 'team', 'agent', 'personnel', 'advisor'],
    'digital': ['digital', 'app', 'website', 'web', 'online', 'mobile', 'portal', 'self-service'],
    'network': ['network', 'coverage', 'signal', 'connection', 'connectivity', 'reliability', 'outage'],
    'onboarding': ['onboarding', 'setup', 'start', 'started', 'activation', 'signup', 'welcome', 'installation'],
    'communication': ['communication', 'information', 'offer', 'message', 'newsletter', 'marketing', 'notification'],
    'delivery': ['delivery', 'shipping', 'courier', 'dispatch', 'logistics'],
    'product': ['product', 'quality', 'range', 'feature', 'assortment', 'catalogue'],
    'returns': ['return', 'refund', 'exchange'],
    'contract': ['contract', 'cancellation', 'cancel', 'renewal', 'termination', 'commitment'],
    'store': ['store', 'shop', 'branch', 'outlet', 'showroom'],
    'trust': ['trust', 'security', 'privacy', 'honesty', 'fraud', 'safety'],
    'loyalty': ['loyalty', 'reward', 'perk', 'member', 'membership'],
}
GENERIC = {'and', 'or', 'the', 'of', 'a', 'an', 'to', 'for', 'with', 'in', 'on', 'our', 'your', 'customer', 'customers', 'client', 'experience', 'overall', 'general', 'other'}


def _words(text: str) -> list[str]:
    out = []
    for part in re.split(r'[^\w-]+', text.lower()):
        for w in part.split('_'):
            if len(w) > 1 and w not in GENERIC:
                out.append(w[:-1] if len(w) > 3 and w.endswith('s') and not w.endswith('ss') else w)
    return out


def area_link(area: str | None, concept_label: str | None, areas: dict[str, tuple[str, list[str]]]) -> tuple[str | None, str]:
    """(experience_areas key or None, how): key, name, words, none, or no_area."""
    if area is None or area.strip() == '':
        return None, 'no_area'
    if area in areas:
        return area, 'key'
    name = ' '.join(_words(area))
    for key, (label, values) in areas.items():
        if name != '' and any(n != '' and ' '.join(_words(n)) == name for n in [key, label, *values]):
            return key, 'name'
    strong = set(_words(area)) | {w for word in AREA_WORDS.get(area, []) for w in _words(word)}
    weak = set(_words(concept_label)) if concept_label is not None else set()
    best, best_score = None, 0
    for key, (label, values) in areas.items():
        own = {w for n in [key, label, *values] for w in _words(n)}
        score = sum(2 if w in strong else 1 if w in weak else 0 for w in own)
        if score >= 2 and (best is None or score > best_score):
            best, best_score = key, score
    return (best, 'words') if best is not None else (None, 'none')


def _mean(n: int, total: float, squares: float) -> dict | None:
    """meanOf: the t interval of at least 2 values."""
    if n < 2:
        return None
    mean = total / n
    sd = math.sqrt(max(0.0, (squares - n * mean * mean) / (n - 1)))
    return t_interval(n, mean, sd)


def _nps_parts(c: tuple[int, int, int]) -> tuple[int, float, float]:
    n = sum(c)
    p, d = c[0] / n, c[2] / n
    return n, 100 * (p - d), 10_000 * (p + d - (p - d) ** 2) / n


def _classes(nps: np.ndarray) -> np.ndarray:
    """0 promoter (9-10), 1 passive (7-8), 2 detractor (0-6), -1 no answer."""
    return np.select([np.isnan(nps), nps >= 9, nps >= 7], [-1, 0, 1], 2)


def _sums(themed: pd.DataFrame, keys: list[str], variant: str) -> dict[str, np.ndarray]:
    """Per theme: mentions, compound n/sum/squares, NPS class counts, CSAT n/sum/squares."""
    nps_class = _classes(themed['nps'].to_numpy(dtype=float))
    csat = themed['csat'].to_numpy(dtype=float)
    compound = themed['compound'].to_numpy(dtype=float)
    if variant == 'idiomatic':
        long = themed.assign(nps_class=nps_class).explode('themes').dropna(subset=['themes'])
        long = long[long['themes'].isin(keys)]
        by = long.groupby('themes')
        counts = by['nps_class'].value_counts().unstack(fill_value=0).reindex(index=keys, columns=[0, 1, 2], fill_value=0)
        frame = pd.DataFrame({
            'mentions': by.size(), 'c_sum': by['compound'].sum(), 'c_sq': by['compound'].apply(lambda s: float((s * s).sum())),
            's_n': by['csat'].count(), 's_sum': by['csat'].sum(), 's_sq': by['csat'].apply(lambda s: float((s * s).sum())),
        }).reindex(keys).fillna(0)
        out = {k: frame[k].to_numpy(dtype=float) for k in frame.columns}
        out['nps'] = counts.to_numpy(dtype=np.int64)
        return out
    index = {k: i for i, k in enumerate(keys)}
    rows = [i for i, ts in enumerate(themed['themes']) for t in ts if t in index]
    cols = [index[t] for ts in themed['themes'] for t in ts if t in index]
    member = np.zeros((len(themed), len(keys)))
    np.add.at(member, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)), 1.0)
    has_csat = ~np.isnan(csat)
    c = np.where(has_csat, csat, 0.0)
    nps = np.stack([member.T @ (nps_class == k) for k in range(3)], axis=1).round().astype(np.int64)
    return {
        'mentions': member.sum(axis=0), 'c_sum': member.T @ compound, 'c_sq': member.T @ (compound * compound),
        's_n': member.T @ has_csat, 's_sum': member.T @ c, 's_sq': member.T @ (c * c), 'nps': nps,
    }


def theme_impacts(themed: pd.DataFrame, themes: list[dict], areas: dict[str, tuple[str, list[str]]], variant: str) -> list[dict]:
    """One row per theme (themes as the text layer named them), in "where to act" order; `themed` has themes, compound, nps, csat."""
    keys = [t['key'] for t in themes]
    n = len(themed)
    sums = _sums(themed, keys, variant)
    nps_class = _classes(themed['nps'].to_numpy(dtype=float))
    every = tuple(int((nps_class == k).sum()) for k in range(3))
    csat = themed['csat'].to_numpy(dtype=float)
    csat_all = (int((~np.isnan(csat)).sum()), float(np.nansum(csat)), float(np.nansum(csat * csat)))
    primary = themed['primary'].value_counts()
    rows = []
    for i, theme in enumerate(themes):
        mentions = int(round(sums['mentions'][i]))
        mine = tuple(int(x) for x in sums['nps'][i])
        others = tuple(a - b for a, b in zip(every, mine))
        compared = sum(mine) >= MINIMUM_NPS_ANSWERS and sum(others) >= MINIMUM_NPS_ANSWERS
        difference = p_value = None
        if compared:
            (_, a, va), (_, b, vb) = _nps_parts(mine), _nps_parts(others)
            se = math.sqrt(va + vb)
            estimate = a - b
            difference = {'estimate': estimate, 'lower': estimate - Z * se, 'upper': estimate + Z * se}
            p_value = float(sps.norm.cdf(estimate / se)) if se > 0 else (0.0 if estimate < 0 else 1.0 if estimate > 0 else 0.5)
        s_n = int(round(sums['s_n'][i]))
        share = wilson(mentions, max(n, 1))
        key, how = area_link(theme['area'], theme['concept_label'], areas)
        rows.append({
            'theme': theme, 'size': int(primary.get(theme['key'], 0)), 'mentions': mentions, 'share': share,
            'compound': _mean(mentions, float(sums['c_sum'][i]), float(sums['c_sq'][i])),
            'mentioning': mine, 'others': others,
            'nps_mentioning': nps_interval(*mine) if sum(mine) > 0 else None, 'nps_others': nps_interval(*others) if sum(others) > 0 else None,
            'difference': difference, 'p_value': p_value, 'q_value': None, 'status': 'too few NPS answers',
            'cost': None if difference is None else -share['estimate'] * difference['estimate'],
            'csat_mentioning': _mean(s_n, float(sums['s_sum'][i]), float(sums['s_sq'][i])),
            'csat_others': _mean(csat_all[0] - s_n, csat_all[1] - float(sums['s_sum'][i]), csat_all[2] - float(sums['s_sq'][i])),
            'experience_area': key, 'area_link': how,
        })
    screened = [r for r in rows if r['p_value'] is not None]
    for r, q in zip(screened, benjamini_hochberg([r['p_value'] for r in screened])):
        r['q_value'] = q
        r['status'] = _status(r)
    compared = sorted((r for r in rows if r['cost'] is not None), key=lambda r: (-r['cost'], r['theme']['key']))
    rest = sorted((r for r in rows if r['cost'] is None), key=lambda r: (-r['mentions'], r['theme']['key']))
    return compared + rest


def _status(r: dict) -> str:
    d = r['difference']
    clearly_lower = r['q_value'] <= FDR and d['upper'] < 0
    if clearly_lower and r['theme']['polarity'] == 'negative' and d['upper'] <= -NPS_MARGIN and r['share']['estimate'] >= MIN_SHARE:
        return 'alert'
    if clearly_lower:
        return 'lower NPS'
    if d['lower'] > 0:
        return 'higher NPS'
    return 'no clear difference'


THEME_COLUMNS = [
    'rank', 'key', 'theme', 'polarity', 'source', 'area', 'experience_area', 'area_link', 'status', 'comments', 'mentions', 'share', 'lower', 'upper',
    'mean_compound', 'compound_lower', 'compound_upper', 'nps_answers', 'nps_mentioning', 'nps_others_answers', 'nps_others', 'nps_difference',
    'difference_lower', 'difference_upper', 'p_value', 'q_value', 'nps_points_cost', 'csat_mentioning', 'csat_others',
]
THEME_KEYS = ('rank', 'key', 'theme', 'polarity', 'source', 'area', 'experience_area', 'area_link', 'status')


def theme_rows(impacts: list[dict]) -> list[list]:
    """comment-tables.ts themesTable's cells (without top_phrases: the text layer's, not compared)."""
    est = lambda x, k='estimate': None if x is None else x[k]  # noqa: E731
    out = []
    for rank, r in enumerate(impacts, start=1):
        t, d = r['theme'], r['difference']
        out.append([
            rank, t['key'], t['label'], t['polarity'], t['source'], t['area'], r['experience_area'], r['area_link'], r['status'], r['size'], r['mentions'],
            r['share']['estimate'], r['share']['lower'], r['share']['upper'], est(r['compound']), est(r['compound'], 'lower'), est(r['compound'], 'upper'),
            sum(r['mentioning']), est(r['nps_mentioning']), sum(r['others']), est(r['nps_others']),
            est(d), est(d, 'lower'), est(d, 'upper'), r['p_value'], r['q_value'], r['cost'], est(r['csat_mentioning']), est(r['csat_others']),
        ])
    return out
