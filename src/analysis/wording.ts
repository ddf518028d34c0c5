import type { Interval } from './result.js';

/**
 * Numbers as a manager reads them in a sentence: grouped thousands, shares
 * as percentages, money in the workspace currency, intervals as "95% CI a–b".
 */
export const words = {
  count(n: number): string {
    return Math.round(n).toLocaleString('en-US');
  },
  number(x: number, digits = 1): string {
    return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  },
  percent(share: number, digits = 1): string {
    return `${(share * 100).toFixed(digits)}%`;
  },
  /** A difference of shares in percentage points, signed: "+3.2 points". */
  points(difference: number, digits = 1): string {
    const value = difference * 100;
    return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)} points`;
  },
  money(amount: number, currency: string, digits = 0): string {
    try {
      return amount.toLocaleString('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      return `${amount.toFixed(digits)} ${currency}`;
    }
  },
  signedMoney(amount: number, currency: string, digits = 0): string {
    return `${amount >= 0 ? '+' : '−'}${words.money(Math.abs(amount), currency, digits)}`;
  },
  interval(interval: Interval, format: (x: number) => string): string {
    return `${Math.round(interval.level * 100)}% CI ${format(interval.lower)} to ${format(interval.upper)}`;
  },
  months(days: number): string {
    return `${(days / 30.4375).toFixed(1)} months`;
  },
  list(items: readonly string[]): string {
    if (items.length <= 1) return items[0] ?? '';
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
  },
};

/** An interval in another unit: each bound mapped (e.g. shares to percentage points). */
export function scaleInterval(interval: Interval, factor: number): Interval {
  const a = interval.lower * factor;
  const b = interval.upper * factor;
  return { lower: Math.min(a, b), upper: Math.max(a, b), level: interval.level };
}
