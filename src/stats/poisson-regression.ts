import { normalCritical, tCritical } from './critical-value.js';
import { normalCdf } from './distributions/normal.js';
import { tTwoSidedPValue } from './distributions/student-t.js';
import { assertInput, assertLevel } from './invalid-input.js';
import type { RegressionCoefficient } from './ols.js';
import { SymmetricSolver } from './symmetric-solver.js';
import type { Interval } from './types.js';

/** One row of a Poisson regression: a cell of aggregated counts (events in person-time, customers in a day). */
export interface PoissonRow {
  /** The row's stratum, 0 to strata − 1: each stratum has its own intercept (a tenure band's baseline hazard, a day-of-month level). */
  stratum: number;
  /** Predictors, aligned with `names`; no intercept (the strata are the intercepts). */
  x: readonly number[];
  /** The count; any non-negative amount under quasi-likelihood (money per day). */
  y: number;
  /** Exposure (person-time, days observed): log(exposure) is the offset. Rows of zero exposure must have y = 0 and are ignored. */
  exposure: number;
}

/**
 * How the variance of y relates to its mean: `poisson` (Var = μ, counts),
 * `quasi` (Var = φμ with φ the Pearson χ² over its degrees of freedom: amounts
 * of money, or counts whose spread is not Poisson), `quasi-at-least-1` (the
 * same, φ never below 1: counts, where a φ under 1 would only be chance).
 */
export type PoissonDispersion = 'poisson' | 'quasi' | 'quasi-at-least-1';

export interface PoissonOptions {
  /** Names of the predictor columns, in order. */
  names: readonly string[];
  /** Number of strata (default 1: one intercept). */
  strata?: number;
  dispersion?: PoissonDispersion;
  level?: number;
  /** Stop when the Newton step changes no parameter by more than tolerance·(1 + max|θ|). Default 1e-10. */
  tolerance?: number;
  maxIterations?: number;
  collinearityTolerance?: number;
}

export interface PoissonCoefficient extends RegressionCoefficient {
  /** exp(estimate): the rate (or hazard) ratio of one unit of the predictor. */
  rateRatio: number;
  rateRatioInterval: Interval;
}

export interface PoissonFit {
  coefficients: PoissonCoefficient[];
  /** Covariance of the predictors' coefficients, the strata profiled out, times the dispersion. */
  covariance: number[][];
  /** Each stratum's intercept (log rate at x = 0); null for a stratum without any y (its rate is 0). */
  strataLogRates: (number | null)[];
  /** φ (1 under `poisson`). */
  dispersion: number;
  /** Rows used − strata estimated − predictors. */
  dfResidual: number;
  pearsonChiSquare: number;
  deviance: number;
  /** Σ y·log μ − μ (without the −log y! term, which does not depend on the parameters). */
  logLikelihood: number;
  /** Rows used (exposure > 0, in a stratum with some y). */
  n: number;
  iterations: number;
  converged: boolean;
  warnings: string[];
}

interface Prepared {
  rows: PoissonRow[];
  /** Strata renumbered to those with some y. */
  strataIndex: number[];
  used: number;
}

function prepare(rows: readonly PoissonRow[], strata: number, p: number): Prepared {
  const totals = new Array<number>(strata).fill(0);
  for (const row of rows) {
    assertInput(Number.isInteger(row.stratum) && row.stratum >= 0 && row.stratum < strata, `A row's stratum must be an integer 0 to ${strata - 1}; got ${row.stratum}.`);
    assertInput(row.x.length === p && row.x.every(Number.isFinite), `A row needs ${p} finite predictors.`);
    assertInput(Number.isFinite(row.y) && row.y >= 0, `y must be finite and non-negative; got ${row.y}.`);
    assertInput(Number.isFinite(row.exposure) && row.exposure >= 0, `Exposure must be finite and non-negative; got ${row.exposure}.`);
    assertInput(row.exposure > 0 || row.y === 0, 'A row with events must have exposure.');
    totals[row.stratum] = (totals[row.stratum] ?? 0) + row.y;
  }
  // A stratum without any y has rate 0: its intercept is −∞ and its rows add nothing to the
  // likelihood of the other parameters (their μ → 0), so they are left out rather than chased.
  const strataIndex = new Array<number>(strata).fill(-1);
  let used = 0;
  for (let s = 0; s < strata; s += 1) if ((totals[s] ?? 0) > 0) strataIndex[s] = used++;
  return { rows: rows.filter((r) => r.exposure > 0 && (strataIndex[r.stratum] ?? -1) >= 0), strataIndex, used };
}

interface Moments {
  logLikelihood: number;
  /** D_j = Σ μ over stratum j. */
  d: number[];
  /** B_j = Σ μ·x over stratum j. */
  b: number[][];
  /** C = Σ μ·x·x'. */
  c: number[][];
  /** Scores: Σ (y − μ) per stratum and Σ (y − μ)·x. */
  ua: number[];
  ub: number[];
  pearson: number;
  deviance: number;
}

