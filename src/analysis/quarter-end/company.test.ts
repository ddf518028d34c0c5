import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { standardCompany } from '../../../test/helpers/company.js';
import { initWorkspace } from '../../init/index.js';
import { companyCostsYaml } from '../../simulate/index.js';
import { readTruth, type Truth } from '../../simulate/truth.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import { importCached } from '../../../test/helpers/import-cache.js';

// quarter-end on the standard simulated company (20,000 customers, seed 1,
// support costs appended) with the window set to the simulator's push: the
// last 10 days of each calendar quarter (truth.json quarterEndPush). Planted:
// 1.6 times the signups a day, early refunds of 15% against 4% (+11
// points), a churn hazard ratio of 1.8 (on top of contract, segment and the
// ideal and misaligned cells). Realised (truth.json), measured as the
// simulator counts: the crude intake ratio (window customers per window day
// over the others), which is the analysis's crude per-day ratio exactly; the
// refund excess (over 90 days from signup; the analysis counts 60 days from
// the first purchase, which holds every early refund the simulator writes,
// on the first or second charge); the crude churn-rate ratio per billed
// month, which is not a hazard ratio: customers of different risk mixed
// together attenuate it (1.69 for a planted 1.8), so it is compared with the
// unadjusted model, and the planted ratio with the adjusted one.
// Nothing is planted on satisfaction: no difference is claimed.

let truth: Truth;
let ws: Workspace;
let result: Result;

beforeAll(async () => {
  const company = standardCompany();
  truth = await readTruth(join(company, 'truth.json'));
  const dir = mkdtempSync(join(tmpdir(), 'cxray-quarter-end-company-'));
  await initWorkspace({ dir, from: readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f)), force: false });
  appendFileSync(join(dir, 'cxray.yaml'), `${companyCostsYaml()}\nquarter_end: {window_days: ${truth.quarterEndPush.windowDays}}\n`);
  ws = new Workspace(dir);
  await importCached(ws);
  const started = Date.now();
  const { results } = await ws.analyze(['quarter-end'], {}, { fresh: true });
  result = results.find((r) => r.name === 'quarter-end') as Result;
  process.stderr.write(`quarter-end on the standard company (${Date.now() - started} ms):\n${result.summary.join('\n')}\n`);
}, 300_000);

const inside = (x: number, lower: unknown, upper: unknown): boolean => (lower as number) <= x && x <= (upper as number);

describe('quarter-end on the standard simulated company (window 10 days)', () => {
  it('detects the push: 1.6 times the new customers a day, the planted ratio inside the interval', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const r = truth.quarterEndPush.realised;
    const sales = resultRows(result, 'quarter_end_sales').find((x) => x['measure'] === 'new customers') ?? {};
    expect([sales['window_days'], sales['other_days']]).toEqual([r.quarterEndDays, r.otherDays]);
    expect(Math.abs((sales['window_per_day'] as number) / (sales['other_per_day'] as number) - r.intakeRatio)).toBeLessThan(5e-6);
    expect(inside(truth.quarterEndPush.planted.intakeRatio, sales['lower'], sales['upper'])).toBe(true);
    expect(inside(r.intakeRatio, sales['lower'], sales['upper'])).toBe(true);
    expect(sales['passes']).toBe(true);
    expect(result.findings.find((f) => f.code === 'quarter-end.intake')?.severity).toBe('info');
  });

  it('detects the refund excess: planted +11 points and the realised excess inside the interval', () => {
    const r = truth.quarterEndPush.realised;
    const refunds = resultRows(result, 'quarter_end_outcomes').find((x) => x['unit'] === 'share') ?? {};
    expect(Math.abs((refunds['window'] as number) - r.refundRateQuarterEnd)).toBeLessThan(0.005);
    const finding = result.findings.find((f) => f.code === 'quarter-end.early_refunds');
    expect(finding?.severity).toBe('medium');
    expect(inside(truth.quarterEndPush.planted.refundExcessPp, finding?.interval.lower, finding?.interval.upper)).toBe(true);
    expect(inside(r.refundExcessPp, finding?.interval.lower, finding?.interval.upper)).toBe(true);
  });

  it('detects faster churn: the planted hazard ratio 1.8 inside the adjusted interval, the realised crude ratio inside the unadjusted one', () => {
    const hazard = resultRows(result, 'quarter_end_hazard');
    const adjusted = hazard.find((x) => x['model'] === 'adjusted') ?? {};
    const unadjusted = hazard.find((x) => x['model'] === 'unadjusted') ?? {};
    expect(inside(truth.quarterEndPush.planted.churnHazardRatio, adjusted['lower'], adjusted['upper'])).toBe(true);
    expect(inside(truth.quarterEndPush.realised.churnHazardRatio, unadjusted['lower'], unadjusted['upper'])).toBe(true);
    expect(String(adjusted['adjusted_for'])).toContain('contract_type');
    expect([adjusted['window_customers'], adjusted['other_customers']]).toEqual([truth.quarterEndPush.realised.quarterEndCustomers, truth.quarterEndPush.realised.otherCustomers]);
    expect(result.findings.find((f) => f.code === 'quarter-end.churn_hazard')?.severity).toBe('medium');
    const year = resultRows(result, 'quarter_end_survival').filter((x) => x['month'] === 12);
    expect(year).toHaveLength(2);
    expect(year[0]?.['survival'] as number).toBeLessThan(year[1]?.['survival'] as number);
  });

  it('says it in one sentence, claims no satisfaction difference (none planted) and raises no money alert (the push pays here)', () => {
    expect(result.summary[0]).toMatch(/^Customers signed in the last 10 days of a quarter asked for refunds 3\.\dx as often \(15\.\d% vs 4\.\d%, \+1\d\.\d points, 95% CI .* points\) and churned 1\.\dx as fast \(hazard ratio 1\.\d\d, 95% CI 1\.\d\d to 1\.\d\d\)\.$/);
    expect(result.findings.map((f) => f.code).filter((c) => c === 'quarter-end.nps' || c === 'quarter-end.csat')).toEqual([]);
    expect(result.findings.filter((f) => f.severity === 'high')).toEqual([]);
    expect(result.charts.map((c) => c.title)).toEqual(['New customers per day through the quarter (mean over the quarters observed)', 'Share still a customer by month of tenure']);
  });

  it('honours a segment rule and a period', async () => {
    const { results } = await ws.analyze(['quarter-end'], { segment: 'contract_type = monthly', from: '2024-01-01', to: '2025-12-31' }, { fresh: true });
    const filtered = results.find((r) => r.name === 'quarter-end') as Result;
    expect([filtered.status, filtered.reason]).toEqual(['ok', undefined]);
    const hazard = resultRows(filtered, 'quarter_end_hazard').find((x) => x['model'] === 'adjusted') ?? {};
    const whole = resultRows(result, 'quarter_end_hazard').find((x) => x['model'] === 'adjusted') ?? {};
    expect((hazard['window_customers'] as number) + (hazard['other_customers'] as number)).toBeLessThan(((whole['window_customers'] as number) + (whole['other_customers'] as number)) / 2);
    expect(String(hazard['adjusted_for'])).not.toContain('contract_type');
    const sales = resultRows(filtered, 'quarter_end_sales').find((x) => x['measure'] === 'new customers') ?? {};
    expect(sales['window_days']).toBe(80);
    expect(filtered.findings.map((f) => f.code)).toContain('quarter-end.early_refunds');
  });
});
