import type { Engine, Row, RowValue } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import type { LinkedVersion } from '../../workspace/link-version.js';
import type { AttributeInfo } from '../facts-catalogue.js';

/**
 * Sums over the customers present in both of two versions, for one measure:
 * x1 (before) and x2 (after) of each shared customer.
 */
export interface PairMoments {
  n: number;
  sumBefore: number;
  sumAfter: number;
  sumProduct: number;
}

/** What pairs two snapshots: the customers they share, per mix level and for tenure. */
export interface PairedSums {
  /** Customers in both versions. */
  shared: number;
  /** Keyed by `mixKey(attribute, level)`: x = 1 when the customer has that level. */
  mix: Map<string, PairMoments>;
  /** tenure_days, over shared customers with a tenure in both versions. */
  tenure: PairMoments | null;
}

export const mixKey = (attribute: string, level: string): string => `${attribute}\u0000${level}`;

/**
 * Covariance of (x1, x2) over the shared customers, divisor n (as the
 * p(1 − p)/n variance of a share has), so an unchanged pair cancels exactly;
 * 0 when fewer than two.
 */
export function pairCovariance(m: PairMoments): number {
  if (m.n < 2) return 0;
  return (m.sumProduct - (m.sumBefore * m.sumAfter) / m.n) / m.n;
}

/**
 * The variance of (estimate after − estimate before) for two means (or
 * shares) over overlapping populations of n1 and n2 customers, n12 shared:
 * Var1/n1 + Var2/n2 − 2 n12 Cov12 / (n1 n2), the overlapping-samples
 * formula (Kish, Survey Sampling, 1965, §12.4). `varianceBefore` and
 * `varianceAfter` are the squared standard errors of the two estimates.
 * Never below 0 (rounding of an identical pair).
 */
export function overlapVariance(varianceBefore: number, varianceAfter: number, n1: number, n2: number, moments: PairMoments): number {
  if (n1 === 0 || n2 === 0) return varianceBefore + varianceAfter;
  return Math.max(0, varianceBefore + varianceAfter - (2 * moments.n * pairCovariance(moments)) / (n1 * n2));
}

/**
 * Pairs this version's customer_facts with `linked`'s, customer by
 * customer, in two statements: the counts of (level before, level after) for
 * each attribute whose levels are compared, and the shared count with the
 * tenure sums. On a cluster the other version's narrow columns are read once
 * and shipped to every shard (`globalJoin`): its rows need not sit on the
 * shards this version's do.
 */
export async function pairedSums(engine: Engine, linked: LinkedVersion, attributes: readonly AttributeInfo[], levels: ReadonlyMap<string, ReadonlySet<string>>): Promise<PairedSums> {
  const d = engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const id = q('customer_id');
  const previous = new Set(await linked.columns(CUSTOMER_FACTS_TABLE));
  const join = (columns: string[]): string =>
    `FROM ${q(CUSTOMER_FACTS_TABLE)} ${d.globalJoin('INNER')} (SELECT ${[id, ...columns].join(', ')} FROM ${linked.table(CUSTOMER_FACTS_TABLE)}) AS ${q('_p')} USING (${id})`;

  const mix = new Map<string, PairMoments>();
  for (const attribute of attributes) {
    const wanted = levels.get(attribute.source);
    if (wanted === undefined || !previous.has(attribute.name)) continue;
    const after = d.toString(q(attribute.name));
    const rows = await engine.query<{ _after: string | null; _before: string | null; _n: RowValue }>(
      `SELECT ${after} AS ${q('_after')}, ${q('_before')}, count(*) AS ${q('_n')}
         ${join([`${d.toString(q(attribute.name))} AS ${q('_before')}`])}
        GROUP BY ${after}, ${q('_before')}`,
    );
    const total = rows.reduce((s, r) => s + Number(r._n), 0);
    for (const level of wanted) {
      let before = 0;
      let afterCount = 0;
      let both = 0;
      for (const r of rows) {
        const n = Number(r._n);
        if (r._before === level) before += n;
        if (r._after === level) afterCount += n;
        if (r._before === level && r._after === level) both += n;
      }
      mix.set(mixKey(attribute.source, level), { n: total, sumBefore: before, sumAfter: afterCount, sumProduct: both });
    }
  }

  const tenure = q('tenure_days');
  const hasTenure = previous.has('tenure_days');
  const both = `${tenure} IS NOT NULL AND ${q('_t1')} IS NOT NULL`;
  const sumIf = (expr: string): string => `sum(${d.ifThen(both, expr, '0')})`;
  const items = [
    `count(*) AS ${q('_shared')}`,
    ...(hasTenure
      ? [
          `${sumIf('1')} AS ${q('_tn')}`,
          `${sumIf(d.toDouble(q('_t1')))} AS ${q('_t1s')}`,
          `${sumIf(d.toDouble(tenure))} AS ${q('_t2s')}`,
          `${sumIf(`${d.toDouble(q('_t1'))} * ${d.toDouble(tenure)}`)} AS ${q('_t12')}`,
        ]
      : []),
  ];
  const [row] = await engine.query<Row>(`SELECT ${items.join(', ')} ${join(hasTenure ? [`${tenure} AS ${q('_t1')}`] : [])}`);
  const num = (key: string): number => Number(row?.[key] ?? 0);
  return {
    shared: num('_shared'),
    mix,
    tenure: hasTenure && num('_tn') > 0 ? { n: num('_tn'), sumBefore: num('_t1s'), sumAfter: num('_t2s'), sumProduct: num('_t12') } : null,
  };
}