function moments(prepared: Prepared, alpha: readonly number[], beta: readonly number[]): Moments {
  const p = beta.length;
  const k = prepared.used;
  const m: Moments = {
    logLikelihood: 0,
    d: new Array<number>(k).fill(0),
    b: Array.from({ length: k }, () => new Array<number>(p).fill(0)),
    c: Array.from({ length: p }, () => new Array<number>(p).fill(0)),
    ua: new Array<number>(k).fill(0),
    ub: new Array<number>(p).fill(0),
    pearson: 0,
    deviance: 0,
  };
  for (const row of prepared.rows) {
    const j = prepared.strataIndex[row.stratum] ?? 0;
    let eta = alpha[j] ?? 0;
    for (let i = 0; i < p; i += 1) eta += (row.x[i] ?? 0) * (beta[i] ?? 0);
    const mu = row.exposure * Math.exp(eta);
    const logMu = Math.log(row.exposure) + eta;
    m.logLikelihood += (row.y > 0 ? row.y * logMu : 0) - mu;
    m.pearson += mu > 0 ? (row.y - mu) ** 2 / mu : 0;
    m.deviance += 2 * ((row.y > 0 ? row.y * (Math.log(row.y) - logMu) : 0) - (row.y - mu));
    m.d[j] = (m.d[j] ?? 0) + mu;
    m.ua[j] = (m.ua[j] ?? 0) + row.y - mu;
    const bj = m.b[j] ?? [];
    for (let a = 0; a < p; a += 1) {
      const xa = row.x[a] ?? 0;
      if (xa === 0) continue;
      bj[a] = (bj[a] ?? 0) + mu * xa;
      m.ub[a] = (m.ub[a] ?? 0) + (row.y - mu) * xa;
      const ca = m.c[a] ?? [];
      for (let b = 0; b <= a; b += 1) ca[b] = (ca[b] ?? 0) + mu * xa * (row.x[b] ?? 0);
    }
  }
  for (let a = 0; a < p; a += 1) for (let b = 0; b < a; b += 1) (m.c[b] as number[])[a] = m.c[a]?.[b] ?? 0;
  return m;
}

/**
 * The Schur complement of the strata block: S = C − Σ_j B_j·B_j'/D_j, the
 * information of β with every stratum's intercept profiled out.
 */
function schur(m: Moments, p: number): number[][] {
  const s = m.c.map((row) => [...row]);
  m.d.forEach((dj, j) => {
    if (dj <= 0) return;
    const bj = m.b[j] ?? [];
    for (let a = 0; a < p; a += 1) for (let b = 0; b < p; b += 1) (s[a] as number[])[b] = (s[a]?.[b] ?? 0) - ((bj[a] ?? 0) * (bj[b] ?? 0)) / dj;
  });
  return s;
}

/**
 * Poisson regression with one intercept per stratum and a log-exposure
 * offset: log E[y] = log(exposure) + α_stratum + x'β, by Newton-Raphson (=
 * IRLS: the log link is canonical, so observed and expected information
 * agree; McCullagh & Nelder, Generalized Linear Models, 2nd ed., §6.2), with
 * the step halved whenever the likelihood would fall.
 *
 * The strata block of the information matrix is diagonal, so each Newton
 * step eliminates it (the Schur complement) instead of factoring a matrix of
 * strata + predictors: hundreds of strata cost no more than one. This is what
 * makes the piecewise-exponential survival model cheap with one stratum per
 * tenure band, and exactly Cox's partial likelihood with Breslow's handling
 * of ties with one stratum per distinct event time and the number at risk as
 * exposure (Whitehead 1980, Applied Statistics 29:268; Laird & Olivier 1981,
 * JASA 76:231).
 *
 * Intervals are Wald intervals, on the normal under `poisson` and on t with
 * the residual degrees of freedom when φ is estimated (quasi-likelihood:
 * McCullagh & Nelder §9.2). Throws CollinearPredictorsError when a predictor
 * is constant within every stratum or a combination of the others.
 *
 * @example
 * // Hazard ratio of a flag, one baseline rate per tenure band:
 * fitPoissonRegression([{ stratum: 0, x: [1], y: 30, exposure: 100 }, { stratum: 0, x: [0], y: 20, exposure: 120 }], { names: ['flag'] })
 *   .coefficients[0].rateRatio // (30/100)/(20/120) = 1.8
 */
