import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { ClickHouseEngine } from '../../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, leaseCluster, releaseCluster, dropClusterDatabases } from '../../engine/clickhouse/test-cluster.js';
import { copyTable } from '../../engine/copy-table.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { CANONICAL_TABLE_NAMES } from '../../model/tables.js';
import { Workspace, type OpenStore } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';
import { makeScreeningWorkspace, screenWorkspace } from './screening.case.js';

// The hand-made screening workspaces (screening.case.ts) imported on DuckDB,
// their tables copied to the 2-shard ClickHouse cluster (rows on the shard of
// their customer): the screening must give the same Result on both, field by
// field. Two variants: NPS with dated churn (flags before the window), and
// CSAT with an undated churn flag (flags by as_of, top-two-box from the scale).

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = 'cxray_screening_equivalence';

interface Fixture {
  ws: Workspace;
  duck: OpenStore;
  house: ClickHouseEngine;
}
const fixtures = new Map<string, Fixture>();

async function setUp(name: string, dir: string): Promise<void> {
  const ws = new Workspace(dir);
  await ws.import();
  const duck = await ws.openStore();
  await dropClusterDatabases(`${DATABASE}_${name}`);
  const house = await ClickHouseEngine.open(clusterOptions(`${DATABASE}_${name}`));
  fixtures.set(name, { ws, duck, house });
  for (const table of [...CANONICAL_TABLE_NAMES, CUSTOMER_FACTS_TABLE]) if (await duck.engine.hasTable(table)) await copyTable(duck.engine, house, table);
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    await setUp('nps', makeScreeningWorkspace());
    await setUp('csat', makeScreeningWorkspace({ csat: true, undatedChurn: true }));
  }, 300_000);

  afterAll(async () => {
    for (const [name, f] of fixtures) {
      await f.duck.close();
      await f.house.close();
      await dropClusterDatabases(`${DATABASE}_${name}`);
    }
    releaseCluster();
  }, 120_000);
}

describe('behaviour screening on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter, passing] of [
    ['nps', 'the whole base', {}, 4],
    ['nps', 'a segment rule', { segment: 'region = north' }, 2],
    ['csat', 'the whole base', {}, 5],
  ] as [string, string, AnalysisFilter, number][]) {
    itCluster(`${name}, ${what}: the same Result (counts exact, doubles to 1e-9, identical texts)`, async () => {
      const f = fixtures.get(name) as Fixture;
      const onDuck = await screenWorkspace(f.ws, f.duck.engine, filter);
      const onHouse = await screenWorkspace(f.ws, f.house, filter);
      for (const r of [onDuck, onHouse]) expect([r.status, r.reason]).toEqual(['ok', undefined]);
      expect(resultDifferences(onDuck, onHouse, 'USD')).toEqual([]);
      // Not vacuous: tests ran and some passed on the cluster.
      const table = onHouse.tables.find((t) => t.name === 'behaviour_screening') as Result['tables'][number];
      expect(table.rows.length).toBeGreaterThan(2);
      expect(onHouse.findings.filter((x) => x.code.startsWith('perfect_customer.screen.'))).toHaveLength(passing);
    });
  }
});
