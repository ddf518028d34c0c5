import { wilsonInterval, type IntervalEstimate } from '../../stats/index.js';
import { ratioEstimate } from '../ratio-estimate.js';
import { scopeSelect } from '../scope-query.js';
import type { AnalysisContext } from '../types.js';
import { perCustomerMean } from './by-segment.js';
import type { ValueKnowledge } from './knowledge.js';
import { measuresQuery, type CustomerMeasures } from './measures.js';
import { moneyRatio } from './money-ratio.js';
import { CHANNEL_PARTS, NET_VALUE, VALUE_PARTS, type PartKey, type ValuePart } from './parts.js';
import { ALL_MONEY, GROSS, perMonthSums, readSums, sumItems, type GroupSums } from './sums.js';

export interface PartFigures {
  part: ValuePart;
  /** False when the data does not give it (cost of goods without costs, cost to serve without costed interactions). */
  known: boolean;
  total: number;
  perCustomer: IntervalEstimate | null;
  perMonth: IntervalEstimate | null;
}

export interface ChannelFigures {
  key: string;
  channel: string;
  total: number;
  perMonth: IntervalEstimate | null;
}

/** The figures of every customer in scope. */
export interface OverallValue {
  sums: GroupSums;
  net: { total: number; perCustomer: IntervalEstimate | null; perMonth: IntervalEstimate | null };
  parts: PartFigures[];
  channels: ChannelFigures[];
  /** Share of customers with net value below 0 (Wilson). */
  unprofitableCustomers: IntervalEstimate | null;
  /** Their share of gross revenue (purchases and fees), customers as the units. */
  unprofitableRevenue: IntervalEstimate | null;
}

export function partKnown(key: PartKey, knowledge: ValueKnowledge): boolean {
  if (key === 'cost_of_goods') return knowledge.costOfGoods;
  if (key === 'cost_to_serve') return knowledge.costToServe === 'known' || knowledge.costToServe === 'partial';
  return true;
}

/** One query over the customers in scope: every part's total, per customer and per customer-month, and the unprofitable shares. */
export async function overallValue(ctx: AnalysisContext, measures: CustomerMeasures, knowledge: ValueKnowledge): Promise<OverallValue> {
  const spec = { money: ALL_MONEY, satisfaction: false };
  const sql = scopeSelect(ctx, { items: sumItems(ctx, measures, spec), ...(measures.join === undefined ? {} : { join: measures.join }), where: measures.where });
  const [row] = await measuresQuery(ctx, measures, sql);
  const sums = readSums(ctx, row ?? {}, spec);
  const total = (key: string): number => sums.money[key]?.total ?? 0;
  const gross = sums.money[GROSS];
  return {
    sums,
    net: { total: total(NET_VALUE), perCustomer: perCustomerMean(sums, NET_VALUE), perMonth: moneyRatio(perMonthSums(sums, NET_VALUE)) },
    parts: VALUE_PARTS.map((part) => {
      const known = partKnown(part.key, knowledge);
      return {
        part,
        known,
        total: total(part.key),
        perCustomer: known ? perCustomerMean(sums, part.key) : null,
        perMonth: known ? moneyRatio(perMonthSums(sums, part.key)) : null,
      };
    }),
    channels: partKnown('cost_to_serve', knowledge) ? CHANNEL_PARTS.map((c) => ({ key: c.key, channel: c.channel, total: total(c.key), perMonth: moneyRatio(perMonthSums(sums, c.key)) })) : [],
    unprofitableCustomers: sums.customers > 0 ? wilsonInterval({ count: sums.unprofitable, n: sums.customers }) : null,
    unprofitableRevenue:
      gross === undefined || !(gross.total > 0)
        ? null
        : ratioEstimate({ n: sums.customers, y: sums.unprofitableGross, m: gross.total, yy: sums.unprofitableGrossSquares, mm: gross.squares, ym: sums.unprofitableGrossSquares }),
  };
}
