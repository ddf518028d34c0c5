import { beforeAll, describe, expect, it } from 'vitest';
import { normalCritical } from '../../stats/index.js';
import { Workspace } from '../../workspace/workspace.js';
import { resultSchema, type Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import type { AnalysisFilter } from '../types.js';
import { directConcentration, type KnownCustomer } from './direct-concentration.case.js';
import { makeHandMadeCompany } from './hand-made.case.js';

// bad-revenue on the hand-made company of hand-made.case.ts, whose ratios
// are known by construction: overage 2.25 (0.75 of known revenue from
// detractors, a third of the customers), late fee 1, subscription 0.9375;
// from 2025-01-01 to 2025-03-31 (classes by the period's end) overage 1.5
// and subscription 1,000/4,400 over 1/4. Intervals are checked against the
// Fieller interval computed customer by customer (direct-concentration.case.ts).

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, k) => a + k);
const Z = normalCritical(0.95);

let ws: Workspace;

async function badRevenue(w: Workspace, filter: AnalysisFilter = {}): Promise<Result> {
  const { results } = await w.analyze(['bad-revenue'], filter, { fresh: true });
  const result = results.find((r) => r.name === 'bad-revenue') as Result;
  resultSchema.parse(result);
  return result;
}

function line(result: Result, table: string, label: string): Record<string, unknown> {
  const row = resultRows(result, table).find((r) => r['line'] === label);
  if (row === undefined) throw new Error(`no line ${label} in ${table}`);
  return row;
}

/** The ratio and Fieller interval concentration() must give, from the customers one by one. */
function expectedInterval(customers: KnownCustomer[]): { lower: number; upper: number; ratio: number } {
  return directConcentration(customers, Z);
}

beforeAll(async () => {
  ws = new Workspace(makeHandMadeCompany());
  await ws.import();
}, 120_000);

