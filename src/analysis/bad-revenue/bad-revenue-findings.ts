import type { IntervalEstimate } from '../../stats/index.js';
import type { Finding } from '../result.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import { words } from '../wording.js';
import type { Concentration } from './concentration.js';
import type { DissatisfiedClass } from './dissatisfied-classes.js';
import type { LineVerdict } from './line-verdicts.js';

/** Above this share of revenue from detractors, a common rule of thumb says a company should look closer. */
export const DETRACTOR_REVENUE_RULE_OF_THUMB = 0.1;

export interface Wording {
  currency: string;
  minimumRatio: number;
}

const ratioText = (x: number): string => `${words.number(x, 2)}x`;

/** "who are 32.9% of those customers", or of their months for a share of customer-months. */
function shareOfBase(c: DissatisfiedClass, share: number): string {
  return c.basis === 'customers' ? `who are ${words.percent(share)} of those customers` : `who account for ${words.percent(share)} of those customers' months`;
}

/**
 * "Overage fee: 49.6% of its $251,870 from customers whose class is known
 * comes from detractors, who are 32.9% of those customers (1.51x, 95% CI
 * 1.40x to 1.63x)".
 */
export function shareSentence(label: string, c: Concentration, knownRevenue: number, klass: DissatisfiedClass, w: Wording): string {
  return (
    `${label}: ${words.percent(c.revenueShare)} of its ${words.money(knownRevenue, w.currency)} from customers whose class is known comes from ${klass.label}, ` +
    `${shareOfBase(klass, c.customerShare)} (${ratioText(c.ratio)}, ${words.interval(c.interval, ratioText)})`
  );
}

function verdictWords(v: LineVerdict, c: Concentration, klass: DissatisfiedClass, w: Wording): string {
  const money = (x: number): string => words.money(x, w.currency);
  const total = `${money(v.line.raw.revenue)} in all, from ${words.count(v.line.raw.payers)} paying customers`;
  if (v.alert) {
    return `: it earns clearly more than its share from ${klass.label}, ${money(c.excess.estimate)} above their share (${words.interval(c.excess.interval, money)}); ${total}.`;
  }
  if (v.aboveOne) return `: more than their share, but not clearly by the ${ratioText(w.minimumRatio)} an alert needs; ${total}.`;
  return `: not clearly more than their share; ${total}.`;
}

/** The finding of one compared line in the class alerted on. */
export function lineFinding(v: LineVerdict, klass: DissatisfiedClass, w: Wording): Finding | null {
  const c = v.byClass[0] ?? null;
  if (c === null) return null;
  const sums = v.line.raw.classes[0];
  return {
    code: 'bad-revenue.line',
    text: `${shareSentence(v.line.label, c, sums?.y ?? 0, klass, w)}${verdictWords(v, c, klass, w)}`,
    estimate: c.ratio,
    unit: DIFFERENCE_UNITS.concentrationRatio,
    interval: c.interval,
    n: sums?.payers ?? 0,
    pValue: c.pValue,
    ...(v.qValue === null ? {} : { qValue: v.qValue }),
    ...(v.alert ? { moneyAtStake: { amount: c.excess.estimate, currency: w.currency, period: 'total' as const } } : {}),
    severity: v.alert ? 'high' : v.aboveOne ? 'low' : 'info',
  };
}

/**
 * The share of all revenue (every line, customers of known class) paid by
 * the class alerted on: context, with the rule of thumb for detractors.
 */
export function overallShareFinding(share: IntervalEstimate, klass: DissatisfiedClass, amounts: { dissatisfied: number; known: number; customerShare: number }, w: Wording): Finding {
  const money = (x: number): string => words.money(x, w.currency);
  const rule =
    klass.key === 'detractors'
      ? ` A common rule of thumb says that more than ${words.percent(DETRACTOR_REVENUE_RULE_OF_THUMB, 0)} of revenue from detractors deserves attention (${share.estimate > DETRACTOR_REVENUE_RULE_OF_THUMB ? 'it is above' : 'it is not above'}); that is context, not this analysis's alert, which asks whether a line takes more from them than their ${words.percent(amounts.customerShare)} share of customers.`
      : '';
  return {
    code: 'bad-revenue.overall_share',
    text: `${words.percent(share.estimate)} of the revenue from customers whose class is known (${money(amounts.dissatisfied)} of ${money(amounts.known)}, ${words.interval(share.interval, (x) => words.percent(x))}) comes from ${klass.label}.${rule}`,
    estimate: share.estimate,
    unit: 'share',
    interval: share.interval,
    n: share.n,
    severity: 'info',
  };
}
