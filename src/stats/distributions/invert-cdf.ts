import { CxrayError } from '../../errors.js';

/** A monotone tail probability to invert, with its density and support. */
export interface TailInversion {
  /** Target probability of `tail`. */
  target: number;
  /** The tail evaluated at x: the CDF when `increasing`, else the survival function. */
  tail: (x: number) => number;
  increasing: boolean;
  density: (x: number) => number;
  supportLower: number;
  supportUpper: number;
  initial: number;
}

const RELATIVE_TOLERANCE = 4e-16;
const MAX_ITERATIONS = 400;

/**
 * Solves tail(x) = target by Newton's method kept inside a bracket that always
 * holds the root, falling back to bisection when a step leaves it (the
 * standard safeguarded Newton, e.g. Numerical Recipes 3rd ed. §9.4 rtsafe).
 * Callers invert the tail that holds the smaller probability, so the answer
 * keeps its relative accuracy far into the tails.
 */
export function invertTail(spec: TailInversion): number {
  const { target, tail, increasing, density, supportLower, supportUpper } = spec;
  // g is increasing in x whichever tail is inverted; its derivative is the density.
  const g = (x: number): number => (increasing ? tail(x) - target : target - tail(x));
  let x = Math.min(Math.max(spec.initial, supportLower), supportUpper);
  let gx = g(x);
  if (gx === 0) return x;
  let lower = supportLower;
  let upper = supportUpper;
  if (gx < 0) {
    lower = x;
    let step = Math.max(1, Math.abs(x));
    for (;;) {
      const candidate = x + step;
      if (candidate >= supportUpper || !Number.isFinite(candidate)) break;
      if (g(candidate) >= 0) {
        upper = candidate;
        break;
      }
      lower = candidate;
      step *= 2;
    }
  } else {
    upper = x;
    let step = Math.max(1, Math.abs(x));
    for (;;) {
      // On a support bounded below by 0, halve toward it instead of stepping past it.
      const candidate = supportLower === 0 ? upper / 2 : x - step;
      if (candidate <= supportLower || !Number.isFinite(candidate) || candidate === 0) break;
      if (g(candidate) <= 0) {
        lower = candidate;
        break;
      }
      upper = candidate;
      step *= 2;
    }
  }
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) lower = x;
    else upper = x;
    let next = x - gx / density(x);
    if (!(next > lower && next < upper)) next = Number.isFinite(lower) && Number.isFinite(upper) ? lower + (upper - lower) / 2 : x;
    if (Math.abs(next - x) <= RELATIVE_TOLERANCE * Math.abs(next) || upper - lower <= RELATIVE_TOLERANCE * Math.max(Math.abs(lower), Math.abs(upper))) {
      return next;
    }
    x = next;
  }
  throw new CxrayError('stats_no_convergence', `Quantile search did not converge for probability ${target}.`);
}
