import { beforeAll, describe, expect, it } from 'vitest';
import { resultSchema, type Result } from '../result.js';
import type { AnalysisFilter } from '../types.js';
import { Workspace } from '../../workspace/workspace.js';
import { makeThreeSegments } from './three-segments.case.js';
import { resultRows } from '../result-rows.case.js';

// The hand-made three-segment workspace (three-segments.case.ts): every
// figure below is known by construction. 366 days of exposure each.
const MONTHS = 366 / 30.4375;


async function value(ws: Workspace, filter: AnalysisFilter = {}): Promise<Result> {
  const { results } = await ws.analyze(['value'], filter, { fresh: true });
  const result = results.find((r) => r.name === 'value') as Result;
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  resultSchema.parse(result);
  return result;
}

let full: Workspace;
let noDesk: Workspace;

beforeAll(async () => {
  full = new Workspace(makeThreeSegments());
  noDesk = new Workspace(makeThreeSegments({ interactions: false }));
  await full.import();
  await noDesk.import();
}, 120_000);

describe('value on a hand-made workspace whose answer is known by construction', () => {
  it('shows every part of net value with its exact total, and net value per customer and per customer-month', async () => {
    const r = await value(full);
    const parts = Object.fromEntries(resultRows(r, 'value_parts').map((p) => [String(p['part']), p]));
    expect(Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, p['total']]))).toEqual({
      revenue: 31_350,
      fees: 1_200,
      refunds: 600,
      credits: 3_600,
      cost_of_goods: null,
      cost_to_serve: 16_200,
      net_value: 12_150,
    });
    // Cost of goods is not in these exports: unknown, not zero.
    expect(parts['cost_of_goods']?.['known']).toBe(false);
    expect(r.summary.join(' ')).toMatch(/Cost of goods is not given/);
    expect(parts['net_value']?.['per_customer']).toBe(12_150 / 180);
    expect(parts['net_value']?.['per_customer_month'] as number).toBeCloseTo(12_150 / (180 * MONTHS), 12);
    expect(parts['cost_to_serve']?.['per_customer_month'] as number).toBeCloseTo(16_200 / (180 * MONTHS), 12);
    const perMonth = r.findings.find((f) => f.code === 'value.net_value_per_month');
    expect(perMonth?.interval.lower).toBeLessThan(perMonth?.estimate ?? 0);
    expect(perMonth?.text).toMatch(/revenue \$14\.48 \+ fees and penalties \$0\.55 − refunds \$0\.28 − credits \$1\.66 − cost to serve \$7\.48/);
    const channels = Object.fromEntries(resultRows(r, 'cost_to_serve_by_channel').map((c) => [c['channel'], c['total']]));
    expect(channels).toMatchObject({ phone: 6_000, chat: 9_600, email: 600, 'walk-in': 0, web: 0 });
  });

  it('finds the customers who cost more than they bring and their share of revenue', async () => {
    const r = await value(full);
    const unprofitable = Object.fromEntries(resultRows(r, 'unprofitable').map((u) => [u['measure'], u]));
    expect(unprofitable['customers']).toMatchObject({ amount: 120, share: 120 / 180 });
    expect(unprofitable['gross_revenue']?.['share'] as number).toBeCloseTo(12_900 / 32_550, 12);
    expect(r.findings.find((f) => f.code === 'value.unprofitable_customers')?.text).toMatch(/^120 customers \(66\.7%/);
  });

  it('reports segments A and B as losing money and C as bringing more, screened; regions do not differ', async () => {
    const r = await value(full);
    const segments = Object.fromEntries(resultRows(r, 'value_by_segment').map((s) => [`${String(s['grouping'])}=${String(s['level'])}`, s]));
    expect(Object.keys(segments).sort()).toEqual(['region=north', 'region=south', 'segment=A', 'segment=B', 'segment=C']);
    expect(segments['segment=A']?.['net_value_total']).toBe(-3_150);
    expect(segments['segment=A']?.['per_customer_month'] as number).toBeCloseTo(-3_150 / (60 * MONTHS), 12);
    expect(segments['segment=A']?.['credits_per_month'] as number).toBeCloseTo(3_600 / (60 * MONTHS), 12);
    expect(segments['segment=B']?.['cost_to_serve_per_month'] as number).toBeCloseTo(9_600 / (60 * MONTHS), 12);
    expect(segments['segment=C']?.['cost_of_goods_per_month']).toBeNull();
    for (const s of ['segment=A', 'segment=B', 'segment=C']) expect(segments[s]?.['passes'], s).toBe(true);
    for (const s of ['region=north', 'region=south']) expect(segments[s]?.['passes'], s).toBe(false);
    const sentences = r.findings.filter((f) => f.code === 'value.segment_difference').map((f) => f.text);
    expect(sentences).toHaveLength(3);
    expect(sentences[0]).toMatch(/^Customers with segment A cost \$4\.37 per customer-month more than they bring \(95% CI \$4\.24 to \$4\.49; n = 60\)/);
    expect(r.findings.find((f) => f.code === 'value.segment_difference' && f.text.includes('segment A'))?.moneyAtStake?.amount as number).toBeCloseTo((3_150 / (60 * MONTHS)) * 12 * 60, 6);
    // Charts: the histogram and the segments with their intervals.
    expect(r.charts.map((c) => c.title)).toEqual(['Customers by net value to date', 'Net value per customer-month by segment']);
    const bins = resultRows(r, 'net_value_histogram');
    expect(bins.reduce((s, b) => s + ((b['customers'] as number | null) ?? 0), 0)).toBe(180);
  });

  it('counts only the money and exposure inside a period', async () => {
    // 2024-03-01 to 2024-06-30: every purchase, credit, fee and refund; contacts in months 3-6
    // (4 of A's 10 phone calls, 7 of B's 16 chats, none of C's); 122 days of each customer's exposure.
    const r = await value(full, { from: '2024-03-01', to: '2024-06-30' });
    const parts = Object.fromEntries(resultRows(r, 'value_parts').map((p) => [p['part'], p['total']]));
    expect(parts).toMatchObject({ revenue: 31_350, fees: 1_200, refunds: 600, credits: 3_600, cost_to_serve: 60 * 40 + 60 * 70, net_value: 21_750 });
    const net = resultRows(r, 'value_parts').find((p) => p['part'] === 'net_value');
    expect(net?.['per_customer_month'] as number).toBeCloseTo(21_750 / (180 * (122 / 30.4375)), 10);
    expect(r.method.assumptions[0]).toMatch(/Only money dated from 2024-03-01 to 2024-06-30 counts/);
  });

  it('answers for a segment rule', async () => {
    const r = await value(full, { segment: 'region = north' });
    const parts = Object.fromEntries(resultRows(r, 'value_parts').map((p) => [p['part'], p['total']]));
    // North: odd ids, i mod 4 in {1, 3}: net value per customer 5·(i mod 4) − 60 in A and B, 300 + 5·(i mod 4) in C.
    expect(parts['net_value']).toBe(30 * -50 * 2 + 30 * 310);
    expect(resultRows(r, 'value_parts')[0]?.['customers']).toBe(90);
  });

  it('says cost to serve is unknown without interactions, in words, instead of counting it as zero', async () => {
    const r = await value(noDesk);
    const parts = Object.fromEntries(resultRows(r, 'value_parts').map((p) => [p['part'], p]));
    expect(parts['cost_to_serve']).toMatchObject({ known: false, total: null, per_customer_month: null });
    expect(parts['net_value']?.['total']).toBe(12_150 + 16_200);
    expect(r.summary.some((s) => /^Cost to serve is unknown: This import has no interactions rows/.test(s))).toBe(true);
    expect(r.summary[0]).toMatch(/\(cost to serve not counted: unknown\)\.$/);
    expect(r.method.assumptions.join(' ')).toMatch(/net value here is before cost to serve/);
    expect(r.findings.map((f) => f.code)).not.toContain('value.part.cost_to_serve');
    expect(resultRows(r, 'cost_to_serve_by_channel')).toEqual([]);
  });
});
