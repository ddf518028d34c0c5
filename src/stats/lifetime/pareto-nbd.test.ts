import { describe, expect, it } from 'vitest';
import { logGamma } from '../distributions/log-gamma.js';
import { CDNOW_HOLDOUT_WEEKS, readCdnowCustomers } from './cdnow-fixture.case.js';
import { SeededRandom } from '../seeded-random.case.js';
import { covarianceFromHessian, hessianFromValues } from './fit-uncertainty.js';
import { compressFrequencyRows } from './frequency-rows.js';
import { holdoutComparison } from './holdout-table.js';
import { hypergeometric2F1 } from './hypergeometric.js';
import { PARETO_NBD_PARAMETERS, fitParetoNbd } from './pareto-nbd.js';
import { paretoNbdExpectedPurchases, paretoNbdExpectedPurchasesNewCustomer, paretoNbdProbabilityAlive } from './pareto-nbd-expectations.js';
import { logDropoutIntegral, paretoNbdLogLikelihood, paretoNbdRowTerms, type ParetoNbdParams } from './pareto-nbd-likelihood.js';
import { simulateParetoNbd } from './pareto-nbd-simulation.case.js';

/* Published numbers: ../shared/data/cdnow/EXPECTED.md ([BTYD] walkthrough pp. 6-10, [LT] lifetimes' tests). */
const customers = readCdnowCustomers();
const rows = compressFrequencyRows(customers);
const fit = fitParetoNbd(rows);
const relative = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

/** The note's eq. 22 as printed (untransformed ₂F₁, α ≥ β or α < β branch), for moderate values only. */
function noteLikelihood({ r, alpha, s, beta }: ParetoNbdParams, x: number, tx: number, T: number): number {
  const [big, a2] = alpha >= beta ? [alpha, s + 1] : [beta, r + x];
  const F = (t: number): number => hypergeometric2F1(r + s + x, a2, r + s + x + 1, Math.abs(alpha - beta) / (big + t)) / Math.pow(big + t, r + s + x);
  const A0 = F(tx) - F(T);
  const front = Math.exp(logGamma(r + x) - logGamma(r)) * Math.pow(alpha, r) * Math.pow(beta, s);
  return front * (1 / (Math.pow(alpha + T, r + x) * Math.pow(beta + T, s)) + (s / (r + s + x)) * A0);
}

describe('Pareto/NBD likelihood', () => {
  const grid: [ParetoNbdParams, number, number, number][] = [
    [{ r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 }, 2, 30.43, 38.86],
    [{ r: 0.55, alpha: 14, s: 0.61, beta: 3 }, 5, 12, 40],
    [{ r: 2.5, alpha: 3, s: 1.4, beta: 40 }, 0, 0, 25],
    [{ r: 0.3, alpha: 1, s: 0.2, beta: 300 }, 7, 2.5, 52],
    [{ r: 4, alpha: 60, s: 3, beta: 2 }, 12, 30, 31],
  ];

  it.each(grid)('matches the note’s eq. 22 as printed (%o, x=%s, tx=%s, T=%s) to 1e-10', (params, x, tx, T) => {
    const { logLikelihood } = paretoNbdRowTerms(params, { x, tx, T });
    expect(relative(Math.exp(logLikelihood), noteLikelihood(params, x, tx, T))).toBeLessThan(1e-10);
  });

  it.each(grid)('takes the dropout integral alike by ₂F₁ series and by quadrature (%o)', (params, x, tx, T) => {
    const series = logDropoutIntegral(params, { x, tx, T }, 'series');
    const quadrature = logDropoutIntegral(params, { x, tx, T }, 'quadrature');
    expect(Math.abs(series - quadrature)).toBeLessThan(1e-10);
  });

  it('stays finite where ₂F₁’s argument is near 1 (β/α = 10⁶) by switching to quadrature', () => {
    const params = { r: 300, alpha: 3000, s: 0.001, beta: 3e9 };
    const terms = paretoNbdRowTerms(params, { x: 4, tx: 20, T: 39 });
    expect(Number.isFinite(terms.logLikelihood)).toBe(true);
    expect(Math.abs(logDropoutIntegral(params, { x: 4, tx: 20, T: 39 }, 'series') - logDropoutIntegral(params, { x: 4, tx: 20, T: 39 }))).toBeLessThan(1e-8);
  });

  it('reproduces [BTYD]’s log-likelihood −9594.976 at its own (rounded) estimates, within 0.01', () => {
    expect(Math.abs(paretoNbdLogLikelihood({ r: 0.553, alpha: 10.58, s: 0.606, beta: 11.656 }, rows) - -9594.976)).toBeLessThan(0.01);
  });
});

