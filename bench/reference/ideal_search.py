"""The ideal profile's split search and its check on held-out customers, as src/analysis/ideal-profile/search.ts and holdout.ts define them.

On the training half (halves.py) of the customers with a fit score: a beam
search (width 5) over conjunctions of up to 3 conditions, each depth scoring
every cell of every combination extending a rule in the beam (at least
`minimum` customers) by the lower 95% bound of its mean score with the common
SD of everyone searched, and taking the best whose z against the other
customers searched reaches 3; ties by key. The best rule of the whole search
is kept, its customers set aside, and the search run again, for up to 3 rules
(sequential covering). Each rule is then tested on the held-out half: its
customers' mean score above the others' (one-sided z with the common
variance), Bonferroni over the rules; it holds at 5% and 2 points.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import stats as sps

from cell_sums import CellSums
from rule_groupings import rule_key

BEAM_WIDTH = 5
MAX_DEPTH = 3
MAX_RULES = 3
MINIMUM_Z = 3
Z95 = 1.959963984540054


def add_sums(a: dict, b: dict, sign: int = 1) -> dict:
    return {k: a[k] + sign * b[k] for k in ('n', 'sum', 'squares')}


NONE = {'n': 0, 'sum': 0.0, 'squares': 0.0}


def variance(s: dict) -> float:
    if s['n'] < 2:
        return 0.0
    m = s['sum'] / s['n']
    return max(0.0, (s['squares'] - s['n'] * m * m) / (s['n'] - 1))


def quality(covered: dict, rest: dict) -> float:
    """cellQuality: the lower 95% bound of the covered customers' mean, with everyone's SD."""
    everyone = add_sums(covered, rest)
    if covered['n'] < 1 or everyone['n'] < 3:
        return -math.inf
    return covered['sum'] / covered['n'] - Z95 * math.sqrt(variance(everyone) / covered['n'])


def z_score(covered: dict, rest: dict) -> float:
    """cellZ: how clearly the cell stands out from the rest, with the common variance."""
    everyone = add_sums(covered, rest)
    if covered['n'] < 1 or rest['n'] < 1 or everyone['n'] < 3:
        return -math.inf
    gap = covered['sum'] / covered['n'] - rest['sum'] / rest['n']
    se = math.sqrt(variance(everyone) * (1 / covered['n'] + 1 / rest['n']))
    return gap / se if se > 0 else math.inf if gap > 0 else -math.inf if gap < 0 else 0.0


def same_quality(a: float, b: float) -> bool:
    """Equal up to the rounding of sums added in another order (relative 1e-9), as search.ts."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _by_quality(a: dict, b: dict) -> int:
    if same_quality(a['quality'], b['quality']):
        return -1 if a['key'] < b['key'] else 1
    return -1 if a['quality'] > b['quality'] else 1


