import { CxrayError } from '../../errors.js';
import { GAUSS_WEIGHTS, KRONROD_NODES, KRONROD_WEIGHTS } from './quadrature.js';

/*
 * integrateAdaptive (quadrature.ts) for a vector of integrands that share
 * their nodes: an integral and its derivatives in the parameters, where each
 * derivative integrand is the integrand times a smooth factor. One call of
 * `f` fills every component at a node, so the derivatives cost the factors,
 * not further passes.
 *
 * Components may change sign (a derivative integrand usually does), so each
 * component's error is measured against ∫|fⱼ|, not |∫fⱼ|: a derivative that
 * cancels to almost nothing is still found to the same absolute accuracy as
 * the sizes it cancels from. For a positive first component this is exactly
 * integrateAdaptive's test.
 */

/** Fills `out` with the integrands' values at `x`. */
export type VectorIntegrand = (x: number, out: Float64Array) => void;

interface VectorPanel {
  lower: number;
  upper: number;
  estimate: Float64Array;
  error: Float64Array;
  /** Kronrod estimate of ∫|fⱼ| over the panel. */
  scale: Float64Array;
}

function vectorPanel(f: VectorIntegrand, dimension: number, lower: number, upper: number, left: Float64Array, right: Float64Array): VectorPanel {
  const centre = (lower + upper) / 2;
  const half = (upper - lower) / 2;
  const estimate = new Float64Array(dimension);
  const gauss = new Float64Array(dimension);
  const scale = new Float64Array(dimension);
  f(centre, left);
  const kc = KRONROD_WEIGHTS[7] ?? 0;
  const gc = GAUSS_WEIGHTS[3] ?? 0;
  for (let j = 0; j < dimension; j += 1) {
    const v = left[j] ?? 0;
    estimate[j] = kc * v;
    gauss[j] = gc * v;
    scale[j] = kc * Math.abs(v);
  }
  for (let i = 0; i < 7; i += 1) {
    const dx = half * (KRONROD_NODES[i] ?? 0);
    f(centre - dx, left);
    f(centre + dx, right);
    const kw = KRONROD_WEIGHTS[i] ?? 0;
    const gw = i % 2 === 1 ? (GAUSS_WEIGHTS[(i - 1) / 2] ?? 0) : 0;
    for (let j = 0; j < dimension; j += 1) {
      const a = left[j] ?? 0;
      const b = right[j] ?? 0;
      estimate[j] = (estimate[j] ?? 0) + kw * (a + b);
      gauss[j] = (gauss[j] ?? 0) + gw * (a + b);
      scale[j] = (scale[j] ?? 0) + kw * (Math.abs(a) + Math.abs(b));
    }
  }
  const error = new Float64Array(dimension);
  for (let j = 0; j < dimension; j += 1) {
    error[j] = Math.abs(((estimate[j] ?? 0) - (gauss[j] ?? 0)) * half);
    estimate[j] = (estimate[j] ?? 0) * half;
    scale[j] = (scale[j] ?? 0) * half;
  }
  return { lower, upper, estimate, error, scale };
}

/**
 * ∫ fⱼ over [lower, upper] for every component j, bisecting the panel with
 * the largest relative error until each component's error is at most
 * `relativeTolerance` times its ∫|fⱼ|.
 *
 * @example integrateAdaptiveVector((x, out) => { out[0] = Math.exp(-x); out[1] = x * Math.exp(-x); }, 2, 0, 1) // [1 − e⁻¹, 1 − 2e⁻¹]
 */
export function integrateAdaptiveVector(f: VectorIntegrand, dimension: number, lower: number, upper: number, relativeTolerance = 1e-12, maxPanels = 2000): Float64Array {
  const total = new Float64Array(dimension);
  if (lower === upper) return total;
  const left = new Float64Array(dimension);
  const right = new Float64Array(dimension);
  const panels = [vectorPanel(f, dimension, lower, upper, left, right)];
  const error = new Float64Array(dimension);
  const scale = new Float64Array(dimension);
  for (;;) {
    total.fill(0);
    error.fill(0);
    scale.fill(0);
    for (const p of panels) {
      for (let j = 0; j < dimension; j += 1) {
        total[j] = (total[j] ?? 0) + (p.estimate[j] ?? 0);
        error[j] = (error[j] ?? 0) + (p.error[j] ?? 0);
        scale[j] = (scale[j] ?? 0) + (p.scale[j] ?? 0);
      }
    }
    let done = true;
    let finite = true;
    for (let j = 0; j < dimension; j += 1) {
      const e = error[j] ?? 0;
      if (e > relativeTolerance * (scale[j] ?? 0) && e !== 0) done = false;
      if (!Number.isFinite(total[j] ?? 0)) finite = false;
    }
    if (done && finite) return total;
    if (!finite || panels.length >= maxPanels) {
      throw new CxrayError('quadrature_not_converged', `Adaptive integration over [${lower}, ${upper}] stopped at errors ${[...error].join(', ')} for totals ${[...total].join(', ')}.`);
    }
    // Bisect the panel contributing most to the component furthest from its target.
    let worst = 0;
    let worstShare = -1;
    for (let i = 0; i < panels.length; i += 1) {
      const p = panels[i] as VectorPanel;
      for (let j = 0; j < dimension; j += 1) {
        const share = (p.error[j] ?? 0) / ((scale[j] ?? 0) || 1);
        if (share > worstShare) {
          worstShare = share;
          worst = i;
        }
      }
    }
    const split = panels[worst] as VectorPanel;
    const middle = (split.lower + split.upper) / 2;
    panels.splice(worst, 1, vectorPanel(f, dimension, split.lower, middle, left, right), vectorPanel(f, dimension, middle, split.upper, left, right));
  }
}
