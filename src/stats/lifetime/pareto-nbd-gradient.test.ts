import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../seeded-random.case.js';
import { readCdnowCustomers } from './cdnow-fixture.case.js';
import { compressFrequencyRows } from './frequency-rows.js';
import { digammaDifference } from './gamma-ratios.js';
import { logDropoutIntegralWithGradient, paretoNbdLogLikelihoodGradient, paretoNbdRowGradient } from './pareto-nbd-gradient.js';
import { DROPOUT_SERIES_LIMIT, logDropoutIntegral, paretoNbdLogLikelihood, paretoNbdRowTerms, type ParetoNbdParams } from './pareto-nbd-likelihood.js';
import type { PurchaseHistory } from './types.js';

const NAMES = ['r', 'alpha', 's', 'beta'] as const;
const STEP = 1e-3;

/** Five-point central differences in the log-parameters: error h⁴f⁽⁵⁾/30 + 1.5·(value error)/h. */
function numericGradient(value: (params: ParetoNbdParams) => number, at: ParetoNbdParams): number[] {
  return NAMES.map((name) => {
    const f = (d: number): number => value({ ...at, [name]: at[name] * Math.exp(d) });
    return (-f(2 * STEP) + 8 * f(STEP) - 8 * f(-STEP) + f(-2 * STEP)) / (12 * STEP);
  });
}

/*
 * Tolerance of the check against central differences, set by the numerical
 * side: a row's ln L carries the quadrature's relative tolerance 1e-12 (seen
 * up to 3e-12 where the integrand is sharply peaked, r ≈ 10⁴, α ≈ 10⁻²) and
 * rounding ε·|ln L|; the stencil multiplies value errors by 1.5/h = 1500, so
 * 1e-8·max(1, |∂|) + 1e-12·|ln L| is a few times what the differences
 * themselves can resolve. The analytic side is tighter: the series and the
 * quadrature routes agree to 1e-10 (measured 2e-11).
 */
const tolerance = (numeric: number, logLikelihood: number): number => 1e-8 * Math.max(1, Math.abs(numeric)) + 1e-12 * Math.abs(logLikelihood);

interface Case {
  params: ParetoNbdParams;
  history: PurchaseHistory;
}

function randomCases(count: number, seed: number): Case[] {
  const random = new SeededRandom(seed);
  const logUniform = (low: number, high: number): number => Math.exp(Math.log(low) + random.uniform() * Math.log(high / low));
  return Array.from({ length: count }, (_, i) => {
    const params = { r: logUniform(1e-3, 1e4), alpha: logUniform(1e-2, 1e5), s: logUniform(1e-3, 1e3), beta: logUniform(1e-2, 1e5) };
    if (i % 5 === 0) params.beta = params.alpha * (1 + (random.uniform() - 0.5) * 1e-6);
    if (i % 7 === 0) params.beta = params.alpha;
    const T = logUniform(0.1, 500);
    const x = i % 4 === 0 ? 0 : Math.floor(logUniform(1, 300));
    let tx = x === 0 ? 0 : random.uniform() * T;
    if (x > 0 && i % 6 === 0) tx = T;
    if (x > 0 && i % 9 === 0) tx = T * (1 - 1e-6);
    return { params, history: { x, tx, T } };
  });
}

/** The edges the brief of this gradient named, and the points fits were seen to run to. */
const BOUNDARY: [string, ParetoNbdParams, PurchaseHistory][] = [
  ['x = 0', { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 }, { x: 0, tx: 0, T: 38 }],
  ['tₓ = T', { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 }, { x: 4, tx: 30, T: 30 }],
  ['α = β', { r: 0.8, alpha: 12, s: 0.4, beta: 12 }, { x: 3, tx: 20, T: 39 }],
  ['α = β(1 + 1e-12)', { r: 0.8, alpha: 12 * (1 + 1e-12), s: 0.4, beta: 12 }, { x: 3, tx: 20, T: 39 }],
  ['α = β(1 − 1e-12)', { r: 0.8, alpha: 12 * (1 - 1e-12), s: 0.4, beta: 12 }, { x: 3, tx: 20, T: 39 }],
  ['a common rate (r, α ≈ 10⁶)', { r: 1e6, alpha: 1e7, s: 1.1, beta: 190 }, { x: 9, tx: 40, T: 52 }],
  ['r, α ≈ 10⁴⁵ (the simulated company)', { r: 3.1e45, alpha: 1.4e46, s: 1.13, beta: 188 }, { x: 12, tx: 50, T: 60 }],
  ['tiny r and s', { r: 1e-4, alpha: 0.05, s: 1e-4, beta: 0.02 }, { x: 2, tx: 5, T: 30 }],
  ['no dropout (β = 10⁹)', { r: 2, alpha: 20, s: 0.5, beta: 1e9 }, { x: 5, tx: 10, T: 40 }],
  ['β/α = 10⁶ (quadrature)', { r: 300, alpha: 3000, s: 0.001, beta: 3e9 }, { x: 4, tx: 20, T: 39 }],
  ['large x', { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 }, { x: 500, tx: 30, T: 31 }],
  ['T − tₓ = 1e-7 (the series would cancel)', { r: 0.155, alpha: 37345.92, s: 0.467, beta: 37345.93 }, { x: 1, tx: 0.1177801, T: 0.1177802 }],
  ['a young customer (T = 0.01)', { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 }, { x: 1, tx: 0.005, T: 0.01 }],
];

