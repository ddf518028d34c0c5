import { meanInterval, screen, type DifferenceEstimate, type IntervalEstimate } from '../../stats/index.js';
import { MAX_LEVELS } from '../profile/attributes.js';
import type { Grouping } from '../profile/groupings.js';
import { ratioDifference } from '../ratio-estimate.js';
import { scopeSelect } from '../scope-query.js';
import { meanSummaryFromSums } from '../standardised-difference.js';
import type { AnalysisContext } from '../types.js';
import { measuresQuery, type CustomerMeasures } from './measures.js';
import { moneyRatio } from './money-ratio.js';
import { NET_VALUE, VALUE_PARTS, type PartKey } from './parts.js';
import { addSums, GROSS, perMonthSums, readSums, restOf, sumItems, type GroupSums, type SumsSpec } from './sums.js';

/** More distinct values than this: an identifier, not a segment. */
const MAX_DISTINCT = 200;

/** One segment (a level of a grouping, or the pooled small ones) with its figures. */
export interface SegmentValue {
  grouping: Grouping;
  level: string;
  /** Levels under the minimum size (or beyond the largest MAX_LEVELS), pooled: shown, never ranked or screened. */
  pooled: boolean;
  sums: GroupSums;
  perCustomer: IntervalEstimate | null;
  perMonth: IntervalEstimate | null;
  /** Each part per customer-month; null for a part the data does not give. */
  parts: Record<string, IntervalEstimate | null>;
  /** Net value per customer-month against the other customers in scope. */
  difference: DifferenceEstimate | null;
  qValue: number | null;
  passes: boolean;
}

export const SEGMENT_SPEC: SumsSpec = { money: [...VALUE_PARTS.map((p) => p.key), NET_VALUE, GROSS], satisfaction: false };

/** Net value per customer with a t interval (the total summed exactly, divided by n). */
export function perCustomerMean(sums: GroupSums, key: string): IntervalEstimate | null {
  const x = sums.money[key];
  if (x === undefined || sums.customers < 2) return null;
  return meanInterval(meanSummaryFromSums(sums.customers, x.total, x.squares));
}

function levelOrder(grouping: Grouping): (a: { level: string; n: number }, b: { level: string; n: number }) => number {
  return (a, b) => {
    if (grouping.order.length > 0) return grouping.order.indexOf(a.level) - grouping.order.indexOf(b.level);
    if (a.n !== b.n) return b.n - a.n;
    return a.level < b.level ? -1 : a.level > b.level ? 1 : 0;
  };
}

/**
 * A grouping's segments from one GROUP BY query: small levels (under the
 * minimum cell count) and those beyond the largest MAX_LEVELS pooled by
 * adding their sums. Null when the attribute has too many values to be a segment.
 */
export async function groupingSums(ctx: AnalysisContext, measures: CustomerMeasures, grouping: Grouping): Promise<{ level: string; pooled: boolean; sums: GroupSums }[] | null> {
  const q = ctx.engine.dialect.quoteIdent;
  const sql = scopeSelect(ctx, {
    items: [`${grouping.expr} AS ${q('_g')}`, ...sumItems(ctx, measures, SEGMENT_SPEC)],
    ...(measures.join === undefined ? {} : { join: measures.join }),
    where: measures.where,
    groupBy: [grouping.expr],
  });
  const rows = await measuresQuery(ctx, measures, `${sql} LIMIT ${MAX_DISTINCT + 1}`);
  if (rows.length > MAX_DISTINCT) return null;
  const levels = rows.map((r) => ({ level: String(r['_g']), sums: readSums(ctx, r, SEGMENT_SPEC) })).map((l) => ({ ...l, n: l.sums.customers }));
  const bySize = [...levels].sort(levelOrder({ ...grouping, order: [] }));
  const shown = new Set(bySize.filter((l, i) => i < MAX_LEVELS && l.n >= ctx.thresholds.minimumCellCount).map((l) => l.level));
  const small = levels.filter((l) => !shown.has(l.level));
  const out = levels
    .filter((l) => shown.has(l.level))
    .sort(levelOrder(grouping))
    .map((l) => ({ level: l.level, pooled: false, sums: l.sums }));
  const [first, ...others] = small;
  if (first !== undefined) out.push({ level: `other values (${small.length})`, pooled: true, sums: others.reduce((acc, l) => addSums(acc, l.sums), first.sums) });
  return out;
}

/**
 * Net value by segment: per customer and per customer-month with each part,
 * and the difference from the other customers in scope, screened together
 * across every grouping (Benjamini-Hochberg and the money threshold).
 */
export async function segmentValues(
  ctx: AnalysisContext,
  measures: CustomerMeasures,
  groupings: readonly Grouping[],
  overall: GroupSums,
  known: (key: PartKey) => boolean,
): Promise<{ segments: SegmentValue[]; warnings: string[] }> {
  const warnings: string[] = [];
  const segments: SegmentValue[] = [];
  for (const grouping of groupings) {
    const levels = await groupingSums(ctx, measures, grouping);
    if (levels === null) {
      warnings.push(`${grouping.label} has more than ${MAX_DISTINCT} distinct values: it looks like an identifier, so value is not shown by it.`);
      continue;
    }
    for (const l of levels) {
      const rest = restOf(overall, l.sums);
      segments.push({
        grouping,
        level: l.level,
        pooled: l.pooled,
        sums: l.sums,
        perCustomer: perCustomerMean(l.sums, NET_VALUE),
        perMonth: moneyRatio(perMonthSums(l.sums, NET_VALUE)),
        parts: Object.fromEntries(VALUE_PARTS.map((p) => [p.key, known(p.key) ? moneyRatio(perMonthSums(l.sums, p.key)) : null])),
        difference: l.pooled || rest.exposed < 2 ? null : ratioDifference(perMonthSums(l.sums, NET_VALUE), perMonthSums(rest, NET_VALUE)),
        qValue: null,
        passes: false,
      });
    }
  }
  const currency = ctx.config.currency;
  const tested = segments.filter((s) => s.difference !== null);
  const screened = screen(
    tested.map((s) => ({ estimate: s.difference?.estimate ?? 0, unit: currency, pValue: s.difference?.pValue ?? 1 })),
    { alpha: ctx.thresholds.fdr, practicalThreshold: { [currency]: ctx.thresholds.byUnit[currency] ?? 1 } },
  );
  tested.forEach((s, i) => {
    const verdict = screened[i];
    s.qValue = verdict?.qValue ?? null;
    s.passes = verdict?.passes ?? false;
  });
  return { segments, warnings };
}
