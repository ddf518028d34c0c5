import type { Cell, CellType, Interval, MoneyAtStake } from '../analysis/result.js';
import { words } from '../analysis/wording.js';

const RATIO_UNITS = new Set(['ratio', 'hazard_ratio', 'concentration_ratio', 'odds_ratio']);
const COUNT_UNITS = new Set(['count', 'customers', 'responses', 'answers', 'pairs', 'purchases', 'referrals', 'periods']);

function isCurrency(unit: string | null): boolean {
  return unit !== null && /^[A-Z]{3}$/.test(unit);
}

/** A plain number with the precision its size deserves: 12,345 / 123.4 / 12.34 / 0.123. */
export function plainNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 1000 || (Number.isInteger(x) && a < Number.MAX_SAFE_INTEGER)) return words.number(x, 0);
  if (a >= 100) return words.number(x, 1);
  if (a >= 1 || a === 0) return words.number(x, 2);
  return x.toPrecision(3).replace(/^(-?)0\./, '$10.');
}

function signed(text: string, x: number): string {
  return x > 0 ? `+${text}` : x < 0 ? `−${text.replace(/^-/, '')}` : text;
}

/** A level (not a difference): a typographic minus, no plus. */
function level(text: string, x: number): string {
  return x < 0 ? `−${text.replace(/^-/, '')}` : text;
}

/**
 * A unit on a 0-100 scale ('score 0-100', 'index 0-100', 'mean
 * satisfaction, 0-100'): what it measures besides the scale ('' for a plain
 * score or index), or null for any other unit.
 */
function hundredScale(unit: string | null): string | null {
  const match = unit === null ? null : /^(.*?),?\s*0-100$/.exec(unit);
  if (match === null) return null;
  const what = (match[1] ?? '').trim();
  return what === 'score' || what === 'index' ? '' : what;
}

/**
 * A number as a reader expects it in its unit: money in the currency, shares
 * as percentages, percentage points and ratios marked, p-values to three
 * places. The unit strings are those of Result tables and findings.
 */
export function formatNumber(x: number, unit: string | null): string {
  if (!Number.isFinite(x)) return String(x);
  if (unit !== null && isCurrency(unit)) return words.money(x, unit, Math.abs(x) >= 1000 ? 0 : 2);
  if (unit === 'share') return words.percent(x, 1);
  if (unit === 'percentage_points') return `${signed(words.number(x, 1), x)} pts`;
  if (unit !== null && RATIO_UNITS.has(unit)) return `${words.number(x, 2)}×`;
  if (unit === 'probability') return x < 0.001 ? '<0.001' : words.number(x, 3);
  if (unit !== null && COUNT_UNITS.has(unit) && Number.isInteger(x)) return words.count(x);
  if (unit === 'days') return words.number(x, Math.abs(x) >= 100 ? 0 : 1);
  // Scores on a 0-100 scale and NPS (-100 to 100) are read to a tenth: more digits are noise to a reader.
  if (hundredScale(unit) !== null || unit === 'nps_points') return level(words.number(x, 1), x);
  return plainNumber(x);
}

/** A table cell: suppressed or missing cells as a dash, booleans as yes/no, numbers by their column's unit. */
export function formatCell(value: Cell, type: CellType, unit: string | null): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (type === 'integer' && !isCurrency(unit) && unit !== 'share') return words.count(value);
  return formatNumber(value, unit);
}

/** Units a formatted number carries itself (%, pts, ×, a p-value): no words follow it. Money too, after a number, by its symbol. */
function numberSaysUnit(unit: string): boolean {
  return unit === 'share' || unit === 'percentage_points' || unit === 'probability' || RATIO_UNITS.has(unit);
}

/** How a column's unit is named in its header, or null when the values say it themselves. */
export function unitLabel(unit: string | null): string | null {
  if (unit === null || numberSaysUnit(unit)) return null;
  return unit.replaceAll('_', ' ');
}

/** A column header: `net_value` with unit USD reads "net value (USD)". */
export function columnHeader(name: string, unit: string | null): string {
  const label = unitLabel(unit);
  const words = name.replaceAll('_', ' ');
  return label === null || words.split(' ').includes(label) ? words : `${words} (${label})`;
}

/**
 * What follows a number to name its unit: nothing where the number says it
 * ($, %, pts, ×, a p-value), "/100" for a 0-100 scale (with what it
 * measures: "/100 mean satisfaction"), " NPS" for a net promoter score, else
 * the unit in words (" customers", " points").
 */
export function unitSuffix(unit: string | null): string {
  if (unit === null || isCurrency(unit) || numberSaysUnit(unit)) return '';
  const scale = hundredScale(unit);
  if (scale !== null) return scale === '' ? '/100' : `/100 ${scale}`;
  if (unit === 'nps_points') return ' NPS';
  return ` ${unit.replaceAll('_', ' ')}`;
}

/** A number followed by its unit: "56.7/100", "−5.0 NPS", "$27.96", "2,000 customers". */
export function formatWithUnit(x: number, unit: string | null): string {
  return `${formatNumber(x, unit)}${unitSuffix(unit)}`;
}

/** An estimate with its interval in the finding's unit: "1.44× (95% CI 1.25× to 1.65×)". */
export function formatEstimate(estimate: number, interval: Interval, unit: string): string {
  const f = (x: number): string => formatNumber(x, unit);
  // A count of what there is (customers in the base) has no uncertainty: an interval from a number to itself says nothing.
  if (interval.lower === interval.upper && interval.lower === estimate) return formatWithUnit(estimate, unit);
  return `${formatWithUnit(estimate, unit)} (${words.interval(interval, f)})`;
}

/** Money at stake as a reader says it: "$112,053 a year", "$4,274 in all". */
export function formatMoneyAtStake(money: MoneyAtStake): string {
  const amount = words.money(money.amount, money.currency, Math.abs(money.amount) >= 1000 ? 0 : 2);
  return money.period === 'total' ? `${amount} in all` : `${amount} a ${money.period}`;
}