describe('Pareto/NBD on CDNOW', () => {
  it('matches the published estimates within 1% and the log-likelihood within 0.1', () => {
    expect(fit.converged).toBe(true);
    const published = { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.656 };
    for (const name of ['r', 'alpha', 's', 'beta'] as const) expect(relative(fit.params[name], published[name])).toBeLessThan(0.01);
    expect(Math.abs(fit.logLikelihood - -9594.976)).toBeLessThan(0.1);
    expect(fit.signal).toEqual({ hasSignal: true, issues: [] });
  });

  it('is the fit the central-difference gradient gave (parameters to 1e-6), in at most 30 iterations', () => {
    // fitParetoNbd with central differences of the likelihood (commit 2384042): 26 iterations.
    const before = { r: 0.5532752736819336, alpha: 10.57760972581153, s: 0.6062126516990334, beta: 11.667890874460706 };
    for (const name of PARETO_NBD_PARAMETERS) expect(relative(fit.params[name], before[name])).toBeLessThan(1e-6);
    expect(Math.abs(fit.logLikelihood - -9594.973929826892)).toBeLessThan(1e-6);
    expect(fit.iterations).toBeLessThanOrEqual(30);
  });

  it('has the standard errors of a second-difference Hessian of the values, within 1e-4', () => {
    // The Hessian is now central differences of the analytic gradient; second differences
    // of values (the former way) are the less accurate of the two (1e-5 against 3e-8 from a
    // Richardson-extrapolated reference), hence 1e-4 here.
    const at = PARETO_NBD_PARAMETERS.map((name) => Math.log(fit.params[name]));
    const fromLogs = (theta: readonly number[]): ParetoNbdParams => ({ r: Math.exp(theta[0] ?? 0), alpha: Math.exp(theta[1] ?? 0), s: Math.exp(theta[2] ?? 0), beta: Math.exp(theta[3] ?? 0) });
    const covariance = covarianceFromHessian(hessianFromValues((theta) => -paretoNbdLogLikelihood(fromLogs(theta), rows), at));
    PARETO_NBD_PARAMETERS.forEach((name, i) => {
      const fromValues = fit.params[name] * Math.sqrt(covariance?.[i]?.[i] ?? Number.NaN);
      expect(relative(fit.parameters[name].standardError, fromValues)).toBeLessThan(1e-4);
    });
  });

  it('has positive standard errors with β the least precise, as the flat β ridge implies', () => {
    for (const name of ['r', 'alpha', 's', 'beta'] as const) expect(fit.parameters[name].standardError).toBeGreaterThan(0);
    expect(fit.parameters.beta.standardError / fit.params.beta).toBeGreaterThan(fit.parameters.r.standardError / fit.params.r);
  });

  it('E[X(t)], t = 0..9 weeks, within [LT]’s 0.01', () => {
    const published = [0, 0.05077821, 0.09916088, 0.14542507, 0.1897993, 0.23247466, 0.27361274, 0.31335159, 0.35181024, 0.38909211];
    published.forEach((value, t) => expect(Math.abs(paretoNbdExpectedPurchasesNewCustomer(fit.params, t) - value)).toBeLessThan(0.01));
  });

  it('E[X(52)] = 1.473434 and customer 1516’s E[Y(52)] = 25.45647, P(alive) = 0.997874 [BTYD p.9]', () => {
    expect(relative(paretoNbdExpectedPurchasesNewCustomer(fit.params, 52), 1.473434)).toBeLessThan(1e-4);
    const customer1516 = { x: 26, tx: 30.85714, T: 31 };
    expect(Math.abs(paretoNbdExpectedPurchases(fit.params, 52, customer1516) - 25.45647)).toBeLessThan(0.01);
    expect(Math.abs(paretoNbdProbabilityAlive(fit.params, customer1516) - 0.997874)).toBeLessThan(1e-5);
  });

  it('the increasing-frequency paradox [BTYD p.10] within 0.2%', () => {
    const published = [0.7062289, 0.1442396, 0.02250658, 0.00309267];
    [10, 15, 20, 25].forEach((x, i) => expect(relative(paretoNbdExpectedPurchases(fit.params, 52, { x, tx: 20, T: 39 }), published[i] ?? 0)).toBeLessThan(0.002));
  });

  it('holdout expectations by calibration frequency match [BTYD] within 0.01', () => {
    const comparison = holdoutComparison(
      customers.map((c) => ({ ...c, count: 1, holdoutLength: CDNOW_HOLDOUT_WEEKS })),
      (t, history) => paretoNbdExpectedPurchases(fit.params, t, history),
    );
    const published = [0.138, 0.6, 1.196, 1.714, 2.399, 2.907, 3.819, 6.403];
    comparison.bins.forEach((bin, i) => expect(Math.abs(bin.expectedMean - (published[i] ?? 0))).toBeLessThan(0.01));
  });

  it('lets customers without repeat purchases be dead (unlike BG/NBD) and is continuous through s = 1', () => {
    expect(paretoNbdProbabilityAlive(fit.params, { x: 0, tx: 0, T: 38 })).toBeLessThan(0.9);
    const history = { x: 3, tx: 20, T: 39 };
    const at = (s: number): number => paretoNbdExpectedPurchases({ ...fit.params, s }, 52, history);
    expect(Math.abs(at(1) - (at(1 - 1e-7) + at(1 + 1e-7)) / 2)).toBeLessThan(1e-9);
  });
});

