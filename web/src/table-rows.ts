import type { Result, ResultTable } from './api-types.js';

export type Row = Record<string, string | number | boolean | null>;

/** A Result table by name, or null. */
export function tableOf(result: Result | null, name: string): ResultTable | null {
  return result?.tables.find((t) => t.name === name) ?? null;
}

/** A table's rows as objects by column name (for picking labels and keys, never for computing). */
export function rowsOf(table: ResultTable | null): Row[] {
  if (table === null) return [];
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i] ?? null])));
}
