import type { Finding } from '../result.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import type { Cell } from './cells.js';
import type { CellVerdict } from './scan.js';

/** "segment public, acquisition channel outbound and contract type monthly". */
export function describeCell(cell: Pick<Cell, 'conditions'>): string {
  return words.list(cell.conditions.map((c) => `${c.grouping.label} ${c.level}`));
}

export interface SatisfactionWords {
  label: string;
  /** A score as written in a sentence (NPS to one decimal, CSAT to two). */
  format: (x: number) => string;
}

function moneyWords(ctx: AnalysisContext): (x: number, digits?: number) => string {
  return (x, digits = 2) => words.money(x, ctx.config.currency, digits);
}

function lossSentence(ctx: AnalysisContext, v: CellVerdict): string {
  const money = moneyWords(ctx);
  const r = v.netValue;
  if (r === null) return '';
  const loss = { lower: -r.interval.upper, upper: -r.interval.lower, level: r.interval.level };
  return `cost ${money(-r.estimate)} per customer-month more than they bring (${words.interval(loss, (x) => money(x))})`;
}

function satisfactionSentence(v: CellVerdict, overall: number, s: SatisfactionWords): string {
  const sat = v.satisfaction;
  if (sat === null) return '';
  const respondents = v.cell.sums.satisfaction?.respondents ?? 0;
  return `${s.label} ${s.format(sat.estimate)} (${words.interval(sat.interval, s.format)}; ${words.count(respondents)} respondents) against ${s.format(overall)} overall`;
}

function who(v: CellVerdict): string {
  const s = v.cell.sums;
  const active = s.active === null ? '' : `, ${words.count(s.active)} still active`;
  return `Customers with ${describeCell(v.cell)} (${words.count(s.customers)} customers${active})`;
}

/** A reported misaligned segment: the money lost, the satisfaction gap, and a year's loss at its size. */
export function misalignedFinding(ctx: AnalysisContext, v: CellVerdict, overall: number, s: SatisfactionWords): Finding {
  const money = moneyWords(ctx);
  const currency = ctx.config.currency;
  const r = v.netValue as NonNullable<CellVerdict['netValue']>;
  const loss = v.yearlyLoss;
  const lossText = loss === null ? '' : ` At this size they lose about ${money(loss.estimate, 0)} a year (${words.interval(loss.interval, (x) => money(x, 0))}).`;
  return {
    code: 'misaligned.segment',
    text: `${who(v)} ${lossSentence(ctx, v)} and are less satisfied: ${satisfactionSentence(v, overall, s)}.${lossText}`,
    estimate: r.estimate,
    unit: currency,
    interval: r.interval,
    n: v.cell.sums.customers,
    pValue: v.pValue,
    qValue: v.qValue,
    ...(loss === null ? {} : { moneyAtStake: { amount: loss.estimate, currency, period: 'year' as const } }),
    severity: 'high',
  };
}

/** Context: a segment that loses money but is not less satisfied, or is less satisfied but does not lose money. */
export function oneConditionFinding(ctx: AnalysisContext, v: CellVerdict, overall: number, s: SatisfactionWords, kind: 'costly' | 'unhappy'): Finding {
  const money = moneyWords(ctx);
  const currency = ctx.config.currency;
  const r = v.netValue as NonNullable<CellVerdict['netValue']>;
  const sat = v.satisfaction as NonNullable<CellVerdict['satisfaction']>;
  if (kind === 'costly') {
    return {
      code: 'misaligned.costly_only',
      text: `${who(v)} ${lossSentence(ctx, v)}, but are not clearly less satisfied: ${satisfactionSentence(v, overall, s)}.`,
      estimate: r.estimate,
      unit: currency,
      interval: r.interval,
      n: v.cell.sums.customers,
      pValue: v.pLoss,
      qValue: v.qLoss,
      ...(v.yearlyLoss === null ? {} : { moneyAtStake: { amount: v.yearlyLoss.estimate, currency, period: 'year' as const } }),
      severity: 'medium',
    };
  }
  return {
    code: 'misaligned.unhappy_only',
    text: `${who(v)} are less satisfied: ${satisfactionSentence(v, overall, s)}; but they do not clearly lose money: ${words.signedMoney(r.estimate, currency, 2)} net per customer-month (${words.interval(r.interval, (x) => money(x))}).`,
    estimate: sat.estimate,
    unit: 'points',
    interval: sat.interval,
    n: v.cell.sums.satisfaction?.respondents ?? 0,
    pValue: v.pBelow,
    qValue: v.qBelow,
    severity: 'medium',
  };
}
