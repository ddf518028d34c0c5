import { describe, expect, it } from 'vitest';
import { gaussHypergeometricSeries } from './hypergeometric.js';
import { unitHypergeometricWithGradient } from './hypergeometric-gradient.js';

const CASES: [number, number, number][] = [
  [0.6, 2.2, 0.1],
  [2.5, 3.7, 0.5],
  [1.6, 25.3, 0.95],
  [30, 31.2, 0.9],
  [1e-3, 2, 0.3],
  [1e6, 1e6 + 2.5, 0.7],
];

/** Five-point central difference of ₂F₁(1, b; c; z) in one argument. */
function numeric(which: 0 | 1 | 2, args: [number, number, number]): number {
  const [b, c, z] = args;
  const h = 1e-3 * (which === 2 ? Math.min(z, 1 - z) : Math.min(args[which], c - b));
  const f = (d: number): number => {
    const moved: [number, number, number] = [...args];
    moved[which] += d;
    return gaussHypergeometricSeries(1, moved[0], moved[1], moved[2]);
  };
  return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
}

describe('₂F₁(1, b; c; z) with its derivatives in b, c and z', () => {
  it.each(CASES)('b = %s, c = %s, z = %s: the series value and central differences (1e-8)', (b, c, z) => {
    const { value, dB, dC, dZ } = unitHypergeometricWithGradient(b, c, z);
    expect(Math.abs(value - gaussHypergeometricSeries(1, b, c, z)) / value).toBeLessThan(1e-14);
    [dB, dC, dZ].forEach((d, which) => {
      const n = numeric(which as 0 | 1 | 2, [b, c, z]);
      expect(Math.abs(d - n)).toBeLessThan(1e-8 * Math.max(value, Math.abs(n)));
    });
  });

  it('has the closed forms at z = 0 (S = 1, ∂S/∂z = b/c) and for b = 1, c = 2 (−ln(1−z)/z)', () => {
    const atZero = unitHypergeometricWithGradient(2, 5, 0);
    expect([atZero.value, Math.abs(atZero.dB), Math.abs(atZero.dC), atZero.dZ]).toEqual([1, 0, 0, 0.4]);
    const z = 0.6;
    const { value, dZ } = unitHypergeometricWithGradient(1, 2, z);
    expect(value).toBeCloseTo(-Math.log1p(-z) / z, 14);
    expect(dZ).toBeCloseTo(1 / (z * (1 - z)) + Math.log1p(-z) / (z * z), 13);
  });

  it('refuses c ≤ b, where the tail bound does not hold', () => {
    expect(() => unitHypergeometricWithGradient(3, 2, 0.5)).toThrow(/c > b > 0/);
  });
});
