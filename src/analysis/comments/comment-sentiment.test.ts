import { describe, expect, it } from 'vitest';
import { sentimentClass, sentimentSummary } from './comment-sentiment.js';
import type { ReadComment } from './read-comments.js';

const comment = (k: number, compound: number, nps: number | null): ReadComment => ({
  row: { id: `c${k}`, text: '', nps, csat: null, at: 0 },
  compound,
  themed: true,
  primary: null,
  themes: [],
});

describe('sentimentSummary', () => {
  it('classes compound scores at VADER’s ±0.05 and shares them out with Wilson intervals', () => {
    expect([0.05, 0.0499, -0.0499, -0.05].map(sentimentClass)).toEqual(['positive', 'neutral', 'neutral', 'negative']);
    const s = sentimentSummary([comment(1, 0.5, 10), comment(2, 0.05, 9), comment(3, 0, 8), comment(4, -0.6, 2)], 0.95);
    expect(s.shares.map((x) => [x.sentiment, x.comments, x.share.estimate])).toEqual([
      ['positive', 2, 0.5],
      ['neutral', 1, 0.25],
      ['negative', 1, 0.25],
    ]);
    expect(s.compound?.estimate).toBeCloseTo((0.5 + 0.05 - 0.6) / 4, 12);
    expect(s.byNpsClass.map((c) => [c.npsClass, c.comments, c.negative])).toEqual([
      ['promoter', 2, 0],
      ['passive', 1, 0],
      ['detractor', 1, 1],
    ]);
  });

  it('says sentiment agrees with the score when promoters’ comments read clearly more positive, and does not when they read the same', () => {
    const agreeing = Array.from({ length: 40 }, (_, k) => comment(k, k < 20 ? 0.4 + 0.01 * (k % 5) : -0.3 - 0.01 * (k % 5), k < 20 ? 10 : 3));
    expect(sentimentSummary(agreeing, 0.95).agreement.verdict).toBe('agrees');
    // Same words whatever the score: the text does not follow NPS (say, a comment question from another survey).
    const flat = Array.from({ length: 40 }, (_, k) => comment(k, [0.4, -0.3, 0.1, -0.2][Math.floor(k / 2) % 4] ?? 0, k % 2 === 0 ? 10 : 3));
    const s = sentimentSummary(flat, 0.95);
    expect(s.agreement.verdict).toBe('disagrees');
    expect(s.agreement.difference?.interval.lower).toBeLessThan(0);
    // Fewer than 10 comments from promoters or detractors: too few to tell.
    expect(sentimentSummary(agreeing.slice(0, 25), 0.95).agreement).toEqual({ difference: null, verdict: 'unknown' });
  });
});
