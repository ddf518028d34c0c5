import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import type { Engine } from '../../engine/types.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import { EngineFixtures, simulatedWorkspace, type EngineFixture } from '../engine-fixtures.case.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';
import { checkBlockKeys } from '../block-check.case.js';
import { leakAndCollinearCustomers, makeSurveyWorkspace } from './survey-workspace.case.js';

// Key drivers on DuckDB and on the 2-shard ClickHouse cluster from the same
// tables: each workspace is imported on DuckDB, then its tables are copied
// to the cluster, where rows land on the shard of their customer. The
// Results must agree field by field (counts exact, doubles to 1e-9),
// bootstrap intervals included: both engines draw the same replicates.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_key_drivers_equivalence');
const fixture = (name: string): EngineFixture => fixtures.get(name);





async function keyDrivers(f: EngineFixture, engine: Engine, filter: AnalysisFilter): Promise<Result> {
  const out = await runAnalyses(
    { workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null },
    { names: ['key-drivers'], filter },
  );
  const [result] = out.results;
  if (result === undefined) throw new Error('no key-drivers result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    // A simulated company of 2,000 customers: survey areas, behaviours, tickets and dated churn.
    await fixtures.add('company', await simulatedWorkspace('kd', { costs: false }));
    await fixtures.add('handmade', makeSurveyWorkspace(leakAndCollinearCustomers()));
  }, 300_000);

  afterAll(async () => {
    await fixtures.close();
    releaseCluster();
  }, 120_000);
}

const CASES: [fixture: string, what: string, filter: AnalysisFilter][] = [
  ['company', 'the whole base', {}],
  ['company', 'a segment rule', { segment: 'segment = retail' }],
  ['company', 'a period', { from: '2025-01-01', to: '2026-06-30' }],
  ['handmade', 'leaks, collinear areas and a separating flag', {}],
];

describe('key drivers on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter] of CASES) {
    itCluster(`${name}, ${what}: the same Result, bootstrap intervals included`, async () => {
      const f = fixture(name);
      const onDuck = await keyDrivers(f, f.duck.engine, filter);
      const onHouse = await keyDrivers(f, f.house, filter);
      expect(resultDifferences(onDuck, onHouse, f.config.currency)).toEqual([]);
      // Not vacuous: weights with intervals, and both models, came out.
      const codes = new Set(onHouse.findings.map((x) => x.code));
      for (const code of ['key-drivers.satisfaction_weight', 'key-drivers.satisfaction_r_squared', 'key-drivers.retention_weight']) expect(codes, code).toContain(code);
      const weight = onHouse.findings.find((x) => x.code === 'key-drivers.satisfaction_weight');
      expect(weight?.interval.upper).toBeGreaterThan(weight?.interval.lower ?? 1);
    });
  }

  itCluster('deal customers into the same bootstrap blocks as TypeScript on the cluster (3,000 ids)', async () => {
    const check = await checkBlockKeys(fixture('handmade').house, 3000);
    expect(check.rows).toBe(3000);
    expect(check.wrong).toEqual([]);
    expect(check.distinct).toBeGreaterThan(2000);
  });
});
