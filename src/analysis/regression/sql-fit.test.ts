import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { ClickHouseEngine } from '../../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import type { Engine } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import type { FactsColumnInfo } from '../facts-catalogue.js';
import { testContext } from '../scope.case.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { adjustedFor, buildDesign } from './design.js';
import { fitLogisticInEngine, fitOlsInEngine } from './sql-fit.js';

// The regressions analyses run inside the engine, against statsmodels on the
// same rows (test/references/analysis.py: WLS with HC1 robust errors, Logit),
// on DuckDB and on the 2-shard ClickHouse cluster. Tolerance: 1e-8 relative
// (sums over 400 rows in a different order per engine; the references are
// converged to 1e-12).

interface Fixture {
  rows: { id: string; adopted: number; g: string; t: number; months: number; total: number; churned: number }[];
  reference: string;
  names: string[];
  wls: { params: number[]; bse: number[] };
  logit: { params: number[]; bse: number[]; oddsRatio: number[]; oddsRatioLower: number[]; oddsRatioUpper: number[] };
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'test', 'references', 'regression-sql.json'), 'utf8')) as Fixture;

const COLUMNS: FactsColumnInfo[] = [
  { name: 'customer_id', type: 'string', unit: null, table: 'customers', description: '' },
  { name: 'g', type: 'string', unit: null, table: 'customers', description: '' },
  { name: 't', type: 'double', unit: null, table: 'customers', description: '' },
];

async function load(engine: Engine): Promise<AnalysisContext> {
  const d = engine.dialect;
  await engine.exec(`DROP TABLE IF EXISTS ${d.quoteIdent(CUSTOMER_FACTS_TABLE)}`);
  await engine.exec(
    d.createTable(CUSTOMER_FACTS_TABLE, [
      { name: 'customer_id', type: 'string', nullable: false },
      { name: 'adopted', type: 'int32' },
      { name: 'g', type: 'string' },
      { name: 't', type: 'double' },
      { name: 'months', type: 'double' },
      { name: 'total', type: 'double' },
      { name: 'churned', type: 'int32' },
    ]),
  );
  await engine.insertRows(
    CUSTOMER_FACTS_TABLE,
    ['customer_id', 'adopted', 'g', 't', 'months', 'total', 'churned'],
    fixture.rows.map((r) => [r.id, r.adopted, r.g, r.t, r.months, r.total, r.churned]),
  );
  return testContext(engine, { customers: fixture.rows.length, overrides: { facts: { columns: COLUMNS, attributes: [] } } });
}

function close(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-8 * Math.max(1, Math.abs(expected));
}

function checks(name: string, context: () => AnalysisContext): void {
  it(`${name}: the design is statsmodels' (dummies against the most common level)`, async () => {
    const ctx = context();
    const design = await buildDesign(ctx, new SqlValues(ctx.engine, 'r'), [{ name: 'adopted', label: 'adopted', sql: ctx.engine.dialect.quoteIdent('adopted') }], ['g', 't'], []);
    expect(design.columns.map((c) => c.name)).toEqual(fixture.names);
    expect(adjustedFor(design)).toEqual(['g', 't']);
  });

  it(`${name}: weighted least squares with HC1 robust errors match statsmodels WLS`, async () => {
    const ctx = context();
    const d = ctx.engine.dialect;
    const values = new SqlValues(ctx.engine, 'r');
    const design = await buildDesign(ctx, values, [{ name: 'adopted', label: 'adopted', sql: d.quoteIdent('adopted') }], ['g', 't'], []);
    const fits = await fitOlsInEngine(ctx, values, design, [{ name: 'rate', sql: `(${d.quoteIdent('total')} / ${d.quoteIdent('months')})` }], d.quoteIdent('months'));
    const robust = fits.get('rate')?.robust ?? [];
    robust.forEach((c, i) => {
      expect(close(c.estimate, fixture.wls.params[i] ?? Number.NaN), `${c.name} ${c.estimate} vs ${fixture.wls.params[i]}`).toBe(true);
      expect(close(c.standardError, fixture.wls.bse[i] ?? Number.NaN), `${c.name} se ${c.standardError} vs ${fixture.wls.bse[i]}`).toBe(true);
    });
    expect(robust).toHaveLength(fixture.names.length);
  });

  it(`${name}: logistic regression by IRLS in the engine matches statsmodels Logit (odds ratios and their intervals)`, async () => {
    const ctx = context();
    const d = ctx.engine.dialect;
    const values = new SqlValues(ctx.engine, 'r');
    const design = await buildDesign(ctx, values, [{ name: 'adopted', label: 'adopted', sql: d.quoteIdent('adopted') }], ['g', 't'], []);
    const fit = await fitLogisticInEngine(ctx, values, design, d.quoteIdent('churned'));
    expect(fit.converged).toBe(true);
    fit.coefficients.forEach((c, i) => {
      expect(close(c.estimate, fixture.logit.params[i] ?? Number.NaN), `${c.name}`).toBe(true);
      expect(close(c.standardError, fixture.logit.bse[i] ?? Number.NaN), `${c.name} se`).toBe(true);
      expect(close(c.oddsRatioInterval.lower, fixture.logit.oddsRatioLower[i] ?? Number.NaN), `${c.name} OR lower`).toBe(true);
      expect(close(c.oddsRatioInterval.upper, fixture.logit.oddsRatioUpper[i] ?? Number.NaN), `${c.name} OR upper`).toBe(true);
    });
  });
}

let duck: DuckDbEngine;
let duckCtx: AnalysisContext;
beforeAll(async () => {
  duck = await DuckDbEngine.open(':memory:');
  duckCtx = await load(duck);
});
afterAll(async () => {
  await duck?.close();
});

describe('regressions in DuckDB', () => {
  checks('DuckDB', () => duckCtx);
});

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
let house: ClickHouseEngine | undefined;
let houseCtx: AnalysisContext | undefined;
if (installed) {
  beforeAll(async () => {
    leaseCluster();
    house = await ClickHouseEngine.open(clusterOptions('cxray_regression'));
    houseCtx = await load(house);
  }, 180_000);
  afterAll(async () => {
    await house?.close();
    releaseCluster();
  }, 60_000);
}

describe('regressions on the ClickHouse cluster', () => {
  itCluster('every fit equals the statsmodels reference as on DuckDB', async () => {
    const ctx = houseCtx as AnalysisContext;
    const d = ctx.engine.dialect;
    const values = new SqlValues(ctx.engine, 'r');
    const design = await buildDesign(ctx, values, [{ name: 'adopted', label: 'adopted', sql: d.quoteIdent('adopted') }], ['g', 't'], []);
    expect(design.columns.map((c) => c.name)).toEqual(fixture.names);
    const fits = await fitOlsInEngine(ctx, values, design, [{ name: 'rate', sql: `(${d.quoteIdent('total')} / ${d.quoteIdent('months')})` }], d.quoteIdent('months'));
    (fits.get('rate')?.robust ?? []).forEach((c, i) => {
      expect(close(c.estimate, fixture.wls.params[i] ?? Number.NaN), c.name).toBe(true);
      expect(close(c.standardError, fixture.wls.bse[i] ?? Number.NaN), `${c.name} se`).toBe(true);
    });
    const logit = await fitLogisticInEngine(ctx, values, design, d.quoteIdent('churned'));
    logit.coefficients.forEach((c, i) => expect(close(c.estimate, fixture.logit.params[i] ?? Number.NaN), c.name).toBe(true));
  });
});
