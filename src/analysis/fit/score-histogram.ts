import { scopeSelect } from '../scope-query.js';
import { numberOf } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { FitScore } from './fit-score.js';
import { measuredQuery } from './measured.js';

export interface ScoreBin {
  /** Lower edge (0, 10, ..., 90); the last bin holds 100. */
  from: number;
  to: number;
  customers: number;
  /** Sum of the scores in the bin (their mean, with customers). */
  scoreSum: number;
}

/** Customers by fit score in ten bins of 10 points, one GROUP BY. */
export async function scoreHistogram(ctx: AnalysisContext, fit: FitScore): Promise<ScoreBin[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const bin = `CAST(least(floor(${fit.expressions.score} / 10), 9) AS ${d.columnType('int64', false)})`;
  const rows = await measuredQuery(
    ctx,
    fit.measured,
    scopeSelect(ctx, {
      items: [`${bin} AS ${q('_b')}`, `count(*) AS ${q('_n')}`, `sum(${fit.expressions.score}) AS ${q('_s')}`],
      ...(fit.measured.join === null ? {} : { join: fit.measured.join }),
      where: fit.measured.where,
      groupBy: [bin],
    }),
  );
  const byBin = new Map(rows.map((r) => [numberOf(r['_b']) ?? 0, { n: numberOf(r['_n']) ?? 0, s: numberOf(r['_s']) ?? 0 }]));
  return Array.from({ length: 10 }, (_, b) => ({ from: b * 10, to: b * 10 + 10, customers: byBin.get(b)?.n ?? 0, scoreSum: byBin.get(b)?.s ?? 0 }));
}
