import { snakeCase } from '../../facts/column-names.js';
import { INTERACTION_CHANNELS, type InteractionChannel } from '../../model/tables.js';
import { hasRows, missingTableSentence } from '../needs.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';

/**
 * What this import can say about each part of net value. A part the data
 * does not give is unknown, said in words, never a silent zero: customer_facts
 * holds 0 for cost to serve without interactions, and for cost of goods when
 * transactions carry no cost.
 */
export interface ValueKnowledge {
  interactions: boolean;
  /** Some transaction carries a cost of goods. */
  costOfGoods: boolean;
  /** known: every interaction costed; partial: some not; unknown: none; absent: no interactions. */
  costToServe: 'known' | 'partial' | 'unknown' | 'absent';
  interactionCount: number;
  /** Interactions with no cost of their own and no rate for their channel (counted as 0). */
  uncosted: number;
  /** Sentences for the summary and the method: what is missing and what to do. */
  gaps: string[];
}

/** A channel's rate in cxray.yaml as the facts read it: the channel as written or snake_cased, else `default`. */
function rated(rates: Record<string, number>, channel: InteractionChannel): boolean {
  return rates[channel] !== undefined || rates[snakeCase(channel)] !== undefined || rates['default'] !== undefined;
}

async function countOf(ctx: AnalysisContext, sql: string, values: SqlValues): Promise<number> {
  const [row] = await ctx.engine.query(sql, values.params, ctx.signal === undefined ? {} : { signal: ctx.signal });
  return numberOf(row?.['_n']) ?? 0;
}

/** Whole-store checks (not restricted to the scope): whether costs exist at all in these exports. */
export async function valueKnowledge(ctx: AnalysisContext): Promise<ValueKnowledge> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'k');
  const gaps: string[] = [];
  let costOfGoods = false;
  if (hasRows(ctx, 'transactions') && (await ctx.engine.describe('transactions')).some((c) => c.name === 'cost')) {
    costOfGoods = (await countOf(ctx, `SELECT count(${q('cost')}) AS ${q('_n')} FROM ${q('transactions')}`, values)) > 0;
  }
  if (!costOfGoods) gaps.push('Cost of goods is not given (no transaction carries a cost): net value leaves it out; map a cost column of transactions in cxray.yaml to count it.');

  if (!hasRows(ctx, 'interactions')) {
    gaps.push(`Cost to serve is unknown: ${missingTableSentence('interactions')} Until then net value is before cost to serve, not after a cost of zero.`);
    return { interactions: false, costOfGoods, costToServe: 'absent', interactionCount: 0, uncosted: 0, gaps };
  }
  const columns = new Set((await ctx.engine.describe('interactions')).map((c) => c.name));
  const flat = INTERACTION_CHANNELS.filter((ch) => rated(ctx.config.handling_cost, ch));
  const perMinute = INTERACTION_CHANNELS.filter((ch) => rated(ctx.config.handling_cost_per_minute, ch));
  const channel = q('channel');
  const inList = (list: readonly string[]): string => `${channel} IN (${list.map((ch) => values.bind(ch)).join(', ')})`;
  // An interaction is costed by its own cost, else minutes × a per-minute rate, else a flat rate (facts/channel-cost.ts).
  const costed = [
    ...(columns.has('cost') ? [`${q('cost')} IS NOT NULL`] : []),
    ...(perMinute.length > 0 && columns.has('handling_minutes') ? [`(${q('handling_minutes')} IS NOT NULL AND ${inList(perMinute)})`] : []),
    ...(flat.length > 0 ? [inList(flat)] : []),
  ];
  const uncostedCondition = costed.length === 0 ? '1 = 1' : `NOT (${costed.join(' OR ')})`;
  const [row] = await ctx.engine.query(
    `SELECT count(*) AS ${q('_n')}, sum(CASE WHEN ${uncostedCondition} THEN 1 ELSE 0 END) AS ${q('_u')} FROM ${q('interactions')}`,
    values.params,
    ctx.signal === undefined ? {} : { signal: ctx.signal },
  );
  const interactionCount = numberOf(row?.['_n']) ?? 0;
  const uncosted = numberOf(row?.['_u']) ?? 0;
  const hint = 'give handling_cost (per contact) or handling_cost_per_minute by channel in cxray.yaml, or map a cost column of the help-desk export, and run `cxray import`';
  let costToServe: ValueKnowledge['costToServe'] = 'known';
  if (interactionCount > 0 && uncosted >= interactionCount) {
    costToServe = 'unknown';
    gaps.push(`Cost to serve is unknown: none of the ${words.count(interactionCount)} interactions has a cost or a handling rate (${hint}). Net value here is before cost to serve, not after a cost of zero.`);
  } else if (uncosted > 0) {
    costToServe = 'partial';
    gaps.push(`${words.count(uncosted)} of ${words.count(interactionCount)} interactions have no cost and no rate for their channel and count as 0 in cost to serve: ${hint}.`);
  }
  return { interactions: true, costOfGoods, costToServe, interactionCount, uncosted, gaps };
}
