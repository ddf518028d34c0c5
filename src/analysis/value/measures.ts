import type { Row, SqlParams } from '../../engine/types.js';
import { exposureMonths } from '../perfect-customer/behaviours.js';
import type { SatisfactionMeasure } from '../perfect-customer/satisfaction.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { CHANNEL_PARTS, VALUE_PARTS, type PartKey } from './parts.js';
import { periodMeasures } from './period-measures.js';

/**
 * Each in-scope customer's money, exposure and satisfaction as SQL over
 * customer_facts (and, for a period, one per-customer join). Money
 * expressions are in the exact money type.
 *
 * Without a period: customer_facts' totals by as_of and exposure_days.
 * With a period: the transactions, interactions (costed by the same rule as
 * customer_facts) and survey answers dated in it, and the part of each
 * customer's exposure inside it.
 */
export interface CustomerMeasures {
  parts: Record<PartKey, string>;
  /** Cost to serve per channel, by CHANNEL_PARTS key. */
  channels: Record<string, string>;
  net: string;
  /** Revenue + fees: what the customer was billed. */
  gross: string;
  /** Months of exposure (DOUBLE); NULL without a start date. */
  months: string;
  /** The customer's months count for per-month measures. */
  exposed: string;
  /** Per customer: the sum of satisfaction scores (NPS as +100/0/−100) and the number of answers. */
  satisfaction: { score: string; answers: string } | null;
  join?: string;
  /** Who is counted: with a period, customers exposed in it or with an event in it. */
  where: string[];
  /** Parameters of the join (interaction cost rates) besides `values`. */
  params: SqlParams;
  values: SqlValues;
  period: boolean;
}

/** Runs a query over the measures with the scope's, the measures' and `more` parameters. */
export function measuresQuery(ctx: AnalysisContext, measures: CustomerMeasures, sql: string, ...more: SqlValues[]): Promise<Row[]> {
  const params = Object.assign({}, ctx.scope.params, measures.params, measures.values.params, ...more.map((v) => v.params)) as SqlParams;
  return ctx.engine.query(sql, params, ctx.signal === undefined ? {} : { signal: ctx.signal });
}

function satisfactionAsOf(ctx: AnalysisContext, measure: SatisfactionMeasure | null): CustomerMeasures['satisfaction'] {
  if (measure === null) return null;
  const d = ctx.engine.dialect;
  return { score: `COALESCE(${d.toDouble(measure.sql)}, ${d.toDouble('0')})`, answers: `(CASE WHEN ${measure.sql} IS NULL THEN 0 ELSE 1 END)` };
}

/** The measures of every customer in scope; `satisfaction` only when asked for (a join of survey answers in a period). */
export async function customerMeasures(ctx: AnalysisContext, values: SqlValues, measure: SatisfactionMeasure | null): Promise<CustomerMeasures> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  if (ctx.period === null) {
    const months = exposureMonths(ctx);
    return {
      parts: Object.fromEntries(VALUE_PARTS.map((p) => [p.key, q(p.column)])) as Record<PartKey, string>,
      channels: Object.fromEntries(CHANNEL_PARTS.map((c) => [c.key, q(c.key)])),
      net: q('net_value'),
      gross: `(${q('revenue')} + ${q('fees')})`,
      months,
      exposed: `${months} IS NOT NULL`,
      satisfaction: satisfactionAsOf(ctx, measure),
      where: [],
      params: {},
      values,
      period: false,
    };
  }
  return periodMeasures(ctx, values, measure);
}
