import { type CorrelationEstimate, correlationInterval, correlationPValue } from './correlation-estimate.js';
import { pearsonR } from './pearson.js';
import { midranks } from './rank.js';

/**
 * Spearman's ρ from ρ and n (e.g. corr() over ranks computed in SQL), with the
 * Bonett–Wright interval and the t-approximation p-value scipy uses.
 */
export function spearmanEstimate(rho: number, n: number, level = 0.95): CorrelationEstimate {
  const { interval, standardError } = correlationInterval(rho, n, level, 'bonett-wright');
  return { estimate: rho, interval, n, pValue: correlationPValue(rho, n), fisherZStandardError: standardError };
}

/** Spearman's ρ of paired samples: Pearson's r of their midranks (ties allowed). */
export function spearman(x: readonly number[], y: readonly number[], level = 0.95): CorrelationEstimate {
  return spearmanEstimate(pearsonR(midranks(x), midranks(y)), x.length, level);
}
