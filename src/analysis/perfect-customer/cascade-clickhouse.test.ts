import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { ClickHouseEngine } from '../../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, leaseCluster, releaseCluster, dropClusterDatabases } from '../../engine/clickhouse/test-cluster.js';
import { copyTable } from '../../engine/copy-table.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { initWorkspace } from '../../init/index.js';
import { CANONICAL_TABLE_NAMES } from '../../model/tables.js';
import { companyCostsYaml, simulateCompany } from '../../simulate/index.js';
import { Workspace } from '../../workspace/workspace.js';
import type { AnalysisFilter } from '../types.js';
import { resultDifferences } from '../same-result.case.js';
import { cascadeOf, makeCascadeWorkspace } from './cascade-workspace.case.js';
import { resultRows } from '../result-rows.case.js';

// The cascade on DuckDB and on the 2-shard ClickHouse cluster, from the same
// tables: each workspace is imported on DuckDB, then its tables are copied to
// the cluster (rows land on their customer's shard). Both engines draw the
// same bootstrap replicates (portable hash), so the two sections must agree
// field by field: counts exact, doubles to 1e-9 (same-result.case.ts).

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = 'cxray_cascade_equivalence';

interface Fixture {
  ws: Workspace;
  house: ClickHouseEngine;
}

const fixtures = new Map<string, Fixture>();

async function fixture(name: string, dir: string): Promise<void> {
  const ws = new Workspace(dir);
  await ws.import();
  const database = `${DATABASE}_${name}`;
  await dropClusterDatabases(database);
  const house = await ClickHouseEngine.open(clusterOptions(database));
  const store = await ws.openStore();
  try {
    for (const table of [...CANONICAL_TABLE_NAMES, CUSTOMER_FACTS_TABLE]) if (await store.engine.hasTable(table)) await copyTable(store.engine, house, table);
  } finally {
    await store.close();
  }
  fixtures.set(name, { ws, house });
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    await fixture('hand', makeCascadeWorkspace());
    // A simulated company of 2,000 customers: four behaviours, NPS, segments, tenure.
    const company = mkdtempSync(join(tmpdir(), 'cxray-cascade-ch-'));
    await simulateCompany({ customers: 2000, seed: 5, outDir: join(company, 'exports') });
    const files = readdirSync(join(company, 'exports')).filter((f) => f.endsWith('.csv')).map((f) => join(company, 'exports', f));
    await initWorkspace({ dir: company, from: files, force: false });
    appendFileSync(join(company, 'cxray.yaml'), companyCostsYaml());
    await fixture('company', company);
  }, 300_000);

  afterAll(async () => {
    for (const f of fixtures.values()) {
      await f.house.close();
      await dropClusterDatabases(f.house.dialect.layout.database);
    }
    releaseCluster();
  }, 120_000);
}

const CASES: [fixture: string, what: string, filter: AnalysisFilter][] = [
  ['hand', 'the whole base', {}],
  ['hand', 'a segment rule', { segment: 'region = north' }],
  ['company', 'the whole base', {}],
  ['company', 'a segment rule', { segment: 'segment = retail' }],
];

describe('the cascade on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter] of CASES) {
    itCluster(`${name}, ${what}: the same section (counts exact, doubles and intervals to 1e-9)`, async () => {
      const f = fixtures.get(name);
      if (f === undefined) throw new Error(`fixture ${name} was not set up`);
      const onDuck = await cascadeOf(f.ws, undefined, filter);
      const onHouse = await cascadeOf(f.ws, f.house, filter);
      expect([onHouse.status, onHouse.reason]).toEqual(['ok', undefined]);
      expect(resultDifferences(onDuck, onHouse, 'USD', (code) => code.startsWith('perfect_customer.cascade.'))).toEqual([]);
      // Not vacuous: self-service's four links, with intervals, came out on the cluster.
      const rows = resultRows(onHouse, 'cascade').filter((r) => r['behaviour'] === 'self_service');
      expect(rows).toHaveLength(4);
      for (const r of rows) expect((r['upper'] as number) >= (r['lower'] as number)).toBe(true);
      expect(onHouse.findings.map((x) => x.code)).toContain('perfect_customer.cascade.self_service');
    });
  }
});
