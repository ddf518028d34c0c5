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
import { makeReferralWorkspace } from './referral-workspace.case.js';

// referrals on DuckDB and on the 2-shard ClickHouse cluster, from the same
// tables: each workspace is imported on DuckDB, then its tables are copied
// to the cluster, where each customer's rows land on the shard of its id, so
// a referrer and the customers it brought mostly sit on different shards
// (the pairs travel by GLOBAL JOIN, the equal-tenure values as per-customer
// rows). The Results must agree field by field: counts and money totals
// exact, doubles to 1e-9. The referred customers' net value per
// customer-month compares to 1e-9 too: a least-squares coefficient fitted to
// DOUBLE sums added in another order on each shard (`modelled`).

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = 'cxray_referrals_equivalence';

const modelled = (code: string): boolean => code.startsWith('referrals.referred_net_value');

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

async function analyse(f: Fixture, engine: Engine, filter: AnalysisFilter): Promise<{ result: Result; ms: number }> {
  const started = Date.now();
  const out = await runAnalyses({ workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null }, { names: ['referrals'], filter });
  const result = out.results.find((r) => r.name === 'referrals');
  if (result === undefined) throw new Error('no referrals result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return { result, ms: Date.now() - started };
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    // A simulated company of 2,000 customers with its support costs: referrals, churn and surveys.
    const company = mkdtempSync(join(tmpdir(), 'cxray-referrals-ch-company-'));
    await simulateCompany({ customers: 2000, seed: 5, outDir: join(company, 'exports') });
    const files = readdirSync(join(company, 'exports')).filter((f) => f.endsWith('.csv')).map((f) => join(company, 'exports', f));
    await initWorkspace({ dir: company, from: files, force: false });
    appendFileSync(join(company, 'cxray.yaml'), companyCostsYaml());
    await importFixture('company', company);
    await importFixture('hand', makeReferralWorkspace('column'));
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
  ['company', 'a segment rule', { segment: 'segment IN (retail, smb)' }],
  ['company', 'a period', { from: '2024-01-01', to: '2025-06-30' }],
  ['hand', 'the whole base', {}],
  ['hand', 'a segment rule', { segment: 'segment = B' }],
];

describe('referrals on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter] of CASES) {
    itCluster(`${name}, ${what}: the same Result`, async () => {
      const f = fixture(name);
      const onDuck = await analyse(f, f.duck.engine, filter);
      const onHouse = await analyse(f, f.house, filter);
      process.stderr.write(`referrals ${name}, ${what}: DuckDB ${onDuck.ms} ms, ClickHouse ${onHouse.ms} ms\n`);
      expect(resultDifferences(onDuck.result, onHouse.result, f.config.currency, modelled)).toEqual([]);
      // Not vacuous: the cluster's Result carries pairs, mixing, the value correlation and the multiplier.
      const codes = new Set(onHouse.result.findings.map((x) => x.code));
      // (Segment B of the hand-made company has 20 pairs: too few for the value correlation, which says so in a warning.)
      const expected = name === 'hand' && what === 'a segment rule' ? ['referrals.share_referring', 'referrals.multiplier'] : ['referrals.share_referring', 'referrals.value_correlation', 'referrals.multiplier'];
      for (const code of expected) expect(codes, code).toContain(code);
      const homophily = onHouse.result.tables.find((t) => t.name === 'referral_homophily');
      expect(homophily?.rows.some((r) => typeof r[4] === 'number')).toBe(true);
      if (name === 'hand' && what === 'the whole base') expect(onHouse.result.findings.filter((x) => x.code === 'referrals.homophily').map((x) => x.n)).toEqual([40, 40]);
    });
  }
});