describe('bad-revenue on a hand-made company whose ratios are known', () => {
  it('flags the overage fee alone, with its exact ratio, its interval customer by customer and the money above the detractors\' share', async () => {
    const r = await badRevenue(ws);
    expect([r.status, r.reason]).toEqual(['ok', undefined]);
    const overage = line(r, 'bad_revenue_detractors', 'Overage fee');
    expect(overage).toMatchObject({ status: 'alert', revenue: 2000, payers: 100, payers_known: 80, revenue_known: 1600, dissatisfied_revenue: 1200 });
    expect(overage['ratio'] as number).toBeCloseTo(2.25, 12);
    expect(overage['customer_share'] as number).toBeCloseTo(1 / 3, 12);
    expect(overage['excess_revenue'] as number).toBeCloseTo(1200 - 1600 / 3, 9);
    // Known customers 1-120: detractors 1-40 pay 30 (two charges of 15: one customer, one term), 41-60 and 81-100 pay 10.
    const known: KnownCustomer[] = range(1, 120).map((i) => ({ d: i <= 40 ? 1 : 0, y: i <= 40 ? 30 : (i >= 41 && i <= 60) || (i >= 81 && i <= 100) ? 10 : 0, w: 1 }));
    const expected = expectedInterval(known);
    expect(overage['lower'] as number).toBeCloseTo(expected.lower, 10);
    expect(overage['upper'] as number).toBeCloseTo(expected.upper, 10);

    const late = line(r, 'bad_revenue_detractors', 'Late fee');
    expect(late['ratio'] as number).toBeCloseTo(1, 12);
    expect(late['status']).toBe('not clearly above its share');
    const subscription = line(r, 'bad_revenue_detractors', 'subscription');
    expect(subscription['ratio'] as number).toBeCloseTo(2000 / 6400 / (1 / 3), 12);
    // The refund of customer 1's subscription is no revenue line and counts in none.
    expect(subscription['revenue']).toBe(140 * 50 + 40 * 60);

    const findings = r.findings.filter((f) => f.code === 'bad-revenue.line');
    expect(findings.map((f) => [f.text.split(':')[0], f.severity])).toEqual([
      ['Overage fee', 'high'],
      ['Late fee', 'info'],
      ['subscription', 'info'],
    ]);
    const alert = findings[0];
    expect(alert?.text).toMatch(/^Overage fee: 75\.0% of its \$1,600 from customers whose class is known comes from detractors, who are 33\.3% of those customers \(2\.25x, 95% CI 1\.\d\dx to 2\.\d\dx\): it earns clearly more than its share from detractors, \$667 above their share/);
    expect(alert?.moneyAtStake).toEqual({ amount: expect.closeTo(1200 - 1600 / 3, 9), currency: 'USD', period: 'total' });
    expect(alert?.n).toBe(80);
    expect(r.summary[0]).toMatch(/^One revenue line earns clearly more than its share from detractors .*: Overage fee \(2\.25x their share\), \$667 above their share in all; 3 lines compared\.$/);
  });

  it('pools the two small fee lines (too small together) and reports the small purchase line as too small', async () => {
    const r = await badRevenue(ws);
    const rows = resultRows(r, 'bad_revenue_detractors');
    const pool = 'other fees (2 small lines pooled)';
    expect(rows.map((x) => [x['line'], x['status']])).toEqual([
      ['Overage fee', 'alert'],
      ['Late fee', 'not clearly above its share'],
      ['Paper bill fee', `pooled into ${pool}`],
      ['card_fee', `pooled into ${pool}`],
      ['subscription', 'not clearly above its share'],
      ['one_off', 'too small to compare'],
      [pool, 'too small to compare'],
    ]);
    // The pool sums both lines per customer: 5 + 4 payers, 12.5 + 12 of revenue; card_fee's 4 payers are suppressed.
    expect(line(r, 'bad_revenue_detractors', pool)).toMatchObject({ payers: 9, payers_known: 9, revenue: 24.5 });
    expect(line(r, 'bad_revenue_detractors', 'card_fee')['payers']).toBeNull();
  });

  it('shows low CSAT and later churn beside, with the coverage and the overall share of revenue from detractors as context', async () => {
    const r = await badRevenue(ws);
    expect(r.tables.map((t) => t.name)).toEqual(['bad_revenue_detractors', 'bad_revenue_low_csat', 'bad_revenue_churned', 'bad_revenue_coverage']);
    // Low CSAT is 1-20: a sixth of the known; they pay 600 of the overage's 1,600 and 300 of the late fee's 900.
    expect(line(r, 'bad_revenue_low_csat', 'Overage fee')['ratio'] as number).toBeCloseTo(600 / 1600 / (1 / 6), 12);
    expect(line(r, 'bad_revenue_low_csat', 'Late fee')['ratio'] as number).toBeCloseTo(300 / 900 / (1 / 6), 12);
    expect(line(r, 'bad_revenue_low_csat', 'Overage fee')['status']).toBe('shown, not screened');
    const coverage = resultRows(r, 'bad_revenue_coverage');
    expect(coverage.map((c) => [c['class'], c['customers'], c['known'], c['basis']])).toEqual([
      ['detractors', 180, 120, 'customers'],
      ['low_csat', 180, 120, 'customers'],
      ['churned', 180, 180, 'customer-months'],
    ]);
    // Detractors paid 1,200 + 300 + 2,000 + 12.5 + 240 of the 9,164.5 known customers paid.
    const share = r.findings.find((f) => f.code === 'bad-revenue.overall_share');
    expect(share?.estimate).toBeCloseTo(3752.5 / 9164.5, 12);
    expect(share?.text).toMatch(/rule of thumb says that more than 10% of revenue from detractors deserves attention \(it is above\)/);
    expect(share?.severity).toBe('info');
    expect(r.charts[0]?.data.values.map((v) => v['line'])).toEqual(['Overage fee', 'Late fee', 'subscription']);
  });

  it('weighs later churn by customer-months: the churned class ratio is the customer-by-customer one over exposure', async () => {
    const r = await badRevenue(ws);
    const store = await ws.openStore();
    let exposure: Map<string, { days: number; churned: boolean }>;
    try {
      const rows = await store.engine.query<{ customer_id: string; exposure_days: number; churned: boolean }>('SELECT customer_id, exposure_days, churned FROM customer_facts');
      exposure = new Map(rows.map((x) => [String(x.customer_id), { days: Number(x.exposure_days), churned: Boolean(x.churned) }]));
    } finally {
      await store.close();
    }
    const customers: KnownCustomer[] = range(1, 180).map((i) => {
      const e = exposure.get(String(i));
      return { d: e?.churned === true ? 1 : 0, y: i <= 40 ? 30 : (i >= 41 && i <= 60) || (i >= 81 && i <= 100) ? 10 : i >= 121 && i <= 140 ? 20 : 0, w: (e?.days ?? 0) / 30.4375 };
    });
    expect(customers.filter((c) => c.d === 1)).toHaveLength(10);
    const expected = expectedInterval(customers);
    const overage = line(r, 'bad_revenue_churned', 'Overage fee');
    expect(overage['ratio'] as number).toBeCloseTo(expected.ratio, 10);
    expect(overage['lower'] as number).toBeCloseTo(expected.lower, 9);
    expect(overage['upper'] as number).toBeCloseTo(expected.upper, 9);
  });

  it('in a period, counts its payments and takes each class from the latest answer by its end', async () => {
    const r = await badRevenue(ws, { from: '2025-01-01', to: '2025-03-31' });
    expect(r.provenance.filter).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    // By 2025-03-31 only the 2024 answers are known: 1-40 and 81-120, detractors 1-20; CSAT was asked later.
    expect(r.tables.map((t) => t.name)).toEqual(['bad_revenue_detractors', 'bad_revenue_churned', 'bad_revenue_coverage']);
    const overage = line(r, 'bad_revenue_detractors', 'Overage fee');
    expect(overage).toMatchObject({ status: 'alert', revenue: 1400, payers_known: 60, revenue_known: 800, dissatisfied_revenue: 300 });
    expect(overage['ratio'] as number).toBeCloseTo(1.5, 12);
    const known: KnownCustomer[] = [...range(1, 40), ...range(81, 120)].map((i) => ({ d: i <= 20 ? 1 : 0, y: i <= 40 ? 15 : i <= 100 ? 10 : 0, w: 1 }));
    expect(known.reduce((s, c) => s + c.y, 0)).toBe(800);
    const expected = expectedInterval(known);
    expect(overage['lower'] as number).toBeCloseTo(expected.lower, 10);
    expect(line(r, 'bad_revenue_detractors', 'subscription')['ratio'] as number).toBeCloseTo(1000 / 4400 / (20 / 80), 12);
    expect(resultRows(r, 'bad_revenue_detractors').map((x) => x['line'])).toEqual(['Overage fee', 'subscription']);
  });

  it('honours a segment rule: the north (odd ids) holds half of every count, and the same ratios', async () => {
    const r = await badRevenue(ws, { segment: 'region = north' });
    const overage = line(r, 'bad_revenue_detractors', 'Overage fee');
    expect(overage).toMatchObject({ status: 'alert', revenue: 1000, payers: 50, payers_known: 40, revenue_known: 800 });
    expect(overage['ratio'] as number).toBeCloseTo(2.25, 12);
    expect(resultRows(r, 'bad_revenue_coverage')[0]).toMatchObject({ customers: 90, known: 60 });
  });

  it('is skipped, saying what to map, when nothing tells the dissatisfied apart (no survey, no churn)', async () => {
    const bare = new Workspace(makeHandMadeCompany({ surveys: false, churn: false }));
    await bare.import();
    const r = await badRevenue(bare);
    expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/^No way to tell dissatisfied customers here: .*NPS or CSAT.*subscriptions export/)]);
    // Churn alone is enough: the class alerted on is then the customers who later churned.
    const churnOnly = new Workspace(makeHandMadeCompany({ surveys: false }));
    await churnOnly.import();
    const c = await badRevenue(churnOnly);
    expect([c.status, c.tables[0]?.name]).toEqual(['ok', 'bad_revenue_churned']);
  });
});
