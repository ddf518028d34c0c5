import { CxrayError } from '../../errors.js';

/*
 * Adaptive Gauss–Kronrod (7/15 points) integration of a smooth function on a
 * finite interval. Pareto/NBD's dropout integral needs it where ₂F₁'s argument
 * approaches 1 and the series would need millions of terms (hypergeometric.ts).
 * Nodes and weights: Piessens et al., QUADPACK (1983), qk15.
 */
export const KRONROD_NODES = [0.991455371120812639, 0.949107912342758525, 0.864864423359769073, 0.741531185599394440, 0.586087235467691130, 0.405845151377397167, 0.207784955007898468, 0];
export const KRONROD_WEIGHTS = [0.022935322010529225, 0.063092092629978553, 0.104790010322250184, 0.140653259715525919, 0.169004726639267903, 0.190350578064785410, 0.204432940075298892, 0.209482141084727828];
// Gauss weights belong to the odd-indexed Kronrod nodes (±0.9491, ±0.7415, ±0.4058, 0).
export const GAUSS_WEIGHTS = [0.129484966168869693, 0.279705391489276668, 0.381830050505118945, 0.417959183673469388];

interface Panel {
  lower: number;
  upper: number;
  estimate: number;
  error: number;
}

function panel(f: (x: number) => number, lower: number, upper: number): Panel {
  const centre = (lower + upper) / 2;
  const half = (upper - lower) / 2;
  const fc = f(centre);
  let kronrod = fc * (KRONROD_WEIGHTS[7] ?? 0);
  let gauss = fc * (GAUSS_WEIGHTS[3] ?? 0);
  for (let i = 0; i < 7; i += 1) {
    const dx = half * (KRONROD_NODES[i] ?? 0);
    const pair = f(centre - dx) + f(centre + dx);
    kronrod += (KRONROD_WEIGHTS[i] ?? 0) * pair;
    if (i % 2 === 1) gauss += (GAUSS_WEIGHTS[(i - 1) / 2] ?? 0) * pair;
  }
  return { lower, upper, estimate: kronrod * half, error: Math.abs((kronrod - gauss) * half) };
}

/** ∫ f over [lower, upper] to `relativeTolerance`, bisecting the worst panel until the error estimate is small enough. */
export function integrateAdaptive(f: (x: number) => number, lower: number, upper: number, relativeTolerance = 1e-12, maxPanels = 2000): number {
  if (lower === upper) return 0;
  const panels = [panel(f, lower, upper)];
  for (;;) {
    let total = 0;
    let error = 0;
    let worst = 0;
    for (let i = 0; i < panels.length; i += 1) {
      const p = panels[i] as Panel;
      total += p.estimate;
      error += p.error;
      if (p.error > (panels[worst] as Panel).error) worst = i;
    }
    if (error <= relativeTolerance * Math.abs(total) || error === 0) return total;
    if (!Number.isFinite(total) || panels.length >= maxPanels) {
      throw new CxrayError('quadrature_not_converged', `Adaptive integration over [${lower}, ${upper}] stopped at error ${error} for a total of ${total}.`);
    }
    const split = panels[worst] as Panel;
    const middle = (split.lower + split.upper) / 2;
    panels.splice(worst, 1, panel(f, split.lower, middle), panel(f, middle, split.upper));
  }
}
