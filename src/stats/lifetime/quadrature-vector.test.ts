import { describe, expect, it } from 'vitest';
import { integrateAdaptive } from './quadrature.js';
import { integrateAdaptiveVector } from './quadrature-vector.js';

describe('adaptive Gauss–Kronrod for a vector of integrands on shared nodes', () => {
  it('integrates e^−x, x·e^−x and a component that changes sign, each to 1e-12', () => {
    const [a = 0, b = 0, c = 0] = integrateAdaptiveVector(
      (x, out) => {
        out[0] = Math.exp(-x);
        out[1] = x * Math.exp(-x);
        out[2] = Math.cos(10 * x);
      },
      3,
      0,
      3,
    );
    expect(Math.abs(a - -Math.expm1(-3))).toBeLessThan(1e-14);
    expect(Math.abs(b - (1 - 4 * Math.exp(-3)))).toBeLessThan(1e-14);
    expect(Math.abs(c - Math.sin(30) / 10)).toBeLessThan(1e-12);
  });

  it('gives the scalar integrator’s value for a positive first component', () => {
    const f = (x: number): number => Math.exp(-40 * x) / (1 + x);
    const scalar = integrateAdaptive(f, 0, 5);
    const [vector = 0] = integrateAdaptiveVector((x, out) => {
      out[0] = f(x);
      out[1] = x * f(x);
    }, 2, 0, 5);
    expect(Math.abs(vector - scalar) / scalar).toBeLessThan(1e-12);
  });

  it('measures a cancelling component against ∫|f|, so it still converges (∫ sin over a period is 0)', () => {
    const [value = 1, zero = 1] = integrateAdaptiveVector((x, out) => {
      out[0] = 1;
      out[1] = Math.sin(x);
    }, 2, 0, 2 * Math.PI);
    expect(value).toBeCloseTo(2 * Math.PI, 13);
    expect(Math.abs(zero)).toBeLessThan(1e-12);
  });

  it('returns zeros on an empty interval and throws when a component is not finite', () => {
    expect([...integrateAdaptiveVector(() => undefined, 2, 1, 1)]).toEqual([0, 0]);
    expect(() => integrateAdaptiveVector((x, out) => {
      out[0] = 1;
      out[1] = Math.log(x - 0.3);
    }, 2, 0, 1)).toThrow(/Adaptive integration/);
  });
});
