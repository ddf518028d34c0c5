import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardCompany } from '../../../test/helpers/company.js';
import type { ImportLedger } from '../../model/ledger.js';
import { readTruth, type Truth } from '../../simulate/truth.js';
import type { OpenStore } from '../../workspace/workspace.js';
import { analyseLifetimeValue, type AnalysedWorkspace } from './cdnow-workspace.case.js';
import { importCompany } from './company-workspace.case.js';

// The standard simulated company (20,000 customers, seed 1) is a telecom
// subscription business (truth.json): every billed month is one subscription
// charge (a purchase), customers leave by a monthly churn hazard, and
// subscriptions.csv records who churned and when. What the models should
// show: purchases at a near-common monthly rate (so BG/NBD's rate
// heterogeneity runs to its boundary, and says so), dropout that P(alive)
// finds in the customers recorded as churned, a holdout forecast better
// than one common rate, and the sBG on the yearly survival of signup cohorts.

let truth: Truth;
let store: OpenStore;
let ledger: ImportLedger;
let dir: string;
let whole: AnalysedWorkspace;
let split: AnalysedWorkspace;
const codes = (a: AnalysedWorkspace): string[] => [a.model.models.bgNbd, ...(a.model.models.gammaGamma === null ? [] : [a.model.models.gammaGamma])].flatMap((f) => f.signal.issues.map((i) => i.code));

beforeAll(async () => {
  const company = standardCompany();
  truth = await readTruth(join(company, 'truth.json'));
  const imported = await importCompany(company, 'cxray-ltv-company-');
  dir = imported.dir;
  ledger = imported.ledger;
  store = await imported.ws.openStore();
  whole = await analyseLifetimeValue(dir, store.engine, ledger);
  split = await analyseLifetimeValue(dir, store.engine, ledger, {}, { calibration_end: '2025-06-30' });
}, 600_000);

afterAll(async () => {
  await store?.close();
});

describe('lifetime value on the simulated subscription company', () => {
  it('models every customer who bought, in weeks, and states a value', () => {
    expect(truth.customers).toBe(20_000);
    const { model, result } = whole;
    expect(result.status).toBe('ok');
    expect(model.models.unit).toBe('week');
    expect(model.models.bgNbd.n).toBeGreaterThan(19_000);
    expect(result.findings.map((f) => f.code)).toEqual(['lifetime-value.p_alive', 'lifetime-value.expected_purchases', 'lifetime-value.mean_value']);
  });

  it('monthly billing is far more regular than Poisson: the signal check says purchase rates collapse to one (a boundary), not that history is useless', () => {
    expect(codes(whole)).toContain('no_rate_heterogeneity');
    expect(whole.model.models.bgNbd.signal.hasSignal).toBe(true);
    expect(whole.result.warnings.some((w) => w.startsWith('BG/NBD: The model finds every customer buying at nearly the same rate'))).toBe(true);
  });

  it('P(alive) is far lower for customers recorded as churned than for active ones', () => {
    const rows = whole.result.tables.find((t) => t.name === 'p_alive_by_recorded_churn')?.rows ?? [];
    const [active, churned] = rows;
    expect(active?.[0]).toBe('active');
    expect(churned?.[0]).toBe('churned');
    expect(Number(churned?.[2])).toBeLessThan(0.4);
    expect(Number(active?.[2])).toBeGreaterThan(0.9);
    // Intervals apart.
    expect(Number(churned?.[4])).toBeLessThan(Number(active?.[3]));
  });

  it('with a calibration split, the forecast beats one common rate in the holdout (churners stop buying)', () => {
    const table = split.result.tables.find((t) => t.name === 'holdout_by_frequency');
    expect(table?.rows.length).toBe(8);
    expect(split.result.warnings.some((w) => w.startsWith('Holdout:'))).toBe(false);
    expect(split.result.summary.some((s) => /skill 0\.[1-9]/.test(s))).toBe(true);
    expect(split.result.charts.some((c) => c.title?.includes('actual and forecast'))).toBe(true);
  });

  it('fits the sBG to the signup cohorts observed for two whole years, and says why not the younger ones', () => {
    const rows = whole.result.tables.find((t) => t.name === 'subscription_cohorts')?.rows ?? [];
    const fitted = rows.filter((r) => r[4] !== null);
    expect(fitted.map((r) => r[0])).toEqual(['2023']);
    const [cohort] = fitted;
    // Retention rises with tenure (heterogeneous churn), and a new customer stays more than one more year.
    expect(Number(cohort?.[11])).toBeGreaterThan(Number(cohort?.[10]));
    expect(Number(cohort?.[13])).toBeGreaterThan(1);
    expect(whole.result.summary.some((s) => s.startsWith('Cohorts not modelled: 2024 (only 1 whole period'))).toBe(true);
  });
});
