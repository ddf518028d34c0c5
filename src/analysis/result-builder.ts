import { isSuppressed } from '../stats/index.js';
import type { AnalysisContext, Analysis } from './types.js';
import { countValue, RESULT_SCHEMA_VERSION, type Cell, type CellType, type Chart, type Finding, type Method, type Result, type ResultTable } from './result.js';

/** The parts an analysis produces; the builder adds the contract's bookkeeping. */
export interface ResultParts {
  summary: string[];
  findings: Finding[];
  tables: ResultTable[];
  charts: Chart[];
  warnings: string[];
}

export interface MethodText {
  description: string;
  assumptions: string[];
}

export function emptyParts(): ResultParts {
  return { summary: [], findings: [], tables: [], charts: [], warnings: [] };
}

/** Appends `more` to `into` (sections of one analysis merge into one Result). */
export function mergeParts(into: ResultParts, more: Partial<ResultParts>): ResultParts {
  into.summary.push(...(more.summary ?? []));
  into.findings.push(...(more.findings ?? []));
  into.tables.push(...(more.tables ?? []));
  into.charts.push(...(more.charts ?? []));
  into.warnings.push(...(more.warnings ?? []));
  return into;
}

export interface TableColumnSpec {
  name: string;
  type: CellType;
  unit?: string | null;
}

/** A share with its interval: the three columns every share table of a Result ends with. */
export const SHARE_WITH_INTERVAL_COLUMNS: readonly TableColumnSpec[] = [
  { name: 'share', type: 'number', unit: 'share' },
  { name: 'lower', type: 'number', unit: 'share' },
  { name: 'upper', type: 'number', unit: 'share' },
];

/**
 * A result table whose rows describe groups of customers. Rows whose
 * `countColumn` is under 5 keep only their key columns; everything else in
 * them becomes null (a count of 1 to 4 can identify a person, and is too
 * noisy to show).
 */
export function groupTable(name: string, columns: readonly TableColumnSpec[], rows: readonly Cell[][], options: { countColumn: string; keyColumns: readonly string[] }): ResultTable {
  const countAt = columns.findIndex((c) => c.name === options.countColumn);
  if (countAt < 0) throw new Error(`table ${name}: no count column ${options.countColumn}`);
  const keys = new Set(options.keyColumns.map((k) => columns.findIndex((c) => c.name === k)));
  return {
    name,
    columns: columns.map((c) => ({ name: c.name, type: c.type, unit: c.unit ?? null })),
    rows: rows.map((row) => {
      const n = row[countAt];
      if (typeof n !== 'number' || !isSuppressed(n)) return [...row];
      return row.map((cell, i) => (keys.has(i) ? cell : null));
    }),
  };
}

function methodOf(ctx: AnalysisContext, analysis: Pick<Analysis, 'revision'>, text: MethodText): Method {
  return {
    description: text.description,
    assumptions: text.assumptions,
    thresholds: { fdr: ctx.thresholds.fdr, practical: { ...ctx.thresholds.byUnit }, minimumCellCount: ctx.thresholds.minimumCellCount },
    revision: analysis.revision,
  };
}

/** A complete `ok` Result. Findings about fewer than 5 customers are withheld, with a warning. */
export function okResult(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision'>, parts: ResultParts, method: MethodText): Result {
  const findings = parts.findings.filter((f) => !isSuppressed(countValue(f.n)));
  const withheld = parts.findings.length - findings.length;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    name: analysis.name,
    status: 'ok',
    importVersion: ctx.importVersion,
    createdAt: new Date().toISOString(),
    provenance: ctx.provenance,
    summary: parts.summary,
    findings,
    tables: parts.tables,
    charts: parts.charts,
    method: methodOf(ctx, analysis, method),
    warnings: withheld > 0 ? [...parts.warnings, `${withheld} finding(s) about fewer than ${ctx.thresholds.minimumCellCount} customers were withheld.`] : parts.warnings,
  };
}

/** A `skipped` or `failed` Result: no numbers, a reason that says what to do. */
export function notRunResult(
  ctx: AnalysisContext,
  analysis: Pick<Analysis, 'name' | 'revision' | 'description'>,
  status: 'skipped' | 'failed',
  reason: string,
  warnings: string[] = [],
): Result {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    name: analysis.name,
    status,
    reason,
    importVersion: ctx.importVersion,
    createdAt: new Date().toISOString(),
    provenance: ctx.provenance,
    summary: [],
    findings: [],
    tables: [],
    charts: [],
    method: methodOf(ctx, analysis, { description: analysis.description, assumptions: [] }),
    warnings,
  };
}
