import { beforeAll, describe, expect, it } from 'vitest';
import { md5Hash64 } from '../../engine/portable-hash.js';
import { Workspace } from '../../workspace/workspace.js';
import { emptyParts, okResult } from '../result-builder.js';
import { resultSchema, type Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import type { Analysis, AnalysisContext, AnalysisFilter } from '../types.js';
import { explainFit } from './explain.js';
import { fitScoreSql } from './fit-score.js';
import { HAND_MADE_CUSTOMERS, makeHandMadeFit, monthlyPrice } from './hand-made.case.js';
import { resultRows } from '../result-rows.case.js';

// The hand-made fit workspace (hand-made.case.ts): the net value of the 12
// months after the calibration date is exactly months·value + 10·answer −
// (30·months/12)·referrals of the components at that date, with every
// combination of price, answer and referral once, so the weights are known.
const MONTHS = 366 / 30.4375;

let ws: Workspace;


async function analyse(name: 'fit' | 'ideal-profile', filter: AnalysisFilter = {}): Promise<Result> {
  const { results } = await ws.analyze([name], filter, { fresh: true });
  const result = results.find((r) => r.name === name) as Result;
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  resultSchema.parse(result);
  return result;
}

/** Runs `fn` with the analysis context of this workspace (a probe analysis in place of the registry). */
async function withContext(fn: (ctx: AnalysisContext) => Promise<void>): Promise<void> {
  const { config, hash } = await ws.config();
  const store = await ws.openStore();
  try {
    const ledger = (await ws.versions()).find((v) => v.version === store.version);
    if (ledger === undefined) throw new Error('no ledger');
    const probe: Analysis = {
      name: 'fit',
      title: 'probe',
      description: 'probe',
      needs: ['customers'],
      needsColumns: [],
      dependsOn: [],
      implemented: true,
      revision: 0,
      run: async (ctx) => {
        await fn(ctx);
        return okResult(ctx, probe, emptyParts(), { description: 'probe', assumptions: [] });
      },
    };
    const out = await runAnalyses({ workspace: ws.paths.root, engine: store.engine, ledger, config, configHash: hash, resultsDir: null, snapshotsDir: null, analyses: [probe] }, { names: ['fit'] });
    expect(out.results[0]?.reason).toBeUndefined();
  } finally {
    await store.close();
  }
}

/** Held out (1) or training (0): bit 12 of the portable hash of the id, as halfSql computes it. */
const half = (id: number): number => Number((md5Hash64(String(id)) % 8192n) >= 4096n ? 1 : 0);

beforeAll(async () => {
  ws = new Workspace(makeHandMadeFit());
  await ws.import();
}, 120_000);

describe('fit on a hand-made workspace whose weights are known by construction', () => {
  it('fits the weights per unit exactly, leaves referrals out for pointing the wrong way, and says which components are not measured', async () => {
    const r = await analyse('fit');
    const c = Object.fromEntries(resultRows(r, 'fit_components').map((x) => [String(x['component']), x]));
    const perUnit = (k: string): number => (c[k]?.['fitted_weight_per_sd'] as number) / (c[k]?.['sd_at_calibration'] as number);
    expect(perUnit('value')).toBeCloseTo(MONTHS, 9);
    expect(perUnit('satisfaction')).toBeCloseTo(10, 9);
    expect(perUnit('referrals')).toBeCloseTo((-30 * MONTHS) / 12, 9);
    expect(c['referrals']?.['status']).toBe('left out: against its expected direction');
    expect(c['referrals']?.['points_per_sd']).toBe(0);
    expect(c['value']?.['status']).toBe('used');
    expect(c['retention']?.['status']).toMatch(/^left out: not measured: churn is not recorded/);
    expect(c['cost_to_serve']?.['status']).toMatch(/^left out: not measured: no interactions rows/);
    expect(r.summary.join(' ')).toMatch(/Referrals made per year as a customer gets no weight/);
    expect(r.summary[0]).toMatch(/the 220 customers who had started by 2024-12-31 over the next 12 months/);
    const weight = r.findings.find((f) => f.code === 'fit.weight.referrals');
    expect(weight?.severity).toBe('medium');
    expect(weight?.text).toMatch(/against its expected direction/);
  });

  it('takes every example customer apart into points that add up to the score, and explains any customer id the same way', async () => {
    const r = await analyse('fit');
    const examples = resultRows(r, 'fit_examples');
    expect(examples).toHaveLength(5);
    for (const e of examples) {
      const sum = (e['base'] as number) + (e['value_points'] as number) + (e['satisfaction_points'] as number);
      expect(sum).toBeCloseTo(e['unclipped'] as number, 9);
      expect(e['score']).toBe(Math.min(100, Math.max(0, e['unclipped'] as number)));
      expect(e['referrals_points']).toBeNull();
    }
    await withContext(async (ctx) => {
      const fit = await fitScoreSql(ctx);
      const why = await explainFit(ctx, fit, ['3', String(examples[0]?.['customer_id']), 'nobody']);
      expect(why.map((w) => w.customerId)).toEqual(['3', String(examples[0]?.['customer_id'])]);
      expect(why[1]?.score).toBeCloseTo(examples[0]?.['score'] as number, 9);
      // Customer 3 (price 50, answer 10) against customer 1 (price 30, answer 7): the value points differ by 100/(high − low) × months × Δvalue.
      const [one] = await explainFit(ctx, fit, ['1']);
      const three = why[0];
      const scale = 100 / (fit.model.high - fit.model.low);
      const v = (w: typeof three) => w?.parts.find((p) => p.key === 'value');
      expect((v(three)?.points ?? 0) - (v(one)?.points ?? 0)).toBeCloseTo(scale * MONTHS * ((v(three)?.value ?? 0) - (v(one)?.value ?? 0)), 9);
      const s = (w: typeof three) => w?.parts.find((p) => p.key === 'satisfaction');
      expect(s(three)?.value).toBe(10);
      expect((s(three)?.points ?? 0) - (s(one)?.points ?? 0)).toBeCloseTo(scale * 10 * 3, 9);
    });
  });

  it('shows the calibration rising from the lowest tenth of the score to the highest, and the distribution of every customer', async () => {
    const r = await analyse('fit');
    const deciles = resultRows(r, 'fit_calibration');
    expect(deciles.map((d) => d['decile'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (let i = 1; i < deciles.length; i += 1) expect(deciles[i]?.['mean_forward_value'] as number).toBeGreaterThan(deciles[i - 1]?.['mean_forward_value'] as number);
    expect(deciles.reduce((s, d) => s + (d['customers'] as number), 0)).toBe(HAND_MADE_CUSTOMERS);
    expect(resultRows(r, 'fit_distribution').reduce((s, b) => s + ((b['customers'] as number | null) ?? 0), 0)).toBe(HAND_MADE_CUSTOMERS);
    expect(r.charts.map((c) => c.title)).toEqual(['Customers by fit score', 'Net value over the following 12 months by fit score']);
    expect(r.findings.find((f) => f.code === 'fit.calibration_spread')?.estimate).toBeGreaterThan(0);
  });

  it('computes the same weights from the event tables when a period covers the whole history, and falls back to configured weights when it cannot calibrate', async () => {
    const whole = await analyse('fit');
    const period = await analyse('fit', { from: '2024-01-01', to: '2025-12-31' });
    const weights = (r: Result) => resultRows(r, 'fit_components').map((x) => x['fitted_weight_per_sd'] as number | null);
    const a = weights(whole);
    weights(period).forEach((w, i) => (w === null ? expect(a[i]).toBeNull() : expect(w).toBeCloseTo(a[i] as number, 6)));
    const late = await analyse('fit', { from: '2025-06-01' });
    expect(late.summary[0]).toMatch(/with configured weights \(the period starts after the calibration date \(2025-01-01/);
    expect(resultRows(late, 'fit_scale')[0]?.['weights']).toBe('configured');
  });
});

describe('ideal-profile on the hand-made workspace', () => {
  it('finds referral AND annual (the price-50 customers), holding out, with first-year value lifts known by construction', async () => {
    const r = await analyse('ideal-profile');
    const rules = resultRows(r, 'ideal_rules');
    expect(rules[0]).toMatchObject({ rank: 1, key: 'channel=referral&contract=annual', status: 'holds out', customers: 55 });
    // First-year net value is 12 × the monthly price: 600 for the rule's customers.
    const ids = Array.from({ length: HAND_MADE_CUSTOMERS }, (_, k) => k + 1);
    const lift = (h: number): number => {
      const members = ids.filter((i) => half(i) === h);
      const mean = members.reduce((s, i) => s + 12 * monthlyPrice(i), 0) / members.length;
      return 600 / mean;
    };
    expect(rules[0]?.['equal_tenure_lift'] as number).toBeCloseTo(lift(1), 9);
    expect(rules[0]?.['training_equal_tenure_lift'] as number).toBeCloseTo(lift(0), 9);
    expect(rules[0]?.['equal_tenure_mean']).toBe(600);
    expect(r.summary[0]).toMatch(/^The ideal customer: channel = referral AND contract = annual — 25\.0% of customers \(55\)/);
    expect(r.findings.map((f) => f.code)).toContain('ideal-profile.equal_tenure_lift');
    // The survey rates no experience area: what the ideal customers value cannot be computed, and it says so.
    expect(r.summary.join(' ')).toMatch(/What the ideal customers value is not shown: key drivers among the ideal customers: Key drivers need a survey that rates at least two experience areas/);
    // fit.rule_attributes chose the attributes: channel stays although it explains most of what customers pay.
    const attributes = Object.fromEntries(resultRows(r, 'ideal_attributes').map((a) => [a['attribute'], a]));
    expect(attributes['channel']).toMatchObject({ in_rules: true });
    expect(attributes['channel']?.['value_explained'] as number).toBeGreaterThan(0.5);
  });
});
