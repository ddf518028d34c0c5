import { midranks, normalCdf, normalCritical, type Interval } from '../../stats/index.js';

/** One referrer with its own value and the values of the customers it brought. */
export interface ValueCluster {
  x: number;
  ys: readonly number[];
}

export interface ClusteredCorrelation {
  estimate: number;
  /** Standard error of r, clustered by referrer. */
  standardError: number;
  /** Interval on Fisher's z scale, back-transformed. */
  interval: Interval;
  pValue: number;
  pairs: number;
  clusters: number;
}

/**
 * Pearson's r over pairs (x of the referrer, y of a customer it brought),
 * where one referrer's pairs share its x and are not independent: the
 * standard error is the delta method's, clustered by referrer. Each pair's
 * influence on r is x̃ỹ − r(x̃² + ỹ²)/2 (x̃, ỹ standardised; for independent
 * bivariate normal pairs its variance is (1 − r²)², the textbook result); a
 * referrer's is the sum over its pairs, and Var(r) = G/(G − 1)·Σ_g u_g² / P².
 * The interval is built on atanh(r) with SE(r)/(1 − r²), as Fisher's.
 * `ranks`: Spearman's rho, the same on the pairs' midranks (ties share their mean rank).
 * Null under 5 pairs, 2 referrers, or a constant side.
 */
export function clusteredCorrelation(clusters: readonly ValueCluster[], options: { ranks?: boolean; level?: number } = {}): ClusteredCorrelation | null {
  const level = options.level ?? 0.95;
  const pairsX: number[] = [];
  const pairsY: number[] = [];
  const owner: number[] = [];
  clusters.forEach((c, g) => {
    for (const y of c.ys) {
      pairsX.push(c.x);
      pairsY.push(y);
      owner.push(g);
    }
  });
  const n = pairsX.length;
  const groups = clusters.filter((c) => c.ys.length > 0).length;
  if (n < 5 || groups < 2) return null;
  const xs = options.ranks === true ? midranks(pairsX) : pairsX;
  const ys = options.ranks === true ? midranks(pairsY) : pairsY;
  const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let p = 0; p < n; p += 1) {
    const dx = (xs[p] ?? 0) - mx;
    const dy = (ys[p] ?? 0) - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const sdx = Math.sqrt(sxx / n);
  const sdy = Math.sqrt(syy / n);
  const u = new Float64Array(clusters.length);
  for (let p = 0; p < n; p += 1) {
    const a = ((xs[p] ?? 0) - mx) / sdx;
    const b = ((ys[p] ?? 0) - my) / sdy;
    const g = owner[p] ?? 0;
    u[g] = (u[g] ?? 0) + a * b - (r / 2) * (a * a + b * b);
  }
  const squares = u.reduce((s, v) => s + v * v, 0);
  const standardError = Math.sqrt(((groups / (groups - 1)) * squares) / (n * n));
  const z = normalCritical(level);
  if (Math.abs(r) >= 1 || !(standardError > 0)) {
    return { estimate: r, standardError, interval: { lower: r, upper: r, level }, pValue: standardError > 0 || r === 0 ? 1 : 0, pairs: n, clusters: groups };
  }
  const seZ = standardError / (1 - r * r);
  const centre = Math.atanh(r);
  return {
    estimate: r,
    standardError,
    interval: { lower: Math.tanh(centre - z * seZ), upper: Math.tanh(centre + z * seZ), level },
    pValue: 2 * normalCdf(-Math.abs(centre / seZ)),
    pairs: n,
    clusters: groups,
  };
}
