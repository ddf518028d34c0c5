import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../engine/duckdb/engine.js';
import { loadCleanTables, numbers, one } from './clean-tables.case.js';
import { driverWeights } from './relative-weights.js';
import { simulateCompany } from './simulate-company.js';
import { readTruth, type Truth } from './truth.js';

// Experience structures (key drivers and the weak area, the quarter-end
// push, referral homophily, the drifting mix, the intervention, the A/B
// test, themed comments), recomputed from the files in DuckDB and compared
// with truth.json (tightly) and with the planted values (stated tolerances).
const CUSTOMERS = 20_000;
const TIGHT = 1e-3;

let dir: string;
let truth: Truth;
let db: DuckDbEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxray-sim-experience-'));
  const summary = await simulateCompany({ customers: CUSTOMERS, seed: 5, outDir: dir });
  truth = await readTruth(summary.truthPath);
  db = await loadCleanTables(dir, truth);
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const close = (actual: number, expected: number, relative = TIGHT): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
};
const npsOf = (g: Record<string, number>): number => (100 * ((g.p ?? 0) - (g.d ?? 0))) / (g.n ?? 1);

describe('satisfaction drivers', () => {
  it('recovers the planted relative weights (shares ± 0.03) and the weak area', async () => {
    const columns = [...Array.from({ length: 8 }, (_, i) => `q2_${i + 1}`), 'nps'];
    const select = columns.flatMap((a, i) => columns.map((b, j) => `corr(${a}, ${b}) AS c_${i}_${j}`)).join(', ');
    const c = await one(db, `SELECT ${select}, ${columns.slice(0, 8).map((a) => `avg(${a}) AS m_${a}`).join(', ')}, count(*) AS n FROM survey`);
    const corr = columns.map((_, i) => columns.map((__, j) => c[`c_${i}_${j}`] ?? 0));
    const w = driverWeights(corr.slice(0, 8).map((row) => row.slice(0, 8)), corr.slice(0, 8).map((row) => row[8] ?? 0));
    const d = truth.drivers;
    expect(c.n).toBe(d.realised.responses);
    close(w.rSquared, d.realised.rSquared);
    d.areas.forEach((area, i) => {
      close(w.relativeWeightShares[i] ?? 0, d.realised.relativeWeightShares[area.key] ?? 0);
      expect(Math.abs((w.relativeWeightShares[i] ?? 0) - (d.planted.relativeWeightShares[area.key] ?? 0)), area.key).toBeLessThanOrEqual(0.03);
      close(c[`m_q2_${i + 1}`] ?? 0, d.realised.areaMeans[area.key] ?? 0);
    });
    // The ordinal scales attenuate the latent R² (0.55); the drivers still explain about half.
    expect(w.rSquared).toBeGreaterThan(0.4);
    expect(w.rSquared).toBeLessThanOrEqual(d.planted.rSquared + 0.02);
    const means = d.areas.map((_, i) => c[`m_q2_${i + 1}`] ?? 0);
    const weak = d.areas.findIndex((a) => a.key === d.weakArea);
    const others = means.filter((_, i) => i !== weak);
    expect(Math.max(...others.map((m) => (means[weak] ?? 0) - m))).toBeLessThan(-0.7);
  });
});

describe('quarter-end push', () => {
  it('recovers more intake, excess refunds (11 ± 2.5 pp) and a churn hazard ratio (1.8 ± 0.3) at quarter end', async () => {
    const qe = (col: string): string => `(month(${col}) % 3 = 0 AND day(${col}) > day(last_day(${col})) - ${truth.quarterEndPush.windowDays})`;
    const days = await one(db, `SELECT count(*) FILTER (${qe('d')}) AS qe, count(*) FILTER (NOT ${qe('d')}) AS other
      FROM range(DATE '${truth.startDate}', DATE '${truth.asOf}' + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)`);
    const rows = (await db.query(`
      WITH months AS (SELECT cid, count(*) AS m FROM payments WHERE type = 'subscription' GROUP BY cid),
      refunded AS (SELECT DISTINCT p.cid FROM payments p JOIN contacts c ON c.id = p.cid WHERE p.refunded > 0 AND p."at" < c.signup + INTERVAL 90 DAY)
      SELECT ${qe('c.signup')} AS qe, count(*) AS n,
        count(*) FILTER (c.signup + INTERVAL 90 DAY <= TIMESTAMP '${truth.asOf}' + INTERVAL 1 DAY) AS eligible,
        count(*) FILTER (c.signup + INTERVAL 90 DAY <= TIMESTAMP '${truth.asOf}' + INTERVAL 1 DAY AND r.cid IS NOT NULL) AS refunded,
        count(*) FILTER (s.status = 'canceled') AS churned, sum(m.m) AS months
      FROM contacts c JOIN subscriptions s ON s.cid = c.id LEFT JOIN months m ON m.cid = c.id LEFT JOIN refunded r ON r.cid = c.id
      GROUP BY ALL ORDER BY qe DESC`)).map(numbers);
    const [q, o] = rows;
    if (q === undefined || o === undefined) throw new Error('missing group');
    const r = truth.quarterEndPush.realised;
    const intake = ((q.n ?? 0) / (days.qe ?? 1)) / ((o.n ?? 0) / (days.other ?? 1));
    const excess = 100 * ((q.refunded ?? 0) / (q.eligible ?? 1) - (o.refunded ?? 0) / (o.eligible ?? 1));
    const hazard = ((q.churned ?? 0) / (q.months ?? 1)) / ((o.churned ?? 0) / (o.months ?? 1));
    expect(q.n).toBe(r.quarterEndCustomers);
    close(intake, r.intakeRatio);
    close(excess, r.refundExcessPp);
    close(hazard, r.churnHazardRatio);
    const p = truth.quarterEndPush.planted;
    expect(Math.abs(intake - p.intakeRatio)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(excess - p.refundExcessPp)).toBeLessThanOrEqual(2.5);
    // A crude rate ratio is attenuated by who churns first; the planted hazard ratio is 1.8.
    expect(Math.abs(hazard - p.churnHazardRatio)).toBeLessThanOrEqual(0.3);
  });
});

