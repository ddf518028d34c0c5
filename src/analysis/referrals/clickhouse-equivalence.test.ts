import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../engine/clickhouse/test-cluster.js';
import type { Engine } from '../../engine/types.js';
import type { Result } from '../result.js';
import { runAnalyses } from '../run-analyses.js';
import { EngineFixtures, simulatedWorkspace, type EngineFixture } from '../engine-fixtures.case.js';
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
const fixtures = new EngineFixtures('cxray_referrals_equivalence');
const fixture = (name: string): EngineFixture => fixtures.get(name);

const modelled = (code: string): boolean => code.startsWith('referrals.referred_net_value');





async function analyse(f: EngineFixture, engine: Engine, filter: AnalysisFilter): Promise<{ result: Result; ms: number }> {
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
    await fixtures.add('company', await simulatedWorkspace('referrals-ch'));
    await fixtures.add('hand', makeReferralWorkspace('column'));
  }, 300_000);

  afterAll(async () => {
    await fixtures.close();
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
