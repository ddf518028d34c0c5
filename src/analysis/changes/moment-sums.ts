import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { PeriodMoments } from './did-math.js';

/** How many periods a change's moments are summed over: the before window's two halves, and the after window. */
export const PERIODS = 3;

/**
 * One measure, per customer and period k (for a change: 0 and 1 the halves
 * of the before window, 2 the after window; for an experiment, one period):
 * a weight n_k and an outcome sum y_k, as SQL over the statement's row (a
 * customer_facts row and its joins). Every measure of one statement has as
 * many periods.
 */
export interface MetricSql {
  /** Alias stem, `[a-z][a-z0-9]*`: unique in the statement. */
  key: string;
  n: readonly string[];
  y: readonly string[];
  /** Σ y² of the observations per period, where the spread of single answers is wanted (CSAT's standardised difference). */
  squares?: readonly string[];
  /** `answers`: n counts observations (one per answer); `customer-periods`: each customer present in a period is one. */
  observations: 'answers' | 'customer-periods';
}

/** One group's sums for one measure. */
export interface MetricSums {
  moments: PeriodMoments;
  /** Observations per period, and in the whole before window (both halves as one period). */
  observations: { byPeriod: number[]; before: number };
  /** Customers with an observation per period, in the before window (the first two periods of three), and in any period. */
  customers: { byPeriod: number[]; before: number; all: number };
  /** Σ y² per period (zeros when the measure has none). */
  squares: number[];
}

const pairs = (periods: number, upper: boolean): [number, number][] => {
  const out: [number, number][] = [];
  for (let i = 0; i < periods; i += 1) for (let j = upper ? i : 0; j < periods; j += 1) out.push([i, j]);
  return out;
};

/**
 * The sums of every measure's per-customer moments for the treated (1) and
 * comparison (0) groups, in one statement over customer_facts (and `join`,
 * a per-customer aggregate of an event table, co-located on a cluster):
 * Σn_k, Σy_k and the sums of the cross-products n_i·n_j, n_i·y_j, y_i·y_j,
 * GROUP BY the group flag, so each shard sums its own customers. On one
 * server each per-customer value is a column of a nested SELECT, computed
 * once; on a cluster the values are written out where they are used (the
 * statement reads customer_facts directly, as scopeSelect explains).
 */
export async function momentSums(
  ctx: AnalysisContext,
  values: readonly SqlValues[],
  metrics: readonly MetricSql[],
  groups: { flag: string; single?: boolean; member: string; join?: string; where?: readonly string[] },
): Promise<Map<number, Map<string, MetricSums>>> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const periods = metrics[0]?.n.length ?? PERIODS;
  if (metrics.some((m) => m.n.length !== periods || m.y.length !== periods)) throw new Error('every measure of a statement has as many periods');
  const defs = new Map<string, string>();
  for (const m of metrics) {
    for (let k = 0; k < periods; k += 1) {
      defs.set(`${m.key}_n${k}`, d.toDouble(m.n[k] ?? '0'));
      defs.set(`${m.key}_y${k}`, d.toDouble(m.y[k] ?? '0'));
      if (m.squares !== undefined) defs.set(`${m.key}_q${k}`, d.toDouble(m.squares[k] ?? '0'));
    }
  }
  const nested = !ctx.engine.capabilities.distributed;
  const ref = (name: string): string => {
    const sql = defs.get(name);
    if (sql === undefined) throw new Error(`no per-customer value ${name}`);
    return nested ? q(`_v_${name}`) : `(${sql})`;
  };
  const items: string[] = [];
  const alias = (name: string): string => q(`_${name}`);
  const count = (cond: string): string => `sum(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  for (const m of metrics) {
    const n = (k: number): string => ref(`${m.key}_n${k}`);
    const y = (k: number): string => ref(`${m.key}_y${k}`);
    for (let k = 0; k < periods; k += 1) {
      items.push(`sum(${n(k)}) AS ${alias(`${m.key}_n${k}`)}`, `sum(${y(k)}) AS ${alias(`${m.key}_y${k}`)}`, `${count(`${n(k)} > 0`)} AS ${alias(`${m.key}_c${k}`)}`);
      if (m.squares !== undefined) items.push(`sum(${ref(`${m.key}_q${k}`)}) AS ${alias(`${m.key}_q${k}`)}`);
    }
    for (const [i, j] of pairs(periods, true)) items.push(`sum(${n(i)} * ${n(j)}) AS ${alias(`${m.key}_nn${i}${j}`)}`, `sum(${y(i)} * ${y(j)}) AS ${alias(`${m.key}_yy${i}${j}`)}`);
    for (const [i, j] of pairs(periods, false)) items.push(`sum(${n(i)} * ${y(j)}) AS ${alias(`${m.key}_ny${i}${j}`)}`);
    const all = Array.from({ length: periods }, (_, k) => n(k)).join(' + ');
    items.push(`${count(`${all} > 0`)} AS ${alias(`${m.key}_ca`)}`);
    if (periods === PERIODS) items.push(`${count(`${n(0)} + ${n(1)} > 0`)} AS ${alias(`${m.key}_cb`)}`);
  }
  const where = [groups.member, ...(groups.where ?? [])];
  let sql: string;
  if (nested) {
    const inner = scopeSelect(ctx, {
      items: [`${groups.flag} AS ${q('_g')}`, ...[...defs].map(([name, expr]) => `${expr} AS ${q(`_v_${name}`)}`)],
      ...(groups.join === undefined ? {} : { join: groups.join }),
      where,
    });
    sql = `SELECT ${groups.single === true ? `1 AS ${q('_g')}` : q('_g')}, ${items.join(', ')} FROM (${inner}) AS ${q('_rows')}${groups.single === true ? '' : ` GROUP BY ${q('_g')}`}`;
  } else {
    sql = scopeSelect(ctx, { items: [`${groups.flag} AS ${q('_g')}`, ...items], ...(groups.join === undefined ? {} : { join: groups.join }), where, groupBy: groups.single === true ? [] : [groups.flag] });
  }
  const rows = await scopeQuery(ctx, sql, ...values);
  const out = new Map<number, Map<string, MetricSums>>();
  for (const row of rows) {
    const get = (name: string): number => numberOf(row[`_${name}`]) ?? 0;
    const group = numberOf(row['_g']) ?? 0;
    const byMetric = new Map<string, MetricSums>();
    for (const m of metrics) {
      const matrix = (kind: string, symmetric: boolean): number[][] =>
        Array.from({ length: periods }, (_, i) => Array.from({ length: periods }, (_v, j) => get(`${m.key}_${kind}${symmetric ? Math.min(i, j) : i}${symmetric ? Math.max(i, j) : j}`)));
      const nk = Array.from({ length: periods }, (_, k) => get(`${m.key}_n${k}`));
      const ck = Array.from({ length: periods }, (_, k) => get(`${m.key}_c${k}`));
      const before = periods === PERIODS ? get(`${m.key}_cb`) : 0;
      byMetric.set(m.key, {
        moments: { n: nk, y: Array.from({ length: periods }, (_, k) => get(`${m.key}_y${k}`)), nn: matrix('nn', true), ny: matrix('ny', false), yy: matrix('yy', true) },
        observations: m.observations === 'answers' ? { byPeriod: nk, before: (nk[0] ?? 0) + (nk[1] ?? 0) } : { byPeriod: ck, before },
        customers: { byPeriod: ck, before, all: get(`${m.key}_ca`) },
        squares: Array.from({ length: periods }, (_, k) => (m.squares === undefined ? 0 : get(`${m.key}_q${k}`))),
      });
    }
    out.set(group, byMetric);
  }
  return out;
}
