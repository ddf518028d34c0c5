"""A table of the reference's JSON as cxray's groupTable writes it (src/analysis/result-builder.ts)."""

from __future__ import annotations


def table(columns: list[str], rows: list, count: str | None = None, keys: tuple[str, ...] = ()) -> dict:
    """Rows of groups under 5 (in the `count` column) keep only their key cells, as cxray suppresses small cells."""
    if count is not None:
        at = columns.index(count)
        kept = {columns.index(k) for k in keys}
        rows = [row if row[at] is None or row[at] >= 5 else [cell if i in kept else None for i, cell in enumerate(row)] for row in rows]
    return {'columns': columns, 'rows': rows}
