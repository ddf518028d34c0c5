import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { niceEdges } from './distributions.js';
import { buildScoreGrid, interpolate } from './score-grid.js';
import { chooseTimeUnit, lifetimeSettings } from './settings.js';

const config = (lifetime: Record<string, unknown> | undefined) => configSchema.parse({ sources: {}, ...(lifetime === undefined ? {} : { lifetime_value: lifetime }) });

describe('lifetime_value settings', () => {
  it('defaults: 12 months at 1% a month, no holdout, yearly contract periods, the unit chosen from the data', () => {
    expect(lifetimeSettings({ config: config(undefined), asOf: '2026-06-30' })).toEqual({
      declaredUnit: null,
      horizonMonths: 12,
      monthlyDiscountRate: 0.01,
      calibrationEnd: '2026-06-30',
      holdout: false,
      holdoutDays: 0,
      contractPeriodMonths: 12,
    });
  });

  it('a calibration end gives a holdout of the days after it to as_of', () => {
    const s = lifetimeSettings({ config: config({ calibration_end: '1997-09-30', time_unit: 'day', horizon_months: 24 }), asOf: '1998-06-30' });
    expect([s.holdout, s.holdoutDays, s.declaredUnit, s.horizonMonths]).toEqual([true, 273, 'day', 24]);
  });

  it('a calibration end on or after as_of is a user error saying what to do', () => {
    expect(() => lifetimeSettings({ config: config({ calibration_end: '2026-06-30' }), asOf: '2026-06-30' })).toThrow(expect.objectContaining({ code: 'calibration_end_not_before_as_of' }));
  });

  it('unknown keys and out-of-range values are rejected by the schema', () => {
    expect(() => config({ horizon: 12 })).toThrow();
    expect(() => config({ monthly_discount_rate: 2 })).toThrow();
    expect(() => config({ time_unit: 'month' })).toThrow();
  });

  it('weeks unless the median customer is under 8 weeks old; a declared unit wins', () => {
    expect(chooseTimeUnit({ declaredUnit: null }, 272)).toBe('week');
    expect(chooseTimeUnit({ declaredUnit: null }, 30)).toBe('day');
    expect(chooseTimeUnit({ declaredUnit: 'week' }, 30)).toBe('week');
  });

  it('histogram edges step 1-2-5 from a thousandth of the largest value past it', () => {
    expect(niceEdges(7.3)).toEqual([0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]);
    expect(niceEdges(0)).toEqual([0]);
  });

  it('the score grid interpolates a smooth function of age to far below its tolerance, and knows its own error', () => {
    const f = (x: number, T: number): number => (x + 1) / (5 + T) ** 0.7;
    const pairs = [0, 1, 2, 5].flatMap((x) => [1, 3, 10, 40, 200, 900].map((TDays) => ({ x, TDays })));
    const grid = buildScoreGrid({ ifAlive: f, discountedIfAlive: (x, T) => 2 * f(x, T) }, 5, pairs);
    expect(grid.maxRelativeError).toBeLessThan(1e-5);
    for (const { x, TDays } of pairs) expect(interpolate(grid, 'ifAlive', x, TDays)).toBeCloseTo(f(x, TDays), 6);
    // At a coarse grid the error grows, and is reported.
    const coarse = buildScoreGrid({ ifAlive: f, discountedIfAlive: f }, 5, pairs, 4 * 4, 4);
    expect(coarse.cells).toBe(4);
    expect(coarse.maxRelativeError).toBeGreaterThan(grid.maxRelativeError);
  });
});
