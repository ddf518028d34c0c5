import type { Row } from '../../engine/types.js';
import type { RatioSums } from '../ratio-estimate.js';
import { numberOf } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { CustomerMeasures } from './measures.js';
import { CHANNEL_PARTS, NET_VALUE, VALUE_PARTS } from './parts.js';

/**
 * Sums of one money measure over a group of customers: mergeable (a group's
 * sums are its members' sums added), so groups pool by addition and "the
 * rest" is the total minus the group. Totals are summed in the exact money
 * type, the same on every engine; squares and cross-products are DOUBLE.
 */
export interface MoneySums {
  /** Σx over every customer counted. */
  total: number;
  /** Σx². */
  squares: number;
  /** Σx over customers whose exposure is known (per-month measures). */
  exposedTotal: number;
  exposedSquares: number;
  /** Σx·months over the same customers. */
  crossMonths: number;
}

export interface SatisfactionSums {
  /** Customers with at least one answer. */
  respondents: number;
  /** Per customer: the sum of scores s and the number of answers a; Σs, Σs², Σa, Σa², Σs·a. */
  score: number;
  scoreSquares: number;
  answers: number;
  answersSquares: number;
  cross: number;
}

export interface GroupSums {
  customers: number;
  /** Customers whose exposure counts, and their months (Σm, Σm²). */
  exposed: number;
  months: number;
  monthsSquares: number;
  /** By measure key: VALUE_PARTS keys, CHANNEL_PARTS keys, `net_value`, `gross`. */
  money: Record<string, MoneySums>;
  /** Customers with net value below 0, and their gross revenue (exact) and its square. */
  unprofitable: number;
  unprofitableGross: number;
  unprofitableGrossSquares: number;
  /** Customers not churned by as_of; null when churn is not known. */
  active: number | null;
  satisfaction: SatisfactionSums | null;
}

/** Which measures a query sums. */
export interface SumsSpec {
  money: readonly string[];
  satisfaction: boolean;
}

export const GROSS = 'gross';

/** Every money measure: the parts, cost to serve by channel, net value and gross revenue. */
export const ALL_MONEY: readonly string[] = [...VALUE_PARTS.map((p) => p.key), ...CHANNEL_PARTS.map((c) => c.key), NET_VALUE, GROSS];

function moneyExpr(m: CustomerMeasures, key: string): string {
  if (key === NET_VALUE) return m.net;
  if (key === GROSS) return m.gross;
  const part = (m.parts as Record<string, string>)[key] ?? m.channels[key];
  if (part === undefined) throw new Error(`no money measure ${key}`);
  return part;
}

/** SELECT items summing the measures of `spec` (aliases start with `_`, as next to customer_facts). */
export function sumItems(ctx: AnalysisContext, m: CustomerMeasures, spec: SumsSpec): string[] {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const zeroMoney = d.toMoney('0');
  const zero = d.toDouble('0');
  const months = m.months;
  const exposed = (then: string, otherwise: string): string => `CASE WHEN ${m.exposed} THEN ${then} ELSE ${otherwise} END`;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const gross = m.gross;
  const unprofitable = `${m.net} < ${zeroMoney}`;
  const items = [
    `count(*) AS ${q('_n')}`,
    `sum(${exposed('1', '0')}) AS ${q('_ne')}`,
    `sum(${exposed(months, zero)}) AS ${q('_m')}`,
    `sum(${exposed(`${months} * ${months}`, zero)}) AS ${q('_mm')}`,
    `sum(CASE WHEN ${unprofitable} THEN 1 ELSE 0 END) AS ${q('_un')}`,
    `sum(CASE WHEN ${unprofitable} THEN ${gross} ELSE ${zeroMoney} END) AS ${q('_ug')}`,
    `sum(CASE WHEN ${unprofitable} THEN ${d.toDouble(gross)} * ${d.toDouble(gross)} ELSE ${zero} END) AS ${q('_ugg')}`,
    stored.has('churned') ? `sum(CASE WHEN ${d.boolToInt(q('churned'))} = 1 THEN 0 ELSE 1 END) AS ${q('_act')}` : `count(*) AS ${q('_act')}`,
  ];
  spec.money.forEach((key, i) => {
    const x = moneyExpr(m, key);
    const xd = d.toDouble(x);
    items.push(
      `sum(${x}) AS ${q(`_${i}_t`)}`,
      `sum(${xd} * ${xd}) AS ${q(`_${i}_q`)}`,
      `sum(${exposed(x, zeroMoney)}) AS ${q(`_${i}_e`)}`,
      `sum(${exposed(`${xd} * ${xd}`, zero)}) AS ${q(`_${i}_eq`)}`,
      `sum(${exposed(`${xd} * ${months}`, zero)}) AS ${q(`_${i}_em`)}`,
    );
  });
  if (spec.satisfaction && m.satisfaction !== null) {
    const s = m.satisfaction.score;
    const a = d.toDouble(m.satisfaction.answers);
    items.push(
      `sum(CASE WHEN ${m.satisfaction.answers} > 0 THEN 1 ELSE 0 END) AS ${q('_sr')}`,
      `sum(${s}) AS ${q('_ss')}`,
      `sum(${s} * ${s}) AS ${q('_sss')}`,
      `sum(${a}) AS ${q('_sa')}`,
      `sum(${a} * ${a}) AS ${q('_saa')}`,
      `sum(${s} * ${a}) AS ${q('_ssa')}`,
    );
  }
  return items;
}

