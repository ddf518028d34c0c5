import type { Result } from './result.js';

/** A Result table's rows as objects keyed by column name (tests read them by name); a missing table throws. */
export function resultRows(result: Result, name: string): Record<string, unknown>[] {
  const t = result.tables.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no table ${name}`);
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i]])));
}
