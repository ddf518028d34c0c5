import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import type { CxrayConfig } from '../../config/schema.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import type { Engine } from '../../engine/types.js';
import { analyseOn, EngineFixtures, simulatedWorkspace, type EngineFixture } from '../engine-fixtures.case.js';
import type { Result } from '../result.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';

// quarter-end on DuckDB and on the 2-shard ClickHouse cluster, from the same
// tables (a simulated company of 2,000 customers imported on DuckDB, copied
// to the cluster, rows on their customer's shard), with the window at the
// simulator's 10 days. The Results must agree field by field: counts exact,
// doubles to 1e-9 (the person-time and money sums are added in another
// order on each shard; the push's net value is a model of them, so it is
// compared to 1e-9 too). Cases: the whole base, a segment rule, a period of
// acquisitions, and a fiscal year starting in February with the default
// 14-day window (the fiscal calendar's CASE in SQL on each engine).

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_quarter_end_equivalence');

async function analyse(f: EngineFixture, engine: Engine, filter: AnalysisFilter, config: CxrayConfig): Promise<{ result: Result; ms: number }> {
  const started = Date.now();
  const results = await analyseOn({ ...f, config }, engine, ['quarter-end'], filter);
  const result = results.find((r) => r.name === 'quarter-end');
  if (result === undefined) throw new Error('no quarter-end result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return { result, ms: Date.now() - started };
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    const dir = await simulatedWorkspace('quarter-end-ch');
    appendFileSync(join(dir, 'cxray.yaml'), '\nquarter_end: {window_days: 10}\n');
    await fixtures.add('company', dir);
  }, 300_000);

  afterAll(async () => {
    await fixtures.close();
    releaseCluster();
  }, 120_000);
}

const CASES: [what: string, filter: AnalysisFilter, fiscal: boolean][] = [
  ['the whole base', {}, false],
  ['a segment rule', { segment: 'region IN (North, South)' }, false],
  ['a period of acquisitions', { from: '2024-01-01', to: '2025-12-31' }, false],
  ['a fiscal year from February, the default window', {}, true],
];

describe('quarter-end on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter, fiscal] of CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const f = fixtures.get('company');
      const config: CxrayConfig = fiscal ? { ...f.config, fiscal_year_start_month: 2, quarter_end: {} } : f.config;
      const onDuck = await analyse(f, f.duck.engine, filter, config);
      const onHouse = await analyse(f, f.house, filter, config);
      process.stderr.write(`quarter-end ${what}: DuckDB ${onDuck.ms} ms, ClickHouse ${onHouse.ms} ms\n`);
      expect(resultDifferences(onDuck.result, onHouse.result, f.config.currency, (code) => code === 'quarter-end.push_balance')).toEqual([]);
      // Not vacuous: the cluster's Result compares sales, refunds and churn, with survival curves.
      const tables = onHouse.result.tables.map((t) => t.name);
      for (const name of ['quarter_end_sales', 'quarter_end_outcomes', 'quarter_end_hazard', 'quarter_end_survival', 'quarter_end_daily']) expect(tables, name).toContain(name);
      expect(onHouse.result.summary.some((s) => s.startsWith(`In the last ${fiscal ? 14 : 10} days of a ${fiscal ? 'fiscal ' : ''}quarter`))).toBe(true);
    });
  }
});
