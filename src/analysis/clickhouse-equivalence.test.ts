import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../test/helpers/strict.js';
import type { CxrayConfig } from '../config/schema.js';
import { ClickHouseEngine } from '../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, leaseCluster, releaseCluster, dropClusterDatabases } from '../engine/clickhouse/test-cluster.js';
import { copyTable } from '../engine/copy-table.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Engine } from '../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../facts/index.js';
import { initWorkspace } from '../init/index.js';
import type { ImportLedger } from '../model/ledger.js';
import { CANONICAL_TABLE_NAMES } from '../model/tables.js';
import { companyCostsYaml, simulateCompany } from '../simulate/index.js';
import { valueConcentration } from '../simulate/value-concentration.js';
import { Workspace, type OpenStore } from '../workspace/workspace.js';
import { parsePeriod } from './period.js';
import { createConcentrationFixture } from './profile/concentration.case.js';
import { exactGini, topShare } from './profile/concentration-math.js';
import { rankedSums, revenueSource, topShareAggregates, valueTotals } from './profile/concentration-sql.js';
import type { Result } from './result.js';
import { runAnalyses } from './run-analyses.js';
import { differences, resultDifferences } from './same-result.case.js';
import { testContext } from './scope.case.js';
import { makeShop } from './shop.case.js';
import { snapshotSchema, type Snapshot } from './snapshots/snapshot.js';
import type { AnalysisFilter } from './types.js';

// The profile on DuckDB and on the 2-shard ClickHouse cluster, from the same
// tables: each fixture is imported (and customer_facts built) on DuckDB, then
// every table is copied to the cluster, where rows land on the shard of their
// customer. The two Results must agree field by field (same-result.case.ts).

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = 'cxray_analysis_equivalence';

/** One workspace imported on DuckDB, with its tables copied to a ClickHouse database of its own. */
interface Fixture {
  dir: string;
  config: CxrayConfig;
  configHash: string;
  ledger: ImportLedger;
  duck: OpenStore;
  house: ClickHouseEngine;
}

const fixtures = new Map<string, Fixture>();
const houses: ClickHouseEngine[] = [];
/** The hand-made concentration table on DuckDB and its copy on the cluster, and each customer's revenue. */
let scratch: DuckDbEngine | undefined;
let scratchHouse: ClickHouseEngine | undefined;
let scratchRevenue: number[] = [];

/** A fresh ClickHouse database holding a copy of the tables the analyses read. */
async function copyToCluster(from: Engine, database: string, tables: readonly string[]): Promise<ClickHouseEngine> {
  await dropClusterDatabases(database);
  const house = await ClickHouseEngine.open(clusterOptions(database));
  houses.push(house);
  for (const table of tables) if (await from.hasTable(table)) await copyTable(from, house, table);
  return house;
}

async function importFixture(name: string, dir: string): Promise<Fixture> {
  const ws = new Workspace(dir);
  const { ledger } = await ws.import();
  const { config, hash } = await ws.config();
  const duck = await ws.openStore();
  const house = await copyToCluster(duck.engine, `${DATABASE}_${name}`, [...CANONICAL_TABLE_NAMES, CUSTOMER_FACTS_TABLE]);
  const fixture = { dir, config, configHash: hash, ledger, duck, house };
  fixtures.set(name, fixture);
  return fixture;
}

function fixture(name: string): Fixture {
  const found = fixtures.get(name);
  if (found === undefined) throw new Error(`fixture ${name} was not set up`);
  return found;
}

