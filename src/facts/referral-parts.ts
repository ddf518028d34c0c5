import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { out } from './facts-part.js';

export const RF = {
  made: '_r_made',
  referredBy: '_r_by',
} as const;

// Referrals are keyed by two customers, who may sit on different shards (the
// table has no customer_id, so a cluster spreads its rows at random): both
// parts read the whole table and say so (`colocated: false`); the shard-local
// plan computes them once and ships each row to its customer's shard.

/** Referrals dated by as_of count, and so do undated ones; self-referrals never do. */
function counted(ctx: FactsSqlContext): string {
  const col = (name: string): string => ctx.tables.column('referrals', name);
  return `(${col('at')} IS NULL OR ${col('at')} < ${ctx.asOfEnd}) AND ${col('referrer_id')} <> ${col('referred_id')}`;
}

/** Distinct customers each customer referred. */
export function referralsMadePart(ctx: FactsSqlContext): FactsPart {
  const outputs = [out(RF.made, 'int64')];
  if (!ctx.tables.has('referrals')) return { table: 'referrals', outputs, sql: null };
  const { d } = ctx;
  const q = (name: string): string => d.quoteIdent(name);
  const sql =
    `SELECT ${q('referrer_id')} AS ${q('customer_id')}, ${d.countDistinct(q('referred_id'))} AS ${q(RF.made)} ` +
    `FROM ${q('referrals')} WHERE ${counted(ctx)} GROUP BY ${q('referrer_id')}`;
  return { table: 'referrals', outputs, sql, colocated: false };
}

/** Who referred each customer: the smallest referrer id, so the choice never depends on row order. */
export function referredByPart(ctx: FactsSqlContext): FactsPart {
  const outputs = [out(RF.referredBy, 'string')];
  if (!ctx.tables.has('referrals')) return { table: 'referrals', outputs, sql: null };
  const { d } = ctx;
  const q = (name: string): string => d.quoteIdent(name);
  const sql =
    `SELECT ${q('referred_id')} AS ${q('customer_id')}, min(${q('referrer_id')}) AS ${q(RF.referredBy)} ` +
    `FROM ${q('referrals')} WHERE ${counted(ctx)} GROUP BY ${q('referred_id')}`;
  return { table: 'referrals', outputs, sql, colocated: false };
}
