"""Sums of per-customer columns over the cells of a combination of groupings: one GROUP BY's worth.

Variants: idiomatic groups the frame by the groupings' level columns with
`DataFrame.groupby(...).sum()`; best factorizes each grouping once, packs the
codes of a combination into one integer and sums every column with np.bincount.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class CellSums:
    def __init__(self, frame: pd.DataFrame, groupings: list, variant: str):
        self.frame = frame
        self.variant = variant
        self.values = frame.to_numpy(dtype=float)
        self.codes = {}
        for g in groupings:
            codes, uniques = pd.factorize(g.levels.loc[frame.index])
            self.codes[g.key] = (codes, list(uniques))

    def cells(self, combination: list, mask: np.ndarray | None = None) -> list[tuple[tuple[str, ...], dict]]:
        """(levels, {column: sum, 'n': count}) of every non-empty cell, among the rows `mask` keeps."""
        if self.variant == 'idiomatic':
            frame = self.frame if mask is None else self.frame[mask]
            keys = [g.levels.loc[frame.index].rename(f'_g{i}') for i, g in enumerate(combination)]
            grouped = frame.groupby(keys, sort=False)
            sums = grouped.sum()
            sizes = grouped.size()
            out = []
            for levels, row in sums.iterrows():
                levels = levels if isinstance(levels, tuple) else (levels,)
                out.append((tuple(levels), {'n': int(sizes[levels if len(levels) > 1 else levels[0]]), **row.to_dict()}))
            return out
        packed = np.zeros(len(self.frame), dtype=np.int64)
        radix = 1
        for g in combination:
            codes, uniques = self.codes[g.key]
            packed = packed + codes * radix
            radix *= len(uniques)
        keep = np.ones(len(packed), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        counts = np.bincount(packed[keep], minlength=radix)
        columns = {c: np.bincount(packed[keep], weights=self.values[keep, j], minlength=radix) for j, c in enumerate(self.frame.columns)}
        out = []
        for code in np.nonzero(counts)[0]:
            levels, rest = [], int(code)
            for g in combination:
                uniques = self.codes[g.key][1]
                levels.append(uniques[rest % len(uniques)])
                rest //= len(uniques)
            out.append((tuple(levels), {'n': int(counts[code]), **{c: float(v[code]) for c, v in columns.items()}}))
        return out
