import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { measuresQuery, type CustomerMeasures } from '../value/measures.js';
import { readSums, sumItems, type GroupSums } from '../value/sums.js';
import { CELL_SPEC, cellCondition } from './cells.js';
import { clearOfThresholds, judgeCell, type CellVerdict, type ScanOptions } from './scan.js';

export interface Covered {
  verdict: CellVerdict;
  /** The reported segments it overlaps, with how many of its customers each holds. */
  by: { verdict: CellVerdict; shared: number }[];
}

/**
 * Overlapping descriptions of the same customers (segment = public AND
 * channel = outbound, and segment = public AND region = North, both mostly
 * the same people): segments are taken by yearly loss, largest first, and a
 * later one is reported only if its customers outside those already
 * reported still meet both conditions at the scan's cut (the
 * Benjamini-Hochberg threshold of the combined p-values) and past the
 * thresholds; else it is covered by them. One query per segment weighed.
 */
export async function coverOverlaps(
  ctx: AnalysisContext,
  measures: CustomerMeasures,
  overall: GroupSums,
  candidates: readonly CellVerdict[],
  cutoff: number,
  overallSatisfaction: number,
  options: ScanOptions,
): Promise<{ reported: CellVerdict[]; covered: Covered[] }> {
  const q = ctx.engine.dialect.quoteIdent;
  const ordered = [...candidates].sort((a, b) => (b.yearlyLoss?.estimate ?? 0) - (a.yearlyLoss?.estimate ?? 0) || (a.cell.key < b.cell.key ? -1 : 1));
  const reported: CellVerdict[] = [];
  const covered: Covered[] = [];
  for (const v of ordered) {
    if (reported.length === 0) {
      reported.push(v);
      continue;
    }
    const values = new SqlValues(ctx.engine, 'mv');
    const others = reported.map((r) => cellCondition(r.cell, values));
    const flag = `(CASE WHEN ${others.join(' OR ')} THEN 1 ELSE 0 END)`;
    const sql = scopeSelect(ctx, {
      items: [`${flag} AS ${q('_cov')}`, ...sumItems(ctx, measures, CELL_SPEC), ...others.map((o, i) => `sum(CASE WHEN ${o} THEN 1 ELSE 0 END) AS ${q(`_o${i}`)}`)],
      ...(measures.join === undefined ? {} : { join: measures.join }),
      where: [...measures.where, cellCondition(v.cell, values)],
      groupBy: [flag],
    });
    const rows = await measuresQuery(ctx, measures, sql, values);
    const outside = rows.find((r) => numberOf(r['_cov']) === 0);
    const shared = reported.map((r, i) => ({ verdict: r, shared: rows.reduce((s, row) => s + (numberOf(row[`_o${i}`]) ?? 0), 0) }));
    if (shared.every((s) => s.shared === 0)) {
      reported.push(v);
      continue;
    }
    const residual = judgeCell({ ...v.cell, sums: readSums(ctx, outside ?? {}, CELL_SPEC) }, overall, options);
    const clear = clearOfThresholds(residual, overallSatisfaction, options);
    if (residual.tested && residual.pValue <= cutoff && clear.loses && clear.lessSatisfied) reported.push(v);
    else covered.push({ verdict: v, by: shared.filter((s) => s.shared > 0) });
  }
  return { reported, covered };
}
