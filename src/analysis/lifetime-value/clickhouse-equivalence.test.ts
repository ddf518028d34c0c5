import { afterAll, beforeAll, describe, expect } from 'vitest';
import { standardCompany } from '../../../test/helpers/company.js';
import { itNeeds } from '../../../test/helpers/strict.js';
import type { CxrayConfig } from '../../config/schema.js';
import { ClickHouseEngine } from '../../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, dropClusterDatabases, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import { copyTable } from '../../engine/copy-table.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import type { ImportLedger } from '../../model/ledger.js';
import { CANONICAL_TABLE_NAMES } from '../../model/tables.js';
import type { OpenStore } from '../../workspace/workspace.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';
import { analyseLifetimeValue } from './cdnow-workspace.case.js';
import { importCompany } from './company-workspace.case.js';

// lifetime-value on DuckDB and on the 2-shard ClickHouse cluster from the
// same tables (the standard simulated company, imported on DuckDB, copied to
// the cluster where rows land on their customer's shard): the same Result,
// counts exact and doubles to 1e-9. The summaries are counts, the fits run on
// the same sorted rows, and the per-customer SQL reads co-located tables.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = 'cxray_lifetime_value_equivalence';

let dir: string;
let ledger: ImportLedger;
let duck: OpenStore;
let house: ClickHouseEngine;

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    const imported = await importCompany(standardCompany(), 'cxray-ltv-ch-');
    dir = imported.dir;
    ledger = imported.ledger;
    duck = await imported.ws.openStore();
    await dropClusterDatabases(DATABASE);
    house = await ClickHouseEngine.open(clusterOptions(DATABASE));
    for (const table of [...CANONICAL_TABLE_NAMES, CUSTOMER_FACTS_TABLE]) if (await duck.engine.hasTable(table)) await copyTable(duck.engine, house, table);
  }, 600_000);

  afterAll(async () => {
    await duck?.close();
    await house?.close();
    await dropClusterDatabases(DATABASE);
    releaseCluster();
  }, 120_000);
}

const CASES: [what: string, filter: AnalysisFilter, lifetime: CxrayConfig['lifetime_value']][] = [
  ['the whole base', {}, undefined],
  ['a segment rule', { segment: 'segment = retail' }, undefined],
  ['the whole base with a calibration split', {}, { calibration_end: '2025-06-30' }],
];

describe('lifetime value on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter, lifetime] of CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await analyseLifetimeValue(dir, duck.engine, ledger, filter, lifetime);
      const onHouse = await analyseLifetimeValue(dir, house, ledger, filter, lifetime);
      expect([onHouse.result.status, onHouse.result.reason]).toEqual(['ok', undefined]);
      expect(onHouse.model.summaries).toEqual(onDuck.model.summaries);
      // The mean lifetime value is money from a model (sums of doubles), not money summed exactly: equal to 1e-9.
      expect(resultDifferences(onDuck.result, onHouse.result, 'USD', (code) => code === 'lifetime-value.mean_value')).toEqual([]);
      // Not vacuous: a fitted value with its interval, distributions and top customers came out.
      const value = onHouse.result.findings.find((f) => f.code === 'lifetime-value.mean_value');
      expect(value?.interval.upper).toBeGreaterThan(value?.interval.lower ?? Infinity);
      expect(onHouse.result.tables.find((t) => t.name === 'top_customers')?.rows).toHaveLength(10);
    }, 300_000);
  }
});
