import type { SeededRandom } from '../seeded-random.case.js';
import type { ParetoNbdParams } from './pareto-nbd-likelihood.js';
import { drawGamma } from './purchase-simulation.case.js';
import type { PurchaseHistory } from './types.js';

/*
 * Simulated Pareto/NBD histories with planted parameters, for the tests
 * (Schmittlein, Morrison & Colombo 1987): purchase rate λ ~ Gamma(r, α),
 * dropout rate μ ~ Gamma(s, β), an exponential lifetime of rate μ, Poisson
 * purchases while alive, the first purchase at 0 and the age T uniform on
 * [minAge, maxAge]. Times are rounded to `grain` as exports round them to a
 * day, so that histories repeat and compress.
 */
export interface ParetoNbdSimulation {
  customers: number;
  params: ParetoNbdParams;
  minAge: number;
  maxAge: number;
  grain: number;
}

export function simulateParetoNbd(random: SeededRandom, plan: ParetoNbdSimulation): PurchaseHistory[] {
  const round = (t: number): number => Math.round(t / plan.grain) * plan.grain;
  return Array.from({ length: plan.customers }, () => {
    const rate = drawGamma(random, plan.params.r, plan.params.alpha);
    const dropout = drawGamma(random, plan.params.s, plan.params.beta);
    const T = round(plan.minAge + (plan.maxAge - plan.minAge) * random.uniform());
    const end = Math.min(T, -Math.log(1 - random.uniform()) / dropout);
    let x = 0;
    let tx = 0;
    for (let t = -Math.log(1 - random.uniform()) / rate; t <= end; t += -Math.log(1 - random.uniform()) / rate) {
      x += 1;
      tx = t;
    }
    return { x, tx: Math.min(round(tx), T), T };
  });
}
