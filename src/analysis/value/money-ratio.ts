import { tCdf, tCritical, type IntervalEstimate } from '../../stats/index.js';
import { ratioEstimate, type RatioSums } from '../ratio-estimate.js';

/**
 * Below this share of Σy² + r²·Σm², the residual Σ(y − r·m)² computed from
 * the sums is rounding, not spread: when every customer of a group has the
 * same money per month, yy − 2r·ym + r²·mm cancels to a few units in the last
 * place, differently on each engine (sums added in another order).
 */
const ROUNDING = 1e-9;

/**
 * Money per customer-month as a ratio of totals Σy / Σm (customers the
 * independent units), with ratioEstimate's linearised standard error
 * (Cochran 1977, §6.3). The interval is not clamped (ratioEstimate clamps
 * shares to [0, 1]; money can be negative), and uses Student's t with n − 1
 * degrees of freedom, wider than the normal one in small segments where the
 * linearisation is least trustworthy. Null without exposure or under 2 customers.
 */
export function moneyRatio(s: RatioSums, level = 0.95): IntervalEstimate | null {
  const r = ratioEstimate(s, level);
  if (r === null) return null;
  const e = r.estimate;
  const residual = s.yy - 2 * e * s.ym + e * e * s.mm;
  const standardError = residual <= ROUNDING * (s.yy + e * e * s.mm) ? 0 : r.standardError;
  const half = tCritical(level, s.n - 1) * standardError;
  return { estimate: e, standardError, interval: { lower: e - half, upper: e + half, level }, n: s.n };
}

/**
 * One-sided p-value that the ratio is below zero: a score test, its
 * standard error taken under the null (ratio 0, so each customer's residual
 * is y itself: √(Σy² / (n(n − 1))) / m̄), which never collapses to 0 when the
 * customers of a small group happen to lose alike; t with n − 1 df.
 */
export function belowZeroPValue(s: RatioSums): number {
  if (s.n < 2 || !(s.m > 0)) return 1;
  const se = Math.sqrt(Math.max(0, s.yy) / (s.n * (s.n - 1))) / (s.m / s.n);
  if (!(se > 0)) return s.y < 0 ? 0 : 1;
  return tCdf(s.y / s.m / se, s.n - 1);
}
