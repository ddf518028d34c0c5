import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import type { Engine } from '../../engine/types.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import { EngineFixtures, simulatedWorkspace, type EngineFixture } from '../engine-fixtures.case.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';
import { makeHandMadeMix } from './hand-made.case.js';

// mix on DuckDB and on the 2-shard ClickHouse cluster, from the same tables
// (imported on DuckDB, copied to the cluster, where rows land on their
// customer's shard). mix runs ideal-profile and misaligned first on each
// engine and reads their rules and segments; the Results must agree field by
// field: counts and money exact (the 90-day values are summed in the exact
// money type; each customer's window meets its signup on its own shard),
// doubles to 1e-9. Cases: a simulated company (the whole base, a segment
// rule, a period of signups) and the hand-made company with a known drift
// (the whole base, a segment rule).

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_mix_equivalence');
const fixture = (name: string): EngineFixture => fixtures.get(name);





async function analyse(f: EngineFixture, engine: Engine, filter: AnalysisFilter): Promise<{ result: Result; ms: number }> {
  const started = Date.now();
  const out = await runAnalyses({ workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null }, { names: ['mix'], filter });
  const result = out.results.find((r) => r.name === 'mix');
  if (result === undefined) throw new Error('no mix result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return { result, ms: Date.now() - started };
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    // A simulated company of 2,000 customers with its support costs: 12 signup quarters, surveys, contacts.
    await fixtures.add('company', await simulatedWorkspace('mix-ch'));
    await fixtures.add('hand', makeHandMadeMix());
  }, 300_000);

  afterAll(async () => {
    await fixtures.close();
    releaseCluster();
  }, 120_000);
}

const CASES: [fixture: string, what: string, filter: AnalysisFilter][] = [
  ['company', 'the whole base', {}],
  ['company', 'a segment rule', { segment: 'region IN (North, South)' }],
  ['company', 'a period of signups', { from: '2024-01-01', to: '2026-03-31' }],
  ['hand', 'the whole base', {}],
  ['hand', 'a segment rule', { segment: 'contract = annual' }],
];

describe('mix on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter] of CASES) {
    itCluster(`${name}, ${what}: the same Result`, async () => {
      const f = fixture(name);
      const onDuck = await analyse(f, f.duck.engine, filter);
      const onHouse = await analyse(f, f.house, filter);
      process.stderr.write(`mix ${name}, ${what}: DuckDB ${onDuck.ms} ms, ClickHouse ${onHouse.ms} ms (with ideal-profile and misaligned)\n`);
      expect(resultDifferences(onDuck.result, onHouse.result, f.config.currency)).toEqual([]);
      // Not vacuous: the cluster's Result follows series over cohorts and compares them at equal tenure.
      const tables = new Set(onHouse.result.tables.map((t) => t.name));
      expect(tables.has('mix_equal_tenure')).toBe(true);
      expect(tables.has('mix_by_cohort') || tables.has('cohort_mix')).toBe(true);
      const byCohort = onHouse.result.tables.find((t) => t.name === 'mix_by_cohort' || t.name === 'cohort_mix');
      expect(byCohort?.rows.length).toBeGreaterThan(5);
      if (name === 'hand' && what === 'the whole base') {
        expect(onHouse.result.findings.map((x) => x.code).sort()).toEqual(['mix.any_rule_drift', 'mix.equal_tenure_value', 'mix.ideal_drift', 'mix.misaligned_drift', 'mix.rule_drift']);
      }
    });
  }
});
