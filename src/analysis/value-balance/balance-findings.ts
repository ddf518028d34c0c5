import { tCritical, tTwoSidedPValue } from '../../stats/index.js';
import type { Finding } from '../result.js';
import { words } from '../wording.js';
import { moneyRatio } from '../value/money-ratio.js';
import type { FairValueLine, LineSums } from './balance-math.js';
import type { SegmentBalance } from './balance-scan.js';
import { describeSegment, type AxisWords } from './balance-words.js';

const money = (x: number, currency: string, digits = 2): string => words.money(x, currency, digits);

/**
 * A flagged segment in a manager's words: "Customers with plan Premium pay
 * $27.96 a month more than their satisfaction with price and value warrants
 * (95% CI $25.10 to $30.80; 2,232 customers, about $749,000 a year)."
 */
export function segmentFinding(s: SegmentBalance, axes: AxisWords, currency: string): Finding {
  const d = s.deviation;
  if (d === null || s.yearly === null) throw new Error(`segment ${describeSegment(s)} has no deviation`);
  const over = s.verdict === 'over-charged';
  const gap = over ? d.interval : { lower: -d.interval.upper, upper: -d.interval.lower, level: d.interval.level };
  const year = Math.abs(s.yearly.estimate);
  const tail = over ? `about ${money(year, currency, 0)} a year` : `about ${money(year, currency, 0)} a year given away`;
  return {
    code: over ? 'value_balance.over_charged' : 'value_balance.over_served',
    text:
      `Customers with ${describeSegment(s)} pay ${money(Math.abs(d.estimate), currency)} a month ${over ? 'more' : 'less'} than ${axes.warrant('their')} ` +
      `(${words.interval(gap, (x) => money(x, currency))}; ${words.count(s.customers)} customers, ${tail}).`,
    estimate: d.estimate,
    unit: currency,
    interval: d.interval,
    n: d.n,
    pValue: d.pValue,
    qValue: s.qValue,
    moneyAtStake: { amount: year, currency, period: 'year' },
    severity: over ? 'high' : 'medium',
  };
}

/** The mean price per customer-month of the customers on the map, as a ratio of totals (customers the units). */
export function meanPriceFinding(sums: LineSums, currency: string): Finding | null {
  const months = sums.a[0]?.[0] ?? 0;
  const r = moneyRatio({ n: sums.n, y: sums.paid, m: months, yy: sums.paidSquares, mm: sums.monthsSquares, ym: sums.paidMonths });
  if (r === null) return null;
  return {
    code: 'value_balance.mean_price',
    text: `The ${words.count(sums.n)} customers on the value map pay ${money(r.estimate, currency)} per customer-month (${words.interval(r.interval, (x) => money(x, currency))}): revenue and fees less refunds and credits.`,
    estimate: r.estimate,
    unit: currency,
    interval: r.interval,
    n: sums.n,
    severity: 'info',
  };
}

/** The line's slope on each axis: what a point of satisfaction (an event a month of usage) goes with in price. */
export function slopeFindings(line: FairValueLine, covariance: readonly (readonly number[])[], axes: AxisWords, currency: string, level = 0.95): Finding[] {
  const df = Math.max(1, line.n - line.names.length);
  return line.names.slice(1).map((name, i) => {
    const j = i + 1;
    const b = line.coefficients[j] ?? 0;
    const se = Math.sqrt(Math.max(0, covariance[j]?.[j] ?? 0));
    const half = tCritical(level, df) * se;
    const interval = { lower: b - half, upper: b + half, level };
    const per = name === 'usage' ? 'event a month of usage' : `point of ${axes.names[i] ?? name}`;
    return {
      code: `value_balance.slope_${name}`,
      text: `On the fair-value line, each ${per} goes with ${words.signedMoney(b, currency, 2)} a month in price (${words.interval(interval, (x) => words.signedMoney(x, currency, 2))}; ${words.count(line.n)} customers).`,
      estimate: b,
      unit: `${currency} per ${name === 'usage' ? 'event per month' : 'point'}`,
      interval,
      n: line.n,
      pValue: se > 0 ? tTwoSidedPValue(b / se, df) : 1,
      severity: 'info' as const,
    };
  });
}
