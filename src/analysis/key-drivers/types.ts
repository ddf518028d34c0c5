import type { Interval } from '../result.js';

/**
 * What a driver is, which decides how it may be read:
 * - `rating`: an experience area's rating (higher is meant to be better);
 * - `flag`: a behaviour adopted or not (0/1; adoption is meant to be good);
 * - `rate`: a count per month (support contacts), neither good nor bad by itself;
 * - `fixed`: something the company cannot change (tenure), never a lever.
 */
export type DriverKind = 'rating' | 'flag' | 'rate' | 'fixed';

/** One candidate driver of a model: a column of the model's rows. */
export interface DriverSpec {
  /** Stable name in tables and findings: the experience area key, the behaviour column, ... */
  name: string;
  /** Words for sentences. */
  label: string;
  kind: DriverKind;
}

/** The outcome of a model. */
export interface OutcomeSpec {
  name: string;
  /** Words for sentences, e.g. "likelihood to recommend (NPS question, 0-10)". */
  label: string;
  /** 0/1 outcomes (churn) are read as a linear probability model. */
  binary: boolean;
  /** Whether more of the outcome is good (satisfaction) or bad (churn). */
  higherIsBetter: boolean;
  /** For a 0/1 outcome, what a row with it did: "churned within the window". */
  happened: string;
  /** Words for more and less of it: "higher scores" / "lower scores", "more churn" / "less churn". */
  more: string;
  less: string;
}

/**
 * Sums over the rows of a model, as one SQL pass returns them: the row count
 * (or the total weight), the sum of each variable and the sum of each product.
 * Variable 0 is the outcome, 1..p the drivers.
 */
export interface Moments {
  n: number;
  sums: number[];
  /** Upper triangle included: products[i][j] = Σ v_i·v_j for all i, j (symmetric). */
  products: number[][];
}

/** A driver's place in a fitted model. */
export interface DriverWeight {
  spec: DriverSpec;
  /** Pearson correlation with the outcome over the model's rows. */
  correlation: number;
  standardizedCoefficient: number;
  rawWeight: number;
  rawInterval: Interval;
  /** Share of the explained variance (sums to 1 over the drivers). */
  share: number;
  shareInterval: Interval;
  /** 1 = largest share. */
  rank: number;
}

/** Why a candidate driver was left out of the weights. */
export interface ExcludedDriver {
  spec: DriverSpec;
  reason: 'constant' | 'rare' | 'leak' | 'collinear';
  /** A sentence for the warnings. */
  text: string;
}

/** A fitted key-driver model, or the reason it has no weights. */
export interface DriverModel {
  outcome: OutcomeSpec;
  /** Complete rows (every driver and the outcome present). */
  n: number;
  /** What a row is: "responses", "customers". */
  rowsAre: string;
  drivers: DriverWeight[];
  excluded: ExcludedDriver[];
  rSquared: number | null;
  rSquaredInterval: Interval | null;
  /** Bootstrap replicates the intervals came from. */
  replicates: number;
  /** Sentences for the Result's warnings (leaks, collinearity, small n, no lever). */
  warnings: string[];
  /** Why there are no weights (too few rows, no driver left), or null. */
  withheld: string | null;
}
