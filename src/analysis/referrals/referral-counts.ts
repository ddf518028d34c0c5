import { meanInterval, proportionDifference, screen, wilsonInterval, type DifferenceEstimate, type IntervalEstimate } from '../../stats/index.js';
import { MAX_LEVELS } from '../profile/attributes.js';
import type { Grouping } from '../profile/groupings.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import { meanSummaryFromSums } from '../standardised-difference.js';
import type { AnalysisContext } from '../types.js';
import { broughtJoin } from './pairs-sql.js';

/** Referrals made above this many are shown together (the distribution's last bar: "10 or more"). */
export const MADE_CAP = 10;

/** More distinct values than this: an identifier, not a segment. */
const MAX_DISTINCT = 200;

/** Customers, referrers and referrals made over a group of customers: mergeable by addition. */
export interface ReferralSums {
  customers: number;
  /** Customers with referrals_made > 0. */
  referrers: number;
  /** Σ referrals_made, and Σ referrals_made². */
  referrals: number;
  referralsSquares: number;
}

export interface ReferralOverview {
  sums: ReferralSums;
  /** Customers in scope who were referred. */
  referred: number;
  /** Share of customers who referred at least one (Wilson). */
  shareReferring: IntervalEstimate | null;
  /** Referrals made per customer (t interval). */
  perCustomer: IntervalEstimate | null;
  /** Pairs whose referrer is in scope (and, with a period, whose referred customer signed up in it), and their referrers. */
  pairs: number;
  pairedReferrers: number;
  /** Over the whole store: Σ referrals_made, and referred customers whose referrer is a customer. */
  storeReferrals: number;
  storePairs: number;
}

export interface SegmentReferrals {
  grouping: Grouping;
  level: string;
  /** Levels under the minimum size (or beyond the largest MAX_LEVELS), pooled: shown, never screened. */
  pooled: boolean;
  sums: ReferralSums;
  shareReferring: IntervalEstimate | null;
  perCustomer: IntervalEstimate | null;
  /** Share referring against the other customers in scope (a − rest). */
  difference: DifferenceEstimate | null;
  qValue: number | null;
  passes: boolean;
}

/** Customers by referrals made (0 .. MADE_CAP, the last "or more"). */
export interface MadeBin {
  made: number;
  customers: number;
}

function sumItems(ctx: AnalysisContext): string[] {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const made = q('referrals_made');
  return [
    `count(*) AS ${q('_n')}`,
    `sum(${d.ifThen(`${made} > 0`, '1', '0')}) AS ${q('_r')}`,
    `sum(${made}) AS ${q('_m')}`,
    `sum(${d.toDouble(made)} * ${d.toDouble(made)}) AS ${q('_mm')}`,
  ];
}

function readSums(row: Record<string, unknown> | undefined): ReferralSums {
  const get = (name: string): number => numberOf(row?.[name]) ?? 0;
  return { customers: get('_n'), referrers: get('_r'), referrals: get('_m'), referralsSquares: get('_mm') };
}

function addSums(a: ReferralSums, b: ReferralSums, sign: 1 | -1 = 1): ReferralSums {
  return {
    customers: a.customers + sign * b.customers,
    referrers: a.referrers + sign * b.referrers,
    referrals: a.referrals + sign * b.referrals,
    referralsSquares: a.referralsSquares + sign * b.referralsSquares,
  };
}

function shareOf(s: ReferralSums): IntervalEstimate | null {
  return s.customers > 0 ? wilsonInterval({ count: s.referrers, n: s.customers }) : null;
}

function perCustomerOf(s: ReferralSums): IntervalEstimate | null {
  return s.customers >= 2 ? meanInterval(meanSummaryFromSums(s.customers, s.referrals, s.referralsSquares)) : null;
}

/** The graph in scope: who refers, how many referrals, and the pairs whose referrer is in scope. */
export async function referralOverview(ctx: AnalysisContext, values: SqlValues): Promise<ReferralOverview> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const referredFlag = d.ifThen(`${d.boolToInt(q('is_referred'))} = 1`, '1', '0');
  const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: [...sumItems(ctx), `sum(${referredFlag}) AS ${q('_rd')}`] }), values);
  const sums = readSums(row);
  const [paired] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`count(*) AS ${q('_r')}`, `sum(${q('_bn')}) AS ${q('_p')}`], join: broughtJoin(ctx, values, [`count(*) AS ${q('_bn')}`], 'INNER') }), values);
  // The whole store, whatever the segment: referrals the table names against the pairs customer_facts can form.
  const [store] = await scopeQuery(
    ctx,
    `SELECT sum(${q('referrals_made')}) AS ${q('_m')}, sum(${d.ifThen(`${q('referred_by')} IS NOT NULL`, '1', '0')}) AS ${q('_p')} FROM ${ctx.scope.table}`,
    values,
  );
  return {
    sums,
    referred: numberOf(row?.['_rd']) ?? 0,
    shareReferring: shareOf(sums),
    perCustomer: perCustomerOf(sums),
    pairs: numberOf(paired?.['_p']) ?? 0,
    pairedReferrers: numberOf(paired?.['_r']) ?? 0,
    storeReferrals: numberOf(store?.['_m']) ?? 0,
    storePairs: numberOf(store?.['_p']) ?? 0,
  };
}

