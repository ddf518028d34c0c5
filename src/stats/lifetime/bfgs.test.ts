import { describe, expect, it } from 'vitest';
import { minimizeBfgs } from './bfgs.js';

describe('BFGS with a strong-Wolfe line search', () => {
  it('finds the Rosenbrock minimum (1, 1) from the classic start (−1.2, 1)', () => {
    const result = minimizeBfgs(
      ([x = 0, y = 0]) => ({
        value: 100 * (y - x * x) ** 2 + (1 - x) ** 2,
        gradient: [-400 * x * (y - x * x) - 2 * (1 - x), 200 * (y - x * x)],
      }),
      [-1.2, 1],
      { gradientTolerance: 1e-10 },
    );
    expect(result.converged).toBe(true);
    expect(result.stopReason).toBe('gradient_small');
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(1, 8);
    // The textbook count for BFGS here is a few dozen iterations, not hundreds.
    expect(result.iterations).toBeLessThan(60);
  });

  it('solves an ill-conditioned 4-D quadratic (condition number 10⁴) in a handful of iterations', () => {
    const scales = [1, 10, 100, 10_000];
    const centre = [3, -1, 0.5, 2];
    const result = minimizeBfgs(
      (x) => ({
        value: x.reduce((sum, xi, i) => sum + 0.5 * (scales[i] ?? 0) * (xi - (centre[i] ?? 0)) ** 2, 0),
        gradient: x.map((xi, i) => (scales[i] ?? 0) * (xi - (centre[i] ?? 0))),
      }),
      [0, 0, 0, 0],
      { gradientTolerance: 1e-10 },
    );
    expect(result.converged).toBe(true);
    result.x.forEach((xi, i) => expect(xi).toBeCloseTo(centre[i] ?? 0, 9));
    expect(result.iterations).toBeLessThan(30);
  });

  it('backs off from steps into the region where the objective is undefined', () => {
    // 5x² − ln x has its minimum at 1/√10 and is undefined for x ≤ 0; the first unit step from 0.9 lands at −0.1.
    let undefinedTrials = 0;
    const result = minimizeBfgs(([x = 0]) => {
      const value = 5 * x * x - Math.log(x);
      if (!Number.isFinite(value)) undefinedTrials += 1;
      return { value, gradient: [10 * x - 1 / x] };
    }, [0.9]);
    expect(undefinedTrials).toBeGreaterThan(0);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1 / Math.sqrt(10), 7);
  });

  it('reports a run cut short by the iteration limit as not converged', () => {
    const result = minimizeBfgs(
      ([x = 0, y = 0]) => ({ value: 100 * (y - x * x) ** 2 + (1 - x) ** 2, gradient: [-400 * x * (y - x * x) - 2 * (1 - x), 200 * (y - x * x)] }),
      [-1.2, 1],
      { maxIterations: 3 },
    );
    expect(result.converged).toBe(false);
    expect(result.stopReason).toBe('max_iterations');
    expect(result.iterations).toBe(3);
  });
});
