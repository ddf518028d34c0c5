import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { itNeeds } from '../../test/helpers/strict.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CxrayConfig } from '../config/schema.js';
import { ClickHouseEngine } from '../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, dropClusterDatabases, leaseCluster, releaseCluster } from '../engine/clickhouse/test-cluster.js';
import { copyTable } from '../engine/copy-table.js';
import type { Engine } from '../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../facts/index.js';
import { initWorkspace } from '../init/index.js';
import type { ImportLedger } from '../model/ledger.js';
import { CANONICAL_TABLE_NAMES } from '../model/tables.js';
import { companyCostsYaml } from '../simulate/index.js';
import { sharedCompany } from '../../test/helpers/company.js';
import { Workspace, type OpenStore } from '../workspace/workspace.js';
import type { AnalysisName } from './names.js';
import type { Result } from './result.js';
import { runAnalyses } from './run-analyses.js';
import type { AnalysisFilter } from './types.js';
import { importCached } from '../../test/helpers/import-cache.js';

/** One workspace imported on DuckDB, its tables copied to a cluster database of its own. */
export interface EngineFixture {
  dir: string;
  config: CxrayConfig;
  configHash: string;
  ledger: ImportLedger;
  duck: OpenStore;
  house: ClickHouseEngine;
}

/**
 * The workspaces an analysis's equivalence test compares on both engines:
 * each is imported on DuckDB, then its tables are copied to the 2-shard
 * cluster (rows land on the shard of their customer), under the database
 * `<prefix>_<name>`. The caller leases the cluster.
 */
export class EngineFixtures {
  private readonly fixtures = new Map<string, EngineFixture>();

  constructor(private readonly prefix: string) {}

  async add(name: string, dir: string): Promise<EngineFixture> {
    const ws = new Workspace(dir);
    const ledger = await importCached(ws);
    const { config, hash } = await ws.config();
    const duck = await ws.openStore();
    const database = `${this.prefix}_${name}`;
    await dropClusterDatabases(database);
    const house = await ClickHouseEngine.open(clusterOptions(database));
    for (const table of [...CANONICAL_TABLE_NAMES, CUSTOMER_FACTS_TABLE]) if (await duck.engine.hasTable(table)) {
        await copyTable(duck.engine, house, table, {
          // Said in the test log: a retried copy is a transport fault of the cluster, worth seeing even when the retry holds.
          onRetry: (r) => console.warn(`copy to ${database}: ${r.table} sent ${r.sent} rows, the cluster held ${r.landed}; copied again`),
        });
      }
    const fixture = { dir, config, configHash: hash, ledger, duck, house };
    this.fixtures.set(name, fixture);
    return fixture;
  }

  get(name: string): EngineFixture {
    const found = this.fixtures.get(name);
    if (found === undefined) throw new Error(`fixture ${name} was not set up`);
    return found;
  }

  /** Closes both stores of every fixture and drops its cluster databases. */
  async close(): Promise<void> {
    for (const f of this.fixtures.values()) {
      await f.duck.close();
      const database = f.house.dialect.layout.database;
      await f.house.close();
      await dropClusterDatabases(database);
    }
    this.fixtures.clear();
  }
}

/**
 * A workspace over a simulated company (2,000 customers, seed 5 by default:
 * every table, churn, surveys and referrals) from the config `init` writes,
 * with the company's support costs unless `costs` is false.
 */
export async function simulatedWorkspace(label: string, options: { customers?: number; seed?: number; costs?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `cxray-${label}-company-`));
  const company = await sharedCompany(options.customers ?? 2000, options.seed ?? 5);
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  await initWorkspace({ dir, from: files, force: false });
  if (options.costs !== false) appendFileSync(join(dir, 'cxray.yaml'), companyCostsYaml());
  return dir;
}

/** The analyses `names` (and what they depend on) on `engine` over the fixture's import, nothing stored. */
export async function analyseOn(f: EngineFixture, engine: Engine, names: readonly AnalysisName[], filter: AnalysisFilter): Promise<Result[]> {
  const out = await runAnalyses({ workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null }, { names: [...names], filter });
  return out.results;
}

/** The filters a lean equivalence test runs: the whole base, a segment rule, a period. */
export const EQUIVALENCE_CASES: [what: string, filter: AnalysisFilter][] = [
  ['the whole base', {}],
  ['a segment rule', { segment: 'region IN (North, South)' }],
  ['a period', { from: '2025-01-01', to: '2025-12-31' }],
];

/**
 * An analysis's equivalence test over the simulated company on both engines:
 * leases the cluster and sets the company up before the file's tests (and
 * drops it after) when clickhouse-server is installed; `itCluster` is a test
 * that needs it; `run` gives the analysis's Result on one engine, checked ok.
 */
export function companyOnBothEngines(name: AnalysisName, label: string): {
  itCluster: ReturnType<typeof itNeeds>;
  fixture: () => EngineFixture;
  run: (engine: 'duck' | 'house', filter: AnalysisFilter) => Promise<Result>;
} {
  const installed = clickhouseInstalled();
  const fixtures = new EngineFixtures(`cxray_${label.replace(/-/g, '_')}_equivalence`);
  if (installed) {
    beforeAll(async () => {
      leaseCluster();
      await fixtures.add('company', await simulatedWorkspace(`${label}-ch`));
    }, 300_000);
    afterAll(async () => {
      await fixtures.close();
      releaseCluster();
    }, 120_000);
  }
  const fixture = (): EngineFixture => fixtures.get('company');
  return {
    itCluster: itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT),
    fixture,
    run: async (engine, filter) => {
      const f = fixture();
      const result = (await analyseOn(f, engine === 'duck' ? f.duck.engine : f.house, [name], filter)).find((r) => r.name === name);
      if (result === undefined) throw new Error(`no ${name} result`);
      expect([result.status, result.reason]).toEqual(['ok', undefined]);
      return result;
    },
  };
}
