import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import type { Engine } from '../../engine/types.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import { EngineFixtures, simulatedWorkspace, type EngineFixture } from '../engine-fixtures.case.js';
import { resultDifferences } from '../same-result.case.js';
import type { AnalysisFilter } from '../types.js';
import { makeHandMadeFit } from './hand-made.case.js';

// fit and ideal-profile on DuckDB and on the 2-shard ClickHouse cluster, from
// the same tables (imported on DuckDB, copied to the cluster, where rows land
// on their customer's shard). The Results must agree field by field: counts
// and money totals exact, doubles to 1e-9. The weights are regression
// coefficients from DOUBLE sums added in another order on each shard, so the
// findings stating them compare to 1e-9 too (`modelled`). The calibration
// and a period read the event tables through the per-customer aggregate
// shipped to every shard (history-join.ts); the ideal profile's first-year
// value is co-located (equal-tenure.ts).

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const fixtures = new EngineFixtures('cxray_fit_equivalence');
const fixture = (name: string): EngineFixture => fixtures.get(name);

const modelled = (code: string): boolean => code.startsWith('fit.weight.');





async function analyse(f: EngineFixture, engine: Engine, filter: AnalysisFilter): Promise<Result[]> {
  const out = await runAnalyses({ workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null }, { names: ['fit', 'ideal-profile'], filter });
  for (const r of out.results) expect([r.name, r.status, r.reason]).toEqual([r.name, 'ok', undefined]);
  return out.results;
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    // A simulated company of 2,000 customers with its support costs: every table, churn and referrals included.
    await fixtures.add('company', await simulatedWorkspace('fit-ch'));
    await fixtures.add('hand', makeHandMadeFit());
  }, 300_000);

  afterAll(async () => {
    await fixtures.close();
    releaseCluster();
  }, 120_000);
}

const CASES: [fixture: string, what: string, filter: AnalysisFilter][] = [
  ['company', 'the whole base', {}],
  ['company', 'a segment rule', { segment: 'region IN (North, South)' }],
  ['hand', 'the whole base', {}],
  ['hand', 'a period (components from the event tables)', { from: '2024-01-01', to: '2025-12-31' }],
];

describe('fit and ideal-profile on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter] of CASES) {
    itCluster(`${name}, ${what}: the same Results`, async () => {
      const f = fixture(name);
      const onDuck = await analyse(f, f.duck.engine, filter);
      const onHouse = await analyse(f, f.house, filter);
      expect(onHouse.map((r) => r.name)).toEqual(['fit', 'ideal-profile']);
      onDuck.forEach((r, i) => expect(resultDifferences(r, onHouse[i] as Result, f.config.currency, modelled), r.name).toEqual([]));
      // Not vacuous: the cluster's Results carry fitted weights, a calibration (tenths tied at an edge merge) and rules.
      const [fit, ideal] = onHouse as [Result, Result];
      expect(fit.findings.some((x) => x.code.startsWith('fit.weight.'))).toBe(true);
      expect(fit.tables.find((t) => t.name === 'fit_calibration')?.rows.length).toBeGreaterThanOrEqual(5);
      expect(ideal.tables.find((t) => t.name === 'ideal_rules')?.rows.length).toBeGreaterThan(0);
    });
  }
});
