import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../engine/duckdb/engine.js';
import { loadCleanTables, numbers, one } from './clean-tables.case.js';
import { simulateCompany } from './simulate-company.js';
import { readTruth, type Truth } from './truth.js';

// Value structures (ideal and misaligned segments, behaviours that save
// money, the unfair fee, value concentration), recomputed from the files in
// DuckDB with the definitions of docs/simulated-company.md, compared (a) with
// truth.json's realised values, tightly, and (b) with the planted targets,
// within the stated tolerances, at 20k customers.
const CUSTOMERS = 20_000;
const TIGHT = 1e-3;

let dir: string;
let truth: Truth;
let db: DuckDbEngine;
let end: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxray-sim-value-'));
  const summary = await simulateCompany({ customers: CUSTOMERS, seed: 3, outDir: dir });
  truth = await readTruth(summary.truthPath);
  db = await loadCleanTables(dir, truth);
  end = `TIMESTAMP '${truth.asOf}' + INTERVAL 1 DAY`;
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const close = (actual: number, expected: number, relative = TIGHT): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
};

async function groupValues(filter: string): Promise<Record<string, number>> {
  const cost = truth.assumptions.handlingCostPerAgentMinute;
  return one(db, `
    WITH c AS (SELECT * FROM contacts WHERE ${filter}),
    e AS (SELECT * FROM c WHERE signup + INTERVAL 12 MONTH <= ${end}),
    p AS (SELECT e.id, sum(CASE WHEN type = 'credit' THEN -amount ELSE amount END - refunded) AS v
          FROM payments JOIN e ON payments.cid = e.id WHERE payments.at < e.signup + INTERVAL 12 MONTH GROUP BY e.id),
    t AS (SELECT e.id, sum(minutes) AS m FROM tickets JOIN e ON tickets.cid = e.id WHERE tickets.at < e.signup + INTERVAL 12 MONTH GROUP BY e.id),
    v AS (SELECT CAST(coalesce(p.v, 0) AS DOUBLE) - coalesce(t.m, 0) * ${cost} AS net12,
            (s.canceled IS NULL OR s.canceled >= e.signup + INTERVAL 12 MONTH) AS retained
          FROM e LEFT JOIN p USING (id) LEFT JOIN t USING (id) LEFT JOIN subscriptions s ON s.cid = e.id),
    n AS (SELECT 100.0 * (count(*) FILTER (nps >= 9) - count(*) FILTER (nps <= 6)) / count(*) AS nps FROM survey JOIN c ON c.id = survey.cid)
    SELECT (SELECT count(*) FROM c) AS customers, (SELECT count(*) FROM e) AS eligible, (SELECT avg(net12) FROM v) AS net12,
      (SELECT avg(CASE WHEN retained THEN 1 ELSE 0 END) FROM v) AS retention, (SELECT nps FROM n) AS nps`);
}

describe('ideal and misaligned segments', () => {
  it('recovers the ideal segment: share, fit lift, satisfaction and retention', async () => {
    const all = await groupValues('true');
    const ideal = await groupValues('ideal');
    const r = truth.idealSegment.realised;
    expect(all.customers).toBe(CUSTOMERS);
    expect(ideal.customers).toBe(r.ideal.customers);
    expect(all.eligible).toBe(r.all.eligible12);
    close(ideal.net12 ?? 0, r.ideal.meanNetValue12);
    close(all.net12 ?? 0, r.all.meanNetValue12);
    close(ideal.retention ?? 0, r.ideal.retention12);
    close(ideal.nps ?? 0, r.ideal.nps);
    const share = (ideal.customers ?? 0) / CUSTOMERS;
    const lift = (ideal.net12 ?? 0) / (all.net12 ?? 1);
    close(lift, r.fitLift);
    // Planted: 8% ± 1.5pp, fit lift 1.6 ± 0.15; happier and more loyal.
    expect(Math.abs(share - truth.idealSegment.planted.share)).toBeLessThanOrEqual(0.015);
    expect(Math.abs(lift - truth.idealSegment.planted.fitLift)).toBeLessThanOrEqual(0.15);
    expect(ideal.nps).toBeGreaterThan((all.nps ?? 0) + 15);
    expect(ideal.retention).toBeGreaterThan((all.retention ?? 0) + 0.1);
  });

  it('recovers the misaligned segment: negative net value, below-average satisfaction', async () => {
    const all = await groupValues('true');
    const mis = await groupValues('misaligned');
    const r = truth.misalignedSegment.realised.misaligned;
    expect(mis.customers).toBe(r.customers);
    close(mis.net12 ?? 0, r.meanNetValue12);
    close(mis.nps ?? 0, r.nps);
    expect(mis.net12).toBeLessThan(-20);
    expect(mis.nps).toBeLessThan((all.nps ?? 0) - 20);
    expect((mis.customers ?? 0) / CUSTOMERS).toBeGreaterThan(0.02);
  });
});