async function profile(f: Fixture, engine: Engine, filter: AnalysisFilter, more: { ledger?: ImportLedger; snapshotsDir?: string; resultsDir?: string } = {}): Promise<Result> {
  const out = await runAnalyses(
    { workspace: f.dir, engine, ledger: more.ledger ?? f.ledger, config: f.config, configHash: f.configHash, resultsDir: more.resultsDir ?? null, snapshotsDir: more.snapshotsDir ?? null },
    { names: ['profile'], filter },
  );
  const [result] = out.results;
  if (result === undefined) throw new Error('no profile result');
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

function snapshotsIn(dir: string): Snapshot[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => snapshotSchema.parse(JSON.parse(readFileSync(join(dir, f), 'utf8'))));
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    await importFixture('shop', makeShop());
    // A simulated company of 2,000 customers: every table, status changes and referrals included.
    const company = mkdtempSync(join(tmpdir(), 'cxray-ch-company-'));
    await simulateCompany({ customers: 2000, seed: 5, outDir: join(company, 'exports') });
    const files = readdirSync(join(company, 'exports')).filter((f) => f.endsWith('.csv')).map((f) => join(company, 'exports', f));
    await initWorkspace({ dir: company, from: files, force: false });
    appendFileSync(join(company, 'cxray.yaml'), companyCostsYaml());
    await importFixture('company', company);
    // The shop again, after every referral customer moved to search: a shifted import for snapshots.
    const shifted = makeShop();
    const customers = join(shifted, 'customers.csv');
    writeFileSync(customers, readFileSync(customers, 'utf8').replaceAll(',referral,', ',search,'));
    await importFixture('shifted', shifted);
    scratch = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
    scratchRevenue = await createConcentrationFixture(scratch);
    scratchHouse = await copyToCluster(scratch, `${DATABASE}_concentration`, [CUSTOMER_FACTS_TABLE, 'transactions']);
  }, 300_000);

  afterAll(async () => {
    for (const f of fixtures.values()) await f.duck.close();
    await scratch?.close();
    for (const house of houses) {
      await house.close();
      await dropClusterDatabases(house.dialect.layout.database);
    }
    releaseCluster();
  }, 120_000);
}

const CASES: [fixture: string, what: string, filter: AnalysisFilter][] = [
  ['shop', 'the whole base', {}],
  ['shop', 'a segment rule', { segment: 'segment = retail' }],
  ['shop', 'a period', { from: '2025-07-01', to: '2025-09-30' }],
  ['company', 'the whole base', {}],
  ['company', 'a segment rule', { segment: 'segment = retail AND contract_type != monthly' }],
  ['company', 'a period', { from: '2025-01-01', to: '2025-12-31' }],
  ['company', 'a segment rule and an open period', { segment: 'region IN (North, South)', from: '2024-07-01' }],
];

describe('the profile on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [name, what, filter] of CASES) {
    itCluster(`${name}, ${what}: the same Result (counts and money exact, doubles to 1e-9, identical texts and groups)`, async () => {
      const f = fixture(name);
      const onDuck = await profile(f, f.duck.engine, filter);
      const onHouse = await profile(f, f.house, filter);
      expect(resultDifferences(onDuck, onHouse, f.config.currency)).toEqual([]);
      // Not vacuous: the sections that rank, cut at quantiles and join events ran.
      const codes = new Set(onHouse.findings.map((x) => x.code));
      for (const code of ['profile.customers', 'profile.tier_net_value', 'profile.channel_share.digital', 'profile.response_rate']) expect(codes, code).toContain(code);
      if (filter.from === undefined) expect(codes).toContain('profile.gini');
      if (name === 'company') {
        for (const code of ['profile.gini', 'profile.churned_share', 'profile.top_tier_difference', 'profile.respondent_difference', 'profile.digital_share_difference']) expect(codes, code).toContain(code);
      }
    });
  }
});

describe('perfect-customer on DuckDB and on the 2-shard ClickHouse cluster, from the same tables', () => {
  for (const [what, filter] of [
    ['the whole base', {}],
    ['a segment rule', { segment: 'segment = retail' }],
  ] as [string, AnalysisFilter][]) {
    itCluster(`company, ${what}: the same Result (regressions in the engine agree to 1e-9)`, async () => {
      const f = fixture('company');
      const run = async (engine: Engine): Promise<Result> => {
        const out = await runAnalyses(
          { workspace: f.dir, engine, ledger: f.ledger, config: f.config, configHash: f.configHash, resultsDir: null, snapshotsDir: null },
          { names: ['perfect-customer'], filter },
        );
        const [result] = out.results;
        expect([result?.status, result?.reason]).toEqual(['ok', undefined]);
        return result as Result;
      };
      const onDuck = await run(f.duck.engine);
      const onHouse = await run(f.house);
      expect(resultDifferences(onDuck, onHouse, f.config.currency, (code) => code.startsWith('perfect_customer.value.') || code.startsWith('perfect_customer.cascade.'))).toEqual([]);
      // Not vacuous: values, satisfaction and retention links and the index were computed.
      const codes = new Set(onHouse.findings.map((x) => x.code));
      for (const code of ['perfect_customer.value.self_service', 'perfect_customer.satisfaction.self_service', 'perfect_customer.retention.autopay', 'perfect_customer.index_mean']) expect(codes, code).toContain(code);
    });
  }
});

