import { INTERACTION_CHANNELS } from '../model/tables.js';
import { interactionCost } from './channel-cost.js';
import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { out } from './facts-part.js';

export const IX = {
  count: '_i_count',
  minutes: '_i_minutes',
  cost: '_i_cost',
  unresolved: '_i_unresolved',
  channelCount: (i: number): string => `_i_count${i}`,
  channelCost: (i: number): string => `_i_cost${i}`,
} as const;

/** Interaction counts, minutes and cost to serve, in total and per channel. */
export function interactionsPart(ctx: FactsSqlContext): FactsPart {
  const { d, values } = ctx;
  const outputs = [
    out(IX.count, 'int64'),
    ...INTERACTION_CHANNELS.map((_, i) => out(IX.channelCount(i), 'int64')),
    out(IX.minutes, 'double'),
    out(IX.cost, 'money'),
    ...INTERACTION_CHANNELS.map((_, i) => out(IX.channelCost(i), 'money')),
    out(IX.unresolved, 'int64'),
  ];
  if (!ctx.tables.has('interactions')) return { table: 'interactions', outputs, sql: null };

  const q = (name: string): string => d.quoteIdent(name);
  const col = (name: string): string => ctx.tables.column('interactions', name);
  const isChannel = (i: number): string => `${col('channel')} = ${values.bind(INTERACTION_CHANNELS[i] ?? 'other')}`;
  // A channel outside the six (not expected after ingest) is costed with the default rates.
  const anyCost = `CASE ${INTERACTION_CHANNELS.map((ch, i) => `WHEN ${isChannel(i)} THEN ${interactionCost(ctx, ch)}`).join(' ')} ELSE ${interactionCost(ctx, 'default')} END`;

  const select = [
    q('customer_id'),
    `count(*) AS ${q(IX.count)}`,
    ...INTERACTION_CHANNELS.map((_, i) => `sum(CASE WHEN ${isChannel(i)} THEN 1 ELSE 0 END) AS ${q(IX.channelCount(i))}`),
    `sum(${col('handling_minutes')}) AS ${q(IX.minutes)}`,
    `sum(${anyCost}) AS ${q(IX.cost)}`,
    ...INTERACTION_CHANNELS.map((ch, i) => `sum(CASE WHEN ${isChannel(i)} THEN ${interactionCost(ctx, ch)} ELSE NULL END) AS ${q(IX.channelCost(i))}`),
    // A boolean column is no condition on every engine (Capabilities.booleanExpressions): compare its 0/1.
    `sum(CASE WHEN ${d.boolToInt(col('resolved'))} = 0 THEN 1 ELSE 0 END) AS ${q(IX.unresolved)}`,
  ];
  const sql = `SELECT ${select.join(', ')} FROM ${ctx.source('interactions')} WHERE ${col('at')} < ${ctx.asOfEnd} GROUP BY ${q('customer_id')}`;
  return { table: 'interactions', outputs, sql };
}
