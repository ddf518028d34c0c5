import { meanInterval, screen, tTwoSidedPValue } from '../../stats/index.js';
import type { Finding, Interval } from '../result.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import type { AreaPerformance, PerformanceSummary } from './area-performance.js';
import { covarianceFromMoments, meansFromMoments } from './moments.js';
import type { DriverModel, DriverWeight, Moments } from './types.js';

export type Quadrant = 'fix first' | 'keep up' | 'low priority' | 'possible overkill';

/** One area on the importance x performance matrix. */
export interface MatrixPoint {
  performance: AreaPerformance;
  /** The area's weight in the satisfaction model; null when it was not weighed. */
  weight: DriverWeight | null;
  quadrant: Quadrant | null;
}

export interface ImportancePerformance {
  points: MatrixPoint[];
  /** The importance an equal share would give (1 / weighed areas): the line between low and high. */
  importanceLine: number | null;
  /** The mean performance of the weighed areas: the line between weak and strong. */
  performanceLine: number | null;
  /** The weakest high-importance area, its gap to the other high-importance areas, and whether the gap passed the screen. */
  fixFirst: FixFirst | null;
}

export interface FixFirst {
  point: MatrixPoint;
  /** Performance points (0-100) below the mean of the others compared. */
  gap: number;
  gapInterval: Interval;
  pValue: number;
  qValue: number;
  passes: boolean;
  /** The areas compared with. */
  others: MatrixPoint[];
  n: number;
}

/**
 * The paired gap, on complete responses, between one area's rating and the
 * mean rating of `others`, in 0-100 points: d = x_a − mean(x_o), whose
 * variance comes from the covariance matrix (var_a + ΣΣcov_oo'/k² −
 * 2Σcov_ao/k), with a one-sample t interval and test.
 */
function pairedGap(point: Moments, a: number, others: readonly number[], perPoint: number): { estimate: number; interval: Interval; pValue: number } {
  const cov = covarianceFromMoments(point);
  const mean = meansFromMoments(point);
  const k = others.length;
  const at = (i: number, j: number): number => cov[i]?.[j] ?? 0;
  const sumCross = others.reduce((s, i) => s + others.reduce((t, j) => t + at(i, j), 0), 0);
  const variance = at(a, a) + sumCross / (k * k) - (2 / k) * others.reduce((s, i) => s + at(a, i), 0);
  const gap = (mean[a] ?? 0) - others.reduce((s, i) => s + (mean[i] ?? 0), 0) / k;
  const estimate = meanInterval({ n: point.n, mean: gap * perPoint, sd: Math.sqrt(Math.max(0, variance)) * perPoint });
  // Identical ratings in every response leave no doubt: a gap is certain, no gap is no evidence.
  const pValue = estimate.standardError > 0 ? tTwoSidedPValue(estimate.estimate / estimate.standardError, point.n - 1) : estimate.estimate === 0 ? 1 : 0;
  return { estimate: estimate.estimate, interval: estimate.interval, pValue };
}

/**
 * Importance (the area's share of the explained variance in the satisfaction
 * model) against performance (its mean rating on 0-100), split at the equal
 * share and at the mean performance of the weighed areas. The area to fix
 * first is the weakest of the high-importance ones; its gap to the other
 * high-importance areas (to all other weighed areas when it is the only one)
 * is a claimed difference, so it is screened: Benjamini-Hochberg (a family
 * of one) and the practical threshold in points.
 *
 * @param point moments of the model's complete responses: the outcome at 0, then the areas named by `areaOrder`
 */
