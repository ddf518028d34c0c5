import { assertInput } from './invalid-input.js';

const TWO_POW_53 = 2 ** 53;
const UINT64_MAX = (1n << 64n) - 1n;

// T_k = ⌊F(k)·2⁵³⌋·2¹¹ with F the Poisson(1) CDF, for every k until F(k) rounds to 1.
function buildThresholds(): bigint[] {
  const thresholds: bigint[] = [];
  let term = Math.exp(-1);
  let cdf = term;
  for (let k = 0; ; k += 1) {
    const scaled = Math.floor(cdf * TWO_POW_53);
    if (scaled >= TWO_POW_53) break;
    thresholds.push(BigInt(scaled) << 11n);
    term /= k + 1;
    cdf += term;
  }
  return thresholds;
}

const THRESHOLDS: readonly bigint[] = Object.freeze(buildThresholds());

/**
 * The unsigned 64-bit thresholds that turn a uniform hash into a Poisson(1)
 * count: the draw is the number of thresholds ≤ the hash (what
 * poissonWeightFromHash returns).
 */
export function poissonOneThresholds(): readonly bigint[] {
  return THRESHOLDS;
}

/**
 * A Poisson(1) draw from a uniform 64-bit hash, by inversion of the CDF
 * (Devroye 1986, Non-Uniform Random Variate Generation, §X.3): with
 * u = hash/2⁶⁴, return the smallest k with u < F(k). Poisson(1) weights per
 * row give the "Poisson bootstrap" (Hanley & MacGibbon 2006; Chamandy et al.
 * 2012, "Estimating uncertainty for massive data streams"), which needs no
 * resampling: each replicate is one weighted sum (analysis/block-bootstrap.ts
 * draws one per bootstrap block). The draw is exact to the 53 bits of the CDF; u beyond
 * the last threshold (probability < 2⁻⁵³) gets the largest k.
 */
export function poissonWeightFromHash(hash: bigint): number {
  assertInput(hash >= 0n && hash <= UINT64_MAX, `A hash must be an unsigned 64-bit integer; got ${hash}.`);
  let low = 0;
  let high = THRESHOLDS.length;
  // Binary search for the first threshold above the hash.
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((THRESHOLDS[middle] ?? 0n) <= hash) low = middle + 1;
    else high = middle;
  }
  return low;
}
