import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { UserError } from '../errors.js';
import { ANALYSIS_NAMES } from './names.js';
import { ANALYSES, checkAnalysisNames, runOrder } from './registry.js';
import { DEFAULT_THRESHOLDS, practicalThresholds } from './thresholds.js';
import type { Analysis } from './types.js';

describe('the analysis registry', () => {
  it('registers each of the 17 fixed names exactly once, in order; only built analyses claim to be', () => {
    expect(ANALYSIS_NAMES).toHaveLength(17);
    expect(ANALYSES.map((a) => a.name)).toEqual([...ANALYSIS_NAMES]);
    expect(ANALYSES.filter((a) => a.implemented).map((a) => a.name)).toEqual(['profile', 'perfect-customer', 'key-drivers', 'value', 'lifetime-value', 'fit', 'ideal-profile', 'misaligned', 'mix', 'referrals', 'bad-revenue', 'fee-aftermath', 'quarter-end', 'value-balance', 'scorecard', 'comments', 'changes']);
    for (const a of ANALYSES) {
      expect(a.needs, a.name).toContain('customers');
      for (const dep of a.dependsOn) expect(ANALYSIS_NAMES, `${a.name} -> ${dep}`).toContain(dep);
    }
  });

  it('orders a run so that dependencies come first, and adds them when a name is asked alone', () => {
    expect(runOrder(['ideal-profile']).map((a) => a.name)).toEqual(['fit', 'ideal-profile']);
    expect(runOrder(['mix', 'profile']).map((a) => a.name)).toEqual(['profile', 'fit', 'ideal-profile', 'misaligned', 'mix']);
    const all = runOrder([]).map((a) => a.name);
    expect(all).toHaveLength(17);
    for (const a of ANALYSES) for (const dep of a.dependsOn) expect(all.indexOf(dep)).toBeLessThan(all.indexOf(a.name));
  });

  it('refuses a dependency cycle (a bug) and an unknown name (the user’s, with the nearest)', () => {
    const base = ANALYSES[0] as Analysis;
    const cyclic: Analysis[] = [
      { ...base, name: 'value', dependsOn: ['fit'] },
      { ...base, name: 'fit', dependsOn: ['value'] },
    ];
    expect(() => runOrder([], cyclic)).toThrow(/cycle/);
    expect(() => checkAnalysisNames(['key_drivers'])).toThrow(UserError);
    try {
      checkAnalysisNames(['key_drivers']);
    } catch (error) {
      expect((error as UserError).hint).toContain('key-drivers');
    }
    expect(checkAnalysisNames(['profile', 'comments'])).toEqual(['profile', 'comments']);
  });
});

describe('practical thresholds', () => {
  it('default to 2 points, 1 percentage point, 1 unit of money, 0.1 standard deviations and a 1.2 concentration ratio; cxray.yaml overrides each', () => {
    const defaults = practicalThresholds(configSchema.parse({ currency: 'EUR', sources: {} }));
    expect(defaults.byUnit).toEqual({ points: 2, percentage_points: 1, standardised_difference: 0.1, concentration_ratio: 1.2, EUR: 1 });
    expect(DEFAULT_THRESHOLDS.money).toBe(1);
    const set = practicalThresholds(configSchema.parse({ sources: {}, thresholds: { money: 25, points: 5 } }));
    expect(set.byUnit).toEqual({ points: 5, percentage_points: 1, standardised_difference: 0.1, concentration_ratio: 1.2, USD: 25 });
    expect(configSchema.safeParse({ sources: {}, thresholds: { dollars: 5 } }).success).toBe(false);
    expect(configSchema.safeParse({ sources: {}, thresholds: { points: -1 } }).success).toBe(false);
    expect(practicalThresholds(configSchema.parse({ sources: {}, thresholds: { concentration_ratio: 1.5 } })).byUnit['concentration_ratio']).toBe(1.5);
    expect(configSchema.safeParse({ sources: {}, thresholds: { concentration_ratio: 0.9 } }).success).toBe(false);
  });

  it('give the scorecard a margin of 5 points of its 0-100 scores unless cxray.yaml sets scorecard_margin', () => {
    expect(practicalThresholds(configSchema.parse({ sources: {} })).scorecardMargin).toBe(5);
    expect(practicalThresholds(configSchema.parse({ sources: {}, thresholds: { scorecard_margin: 0 } })).scorecardMargin).toBe(0);
    expect(configSchema.safeParse({ sources: {}, thresholds: { scorecard_margin: -1 } }).success).toBe(false);
  });
});
