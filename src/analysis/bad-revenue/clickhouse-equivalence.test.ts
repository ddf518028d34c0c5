import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import { analyseOn, EngineFixtures, simulatedWorkspace } from '../engine-fixtures.case.js';
import type { Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';

// bad-revenue on DuckDB and on the 2-shard ClickHouse cluster, from the same
// tables (a simulated company of 2,000 customers, imported on DuckDB and
// copied to the cluster, rows on the shard of their customer). The Results
// must agree field by field: counts and money exact, doubles (second moments,
// ratios, intervals) to 1e-9. The period runs the per-customer UNION ALL of
// payments and latest answers by the period's end on each shard.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_bad_revenue_equivalence');

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    await fixtures.add('company', await simulatedWorkspace('bad-revenue-ch'));
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

async function badRevenue(engine: 'duck' | 'house', filter: AnalysisFilter): Promise<Result> {
  const f = fixtures.get('company');
  const [result] = await analyseOn(f, engine === 'duck' ? f.duck.engine : f.house, ['bad-revenue'], filter);
  if (result === undefined) throw new Error('no bad-revenue result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

describe('bad-revenue on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of CASES) {
    itCluster(`${what}: the same Result`, async () => {
      const onDuck = await badRevenue('duck', filter);
      const onHouse = await badRevenue('house', filter);
      expect(resultDifferences(onDuck, onHouse, fixtures.get('company').config.currency)).toEqual([]);
      // Not vacuous: every fee line and both products compared, in the three classes.
      const rows = resultRows(onHouse, 'bad_revenue_detractors');
      expect(rows.filter((r) => typeof r['ratio'] === 'number').map((r) => r['key'])).toEqual(expect.arrayContaining(['fee:overage_fee', 'fee:late_fee', 'fee:paper_bill_fee', 'purchase:subscription']));
      expect(onHouse.tables.map((t) => t.name)).toEqual(['bad_revenue_detractors', 'bad_revenue_low_csat', 'bad_revenue_churned', 'bad_revenue_coverage']);
    });
  }
});
