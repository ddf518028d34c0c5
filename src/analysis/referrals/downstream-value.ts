import { meanInterval, type IntervalEstimate } from '../../stats/index.js';
import { MAX_LEVELS } from '../profile/attributes.js';
import type { Grouping } from '../profile/groupings.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import { meanSummaryFromSums } from '../standardised-difference.js';
import type { AnalysisContext } from '../types.js';
import { moneyRatio } from '../value/money-ratio.js';
import { broughtJoin } from './pairs-sql.js';

/**
 * Over referrers who brought at least one customer: their own net value v
 * and the net value B of the customers each brought, as exact money totals
 * and DOUBLE squares and cross-products (mergeable by addition).
 */
export interface DownstreamSums {
  referrers: number;
  pairs: number;
  own: number;
  brought: number;
  ownSquares: number;
  broughtSquares: number;
  cross: number;
}

export interface DownstreamFigures {
  sums: DownstreamSums;
  /** Net value a referrer brought through its customers, per referrer (t interval). */
  broughtPerReferrer: IntervalEstimate | null;
  /** The referrer's own net value, per referrer. */
  ownPerReferrer: IntervalEstimate | null;
  /**
   * The referral multiplier: (Σ v + Σ B) / Σ v, referrers as the units
   * (ratio of totals, linearised error, t interval). Null when the
   * referrers' own value is not positive.
   */
  multiplier: IntervalEstimate | null;
}

export interface SegmentDownstream extends DownstreamFigures {
  grouping: Grouping;
  level: string;
  pooled: boolean;
}

/** A referrer who brought the most customers. */
export interface TopReferrer {
  customerId: string;
  brought: number;
  own: number;
  broughtValue: number;
}

function broughtItems(ctx: AnalysisContext): string[] {
  const q = ctx.engine.dialect.quoteIdent;
  return [`count(*) AS ${q('_bn')}`, `sum(${q('net_value')}) AS ${q('_bv')}`];
}

function sumItems(ctx: AnalysisContext): string[] {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const own = d.toDouble(q('net_value'));
  const brought = d.toDouble(q('_bv'));
  return [
    `count(*) AS ${q('_r')}`,
    `sum(${q('_bn')}) AS ${q('_p')}`,
    `sum(${q('net_value')}) AS ${q('_v')}`,
    `sum(${q('_bv')}) AS ${q('_bt')}`,
    `sum(${own} * ${own}) AS ${q('_vv')}`,
    `sum(${brought} * ${brought}) AS ${q('_bb')}`,
    `sum(${own} * ${brought}) AS ${q('_vb')}`,
  ];
}

function readSums(row: Record<string, unknown> | undefined): DownstreamSums {
  const get = (name: string): number => numberOf(row?.[name]) ?? 0;
  return { referrers: get('_r'), pairs: get('_p'), own: get('_v'), brought: get('_bt'), ownSquares: get('_vv'), broughtSquares: get('_bb'), cross: get('_vb') };
}

function add(a: DownstreamSums, b: DownstreamSums): DownstreamSums {
  return {
    referrers: a.referrers + b.referrers,
    pairs: a.pairs + b.pairs,
    own: a.own + b.own,
    brought: a.brought + b.brought,
    ownSquares: a.ownSquares + b.ownSquares,
    broughtSquares: a.broughtSquares + b.broughtSquares,
    cross: a.cross + b.cross,
  };
}

export function downstreamFigures(s: DownstreamSums): DownstreamFigures {
  const n = s.referrers;
  return {
    sums: s,
    broughtPerReferrer: n >= 2 ? meanInterval(meanSummaryFromSums(n, s.brought, s.broughtSquares)) : null,
    ownPerReferrer: n >= 2 ? meanInterval(meanSummaryFromSums(n, s.own, s.ownSquares)) : null,
    // y = v + B over m = v: Σy² = Σv² + 2ΣvB + ΣB², Σym = Σv² + ΣvB.
    multiplier:
      s.own > 0
        ? moneyRatio({ n, y: s.own + s.brought, m: s.own, yy: s.ownSquares + 2 * s.cross + s.broughtSquares, mm: s.ownSquares, ym: s.ownSquares + s.cross })
        : null,
  };
}

/** The referrers in scope who brought someone, with their own value and what they brought. */
export async function downstreamValue(ctx: AnalysisContext, values: SqlValues): Promise<DownstreamFigures> {
  const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: sumItems(ctx), join: broughtJoin(ctx, values, broughtItems(ctx), 'INNER') }), values);
  return downstreamFigures(readSums(row));
}

/** The same by the referrer's segment; small levels pooled. */
export async function downstreamBySegment(ctx: AnalysisContext, values: SqlValues, groupings: readonly Grouping[]): Promise<SegmentDownstream[]> {
  const q = ctx.engine.dialect.quoteIdent;
  const out: SegmentDownstream[] = [];
  for (const grouping of groupings) {
    const rows = await scopeQuery(
      ctx,
      `${scopeSelect(ctx, { items: [`${grouping.expr} AS ${q('_g')}`, ...sumItems(ctx)], join: broughtJoin(ctx, values, broughtItems(ctx), 'INNER'), groupBy: [grouping.expr] })} LIMIT 201`,
      values,
    );
    if (rows.length > 200) continue;
    const levels = rows.map((r) => ({ level: String(r['_g']), sums: readSums(r) })).sort((a, b) => b.sums.referrers - a.sums.referrers || (a.level < b.level ? -1 : 1));
    const shown = levels.filter((l, i) => i < MAX_LEVELS && l.sums.referrers >= ctx.thresholds.minimumCellCount);
    const small = levels.filter((l) => !shown.includes(l));
    const ordered = grouping.order.length > 0 ? [...shown].sort((a, b) => grouping.order.indexOf(a.level) - grouping.order.indexOf(b.level)) : shown;
    for (const l of ordered) out.push({ grouping, level: l.level, pooled: false, ...downstreamFigures(l.sums) });
    const [first, ...others] = small;
    if (first !== undefined) out.push({ grouping, level: `other values (${small.length})`, pooled: true, ...downstreamFigures(others.reduce((acc, l) => add(acc, l.sums), first.sums)) });
  }
  return out;
}

/** The referrers in scope who brought the most customers (ties: more value brought, then id). */
export async function topReferrers(ctx: AnalysisContext, values: SqlValues, limit = 10): Promise<TopReferrer[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const sql = scopeSelect(ctx, {
    items: [`${d.toString(q('customer_id'))} AS ${q('_id')}`, `${q('net_value')} AS ${q('_v')}`, `${q('_bn')} AS ${q('_n')}`, `${q('_bv')} AS ${q('_bt')}`],
    join: broughtJoin(ctx, values, broughtItems(ctx), 'INNER'),
  });
  const rows = await scopeQuery(ctx, `${sql} ORDER BY ${q('_n')} DESC, ${q('_bt')} DESC, ${q('_id')} LIMIT ${limit}`, values);
  return rows.map((r) => ({ customerId: String(r['_id']), brought: numberOf(r['_n']) ?? 0, own: numberOf(r['_v']) ?? 0, broughtValue: numberOf(r['_bt']) ?? 0 }));
}
