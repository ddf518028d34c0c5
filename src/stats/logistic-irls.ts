import { normalCritical } from './critical-value.js';
import { chiSquareSf } from './distributions/chi-square.js';
import { normalCdf } from './distributions/normal.js';
import { assertInput } from './invalid-input.js';
import { CollinearPredictorsError } from './collinear-predictors-error.js';
import type { RegressionCoefficient } from './ols.js';
import { SymmetricSolver } from './symmetric-solver.js';
import type { Interval } from './types.js';

/**
 * One IRLS aggregation, evaluated at the current coefficients β (in SQL, one
 * GROUP-BY-less query; mergeable across shards by addition). With η = x'β,
 * μ = 1/(1 + e^−η) and w = μ(1 − μ):
 *   xtwx = Σ w·x·x'            xtwz = Σ x·(w·η + y − μ)     (= X'Wz with z = η + (y − μ)/w,
 *                                                            written without dividing by a tiny w)
 *   logLikelihood = Σ y·η − log(1 + e^η)
 */
export interface LogisticAggregate {
  xtwx: number[][];
  xtwz: number[];
  logLikelihood: number;
  n: number;
  /** Optional: rows whose fitted probability is within 1e-10 of 0 or 1 (a sign of separation). */
  extremeFitted?: number;
}

export interface LogisticCoefficient extends RegressionCoefficient {
  oddsRatio: number;
  oddsRatioInterval: Interval;
}

export interface LogisticFit {
  coefficients: LogisticCoefficient[];
  /** (X'WX)⁻¹ at the returned coefficients. */
  covariance: number[][];
  logLikelihood: number;
  nullLogLikelihood: number | null;
  /** McFadden's 1 − LL/LL₀. */
  pseudoRSquared: number | null;
  /** Likelihood-ratio test of all non-intercept coefficients, χ² on p − 1 df. */
  likelihoodRatioPValue: number | null;
  n: number;
  /** Aggregations evaluated (each one pass over the data). */
  iterations: number;
  converged: boolean;
  warnings: string[];
}

export interface LogisticOptions {
  /** Column names of X, in order; the intercept is an all-ones column among them. */
  names: string[];
  /** Index of the all-ones column, for the null model and LR test. */
  interceptIndex?: number;
  level?: number;
  /** Stop when the Newton step changes no coefficient by more than tolerance·(1 + max|β|). Default 1e-10. */
  tolerance?: number;
  maxIterations?: number;
  /** LL of the intercept-only model; see logisticNullLogLikelihood. */
  nullLogLikelihood?: number;
  collinearityTolerance?: number;
}

/** Log-likelihood of the intercept-only logistic model: n·[ȳ·ln ȳ + (1 − ȳ)·ln(1 − ȳ)]. */
export function logisticNullLogLikelihood(positives: number, n: number): number {
  assertInput(n > 0 && positives >= 0 && positives <= n, `Need 0 ≤ positives ≤ n; got ${positives} of ${n}.`);
  const mean = positives / n;
  const part = (share: number, count: number): number => (count === 0 ? 0 : count * Math.log(share));
  return part(mean, positives) + part(1 - mean, n - positives);
}

/**
 * One IRLS (Fisher scoring = Newton for the logit link) update:
 * β_next = (X'WX)⁻¹ X'Wz (McCullagh & Nelder, Generalized Linear Models, 2nd ed., §2.5).
 * Throws CollinearPredictorsError when X'WX is singular.
 */
export function logisticIrlsStep(aggregate: LogisticAggregate, names: readonly string[], collinearityTolerance?: number): number[] {
  validate(aggregate, names.length);
  return SymmetricSolver.factor(aggregate.xtwx, names, { tolerance: collinearityTolerance }).solve(aggregate.xtwz);
}

function validate(aggregate: LogisticAggregate, p: number): void {
  assertInput(aggregate.xtwz.length === p, `X'Wz has ${aggregate.xtwz.length} entries for ${p} columns.`);
  assertInput(Number.isFinite(aggregate.logLikelihood) && aggregate.logLikelihood <= 0, `A logistic log-likelihood is finite and ≤ 0; got ${aggregate.logLikelihood}.`);
}

type Advance = { done: false; coefficients: number[] } | { done: true; fit: LogisticFit };

/**
 * The IRLS loop as a state machine, so the SQL driver (async, one query per
 * step) and the in-memory driver share every decision: step halving when the
 * likelihood drops, the convergence test, the iteration cap and the warnings.
 */
export class LogisticIrls {
  private coefficients: number[];
  private previous: { coefficients: number[]; aggregate: LogisticAggregate } | null = null;
  private iterations = 0;
  private halvings = 0;

