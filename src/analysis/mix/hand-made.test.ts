import { beforeAll, describe, expect, it } from 'vitest';
import { normalCdf } from '../../stats/index.js';
import { Workspace } from '../../workspace/workspace.js';
import { resultSchema, type Result } from '../result.js';
import { idealIn, makeHandMadeMix, misalignedIn, PER_QUARTER, QUARTERS } from './hand-made.case.js';
import { resultRows } from '../result-rows.case.js';

// mix on the hand-made company (hand-made.case.ts) whose drift is known by
// construction: 50 signups a quarter over 12 quarters; in quarter q, 20 − q
// ideal customers (referral, annual) and 2 + q misaligned ones (paid,
// monthly, south). So the ideal share is (20 − q)/50 exactly: 37% of the
// first year's signups, 21% of the last year's, a slope of −2 points a
// quarter (−8 a year) with every cohort on the line (no dispersion); the
// misaligned share rises the same way (7% to 23%). At equal tenure every
// customer's first 90 days hold 3 payments: 270 (ideal), −45 (misaligned:
// 3 × (10 − 25)) or 90, so the first year's 200 customers average
// (74·270 + 112·90 − 14·45)/200 = 147.15 and the last year's 152 customers
// with 90 days of tenure (quarter 2025Q4 brings 2, both ideal)
// (35·270 + 84·90 − 33·45)/152 = 102.138... The flat company has no ideal
// profile: mix says so and follows the channel mix instead.

let result: Result;
let flat: Result;


async function mixOf(dir: string): Promise<Result> {
  const ws = new Workspace(dir);
  await ws.import();
  const { results } = await ws.analyze(['mix']);
  const mix = results.find((r) => r.name === 'mix');
  if (mix === undefined) throw new Error('no mix result');
  expect(resultSchema.safeParse(mix).success).toBe(true);
  return mix;
}

beforeAll(async () => {
  result = await mixOf(makeHandMadeMix());
  flat = await mixOf(makeHandMadeMix(true));
}, 120_000);

