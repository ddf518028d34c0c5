import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import type { Engine } from '../../engine/types.js';
import type { AnalysisName } from '../names.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import { EngineFixtures, simulatedWorkspace, type EngineFixture } from '../engine-fixtures.case.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';
import { makeThreeSegments } from '../value/three-segments.case.js';

// value and misaligned on DuckDB and on the 2-shard ClickHouse cluster, from
// the same tables: each workspace is imported on DuckDB, then its tables are
// copied to the cluster, where rows land on the shard of their customer. The
// Results must agree field by field: counts and money totals exact, doubles
// to 1e-9. Money per customer-month divides an exact total by a DOUBLE sum
// of months (summed in another order on each shard), so those findings
// compare to 1e-9 too (`perMonth`). A period runs the per-customer UNION ALL
// of transactions, interactions and survey answers on each shard.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_value_equivalence');
const fixture = (name: string): EngineFixture => fixtures.get(name);

/** Findings whose money estimate is a ratio to months of exposure. */
const perMonth = (code: string): boolean => code === 'value.net_value_per_month' || code.startsWith('value.part.') || code === 'value.segment_difference' || code.startsWith('misaligned.');





async function analyse(f: EngineFixture, engine: Engine, name: AnalysisName, filter: AnalysisFilter): Promise<Result> {
  const out = await runAnalyses({ workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null }, { names: [name], filter });
  const result = out.results.find((r) => r.name === name);
  if (result === undefined) throw new Error(`no ${name} result`);
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    // A simulated company of 2,000 customers with its support costs: every table, churn included.
    await fixtures.add('company', await simulatedWorkspace('value-ch'));
    await fixtures.add('three', makeThreeSegments());
  }, 300_000);

  afterAll(async () => {
    await fixtures.close();
    releaseCluster();
  }, 120_000);
}

const CASES: [fixture: string, what: string, filter: AnalysisFilter][] = [
  ['company', 'the whole base', {}],
  ['company', 'a segment rule', { segment: 'region IN (North, South)' }],
  ['company', 'a period', { from: '2025-01-01', to: '2025-12-31' }],
  ['three', 'the whole base', {}],
  ['three', 'a segment rule and a period', { segment: 'region = north', from: '2024-09-01' }],
];

describe('value and misaligned on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter] of CASES) {
    itCluster(`${name}, ${what}: the same Results`, async () => {
      const f = fixture(name);
      const onHouse = new Map<AnalysisName, Result>();
      for (const analysis of ['value', 'misaligned'] as const) {
        const onDuck = await analyse(f, f.duck.engine, analysis, filter);
        onHouse.set(analysis, await analyse(f, f.house, analysis, filter));
        expect(resultDifferences(onDuck, onHouse.get(analysis) as Result, f.config.currency, perMonth), analysis).toEqual([]);
      }
      // Not vacuous: the cluster's Results carry the parts, segments and scan.
      const value = onHouse.get('value') as Result;
      const codes = new Set(value.findings.map((x) => x.code));
      for (const code of ['value.net_value_per_customer', 'value.net_value_per_month', 'value.part.cost_to_serve', 'value.unprofitable_customers', 'value.segment_difference']) expect(codes, code).toContain(code);
      const misaligned = onHouse.get('misaligned') as Result;
      const scan = misaligned.tables.find((t) => t.name === 'misaligned_scan');
      // Cells tested: three segments within a region, hundreds in the company.
      expect(scan?.rows.reduce((s, r) => s + Number(r[3]), 0)).toBeGreaterThanOrEqual(name === 'three' ? 3 : 100);
      if (name === 'three') expect(misaligned.findings.filter((x) => x.code === 'misaligned.segment').map((x) => x.text.slice(0, 26))).toEqual(['Customers with segment A (']);
    });
  }
});
