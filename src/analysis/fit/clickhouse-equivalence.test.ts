import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import type { CxrayConfig } from '../../config/schema.js';
import { ClickHouseEngine } from '../../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, dropClusterDatabases, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import { copyTable } from '../../engine/copy-table.js';
import type { Engine } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { initWorkspace } from '../../init/index.js';
import type { ImportLedger } from '../../model/ledger.js';
import { CANONICAL_TABLE_NAMES } from '../../model/tables.js';
import { companyCostsYaml, simulateCompany } from '../../simulate/index.js';
import { Workspace, type OpenStore } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';
import { makeHandMadeFit } from './hand-made.case.js';

// fit and ideal-profile on DuckDB and on the 2-shard ClickHouse cluster, from
// the same tables (imported on DuckDB, copied to the cluster, where rows land
// on their customer's shard). The Results must agree field by field: counts
// and money totals exact, doubles to 1e-9. The weights are regression
// coefficients from DOUBLE sums added in another order on each shard, so the
// findings stating them compare to 1e-9 too (`modelled`). The calibration
// and a period read the event tables through the per-customer aggregate
// shipped to every shard (history-join.ts); the ideal profile's first-year
// value is co-located (equal-tenure.ts).

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = 'cxray_fit_equivalence';

const modelled = (code: string): boolean => code.startsWith('fit.weight.');

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

async function analyse(f: Fixture, engine: Engine, filter: AnalysisFilter): Promise<Result[]> {
  const out = await runAnalyses({ workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null }, { names: ['fit', 'ideal-profile'], filter });
  for (const r of out.results) expect([r.name, r.status, r.reason]).toEqual([r.name, 'ok', undefined]);
  return out.results;
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    // A simulated company of 2,000 customers with its support costs: every table, churn and referrals included.
    const company = mkdtempSync(join(tmpdir(), 'cxray-fit-ch-company-'));
    await simulateCompany({ customers: 2000, seed: 5, outDir: join(company, 'exports') });
    const files = readdirSync(join(company, 'exports')).filter((f) => f.endsWith('.csv')).map((f) => join(company, 'exports', f));
    await initWorkspace({ dir: company, from: files, force: false });
    appendFileSync(join(company, 'cxray.yaml'), companyCostsYaml());
    await importFixture('company', company);
    await importFixture('hand', makeHandMadeFit());
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
  ['company', 'a segment rule', { segment: 'region IN (North, South)' }],
  ['hand', 'the whole base', {}],
  ['hand', 'a period (components from the event tables)', { from: '2024-01-01', to: '2025-12-31' }],
];

describe('fit and ideal-profile on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter] of CASES) {
    itCluster(`${name}, ${what}: the same Results`, async () => {
      const f = fixture(name);
      const onDuck = await analyse(f, f.duck.engine, filter);
      const onHouse = await analyse(f, f.house, filter);
      expect(onHouse.map((r) => r.name)).toEqual(['fit', 'ideal-profile']);
      onDuck.forEach((r, i) => expect(resultDifferences(r, onHouse[i] as Result, f.config.currency, modelled), r.name).toEqual([]));
      // Not vacuous: the cluster's Results carry fitted weights, a calibration (tenths tied at an edge merge) and rules.
      const [fit, ideal] = onHouse as [Result, Result];
      expect(fit.findings.some((x) => x.code.startsWith('fit.weight.'))).toBe(true);
      expect(fit.tables.find((t) => t.name === 'fit_calibration')?.rows.length).toBeGreaterThanOrEqual(5);
      expect(ideal.tables.find((t) => t.name === 'ideal_rules')?.rows.length).toBeGreaterThan(0);
    });
  }
});
