import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import type { CxrayConfig } from '../../config/schema.js';
import { ClickHouseEngine } from '../../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, leaseCluster, releaseCluster, dropClusterDatabases } from '../../engine/clickhouse/test-cluster.js';
import { copyTable } from '../../engine/copy-table.js';
import type { Engine } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { initWorkspace } from '../../init/index.js';
import type { ImportLedger } from '../../model/ledger.js';
import { CANONICAL_TABLE_NAMES } from '../../model/tables.js';
import { simulateCompany } from '../../simulate/index.js';
import { Workspace, type OpenStore } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
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
const DATABASE = 'cxray_key_drivers_equivalence';

interface Fixture {
  dir: string;
  config: CxrayConfig;
  configHash: string;
  ledger: ImportLedger;
  duck: OpenStore;
  house: ClickHouseEngine;
}

const fixtures = new Map<string, Fixture>();

async function importFixture(name: string, dir: string): Promise<void> {
  const ws = new Workspace(dir);
  const { ledger } = await ws.import();
  const { config, hash } = await ws.config();
  const duck = await ws.openStore();
  const database = `${DATABASE}_${name}`;
  await dropClusterDatabases(database);
  const house = await ClickHouseEngine.open(clusterOptions(database));
  for (const table of [...CANONICAL_TABLE_NAMES, CUSTOMER_FACTS_TABLE]) if (await duck.engine.hasTable(table)) await copyTable(duck.engine, house, table);
  fixtures.set(name, { dir, config, configHash: hash, ledger, duck, house });
}

function fixture(name: string): Fixture {
  const found = fixtures.get(name);
  if (found === undefined) throw new Error(`fixture ${name} was not set up`);
  return found;
}

async function keyDrivers(f: Fixture, engine: Engine, filter: AnalysisFilter): Promise<Result> {
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
    const company = mkdtempSync(join(tmpdir(), 'cxray-kd-company-'));
    await simulateCompany({ customers: 2000, seed: 5, outDir: join(company, 'exports') });
    const files = readdirSync(join(company, 'exports')).filter((f) => f.endsWith('.csv')).map((f) => join(company, 'exports', f));
    await initWorkspace({ dir: company, from: files, force: false });
    await importFixture('company', company);
    await importFixture('handmade', makeSurveyWorkspace(leakAndCollinearCustomers()));
  }, 300_000);

  afterAll(async () => {
    for (const f of fixtures.values()) {
      await f.duck.close();
      const database = f.house.dialect.layout.database;
      await f.house.close();
      await dropClusterDatabases(database);
    }
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
