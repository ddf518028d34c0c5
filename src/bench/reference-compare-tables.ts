import type { Result, ResultTable } from '../analysis/result.js';
import { CheckBuilder, type FigureCheck, type ValueKind } from './reference-compare-checks.js';

/** A table of the reference's JSON: cxray's column names, the columns it can reproduce. */
export interface ReferenceTable {
  columns: string[];
  rows: unknown[][];
}

export interface TableRule {
  /** The columns that identify a row (the key columns cxray's groupTable keeps); none: rows match by position. */
  keys: readonly string[];
  /** How a column's cells are compared. */
  kindOf: (column: string) => ValueKind;
  tolerance: string;
}

/**
 * One reference table against the Result table of the same name, row by row
 * (matched by `keys`) and cell by cell for the columns the reference has:
 * rows only one side has, and columns cxray lacks, count as differences.
 */
export function compareTable(figure: string, reference: ReferenceTable, cxray: ResultTable | undefined, rule: TableRule): FigureCheck {
  const check = new CheckBuilder(figure, rule.tolerance);
  if (cxray === undefined) {
    check.missing(figure, `${reference.rows.length} rows`, 'no such table');
    return check.build();
  }
  const keyOf = (columns: readonly string[], row: readonly unknown[], index: number): string =>
    rule.keys.length === 0 ? `#${index}` : rule.keys.map((k) => String(row[columns.indexOf(k)])).join(' | ');
  const cxrayColumns = cxray.columns.map((c) => c.name);
  const cxrayRows = new Map(cxray.rows.map((row, i) => [keyOf(cxrayColumns, row, i), row]));
  const seen = new Set<string>();
  reference.rows.forEach((row, i) => {
    const key = keyOf(reference.columns, row, i);
    seen.add(key);
    const other = cxrayRows.get(key);
    if (other === undefined) {
      check.missing(key, 'row', null);
      return;
    }
    reference.columns.forEach((column, j) => {
      const at = cxrayColumns.indexOf(column);
      if (at < 0) check.missing(`${key}: ${column}`, row[j], 'no such column');
      else check.add(`${key}: ${column}`, row[j], other[at], rule.kindOf(column));
    });
  });
  for (const key of cxrayRows.keys()) if (!seen.has(key)) check.missing(key, null, 'row');
  return check.build();
}

/** How one analysis's tables compare: the row keys and the kind of each column, by table name. */
export type TableRules = Readonly<Record<string, Omit<TableRule, 'tolerance'> & { tolerance?: string }>>;

/**
 * Every table `rules` names, reference against Result, as `<analysis> <table>`:
 * a table only one side has is a difference too (an empty table and a missing
 * one are the same: no rows).
 */
export function compareTables(analysis: string, reference: Record<string, ReferenceTable> | undefined, result: Result, rules: TableRules, tolerance: string): FigureCheck[] {
  const checks: FigureCheck[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const table = reference?.[name];
    const mine = result.tables.find((t) => t.name === name);
    if (table === undefined) {
      if (mine !== undefined && mine.rows.length > 0) {
        const check = new CheckBuilder(`${analysis} ${name}`, 'exact');
        check.missing(name, 'no such table', `${mine.rows.length} rows`);
        checks.push(check.build());
      }
      continue;
    }
    checks.push(compareTable(`${analysis} ${name}`, table, mine ?? (table.rows.length === 0 ? { name, columns: [], rows: [] } : undefined), { ...rule, tolerance: rule.tolerance ?? tolerance }));
  }
  return checks;
}
