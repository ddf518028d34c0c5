import type { SeededRandom } from '../seeded-random.case.js';
import type { PurchaseHistory } from './types.js';

/*
 * Simulated purchase histories with planted parameters, for the tests.
 * BG/NBD's story (Fader, Hardie & Lee 2005, assumptions i-v): the first
 * purchase is at time 0; while alive, purchases arrive at Poisson rate λ; after
 * each repeat purchase the customer leaves for good with probability p.
 */

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), with the U^(1/shape) boost for shape < 1. */
export function drawGamma(random: SeededRandom, shape: number, rate: number): number {
  if (shape < 1) return drawGamma(random, shape + 1, rate) * Math.pow(1 - random.uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = random.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - random.uniform()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function drawBeta(random: SeededRandom, a: number, b: number): number {
  const x = drawGamma(random, a, 1);
  return x / (x + drawGamma(random, b, 1));
}

export interface SimulatedCustomer extends PurchaseHistory {
  holdoutPurchases: number;
  holdoutLength: number;
}

export interface SimulationPlan {
  customers: number;
  /** Each customer's purchase rate while alive. */
  rate: (random: SeededRandom) => number;
  /** Each customer's dropout probability after a repeat purchase (0 for none). */
  dropout: (random: SeededRandom) => number;
  /** Each customer's calibration age T. */
  age: (random: SeededRandom) => number;
  holdoutLength: number;
}

export function simulatePurchases(random: SeededRandom, plan: SimulationPlan): SimulatedCustomer[] {
  return Array.from({ length: plan.customers }, () => {
    const rate = plan.rate(random);
    const p = plan.dropout(random);
    const T = plan.age(random);
    const end = T + plan.holdoutLength;
    let x = 0;
    let tx = 0;
    let holdoutPurchases = 0;
    let t = 0;
    for (;;) {
      t += -Math.log(1 - random.uniform()) / rate;
      if (t > end) break;
      if (t <= T) {
        x += 1;
        tx = t;
      } else {
        holdoutPurchases += 1;
      }
      if (random.uniform() < p) break;
    }
    return { x, tx, T, holdoutPurchases, holdoutLength: plan.holdoutLength };
  });
}