describe('Pareto/NBD on simulated companies: the fit the central-difference gradient gave', () => {
  it('2,000 simulated Pareto/NBD customers (r = 0.55, α = 10.5, s = 0.6, β = 12; ages 26-52 weeks in days): parameters to 1e-6', () => {
    const histories = simulateParetoNbd(new SeededRandom(61_000), { customers: 2000, params: { r: 0.55, alpha: 10.5, s: 0.6, beta: 12 }, minAge: 26, maxAge: 52, grain: 1 / 7 });
    const simulated = fitParetoNbd(compressFrequencyRows(histories));
    expect(simulated.converged).toBe(true);
    const before = { r: 0.5922515176439036, alpha: 11.773926698136883, s: 0.5855939495866663, beta: 10.464698410882635 };
    for (const name of PARETO_NBD_PARAMETERS) expect(relative(simulated.params[name], before[name])).toBeLessThan(1e-6);
    expect(Math.abs(simulated.logLikelihood - -9056.630826206723)).toBeLessThan(1e-6);
  });

  it('monthly billing with churn (2,000 customers): r and α run off together, the rest as before', () => {
    // Purchases every 30 days until a 3%-a-month churn: far more regular than Poisson, so
    // the rate heterogeneity goes to its boundary (r, α → ∞ along a flat ridge). Only
    // r/α, s and β are identified there: the stopping point along the ridge (r itself)
    // moved by 3% between the two gradients, r/α by 7e-10, s and β by 3e-6.
    const random = new SeededRandom(81_000);
    const month = 30 / 7;
    const histories = Array.from({ length: 2000 }, () => {
      const T = Math.round((26 + 78 * random.uniform()) * 7) / 7;
      const end = Math.min(T, -Math.log(1 - random.uniform()) / (0.03 / month));
      const x = Math.floor(end / month);
      return { x, tx: Math.round(x * month * 7) / 7, T };
    });
    const monthly = fitParetoNbd(compressFrequencyRows(histories));
    expect(monthly.converged).toBe(true);
    expect(monthly.params.r).toBeGreaterThan(1e10);
    expect(monthly.signal.issues.map((issue) => issue.code)).toContain('no_rate_heterogeneity');
    expect(relative(monthly.params.r / monthly.params.alpha, 0.21807869340570604)).toBeLessThan(1e-6);
    expect(relative(monthly.params.s, 0.7120962884213853)).toBeLessThan(2e-5);
    expect(relative(monthly.params.beta, 95.29547136529979)).toBeLessThan(2e-5);
    expect(Math.abs(monthly.logLikelihood - -59629.45472406844)).toBeLessThan(1e-6);
  });
});