describe('referrals and the acquisition mix', () => {
  it('recovers referral homophily far above chance', async () => {
    const pairs = (await db.query(`SELECT referrer_segment AS a, referred_segment AS b, count(*) AS n FROM referrals GROUP BY ALL`)).map((row) => ({
      a: String(row['a']), b: String(row['b']), n: Number(row['n']),
    }));
    const total = pairs.reduce((s, p) => s + p.n, 0);
    const same = pairs.filter((p) => p.a === p.b).reduce((s, p) => s + p.n, 0) / total;
    const share = (key: 'a' | 'b', segment: string): number => pairs.filter((p) => p[key] === segment).reduce((s, p) => s + p.n, 0) / total;
    const segments = [...new Set(pairs.map((p) => p.a))];
    const chance = segments.reduce((s, seg) => s + share('a', seg) * share('b', seg), 0);
    const r = truth.referrals.realised;
    expect(total).toBe(r.pairs);
    close(same, r.sameSegmentShare);
    close(chance, r.chanceShare);
    const h = truth.referrals.planted.sameSegmentProbability;
    expect(same).toBeGreaterThan(chance + 0.25);
    expect(Math.abs(same - (h + (1 - h) * chance))).toBeLessThanOrEqual(0.05);
    const referral = await one(db, `SELECT count(*) AS n FROM contacts WHERE channel = 'referral'`);
    expect(referral.n).toBe(total);
  });

  it('recovers the drift: the ideal share of new customers falls and paid search rises', async () => {
    const rows = (await db.query(`SELECT strftime(signup, '%Y') || 'Q' || quarter(signup) AS quarter, count(*) AS n,
        avg(CASE WHEN ideal THEN 1 ELSE 0 END) AS ideal, avg(CASE WHEN channel = 'paid search' THEN 1 ELSE 0 END) AS paid
      FROM contacts GROUP BY 1 ORDER BY 1`)).map((row) => ({ quarter: String(row['quarter']), n: Number(row['n']), ideal: Number(row['ideal']), paid: Number(row['paid']) }));
    const realised = truth.acquisitionDrift.realised.byQuarter;
    expect(rows.map((r) => r.quarter)).toEqual(realised.map((r) => r.quarter));
    rows.forEach((row, i) => {
      close(row.ideal, realised[i]?.idealShare ?? 0);
      const planted = truth.acquisitionDrift.planted.byQuarter[i];
      expect(Math.abs(row.ideal - (planted?.idealShare ?? 0)), row.quarter).toBeLessThanOrEqual(0.035);
      expect(Math.abs(row.paid - (planted?.channelShares['paid search'] ?? 0)), row.quarter).toBeLessThanOrEqual(0.04);
    });
    const year = (slice: typeof rows, key: 'ideal' | 'paid'): number => slice.reduce((s, r) => s + r[key] * r.n, 0) / slice.reduce((s, r) => s + r.n, 0);
    expect(year(rows.slice(0, 4), 'ideal') - year(rows.slice(-4), 'ideal')).toBeGreaterThan(0.03);
    expect(year(rows.slice(-4), 'paid') - year(rows.slice(0, 4), 'paid')).toBeGreaterThan(0.1);
  });
});

