import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import { analyseOn, EngineFixtures, simulatedWorkspace } from '../engine-fixtures.case.js';
import type { Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';

// value-balance on DuckDB and on the 2-shard ClickHouse cluster, from the
// same tables (a simulated company of 2,000 customers, imported on DuckDB and
// copied to the cluster, rows on the shard of their customer). The Results
// must agree field by field: counts exact, doubles to 1e-9. Every money
// figure here comes out of the fitted line (DOUBLE sums of residuals), so
// the findings' estimates are compared to 1e-9 too. The value map reads the
// "Price and value" ratings and the behaviour events through one
// per-customer UNION ALL on each shard; the period adds the payments in it.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_value_balance_equivalence');

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    await fixtures.add('company', await simulatedWorkspace('value-balance-ch'));
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

async function valueBalance(engine: 'duck' | 'house', filter: AnalysisFilter): Promise<Result> {
  const f = fixtures.get('company');
  const [result] = await analyseOn(f, engine === 'duck' ? f.duck.engine : f.house, ['value-balance'], filter);
  if (result === undefined) throw new Error('no value-balance result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

describe('value-balance on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await valueBalance('duck', filter);
      const onHouse = await valueBalance('house', filter);
      expect(resultDifferences(onDuck, onHouse, fixtures.get('company').config.currency, (code) => code.startsWith('value_balance.'))).toEqual([]);
      // Not vacuous: the ratings of price and value and usage both on the map, and a score of segments compared.
      expect(resultRows(onHouse, 'value_balance_line').map((r) => r['term'])).toEqual(['intercept', 'satisfaction', 'usage']);
      expect(onHouse.summary[0]).toMatch(/^Value delivered is measured by satisfaction with price and value \(ratings of "Price and value"\) on 0-100 and usage/);
      expect(resultRows(onHouse, 'value_balance_segments').filter((r) => r['q_value'] !== null).length).toBeGreaterThanOrEqual(12);
    });
  }
});
