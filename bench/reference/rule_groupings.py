"""The groupings the right-customer analyses cut customers by, as src/analysis/value/segment-groupings.ts and misaligned/cells.ts make them.

The segments of cxray.yaml (values, or bands of a number), then every
categorical attribute known at acquisition no segment names; each customer's
level as text, '(missing)' when empty. Scannable: 2 to 25 levels among the
customers (one level splits nothing; more make mostly tiny cells).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from profile_groups import _band_labels
from profile_values import MISSING
from settings import Settings
from value import segment_groupings

MAX_LEVELS = 25


@dataclass(eq=False)
class Grouping:
    """Compared by identity: two groupings are the same only when they are one object."""

    key: str
    # The customer attribute it cuts by.
    attribute: str
    levels: pd.Series
    # Levels in their natural order (bands ascending, then missing); empty: by size.
    order: list[str]

    @property
    def label(self) -> str:
        return self.key.replace('_', ' ')


def groupings(facts: pd.DataFrame, settings: Settings) -> list[Grouping]:
    out = []
    for key, levels in segment_groupings(facts, settings):
        bands = settings.segments.get(key, (None, None))[1]
        order = [*_band_labels(sorted(set(bands))), MISSING] if bands else []
        attribute = settings.segments[key][0] if key in settings.segments else key
        out.append(Grouping(key, attribute, pd.Series(levels.to_numpy(dtype=object), index=facts.index).astype(str), order))
    return out


def scannable(found: list[Grouping]) -> tuple[list[Grouping], list[Grouping]]:
    """(kept, left): groupings of 2 to 25 levels, and those with more."""
    kept, left = [], []
    for g in found:
        n = g.levels.nunique()
        if n > MAX_LEVELS:
            left.append(g)
        elif n > 1:
            kept.append(g)
    return kept, left


def combinations(found: list[Grouping], size: int = 3) -> list[list[Grouping]]:
    """cells.ts combinations: every set of 1 to `size` groupings in order, depth first, no two on one attribute."""
    out: list[list[Grouping]] = []

    def extend(start: int, chosen: list[Grouping]) -> None:
        if chosen:
            out.append(chosen)
        if len(chosen) == size:
            return
        for i in range(start, len(found)):
            if any(c.attribute == found[i].attribute for c in chosen):
                continue
            extend(i + 1, [*chosen, found[i]])

    extend(0, [])
    return out


def rule_key(conditions: list[tuple[Grouping, str]]) -> str:
    return '&'.join(f'{g.key}={level}' for g, level in conditions)


def describe(conditions: list[tuple[Grouping, str]]) -> str:
    """misaligned-findings.ts describeCell: "segment public, acquisition channel outbound and contract type monthly"."""
    parts = [f'{g.label} {level}' for g, level in conditions]
    return parts[0] if len(parts) <= 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def rule_text(conditions: list[tuple[Grouping, str]]) -> str:
    """rule.ts ruleText: "segment = retail AND contract type = annual"."""
    return ' AND '.join(f'{g.label} = {level}' for g, level in conditions)


def matches(conditions: list[tuple[Grouping, str]]) -> pd.Series:
    """Customers meeting every condition."""
    mask = None
    for g, level in conditions:
        on = g.levels == level
        mask = on if mask is None else mask & on
    return mask
