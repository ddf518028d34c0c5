import { describe, expect, it } from 'vitest';
import { logGamma } from '../distributions/log-gamma.js';
import { digamma, digammaDifference, logRising } from './gamma-ratios.js';
import { gaussHypergeometricSeries, hypergeometric2F1 } from './hypergeometric.js';
import { integrateAdaptive } from './quadrature.js';

const relativeError = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

/*
 * Reference values from mpmath 1.3 at 30 digits (`mp.hyp2f1`, `mp.digamma`),
 * computed once and pasted here so the suite needs no Python.
 */
describe('₂F₁ against mpmath (relative tolerance 1e-12)', () => {
  const cases: [number, number, number, number, number][] = [
    [1, 1, 2, 0.5, 1.3862943611198906188],
    [0.5, 0.5, 1.5, 0.81, 1.2441883499984824642],
    [0.2425982, 2.4261667, 2.2187566, 0.9, 1.945991275991936818],
    [3.5, -0.4, 7.2, 0.95, 0.77066009133921662915],
    [1, 27.3, 30.1, 0.99, 12.972633225128365503],
    [0.24, 2.43, 2.22, 0.3, 1.0993604669280534554],
    [1, 2.6, 5.2, 0.999, 2.6143602997579218648],
    [1, 1.3, 3.2, 0.9999, 2.44044990267996687],
    [-0.3, 2.2, 5.5, 0.6, 0.918634894489172402],
    // c − a − b < 0: the value is huge and the Euler form carries it.
    [2.7, 3.1, 1.4, 0.97, 13039361.1218759829],
    // z < 0 through Pfaff's transformation.
    [2.2, 1.3, 4.0, -3.0, 0.31573210181982820607],
  ];
  it.each(cases)('₂F₁(%s, %s; %s; %s)', (a, b, c, z, expected) => {
    expect(relativeError(hypergeometric2F1(a, b, c, z), expected)).toBeLessThan(1e-12);
  });

  it('matches closed forms: −ln(1−z)/z, (1−z)^−a, arcsin', () => {
    for (const z of [0.1, 0.6, 0.95, 0.999]) {
      expect(relativeError(hypergeometric2F1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-13);
      expect(relativeError(hypergeometric2F1(2.5, 1.7, 1.7, z), Math.pow(1 - z, -2.5))).toBeLessThan(1e-12);
      const w = Math.sqrt(z);
      expect(relativeError(hypergeometric2F1(0.5, 0.5, 1.5, z), Math.asin(w) / w)).toBeLessThan(1e-12);
    }
  });

  it('the raw series and the Euler-transformed route agree where both converge', () => {
    const direct = gaussHypergeometricSeries(2.7, 3.1, 1.4, 0.9);
    expect(relativeError(hypergeometric2F1(2.7, 3.1, 1.4, 0.9), direct)).toBeLessThan(1e-12);
  });

  it('rejects z ≥ 1 and non-positive integer c', () => {
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(/z < 1/);
    expect(() => hypergeometric2F1(1, 1, -2, 0.5)).toThrow(/non-positive integer/);
  });
});

describe('digamma and gamma ratios', () => {
  it.each([
    [0.01, -100.560885457868672],
    [0.5, -1.96351002602142348],
    [1, -0.577215664901532861],
    [3.7, 1.16715353936151144],
    [123.4, 4.81137377511627742],
    [1e6, 13.8155100579641908],
  ])('ψ(%s) matches mpmath to 1e-13', (x, expected) => {
    expect(relativeError(digamma(x), expected)).toBeLessThan(1e-13);
  });

  it('logRising and digammaDifference agree with lnΓ and ψ differences', () => {
    for (const [r, x] of [
      [0.24, 7],
      [3.5, 250],
      [12.25, 0.5],
    ] as const) {
      expect(logRising(r, x)).toBeCloseTo(logGamma(r + x) - logGamma(r), 10);
      expect(digammaDifference(r, x)).toBeCloseTo(digamma(r + x) - digamma(r), 12);
    }
  });

  it('stays exact far out where lnΓ differences would cancel (r = 1e12)', () => {
    expect(relativeError(logRising(1e12, 3), Math.log(1e12) + Math.log(1e12 + 1) + Math.log(1e12 + 2))).toBeLessThan(1e-15);
    expect(relativeError(digammaDifference(1e12, 2), 1 / 1e12 + 1 / (1e12 + 1))).toBeLessThan(1e-15);
  });
});

describe('adaptive Gauss–Kronrod quadrature', () => {
  it('integrates smooth and sharply decaying functions to 1e-12', () => {
    expect(relativeError(integrateAdaptive(Math.sin, 0, Math.PI), 2)).toBeLessThan(1e-12);
    expect(relativeError(integrateAdaptive((x) => Math.exp(-200 * x), 0, 3), (1 - Math.exp(-600)) / 200)).toBeLessThan(1e-12);
    expect(relativeError(integrateAdaptive((x) => Math.pow(1 + x, -3.7), 0, 80), (1 - Math.pow(81, -2.7)) / 2.7)).toBeLessThan(1e-12);
  });
});
