import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { fitPoissonRegression, type PoissonRow } from '../../stats/poisson-regression.js';
import { testContext } from '../scope.case.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { cohortSql } from './cohort-sql.js';
import { chooseCovariates } from './hazard-covariates.js';
import { hazardModel, type HazardModel } from './hazard-model.js';
import { personTime } from './person-time.js';
import { quarterEndSettings } from './settings.js';

// cxray's hazard ratio against statsmodels' PHReg (Cox, Breslow ties) on a
// fixture of 3,000 customers with a planted hazard ratio of 1.8 for the
// push's customers (reference/compute.py writes subjects.csv and the PHReg
// numbers; Weibull baseline of shape 0.8, churn days rounded to whole days,
// so 1,455 churns fall on 549 distinct days: many ties).
//
// Two checks, two tolerances:
// - With one tenure band per distinct churn day and the number at risk as
//   exposure, the Poisson likelihood profiled over the bands' baselines IS
//   Breslow's partial likelihood (Whitehead 1980), so cxray's Poisson
//   regression must give PHReg's log hazard ratios and standard errors to
//   1e-6 relative (both are Newton solutions of the same equations), and the
//   partial likelihood to 1e-9.
// - The analysis itself (the quarter-end flag and covariates chosen in SQL,
//   person-time summed by month of tenure in one GROUP BY, bands of at least
//   5 churns, about a month each here) assumes the baseline constant within
//   a band, where Cox leaves it free. With a baseline that falls steeply in
//   the first months (Weibull 0.8: 13% within the first month), that costs
//   little because the push's customers and the others are spread alike
//   over each band: the log hazard ratio must lie within 0.1 of its
//   standard error of PHReg's (a tenth of the sampling noise, so no
//   conclusion can differ), and its standard error within 2% of PHReg's.

const HERE = join(import.meta.dirname, 'reference');

interface Reference {
  asOf: string;
  windowDays: number;
  customers: number;
  pushCustomers: number;
  churned: number;
  distinctChurnDays: number;
  phreg: { names: string[]; logHazardRatios: number[]; standardErrors: number[]; logPartialLikelihood: number };
}

const reference = JSON.parse(readFileSync(join(HERE, 'phreg-reference.json'), 'utf8')) as Reference;

let engine: DuckDbEngine;
let ctx: AnalysisContext;
let subjects: { exposure: number; churned: boolean; push: number; monthly: number }[];
let model: HazardModel | null;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
  const d = engine.dialect;
  await engine.exec(
    `CREATE TABLE ${d.quoteIdent(CUSTOMER_FACTS_TABLE)} AS SELECT customer_id, signup_at, CAST(NULL AS TIMESTAMP) AS first_purchase_at, CAST(exposure_days AS DOUBLE) AS exposure_days, churned, contract_type ` +
      `FROM read_csv(${d.literal(join(HERE, 'subjects.csv'))}, header = true, columns = {'customer_id': 'VARCHAR', 'signup_at': 'TIMESTAMP', 'exposure_days': 'INTEGER', 'churned': 'BOOLEAN', 'contract_type': 'VARCHAR'})`,
  );
  const column = (name: string, type: 'string' | 'timestamp' | 'double' | 'boolean') => ({ name, type, unit: null, table: 'customers' as const, description: '' });
  const config = configSchema.parse({ sources: {}, quarter_end: { window_days: reference.windowDays } });
  ctx = testContext(engine, {
    customers: reference.customers,
    overrides: {
      asOf: reference.asOf,
      config,
      tableRows: { customers: reference.customers, transactions: 1, status_changes: reference.churned },
      facts: {
        columns: [column('customer_id', 'string'), column('signup_at', 'timestamp'), column('first_purchase_at', 'timestamp'), column('exposure_days', 'double'), column('churned', 'boolean'), column('contract_type', 'string')],
        attributes: [{ name: 'contract_type', source: 'contract_type', type: 'string', atAcquisition: true, unit: null }],
      },
    },
  });
  const settings = quarterEndSettings(config);
  const values = new SqlValues(engine, 'ref');
  const cohort = cohortSql(ctx, values, settings);
  const q = d.quoteIdent;
  subjects = (
    await scopeQuery(ctx, scopeSelect(ctx, { items: [`exposure_days AS ${q('_t')}`, `churned AS ${q('_e')}`, `${cohort.flag} AS ${q('_w')}`, `contract_type AS ${q('_c')}`], where: cohort.where }), values)
  ).map((r) => ({ exposure: numberOf(r['_t']) ?? 0, churned: r['_e'] === true, push: numberOf(r['_w']) ?? 0, monthly: r['_c'] === 'monthly' ? 1 : 0 }));
  const where = [...cohort.where, `${q('exposure_days')} IS NOT NULL`];
  const choice = await chooseCovariates(ctx, values, where, d.toDouble(q('exposure_days')), d.boolToInt(q('churned')));
  model = hazardModel(await personTime(ctx, values, cohort.where, cohort.flag, choice.chosen), choice.chosen);
});

