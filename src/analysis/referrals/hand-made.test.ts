import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import type { AnalysisFilter } from '../types.js';
import { FOUNDERS, founderEarlyValue, makeReferralWorkspace, REFERRED, referredValue, referrerOf } from './referral-workspace.case.js';
import { resultRows } from '../result-rows.case.js';

// referrals on a hand-made workspace whose graph, mixing and money are known
// by construction (referral-workspace.case.ts): every number below is
// worked out from the construction, not read back from cxray. The referrer
// comes from a "Referred by" column of the customers file fed into the
// referrals table; the same company with a referrals export gives the same
// Result.

const workspaces = new Map<string, Workspace>();

async function analyse(via: 'column' | 'table', filter: AnalysisFilter = {}): Promise<Result> {
  const ws = workspaces.get(via);
  if (ws === undefined) throw new Error(`no ${via} workspace`);
  const { results } = await ws.analyze(['referrals'], filter, { fresh: true });
  const result = results.find((r) => r.name === 'referrals');
  if (result === undefined) throw new Error('no referrals result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}


function finding(result: Result, code: string) {
  const found = result.findings.filter((f) => f.code === code);
  expect(found.length, code).toBeGreaterThan(0);
  return found;
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * ((ys[i] ?? 0) - my), 0);
  return sxy / Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ys.reduce((s, y) => s + (y - my) ** 2, 0));
}

beforeAll(async () => {
  for (const via of ['column', 'table'] as const) {
    const ws = new Workspace(makeReferralWorkspace(via));
    const { ledger } = await ws.import();
    // Founders have no referrer: their blank "Referred by" is excluded by the feed's rule, not quarantined.
    expect(ledger.files.reduce((s, f) => s + f.quarantined, 0)).toBe(0);
    workspaces.set(via, ws);
  }
}, 120_000);