/** A group's sums from its row (`sumItems` aliases). */
export function readSums(ctx: AnalysisContext, row: Row, spec: SumsSpec): GroupSums {
  const get = (name: string): number => numberOf(row[name]) ?? 0;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const money: Record<string, MoneySums> = {};
  spec.money.forEach((key, i) => {
    money[key] = { total: get(`_${i}_t`), squares: get(`_${i}_q`), exposedTotal: get(`_${i}_e`), exposedSquares: get(`_${i}_eq`), crossMonths: get(`_${i}_em`) };
  });
  return {
    customers: get('_n'),
    exposed: get('_ne'),
    months: get('_m'),
    monthsSquares: get('_mm'),
    money,
    unprofitable: get('_un'),
    unprofitableGross: get('_ug'),
    unprofitableGrossSquares: get('_ugg'),
    active: stored.has('churned') ? get('_act') : null,
    satisfaction:
      row['_sr'] === undefined
        ? null
        : { respondents: get('_sr'), score: get('_ss'), scoreSquares: get('_sss'), answers: get('_sa'), answersSquares: get('_saa'), cross: get('_ssa') },
  };
}

function combine(a: GroupSums, b: GroupSums, sign: 1 | -1): GroupSums {
  const add = (x: number, y: number): number => x + sign * y;
  const money: Record<string, MoneySums> = {};
  // The measures both sides carry (a segment query may sum fewer than the overall one).
  for (const [key, x] of Object.entries(a.money)) {
    const y = b.money[key];
    if (y === undefined) continue;
    money[key] = {
      total: add(x.total, y.total),
      squares: add(x.squares, y.squares),
      exposedTotal: add(x.exposedTotal, y.exposedTotal),
      exposedSquares: add(x.exposedSquares, y.exposedSquares),
      crossMonths: add(x.crossMonths, y.crossMonths),
    };
  }
  const sa = a.satisfaction;
  const sb = b.satisfaction;
  return {
    customers: add(a.customers, b.customers),
    exposed: add(a.exposed, b.exposed),
    months: add(a.months, b.months),
    monthsSquares: add(a.monthsSquares, b.monthsSquares),
    money,
    unprofitable: add(a.unprofitable, b.unprofitable),
    unprofitableGross: add(a.unprofitableGross, b.unprofitableGross),
    unprofitableGrossSquares: add(a.unprofitableGrossSquares, b.unprofitableGrossSquares),
    active: a.active === null || b.active === null ? null : add(a.active, b.active),
    satisfaction:
      sa === null || sb === null
        ? null
        : {
            respondents: add(sa.respondents, sb.respondents),
            score: add(sa.score, sb.score),
            scoreSquares: add(sa.scoreSquares, sb.scoreSquares),
            answers: add(sa.answers, sb.answers),
            answersSquares: add(sa.answersSquares, sb.answersSquares),
            cross: add(sa.cross, sb.cross),
          },
  };
}

export function addSums(a: GroupSums, b: GroupSums): GroupSums {
  return combine(a, b, 1);
}

/** The customers of `whole` outside `part` (a group of them). */
export function restOf(whole: GroupSums, part: GroupSums): GroupSums {
  return combine(whole, part, -1);
}

/** A money measure per customer-month: Σx / Σmonths over the customers whose exposure is known. */
export function perMonthSums(g: GroupSums, key: string): RatioSums {
  const x = g.money[key];
  if (x === undefined) throw new Error(`sums without ${key}`);
  return { n: g.exposed, y: x.exposedTotal, m: g.months, yy: x.exposedSquares, mm: g.monthsSquares, ym: x.crossMonths };
}

/** Satisfaction as the answers' mean score, respondents as the units (a ratio of Σscores to Σanswers). */
export function satisfactionRatioSums(g: GroupSums): RatioSums | null {
  const s = g.satisfaction;
  if (s === null) return null;
  return { n: s.respondents, y: s.score, m: s.answers, yy: s.scoreSquares, mm: s.answersSquares, ym: s.cross };
}
