import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import { analyseOn, EngineFixtures, simulatedWorkspace } from '../engine-fixtures.case.js';
import type { Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';

// fee-aftermath (and the bad-revenue it reads) on DuckDB and on the 2-shard
// ClickHouse cluster, from the same tables (a simulated company of 2,000
// customers, copied to the cluster with rows on the shard of their customer).
// Each shard builds its own customers' eligible weeks (a CROSS JOIN with a
// week spine), their first fees, first-90-day purchases and window answers
// from its own rows; only the risk sets' sums travel. The Results must agree
// field by field: counts exact, doubles to 1e-9.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_fee_aftermath_equivalence');

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    await fixtures.add('company', await simulatedWorkspace('fee-aftermath-ch'));
  }, 300_000);

  afterAll(async () => {
    await fixtures.close();
    releaseCluster();
  }, 120_000);
}

const CASES: [what: string, filter: AnalysisFilter][] = [
  ['the whole base', {}],
  ['a segment rule', { segment: 'region IN (North, South)' }],
  ['a period', { from: '2025-01-01', to: '2025-12-31' }],
];

async function feeAftermath(engine: 'duck' | 'house', filter: AnalysisFilter): Promise<Result> {
  const f = fixtures.get('company');
  const results = await analyseOn(f, engine === 'duck' ? f.duck.engine : f.house, ['fee-aftermath'], filter);
  const result = results.find((r) => r.name === 'fee-aftermath');
  if (result === undefined) throw new Error('no fee-aftermath result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

describe('fee-aftermath on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await feeAftermath('duck', filter);
      const onHouse = await feeAftermath('house', filter);
      expect(resultDifferences(onDuck, onHouse, fixtures.get('company').config.currency)).toEqual([]);
      // Not vacuous: every fee line compared on churn, and most on satisfaction (a segment or a year of 2,000 customers leaves few answers after some fees).
      const compared = resultRows(onHouse, 'fee_aftermath').filter((r) => typeof r['difference'] === 'number');
      expect(compared.filter((r) => r['outcome'] === 'churn').map((r) => r['line']).sort()).toEqual(['Late fee', 'Overage fee', 'Paper bill fee']);
      expect(compared.filter((r) => r['outcome'] === 'satisfaction').length).toBeGreaterThanOrEqual(2);
      expect(compared.map((r) => r['control_weeks'] as number).every((n) => n > 100), JSON.stringify(compared.map((r) => [r['line'], r['outcome'], r['control_weeks']]))).toBe(true);
    });
  }
});
