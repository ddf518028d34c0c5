import { normalCdf, normalCritical, type Interval, type IntervalEstimate } from '../../stats/index.js';

/**
 * Sums over the referrers of one level of an attribute, as one GROUP BY row
 * gives them: each referrer r brings c_r(j) customers of referred level j.
 */
export interface ReferrerLevelSums {
  /** The referrers' own level. */
  level: string;
  referrers: number;
  /** Σ_r Σ_j c_r(j): pairs whose referrer has this level. */
  pairs: number;
  /** counts[j] = Σ_r c_r(j): the row of the mixing matrix. */
  counts: readonly number[];
  /** moments[j][k] = Σ_r c_r(j)·c_r(k): what the variance clustered by referrer needs. */
  moments: readonly (readonly number[])[];
}

/** A statistic linearised for its standard error, with its two-sided Wald test against `nullValue`. */
export interface LinearisedEstimate {
  estimate: number;
  standardError: number;
  interval: Interval;
  statistic: number;
  pValue: number;
}

/** Mixing of one attribute between referrers and the customers they brought. */
export interface Assortativity {
  pairs: number;
  referrers: number;
  /** Share of pairs whose referrer and referred customer share the value, with its interval. */
  sameShare: IntervalEstimate;
  /** The share expected by chance: Σ_v a_v·b_v (referrers' shares times referred customers' shares, over pairs). */
  chanceShare: number;
  /** sameShare − chanceShare, with its test (no homophily: 0). */
  difference: LinearisedEstimate;
  /** Newman's assortativity coefficient r = (Σ e_vv − Σ a_v b_v) / (1 − Σ a_v b_v). */
  coefficient: LinearisedEstimate;
}

/**
 * The estimate's interval from its variance at the observed mixing, and its
 * test from `nullVariance`: the variance under independence, which stays
 * positive when every pair is alike (where the observed one vanishes).
 */
function linearised(estimate: number, variance: number, nullVariance: number, level: number, clamp: [number, number]): LinearisedEstimate {
  const standardError = Math.sqrt(Math.max(0, variance));
  const half = normalCritical(level) * standardError;
  const nullError = Math.sqrt(Math.max(0, nullVariance));
  const statistic = nullError > 0 ? estimate / nullError : 0;
  return {
    estimate,
    standardError,
    interval: { lower: Math.max(clamp[0], estimate - half), upper: Math.min(clamp[1], estimate + half), level },
    statistic,
    pValue: nullError > 0 ? 2 * normalCdf(-Math.abs(statistic)) : 1,
  };
}

/**
 * Attribute assortativity from the mixing matrix e (pairs by referrer level ×
 * referred level, as shares): O = Σ_v e_vv, E = Σ_v a_v·b_v, and Newman's
 * r = (O − E) / (1 − E) (Newman 2003, "Mixing patterns in networks",
 * Phys. Rev. E 67:026126, eq. 2).
 *
 * Errors by the delta method, clustered by referrer: a referrer who brings
 * several customers contributes them together. Each pair (i, j) enters O with
 * influence 1[i = j] − O and E with b_i + a_j − 2E (the derivative of
 * Σ A_v B_v / P² for one more pair); a referrer's influence is the sum over
 * its pairs divided by P, and Var = G/(G − 1) · Σ_r u_r² over the G
 * referrers (a sandwich estimator; Newman suggests the jackknife, which
 * agrees with it to first order). The sum of squares needs, per referrer
 * level i, Σ_r c_r(j)·c_r(k): the `moments`.
 *
 * The test of O = E is a score test: the same clustered sum with each pair's
 * influence taken under independence (O = E), 1[i = j] − b_i − a_j + E, so
 * that it neither vanishes when every pair is alike nor shrinks with the
 * effect (the coefficient's test is the same test, scaled by 1 − E).
 *
 * Null when there are fewer than 2 referrers, or when every pair has one value (E = 1).
 */
export function assortativity(referredLevels: readonly string[], rows: readonly ReferrerLevelSums[], level = 0.95): Assortativity | null {
  const pairs = rows.reduce((s, r) => s + r.pairs, 0);
  const referrers = rows.reduce((s, r) => s + r.referrers, 0);
  if (pairs === 0 || referrers < 2) return null;
  const a = new Map<string, number>();
  for (const r of rows) a.set(r.level, (a.get(r.level) ?? 0) + r.pairs / pairs);
  const b = new Map<string, number>();
  referredLevels.forEach((v, j) => b.set(v, rows.reduce((s, r) => s + (r.counts[j] ?? 0), 0) / pairs));
  const same = rows.reduce((s, r) => {
    const j = referredLevels.indexOf(r.level);
    return s + (j < 0 ? 0 : (r.counts[j] ?? 0));
  }, 0);
  const observed = same / pairs;
  const chance = [...a.entries()].reduce((s, [v, share]) => s + share * (b.get(v) ?? 0), 0);
  if (!(chance < 1 - 1e-12)) return null;

  // Σ_r u_r² for a statistic whose per-pair influence is z(i, j), times P².
  const clusteredSquares = (z: (row: ReferrerLevelSums, j: number) => number): number => {
    let total = 0;
    for (const row of rows) {
      const zs = referredLevels.map((_, j) => z(row, j));
      for (let j = 0; j < zs.length; j += 1) {
        for (let k = 0; k < zs.length; k += 1) total += (zs[j] ?? 0) * (zs[k] ?? 0) * (row.moments[j]?.[k] ?? 0);
      }
    }
    return total;
  };
  const small = referrers / (referrers - 1);
  const variance = (z: (row: ReferrerLevelSums, j: number) => number): number => (small * clusteredSquares(z)) / (pairs * pairs);
  const isSame = (row: ReferrerLevelSums, j: number): number => (referredLevels[j] === row.level ? 1 : 0);
  const zObserved = (row: ReferrerLevelSums, j: number): number => isSame(row, j) - observed;
  const zChance = (row: ReferrerLevelSums, j: number): number => (b.get(row.level) ?? 0) + (a.get(referredLevels[j] ?? '') ?? 0) - 2 * chance;
  const zDifference = (row: ReferrerLevelSums, j: number): number => zObserved(row, j) - zChance(row, j);
  const oneMinus = 1 - chance;
  const zCoefficient = (row: ReferrerLevelSums, j: number): number => zObserved(row, j) / oneMinus - (zChance(row, j) * (1 - observed)) / (oneMinus * oneMinus);

  const zNull = (row: ReferrerLevelSums, j: number): number => isSame(row, j) - (b.get(row.level) ?? 0) - (a.get(referredLevels[j] ?? '') ?? 0) + chance;
  const nullVariance = variance(zNull);
  const sameVariance = variance(zObserved);
  const sameSe = Math.sqrt(Math.max(0, sameVariance));
  const z = normalCritical(level);
  return {
    pairs,
    referrers,
    sameShare: {
      estimate: observed,
      standardError: sameSe,
      interval: { lower: Math.max(0, observed - z * sameSe), upper: Math.min(1, observed + z * sameSe), level },
      n: pairs,
    },
    chanceShare: chance,
    difference: linearised(observed - chance, variance(zDifference), nullVariance, level, [-1, 1]),
    coefficient: linearised((observed - chance) / oneMinus, variance(zCoefficient), nullVariance / (oneMinus * oneMinus), level, [-1, 1]),
  };
}