export function fitPoissonRegression(rows: readonly PoissonRow[], options: PoissonOptions): PoissonFit {
  const p = options.names.length;
  const strata = options.strata ?? 1;
  const level = options.level ?? 0.95;
  assertLevel(level);
  assertInput(Number.isInteger(strata) && strata >= 1, `strata must be a positive integer; got ${strata}.`);
  const prepared = prepare(rows, strata, p);
  assertInput(prepared.used > 0, 'A Poisson regression needs at least one event (y > 0).');
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100;

  // Start at each stratum's crude rate and β = 0: the strata's own MLE when β = 0.
  const ySum = new Array<number>(prepared.used).fill(0);
  const eSum = new Array<number>(prepared.used).fill(0);
  for (const row of prepared.rows) {
    const j = prepared.strataIndex[row.stratum] ?? 0;
    ySum[j] = (ySum[j] ?? 0) + row.y;
    eSum[j] = (eSum[j] ?? 0) + row.exposure;
  }
  let alpha = ySum.map((y, j) => Math.log(y / (eSum[j] ?? 1)));
  let beta = new Array<number>(p).fill(0);
  let current = moments(prepared, alpha, beta);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations += 1;
    let deltaBeta: number[] = [];
    if (p > 0) {
      const s = schur(current, p);
      const r = current.ub.map((u, a) => current.d.reduce((acc, dj, j) => acc - (dj > 0 ? ((current.b[j]?.[a] ?? 0) * (current.ua[j] ?? 0)) / dj : 0), u));
      deltaBeta = SymmetricSolver.factor(s, options.names, { tolerance: options.collinearityTolerance }).solve(r);
    }
    const deltaAlpha = current.d.map((dj, j) => {
      let u = current.ua[j] ?? 0;
      const bj = current.b[j] ?? [];
      for (let a = 0; a < p; a += 1) u -= (bj[a] ?? 0) * (deltaBeta[a] ?? 0);
      return dj > 0 ? u / dj : 0;
    });
    const scale = 1 + Math.max(0, ...alpha.map(Math.abs), ...beta.map(Math.abs));
    const change = Math.max(0, ...deltaAlpha.map(Math.abs), ...deltaBeta.map(Math.abs));
    let step = 1;
    let next = { alpha: alpha.map((a, j) => a + (deltaAlpha[j] ?? 0)), beta: beta.map((b, i) => b + (deltaBeta[i] ?? 0)) };
    let trial = moments(prepared, next.alpha, next.beta);
    // The Poisson log-likelihood is concave, but a full Newton step from far away can overshoot.
    for (let halvings = 0; halvings < 30 && !(trial.logLikelihood >= current.logLikelihood - 1e-12 * (1 + Math.abs(current.logLikelihood))); halvings += 1) {
      step /= 2;
      next = { alpha: alpha.map((a, j) => a + step * (deltaAlpha[j] ?? 0)), beta: beta.map((b, i) => b + step * (deltaBeta[i] ?? 0)) };
      trial = moments(prepared, next.alpha, next.beta);
    }
    alpha = next.alpha;
    beta = next.beta;
    current = trial;
    if (change * step <= tolerance * scale) {
      converged = true;
      break;
    }
  }

  const dfResidual = prepared.rows.length - prepared.used - p;
  const dispersionKind = options.dispersion ?? 'poisson';
  const warnings: string[] = [];
  let dispersion = 1;
  if (dispersionKind !== 'poisson') {
    if (dfResidual > 0) dispersion = current.pearson / dfResidual;
    else warnings.push('No residual degrees of freedom to estimate the dispersion: the Poisson variance is used.');
    if (dispersionKind === 'quasi-at-least-1') dispersion = Math.max(1, dispersion);
  }
  const estimated = dispersionKind !== 'poisson' && dfResidual > 0;
  const information = p > 0 ? SymmetricSolver.factor(schur(current, p), options.names, { tolerance: options.collinearityTolerance }).inverse() : [];
  const covariance = information.map((row) => row.map((v) => v * dispersion));
  const critical = estimated ? tCritical(level, dfResidual) : normalCritical(level);
  const coefficients = options.names.map((name, i): PoissonCoefficient => {
    const estimate = beta[i] ?? 0;
    const standardError = Math.sqrt(covariance[i]?.[i] ?? 0);
    const statistic = standardError > 0 ? estimate / standardError : 0;
    const pValue = standardError > 0 ? (estimated ? tTwoSidedPValue(statistic, dfResidual) : 2 * normalCdf(-Math.abs(statistic))) : 1;
    const interval = { lower: estimate - critical * standardError, upper: estimate + critical * standardError, level };
    return {
      name,
      estimate,
      standardError,
      statistic,
      pValue,
      interval,
      rateRatio: Math.exp(estimate),
      rateRatioInterval: { lower: Math.exp(interval.lower), upper: Math.exp(interval.upper), level },
    };
  });
  if (!converged) warnings.push(`The Poisson regression did not converge in ${iterations} iterations; its estimates are not reliable.`);
  return {
    coefficients,
    covariance,
    strataLogRates: prepared.strataIndex.map((j) => (j < 0 ? null : (alpha[j] ?? null))),
    dispersion,
    dfResidual,
    pearsonChiSquare: current.pearson,
    deviance: current.deviance,
    logLikelihood: current.logLikelihood,
    n: prepared.rows.length,
    iterations,
    converged,
    warnings,
  };
}
