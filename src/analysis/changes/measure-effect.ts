import type { ChangeMeasure } from './change-measures.js';
import { clusteredContrast, combinePeriods, type ContrastEstimate, type ContrastTerm } from './did-math.js';
import type { MetricSums } from './moment-sums.js';

/** A cell (group × window) is compared only with at least this many customers in it: the variance is estimated from customers, not answers. */
export const MIN_CELL_CUSTOMERS = 10;

/** A ratio of churn rates needs at least this many churns in each cell (a log of a rate from fewer is mostly noise). */
export const MIN_CELL_EVENTS = 5;

/** One group in one window: its mean (NPS, share, money per customer-month, churn per customer-month), customers and observations. */
export interface CellSummary {
  mean: number | null;
  customers: number;
  observations: number;
  /** Σy: answers' net scores, churns, money, adopters. */
  total: number;
}

export interface MeasureEffect {
  measure: ChangeMeasure;
  /** The treated group before and after. */
  treated: [CellSummary, CellSummary];
  /** The comparison group before and after; null when the change touched every customer. */
  comparison: [CellSummary, CellSummary] | null;
  /** The difference-in-differences (or, without a comparison group, the before/after change); null when a cell is too thin. */
  effect: ContrastEstimate | null;
  /** The same on the before window's two halves (the placebo date): the pre-trend. */
  preTrend: ContrastEstimate | null;
  /** Why there is no effect, in words. */
  reason: string | null;
  /** CSAT: the effect over the standard deviation of single answers in the before window. */
  standardised: number | null;
  /** Customers measured in either window, both groups. */
  customers: number;
}

const BEFORE_AFTER = [
  [1, 1, 0],
  [0, 0, 1],
];
const HALVES = [
  [1, 0, 0],
  [0, 1, 0],
];

function cell(s: MetricSums | undefined, window: 'before' | 'after' | 0 | 1): CellSummary {
  if (s === undefined) return { mean: null, customers: 0, observations: 0, total: 0 };
  const m = s.moments;
  const [n, y, customers, observations] =
    window === 'before'
      ? [(m.n[0] ?? 0) + (m.n[1] ?? 0), (m.y[0] ?? 0) + (m.y[1] ?? 0), s.customers.before, s.observations.before]
      : window === 'after'
        ? [m.n[2] ?? 0, m.y[2] ?? 0, s.customers.byPeriod[2] ?? 0, s.observations.byPeriod[2] ?? 0]
        : [m.n[window] ?? 0, m.y[window] ?? 0, s.customers.byPeriod[window] ?? 0, s.observations.byPeriod[window] ?? 0];
  return { mean: n > 0 ? y / n : null, customers, observations, total: y };
}

/** Why a contrast over these cells cannot be estimated, or null when it can. */
function thin(measure: ChangeMeasure, cells: readonly { name: string; cell: CellSummary }[]): string | null {
  const few = cells.filter((c) => c.cell.customers < MIN_CELL_CUSTOMERS);
  if (few.length > 0) return `fewer than ${MIN_CELL_CUSTOMERS} customers measured in ${few.map((c) => `${c.name} (${c.cell.customers})`).join(', ')}`;
  if (measure.scale === 'log_ratio') {
    const rare = cells.filter((c) => c.cell.total < MIN_CELL_EVENTS);
    if (rare.length > 0) return `fewer than ${MIN_CELL_EVENTS} churns in ${rare.map((c) => `${c.name} (${c.cell.total})`).join(', ')}`;
  }
  return null;
}

function contrast(measure: ChangeMeasure, treated: MetricSums, comparison: MetricSums | undefined, rows: number[][], clusters: (s: MetricSums) => number, observations: (s: MetricSums) => number): ContrastEstimate {
  const terms: ContrastTerm[] = [{ moments: combinePeriods(treated.moments, rows), signs: [-1, 1] }];
  let g = clusters(treated);
  let n = observations(treated);
  if (comparison !== undefined) {
    terms.push({ moments: combinePeriods(comparison.moments, rows), signs: [1, -1] });
    g += clusters(comparison);
    n += observations(comparison);
  }
  return clusteredContrast(terms, { scale: measure.scale, clusters: g, observations: n });
}

/**
 * A measure's difference-in-differences from the groups' sums: the treated
 * group's change from the before window to the after window, less the
 * comparison group's (without a comparison group, the treated group's
 * change alone), clustered by customer; and the same over the two halves
 * of the before window, the pre-trend a placebo date should not show.
 */
export function measureEffect(measure: ChangeMeasure, treated: MetricSums | undefined, comparison: MetricSums | undefined, withComparison: boolean): MeasureEffect {
  const t: [CellSummary, CellSummary] = [cell(treated, 'before'), cell(treated, 'after')];
  const c: [CellSummary, CellSummary] | null = withComparison ? [cell(comparison, 'before'), cell(comparison, 'after')] : null;
  const named = [
    { name: 'the segment before', cell: t[0] },
    { name: 'the segment after', cell: t[1] },
    ...(c === null ? [] : [
      { name: 'the comparison group before', cell: c[0] },
      { name: 'the comparison group after', cell: c[1] },
    ]),
  ];
  const reason = treated === undefined ? 'no customer of the segment was measured' : withComparison && comparison === undefined ? 'no customer of the comparison group was measured' : thin(measure, named);
  const other = withComparison ? comparison : undefined;
  const effect = reason !== null || treated === undefined ? null : contrast(measure, treated, other, BEFORE_AFTER, (s) => s.customers.all, (s) => s.observations.before + (s.observations.byPeriod[2] ?? 0));
  let preTrend: ContrastEstimate | null = null;
  if (effect !== null && treated !== undefined) {
    const halves = [
      { name: 'h0', cell: cell(treated, 0) },
      { name: 'h1', cell: cell(treated, 1) },
      ...(other === undefined ? [] : [
        { name: 'c0', cell: cell(other, 0) },
        { name: 'c1', cell: cell(other, 1) },
      ]),
    ];
    if (thin(measure, halves) === null) preTrend = contrast(measure, treated, other, HALVES, (s) => s.customers.before, (s) => (s.observations.byPeriod[0] ?? 0) + (s.observations.byPeriod[1] ?? 0));
  }
  let standardised: number | null = null;
  if (effect !== null && measure.kind === 'csat') {
    const groups = [treated, other].filter((s): s is MetricSums => s !== undefined);
    const n = groups.reduce((s, g) => s + (g.moments.n[0] ?? 0) + (g.moments.n[1] ?? 0), 0);
    const y = groups.reduce((s, g) => s + (g.moments.y[0] ?? 0) + (g.moments.y[1] ?? 0), 0);
    const squares = groups.reduce((s, g) => s + (g.squares[0] ?? 0) + (g.squares[1] ?? 0), 0);
    const variance = n > 1 ? (squares - (y * y) / n) / (n - 1) : 0;
    standardised = variance > 0 ? effect.estimate / Math.sqrt(variance) : null;
  }
  const customers = (treated?.customers.all ?? 0) + (other?.customers.all ?? 0);
  return { measure, treated: t, comparison: c, effect, preTrend, reason, standardised, customers };
}
