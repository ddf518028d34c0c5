import { beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../../simulate/truth.js';
import type { Result } from '../result.js';
import { importStandardCompany, PROFILE_ATTRIBUTES } from '../value/company-workspace.case.js';
import { resultRows } from '../result-rows.case.js';

// mix on the standard simulated company (20,000 customers, seed 1, support
// costs appended). Planted (truth.json acquisitionDrift): the share of new
// customers matching the ideal profile (referral, annual, retail) falls
// across signup cohorts, as referrals give way to paid search and referred
// retail customers sign fewer annual contracts; realised: 10.834% of the
// first year's signups (2023Q3-2024Q2) and 6.5815% of the last year's
// (2025Q3-2026Q2), per quarter in realised.byQuarter. ideal-profile finds
// that cell as its first rule (its own test), so mix follows it as "the
// ideal profile" and counts the same customers as truth.json: every
// quarter's share is the realised one (to its 6 decimals), the drift is
// alerted, and the first- and last-year shares lie in their intervals.
// Nothing was planted on the misaligned cell's share (4.9% of the first
// year, 4.8% of the last): no drift is claimed for it.

let truth: Truth;
let result: Result;


/** The planted cell's key as the Results write it (in the order of the groupings). */
function plantedKey(definition: Truth['idealSegment']['definition']): string[] {
  return Object.entries(PROFILE_ATTRIBUTES).map(([field, attribute]) => `${attribute}=${definition[field as keyof typeof definition]}`).sort();
}

const sameCell = (key: unknown, planted: string[]): boolean => String(key).split('&').sort().join('|') === planted.join('|');

beforeAll(async () => {
  const imported = await importStandardCompany('mix-company');
  truth = imported.truth;
  const { results } = await imported.ws.analyze(['mix'], {}, { fresh: true });
  result = results.find((r) => r.name === 'mix') as Result;
  process.stderr.write(`mix on the standard company:\n${result.summary.join('\n')}\n`);
}, 300_000);

describe('mix on the standard simulated company', () => {
  it('follows the planted ideal cell, counting every signup quarter as truth.json does', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const planted = plantedKey(truth.idealSegment.definition);
    const ideal = resultRows(result, 'mix_by_cohort').filter((r) => r['series_kind'] === 'ideal');
    expect(sameCell(ideal[0]?.['key'], planted), String(ideal[0]?.['key'])).toBe(true);
    const quarters = truth.acquisitionDrift.realised.byQuarter;
    expect(ideal.map((r) => r['cohort'])).toEqual(quarters.map((q) => q.quarter));
    for (const [i, q] of quarters.entries()) {
      const row = ideal[i];
      expect(row?.['customers'], q.quarter).toBe(q.customers);
      expect(Math.abs((row?.['share'] as number) - q.idealShare), q.quarter).toBeLessThan(5e-7);
      expect(row?.['lower'] as number).toBeLessThan(q.idealShare);
      expect(row?.['upper'] as number).toBeGreaterThan(q.idealShare);
    }
  });

  it('alerts on the drift away from the ideal, the first- and last-year shares matching truth within their intervals', () => {
    const realised = truth.acquisitionDrift.realised;
    const drift = resultRows(result, 'mix_drift').find((r) => r['series_kind'] === 'ideal');
    expect(drift).toMatchObject({ early_cohorts: '2023Q3-2024Q2', late_cohorts: '2025Q3-2026Q2', cohorts: 12, drift: 'fell', away_from_ideal: true });
    for (const [end, share] of [
      ['early', realised.firstYearIdealShare],
      ['late', realised.lastYearIdealShare],
    ] as const) {
      expect(drift?.[`${end}_lower`] as number, end).toBeLessThan(share);
      expect(drift?.[`${end}_upper`] as number, end).toBeGreaterThan(share);
      expect(Math.abs((drift?.[`${end}_share`] as number) - share), end).toBeLessThan(5e-7);
    }
    const alert = result.findings.find((f) => f.code === 'mix.ideal_drift');
    expect(alert?.severity).toBe('high');
    expect(alert?.estimate).toBeCloseTo(100 * (realised.lastYearIdealShare - realised.firstYearIdealShare), 3);
    expect(alert?.interval.upper).toBeLessThan(0);
    expect(alert?.qValue).toBeLessThan(0.001);
    expect(drift?.['slope_upper'] as number).toBeLessThan(0);
    expect(result.summary[0]).toMatch(
      /^The share of new customers matching the ideal profile \(segment = retail AND acquisition channel = referral AND contract type = annual\) fell from 10\.8% in the first year of signups \(2023Q3-2024Q2\) to 6\.6% in the last \(2025Q3-2026Q2\): −4\.3 points \(95% CI −5\.3 to −3\.2; n = 4,772 and 8,767\)\. Across the 12 signup quarters the trend is −2\.0 points a year .*The mix is drifting away from the ideal\.$/,
    );
  });

  it('follows the misaligned segment, whose share did not drift, and compares the cohorts at 90 days of tenure', () => {
    const planted = plantedKey(truth.misalignedSegment.definition);
    const misaligned = resultRows(result, 'mix_drift').find((r) => r['series_kind'] === 'misaligned' && sameCell(r['key'], planted));
    expect(misaligned).toMatchObject({ drift: 'none', away_from_ideal: false });
    expect(result.findings.filter((f) => f.code === 'mix.misaligned_drift')).toEqual([]);
    const tenure = resultRows(result, 'mix_equal_tenure');
    expect(tenure.map((r) => r['cohort'])).toEqual(truth.acquisitionDrift.realised.byQuarter.map((q) => q.quarter));
    // Only customers with 90 days behind them: every cohort but the last whole.
    for (const [i, q] of truth.acquisitionDrift.realised.byQuarter.slice(0, -1).entries()) expect(tenure[i]?.['customers'], q.quarter).toBe(q.customers);
    expect(result.summary.some((s) => s.startsWith('At equal tenure, net value per new customer over its first 90 days'))).toBe(true);
    expect(result.charts).toHaveLength(2);
  });
});
