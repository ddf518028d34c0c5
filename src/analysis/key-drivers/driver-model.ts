import { correlationPValue, relativeWeightIntervals, relativeWeights } from '../../stats/index.js';
import { words } from '../wording.js';
import type { DriverScreen } from './driver-checks.js';
import { correlationFromMoments, subMatrix } from './moments.js';
import type { DriverModel, DriverSpec, DriverWeight, Moments, OutcomeSpec } from './types.js';

/** Replicates needed for a percentile interval (relativeWeightIntervals' own floor). */
const MINIMUM_REPLICATES = 20;
const OUTCOME = '\u0000outcome';
/** A wrong-way direction is named when its correlation is this unlikely under no association. */
const WRONG_WAY_P = 0.05;

export interface WeighInput {
  outcome: OutcomeSpec;
  specs: readonly DriverSpec[];
  /** Moments of every candidate (outcome at 0). */
  point: Moments;
  screen: DriverScreen;
  /** Moments of each bootstrap replicate for the variables [0, ...screen.kept], in that order. */
  replicates: readonly Moments[];
  rowsAre: string;
  level?: number;
}

/** The correlation matrix in the order relativeWeights takes: the drivers, then the outcome. */
function driversThenOutcome(m: Moments, drivers: readonly number[], outcome: number): number[][] {
  return subMatrix(correlationFromMoments(m), [...drivers, outcome]);
}

function usable(matrix: number[][], names: string[]): boolean {
  if (!matrix.every((row) => row.every(Number.isFinite))) return false;
  try {
    relativeWeights(matrix, names, OUTCOME);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sentences about drivers that are no lever: fixed attributes, and
 * desirable drivers (ratings, adopted behaviours) whose correlation with the
 * outcome points the wrong way beyond chance (p < 0.05; a correlation of
 * 0.01 either way says nothing about direction).
 */
function noLeverWarnings(outcome: OutcomeSpec, drivers: readonly DriverWeight[], n: number): string[] {
  const out: string[] = [];
  for (const d of drivers) {
    if (d.spec.kind === 'fixed') {
      out.push(`${d.spec.label} carries ${words.percent(d.share)} of the explained variation in ${outcome.label}, but the company cannot change it: it is no lever, only context for the others.`);
      continue;
    }
    if (d.spec.kind === 'rate') continue;
    const wrongWay = outcome.higherIsBetter ? d.correlation < 0 : d.correlation > 0;
    if (!wrongWay || !(n > 3 && correlationPValue(d.correlation, n) < WRONG_WAY_P)) continue;
    const more = d.spec.kind === 'flag' ? `Having ${d.spec.label} goes` : `Higher ratings of ${d.spec.label} go`;
    const goes = outcome.higherIsBetter ? outcome.less : outcome.more;
    out.push(
      `${more} with ${goes} (r = ${d.correlation.toFixed(2)}, n = ${words.count(n)}): raising it is no lever. Look for who adopts or rates it (a confounder) or a definitional link before acting on it.`,
    );
  }
  return out;
}

/**
 * Johnson's relative weights of the screened drivers with Poisson-bootstrap
 * percentile intervals (Tonidandel, LeBreton & Johnson 2009), the signed
 * direction (the correlation with the outcome; the standardized coefficient
 * beside it), R² with its interval, and the no-lever warnings. A replicate
 * whose matrix cannot be weighed (a flag that did not vary in it) is left
 * out and counted; with fewer than 20 usable replicates no interval, and so
 * no weight, is shown.
 */
export function weighDrivers(input: WeighInput): DriverModel {
  const { outcome, specs, point, screen, rowsAre } = input;
  const base: DriverModel = {
    outcome,
    n: point.n,
    rowsAre,
    drivers: [],
    excluded: screen.excluded,
    rSquared: null,
    rSquaredInterval: null,
    replicates: 0,
    warnings: [...screen.excluded.map((e) => e.text), ...screen.warnings],
    withheld: screen.withheld,
  };
  if (screen.withheld !== null || screen.kept.length === 0) return base;
  const kept = screen.kept;
  const keptSpecs = kept.map((i) => specs[i - 1] as DriverSpec);
  const names = [...keptSpecs.map((s) => s.name), OUTCOME];
  const matrix = driversThenOutcome(point, kept, 0);
  const local = kept.map((_, a) => a + 1);
  const replicateMatrices = input.replicates.map((m) => driversThenOutcome(m, local, 0)).filter((m) => usable(m, names));
  if (replicateMatrices.length < MINIMUM_REPLICATES) {
    return { ...base, withheld: `Only ${replicateMatrices.length} of ${input.replicates.length} bootstrap replicates could be weighed, too few for intervals; the weights are not reported.` };
  }
  const fitted = relativeWeightIntervals(matrix, replicateMatrices, names, OUTCOME, input.level ?? 0.95);
  const estimate = relativeWeights(matrix, names, OUTCOME);
  const order = fitted.weights
    .map((w, a) => ({ a, share: w.rescaledWeight, name: w.name }))
    .sort((x, y) => y.share - x.share || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const rank = new Map(order.map((o, position) => [o.a, position + 1]));
  const drivers: DriverWeight[] = fitted.weights.map((w, a) => ({
    spec: keptSpecs[a] as DriverSpec,
    correlation: matrix[a]?.[kept.length] ?? Number.NaN,
    standardizedCoefficient: estimate.weights[a]?.standardizedCoefficient ?? Number.NaN,
    rawWeight: w.rawWeight,
    rawInterval: w.rawInterval,
    share: w.rescaledWeight,
    shareInterval: w.rescaledInterval,
    rank: rank.get(a) ?? a + 1,
  }));
  drivers.sort((x, y) => x.rank - y.rank);
  const dropped = input.replicates.length - replicateMatrices.length;
  const warnings = [...base.warnings, ...noLeverWarnings(outcome, drivers, point.n)];
  if (dropped > 0) warnings.push(`${dropped} of ${input.replicates.length} bootstrap replicates could not be weighed (a driver did not vary in them) and were left out of the intervals.`);
  return { ...base, drivers, rSquared: fitted.rSquared, rSquaredInterval: fitted.rSquaredInterval, replicates: replicateMatrices.length, warnings };
}
