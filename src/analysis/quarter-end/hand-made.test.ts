import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { npsCounts, npsDifference, proportionDifference } from '../../stats/index.js';
import { parsePeriod } from '../period.js';
import type { Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import { testContext } from '../scope.case.js';
import { SqlValues } from '../sql-values.js';
import { practicalThresholds } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { cohortSql } from './cohort-sql.js';
import { chooseCovariates } from './hazard-covariates.js';
import { handMadeCustomers, HAND_AS_OF, HAND_FACTS_COLUMNS, loadHandMade, type HandCustomer } from './hand-made.case.js';
import { quarterEndAnalysis } from './index.js';
import { quarterEndSettings } from './settings.js';
import { DAYS_PER_MONTH } from './settings.js';

// The hand-made company (hand-made.case.ts) has its answers by construction:
// sales per day exactly twice as high in the last 10 days of each quarter;
// early refunds, NPS and churn counted here customer by customer, without
// SQL, and fed to the same formulas (Newcombe, NPS difference); churn all
// in the first month, so the piecewise-exponential model has one band and
// its hazard ratio is the ratio of the crude rates, (d₁/T₁)/(d₀/T₀), with
// standard error √(1/d₁ + 1/d₀).

let engine: DuckDbEngine;
let customers: HandCustomer[];

function context(options: { where?: string; params?: Record<string, string>; from?: string; to?: string; yaml?: Record<string, unknown> } = {}): AnalysisContext {
  const config = configSchema.parse({ sources: {}, quarter_end: { window_days: 10 }, ...options.yaml });
  return testContext(engine, {
    ...(options.where === undefined ? {} : { where: options.where, params: options.params ?? {} }),
    customers: customers.length,
    overrides: {
      asOf: HAND_AS_OF,
      config,
      thresholds: practicalThresholds(config),
      period: parsePeriod(options.from, options.to),
      tableRows: { customers: customers.length, transactions: customers.length, status_changes: customers.length },
      facts: { columns: HAND_FACTS_COLUMNS, attributes: [{ name: 'region', source: 'region', type: 'string', atAcquisition: true, unit: null }] },
    },
  });
}

async function run(ctx: AnalysisContext): Promise<Result> {
  const result = await quarterEndAnalysis.run(ctx);
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

const row = (result: Result, table: string, key: string, value: unknown): Record<string, unknown> => {
  const found = resultRows(result, table).find((r) => r[key] === value);
  if (found === undefined) throw new Error(`no ${table} row ${key} = ${String(value)}`);
  return found;
};

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
  customers = handMadeCustomers();
  await loadHandMade(engine, customers);
});

afterAll(async () => {
  await engine?.close();
});

