import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { out } from './facts-part.js';

export const BH = {
  firstSeen: (i: number): string => `_e_at${i}`,
} as const;

/**
 * First time each event-defined behaviour was seen by as_of, one column per
 * declared behaviour (index into `layout.behaviours`). Attribute-defined
 * behaviours are read from the customers row when the facts are assembled.
 */
export function behavioursPart(ctx: FactsSqlContext): FactsPart {
  const { d, values, layout } = ctx;
  const withEvent = layout.behaviours.flatMap((b, i) => (b.event === undefined ? [] : [{ i, event: b.event }]));
  const outputs = withEvent.map(({ i }) => out(BH.firstSeen(i), 'timestamp'));
  if (!ctx.tables.has('behaviour_events') || withEvent.length === 0) return { table: 'behaviour_events', outputs, sql: null };

  const q = (name: string): string => d.quoteIdent(name);
  const col = (name: string): string => ctx.tables.column('behaviour_events', name);
  const select = [
    q('customer_id'),
    ...withEvent.map(({ i, event }) => `min(CASE WHEN ${col('behaviour')} = ${values.bind(event)} THEN ${col('at')} ELSE NULL END) AS ${q(BH.firstSeen(i))}`),
  ];
  const events = [...new Set(withEvent.map((b) => b.event))].map((e) => values.bind(e));
  const sql =
    `SELECT ${select.join(', ')} FROM ${ctx.source('behaviour_events')} ` +
    `WHERE ${col('at')} < ${ctx.asOfEnd} AND ${col('behaviour')} IN (${events.join(', ')}) GROUP BY ${q('customer_id')}`;
  return { table: 'behaviour_events', outputs, sql };
}