describe('value concentration SQL on a hand-made table with ties, zeros and negative values', () => {
  itCluster('totals, top-share aggregates and ranked sums agree; the cluster Gini equals the reference', async () => {
    const duck = scratch as DuckDbEngine;
    const house = scratchHouse as ClickHouseEngine;
    const sides = await Promise.all(
      [duck, house].map(async (engine) => {
        const whole = testContext(engine, { customers: 600 });
        const source = revenueSource(whole);
        const totals = await valueTotals(whole, source);
        const tops = await topShareAggregates(whole, source, totals, [0.1, 0.2]);
        const ranked = await rankedSums(whole, source, [60, 300, 540]);
        const february = testContext(engine, { customers: 600, overrides: { period: parsePeriod('2025-02-01', '2025-02-28') } });
        const inPeriod = revenueSource(february);
        return { totals, tops, ranked, periodTotals: await valueTotals(february, inPeriod) };
      }),
    );
    const [onDuck, onHouse] = sides;
    // Counts exact, and the total value (summed as money); the ranked sums are doubles.
    const exact = new Set(['n', 'k', 'negatives', 'belowCount']);
    const exactAt = (path: string[]): boolean => exact.has(path[path.length - 1] ?? '') || (path[path.length - 1] === 'total' && !path.includes('sums'));
    expect(differences(onDuck, onHouse, exactAt)).toEqual([]);
    expect(onHouse?.periodTotals).toEqual({ n: 600, total: 22, sumSquares: 15 * 15 + 7 * 7, negatives: 0 });
    const reference = valueConcentration(Float64Array.from(scratchRevenue));
    expect(exactGini((onHouse as NonNullable<typeof onHouse>).ranked.sums).estimate).toBeCloseTo(reference.gini, 10);
    expect(onHouse?.tops.map((a) => topShare(a).estimate)).toEqual([expect.closeTo(reference.top10Share, 10), expect.closeTo(reference.top20Share, 10)]);
  });
});

describe('results and snapshots when the store is ClickHouse', () => {
  itCluster('stored results are reused; the snapshot holds the same measures as DuckDB; a re-run of the same data is "no material change"', async () => {
    const f = fixture('shop');
    const root = mkdtempSync(join(tmpdir(), 'cxray-ch-snapshots-'));
    const [duckDir, houseDir, results] = ['duckdb', 'clickhouse', 'results'].map((d) => join(root, d)) as [string, string, string];
    await profile(f, f.duck.engine, {}, { snapshotsDir: duckDir });
    const first = await profile(f, f.house, {}, { snapshotsDir: houseDir, resultsDir: results });
    const again = await profile(f, f.house, {}, { snapshotsDir: houseDir, resultsDir: results });
    expect(again.createdAt).toBe(first.createdAt);
    const [fromDuck] = snapshotsIn(duckDir);
    const [fromHouse] = snapshotsIn(houseDir);
    expect(fromHouse?.changes).toEqual([]);
    const exact = new Set(['customers', 'count', 'n']);
    expect(differences(fromDuck?.measures, fromHouse?.measures, (path) => exact.has(path[path.length - 1] ?? ''))).toEqual([]);

    // The same data as import version 2: compared with the ClickHouse snapshot of version 1, and with DuckDB's.
    for (const dir of [houseDir, duckDir]) {
      const next = await profile(f, f.house, {}, { snapshotsDir: dir, ledger: { ...f.ledger, version: 2 } });
      expect(next.summary[0]).toMatch(/^No material change since snapshot v000001-/);
      expect(next.findings.filter((x) => x.code.startsWith('profile.change.'))).toEqual([]);
    }
    expect(snapshotsIn(houseDir).map((s) => s.importVersion)).toEqual([1, 2]);
  });

  itCluster('a shifted import on ClickHouse is reported as changed since the snapshot before it', async () => {
    const shop = fixture('shop');
    const shifted = fixture('shifted');
    const dir = mkdtempSync(join(tmpdir(), 'cxray-ch-shift-'));
    await profile(shop, shop.house, {}, { snapshotsDir: dir });
    const moved = await profile(shifted, shifted.house, {}, { snapshotsDir: dir, ledger: { ...shifted.ledger, version: 2 } });
    expect(moved.summary[0]).toMatch(/^Since snapshot v000001-.*share with channel search 50\.0% → 100\.0% \(\+50\.0 points\)/);
    const change = moved.findings.find((x) => x.code === 'profile.change.mix' && x.text.includes('channel search'));
    expect(change?.estimate).toBeCloseTo(50, 10);
    expect(snapshotsIn(dir)[1]?.changes[0]).toBe(moved.summary[0]);
  });
});
