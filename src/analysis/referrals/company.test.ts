import { beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../../simulate/truth.js';
import type { Result } from '../result.js';
import { importStandardCompany } from '../value/company-workspace.case.js';
import { resultRows } from '../result-rows.case.js';

// referrals on the standard simulated company (20,000 customers, seed 1).
// Planted (truth.json referrals): a referred customer's referrer is drawn
// from its own segment with probability 0.6, else from everyone; realised
// over 4,680 pairs: 75.19% share the segment against 38.74% by chance. The
// import quarantines 4 referral rows naming no customer (the simulator's
// planted junk), none of the 4,680 pairs, so cxray counts the same pairs and
// its same-segment share is the realised one exactly. Planted too
// (truth.json referring): happier customers refer more; realised NPS over
// every answer 6.8 for referrers against −6.4 for the others.

let truth: Truth;
let result: Result;


beforeAll(async () => {
  const imported = await importStandardCompany('referrals-company');
  truth = imported.truth;
  const { results } = await imported.ws.analyze(['referrals'], {}, { fresh: true });
  result = results.find((r) => r.name === 'referrals') as Result;
}, 300_000);

describe('referrals on the standard simulated company', () => {
  it('detects the planted homophily on segment, with the realised same-segment and chance shares over the same 4,680 pairs', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const realised = truth.referrals.realised;
    const segment = resultRows(result, 'referral_homophily').find((r) => r['attribute'] === 'segment');
    expect(segment?.['pairs']).toBe(realised.pairs);
    expect(segment?.['same_share'] as number).toBeCloseTo(realised.sameSegmentShare, 6);
    expect(segment?.['chance_share'] as number).toBeCloseTo(realised.chanceShare, 6);
    expect(segment?.['passes']).toBe(true);
    expect(segment?.['difference_lower'] as number).toBeGreaterThan(30);
    // Planted: the same segment with probability p, else a referrer drawn from everyone, who matches by chance about as often as E.
    const p = truth.referrals.planted.sameSegmentProbability;
    expect(segment?.['same_share'] as number).toBeCloseTo(p + (1 - p) * realised.chanceShare, 1);
    const claim = result.findings.find((f) => f.code === 'referrals.homophily' && f.text.includes('by segment'));
    expect(claim?.severity).toBe('medium');
    expect(result.summary.some((s) => s.startsWith('Customers refer people like themselves by segment: 75.2% of 4,680'))).toBe(true);
    // Nothing was planted on region or age: neither is claimed.
    for (const attribute of ['region', 'age_band']) expect(resultRows(result, 'referral_homophily').find((r) => r['attribute'] === attribute)?.['passes'], attribute).toBe(false);
  });

  it('counts the referrers truth.json counts, more satisfied than the others as planted', () => {
    const graph = Object.fromEntries(resultRows(result, 'referral_graph').map((r) => [r['measure'], r['count']]));
    expect(graph['referrers (referred at least one customer)']).toBe(truth.referring.realised.referrers);
    expect(graph['customers acquired by referral']).toBe(truth.referrals.realised.referralChannelCustomers);
    const nps = resultRows(result, 'referred_vs_others').find((r) => r['comparison'] === 'referrers' && r['measure'] === 'satisfaction');
    expect(nps?.['raw_lower'] as number).toBeGreaterThan(0);
    // cxray scores each customer's latest answer, truth.json every answer: close, not equal; truth lies in each interval.
    const { npsReferrers, npsOthers } = truth.referring.realised;
    expect(nps?.['group_lower'] as number).toBeLessThan(npsReferrers);
    expect(nps?.['group_upper'] as number).toBeGreaterThan(npsReferrers);
    expect(nps?.['other_lower'] as number).toBeLessThan(npsOthers);
    expect(nps?.['other_upper'] as number).toBeGreaterThan(npsOthers);
  });

  it('reports who brings whom, the value at equal tenure and the multiplier with their n and intervals', () => {
    const retail = resultRows(result, 'who_brings_whom').filter((r) => r['attribute'] === 'segment' && r['referrer_value'] === 'retail');
    expect(retail.reduce((s, r) => s + (r['row_share'] as number), 0)).toBeCloseTo(1, 9);
    const correlation = result.findings.find((f) => f.code === 'referrals.value_correlation');
    expect(correlation?.interval.lower as number).toBeLessThan(correlation?.estimate as number);
    expect(correlation?.n as number).toBeGreaterThan(1000);
    const multiplier = result.findings.find((f) => f.code === 'referrals.multiplier');
    expect(multiplier?.interval.lower as number).toBeGreaterThan(1);
    for (const f of result.findings) expect(f.interval.lower, f.code).toBeLessThanOrEqual(f.interval.upper);
    expect(result.charts.length).toBeGreaterThanOrEqual(3);
  });
});