describe('behaviours that save money', () => {
  it('recovers each behaviour saving per customer-month within 3.5 standard errors of the expected value', async () => {
    for (const b of truth.behaviours) {
      const rows = (await db.query(`
        WITH months AS (SELECT cid, count(*) AS m FROM payments WHERE type = 'subscription' GROUP BY cid),
        cost AS (SELECT cid, sum(minutes) AS cost FROM tickets GROUP BY cid),
        adopt AS (SELECT DISTINCT cid FROM events WHERE name = $event),
        per AS (SELECT (a.cid IS NOT NULL) AS adopter, CAST(coalesce(m.m, 0) AS DOUBLE) AS m, CAST(coalesce(cost.cost, 0) AS DOUBLE) * ${truth.assumptions.handlingCostPerAgentMinute} AS cost
                FROM contacts c LEFT JOIN months m ON m.cid = c.id LEFT JOIN cost ON cost.cid = c.id LEFT JOIN adopt a ON a.cid = c.id)
        SELECT adopter, count(*) AS n, sum(m) AS months, sum(cost) AS cost, sum(cost * cost) AS cc, sum(m * m) AS mm, sum(cost * m) AS cm
        FROM per GROUP BY adopter ORDER BY adopter`, { event: b.event })).map(numbers);
      const [others, adopters] = rows;
      if (others === undefined || adopters === undefined) throw new Error('missing group');
      const ratio = (g: Record<string, number>): number => (g.cost ?? 0) / (g.months ?? 1);
      // Delta-method variance of a ratio of sums over customers.
      const variance = (g: Record<string, number>): number => {
        const n = g.n ?? 0;
        const r = ratio(g);
        const mean = (g.months ?? 0) / n;
        return ((g.cc ?? 0) - 2 * r * (g.cm ?? 0) + r * r * (g.mm ?? 0)) / (n * (n - 1) * mean * mean);
      };
      const saving = ratio(others) - ratio(adopters);
      const se = Math.sqrt(variance(others) + variance(adopters));
      expect(adopters.n, b.name).toBe(b.realised.adopters);
      close(saving, b.realised.savingPerCustomerMonth, 1e-3);
      close(se, b.realised.savingStandardError, 1e-2);
      expect(se, b.name).toBeLessThan(0.2);
      expect(Math.abs(saving - b.planted.savingPerCustomerMonth), b.name).toBeLessThanOrEqual(3.5 * se);
      expect(saving, b.name).toBeGreaterThan(0.2);
    }
  });

  it('removes the fee each behaviour avoids, and links satisfaction only where planted', () => {
    const byName = new Map(truth.behaviours.map((b) => [b.name, b.realised]));
    expect(byName.get('autopay')?.feeRevenuePerMonthAdopters).toBe(0);
    expect(byName.get('autopay')?.feeRevenuePerMonthNonAdopters).toBeGreaterThan(1);
    expect(byName.get('paperless_billing')?.feeRevenuePerMonthAdopters).toBe(0);
    expect(byName.get('paperless_billing')?.feeRevenuePerMonthNonAdopters).toBeCloseTo(2.5, 6);
    for (const b of truth.behaviours) {
      const gap = b.realised.npsAdopters - b.realised.npsNonAdopters;
      if (b.planted.satisfactionShift > 0) expect(gap, b.name).toBeGreaterThan(10);
      else expect(Math.abs(gap), b.name).toBeLessThan(6);
    }
    expect(truth.referring.realised.npsReferrers).toBeGreaterThan(truth.referring.realised.npsOthers + 5);
  });
});