describe('referrals on a hand-made company of 20 founders who each referred two customers', () => {
  let result: Result;
  beforeAll(async () => {
    result = await analyse('column');
  }, 60_000);

  it('draws the graph: 20 of 60 customers refer, 40 referrals, 40 pairs', () => {
    const share = finding(result, 'referrals.share_referring')[0];
    expect([share?.estimate, share?.n]).toEqual([20 / 60, 60]);
    expect(finding(result, 'referrals.per_customer')[0]?.estimate).toBeCloseTo(40 / 60, 12);
    const graph = Object.fromEntries(resultRows(result, 'referral_graph').map((r) => [r['measure'], r['count']]));
    expect(graph['pairs whose referrer is in scope']).toBe(REFERRED);
    expect(graph['customers acquired by referral']).toBe(REFERRED);
    expect(resultRows(result, 'referrals_made_distribution').map((r) => r['customers'])).toEqual([40, null, 20]);
    expect(result.warnings).toEqual([]);
  });

  it('measures homophily: 30 of 40 pairs share the segment against 50% by chance (r = 0.5); every pair shares the region (r = 1)', () => {
    const homophily = Object.fromEntries(resultRows(result, 'referral_homophily').map((r) => [r['attribute'], r]));
    expect(homophily['segment']?.['same_share']).toBe(0.75);
    expect(homophily['segment']?.['chance_share']).toBe(0.5);
    expect(homophily['segment']?.['coefficient']).toBe(0.5);
    expect(homophily['region']?.['coefficient']).toBe(1);
    expect([homophily['segment']?.['passes'], homophily['region']?.['passes']]).toEqual([true, true]);
    // Each B founder brought one B and one A: its pairs' influences on same − chance cancel, so that interval is a point, while r's is not.
    expect(homophily['segment']?.['coefficient_lower'] as number).toBeLessThan(0.5);
    const claims = finding(result, 'referrals.homophily');
    expect(claims.map((f) => [f.estimate, f.n])).toEqual([
      [25, 40],
      [50, 40],
    ]);
    const matrix = resultRows(result, 'who_brings_whom').filter((r) => r['attribute'] === 'segment');
    expect(matrix.map((r) => [r['referrer_value'], r['referred_value'], r['pairs'], r['row_share']])).toEqual([
      ['A', 'A', 20, 1],
      ['A', 'B', null, null],
      ['B', 'A', 10, 0.5],
      ['B', 'B', 10, 0.5],
    ]);
  });

  it('correlates first-year value at equal tenure, leaving out the founders’ second-year purchase', () => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 1; k <= REFERRED; k += 1) {
      xs.push(founderEarlyValue(referrerOf(k)));
      ys.push(referredValue(k));
    }
    const correlation = Object.fromEntries(resultRows(result, 'referral_value_correlation').map((r) => [r['method'], r]));
    expect([correlation['pearson']?.['days'], correlation['pearson']?.['pairs'], correlation['pearson']?.['referrers']]).toEqual([365, REFERRED, FOUNDERS]);
    expect(correlation['pearson']?.['correlation'] as number).toBeCloseTo(pearson(xs, ys), 9);
    expect(finding(result, 'referrals.value_correlation')[0]?.text).toContain("first 365 days");
  });

  it('compares referred customers with the founders: net value per customer-month and NPS (+50 against 0)', () => {
    const comparisons = resultRows(result, 'referred_vs_others');
    const value = comparisons.find((r) => r['comparison'] === 'referred' && r['measure'] === 'net_value_per_month');
    // Founders: 22,210 over 20 × 731 days; referred: 1,940 over 40 × 549 days (months of 30.4375 days).
    const founders = (22_210 * 30.4375) / (20 * 731);
    const referred = (1_940 * 30.4375) / (40 * 549);
    expect(value?.['group_level'] as number).toBeCloseTo(referred, 8);
    expect(value?.['other_level'] as number).toBeCloseTo(founders, 8);
    expect(value?.['raw_difference'] as number).toBeCloseTo(referred - founders, 8);
    const nps = comparisons.find((r) => r['comparison'] === 'referred' && r['measure'] === 'satisfaction');
    expect([nps?.['group_level'], nps?.['other_level'], nps?.['raw_difference']]).toEqual([50, 0, 50]);
    const referrers = comparisons.find((r) => r['comparison'] === 'referrers' && r['measure'] === 'satisfaction');
    expect(referrers?.['raw_difference']).toBe(-50);
  });

  it('adds what the founders brought: 1,940 on top of their own 22,210, a multiplier of 24,150 / 22,210', () => {
    const multiplier = finding(result, 'referrals.multiplier')[0];
    expect(multiplier?.estimate).toBeCloseTo(24_150 / 22_210, 12);
    expect(finding(result, 'referrals.brought_value_per_referrer')[0]?.estimate).toBeCloseTo(1_940 / 20, 12);
    const bySegment = resultRows(result, 'referral_value_by_segment').filter((r) => r['grouping'] === 'segment');
    expect(bySegment.map((r) => [r['level'], r['referrers'], r['customers_brought'], r['own_net_value'], r['brought_net_value']])).toEqual([
      ['A', 10, 20, 11_055, 919],
      ['B', 10, 20, 11_155, 1_021],
    ]);
    const top = resultRows(result, 'top_referrers')[0];
    // Founder 11 brought 31 (52) and 51 (51); ties on customers brought go to more value brought.
    expect([top?.['customer_id'], top?.['customers_brought'], top?.['brought_net_value']]).toEqual(['11', 2, 103]);
  });

  it('gives the same Result from a referrals export as from the "Referred by" column', async () => {
    const other = await analyse('table');
    const strip = (r: Result) => ({ summary: r.summary, findings: r.findings, tables: r.tables, charts: r.charts, warnings: r.warnings });
    expect(strip(other)).toEqual(strip(result));
  });

  it('keeps a pair in scope when its referrer is: segment B refers 20 customers, 10 of them in segment A', async () => {
    const b = await analyse('column', { segment: 'segment = B' });
    const graph = Object.fromEntries(resultRows(b, 'referral_graph').map((r) => [r['measure'], r['count']]));
    expect([graph['customers'], graph['pairs whose referrer is in scope'], graph['customers acquired by referral']]).toEqual([20, 20, 10]);
    const homophily = Object.fromEntries(resultRows(b, 'referral_homophily').map((r) => [r['attribute'], r]));
    // Every referrer in scope is B: the segment cannot be tested; the region still sorts perfectly.
    expect(homophily['segment']?.['coefficient']).toBeNull();
    expect(homophily['region']?.['coefficient']).toBe(1);
    expect(b.findings.filter((f) => f.code === 'referrals.homophily').map((f) => f.text.slice(0, 56))).toEqual(['Customers refer people like themselves by region: 100.0%']);
  });

  it('counts a pair in a period when its referred customer signed up in it', async () => {
    const inside = await analyse('column', { from: '2024-07-01', to: '2024-12-31' });
    expect(resultRows(inside, 'referral_graph').find((r) => r['measure'] === 'pairs whose referrer is in scope')?.['count']).toBe(REFERRED);
    const after = await analyse('column', { from: '2025-01-01' });
    expect(resultRows(after, 'referral_graph').find((r) => r['measure'] === 'pairs whose referrer is in scope')?.['count']).toBe(0);
    expect(after.summary.join(' ')).toContain('No customer in the store was brought by these customers');
    expect(after.findings.filter((f) => f.code === 'referrals.homophily')).toEqual([]);
  });
});
