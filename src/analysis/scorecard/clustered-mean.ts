import { tCritical, tTwoSidedPValue, type Interval } from '../../stats/index.js';
import type { BlockSums } from '../block-bootstrap.js';

/**
 * The names of one measure's sums in a block's sums: observations `m`, the
 * sum of their values `y`, and for a trend the sums of the day index `t`,
 * of t² and of t·y (each over the observations of the measure only).
 */
export interface MeasureNames {
  m: string;
  y: string;
  t?: string;
  tt?: string;
  ty?: string;
}

/**
 * A mean over observations clustered in blocks of customers, with the
 * linearisation (Taylor) variance of a ratio of totals, blocks as the
 * independent units: each block's influence on the mean is
 * z_b = (y_b − R·m_b) / M, and Var(R) = G/(G − 1)·Σ z_b² over the G blocks
 * that hold observations (Cochran 1977, Sampling Techniques, §6.3; Wolter
 * 2007, Introduction to Variance Estimation, ch. 6). Several answers of one
 * customer fall in one block (blockKeySql), so their correlation widens the
 * interval as it should instead of being counted as independent evidence.
 */
export interface ClusteredMean {
  estimate: number;
  standardError: number;
  /** Student t interval on G − 1 degrees of freedom. */
  interval: Interval;
  /** Observations (M). */
  n: number;
  /** Blocks holding observations (G). */
  clusters: number;
  /** Each block's influence z_b on the estimate, by block number. */
  influence: Map<number, number>;
}

/** A straight-line trend of the observations' values on their day index, with a cluster-robust interval. */
export interface ClusteredSlope {
  /** Change of the mean value per day. */
  perDay: number;
  standardError: number;
  interval: Interval;
  pValue: number;
  /** Observations. */
  n: number;
  clusters: number;
}

const sumOf = (b: BlockSums, name: string | undefined): number => (name === undefined ? 0 : (b.sums[name] ?? 0));

/** Var = G/(G − 1)·Σ z² and the t interval on G − 1 degrees of freedom around `estimate`. */
function fromInfluence(estimate: number, influence: Map<number, number>, level: number): { standardError: number; interval: Interval } {
  const g = influence.size;
  let squares = 0;
  for (const z of influence.values()) squares += z * z;
  const standardError = Math.sqrt((g / (g - 1)) * squares);
  const half = tCritical(level, g - 1) * standardError;
  return { standardError, interval: { lower: estimate - half, upper: estimate + half, level } };
}

/** The clustered mean of one measure; null with fewer than 2 blocks holding observations. */
export function clusteredMean(blocks: readonly BlockSums[], names: MeasureNames, level = 0.95): ClusteredMean | null {
  let total = 0;
  let count = 0;
  for (const b of blocks) {
    total += sumOf(b, names.y);
    count += sumOf(b, names.m);
  }
  if (!(count > 0)) return null;
  const estimate = total / count;
  const influence = new Map<number, number>();
  for (const b of blocks) {
    const m = sumOf(b, names.m);
    if (m > 0) influence.set(b.block, (sumOf(b, names.y) - estimate * m) / count);
  }
  if (influence.size < 2) return null;
  return { estimate, ...fromInfluence(estimate, influence, level), n: count, clusters: influence.size, influence };
}

/**
 * A weighted combination Σ w_k·R_k of clustered means (the overall score:
 * each area's mean with weight 1/K), its influence per block the same
 * combination of theirs, so the correlation between the parts (one
 * customer rates several areas) is in its variance. Null with fewer than 2
 * blocks or no part.
 */
export function combinedMean(parts: readonly { mean: ClusteredMean; weight: number }[], level = 0.95): ClusteredMean | null {
  if (parts.length === 0) return null;
  const estimate = parts.reduce((s, p) => s + p.weight * p.mean.estimate, 0);
  const influence = new Map<number, number>();
  for (const p of parts) for (const [block, z] of p.mean.influence) influence.set(block, (influence.get(block) ?? 0) + p.weight * z);
  if (influence.size < 2) return null;
  return { estimate, ...fromInfluence(estimate, influence, level), n: parts.reduce((s, p) => s + p.mean.n, 0), clusters: influence.size, influence };
}

/**
 * The least-squares slope of the values on the day index, b = S_ty / S_tt
 * (centred sums over the observations), with the cluster-robust (sandwich)
 * variance: block influence u_b = Σ_{i∈b} (t_i − t̄)(y_i − ȳ − b(t_i − t̄)) / S_tt,
 * Var(b) = G/(G − 1)·Σ u_b² (Liang & Zeger 1986), expanded into the block's
 * sums (m, Σt, Σy, Σt², Σty) so no row leaves the engine. Null without a
 * spread of days or with fewer than 3 blocks.
 */
export function clusteredSlope(blocks: readonly BlockSums[], names: MeasureNames, level = 0.95): ClusteredSlope | null {
  if (names.t === undefined || names.tt === undefined || names.ty === undefined) return null;
  let m = 0;
  let y = 0;
  let t = 0;
  let tt = 0;
  let ty = 0;
  for (const b of blocks) {
    m += sumOf(b, names.m);
    y += sumOf(b, names.y);
    t += sumOf(b, names.t);
    tt += sumOf(b, names.tt);
    ty += sumOf(b, names.ty);
  }
  if (!(m > 0)) return null;
  const tBar = t / m;
  const yBar = y / m;
  const stt = tt - t * tBar;
  if (!(stt > 1e-9 * Math.max(1, tt))) return null;
  const perDay = (ty - t * yBar) / stt;
  const influence: number[] = [];
  for (const b of blocks) {
    const mb = sumOf(b, names.m);
    if (!(mb > 0)) continue;
    const yb = sumOf(b, names.y);
    const tb = sumOf(b, names.t);
    const centredTy = sumOf(b, names.ty) - tBar * yb - yBar * tb + mb * tBar * yBar;
    const centredTt = sumOf(b, names.tt) - 2 * tBar * tb + mb * tBar * tBar;
    influence.push((centredTy - perDay * centredTt) / stt);
  }
  const g = influence.length;
  if (g < 3) return null;
  const standardError = Math.sqrt((g / (g - 1)) * influence.reduce((s, u) => s + u * u, 0));
  const half = tCritical(level, g - 1) * standardError;
  const pValue = standardError > 0 ? tTwoSidedPValue(perDay / standardError, g - 1) : perDay === 0 ? 1 : 0;
  return { perDay, standardError, interval: { lower: perDay - half, upper: perDay + half, level }, pValue, n: m, clusters: g };
}
