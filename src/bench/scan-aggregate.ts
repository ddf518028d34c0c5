import type { Engine } from '../engine/types.js';

/**
 * The time of one scan-aggregate of a table on an engine: a count and the sum
 * of every numeric column, the least one pass over the data can cost. It is
 * the unit of an analysis's floor (passes x this). Best of three, so that a
 * cold cache does not flatter the ratios.
 */
export async function scanAggregateSeconds(engine: Engine, table: string): Promise<number> {
  const d = engine.dialect;
  const numeric = (await engine.describe(table)).filter((c) => ['int32', 'int64', 'double', 'money'].includes(c.type));
  const sums = numeric.map((c, i) => `sum(${d.toDouble(d.quoteIdent(c.name))}) AS ${d.quoteIdent(`s${i}`)}`);
  const sql = `SELECT ${['count(*) AS n', ...sums].join(', ')} FROM ${d.quoteIdent(table)}`;
  let best = Infinity;
  for (let i = 0; i < 3; i += 1) {
    const t = performance.now();
    await engine.query(sql);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}
