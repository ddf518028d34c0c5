/**
 * How far a rate observed over `n` independent replicates may stray above
 * (or below) its nominal `p` by chance: 3.09 binomial standard errors, the
 * one-sided 99.9% normal quantile. The null-replicate tests bound their
 * false-alarm rates with it (0.05 over 200 replicates: at most 0.0976), so a
 * correct method fails such a test about once in a thousand runs.
 */
export function binomialMargin(p: number, n: number): number {
  return 3.09 * Math.sqrt((p * (1 - p)) / n);
}

/** The most a false-alarm rate of nominal `p` may reach over `n` replicates: p plus its binomial margin. */
export function alarmBound(p: number, n: number): number {
  return p + binomialMargin(p, n);
}
