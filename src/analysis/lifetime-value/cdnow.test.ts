import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowValue } from '../../engine/types.js';
import type { ImportLedger } from '../../model/ledger.js';
import { bgNbdExpectedPurchases, gammaGammaExpectedSpend } from '../../stats/index.js';
import { Workspace, type OpenStore } from '../../workspace/workspace.js';
import { numberOf } from '../sql-values.js';
import { analyseLifetimeValue, makeCdnowWorkspace, type AnalysedWorkspace } from './cdnow-workspace.case.js';

// The CDNOW validation of issue 6, on CDNOW_sample.txt imported through cxray
// itself (whitespace-separated text, purchases only, customers derived):
// calibration to 1997-09-30, holdout to 1998-06-30, time in weeks = days / 7.
// Published values: ../shared/data/cdnow/EXPECTED.md ([BTYD], [LT-test], [FH13]).

const within = (actual: number | undefined, expected: number, relative: number): void => {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected) / Math.abs(expected)).toBeLessThan(relative);
};

interface Opened {
  store: OpenStore;
  ledger: ImportLedger;
  analysed: AnalysedWorkspace;
}

async function importAndAnalyse(options: { asOf: string; calibrationEnd?: string }): Promise<Opened> {
  const dir = makeCdnowWorkspace(options);
  const ws = new Workspace(dir);
  const ledger = (await ws.import()).ledger;
  const store = await ws.openStore();
  return { store, ledger, analysed: await analyseLifetimeValue(dir, store.engine, ledger) };
}

let holdout: Opened;
let calibrationOnly: Opened;

beforeAll(async () => {
  holdout = await importAndAnalyse({ asOf: '1998-06-30', calibrationEnd: '1997-09-30' });
  calibrationOnly = await importAndAnalyse({ asOf: '1997-09-30' });
}, 120_000);

afterAll(async () => {
  await holdout?.store.close();
  await calibrationOnly?.store.close();
});

/** Each customer's history and scores from the per-customer SQL, by sample id. */
async function perCustomer(opened: Opened, ids: readonly string[]): Promise<Map<string, Record<string, RowValue>>> {
  const { model } = opened.analysed;
  const list = ids.map((id) => `'${id}'`).join(', ');
  const rows = await opened.store.engine.query(`SELECT * FROM ${model.sql.subquery} AS s WHERE customer_id IN (${list})`, model.histories.values.params);
  return new Map(rows.map((row) => [String(row['customer_id']), row]));
}