describe('quarter-end on a hand-made company with known answers', () => {
  it('finds sales per day exactly twice as high in the windows (40 window days of 2024, 326 others)', async () => {
    const result = await run(context({ to: '2024-12-31' }));
    const sales = row(result, 'quarter_end_sales', 'measure', 'new customers');
    expect(sales).toMatchObject({ window_days: 40, other_days: 326, window_per_day: 4, other_per_day: 2 });
    expect(Math.abs((sales['ratio'] as number) - 2)).toBeLessThan(1e-9);
    // An exact fit: the dispersion is floored at 1 (Poisson) for counts, so the interval keeps its width.
    expect(sales['dispersion']).toBe(1);
    expect(sales['lower'] as number).toBeLessThan(2);
    expect(sales['upper'] as number).toBeGreaterThan(2);
    const revenue = row(result, 'quarter_end_sales', 'measure', 'purchase revenue (USD)');
    expect(Math.abs((revenue['ratio'] as number) - 2)).toBeLessThan(1e-9);
    expect(result.findings.find((f) => f.code === 'quarter-end.intake')?.text).toMatch(/^In the last 10 days of a quarter, 4\.0 new customers signed a day against 2\.0 on the quarter's other days: 2\.00x as many/);
    const daily = resultRows(result, 'quarter_end_daily');
    expect(daily.filter((r) => r['in_window'] === true).map((r) => r['new_customers_per_day'])).toEqual(Array.from({ length: 10 }, () => 4));
  });

  it('counts early refunds within 60 days of the first purchase, not later ones', async () => {
    const result = await run(context());
    const w = customers.filter((c) => c.window);
    const o = customers.filter((c) => !c.window);
    const refunded = (g: HandCustomer[]): number => g.filter((c) => c.refundedEarly).length;
    expect([refunded(w), w.length, refunded(o), o.length]).toEqual([40, 160, 66, 652]);
    const expected = proportionDifference({ count: 40, n: 160 }, { count: 66, n: 652 });
    const r = row(result, 'quarter_end_outcomes', 'unit', 'share');
    expect(r).toMatchObject({ window: 0.25, others: 66 / 652, window_n: 160, others_n: 652 });
    expect(r['difference']).toBeCloseTo(expected.estimate, 12);
    expect(r['lower']).toBeCloseTo(expected.interval.lower, 12);
    expect(r['upper']).toBeCloseTo(expected.interval.upper, 12);
    expect(result.findings.find((f) => f.code === 'quarter-end.early_refunds')?.severity).toBe('medium');
  });

  it('compares NPS from each customer\'s latest answer', async () => {
    const result = await run(context());
    const counts = (window: boolean) => npsCounts(customers.filter((c) => c.window === window && c.nps !== null).map((c) => c.nps as number));
    const expected = npsDifference(counts(true), counts(false));
    const r = row(result, 'quarter_end_outcomes', 'outcome', 'NPS (latest answer)');
    expect(r['difference']).toBeCloseTo(expected.estimate, 10);
    expect(r['lower']).toBeCloseTo(expected.interval.lower, 10);
    expect([r['window_n'], r['others_n']]).toEqual(expected.n);
  });

  it('gives the crude rate ratio as the hazard ratio when all churn falls in one band, and leaves out a covariate that separates churn', async () => {
    const ctx = context();
    const result = await run(ctx);
    const months = (window: boolean): number => customers.filter((c) => c.window === window).reduce((s, c) => s + c.exposureDays, 0) / DAYS_PER_MONTH;
    const churned = (window: boolean): number => customers.filter((c) => c.window === window && c.churned).length;
    expect([churned(true), churned(false)]).toEqual([8, 17]);
    const crude = churned(true) / months(true) / (churned(false) / months(false));
    const h = row(result, 'quarter_end_hazard', 'model', 'adjusted');
    expect(h['tenure_bands']).toBe(1);
    expect(Math.abs((h['hazard_ratio'] as number) / crude - 1)).toBeLessThan(1e-9);
    expect(h['log_hr_standard_error']).toBeCloseTo(Math.sqrt(1 / 8 + 1 / 17), 9);
    expect(h['window_months']).toBeCloseTo(months(true), 6);
    // Only odd-numbered customers churn, and they all live in the south: region cannot be adjusted for.
    expect(h['adjusted_for']).toBe('');
    const values = new SqlValues(engine, 'hm');
    const choice = await chooseCovariates(ctx, values, cohortSql(ctx, values, quarterEndSettings(ctx.config)).where, 'exposure_days', 'CASE WHEN churned THEN 1 ELSE 0 END');
    expect(choice.chosen).toEqual([]);
    expect(choice.notes).toEqual(['region is not adjusted for: churn is seen in only one of its values among these customers.']);
    const survival = resultRows(result, 'quarter_end_survival').filter((r) => r['month'] === 1);
    expect(survival.map((r) => [r['at_risk'], r['churned']])).toEqual([[160, 8], [652, 17]]);
  });

  it('honours the segment rule and the period (sales days run to the end of the period, else as_of)', async () => {
    const north = await run(context({ where: 'region = $s_r', params: { s_r: 'north' }, to: '2024-12-31' }));
    const sales = row(north, 'quarter_end_sales', 'measure', 'new customers');
    expect(sales).toMatchObject({ window_per_day: 2, other_per_day: 1 });
    expect(row(north, 'quarter_end_outcomes', 'unit', 'share')).toMatchObject({ window_n: 80, others_n: 326 });
    const firstHalf = await run(context({ from: '2024-01-01', to: '2024-06-30' }));
    expect(row(firstHalf, 'quarter_end_sales', 'measure', 'new customers')).toMatchObject({ window_days: 20, other_days: 162 });
    expect(row(firstHalf, 'quarter_end_outcomes', 'unit', 'share')).toMatchObject({ window_n: 80, others_n: 324 });
    expect(firstHalf.method.description).toContain('those acquired from 2024-01-01 to 2024-06-30');
  });

  it('follows the fiscal year: quarters starting in February put other days in the window', async () => {
    const result = await run(context({ to: '2024-12-31', yaml: { fiscal_year_start_month: 2, quarter_end: { window_days: 10 } } }));
    const sales = row(result, 'quarter_end_sales', 'measure', 'new customers');
    // The fiscal windows (the last 10 days of January, April, July, October) hold no push.
    expect(sales['window_days']).toBe(40);
    expect(sales['window_per_day']).toBe(2);
    expect(result.summary.some((s) => s.startsWith('In the last 10 days of a fiscal quarter'))).toBe(true);
  });

  it('is skipped with a reason when nobody in scope was acquired in a window', async () => {
    const result = await quarterEndAnalysis.run(context({ from: '2024-04-01', to: '2024-06-20' }));
    expect(result.status).toBe('skipped');
    expect(result.reason).toMatch(/acquired outside the last 10 days of a quarter/);
  });
});
