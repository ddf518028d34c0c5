import type { IntervalEstimate } from '../../stats/index.js';
import { meanInterval } from '../../stats/index.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { fitScoreExpressions } from './fit-model.js';
import type { FitScore } from './fit-score.js';
import { measuredQuery } from './measured.js';

/** One tenth of the calibration customers by their score at the calibration date. */
export interface ScoreDecile {
  decile: number;
  customers: number;
  meanScore: number;
  /** Mean net value over the following months, with its t interval; null under 2 customers. */
  forward: IntervalEstimate | null;
}

/**
 * The score's calibration: the customers who had started by the calibration
 * date, scored with the model on what was known then, in tenths of that
 * score (edges are its exact 10th..90th percentiles; customers tied at an
 * edge stay together), each with the mean net value it brought over the
 * following months. A good score climbs from the first tenth to the last.
 * In-sample: the same customers fitted the weights (a handful of weights on
 * thousands of customers).
 */
export async function calibrationDeciles(ctx: AnalysisContext, fit: FitScore): Promise<ScoreDecile[]> {
  if (fit.calibration === null) return [];
  const { measured } = fit.calibration;
  if (measured.forward === null) return [];
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const expressions = fitScoreExpressions(ctx, fit.model, measured);
  const raw = expressions.raw;
  const base = { ...(measured.join === null ? {} : { join: measured.join }), where: measured.where };
  const [edgesRow] = await measuredQuery(ctx, measured, scopeSelect(ctx, { ...base, items: Array.from({ length: 9 }, (_, i) => `${d.quantileExact(raw, (i + 1) / 10)} AS ${q(`_e${i}`)}`) }));
  const edges = Array.from({ length: 9 }, (_, i) => numberOf(edgesRow?.[`_e${i}`]));
  if (edges.some((e) => e === null)) return [];
  const values = new SqlValues(ctx.engine, 'fd');
  const bin = `(CASE ${edges.map((e, i) => `WHEN ${raw} < ${values.bind(e as number)} THEN ${i + 1}`).join(' ')} ELSE 10 END)`;
  const f = d.toDouble(measured.forward);
  const rows = await measuredQuery(
    ctx,
    measured,
    scopeSelect(ctx, {
      ...base,
      items: [`${bin} AS ${q('_b')}`, `count(*) AS ${q('_n')}`, `sum(${expressions.score}) AS ${q('_s')}`, `sum(${measured.forward}) AS ${q('_f')}`, `sum(${f} * ${f}) AS ${q('_ff')}`],
      groupBy: [bin],
    }),
    values,
  );
  return rows
    .map((r) => {
      const n = numberOf(r['_n']) ?? 0;
      const sum = numberOf(r['_f']) ?? 0;
      const mean = n > 0 ? sum / n : 0;
      const variance = n > 1 ? Math.max(0, ((numberOf(r['_ff']) ?? 0) - n * mean * mean) / (n - 1)) : 0;
      return {
        decile: numberOf(r['_b']) ?? 0,
        customers: n,
        meanScore: n > 0 ? (numberOf(r['_s']) ?? 0) / n : 0,
        forward: n >= 2 ? meanInterval({ n, mean, sd: Math.sqrt(variance) }) : null,
      };
    })
    .sort((a, b) => a.decile - b.decile);
}
