import { describe, expect, it } from 'vitest';
import { predictionRSquared, scoreBins, topCaptured, type ScoreGroup } from './ranking-math.js';

const group = (score: number, n: number, positives = 0, sum = 0, squares = 0): ScoreGroup => ({ score, n, positives, sum, squares });

describe('ranking by a score with ties', () => {
  it('takes whole groups from the top, and a tied group at the cut in proportion', () => {
    // 10 customers: 2 at 90 (both best), 4 at 50 (1 best), 4 at 10 (1 best).
    const groups = [group(10, 4, 1), group(90, 2, 2), group(50, 4, 1)];
    expect(topCaptured(groups, 0.2)).toEqual({ taken: 2, positives: 2 });
    // The top 30% is the two at 90 and one of the four tied at 50: a quarter of their one best.
    const top30 = topCaptured(groups, 0.3);
    expect(top30.taken).toBeCloseTo(3, 12);
    expect(top30.positives).toBeCloseTo(2.25, 12);
    expect(topCaptured(groups, 1)).toEqual({ taken: 10, positives: 4 });
    expect(topCaptured([], 0.1)).toEqual({ taken: 0, positives: 0 });
  });

  it('a score that says nothing captures its share of the best: every customer tied', () => {
    const flat = [group(42, 1000, 200)];
    expect(topCaptured(flat, 0.3).positives).toBeCloseTo(60, 9);
  });

  it('splits customers into equal-count tenths, a tied group across a boundary in proportion', () => {
    // 20 customers: 5 at score 1 (outcome 1 each), 15 at score 2 (outcome 3 each); 5 bins of 4.
    const bins = scoreBins([group(2, 15, 0, 45, 135), group(1, 5, 0, 5, 5)], 5);
    expect(bins.map((b) => b.customers)).toEqual([4, 4, 4, 4, 4]);
    expect(bins[0]).toMatchObject({ bin: 1, meanScore: 1, sum: 4, squares: 4 });
    // Bin 2: the fifth customer at 1 and three of those at 2.
    expect(bins[1]?.meanScore).toBeCloseTo((1 + 3 * 2) / 4, 12);
    expect(bins[1]?.sum).toBeCloseTo(1 + 9, 12);
    expect(bins[4]).toMatchObject({ meanScore: 2, sum: 12, squares: 36 });
    expect(bins.reduce((s, b) => s + b.sum, 0)).toBeCloseTo(50, 12);
    // 9,997 customers in tenths: whole counts of 999 or 1,000 that add up.
    const tenths = scoreBins([group(1, 4000), group(2, 5997)]);
    expect(tenths.map((b) => b.customers).reduce((s, n) => s + n, 0)).toBe(9997);
    expect(tenths.every((b) => Number.isInteger(b.customers) && b.customers >= 999 && b.customers <= 1000)).toBe(true);
  });

  it('R² of the score as a prediction, from the groups sums', () => {
    // Perfect prediction: every customer's outcome equals its group's score.
    expect(predictionRSquared([group(1, 3, 0, 3, 3), group(5, 2, 0, 10, 50)])).toBeCloseTo(1, 12);
    // Outcomes 0 and 2 in each group of score 1: residual = total, R² = 0 (the mean predicts as well).
    expect(predictionRSquared([group(1, 2, 0, 2, 4), group(1, 2, 0, 2, 4)])).toBeCloseTo(0, 12);
    expect(predictionRSquared([group(1, 1, 0, 1, 1)])).toBeNull();
  });
});
