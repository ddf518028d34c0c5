import { beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../../simulate/truth.js';
import type { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { importStandardCompany, PROFILE_ATTRIBUTES } from './company-workspace.case.js';
import { resultRows } from '../result-rows.case.js';

// value on the standard simulated company (20,000 customers, seed 1, support
// costs appended). Its totals must be customer_facts' own sums, to the cent;
// its segment figures those of a direct SQL GROUP BY; and the planted
// structure must show: the ideal segment's attributes (acquired by referral,
// annual contract, retail) bring more per customer-month than the others,
// the misaligned one's (outbound, public) less.

let ws: Workspace;
let truth: Truth;
let result: Result;
let direct: { total: string; customers: bigint; unprofitable: bigint; groups: Record<string, unknown>[] };


beforeAll(async () => {
  ({ ws, truth } = await importStandardCompany('value-company'));
  const { results } = await ws.analyze(['value'], {}, { fresh: true });
  result = results.find((r) => r.name === 'value') as Result;
  const store = await ws.openStore();
  try {
    const [totals] = await store.engine.query<{ total: string; customers: bigint; unprofitable: bigint }>(
      'SELECT CAST(sum(net_value) AS VARCHAR) AS total, count(*) AS customers, count(*) FILTER (WHERE net_value < 0) AS unprofitable FROM customer_facts',
    );
    const groups = await store.engine.query(
      `SELECT 'segment' AS g, segment AS level, CAST(sum(net_value) AS VARCHAR) AS total, sum(CAST(net_value AS DOUBLE)) / sum(exposure_days / 30.4375) AS per_month FROM customer_facts GROUP BY segment
       UNION ALL SELECT 'acquisition_channel', acquisition_channel, CAST(sum(net_value) AS VARCHAR), sum(CAST(net_value AS DOUBLE)) / sum(exposure_days / 30.4375) FROM customer_facts GROUP BY acquisition_channel
       UNION ALL SELECT 'contract_type', contract_type, CAST(sum(net_value) AS VARCHAR), sum(CAST(net_value AS DOUBLE)) / sum(exposure_days / 30.4375) FROM customer_facts GROUP BY contract_type`,
    );
    direct = { ...(totals as { total: string; customers: bigint; unprofitable: bigint }), groups };
  } finally {
    await store.close();
  }
}, 300_000);

describe('value on the standard simulated company', () => {
  it('reports total net value equal to the sum of customer_facts.net_value, exactly, and every part beside it', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const parts = Object.fromEntries(resultRows(result, 'value_parts').map((p) => [p['part'], p]));
    expect(parts['net_value']?.['total']).toBe(Number(direct.total));
    expect(parts['net_value']?.['customers']).toBe(Number(direct.customers));
    const signed = ['revenue', 'fees', 'refunds', 'credits', 'cost_to_serve'].reduce((s, k) => s + (parts[k]?.['sign'] as number) * (parts[k]?.['total'] as number), 0);
    expect(signed).toBeCloseTo(Number(direct.total), 4);
    // The simulator writes no cost of goods (its Fee column is Stripe's processing fee, not in net value).
    expect(parts['cost_of_goods']?.['known']).toBe(false);
    expect(resultRows(result, 'unprofitable').find((u) => u['measure'] === 'customers')?.['amount']).toBe(Number(direct.unprofitable));
    const channels = resultRows(result, 'cost_to_serve_by_channel');
    expect(channels.reduce((s, c) => s + (c['total'] as number), 0)).toBeCloseTo(parts['cost_to_serve']?.['total'] as number, 4);
  });

  it('gives each segment the totals and net value per customer-month of a direct SQL GROUP BY', () => {
    const segments = resultRows(result, 'value_by_segment');
    for (const g of direct.groups) {
      const row = segments.find((s) => s['grouping'] === g['g'] && s['level'] === g['level']);
      expect(row, `${String(g['g'])}=${String(g['level'])}`).toBeDefined();
      expect(row?.['net_value_total']).toBe(Number(g['total']));
      expect(row?.['per_customer_month'] as number).toBeCloseTo(g['per_month'] as number, 9);
    }
  });

  it('shows the planted ideal segment bringing more per customer-month, and the misaligned one less', () => {
    const segments = resultRows(result, 'value_by_segment');
    const of = (definition: Truth['idealSegment']['definition']) =>
      Object.entries(PROFILE_ATTRIBUTES).map(([field, attribute]) => segments.find((s) => s['grouping'] === attribute && s['level'] === definition[field as keyof typeof definition]));
    for (const s of of(truth.idealSegment.definition)) {
      expect(s?.['passes'], String(s?.['level'])).toBe(true);
      expect(s?.['difference'] as number, String(s?.['level'])).toBeGreaterThan(0);
    }
    const misaligned = of(truth.misalignedSegment.definition);
    for (const s of misaligned.filter((x) => x?.['grouping'] !== 'contract_type')) {
      expect(s?.['passes'], String(s?.['level'])).toBe(true);
      expect(s?.['difference'] as number, String(s?.['level'])).toBeLessThan(-10);
    }
    const findings = result.findings.filter((f) => f.code === 'value.segment_difference');
    expect(findings.some((f) => f.text.startsWith('Customers with segment public bring'))).toBe(true);
  });
});
