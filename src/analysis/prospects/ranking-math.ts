/**
 * Ranking by a score that takes few distinct values (a model over a handful
 * of attributes gives every customer of one attribute combination the same
 * score). Customers tied at the cut are taken in proportion, as a random
 * order among them would on average: the numbers do not depend on how an
 * engine happens to order ties, and the groups are counted in one GROUP BY.
 */

/** Customers sharing one score: how many, and sums of what is measured on them. */
export interface ScoreGroup {
  score: number;
  n: number;
  /** Customers among them counted as positives (the best customers). */
  positives: number;
  /** Sum and sum of squares of the outcome (the actual fit score). */
  sum: number;
  squares: number;
}

/** The top `fraction` of customers by score: how many taken, and how many positives among them (fractional at a tie). */
export function topCaptured(groups: readonly ScoreGroup[], fraction: number): { taken: number; positives: number } {
  const total = groups.reduce((s, g) => s + g.n, 0);
  let room = fraction * total;
  let positives = 0;
  for (const g of [...groups].sort((a, b) => b.score - a.score)) {
    if (room <= 0) break;
    const take = Math.min(g.n, room);
    positives += g.n === 0 ? 0 : (g.positives * take) / g.n;
    room -= take;
  }
  return { taken: fraction * total - Math.max(0, room), positives };
}

/** One of `bins` equal-count bins of customers by ascending score, with the mean score and the outcome's sums. */
export interface ScoreBin {
  bin: number;
  customers: number;
  meanScore: number;
  sum: number;
  squares: number;
}

/** Equal-count bins by score (deciles by default), as near equal as whole customers allow; ties split in proportion across a boundary. */
export function scoreBins(groups: readonly ScoreGroup[], bins = 10): ScoreBin[] {
  const sorted = [...groups].filter((g) => g.n > 0).sort((a, b) => a.score - b.score);
  const total = sorted.reduce((s, g) => s + g.n, 0);
  const out: ScoreBin[] = Array.from({ length: bins }, (_, i) => ({ bin: i + 1, customers: 0, meanScore: 0, sum: 0, squares: 0 }));
  if (total === 0) return out;
  // Bin i holds customers from round(total·i/bins) to round(total·(i+1)/bins): whole counts adding up to the total.
  const sizeOf = (i: number): number => Math.round((total * (i + 1)) / bins) - Math.round((total * i) / bins);
  let bin = 0;
  let room = sizeOf(0);
  for (const g of sorted) {
    let left = g.n;
    while (left > 0) {
      while (room <= 0 && bin < bins - 1) room = sizeOf(++bin);
      const target = out[bin] as ScoreBin;
      const take = bin === bins - 1 ? left : Math.min(left, room);
      const part = take / g.n;
      target.customers += take;
      target.meanScore += take * g.score;
      target.sum += part * g.sum;
      target.squares += part * g.squares;
      left -= take;
      room -= take;
    }
  }
  for (const b of out) b.meanScore = b.customers > 0 ? b.meanScore / b.customers : 0;
  return out;
}

/** R² of the score as a prediction of the outcome: 1 − Σ(y − ŷ)² / Σ(y − ȳ)², from the groups' sums. */
export function predictionRSquared(groups: readonly ScoreGroup[]): number | null {
  const n = groups.reduce((s, g) => s + g.n, 0);
  if (n < 2) return null;
  const sum = groups.reduce((s, g) => s + g.sum, 0);
  const squares = groups.reduce((s, g) => s + g.squares, 0);
  const total = squares - (sum * sum) / n;
  if (!(total > 0)) return null;
  const residual = groups.reduce((s, g) => s + g.squares - 2 * g.score * g.sum + g.n * g.score * g.score, 0);
  return 1 - residual / total;
}
