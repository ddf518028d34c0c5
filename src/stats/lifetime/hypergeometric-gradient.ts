import { CxrayError } from '../../errors.js';
import { assertInput } from '../invalid-input.js';

/*
 * S = ₂F₁(1, b; c; z) = Σₖ tₖ, tₖ = (b)ₖ/(c)ₖ·zᵏ, with its partial
 * derivatives, summed in one loop for the Pareto/NBD gradient
 * (pareto-nbd-gradient.ts), where Euler's transformation leaves exactly this
 * series with c > b > 0 and 0 ≤ z < 1:
 *   ∂S/∂b = Σ tₖ·Aₖ,   Aₖ = Σ_{j<k} 1/(b+j)
 *   ∂S/∂c = −Σ tₖ·Cₖ,  Cₖ = Σ_{j<k} 1/(c+j)
 *   ∂S/∂z = Σ k·tₖ/z = Σ k·wₖ,  wₖ = (b)ₖ/(c)ₖ·z^(k−1)  (finite at z = 0: b/c)
 * With c > b every term ratio (b+k)/(c+k)·z is below z, so after term K
 *   Σ_{k>K} tₖ      ≤ t_K·z/(1−z)
 *   Σ_{k>K} tₖAₖ    ≤ t_K·[A_K·z/(1−z) + z/((1−z)²(b+K))]   (Aₖ grows by < 1/(b+K) a term)
 *   Σ_{k>K} tₖCₖ    ≤ the same with C_K and c (C ≤ A, c > b)
 *   Σ_{k>K} k·wₖ    ≤ w_K·[K·z/(1−z) + z/(1−z)²]
 * and the sum stops when every bound is below `tolerance` of its sum (or of
 * S, for a derivative near 0), the rule gaussHypergeometricSeries uses.
 */

const MAX_TERMS = 2_000_000;

export interface UnitSeriesWithGradient {
  value: number;
  dB: number;
  dC: number;
  dZ: number;
}

/** ₂F₁(1, b; c; z) and its partial derivatives in b, c and z, for c > b > 0 and 0 ≤ z < 1. */
export function unitHypergeometricWithGradient(b: number, c: number, z: number, tolerance = 1e-15): UnitSeriesWithGradient {
  assertInput(b > 0 && c > b, `₂F₁(1, b; c; z) is summed here for c > b > 0; got b = ${b}, c = ${c}.`);
  assertInput(z >= 0 && z < 1, `The Gauss series needs 0 ≤ z < 1; got z = ${z}.`);
  const geometric = z / (1 - z);
  const geometric2 = z / ((1 - z) * (1 - z));
  let value = 1;
  let dB = 0;
  let dC = 0;
  let dZ = 0;
  let w = 0;
  let A = 0;
  let C = 0;
  for (let k = 0; k < MAX_TERMS; k += 1) {
    // Term k+1 from term k.
    w = k === 0 ? b / c : w * ((b + k) / (c + k)) * z;
    A += 1 / (b + k);
    C += 1 / (c + k);
    const K = k + 1;
    const t = w * z;
    value += t;
    dB += t * A;
    dC -= t * C;
    dZ += K * w;
    if (w === 0) break;
    const valueTail = t * geometric;
    const bTail = t * (A * geometric + geometric2 / (b + K));
    const cTail = t * (C * geometric + geometric2 / (c + K));
    const zTail = w * (K * geometric + geometric2);
    if (valueTail <= tolerance * value && bTail <= tolerance * Math.max(value, dB) && cTail <= tolerance * Math.max(value, -dC) && zTail <= tolerance * Math.max(value, dZ)) {
      return { value, dB, dC, dZ };
    }
  }
  if (w === 0) return { value, dB, dC, dZ };
  throw new CxrayError('hypergeometric_not_converged', `₂F₁(1, ${b}; ${c}; ${z}) and its derivatives did not converge in ${MAX_TERMS} terms.`);
}
