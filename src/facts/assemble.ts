import type { SqlDialect } from '../engine/dialect.js';
import type { FactsPart } from './facts-part.js';

/**
 * Left-joins every present part onto the customers base, one JOIN per SELECT
 * (ClickHouse 18 allows no more), nesting one level per part. Every column is
 * listed by its unique internal name, so no column needs a table qualifier
 * and `USING (customer_id)` is the only join condition.
 */
export function joinParts(d: SqlDialect, base: FactsPart & { sql: string }, parts: readonly FactsPart[]): string {
  const q = (name: string): string => d.quoteIdent(name);
  let columns = ['customer_id', ...base.outputs.map((o) => o.name)];
  let sql = base.sql;
  parts.forEach((part, i) => {
    if (part.sql === null) return;
    columns = [...columns, ...part.outputs.map((o) => o.name)];
    sql =
      `SELECT ${columns.map(q).join(', ')} FROM (${sql}) AS ${q(`_l${i}`)} ` +
      `LEFT JOIN (${part.sql}) AS ${q(`_r${i}`)} USING (${q('customer_id')})`;
  });
  return sql;
}