describe('mix on a hand-made company with a known drift', () => {
  it("follows the ideal profile's first rule: every quarter's share exact, with its Wilson interval", () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const ideal = resultRows(result, 'mix_by_cohort').filter((r) => r['series_kind'] === 'ideal');
    expect(ideal.map((r) => r['key'])).toEqual(Array.from({ length: QUARTERS }, () => 'channel=referral&contract=annual'));
    expect(ideal.map((r) => r['cohort'])).toEqual(Array.from({ length: QUARTERS }, (_, q) => `${2023 + Math.floor(q / 4)}Q${(q % 4) + 1}`));
    expect(ideal.map((r) => r['matching'])).toEqual(Array.from({ length: QUARTERS }, (_, q) => idealIn(q)));
    expect(ideal.map((r) => r['customers'])).toEqual(Array.from({ length: QUARTERS }, () => PER_QUARTER));
    for (const r of ideal) {
      expect(r['share']).toBe((r['matching'] as number) / PER_QUARTER);
      expect(r['lower'] as number).toBeLessThan(r['share'] as number);
      expect(r['upper'] as number).toBeGreaterThan(r['share'] as number);
    }
    const misaligned = resultRows(result, 'mix_by_cohort').filter((r) => r['series_kind'] === 'misaligned');
    expect(misaligned[0]?.['key']).toBe('channel=paid&contract=monthly&region=south');
    // 2, 3 and 4 misaligned customers in the first quarters: groups under 5 are withheld, share and all.
    expect(misaligned.map((r) => r['matching'])).toEqual(Array.from({ length: QUARTERS }, (_, q) => (misalignedIn(q) < 5 ? null : misalignedIn(q))));
    expect(misaligned[0]).toMatchObject({ customers: 50, share: null, lower: null, upper: null });
  });

  it('alerts on the ideal share falling from 37% to 21% (−8 points a year, no dispersion) and the misaligned share rising from 7% to 23%', () => {
    const drift = Object.fromEntries(resultRows(result, 'mix_drift').filter((r) => r['key'] !== null).map((r) => [r['key'], r]));
    const ideal = drift['channel=referral&contract=annual'];
    expect(ideal).toMatchObject({ series_kind: 'ideal', early_cohorts: '2023Q1-2023Q4', late_cohorts: '2025Q1-2025Q4', early_customers: 200, early_matching: 74, early_share: 0.37, late_matching: 42, late_share: 0.21, cohorts: 12, dispersion: 1, drift: 'fell', away_from_ideal: true });
    expect(ideal?.['difference'] as number).toBeCloseTo(-0.16, 12);
    expect(ideal?.['slope_per_year'] as number).toBeCloseTo(-0.08, 12);
    expect(ideal?.['slope_upper'] as number).toBeLessThan(0);
    const misaligned = drift['channel=paid&contract=monthly&region=south'];
    expect(misaligned).toMatchObject({ series_kind: 'misaligned', early_share: 0.07, late_share: 0.23, drift: 'rose', away_from_ideal: true });
    expect(misaligned?.['slope_per_year'] as number).toBeCloseTo(0.08, 12);

    const alert = result.findings.find((f) => f.code === 'mix.ideal_drift');
    expect(alert?.estimate).toBeCloseTo(-16, 10);
    expect(alert?.severity).toBe('high');
    expect(alert?.n).toBe(400);
    expect(alert?.interval.upper).toBeLessThan(0);
    expect(result.summary[0]).toBe(
      'The share of new customers matching the ideal profile (channel = referral AND contract = annual) fell from 37.0% in the first year of signups (2023Q1-2023Q4) to 21.0% in the last (2025Q1-2025Q4): ' +
        `−16.0 points (95% CI ${alert?.interval.lower.toFixed(1).replace('-', '−')} to ${alert?.interval.upper.toFixed(1).replace('-', '−')}; n = 200 and 200). ` +
        `Across the 12 signup quarters the trend is −8.0 points a year (95% CI ${((ideal?.['slope_lower'] as number) * 100).toFixed(1).replace('-', '−')} to ${((ideal?.['slope_upper'] as number) * 100).toFixed(1).replace('-', '−')}; trend test p < 0.001). The mix is drifting away from the ideal.`,
    );
    // Every cohort on the line: binomial variance, z = −0.02/√(p̄(1 − p̄)/7,150) with p̄ = 174/600, normal reference.
    expect(alert?.pValue).toBeCloseTo(2 * normalCdf(-0.02 / Math.sqrt(((174 / 600) * (426 / 600)) / 7150)), 12);
    expect(result.findings.find((f) => f.code === 'mix.misaligned_drift')?.severity).toBe('high');
    expect(result.summary.some((s) => s.startsWith('The share of new customers in the misaligned segment (channel paid, contract monthly and region south) rose from 7.0%'))).toBe(true);
  });

  it('compares the cohorts at equal tenure: each quarter\'s mean 90-day net value exact, the last year against the first', () => {
    const tenure = resultRows(result, 'mix_equal_tenure');
    expect(tenure).toHaveLength(QUARTERS);
    for (const [q, r] of tenure.slice(0, QUARTERS - 1).entries()) {
      const expected = (idealIn(q) * 270 + (PER_QUARTER - idealIn(q) - misalignedIn(q)) * 90 - misalignedIn(q) * 45) / PER_QUARTER;
      expect([r['customers'], r['net_value_90_days']]).toEqual([PER_QUARTER, expected]);
    }
    // 2025Q4: two customers have 90 days of tenure, too few to show.
    expect(tenure[QUARTERS - 1]).toMatchObject({ cohort: '2025Q4', customers: null, net_value_90_days: null });
    const value = result.findings.find((f) => f.code === 'mix.equal_tenure_value');
    expect(value?.n).toBe(352);
    expect(value?.estimate).toBeCloseTo(15525 / 152 - 147.15, 9);
    expect(value?.unit).toBe('USD');
    expect(value?.interval.upper).toBeLessThan(0);
    expect(result.summary).toContain(value?.text);
    expect(result.charts.map((c) => c.title)).toEqual([
      'Share of new customers matching the ideal profile and the misaligned segments, per signup quarter',
      'New customers at equal tenure: mean net value over their first 90 days, per signup quarter',
    ]);
  });

  it('without an ideal profile says so and follows the mix by acquisition channel instead', () => {
    expect([flat.status, flat.reason]).toEqual(['ok', undefined]);
    expect(flat.summary[0]).toBe('The ideal-profile analysis found no rule that holds on held-out customers, so there is no ideal profile to follow over cohorts. The mix of new customers by acquisition channel instead:');
    expect(flat.summary[1]).toMatch(/^More new customers have channel paid: 63\.0% of those acquired in 2025Q1-2025Q4 against 47\.0% in 2023Q1-2023Q4/);
    expect(flat.findings.filter((f) => f.code === 'mix.ideal_drift')).toEqual([]);
    expect(flat.findings.filter((f) => f.code === 'mix.channel_drift').length).toBeGreaterThan(0);
    expect(flat.tables.map((t) => t.name)).toEqual(['cohort_mix', 'mix_equal_tenure']);
    expect(flat.summary).toContain('No misaligned segment was reported, so none is followed over cohorts.');
  });
});