export function importancePerformance(
  ctx: Pick<AnalysisContext, 'thresholds'>,
  model: DriverModel,
  performance: PerformanceSummary,
  point: Moments | null,
  areaOrder: readonly string[],
): ImportancePerformance {
  const weights = new Map(model.drivers.map((d) => [d.spec.name, d]));
  const weighed = performance.areas.filter((p) => weights.has(p.area.name) && p.performance !== null);
  const importanceLine = weighed.length > 0 ? 1 / model.drivers.length : null;
  const performanceLine = weighed.length > 0 ? weighed.reduce((s, p) => s + (p.performance ?? 0), 0) / weighed.length : null;
  const points: MatrixPoint[] = performance.areas.map((p) => {
    const weight = weights.get(p.area.name) ?? null;
    if (weight === null || p.performance === null || importanceLine === null || performanceLine === null) return { performance: p, weight, quadrant: null };
    const important = weight.share >= importanceLine;
    const strong = p.performance >= performanceLine;
    return { performance: p, weight, quadrant: important ? (strong ? 'keep up' : 'fix first') : strong ? 'possible overkill' : 'low priority' };
  });
  const high = points.filter((p) => p.weight !== null && importanceLine !== null && p.weight.share >= importanceLine && p.performance.performance !== null);
  const weakest = [...high].sort((x, y) => (x.performance.performance ?? 0) - (y.performance.performance ?? 0))[0];
  if (weakest === undefined || point === null || model.withheld !== null) return { points, importanceLine, performanceLine, fixFirst: null };
  const indexOf = (p: MatrixPoint): number => areaOrder.indexOf(p.performance.area.name) + 1;
  const pool = high.length > 1 ? high : points.filter((p) => p.weight !== null && p.performance.performance !== null);
  const others = pool.filter((p) => p !== weakest);
  if (others.length === 0) return { points, importanceLine, performanceLine, fixFirst: null };
  const perPoint = 100 / (performance.scale.high - performance.scale.low);
  const gap = pairedGap(point, indexOf(weakest), others.map(indexOf), perPoint);
  const [screened] = screen([{ estimate: gap.estimate, unit: DIFFERENCE_UNITS.points, pValue: gap.pValue }], { alpha: ctx.thresholds.fdr, practicalThreshold: ctx.thresholds.byUnit });
  return {
    points,
    importanceLine,
    performanceLine,
    fixFirst: { point: weakest, gap: gap.estimate, gapInterval: gap.interval, pValue: gap.pValue, qValue: screened?.qValue ?? 1, passes: screened?.passes === true && gap.estimate < 0, others, n: point.n },
  };
}

/** The "fix first" finding, when the gap passed the screen. */
export function fixFirstFinding(model: DriverModel, matrix: ImportancePerformance): Finding[] {
  const f = matrix.fixFirst;
  if (f === null || !f.passes || f.point.weight === null || f.point.performance.performance === null || f.point.performance.performanceInterval === null) return [];
  const w = f.point.weight;
  const p = f.point.performance;
  const score = (x: number): string => x.toFixed(1);
  const compared = f.others.length === 1 ? (f.others[0]?.performance.area.label ?? '') : `the other ${f.others.length} high-importance areas`;
  return [
    {
      code: 'key-drivers.fix_first',
      text:
        `Fix ${p.area.label} first: it carries ${words.percent(w.share)} of the explained variation in ${model.outcome.label} ` +
        `(${words.interval(w.shareInterval, (x) => words.percent(x))}; an equal share would be ${words.percent(matrix.importanceLine ?? 0)}), ` +
        `yet scores ${score(p.performance ?? 0)} out of 100 (${words.interval(p.performanceInterval ?? { lower: 0, upper: 0, level: 0.95 }, score)}; n = ${words.count(p.n)} responses), ` +
        `${score(Math.abs(f.gap))} points below ${compared} in the same responses (${words.interval(f.gapInterval, score)}; n = ${words.count(f.n)} ${model.rowsAre}).`,
      estimate: f.gap,
      unit: DIFFERENCE_UNITS.points,
      interval: f.gapInterval,
      n: f.n,
      pValue: f.pValue,
      qValue: f.qValue,
      severity: f.gap <= -10 ? 'high' : 'medium',
    },
  ];
}
