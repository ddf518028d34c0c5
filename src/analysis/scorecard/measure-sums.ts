import type { BlockSums } from '../block-bootstrap.js';
import type { AnalysisContext } from '../types.js';
import type { MeasureNames } from './clustered-mean.js';

/** The sums kept per bootstrap block for one measure; `measureNames` names them. */
const PARTS = ['m', 'y', 't', 'tt', 'ty', 'lo', 'hi', 't0', 't1'] as const;
type Part = (typeof PARTS)[number];

/** How a part's per-row aggregate combines a second time (sums of per-customer sums, extremes of extremes). */
const REAGGREGATE: Record<Part, 'sum' | 'min' | 'max'> = { m: 'sum', y: 'sum', t: 'sum', tt: 'sum', ty: 'sum', lo: 'min', hi: 'max', t0: 'min', t1: 'max' };

/** The column name of a measure's part: `_m<suffix>`, `_y<suffix>`, ... (with another prefix for an inner level). */
export const partName = (part: Part, suffix: string, prefix = '_'): string => `${prefix}${part}${suffix}`;

/**
 * Aggregates over rows of one measure: `value` is its value on a row, NULL
 * where the row does not observe it; `day` the row's day index (a double).
 * Counts, Σy, Σt, Σt², Σty (observed rows only; all exact for integer
 * values and days), the smallest and largest value and day.
 */
export function measureSums(ctx: Pick<AnalysisContext, 'engine'>, value: string, day: string, suffix: string, prefix = '_'): string[] {
  const q = ctx.engine.dialect.quoteIdent;
  const seen = `${value} IS NOT NULL`;
  const as = (part: Part): string => q(partName(part, suffix, prefix));
  return [
    `sum(CASE WHEN ${seen} THEN 1 ELSE 0 END) AS ${as('m')}`,
    `sum(${value}) AS ${as('y')}`,
    `sum(CASE WHEN ${seen} THEN ${day} ELSE 0 END) AS ${as('t')}`,
    `sum(CASE WHEN ${seen} THEN ${day} * ${day} ELSE 0 END) AS ${as('tt')}`,
    `sum(${value} * ${day}) AS ${as('ty')}`,
    `min(${value}) AS ${as('lo')}`,
    `max(${value}) AS ${as('hi')}`,
    `min(CASE WHEN ${seen} THEN ${day} ELSE NULL END) AS ${as('t0')}`,
    `max(CASE WHEN ${seen} THEN ${day} ELSE NULL END) AS ${as('t1')}`,
  ];
}

/**
 * Adds the measure parts of `more` into `into`, both laid out as
 * MEASURE_PARTS from `offset` (sums add, extremes take the extreme): two
 * disjoint sets of rows as one. Sums read a NULL extreme as 0, so an
 * extreme counts only where the measure was observed.
 */
export function addMeasureParts(into: Float64Array, more: ArrayLike<number>, offset: number): void {
  const had = (into[offset] ?? 0) > 0;
  const has = (more[offset] ?? 0) > 0;
  PARTS.forEach((part, k) => {
    const i = offset + k;
    const [a, b] = [into[i] ?? 0, more[i] ?? 0];
    const how = REAGGREGATE[part];
    into[i] = how === 'sum' ? a + b : !has ? a : !had ? b : how === 'min' ? Math.min(a, b) : Math.max(a, b);
  });
}

/** The parts of one measure, in the order addMeasureParts lays them out (`m` first). */
export const MEASURE_PARTS: readonly Part[] = PARTS;

/** The same parts again over rows that already hold them under `innerPrefix` (per-customer sums summed per block). */
export function resummedSums(ctx: Pick<AnalysisContext, 'engine'>, suffix: string, innerPrefix: string): string[] {
  const q = ctx.engine.dialect.quoteIdent;
  return PARTS.map((part) => `${REAGGREGATE[part]}(${q(partName(part, suffix, innerPrefix))}) AS ${q(partName(part, suffix))}`);
}

/** The names clusteredMean and clusteredSlope read for the measure `suffix`. */
export function measureNames(suffix: string): MeasureNames {
  return { m: partName('m', suffix), y: partName('y', suffix), t: partName('t', suffix), tt: partName('tt', suffix), ty: partName('ty', suffix) };
}

/** Observations, the smallest and largest value and the first and last day of a measure over the blocks that observe it; null when none does. */
export function measureRange(blocks: readonly BlockSums[], suffix: string): { n: number; lowest: number; highest: number; firstDay: number; lastDay: number } | null {
  // blockSums reads a NULL extreme as 0: only blocks that observe the measure count.
  const seen = blocks.filter((b) => (b.sums[partName('m', suffix)] ?? 0) > 0);
  if (seen.length === 0) return null;
  const all = (part: Part): number[] => seen.map((b) => b.sums[partName(part, suffix)] ?? 0);
  return {
    n: all('m').reduce((s, x) => s + x, 0),
    lowest: Math.min(...all('lo')),
    highest: Math.max(...all('hi')),
    firstDay: Math.min(...all('t0')),
    lastDay: Math.max(...all('t1')),
  };
}