describe('the Pareto/NBD row gradient in the log-parameters', () => {
  it.each(BOUNDARY)('equals central differences at the edge: %s', (_, params, history) => {
    const { logLikelihood, gradient } = paretoNbdRowGradient(params, history);
    const numeric = numericGradient((p) => paretoNbdRowTerms(p, history).logLikelihood, params);
    numeric.forEach((n, j) => expect(Math.abs((gradient[j] ?? 0) - n)).toBeLessThanOrEqual(tolerance(n, logLikelihood)));
  });

  it('equals central differences at 2,000 random points and rows (worst relative error below 1e-8)', () => {
    let worst = 0;
    for (const { params, history } of randomCases(2000, 71_000)) {
      const { logLikelihood, gradient } = paretoNbdRowGradient(params, history);
      const numeric = numericGradient((p) => paretoNbdRowTerms(p, history).logLikelihood, params);
      numeric.forEach((n, j) => {
        const error = Math.abs((gradient[j] ?? 0) - n);
        expect(error).toBeLessThanOrEqual(tolerance(n, logLikelihood));
        if (Math.abs(logLikelihood) < 100) worst = Math.max(worst, error / Math.max(1, Math.abs(n)));
      });
    }
    // Where |ln L| < 100, so that rounding of ln L does not dominate the differences (measured 6e-10).
    expect(worst).toBeLessThan(1e-8);
  });

  it('returns the value paretoNbdRowTerms returns', () => {
    for (const { params, history } of randomCases(500, 72_000)) {
      const expected = paretoNbdRowTerms(params, history).logLikelihood;
      expect(Math.abs(paretoNbdRowGradient(params, history).logLikelihood - expected)).toBeLessThanOrEqual(1e-11 * Math.max(1, Math.abs(expected)));
    }
  });

  it('is the closed form of the alive part alone when tₓ = T (no dropout integral)', () => {
    const params = { r: 0.7, alpha: 9, s: 0.8, beta: 14 };
    const [x, T] = [6, 33];
    const { gradient } = paretoNbdRowGradient(params, { x, tx: T, T });
    const { r, alpha, s, beta } = params;
    const expected = [r * digammaDifference(r, x) - r * Math.log1p(T / alpha), (r * T - x * alpha) / (alpha + T), -s * Math.log1p(T / beta), (s * T) / (beta + T)];
    expected.forEach((e, j) => expect(gradient[j]).toBeCloseTo(e, 14));
  });

  it('takes the dropout integral’s gradient alike by ₂F₁ series and by quadrature (1e-10)', () => {
    let compared = 0;
    for (const { params, history } of randomCases(2000, 73_000)) {
      const z = Math.abs(params.alpha - params.beta) / (Math.max(params.alpha, params.beta) + history.tx);
      if (history.tx >= history.T || z > DROPOUT_SERIES_LIMIT) continue;
      const series = logDropoutIntegralWithGradient(params, history, 'series');
      // Only where the auto route keeps the series: elsewhere its difference cancels (next test).
      if (logDropoutIntegralWithGradient(params, history).value !== series.value) continue;
      const quadrature = logDropoutIntegralWithGradient(params, history, 'quadrature');
      series.gradient.forEach((g, j) => expect(Math.abs(g - (quadrature.gradient[j] ?? 0))).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(g))));
      expect(Math.abs(series.value - quadrature.value)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(series.value)));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('takes a short interval by quadrature, where the series difference loses its digits (value and gradient alike)', () => {
    const params = { r: 0.155, alpha: 37345.92, s: 0.467, beta: 37345.93 };
    const history = { x: 1, tx: 0.1177801, T: 0.1177802 };
    const quadrature = logDropoutIntegral(params, history, 'quadrature');
    expect(Math.abs(logDropoutIntegral(params, history, 'series') - quadrature)).toBeGreaterThan(1e-7);
    expect(Math.abs(logDropoutIntegral(params, history) - quadrature)).toBeLessThan(1e-12);
    // Over a width of 1e-7, ∫ ≈ width·f(tₓ): ln f(tₓ) + ln(1e-7) to first order.
    const { r, alpha, s, beta } = params;
    const logIntegrand = -r * Math.log1p(history.tx / alpha) - history.x * Math.log(alpha + history.tx) - s * Math.log1p(history.tx / beta) - Math.log(beta + history.tx);
    expect(Math.abs(quadrature - logIntegrand - Math.log(history.T - history.tx))).toBeLessThan(1e-9);
    const withGradient = logDropoutIntegralWithGradient(params, history);
    expect(Math.abs(withGradient.value - quadrature)).toBeLessThan(1e-12);
  });
});

describe('the Pareto/NBD gradient over CDNOW’s 1,016 rows', () => {
  const rows = compressFrequencyRows(readCdnowCustomers());

  it('equals central differences of the summed log-likelihood away from the optimum (relative 1e-9)', () => {
    const at = { r: 0.4, alpha: 6, s: 1.3, beta: 3.1 };
    const { value, gradient } = paretoNbdLogLikelihoodGradient(at, rows);
    expect(value).toBeCloseTo(paretoNbdLogLikelihood(at, rows), 8);
    numericGradient((p) => paretoNbdLogLikelihood(p, rows), at).forEach((n, j) => expect(Math.abs((gradient[j] ?? 0) - n) / Math.abs(n)).toBeLessThan(1e-9));
  });
});
