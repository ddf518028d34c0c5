import { Rng } from './random.js';
import { driverWeights, type DriverWeights } from './relative-weights.js';
import { SatisfactionModel, SATISFACTION_SHIFTS, SHIFT_SHARES } from './satisfaction.js';

/** Draws of the planted model behind the observed-scale weights; its Monte Carlo error on a share is about 0.0003. */
export const OBSERVED_SCALE_DRAWS = 1_000_000;
const OBSERVED_SCALE_SEED = 20_261_123;

/**
 * The relative weights the planted model gives on the scales the survey
 * records: areas rated 1-5 and the recommendation 0-10, each rounded and
 * clamped. Rounding and clamping weaken every correlation, and unevenly (an
 * area whose ratings crowd at 1 loses more), so the weights of the latent
 * covariance (truth.json `drivers.planted.relativeWeights`) are not what any
 * estimator can recover from the answers; these are, in the population of
 * responses the model defines. Computed by drawing that population (a fixed
 * seed, so truth.json is reproducible): the answers are correlated through a
 * latent normal with customer shifts that are mixtures, for which no closed
 * form gives the correlations of rounded values.
 */
export function observedScaleWeights(draws = OBSERVED_SCALE_DRAWS): DriverWeights {
  const model = new SatisfactionModel();
  const rng = Rng.fromSeed(OBSERVED_SCALE_SEED);
  const s = SATISFACTION_SHIFTS;
  const p = SHIFT_SHARES;
  const k = 9;
  const sums = new Array<number>(k).fill(0);
  const products = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const row = new Array<number>(k).fill(0);
  for (let n = 0; n < draws; n += 1) {
    // A customer's shift as the planted shares make it (the survey draws it per customer; here per response).
    const u = rng.float();
    let shift = u < p.ideal ? s.ideal : u < p.ideal + p.misaligned ? s.misaligned : 0;
    if (rng.chance(p.selfService)) shift += s.selfService;
    if (rng.chance(p.overageProne)) shift += s.overageProne;
    shift += s.personalSd * rng.normal();
    const answers = model.draw(rng, shift);
    for (let i = 0; i < 8; i += 1) row[i] = answers.ratings[i] ?? 0;
    row[8] = answers.nps;
    for (let i = 0; i < k; i += 1) {
      const x = row[i] ?? 0;
      sums[i] = (sums[i] ?? 0) + x;
      const line = products[i] as number[];
      for (let j = i; j < k; j += 1) line[j] = (line[j] ?? 0) + x * (row[j] ?? 0);
    }
  }
  const mean = sums.map((v) => v / draws);
  const cov = (i: number, j: number): number => ((products[Math.min(i, j)]?.[Math.max(i, j)] ?? 0) - draws * (mean[i] ?? 0) * (mean[j] ?? 0)) / (draws - 1);
  const corr = (i: number, j: number): number => cov(i, j) / Math.sqrt(cov(i, i) * cov(j, j));
  const rxx = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : corr(i, j))));
  const rxy = Array.from({ length: 8 }, (_, i) => corr(i, 8));
  return driverWeights(rxx, rxy);
}
