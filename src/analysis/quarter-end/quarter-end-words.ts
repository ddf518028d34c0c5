import { scaleInterval, words } from '../wording.js';
import type { HazardModel } from './hazard-model.js';
import type { IntakeComparison } from './intake-model.js';
import type { RefundComparison, SatisfactionComparison } from './outcome-comparisons.js';
import type { PushBalance } from './push-balance.js';
import type { QuarterEndSettings } from './settings.js';

/** "the last 10 days of a quarter" (fiscal when the year does not start in January). */
export function windowWords(s: Pick<QuarterEndSettings, 'windowDays' | 'fiscalYearStartMonth'>): string {
  return `the last ${s.windowDays} day${s.windowDays === 1 ? '' : 's'} of a ${s.fiscalYearStartMonth === 1 ? '' : 'fiscal '}quarter`;
}

export const times = (x: number, digits = 2): string => `${x.toFixed(digits)}x`;
export const pWords = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
const pointNumber = (x: number): string => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(1)}`;

/** "1.8x as often", "0.6x as often": a ratio with one decimal, two under 1. */
function ratioWords(x: number): string {
  return times(x, x < 1 ? 2 : 1);
}

export function intakeSentence(c: IntakeComparison, s: QuarterEndSettings, currency: string, claimed: boolean): string {
  const perDay = (x: number): string => (c.measure === 'customers' ? words.number(x, 1) : words.money(x, currency, 0));
  const what = c.measure === 'customers' ? 'new customers signed a day' : 'of purchases were booked a day';
  const interval = `${words.interval(c.ratio.rateRatioInterval, (x) => times(x))}, allowing for growth, weekday and day of month; ${pWords(c.ratio.pValue)}`;
  const basis = `${words.count(c.windowDays)} window days and ${words.count(c.otherDays)} other days`;
  const head = `In ${windowWords(s)}, ${perDay(c.windowPerDay)} ${what} against ${perDay(c.otherPerDay)} on the quarter's other days`;
  if (!claimed) return `${head}: ${times(c.ratio.rateRatio)}, not clearly different (${interval}; ${basis}).`;
  const only = c.ratio.rateRatio < 1 ? 'only ' : '';
  return `${head}: ${only}${times(c.ratio.rateRatio)} as ${c.measure === 'customers' ? 'many' : 'much'} (${interval}; ${basis}).`;
}

export function refundSentence(r: RefundComparison, s: QuarterEndSettings, claimed: boolean): string {
  const d = r.difference;
  const relative = r.otherShare > 0 ? ratioWords(r.windowShare / r.otherShare) : null;
  const numbers = `${words.percent(r.windowShare)} vs ${words.percent(r.otherShare)}, ${words.points(d.estimate)}, ${words.interval(scaleInterval(d.interval, 100), pointNumber)} points; n = ${words.count(d.n[0])} and ${words.count(d.n[1])}`;
  const subject = `Customers signed in ${windowWords(s)}`;
  if (!claimed) return `${subject} asked for refunds within ${s.refundDays} days of their first purchase about as often as the others (${numbers}).`;
  return `${subject} asked for refunds within ${s.refundDays} days of their first purchase ${relative === null ? 'more often' : `${relative} as often`} (${numbers}).`;
}

export function hazardSentence(h: HazardModel, s: QuarterEndSettings, claimed: boolean): string {
  const c = h.adjusted;
  const adjusted = h.covariates.length === 0 ? 'no covariate to adjust for' : `adjusted for ${words.list(h.covariates.map((x) => x.label.replaceAll('_', ' ')))}`;
  const numbers = `hazard ratio ${c.rateRatio.toFixed(2)}, ${words.interval(c.rateRatioInterval, (x) => x.toFixed(2))}, ${adjusted}; ${words.count(h.window.churned)} of ${words.count(h.window.customers)} and ${words.count(h.others.churned)} of ${words.count(h.others.customers)} churned`;
  const subject = `Customers signed in ${windowWords(s)}`;
  if (!claimed) return `${subject} churned about as fast as the others (${numbers}).`;
  return `${subject} churned ${ratioWords(c.rateRatio)} as fast as the others (${numbers}).`;
}

/** The headline a manager repeats: refunds and churn of the push's customers in one sentence. */
export function headline(refunds: RefundComparison | null, hazard: HazardModel | null, s: QuarterEndSettings): string | null {
  if (refunds === null || hazard === null) return null;
  const r = refunds.difference;
  const c = hazard.adjusted;
  const relative = refunds.otherShare > 0 ? ratioWords(refunds.windowShare / refunds.otherShare) : 'more often';
  return (
    `Customers signed in ${windowWords(s)} asked for refunds ${relative} as often (${words.percent(refunds.windowShare)} vs ${words.percent(refunds.otherShare)}, ${words.points(r.estimate)}, ${words.interval(scaleInterval(r.interval, 100), pointNumber)} points) ` +
    `and churned ${ratioWords(c.rateRatio)} as fast (hazard ratio ${c.rateRatio.toFixed(2)}, ${words.interval(c.rateRatioInterval, (x) => x.toFixed(2))}).`
  );
}

export function satisfactionSentence(c: SatisfactionComparison, s: QuarterEndSettings, claimed: boolean): string {
  const d = c.difference;
  const label = c.instrument === 'nps' ? 'NPS' : 'Average CSAT';
  const score = (x: number): string => `${x < 0 ? '−' : ''}${Math.abs(x).toFixed(c.instrument === 'nps' ? 1 : 2)}`;
  const diff = (x: number): string => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(c.instrument === 'nps' ? 1 : 2)}`;
  const numbers = `${diff(d.estimate)} points, ${words.interval(d.interval, diff)}; n = ${words.count(d.n[0])} and ${words.count(d.n[1])} answers`;
  const head = `${label} of customers signed in ${windowWords(s)} was ${score(c.windowScore)} against ${score(c.otherScore)} for the others`;
  return `${head}: ${claimed ? (d.estimate < 0 ? 'lower' : 'higher') : 'no clear difference'} (${numbers}).`;
}

export function balanceSentence(b: PushBalance, currency: string, alert: boolean): string {
  const money = (x: number): string => words.money(x, currency, 0);
  const net = `net ${words.signedMoney(b.net, currency, 0)} (${words.interval(b.interval, (x) => words.signedMoney(x, currency, 0))})`;
  const parts =
    `Over their first ${b.horizonMonths} months, the push brought about ${words.count(b.extraCustomers)} extra customers worth ${money(b.otherValue)} each (${money(b.brought)}); ` +
    `its customers' excess early refunds cost ${money(b.refundCost)} and the value lost to their faster churn ${money(b.churnCost)}: ${net}.`;
  const verdict = alert ? ' The quarter-end push costs more than it brings.' : b.interval.lower > 0 ? ' The push brings more than it costs.' : ' Whether it pays is not clear.';
  const missing = b.missing.length === 0 ? '' : ` Not counted: ${words.list(b.missing)}.`;
  return `${parts}${verdict}${missing}`;
}
