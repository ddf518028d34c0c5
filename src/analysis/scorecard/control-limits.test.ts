import { describe, expect, it } from 'vitest';
import { alarmBound } from '../../stats/binomial-margin.case.js';
import { normalCritical } from '../../stats/index.js';
import { SeededRandom } from '../../stats/seeded-random.case.js';
import { FALSE_ALARM_RATE, meanControlPoints, MINIMUM_PERIOD_ANSWERS, npsControlPoints } from './control-limits.js';

describe('NPS per period with its interval and control limits', () => {
  it('has the multinomial variance of promoters minus detractors, by hand', () => {
    // 50 promoters, 30 passives, 20 detractors: NPS 30, Var = 100²·(0.5 + 0.2 − 0.3²)/100 = 61.
    const [point] = npsControlPoints([{ promoters: 50, passives: 30, detractors: 20 }]);
    const half = normalCritical(0.95) * Math.sqrt(61);
    expect(point?.estimate).toBeCloseTo(30, 12);
    expect(point?.interval.lower).toBeCloseTo(30 - half, 12);
    expect(point?.interval.upper).toBeCloseTo(30 + half, 12);
    // Alone, it has no other period to be compared with.
    expect([point?.centre, point?.signal]).toEqual([null, null]);
  });

  it('draws each period’s limits around the other periods pooled, by hand, and flags a period beyond them', () => {
    const periods = [
      { promoters: 40, passives: 40, detractors: 20 },
      { promoters: 40, passives: 40, detractors: 20 },
      { promoters: 80, passives: 10, detractors: 10 },
    ];
    const [first, , third] = npsControlPoints(periods);
    // The third against the first two: p̄ = 0.4, d̄ = 0.2, centre 20, σ = 100·√((0.6 − 0.04)·(1/100 + 1/200)).
    const sigma3 = 100 * Math.sqrt(0.56 * 0.015);
    expect(third?.centre).toBeCloseTo(20, 12);
    expect(third?.upperLimit).toBeCloseTo(20 + 3 * sigma3, 12);
    expect([third?.estimate, third?.signal]).toEqual([70, 'above']);
    // The first against the other two: p̄ = 0.6, d̄ = 0.15, centre 45, σ = 100·√((0.75 − 0.2025)·0.015); 20 is inside 45 − 27.2.
    const sigma1 = 100 * Math.sqrt(0.5475 * 0.015);
    expect(first?.centre).toBeCloseTo(45, 12);
    expect(first?.lowerLimit).toBeCloseTo(45 - 3 * sigma1, 12);
    expect(first?.signal).toBeNull();
  });

  it(`gives no limits to a period of fewer than ${MINIMUM_PERIOD_ANSWERS} answers`, () => {
    const [, small] = npsControlPoints([
      { promoters: 100, passives: 50, detractors: 50 },
      { promoters: 1, passives: 2, detractors: 20 },
    ]);
    expect([small?.n, small?.centre, small?.signal]).toEqual([23, null, null]);
  });

  it('flags at most the stated 0.27% of periods that are no different (2,000 series of 10 periods, 99.9% binomial bound)', () => {
    const rng = new SeededRandom(2024);
    let flags = 0;
    let periods = 0;
    for (let s = 0; s < 2000; s += 1) {
      const series = Array.from({ length: 10 }, () => {
        const counts = { promoters: 0, passives: 0, detractors: 0 };
        for (let i = 0; i < 200; i += 1) {
          const u = rng.uniform();
          if (u < 0.35) counts.promoters += 1;
          else if (u < 0.75) counts.passives += 1;
          else counts.detractors += 1;
        }
        return counts;
      });
      for (const p of npsControlPoints(series)) {
        periods += 1;
        if (p?.signal !== null) flags += 1;
      }
    }
    process.stderr.write(`NPS control limits: ${flags} of ${periods} periods flagged (${((100 * flags) / periods).toFixed(3)}%)\n`);
    expect(flags / periods).toBeLessThanOrEqual(alarmBound(FALSE_ALARM_RATE, periods));
  });
});

describe('mean scores per period (CSAT, CES) with control limits', () => {
  it('draws limits from the other periods’ pooled mean and variance, shown through the 0-100 map', () => {
    // Period 1: 1, 2, 3 (30 times each: mean 2); period 2: the same; period 3: 4 and 5 (45 times each: mean 4.5).
    const sums = (values: number[], times: number) => ({ n: values.length * times, sum: times * values.reduce((s, x) => s + x, 0), squares: times * values.reduce((s, x) => s + x * x, 0) });
    const toHundred = (x: number): number => ((x - 1) / 4) * 100;
    const [first, , third] = meanControlPoints([sums([1, 2, 3], 30), sums([1, 2, 3], 30), sums([4, 5], 45)], toHundred);
    expect(first?.estimate).toBeCloseTo(25, 12);
    // The third against the first two pooled: mean 2, variance of 180 answers 1, 2, 3 = 120/179.
    const sigma = Math.sqrt((120 / 179) * (1 / 90 + 1 / 180));
    expect(third?.centre).toBeCloseTo(25, 12);
    expect(third?.upperLimit).toBeCloseTo(toHundred(2 + 3 * sigma), 12);
    expect(third?.signal).toBe('above');
  });

  it('keeps a small period\'s interval and limits on 0-100 (NPS on −100 to 100); the signal is decided on the raw limits', () => {
    const toHundred = (x: number): number => ((x - 1) / 4) * 100;
    const sums = (values: number[], times: number) => ({ n: values.length * times, sum: times * values.reduce((s, x) => s + x, 0), squares: times * values.reduce((s, x) => s + x * x, 0) });
    // Three answers 5, 5, 4: mean 4.67, its t interval (2 degrees of freedom) reaches 6.1 on a 1-5 scale; 31 answers of 5 beside noisy periods.
    const [small, , top] = meanControlPoints([sums([5, 5, 4], 1), sums([1, 2, 3, 4, 5], 40), sums([5], 31)], toHundred);
    expect(small?.interval.upper).toBe(100);
    expect(small?.interval.lower).toBeGreaterThan(0);
    expect(top?.upperLimit).toBeLessThanOrEqual(100);
    expect(top?.signal).toBe('above');
    const [fewNps] = npsControlPoints([{ promoters: 3, passives: 0, detractors: 0 }, { promoters: 40, passives: 40, detractors: 40 }]);
    expect(fewNps?.interval.upper).toBe(100);
  });

  it('flags at most the stated rate of periods that are no different (2,000 series of 10 periods)', () => {
    const rng = new SeededRandom(77);
    let flags = 0;
    let periods = 0;
    for (let s = 0; s < 2000; s += 1) {
      const series = Array.from({ length: 10 }, () => {
        const out = { n: 0, sum: 0, squares: 0 };
        for (let i = 0; i < 100; i += 1) {
          const x = 1 + Math.floor(rng.uniform() * 5);
          out.n += 1;
          out.sum += x;
          out.squares += x * x;
        }
        return out;
      });
      for (const p of meanControlPoints(series, (x) => x)) {
        periods += 1;
        if (p?.signal !== null) flags += 1;
      }
    }
    expect(flags / periods).toBeLessThanOrEqual(alarmBound(FALSE_ALARM_RATE, periods));
  });
});
