import type { ResultTable } from '../analysis/result.js';
import { words } from '../analysis/wording.js';
import type { DisplayTable } from './document.js';
import { columnHeader, formatCell } from './format-value.js';

export interface TableLimits {
  rows: number;
  columns: number;
}

/** Long tables are cut here; the note says how much was left out and where the whole table is. */
export const TABLE_LIMITS: TableLimits = { rows: 15, columns: 10 };

/**
 * A Result table as a reader sees it: headers with units, cells formatted by
 * their column's unit, cut to `limits` with a note naming what was left out
 * (the whole table is in the stored Result, `source`).
 */
export function displayTable(table: ResultTable, source: string, limits: TableLimits = TABLE_LIMITS): DisplayTable {
  const columns = table.columns.slice(0, limits.columns);
  const rows = table.rows.slice(0, limits.rows).map((row) => columns.map((c, i) => formatCell(row[i] ?? null, c.type, c.unit)));
  const left: string[] = [];
  if (table.rows.length > limits.rows) left.push(`the first ${words.count(limits.rows)} of ${words.count(table.rows.length)} rows`);
  const hidden = table.columns.slice(limits.columns);
  if (hidden.length > 0) left.push(`${words.count(limits.columns)} of ${words.count(table.columns.length)} columns (not shown: ${hidden.map((c) => c.name.replaceAll('_', ' ')).join(', ')})`);
  return {
    kind: 'table',
    caption: table.name.replaceAll('_', ' '),
    headers: columns.map((c) => columnHeader(c.name, c.unit)),
    numeric: columns.map((c) => c.type === 'integer' || c.type === 'number'),
    rows,
    note: left.length === 0 ? null : `Showing ${words.list(left)}; the whole table is in ${source}.`,
  };
}