  constructor(private readonly options: LogisticOptions) {
    assertInput(options.names.length > 0, 'A logistic model needs at least one column.');
    this.coefficients = new Array<number>(options.names.length).fill(0);
  }

  /** Coefficients at which the next aggregate must be computed. */
  current(): number[] {
    return [...this.coefficients];
  }

  /** Feed the aggregate computed at current(); get the next coefficients or the fit. */
  advance(aggregate: LogisticAggregate): Advance {
    const { names } = this.options;
    validate(aggregate, names.length);
    this.iterations += 1;
    const previous = this.previous;
    const tolerance = this.options.tolerance ?? 1e-10;
    const maxIterations = this.options.maxIterations ?? 50;
    // Newton can overshoot from a poor start; halve the step back toward the last accepted point.
    const previousLogLikelihood = previous?.aggregate.logLikelihood ?? Number.NEGATIVE_INFINITY;
    if (previous !== null && aggregate.logLikelihood < previousLogLikelihood - 1e-12 * (1 + Math.abs(previousLogLikelihood)) && this.halvings < 30) {
      this.halvings += 1;
      this.coefficients = this.coefficients.map((b, j) => 0.5 * (b + (previous.coefficients[j] ?? 0)));
      return { done: false, coefficients: this.current() };
    }
    let next: number[];
    try {
      next = logisticIrlsStep(aggregate, names, this.options.collinearityTolerance);
    } catch (error) {
      // At β = 0, X'WX = X'X/4, so a singular first step is true collinearity. Later, X'WX
      // degenerates because the weights μ(1 − μ) vanish: the outcome is separated. Report
      // the last well-posed point as unconverged instead of blaming the predictors.
      if (!(error instanceof CollinearPredictorsError) || previous === null) throw error;
      this.coefficients = previous.coefficients;
      return { done: true, fit: this.finish(previous.aggregate, false) };
    }
    const scale = 1 + Math.max(...this.coefficients.map(Math.abs));
    const change = Math.max(...next.map((b, j) => Math.abs(b - (this.coefficients[j] ?? 0))));
    if (change <= tolerance * scale) return { done: true, fit: this.finish(aggregate, true) };
    if (this.iterations >= maxIterations) return { done: true, fit: this.finish(aggregate, false) };
    this.previous = { coefficients: this.coefficients, aggregate };
    this.halvings = 0;
    this.coefficients = next;
    return { done: false, coefficients: this.current() };
  }

  private finish(aggregate: LogisticAggregate, converged: boolean): LogisticFit {
    const { names, interceptIndex, nullLogLikelihood } = this.options;
    const level = this.options.level ?? 0.95;
    const covariance = SymmetricSolver.factor(aggregate.xtwx, names, { tolerance: this.options.collinearityTolerance }).inverse();
    const z = normalCritical(level);
    const coefficients = names.map((name, j): LogisticCoefficient => {
      const estimate = this.coefficients[j] ?? 0;
      const standardError = Math.sqrt(covariance[j]?.[j] ?? 0);
      const statistic = estimate / standardError;
      const interval = { lower: estimate - z * standardError, upper: estimate + z * standardError, level };
      return {
        name,
        estimate,
        standardError,
        statistic,
        pValue: 2 * normalCdf(-Math.abs(statistic)),
        interval,
        oddsRatio: Math.exp(estimate),
        oddsRatioInterval: { lower: Math.exp(interval.lower), upper: Math.exp(interval.upper), level },
      };
    });
    const warnings: string[] = [];
    if (!converged) warnings.push(`IRLS did not converge in ${this.iterations} iterations; the estimates are not reliable.`);
    const extreme = aggregate.extremeFitted ?? 0;
    if (extreme > 0 || aggregate.logLikelihood > -1e-6 * aggregate.n) {
      warnings.push(
        `${extreme > 0 ? `${extreme} rows have fitted probabilities of 0 or 1` : 'The model fits the outcome perfectly'}: a predictor (or combination) separates the outcome, so some coefficients and their intervals are unbounded.`,
      );
    }
    const hasNull = nullLogLikelihood !== undefined && interceptIndex !== undefined;
    const dfModel = names.length - 1;
    return {
      coefficients,
      covariance,
      logLikelihood: aggregate.logLikelihood,
      nullLogLikelihood: nullLogLikelihood ?? null,
      pseudoRSquared: hasNull && nullLogLikelihood < 0 ? 1 - aggregate.logLikelihood / nullLogLikelihood : null,
      likelihoodRatioPValue: hasNull && dfModel > 0 ? chiSquareSf(Math.max(0, 2 * (aggregate.logLikelihood - nullLogLikelihood)), dfModel) : null,
      n: aggregate.n,
      iterations: this.iterations,
      converged,
      warnings,
    };
  }
}