/** Customers in scope by referrals made, the last bin "MADE_CAP or more". */
export async function madeDistribution(ctx: AnalysisContext, values: SqlValues): Promise<MadeBin[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const made = q('referrals_made');
  const bin = `(CASE WHEN ${made} >= ${MADE_CAP} THEN ${MADE_CAP} ELSE ${made} END)`;
  const rows = await scopeQuery(ctx, scopeSelect(ctx, { items: [`${bin} AS ${q('_k')}`, `count(*) AS ${q('_n')}`], groupBy: [bin] }), values);
  const counts = new Map(rows.map((r) => [numberOf(r['_k']) ?? 0, numberOf(r['_n']) ?? 0]));
  const last = Math.max(0, ...counts.keys());
  return Array.from({ length: last + 1 }, (_, made) => ({ made, customers: counts.get(made) ?? 0 }));
}

/**
 * Share referring and referrals per customer by segment, one GROUP BY per
 * grouping; levels under the minimum size and beyond the largest MAX_LEVELS
 * pooled. Each level's share referring against the other customers in scope
 * (Newcombe interval, pooled z test), screened together across every
 * grouping (Benjamini-Hochberg and the percentage-point threshold).
 */
export async function referralsBySegment(
  ctx: AnalysisContext,
  values: SqlValues,
  groupings: readonly Grouping[],
  overall: ReferralSums,
): Promise<{ segments: SegmentReferrals[]; warnings: string[] }> {
  const q = ctx.engine.dialect.quoteIdent;
  const segments: SegmentReferrals[] = [];
  const warnings: string[] = [];
  for (const grouping of groupings) {
    const sql = scopeSelect(ctx, { items: [`${grouping.expr} AS ${q('_g')}`, ...sumItems(ctx)], groupBy: [grouping.expr] });
    const rows = await scopeQuery(ctx, `${sql} LIMIT ${MAX_DISTINCT + 1}`, values);
    if (rows.length > MAX_DISTINCT) {
      warnings.push(`${grouping.label} has more than ${MAX_DISTINCT} distinct values: it looks like an identifier, so referrals are not shown by it.`);
      continue;
    }
    const levels = rows.map((r) => ({ level: String(r['_g']), sums: readSums(r) })).sort((a, b) => b.sums.customers - a.sums.customers || (a.level < b.level ? -1 : 1));
    const shown = levels.filter((l, i) => i < MAX_LEVELS && l.sums.customers >= ctx.thresholds.minimumCellCount);
    const small = levels.filter((l) => !shown.includes(l));
    const ordered = grouping.order.length > 0 ? [...shown].sort((a, b) => grouping.order.indexOf(a.level) - grouping.order.indexOf(b.level)) : shown;
    const entries = ordered.map((l) => ({ level: l.level, pooled: false, sums: l.sums }));
    const [first, ...others] = small;
    if (first !== undefined) entries.push({ level: `other values (${small.length})`, pooled: true, sums: others.reduce((acc, l) => addSums(acc, l.sums), first.sums) });
    for (const e of entries) {
      const rest = addSums(overall, e.sums, -1);
      segments.push({
        grouping,
        level: e.level,
        pooled: e.pooled,
        sums: e.sums,
        shareReferring: shareOf(e.sums),
        perCustomer: perCustomerOf(e.sums),
        difference: e.pooled || rest.customers < 1 || e.sums.customers < 1 ? null : proportionDifference({ count: e.sums.referrers, n: e.sums.customers }, { count: rest.referrers, n: rest.customers }),
        qValue: null,
        passes: false,
      });
    }
  }
  const unit = 'percentage_points';
  const tested = segments.filter((s) => s.difference !== null);
  const verdicts = screen(
    tested.map((s) => ({ estimate: 100 * (s.difference?.estimate ?? 0), unit, pValue: s.difference?.pValue ?? 1 })),
    { alpha: ctx.thresholds.fdr, practicalThreshold: { [unit]: ctx.thresholds.byUnit[unit] ?? 1 } },
  );
  tested.forEach((s, i) => {
    s.qValue = verdicts[i]?.qValue ?? null;
    s.passes = verdicts[i]?.passes ?? false;
  });
  return { segments, warnings };
}
