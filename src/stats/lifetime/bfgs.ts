/*
 * A compact BFGS quasi-Newton minimizer with a strong-Wolfe line search
 * (Nocedal & Wright, Numerical Optimization, 2nd ed.: Alg. 6.1 for the update,
 * Alg. 3.5-3.6 for the line search, eq. 6.20 for the first scaling). Written
 * here because none of the installed packages minimizes with a user gradient
 * (ml-matrix is linear algebra only), and the lifetime models need exactly
 * this: a smooth likelihood in 2-4 log-parameters with an analytic gradient.
 */

export interface ValueAndGradient {
  value: number;
  gradient: number[];
}

export type Objective = (x: readonly number[]) => ValueAndGradient;

export interface BfgsOptions {
  /** Stop when the largest absolute gradient component falls below this. Default 1e-8. */
  gradientTolerance?: number;
  /** Default 500. */
  maxIterations?: number;
}

export type BfgsStopReason = 'gradient_small' | 'max_iterations' | 'line_search_failed';

export interface BfgsResult {
  x: number[];
  value: number;
  gradient: number[];
  /** Largest absolute gradient component at `x`. */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  stopReason: BfgsStopReason;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_STEPS = 40;

const dot = (u: readonly number[], v: readonly number[]): number => u.reduce((sum, ui, i) => sum + ui * (v[i] ?? 0), 0);
const maxAbs = (u: readonly number[]): number => u.reduce((m, ui) => Math.max(m, Math.abs(ui)), 0);
const identity = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

interface Trial extends ValueAndGradient {
  step: number;
  slope: number;
}

/** Minimum of the cubic through (a, fa, da) and (b, fb, db), kept inside the middle 80% of [a, b]; bisection if the cubic has none. */
function interpolate(a: Trial, b: Trial): number {
  const low = Math.min(a.step, b.step);
  const width = Math.abs(b.step - a.step);
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.step - b.step);
  const radicand = d1 * d1 - a.slope * b.slope;
  let candidate = Number.NaN;
  if (radicand >= 0 && Number.isFinite(b.value)) {
    const d2 = Math.sign(b.step - a.step) * Math.sqrt(radicand);
    candidate = b.step - (b.step - a.step) * ((b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2));
  }
  if (!Number.isFinite(candidate)) return low + width / 2;
  return Math.min(Math.max(candidate, low + 0.1 * width), low + 0.9 * width);
}

function lineSearch(objective: Objective, x: readonly number[], direction: readonly number[], start: Trial, firstStep: number, count: () => void): Trial | null {
  const at = (step: number): Trial => {
    count();
    const { value, gradient } = objective(x.map((xi, i) => xi + step * (direction[i] ?? 0)));
    return { step, value, gradient, slope: dot(gradient, direction) };
  };
  const sufficient = (t: Trial): boolean => Number.isFinite(t.value) && t.value <= start.value + C1 * t.step * start.slope;
  const curvature = (t: Trial): boolean => Math.abs(t.slope) <= -C2 * start.slope;

  const zoom = (lowIn: Trial, highIn: Trial): Trial | null => {
    let low = lowIn;
    let high = highIn;
    for (let i = 0; i < MAX_LINE_STEPS; i += 1) {
      const trial = at(interpolate(low, high));
      if (!sufficient(trial) || trial.value >= low.value) {
        high = trial;
      } else {
        if (curvature(trial)) return trial;
        if (trial.slope * (high.step - low.step) >= 0) high = low;
        low = trial;
      }
      if (Math.abs(high.step - low.step) < 1e-16 * Math.max(1, low.step)) break;
    }
    // Sufficient decrease without the curvature condition still makes progress.
    return low.step > 0 ? low : null;
  };

  let previous = start;
  let step = firstStep;
  for (let i = 0; i < MAX_LINE_STEPS; i += 1) {
    const trial = at(step);
    if (!Number.isFinite(trial.value) || trial.gradient.some((g) => !Number.isFinite(g))) {
      // Outside the region where the objective is defined: treat as too long a step.
      step = previous.step + (step - previous.step) / 4;
      continue;
    }
    if (!sufficient(trial) || (i > 0 && trial.value >= previous.value)) return zoom(previous, trial);
    if (curvature(trial)) return trial;
    if (trial.slope >= 0) return zoom(trial, previous);
    previous = trial;
    step *= 2;
  }
  return null;
}

/**
 * Minimizes a smooth function of a few variables, given its value and gradient.
 *
 * @example
 * const result = minimizeBfgs(([x = 0, y = 0]) => ({ value: (x - 1) ** 2 + 10 * (y + 2) ** 2, gradient: [2 * (x - 1), 20 * (y + 2)] }), [0, 0]);
 * result.x // ≈ [1, -2]
 */
export function minimizeBfgs(objective: Objective, start: readonly number[], options: BfgsOptions = {}): BfgsResult {
  const tolerance = options.gradientTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 500;
  const n = start.length;
  let evaluations = 1;
  const count = (): void => {
    evaluations += 1;
  };
  let x = [...start];
  let { value, gradient } = objective(x);
  if (!Number.isFinite(value)) throw new RangeError(`The objective is not finite at the starting point ${start.join(', ')}.`);
  let inverseHessian = identity(n);
  let fresh = true;
  let iterations = 0;
  let stopReason: BfgsStopReason = 'max_iterations';

  while (iterations < maxIterations) {
    if (maxAbs(gradient) <= tolerance) {
      stopReason = 'gradient_small';
      break;
    }
    let direction = inverseHessian.map((row) => -dot(row, gradient));
    if (dot(direction, gradient) >= 0) {
      inverseHessian = identity(n);
      fresh = true;
      direction = gradient.map((g) => -g);
    }
    const firstStep = fresh && iterations === 0 ? Math.min(1, 1 / maxAbs(gradient)) : 1;
    const accepted = lineSearch(objective, x, direction, { step: 0, value, gradient, slope: dot(gradient, direction) }, firstStep, count);
    if (accepted === null) {
      if (fresh) {
        stopReason = 'line_search_failed';
        break;
      }
      // A stale curvature model can point nowhere useful: restart from steepest descent once.
      inverseHessian = identity(n);
      fresh = true;
      continue;
    }
    iterations += 1;
    const s = direction.map((d) => accepted.step * d);
    const y = accepted.gradient.map((g, i) => g - (gradient[i] ?? 0));
    x = x.map((xi, i) => xi + (s[i] ?? 0));
    value = accepted.value;
    gradient = accepted.gradient;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) {
        const scale = sy / dot(y, y);
        inverseHessian = inverseHessian.map((row) => row.map((h) => h * scale));
        fresh = false;
      }
      const rho = 1 / sy;
      const hy = inverseHessian.map((row) => dot(row, y));
      const yhy = dot(y, hy);
      // H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, expanded for symmetric H.
      inverseHessian = inverseHessian.map((row, i) =>
        row.map((h, j) => h - rho * ((hy[i] ?? 0) * (s[j] ?? 0) + (s[i] ?? 0) * (hy[j] ?? 0)) + (rho * rho * yhy + rho) * (s[i] ?? 0) * (s[j] ?? 0)),
      );
    }
  }
  const gradientNorm = maxAbs(gradient);
  return { x, value, gradient, gradientNorm, iterations, evaluations, converged: gradientNorm <= tolerance, stopReason };
}
