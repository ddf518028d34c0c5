import { normalCritical, normalSf, type Interval } from '../../stats/index.js';

/**
 * One risk set's sums for one role (the customers first charged the fee in
 * the week, or those active and still without it when the week ends): how
 * many, how many churned in the 90 days after, and over those who answered a
 * survey in them, the sums of their mean score x and of x².
 */
export interface RoleSums {
  customers: number;
  churned: number;
  answered: number;
  score: number;
  scoreSquares: number;
}

/** A risk set: a week and a stratum (segment, tenure band, value band), its treated and its controls. */
export interface RiskSet {
  key: string;
  treated: RoleSums;
  controls: RoleSums;
}

export interface Comparison {
  /** Mean outcome of the treated that found controls in their risk set. */
  treated: number;
  /** The controls' mean, each risk set weighted by its treated. */
  controls: number;
  /** treated − controls. */
  difference: number;
  interval: Interval;
  pValue: number;
  /** Treated compared (with controls in their risk set), treated without any, and control customer-weeks used. */
  matched: number;
  unmatched: number;
  controlWeeks: number;
}

interface Outcome {
  /** Treated units and the outcome's sum and sum of squares, for a role. */
  n(r: RoleSums): number;
  sum(r: RoleSums): number;
  squares(r: RoleSums): number;
  /** A risk set's controls can serve as a comparison with this many units. */
  minimumControls: number;
}

/** 90-day churn: every customer of the role, churned 0 or 1. */
export const CHURN: Outcome = { n: (r) => r.customers, sum: (r) => r.churned, squares: (r) => r.churned, minimumControls: 1 };

/** Satisfaction: the customers who answered in the 90 days, each their mean score (NPS answers as +100, 0, −100). */
export const SATISFACTION: Outcome = { n: (r) => r.answered, sum: (r) => r.score, squares: (r) => r.scoreSquares, minimumControls: 2 };

/**
 * The treated's mean outcome against their controls', risk set by risk set:
 * θ = (1/n_T) Σ_s Σ_{i∈s} (y_i − ȳ_Cs), each treated customer compared with
 * the mean of the controls of its own risk set (risk-set matching with every
 * eligible control, Li, Propert & Rosenbaum 2001, by exact strata), so the
 * comparison is the treated's average effect (ATT) under no unmeasured
 * confounding within the strata.
 *
 * Variance: the treated part is that of the mean of the n_T differences d_i
 * (each treated customer appears once); the controls' part Σ_s n_Ts²·s²_Cs /
 * (n_Cs·n_T²) treats risk sets as independent. A control customer appears in
 * every week it stays eligible, so its weeks are correlated and that part is
 * understated; it is small beside the treated part when controls outnumber
 * the treated in each risk set (the case here: controls are customer-weeks),
 * and the null replicates check the interval's coverage as a whole.
 */
export function compareRiskSets(sets: readonly RiskSet[], outcome: Outcome, level = 0.95): Comparison | null {
  let n = 0;
  let unmatched = 0;
  let controlWeeks = 0;
  let treatedSum = 0;
  let controlSum = 0;
  let squares = 0;
  let controlVariance = 0;
  for (const s of sets) {
    const t = outcome.n(s.treated);
    if (t === 0) continue;
    const c = outcome.n(s.controls);
    if (c < outcome.minimumControls) {
      unmatched += t;
      continue;
    }
    const mean = outcome.sum(s.controls) / c;
    const variance = c > 1 ? Math.max(0, (outcome.squares(s.controls) - c * mean * mean) / (c - 1)) : 0;
    n += t;
    controlWeeks += c;
    treatedSum += outcome.sum(s.treated);
    controlSum += t * mean;
    // Σ_{i∈s} (y_i − ȳ_Cs)² = Σy² − 2ȳ_Cs·Σy + t·ȳ_Cs².
    squares += outcome.squares(s.treated) - 2 * mean * outcome.sum(s.treated) + t * mean * mean;
    controlVariance += (t * t * variance) / c;
  }
  if (n < 2) return null;
  const difference = (treatedSum - controlSum) / n;
  const treatedVariance = Math.max(0, squares - n * difference * difference) / (n * (n - 1));
  const standardError = Math.sqrt(treatedVariance + controlVariance / (n * n));
  const z = normalCritical(level);
  return {
    treated: treatedSum / n,
    controls: controlSum / n,
    difference,
    interval: { lower: difference - z * standardError, upper: difference + z * standardError, level },
    pValue: standardError > 0 ? 2 * normalSf(Math.abs(difference) / standardError) : difference === 0 ? 1 : 0,
    matched: n,
    unmatched,
    controlWeeks,
  };
}
