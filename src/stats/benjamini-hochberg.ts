import { assertInput } from './invalid-input.js';

/**
 * Benjamini–Hochberg adjusted p-values ("q-values"), in the input order:
 * q_(i) = min_{j ≥ i} min(1, m·p_(j)/j) over the p-values sorted ascending
 * (Benjamini & Hochberg 1995, JRSS B 57:289; the adjusted form as in R's
 * p.adjust(method = "BH")). Rejecting q ≤ α controls the false discovery rate
 * at α for independent or positively dependent tests.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  assertInput(
    pValues.every((p) => p >= 0 && p <= 1),
    'p-values must lie in [0, 1].',
  );
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(m).fill(1);
  let running = 1;
  for (let rank = m; rank >= 1; rank -= 1) {
    const entry = order[rank - 1];
    if (entry === undefined) continue;
    running = Math.min(running, (m * entry.p) / rank);
    q[entry.index] = running;
  }
  return q;
}
