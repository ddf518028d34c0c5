import { type CorrelationEstimate, correlationEstimate } from './correlation-estimate.js';
import { assertInput } from './invalid-input.js';

/** Pearson's r of two equal-length samples, two-pass (centred) for accuracy. */
export function pearsonR(x: readonly number[], y: readonly number[]): number {
  assertInput(x.length === y.length, `Paired samples must have equal length; got ${x.length} and ${y.length}.`);
  const n = x.length;
  assertInput(n >= 2, 'A correlation needs at least 2 pairs.');
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i += 1) {
    meanX += x[i] ?? 0;
    meanY += y[i] ?? 0;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (x[i] ?? 0) - meanX;
    const dy = (y[i] ?? 0) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  assertInput(sxx > 0 && syy > 0, 'A correlation is undefined when one variable is constant.');
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Pearson correlation of paired samples with its Fisher z interval and t-test p-value. */
export function pearson(x: readonly number[], y: readonly number[], level = 0.95): CorrelationEstimate {
  return correlationEstimate(pearsonR(x, y), x.length, level);
}