afterAll(async () => {
  await engine?.close();
});

describe('the hazard model against statsmodels PHReg (Breslow ties)', () => {
  it('reads the fixture as PHReg did: every customer, the push flagged by the SQL calendar rule', () => {
    expect(subjects).toHaveLength(reference.customers);
    expect(subjects.filter((s) => s.push === 1)).toHaveLength(reference.pushCustomers);
    expect(subjects.filter((s) => s.churned)).toHaveLength(reference.churned);
  });

  it('reproduces PHReg exactly with one band per distinct churn day (the Poisson form of the partial likelihood)', () => {
    const days = [...new Set(subjects.filter((s) => s.churned).map((s) => s.exposure))].sort((a, b) => a - b);
    expect(days).toHaveLength(reference.distinctChurnDays);
    const rows: PoissonRow[] = [];
    let constant = 0;
    days.forEach((day, stratum) => {
      for (const push of [0, 1]) {
        for (const monthly of [0, 1]) {
          const group = subjects.filter((s) => s.push === push && s.monthly === monthly);
          const atRisk = group.filter((s) => s.exposure >= day).length;
          const events = group.filter((s) => s.churned && s.exposure === day).length;
          if (atRisk > 0) rows.push({ stratum, x: [push, monthly], y: events, exposure: atRisk });
          if (events > 0) constant += events * Math.log(atRisk);
        }
      }
      const d = subjects.filter((s) => s.churned && s.exposure === day).length;
      constant += d * Math.log(d) - d;
    });
    const fit = fitPoissonRegression(rows, { names: reference.phreg.names, strata: days.length });
    expect(fit.converged).toBe(true);
    reference.phreg.logHazardRatios.forEach((b, i) => expect(Math.abs((fit.coefficients[i]?.estimate ?? 0) - b) / Math.abs(b)).toBeLessThan(1e-6));
    reference.phreg.standardErrors.forEach((se, i) => expect(Math.abs((fit.coefficients[i]?.standardError ?? 0) - se) / se).toBeLessThan(1e-6));
    // At the maximum each band's baseline is d/Σ exp(x'β) over the risk set, and the Poisson
    // log-likelihood (Σ y·log μ − μ) is the partial one plus Σ (d log d − d) plus Σ y·log(at risk).
    expect(Math.abs(fit.logLikelihood - constant - reference.phreg.logPartialLikelihood) / Math.abs(reference.phreg.logPartialLikelihood)).toBeLessThan(1e-9);
  });

  it('matches PHReg through the analysis (monthly bands, person-time summed in SQL): log HR within 0.1 SE, SE within 2%', () => {
    if (model === null) throw new Error('no hazard model');
    expect(model.covariates.map((c) => c.name)).toEqual(['contract_type']);
    const [logHr, monthly] = reference.phreg.logHazardRatios;
    const [se] = reference.phreg.standardErrors;
    const gap = Math.abs(model.adjusted.estimate - (logHr ?? 0)) / (se ?? 1);
    const seRatio = model.adjusted.standardError / (se ?? 1);
    process.stderr.write(
      `quarter-end vs PHReg: HR ${Math.exp(model.adjusted.estimate).toFixed(4)} vs ${Math.exp(logHr ?? 0).toFixed(4)} (gap ${gap.toFixed(4)} SE), SE ${model.adjusted.standardError.toFixed(5)} vs ${(se ?? 0).toFixed(5)} (ratio ${seRatio.toFixed(4)}); ${model.bands.length} bands; unadjusted HR ${model.unadjusted.rateRatio.toFixed(4)}; monthly ${monthly}\n`,
    );
    expect(gap).toBeLessThanOrEqual(0.1);
    expect(Math.abs(seRatio - 1)).toBeLessThanOrEqual(0.02);
    expect(model.window.customers).toBe(reference.pushCustomers);
    expect(model.window.churned + model.others.churned).toBe(reference.churned);
  });
});
