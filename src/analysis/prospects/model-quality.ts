import { meanInterval, wilsonInterval } from '../../stats/index.js';
import type { FitScore } from '../fit/fit-score.js';
import { equalTenureValue, FIRST_YEAR_DAYS } from '../ideal-profile/equal-tenure.js';
import { halfSql } from '../ideal-profile/search.js';
import type { Interval } from '../result.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { predictionRSquared, scoreBins, topCaptured, type ScoreGroup } from './ranking-math.js';

/** The top shares of customers by score the lift table reads. */
export const LIFT_SHARES = [0.1, 0.2, 0.3] as const;
/** The best customers: this top share by first-year net value. */
export const BEST_SHARE = 0.2;

export interface LiftRow {
  /** Top share of held-out customers by predicted score. */
  top: number;
  customers: number;
  /** Share of the best customers they hold, with a Wilson interval (counts rounded where a tie was split). */
  captured: number;
  interval: Interval;
  /** captured / top: 1 is no better than chance. */
  lift: number;
}

export interface CalibrationRow {
  decile: number;
  customers: number;
  meanPredicted: number;
  meanActual: number;
  interval: Interval | null;
}

/**
 * How well the prospects model ranks customers it never saw: the held-out
 * half. `lift`: of the best fifth by first-year net value (customers with a
 * whole first year), the share the top 10/20/30% by predicted score hold.
 * `calibration`: held-out customers in tenths of predicted score, the mean
 * predicted against the mean actual fit score.
 */
export interface ModelQuality {
  heldOutCustomers: number;
  /** Held-out customers with a whole first year (the lift's population) and the best among them. */
  liftCustomers: number;
  bestCustomers: number;
  /** First-year net value at or above which a customer counts among the best. */
  bestThreshold: number | null;
  lift: LiftRow[];
  calibration: CalibrationRow[];
  /** R² of the predicted score against the actual fit score, held out. */
  heldOutRSquared: number | null;
  /** Why there is no lift table, when there is none. */
  liftMissing: string | null;
}

/** Held-out quality of a model whose per-customer score is `predicted` (SQL over customer_facts). */
export async function modelQuality(ctx: AnalysisContext, fit: FitScore, predicted: string, values: SqlValues): Promise<ModelQuality> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const end = new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) + 86_400_000);
  const tenure = await equalTenureValue(ctx, values, end);
  const heldOut = [...fit.measured.where, `${halfSql(d)} = 1`];
  // Aliases of their own: ClickHouse lets an alias capture any name in the statement, the join's (`_e`) included.
  const run = (sql: string) => ctx.engine.query(sql, { ...ctx.scope.params, ...values.params, ...(tenure?.params ?? {}) });
  let threshold: number | null = null;
  if (tenure !== null) {
    const [row] = await run(scopeSelect(ctx, { items: [`${d.quantileExact(tenure.value, 1 - BEST_SHARE)} AS ${q('_mq_t')}`, `count(*) AS ${q('_mq_n')}`], join: tenure.join, where: [...heldOut, ...tenure.eligible] }));
    threshold = (numberOf(row?.['_mq_n']) ?? 0) > 0 ? numberOf(row?.['_mq_t']) : null;
  }
  const eligible = tenure === null ? '0' : `(CASE WHEN ${tenure.eligible.join(' AND ')} THEN 1 ELSE 0 END)`;
  const best = tenure === null || threshold === null ? '0' : `(CASE WHEN ${tenure.eligible.join(' AND ')} AND ${tenure.value} >= ${values.bind(threshold)} THEN 1 ELSE 0 END)`;
  const actual = d.toDouble(fit.expressions.score);
  const score = `round(${predicted}, 9)`;
  const rows = await run(
    scopeSelect(ctx, {
      items: [`${score} AS ${q('_mq_s')}`, `count(*) AS ${q('_mq_n')}`, `sum(${actual}) AS ${q('_mq_f')}`, `sum(${actual} * ${actual}) AS ${q('_mq_ff')}`, `sum(${eligible}) AS ${q('_mq_e')}`, `sum(${best}) AS ${q('_mq_b')}`],
      ...(tenure === null ? {} : { join: tenure.join }),
      where: heldOut,
      groupBy: [score],
    }),
  );
  const read = (r: (typeof rows)[number], key: string): number => numberOf(r[key]) ?? 0;
  const scored: ScoreGroup[] = rows.map((r) => ({ score: read(r, '_mq_s'), n: read(r, '_mq_n'), positives: 0, sum: read(r, '_mq_f'), squares: read(r, '_mq_ff') }));
  const forLift: ScoreGroup[] = rows.map((r) => ({ score: read(r, '_mq_s'), n: read(r, '_mq_e'), positives: read(r, '_mq_b'), sum: 0, squares: 0 }));
  const liftCustomers = forLift.reduce((s, g) => s + g.n, 0);
  const bestCustomers = forLift.reduce((s, g) => s + g.positives, 0);
  const liftMissing =
    tenure === null
      ? 'no start dates or no transactions, so first-year net value cannot be measured'
      : bestCustomers === 0
        ? `no held-out customer has a whole first year (${FIRST_YEAR_DAYS} days) of history`
        : null;
  const lift: LiftRow[] =
    liftMissing !== null
      ? []
      : LIFT_SHARES.map((top) => {
          const { taken, positives } = topCaptured(forLift, top);
          const captured = positives / bestCustomers;
          const w = wilsonInterval({ count: Math.min(bestCustomers, Math.round(positives)), n: bestCustomers });
          return { top, customers: Math.round(taken), captured, interval: w.interval, lift: captured / top };
        });
  const calibration = scoreBins(scored).map((b): CalibrationRow => {
    const n = Math.round(b.customers);
    const mean = b.customers > 0 ? b.sum / b.customers : Number.NaN;
    const variance = b.customers > 1 ? Math.max(0, (b.squares - b.customers * mean * mean) / (b.customers - 1)) : 0;
    return { decile: b.bin, customers: n, meanPredicted: b.meanScore, meanActual: mean, interval: n >= 2 ? meanInterval({ n, mean, sd: Math.sqrt(variance) }).interval : null };
  });
  return {
    heldOutCustomers: scored.reduce((s, g) => s + g.n, 0),
    liftCustomers,
    bestCustomers,
    bestThreshold: threshold,
    lift,
    calibration,
    heldOutRSquared: predictionRSquared(scored),
    liftMissing,
  };
}
