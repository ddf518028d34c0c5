"""One export's records and what happens to each: inserted, exact duplicate, excluded by a rule, or quarantined with a reason.

The order of decisions is cxray's (src/ingest/stage-source.ts and
resolve-identity.ts): an exact copy of an earlier row is a duplicate; then rows
sharing a row key with different values are all quarantined as conflicting
duplicates; then the first failing check of the first failing feed that
applies quarantines the row; then rows no feed takes are excluded; last, rows
whose customer is not in the contacts export are quarantined as unknown_customer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from exports import RawExport
from parse import blank


@dataclass
class Feed:
    """Canonical rows of one feed (index = the raw row), and its customer reference columns (column -> 'id' or 'email')."""

    table: str
    rows: pd.DataFrame
    refs: dict[str, str] = field(default_factory=dict)


@dataclass
class Staged:
    source: str
    raw: RawExport
    duplicate: pd.Series
    reason: pd.Series
    applies: pd.Series
    feeds: list[Feed] = field(default_factory=list)

    def inserted(self) -> pd.Series:
        return ~self.duplicate & self.reason.isna() & self.applies

    def ledger(self) -> dict:
        """The file's row ledger, as cxray's FileLedger counts it."""
        quarantined = self.reason[~self.duplicate].dropna()
        by_reason = dict(self.raw.rejected)
        for reason, n in quarantined.value_counts().items():
            by_reason[reason] = by_reason.get(reason, 0) + int(n)
        inserted = int(self.inserted().sum())
        duplicates = int(self.duplicate.sum())
        excluded = int((~self.duplicate & self.reason.isna() & ~self.applies).sum())
        return {
            'source': self.source,
            'read': self.raw.read,
            'loaded': inserted + duplicates + excluded,
            'quarantined': sum(by_reason.values()),
            'inserted': inserted,
            'duplicates': duplicates,
            'excluded': excluded,
            'quarantined_by_reason': dict(sorted(by_reason.items())),
        }

    def table_rows(self, table: str) -> list[pd.DataFrame]:
        """Canonical rows of `table` from the records that are inserted."""
        keep = self.inserted()
        return [f.rows[keep.reindex(f.rows.index, fill_value=False)] for f in self.feeds if f.table == table]


def exact_duplicates(frame: pd.DataFrame, drop: list[str] = (), hashed: list[str] = ()) -> pd.Series:
    """
    Copies of an earlier row, compared cell by cell after the personal-data
    rules: dropped columns are gone and hashed e-mails are compared trimmed
    and lower-cased, as cxray compares them.
    """
    cells = frame.drop(columns=[c for c in drop if c in frame.columns])
    for column in hashed:
        if column not in cells.columns:
            continue
        values = cells[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Normalise each category once; equal normal forms get equal codes.
            normal = pd.Series(values.cat.categories).str.strip().str.lower()
            codes, _ = pd.factorize(normal)
            cells[column] = np.append(codes, -1)[values.cat.codes.to_numpy()]
        else:
            cells[column] = values.astype(object).str.strip().str.lower()
    return cells.duplicated(keep='first')


def conflicts(frame: pd.DataFrame, key: list[str], duplicate: pd.Series) -> pd.Series:
    """Rows whose (present) row key another non-duplicate row shares: every copy is quarantined."""
    if not key:
        return pd.Series(False, index=frame.index)
    present = ~duplicate
    for column in key:
        present &= ~blank(frame[column])
    keys = frame.loc[present, key]
    repeated = keys.duplicated(keep=False)
    out = pd.Series(False, index=frame.index)
    out[repeated.index[repeated.to_numpy()]] = True
    return out


def first_reason(index: pd.Index, checks: list[tuple[pd.Series, str]]) -> pd.Series:
    """The reason of the first check that holds, per row (NaN when none does)."""
    if not checks:
        return pd.Series(np.nan, index=index, dtype=object)
    masks = [c.reindex(index, fill_value=False).to_numpy(dtype=bool) for c, _ in checks]
    chosen = np.select(masks, [r for _, r in checks], default='')
    return pd.Series(chosen, index=index, dtype=object).replace('', np.nan)


def combine_feeds(index: pd.Index, duplicate: pd.Series, conflict: pd.Series, feeds: list[tuple[pd.Series, pd.Series]]) -> tuple[pd.Series, pd.Series]:
    """
    (reason, applies) of each row from its feeds' (applies, reason): the first
    applicable feed that fails gives the reason; conflicts come before any.
    """
    reason = pd.Series(np.nan, index=index, dtype=object)
    applies = pd.Series(False, index=index)
    for feed_applies, feed_reason in feeds:
        failing = feed_applies & feed_reason.notna() & reason.isna()
        reason = reason.mask(failing, feed_reason)
        applies |= feed_applies
    reason = reason.mask(conflict & ~duplicate, 'conflicting_duplicate')
    return reason, applies
