import { normalCdf, normalCritical } from '../../stats/index.js';
import type { Interval } from '../result.js';

/**
 * Sums over one group's customers of their per-period totals, and of the
 * totals' cross-products: for each customer c and period p, a weight n_cp
 * (answers, months at risk, 1 for present) and an outcome sum y_cp (net
 * scores, churn events, money, 0/1 adoption). A group's mean in a period is
 * Σy/Σn. These are all a cluster-robust contrast of means needs: see
 * clusteredContrast.
 */
export interface PeriodMoments {
  /** Σ_c n_cp, per period. */
  n: number[];
  /** Σ_c y_cp, per period. */
  y: number[];
  /** Σ_c n_cp·n_cq. */
  nn: number[][];
  /** Σ_c n_cp·y_cq (row p, column q). */
  ny: number[][];
  /** Σ_c y_cp·y_cq. */
  yy: number[][];
}

/**
 * Moments of new periods, each a sum of the old ones (`rows[a][k]` = 1 when
 * old period k belongs to new period a): the before window is its two halves.
 */
export function combinePeriods(m: PeriodMoments, rows: readonly (readonly number[])[]): PeriodMoments {
  const vector = (v: readonly number[]): number[] => rows.map((r) => r.reduce((s, w, k) => s + w * (v[k] ?? 0), 0));
  const matrix = (x: readonly (readonly number[])[]): number[][] =>
    rows.map((ra) => rows.map((rb) => ra.reduce((s, wa, i) => s + wa * rb.reduce((t, wb, j) => t + wb * (x[i]?.[j] ?? 0), 0), 0)));
  return { n: vector(m.n), y: vector(m.y), nn: matrix(m.nn), ny: matrix(m.ny), yy: matrix(m.yy) };
}

/**
 * `difference`: a contrast of means (NPS points, money per customer-month,
 * shares); `log_ratio`: a contrast of log means (churn per customer-month:
 * a ratio of rates), as the interaction of a Poisson regression is.
 */
export type ContrastScale = 'difference' | 'log_ratio';

/** One group's moments and the sign each of its periods' mean takes in the contrast (+1, −1 or 0). */
export interface ContrastTerm {
  moments: PeriodMoments;
  signs: readonly number[];
}

export interface ContrastOptions {
  scale: ContrastScale;
  /** Customers (clusters) with at least one observation in the periods used, all terms together: G. */
  clusters: number;
  /** Observations (answers, or customer-periods) in the periods used, all terms together: N. */
  observations: number;
  level?: number;
}

export interface ContrastEstimate {
  /** Σ sign·mean (difference) or Σ sign·log mean (log ratio). */
  estimate: number;
  standardError: number;
  statistic: number;
  pValue: number;
  /** On the estimate's scale (a log ratio's interval is of the log). */
  interval: Interval;
  /** Each term's mean per period (Σy/Σn; NaN where Σn = 0). */
  means: number[][];
}

/** Whether every cell the contrast uses has observations (and, on the log scale, a positive outcome sum). */
export function estimable(terms: readonly ContrastTerm[], scale: ContrastScale): boolean {
  return terms.every((t) => t.signs.every((s, p) => s === 0 || ((t.moments.n[p] ?? 0) > 0 && (scale === 'difference' || (t.moments.y[p] ?? 0) > 0))));
}

/**
 * A contrast of group-period means with its cluster-robust (CR1) standard
 * error, from per-customer sums only.
 *
 * The model is the saturated regression of the outcome on one indicator per
 * (group, period) cell: least squares weighted by n for `difference` (with
 * per-answer rows and n = 1 this is OLS on the answers; the
 * difference-in-differences is the group × after interaction), or Poisson
 * with offset log n for `log_ratio`. Saturated, each cell's fitted mean is
 * its own Σy/Σn, and the contrast's influence of customer c is
 * ψ_c = Σ_p w_p·s_cp, with s_cp = y_cp − n_cp·m_p the customer's residual sum
 * in period p and w_p = sign_p/N_p (difference) or sign_p/Y_p (log ratio). So
 * the sandwich H⁻¹(Σ_c u_c u_c')H⁻¹ reduces, for the contrast, to
 * Var = k·Σ_c ψ_c², and Σ_c over a group of s_cp·s_cq expands into the
 * moments: Σy_p y_q − m_q Σy_p n_q − m_p Σn_p y_q + m_p m_q Σn_p n_q. k is
 * statsmodels' CR1 correction G/(G−1)·(N−1)/(N−K), K the cells used
 * (reference/compute.py checks all of it against statsmodels'
 * cov_type='cluster'). Normal interval and p-value, as statsmodels gives
 * for cluster-robust fits.
 */
export function clusteredContrast(terms: readonly ContrastTerm[], options: ContrastOptions): ContrastEstimate {
  const level = options.level ?? 0.95;
  if (!estimable(terms, options.scale)) throw new RangeError('a contrast cell has no observations (or, on the log scale, no events)');
  const cells = terms.reduce((s, t) => s + t.signs.filter((x) => x !== 0).length, 0);
  const G = options.clusters;
  const N = options.observations;
  if (G < 2 || N <= cells) throw new RangeError(`a cluster-robust contrast needs at least 2 customers and more observations than its ${cells} cells`);
  let estimate = 0;
  let variance = 0;
  const means: number[][] = [];
  for (const { moments: m, signs } of terms) {
    const mean = m.n.map((n, p) => (n > 0 ? (m.y[p] ?? 0) / n : Number.NaN));
    means.push(mean);
    const weights = signs.map((sign, p) => (sign === 0 ? 0 : options.scale === 'difference' ? sign / (m.n[p] ?? 1) : sign / (m.y[p] ?? 1)));
    signs.forEach((sign, p) => {
      if (sign !== 0) estimate += sign * (options.scale === 'difference' ? (mean[p] ?? 0) : Math.log(mean[p] ?? 1));
    });
    for (let p = 0; p < signs.length; p += 1) {
      for (let q = 0; q < signs.length; q += 1) {
        const wp = weights[p] ?? 0;
        const wq = weights[q] ?? 0;
        if (wp === 0 || wq === 0) continue;
        const mp = mean[p] ?? 0;
        const mq = mean[q] ?? 0;
        const s = (m.yy[p]?.[q] ?? 0) - mq * (m.ny[q]?.[p] ?? 0) - mp * (m.ny[p]?.[q] ?? 0) + mp * mq * (m.nn[p]?.[q] ?? 0);
        variance += wp * wq * s;
      }
    }
  }
  const k = (G / (G - 1)) * ((N - 1) / (N - cells));
  const standardError = Math.sqrt(Math.max(0, k * variance));
  const z = normalCritical(level);
  const statistic = standardError > 0 ? estimate / standardError : 0;
  return {
    estimate,
    standardError,
    statistic,
    pValue: standardError > 0 ? Math.min(1, 2 * normalCdf(-Math.abs(statistic))) : 1,
    interval: { lower: estimate - z * standardError, upper: estimate + z * standardError, level },
    means,
  };
}

/** The difference-in-differences (treated after − before) − (comparison after − before); periods are [before, after]. */
export function differenceInDifferences(treated: PeriodMoments, comparison: PeriodMoments, options: ContrastOptions): ContrastEstimate {
  return clusteredContrast(
    [
      { moments: treated, signs: [-1, 1] },
      { moments: comparison, signs: [1, -1] },
    ],
    options,
  );
}