describe('CDNOW imported through cxray (whitespace text, derived customers)', () => {
  it('loads every line: 6,919 read, 21 exact repeats of a line kept out as duplicates, 2,357 customers', () => {
    const file = holdout.ledger.files[0];
    expect(file).toMatchObject({ read: 6919, loaded: 6919, quarantined: 0, duplicates: 21, identity: { derived: 6898 } });
    expect(holdout.analysed.model.models.bgNbd.n).toBe(2357);
  });

  it('BG/NBD: r, α, a, b within 1% of the published estimates, log-likelihood within 0.1, converged', () => {
    const fit = holdout.analysed.model.models.bgNbd;
    expect(holdout.analysed.model.models.unit).toBe('week');
    within(fit.params.r, 0.2425982, 0.01);
    within(fit.params.alpha, 4.4136842, 0.01);
    within(fit.params.a, 0.7929899, 0.01);
    within(fit.params.b, 2.4261667, 0.01);
    expect(Math.abs(fit.logLikelihood - -9582.43)).toBeLessThan(0.1);
    expect(fit.converged).toBe(true);
    expect(fit.signal.hasSignal).toBe(true);
  });

  it('Pareto/NBD (the check): r, α, s, β within 1%, log-likelihood within 0.1, and it agrees with BG/NBD', () => {
    const { paretoNbd, agreement } = holdout.analysed.model.models;
    within(paretoNbd?.params.r, 0.553, 0.01);
    within(paretoNbd?.params.alpha, 10.578, 0.01);
    within(paretoNbd?.params.s, 0.606, 0.01);
    within(paretoNbd?.params.beta, 11.669, 0.01);
    expect(Math.abs((paretoNbd?.logLikelihood ?? 0) - -9594.98)).toBeLessThan(0.1);
    expect(agreement?.correlation).toBeGreaterThan(0.99);
  });

  it('customer 1 (x = 2, tₓ = 30.43, T = 38.86 weeks) expects 1.226 ± 0.001 purchases in the next 39 weeks', async () => {
    const row = (await perCustomer(holdout, ['0001'])).get('0001');
    const history = { x: numberOf(row?.['_hx']) ?? -1, tx: (numberOf(row?.['_htx']) ?? 0) / 7, T: (numberOf(row?.['_hT']) ?? 0) / 7 };
    expect(history.x).toBe(2);
    expect(history.tx).toBeCloseTo(30.43, 2);
    expect(history.T).toBeCloseTo(38.86, 2);
    expect(Math.abs(bgNbdExpectedPurchases(holdout.analysed.model.models.bgNbd.params, 39, history) - 1.226)).toBeLessThan(0.001);
  });

  it('the holdout table by calibration frequency 0..7+ is within 0.01 of BTYD’s, actual and expected', () => {
    const table = holdout.analysed.result.tables.find((t) => t.name === 'holdout_by_frequency');
    const actual = [0.2367, 0.697, 1.3925, 1.56, 2.5323, 2.9474, 3.8621, 6.3594];
    const expected = [0.2251, 0.5231, 1.0441, 1.5203, 2.1638, 2.6538, 3.504, 6.157];
    const sizes = [1411, 439, 214, 100, 62, 38, 29, 64];
    expect(table?.rows.map((r) => r[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    table?.rows.forEach((row, i) => {
      expect(row[1]).toBe(sizes[i]);
      expect(Math.abs(Number(row[2]) - (actual[i] ?? 0))).toBeLessThan(0.01);
      expect(Math.abs(Number(row[3]) - (expected[i] ?? 0))).toBeLessThan(0.01);
    });
    expect(holdout.analysed.result.charts.some((c) => c.title?.startsWith('Purchases after 1997-09-30'))).toBe(true);
  });

  it('Gamma-Gamma: p, q, γ within 1% of 6.25, 3.74, 15.44, and E(M) of IDs 1-10 within 0.1 (in TypeScript and in the engine)', async () => {
    const gg = holdout.analysed.model.models.gammaGamma;
    expect(gg?.n).toBe(946);
    within(gg?.params.p, 6.25, 0.01);
    within(gg?.params.q, 3.74, 0.01);
    within(gg?.params.gamma, 15.44, 0.01);
    const published = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    const ids = published.map((_, i) => String(i + 1).padStart(4, '0'));
    const rows = await perCustomer(holdout, ids);
    ids.forEach((id, i) => {
      const row = rows.get(id);
      const x = numberOf(row?.['_hx']) ?? 0;
      const spend = numberOf(row?.['_rs']) ?? 0;
      const inTypeScript = gammaGammaExpectedSpend(gg?.params ?? { p: 1, q: 2, gamma: 1 }, { x, meanSpend: x > 0 ? spend / x : 0 });
      expect(Math.abs(inTypeScript - (published[i] ?? 0)), id).toBeLessThan(0.1);
      expect(numberOf(row?.['_em'])).toBeCloseTo(inTypeScript, 9);
    });
  });

  it('per-customer SQL matches the exact expectations of each history (the grid interpolates to 1e-8)', async () => {
    const { model } = holdout.analysed;
    expect(model.grid.maxRelativeError).toBeLessThan(1e-8);
    const rows = await holdout.store.engine.query(`SELECT * FROM ${model.sql.subquery} AS s`, model.histories.values.params);
    const exact = new Map(model.table.map((r) => [`${r.x}|${r.txDays}|${r.TDays}`, r]));
    expect(rows).toHaveLength(2357);
    for (const row of rows) {
      const scored = exact.get(`${numberOf(row['_hx'])}|${numberOf(row['_htx'])}|${numberOf(row['_hT'])}`);
      expect(Math.abs((numberOf(row['_pa']) ?? 0) - (scored?.pAlive ?? 0))).toBeLessThan(1e-12);
      expect(Math.abs((numberOf(row['_ep']) ?? 0) - (scored?.expectedPurchases ?? 0))).toBeLessThan(1e-8 * (1 + (scored?.expectedPurchases ?? 0)));
      expect(Math.abs((numberOf(row['_dp']) ?? 0) - (scored?.discountedPurchases ?? 0))).toBeLessThan(1e-8 * (1 + (scored?.discountedPurchases ?? 0)));
    }
  });

  it('without a holdout, the histories come from customer_facts and give the same fit', () => {
    const a = holdout.analysed.model.models.bgNbd.params;
    const b = calibrationOnly.analysed.model.models.bgNbd.params;
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expect(b[name]).toBeCloseTo(a[name], 9);
    expect(calibrationOnly.analysed.result.tables.some((t) => t.name === 'holdout_by_frequency')).toBe(false);
  });

  it('states a lifetime value with its interval, and the distributions cover every customer', () => {
    const { result } = holdout.analysed;
    expect(result.status).toBe('ok');
    const value = result.findings.find((f) => f.code === 'lifetime-value.mean_value');
    expect(value?.n).toBe(2357);
    expect(value?.interval.lower).toBeLessThan(value?.estimate ?? 0);
    for (const name of ['p_alive_distribution', 'expected_purchases_distribution', 'lifetime_value_distribution']) {
      const table = result.tables.find((t) => t.name === name);
      // Bins of 1 to 4 customers are suppressed (their count is null): each hides at most 4.
      const shown = table?.rows.reduce((s, r) => s + Number(r[2] ?? 0), 0) ?? 0;
      const hidden = table?.rows.filter((r) => r[2] === null).length ?? 0;
      expect(shown, name).toBeLessThanOrEqual(2357);
      expect(shown + 4 * hidden, name).toBeGreaterThanOrEqual(2357);
    }
    const top = result.tables.find((t) => t.name === 'top_customers');
    expect(top?.rows).toHaveLength(10);
    expect(result.summary.some((s) => s.startsWith('Subscriptions: No subscription data'))).toBe(true);
  });
});