describe('fees', () => {
  it('concentrates overage fees on detractors (1.5 ± 0.15) and keeps other fees fair (1.0 ± 0.12)', async () => {
    const rows = (await db.query<{ type: string; det: number; share: number }>(`
      WITH latest AS (SELECT cid, arg_max(nps, survey."at") AS nps FROM survey GROUP BY cid),
      cls AS (SELECT cid, nps <= 6 AS detractor FROM latest),
      fees AS (SELECT cid, type, sum(amount) AS revenue FROM payments WHERE type IN ('late_fee', 'paper_bill_fee', 'overage_fee') GROUP BY cid, type)
      SELECT type, CAST(sum(revenue) FILTER (detractor) / sum(revenue) AS DOUBLE) AS det,
        (SELECT CAST(avg(CASE WHEN detractor THEN 1 ELSE 0 END) AS DOUBLE) FROM cls) AS share
      FROM fees JOIN cls USING (cid) GROUP BY type`));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const fee = truth.fees.find((f) => f.chargeType === row.type);
      if (fee === undefined) throw new Error(row.type);
      const ratio = row.det / row.share;
      close(ratio, fee.realised.concentrationRatio);
      close(row.share, fee.realised.detractorCustomerShare);
      expect(Math.abs(ratio - fee.planted.concentrationRatio), row.type).toBeLessThanOrEqual(row.type === 'overage_fee' ? 0.15 : 0.12);
    }
  });
});

describe('value concentration and prospects', () => {
  it('recomputes the top-decile shares and the Gini of revenue per customer', async () => {
    const v = await one(db, `
      WITH rev AS (SELECT c.id, CAST(coalesce(sum(CASE WHEN type <> 'credit' THEN amount - refunded END), 0) AS DOUBLE) AS r
                   FROM contacts c LEFT JOIN payments p ON p.cid = c.id GROUP BY c.id),
      ranked AS (SELECT r, row_number() OVER (ORDER BY r DESC) AS down, row_number() OVER (ORDER BY r) AS up,
                   count(*) OVER () AS n, sum(r) OVER () AS total FROM rev)
      SELECT sum(r) FILTER (down <= round(n * 0.1)) / any_value(total) AS top10, sum(r) FILTER (down <= round(n * 0.2)) / any_value(total) AS top20,
        2 * sum(up * r) / (any_value(n) * any_value(total)) - (any_value(n) + 1) / any_value(n) AS gini FROM ranked`);
    const t = truth.valueConcentration;
    close(v.top10 ?? 0, t.top10Share);
    close(v.top20 ?? 0, t.top20Share);
    close(v.gini ?? 0, t.gini);
    expect(t.top10Share).toBeGreaterThan(0.2);
    expect(t.gini).toBeGreaterThan(0.3);
  });

  it('writes prospects from the acquisition distribution, about one per 20 customers', async () => {
    const p = await one(db, `SELECT count(*) AS n, count(*) FILTER ("Acquisition Channel" = 'referral' AND "Contract Type" = 'annual' AND "Segment" = 'retail') AS ideal FROM prospects`);
    expect(p.n).toBe(CUSTOMERS / 20);
    expect(p.ideal).toBe(truth.prospects.matchingIdealProfile);
    expect((p.ideal ?? 0) / (p.n ?? 1)).toBeGreaterThan(0.02);
    expect((p.ideal ?? 0) / (p.n ?? 1)).toBeLessThan(0.12);
  });
});
