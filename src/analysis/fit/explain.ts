import { customerIdIn } from '../customer-id.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { FitScore } from './fit-score.js';
import { measuredQuery } from './measured.js';
import type { ComponentKey } from './settings.js';

/** One customer's score taken apart: the base plus each component's points (they add up to the score unless it was clipped at 0 or 100). */
export interface FitExplanation {
  customerId: string;
  score: number;
  /** Base + points before clipping. */
  unclipped: number;
  base: number;
  /** Per used component: the customer's value (null when not measured: it counts as average) and its points. */
  parts: { key: ComponentKey; value: number | null; points: number }[];
}

/** Customers at most per explanation query. */
export const MAX_EXPLAINED = 1000;

/**
 * "Why is this customer 38?": the score of each customer id given (those in
 * scope with a score; the others are left out), taken apart into the base
 * and each component's points, computed by the same SQL as the score.
 *
 * @example
 * const fit = await fitScoreSql(ctx);
 * const [why] = await explainFit(ctx, fit, ['10000037']);
 * // why.score 38.2 = why.base 51.0 + Σ why.parts[i].points
 */
export async function explainFit(ctx: AnalysisContext, fit: FitScore, customerIds: readonly string[]): Promise<FitExplanation[]> {
  if (customerIds.length === 0) return [];
  if (customerIds.length > MAX_EXPLAINED) throw new RangeError(`explainFit takes at most ${MAX_EXPLAINED} customers at a time`);
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'fx');
  const used = fit.model.components.filter((c) => c.used);
  const items = [
    `${d.toString(q('customer_id'))} AS ${q('_id')}`,
    `${fit.expressions.score} AS ${q('_score')}`,
    `${fit.expressions.raw} AS ${q('_raw')}`,
    ...used.flatMap((c, i) => [`${fit.measured.x[c.spec.key]} AS ${q(`_x${i}`)}`, `${fit.expressions.points[c.spec.key] ?? '0'} AS ${q(`_p${i}`)}`]),
  ];
  const idType = ctx.facts.columns.find((c) => c.name === 'customer_id')?.type;
  const sql = scopeSelect(ctx, {
    items,
    ...(fit.measured.join === null ? {} : { join: fit.measured.join }),
    where: [...fit.measured.where, customerIdIn(ctx.engine, values, idType, customerIds)],
  });
  const rows = await measuredQuery(ctx, fit.measured, sql, values);
  const order = new Map(customerIds.map((id, i) => [id, i]));
  return rows
    .map((r) => ({
      customerId: String(r['_id']),
      score: numberOf(r['_score']) ?? 0,
      unclipped: numberOf(r['_raw']) ?? 0,
      base: fit.expressions.basePoints,
      parts: used.map((c, i) => ({ key: c.spec.key, value: numberOf(r[`_x${i}`]), points: numberOf(r[`_p${i}`]) ?? 0 })),
    }))
    .sort((a, b) => (order.get(a.customerId) ?? 0) - (order.get(b.customerId) ?? 0));
}

/** Score percentiles whose nearest customers make the table of examples. */
export const EXAMPLE_PERCENTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/**
 * Example customers: the customer whose score is nearest each of
 * EXAMPLE_PERCENTILES (ties by id, so every engine picks the same one),
 * explained.
 */
export async function exampleCustomers(ctx: AnalysisContext, fit: FitScore): Promise<FitExplanation[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const base = { ...(fit.measured.join === null ? {} : { join: fit.measured.join }), where: fit.measured.where };
  const score = fit.expressions.score;
  const [row] = await measuredQuery(ctx, fit.measured, scopeSelect(ctx, { ...base, items: EXAMPLE_PERCENTILES.map((p, i) => `${d.quantileExact(score, p)} AS ${q(`_p${i}`)}`) }));
  const ids: string[] = [];
  for (const [i] of EXAMPLE_PERCENTILES.entries()) {
    const target = numberOf(row?.[`_p${i}`]);
    if (target === null) continue;
    const values = new SqlValues(ctx.engine, 'fe');
    const distance = `round(abs(${score} - ${values.bind(target)}), 9)`;
    const others = ids.map((id) => values.bind(id));
    const sql = scopeSelect(ctx, {
      ...base,
      items: [`${d.toString(q('customer_id'))} AS ${q('_id')}`, `${distance} AS ${q('_d')}`],
      where: [...base.where, ...(others.length === 0 ? [] : [`${d.toString(q('customer_id'))} NOT IN (${others.join(', ')})`])],
    });
    const [nearest] = await measuredQuery(ctx, fit.measured, `${sql} ORDER BY ${q('_d')}, ${q('_id')} LIMIT 1`, values);
    if (nearest !== undefined) ids.push(String(nearest['_id']));
  }
  return explainFit(ctx, fit, ids);
}