def search(frame, groupings: list, minimum: int, variant: str) -> list[dict]:
    """searchRules over `frame` (the training customers: columns s, q; index the facts rows); each rule {conditions, key, covered, rest, quality, z, round}."""
    sums = CellSums(frame, groupings, variant)
    order = {g.key: i for i, g in enumerate(groupings)}
    found: list[dict] = []
    for round_ in range(MAX_RULES):
        mask = np.ones(len(frame), dtype=bool)
        for f in found:
            mask &= ~_matches(f['conditions'], frame.index)
        cache: dict[str, list] = {}

        def cells_of(combination: list) -> list:
            key = '|'.join(g.key for g in combination)
            if key not in cache:
                cache[key] = [(list(zip(combination, levels)), {'n': s['n'], 'sum': s['s'], 'squares': s['q']}) for levels, s in sums.cells(combination, mask)]
            return cache[key]

        if not groupings:
            break
        total = NONE
        for _, s in cells_of([groupings[0]]):
            total = add_sums(total, s)
        if total['n'] < 2 * minimum:
            break
        beam: list = [(None, total['n'])]
        best = None
        for _depth in range(MAX_DEPTH):
            candidates: dict[str, dict] = {}
            for parent, parent_n in beam:
                used = {g.key for g, _ in parent} if parent else set()
                for g in groupings:
                    if g.key in used:
                        continue
                    combination = [x for x in groupings if x.key in used or x is g]
                    for conditions, s in cells_of(combination):
                        if parent and not all(p in conditions for p in parent):
                            continue
                        if s['n'] < minimum:
                            continue
                        # a condition that removes no one from its parent names the same customers in more words
                        if parent and s['n'] == parent_n:
                            continue
                        conditions = sorted(conditions, key=lambda c: order[c[0].key])
                        key = rule_key(conditions)
                        if key in candidates:
                            continue
                        rest = add_sums(total, s, -1)
                        candidates[key] = {'conditions': conditions, 'key': key, 'covered': s, 'rest': rest, 'quality': quality(s, rest), 'z': z_score(s, rest), 'round': round_}
            ranked = sorted((c for c in candidates.values() if math.isfinite(c['quality'])), key=functools.cmp_to_key(_by_quality))
            top = next((c for c in ranked if c['z'] >= MINIMUM_Z), None)
            # a deeper rule must be clearly better: at a tie the shorter one stays
            if top is not None and (best is None or (top['quality'] > best['quality'] and not same_quality(top['quality'], best['quality']))):
                best = top
            beam = [(c['conditions'], c['covered']['n']) for c in ranked[:BEAM_WIDTH]]
            if not beam:
                break
        if best is None:
            break
        found.append(best)
    return found


def _matches(conditions: list, index) -> np.ndarray:
    mask = np.ones(len(index), dtype=bool)
    for g, level in conditions:
        mask &= (g.levels.loc[index] == level).to_numpy()
    return mask


def splits(values, held, covered) -> dict:
    """ruleSplits: each half's customers in and out of the rule, summing `values`."""
    v = np.asarray(values, dtype=float)

    def sums(mask):
        x = v[mask]
        return {'n': int(mask.sum()), 'sum': float(x.sum()), 'squares': float((x * x).sum())}

    return {'training': {'covered': sums(~held & covered), 'rest': sums(~held & ~covered)}, 'held_out': {'covered': sums(held & covered), 'rest': sums(held & ~covered)}}


def all_of(s: dict) -> dict:
    return {'covered': add_sums(s['training']['covered'], s['held_out']['covered']), 'rest': add_sums(s['training']['rest'], s['held_out']['rest'])}


def lift(split: dict) -> dict | None:
    """liftOf: mean of the rule's customers over the mean of all, delta-method interval."""
    c, r = split['covered'], split['rest']
    n = c['n'] + r['n']
    if c['n'] < 2 or r['n'] < 2:
        return None
    mc = c['sum'] / c['n']
    everyone = (c['sum'] + r['sum']) / n
    if not everyone > 0:
        return None
    ratio = mc / everyone
    dc = (1 - (c['n'] / n) * ratio) / everyone
    dr = -(ratio * (r['n'] / n)) / everyone
    se = math.sqrt(dc * dc * (variance(c) / c['n']) + dr * dr * (variance(r) / r['n']))
    return {'estimate': ratio, 'lower': ratio - Z95 * se, 'upper': ratio + Z95 * se}


def higher(split: dict) -> dict | None:
    """higherPValue: one-sided test that the rule's customers score higher, common variance."""
    c, r = split['covered'], split['rest']
    if c['n'] < 2 or r['n'] < 2:
        return None
    se = math.sqrt(variance(add_sums(c, r)) * (1 / c['n'] + 1 / r['n']))
    difference = c['sum'] / c['n'] - r['sum'] / r['n']
    if not se > 0:
        return {'difference': difference, 'p': 0.0 if difference > 0 else 1.0}
    # 1 − Φ(z), as cxray computes it (not the survival function): the same rounding near 0.
    return {'difference': difference, 'p': 1 - float(sps.norm.cdf(difference / se))}