describe('intervention and A/B test', () => {
  it('recovers +3 NPS points for the segment after the date (difference in differences within 3 standard errors)', async () => {
    const iv = truth.intervention;
    const cells = (await db.query(`SELECT (c.${iv.segment.column.toLowerCase()} = $value) AS seg, (s."at" >= DATE '${iv.date}') AS after,
        count(*) AS n, count(*) FILTER (nps >= 9) AS p, count(*) FILTER (nps <= 6) AS d
      FROM survey s JOIN contacts c ON c.id = s.cid GROUP BY ALL`, { value: iv.segment.value })).map((row) => ({
      n: Number(row['n']), p: Number(row['p']), d: Number(row['d']), seg: row['seg'] === true, after: row['after'] === true,
    }));
    const cell = (seg: boolean, after: boolean): Record<string, number> => {
      const found = cells.find((c) => c.seg === seg && c.after === after);
      return found === undefined ? {} : { n: found.n, p: found.p, d: found.d };
    };
    const did = npsOf(cell(true, true)) - npsOf(cell(true, false)) - (npsOf(cell(false, true)) - npsOf(cell(false, false)));
    const variance = cells.reduce((s, c) => {
      const p = c.p / c.n;
      const d = c.d / c.n;
      return s + (p + d - (p - d) ** 2) / c.n;
    }, 0);
    const se = 100 * Math.sqrt(variance);
    close(did, iv.realised.differenceInDifferences);
    close(se, iv.realised.standardError);
    expect(Math.abs(did - iv.effectNpsPoints)).toBeLessThanOrEqual(3 * se);
    // Against the counterfactual answers (known only to the generator) the shift is exact.
    expect(Math.abs(iv.realised.counterfactualShiftPoints - iv.effectNpsPoints)).toBeLessThanOrEqual(0.15);
    expect(iv.realised.treatedResponses).toBe(cell(true, true).n);
  });

  it('recovers the A/B test churn hazard ratio (0.8 ± 0.08)', async () => {
    const rows = (await db.query(`WITH months AS (SELECT cid, count(*) AS m FROM payments WHERE type = 'subscription' GROUP BY cid)
      SELECT c.arm, count(*) AS n, count(*) FILTER (s.status = 'canceled') AS churned, sum(m.m) AS months
      FROM contacts c JOIN subscriptions s ON s.cid = c.id LEFT JOIN months m ON m.cid = c.id GROUP BY c.arm ORDER BY c.arm`)).map(numbers);
    const [control, treatment] = rows;
    const rate = (g: Record<string, number> | undefined): number => (g?.churned ?? 0) / (g?.months ?? 1);
    const ratio = rate(treatment) / rate(control);
    close(ratio, truth.experiment.realised.churnHazardRatio);
    expect(Math.abs(ratio - truth.experiment.planted.churnHazardRatio)).toBeLessThanOrEqual(0.08);
  });
});

describe('themed comments', () => {
  it('links every truth comment to a clean response, with themes tied to their area ratings', async () => {
    const t = truth.comments;
    expect(t.themes.length).toBeGreaterThanOrEqual(6);
    expect(t.themes.length).toBeLessThanOrEqual(10);
    const joined = await one(db, `SELECT count(*) AS n, count(s.response_id) AS matched, count(*) FILTER (s.comment IS NOT NULL) AS with_text,
      count(*) FILTER (s.comment LIKE '%' || chr(10) || '%') AS multiline FROM comments k LEFT JOIN survey s ON s.response_id = k."ResponseId"`);
    const inSurvey = await one(db, `SELECT count(*) AS n FROM survey WHERE comment IS NOT NULL`);
    expect(joined.n).toBe(t.realised.comments);
    expect(joined.matched).toBe(joined.n);
    expect(joined.with_text).toBe(joined.n);
    expect(inSurvey.n).toBe(joined.n);
    expect(joined.multiline).toBe(t.realised.multiline);
    expect(t.realised.byLanguage['es'] ?? 0).toBeGreaterThan(50);
    expect(t.realised.byLanguage['fr'] ?? 0).toBeGreaterThan(30);
    for (const theme of t.themes) {
      const column = `q2_${truth.drivers.areas.findIndex((a) => a.key === theme.area) + 1}`;
      const m = await one(db, `SELECT avg(${column}) FILTER (k.theme = $theme) AS theme, avg(${column}) AS everyone FROM survey s LEFT JOIN comments k ON k."ResponseId" = s.response_id`, { theme: theme.key });
      if (theme.sentiment === 'negative') expect(m.theme, theme.key).toBeLessThan((m.everyone ?? 0) - 0.4);
      else expect(m.theme, theme.key).toBeGreaterThan((m.everyone ?? 0) + 0.4);
    }
  });
});
