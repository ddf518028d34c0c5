import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itNeeds } from '../../test/helpers/strict.js';
import { configSchema, type CxrayConfig } from '../config/schema.js';
import { ClickHouseEngine } from '../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, leaseCluster, releaseCluster, SHARD_URLS } from '../engine/clickhouse/test-cluster.js';
import { md5Hash64 } from '../engine/portable-hash.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Engine, Row } from '../engine/types.js';
import { canonicalTable } from './canonical-fixture.case.js';
import { canonicalDecimal, factsDifferences } from './facts-differences.js';
import { AS_OF, config, loadCompany, loadCustomers } from './hand-built-company.case.js';
import { buildCustomerFacts, planCustomerFacts, type FactsColumn, type FactsPlanKind } from './index.js';
import { STAGE_TABLE_PREFIX } from './plan-customer-facts.js';

// customer_facts on the 2-shard ClickHouse 18.16 cluster must hold exactly the
// rows DuckDB builds from the same tables, with the shard-local plan (the
// default there) and the entry-server plan alike.

const DATABASE = 'facts_equivalence';
const PARTIAL = 'facts_equivalence_partial';
const ATTRIBUTES = 'facts_equivalence_attributes';

const differences = factsDifferences;

const allFacts = (engine: Engine): Promise<Row[]> => engine.query('SELECT * FROM customer_facts ORDER BY customer_id');

/** Drop a workspace's databases on every shard (exec sends DDL to each), the shard parts' first. */
async function dropWorkspace(database: string): Promise<void> {
  const engine = await ClickHouseEngine.open(clusterOptions(database));
  await engine.exec(`DROP DATABASE IF EXISTS ${engine.dialect.quoteIdent(`${database}_local`)}`);
  await engine.exec(`DROP DATABASE IF EXISTS ${engine.dialect.quoteIdent(database)}`);
  await engine.close();
}

/** The same tables on DuckDB and on the cluster; facts built on both. */
async function buildOnBoth(
  database: string,
  load: (engine: Engine) => Promise<void>,
  factsConfig: CxrayConfig,
  plan: FactsPlanKind = 'shard-local',
): Promise<{ duck: DuckDbEngine; cluster: ClickHouseEngine; columns: FactsColumn[] }> {
  const duck = await DuckDbEngine.open(':memory:');
  const cluster = await ClickHouseEngine.open(clusterOptions(database));
  await load(duck);
  await load(cluster);
  const summary = await buildCustomerFacts(duck, { asOf: AS_OF, config: factsConfig });
  const onCluster = await buildCustomerFacts(cluster, { asOf: AS_OF, config: factsConfig, plan });
  expect(onCluster.rows).toBe(summary.rows);
  expect(onCluster.columns).toEqual(summary.columns);
  expect(onCluster.tablesMissing).toEqual(summary.tablesMissing);
  return { duck, cluster, columns: summary.columns };
}

const serverIt = itNeeds(clickhouseInstalled(), 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);

describe('customer_facts on a 2-shard ClickHouse cluster equals DuckDB', () => {
  let duck: DuckDbEngine | undefined;
  let cluster: ClickHouseEngine | undefined;
  let columns: FactsColumn[] = [];

  beforeAll(async () => {
    if (!clickhouseInstalled()) return;
    leaseCluster();
    for (const db of [DATABASE, PARTIAL, ATTRIBUTES]) await dropWorkspace(db);
    ({ duck, cluster, columns } = await buildOnBoth(DATABASE, loadCompany, config));
  }, 180_000);

  afterAll(async () => {
    if (!clickhouseInstalled()) return;
    await duck?.close();
    await cluster?.close();
    for (const db of [DATABASE, PARTIAL, ATTRIBUTES]) await dropWorkspace(db);
    releaseCluster();
  }, 120_000);

  serverIt('the hand-built company, shard-local plan: every row and column equal, the declared types equal', async () => {
    const [d, c] = [duck as DuckDbEngine, cluster as ClickHouseEngine];
    const expected = await allFacts(d);
    expect(expected.length).toBe(5);
    expect(differences(columns, expected, await allFacts(c))).toEqual([]);
    const types = async (e: Engine) => (await e.describe('customer_facts')).map((col) => [col.name, col.type, col.nullable]);
    expect(await types(c)).toEqual(await types(d));
  });

  serverIt('the shard-local plan builds each shard part from its own customers; referrals (across shards) are staged once and dropped', async () => {
    const c = cluster as ClickHouseEngine;
    const plan = await planCustomerFacts(c, { asOf: AS_OF, config });
    expect(plan.kind).toBe('shard-local');
    // Only the two referral parts are not colocated.
    expect(plan.staged.map((s) => s.table)).toEqual([`${STAGE_TABLE_PREFIX}5`, `${STAGE_TABLE_PREFIX}6`]);
    expect(plan.select).toContain(c.dialect.shardLocalTable('transactions'));
    expect(plan.select).not.toContain(`FROM ${c.dialect.quoteIdent('transactions')}`);
    // The fixture's referrals cross shards: c1 referred c2 and c3, which sit on the other shard.
    const shardOf = (id: string): bigint => md5Hash64(id) % 2n;
    expect(shardOf('c1')).not.toBe(shardOf('c2'));
    expect(shardOf('c1')).not.toBe(shardOf('c3'));
    for (const [k, url] of SHARD_URLS.entries()) {
      const shard = await ClickHouseEngine.open({ url, database: `${DATABASE}_local` });
      const local = await shard.query<{ id: string }>('SELECT customer_id AS id FROM customer_facts ORDER BY id');
      expect(local.length).toBeGreaterThan(0);
      expect(local.filter((r) => shardOf(r.id) !== BigInt(k))).toEqual([]);
      await shard.close();
    }
    expect(await c.query(`SELECT name FROM system.tables WHERE database LIKE ${c.dialect.literal(`${DATABASE}%`)} AND name LIKE ${c.dialect.literal(`${STAGE_TABLE_PREFIX}%`)}`)).toEqual([]);
  });

  serverIt('the entry-server plan gives the same rows', async () => {
    const [d, c] = [duck as DuckDbEngine, cluster as ClickHouseEngine];
    expect((await planCustomerFacts(c, { asOf: AS_OF, config, plan: 'entry' })).staged).toEqual([]);
    await buildCustomerFacts(c, { asOf: AS_OF, config, plan: 'entry' });
    expect(differences(columns, await allFacts(d), await allFacts(c))).toEqual([]);
    await buildCustomerFacts(c, { asOf: AS_OF, config });
  });

  serverIt('the shard-local plan in hash buckets (one pass per bucket) gives the same rows', async () => {
    const [d, c] = [duck as DuckDbEngine, cluster as ClickHouseEngine];
    const plan = await planCustomerFacts(c, { asOf: AS_OF, config, buckets: 3 });
    expect(plan.buckets).toBe(3);
    expect(plan.select).toContain('% 3 =');
    // The hand-built company is small: by default one pass.
    expect((await planCustomerFacts(c, { asOf: AS_OF, config })).buckets).toBe(1);
    const summary = await buildCustomerFacts(c, { asOf: AS_OF, config, buckets: 3 });
    expect(summary.rows).toBe(5);
    expect(differences(columns, await allFacts(d), await allFacts(c))).toEqual([]);
    await buildCustomerFacts(c, { asOf: AS_OF, config });
  });

  serverIt('a customer with no rows in a part reads the documented default on both: 0 for sums and counts, NULL where nothing is known', async () => {
    // c5 has a customers row and a referral dated after as_of, nothing else that counts.
    const pick = `SELECT revenue, net_revenue, fee_late_fee, transaction_count, purchase_days, frequency, first_purchase_at, interaction_count,
      handling_minutes, cost_to_serve_phone, unresolved_count, survey_responses, latest_nps, mean_csat, nps_class, adopted_autopay,
      adopted_autopay_at, behaviour_count, referrals_made, referred_by, is_referred, churned, churned_at, status, reactivations
      FROM customer_facts WHERE customer_id = 'c5'`;
    const expected = {
      revenue: '0.0000', net_revenue: '0.0000', fee_late_fee: '0.0000', transaction_count: 0n, purchase_days: 0n, frequency: null,
      first_purchase_at: null, interaction_count: 0n, handling_minutes: 0, cost_to_serve_phone: '0.0000', unresolved_count: 0n,
      survey_responses: 0n, latest_nps: null, mean_csat: null, nps_class: null, adopted_autopay: false, adopted_autopay_at: null,
      behaviour_count: 0n, referrals_made: 0n, referred_by: null, is_referred: false, churned: false, churned_at: null, status: 'active', reactivations: 0n,
    };
    expect(await (duck as DuckDbEngine).query(pick)).toEqual([expected]);
    expect(await (cluster as ClickHouseEngine).query(pick)).toEqual([expected]);
    // c4's only survey answer has no response id: one response, on both (0 if a distinct count of NULLs read as NULL).
    const c4 = "SELECT survey_responses, latest_nps FROM customer_facts WHERE customer_id = 'c4'";
    expect(await (cluster as ClickHouseEngine).query(c4)).toEqual([{ survey_responses: 1n, latest_nps: 3 }]);
    expect(await (duck as DuckDbEngine).query(c4)).toEqual([{ survey_responses: 1n, latest_nps: 3 }]);
  });

  serverIt('with only customers and transactions present, both build the same rows and name the same tables missing', async () => {
    const load = async (e: Engine): Promise<void> => {
      await loadCustomers(e);
      await canonicalTable(e, 'transactions', [
        { customer_id: 'c1', at: '2024-01-10 09:00:00', kind: 'purchase', amount: '100.00', currency: 'EUR', original_amount: '100.00', original_currency: 'EUR' },
        { customer_id: 'c2', at: '2024-02-01 09:00:00', kind: 'fee', amount: '5.00', category: 'Late Fee', currency: 'EUR', original_amount: '5.00', original_currency: 'EUR' },
      ]);
    };
    const both = await buildOnBoth(PARTIAL, load, config);
    try {
      const expected = await allFacts(both.duck);
      expect(expected.map((r) => [r['customer_id'], r['revenue'], r['fee_late_fee'], r['referrals_made'], r['adopted_paperless']])).toEqual([
        ['c1', '100.0000', '0.0000', 0n, true],
        ['c2', '0.0000', '5.0000', 0n, false],
        ['c3', '0.0000', '0.0000', 0n, false],
        ['c4', '0.0000', '0.0000', 0n, true],
        ['c5', '0.0000', '0.0000', 0n, false],
      ]);
      expect(differences(both.columns, expected, await allFacts(both.cluster))).toEqual([]);
      // No referrals table: nothing to stage.
      expect((await planCustomerFacts(both.cluster, { asOf: AS_OF, config })).staged).toEqual([]);
    } finally {
      await both.duck.close();
      await both.cluster.close();
    }
  });

  serverIt('behaviours read from boolean, date, timestamp, double and money attributes adopt the same customers', async () => {
    const attributeConfig = configSchema.parse({
      sources: {},
      behaviours: {
        vip: { attribute: 'vip', values: [true] },
        not_vip: { attribute: 'vip', values: ['no', null] },
        joined: { attribute: 'joined', values: ['2024-01-02'] },
        seen: { attribute: 'seen', values: ['2024-01-02 03:04:05'] },
        score: { attribute: 'score', values: [1.5, 7] },
        credit: { attribute: 'credit', values: ['10.50'] },
      },
    });
    const load = async (e: Engine): Promise<void> => {
      const rows = [
        { customer_id: 'a', vip: true, joined: '2024-01-02', seen: '2024-01-02T03:04:05.000Z', score: 1.5, credit: '10.5000' },
        { customer_id: 'b', vip: false, joined: '2024-01-03', seen: '2024-01-02T03:04:06.000Z', score: 7, credit: '10.4900' },
        { customer_id: 'c', vip: null, joined: null, seen: null, score: null, credit: null },
      ];
      const extra = [
        { name: 'vip', type: 'boolean' },
        { name: 'joined', type: 'date' },
        { name: 'seen', type: 'timestamp' },
        { name: 'score', type: 'double' },
        { name: 'credit', type: 'money' },
      ] as const;
      await canonicalTable(e, 'customers', rows, extra);
    };
    const both = await buildOnBoth(ATTRIBUTES, load, attributeConfig);
    try {
      const expected = await allFacts(both.duck);
      const flags = (rows: Row[]) => rows.map((r) => ['vip', 'not_vip', 'joined', 'seen', 'score', 'credit'].map((k) => r[`adopted_${k}`]));
      expect(flags(expected)).toEqual([
        [true, false, true, true, true, true],
        [false, true, false, false, true, false],
        [false, true, false, false, false, false],
      ]);
      expect(differences(both.columns, expected, await allFacts(both.cluster))).toEqual([]);
    } finally {
      await both.duck.close();
      await both.cluster.close();
    }
  });

  it('the comparison itself sees a difference in any column kind', () => {
    const cols: FactsColumn[] = (['customer_id', 'm', 'x', 'n', 'b', 't'] as const).map((name, i) => ({
      name, type: (['string', 'money', 'double', 'int64', 'boolean', 'timestamp'] as const)[i] ?? 'string', unit: null, description: '', nullable: true, table: 'customers',
    }));
    const row = { customer_id: 'a', m: '1.5000', x: 1, n: 2n, b: true, t: '2024-01-02T03:04:05.678Z' };
    expect(differences(cols, [row], [{ ...row, m: '1.50' }])).toEqual([]);
    expect(differences(cols, [row], [{ ...row, x: 1 + 1e-12 }])).toEqual([]);
    expect(differences(cols, [row], [{ ...row, m: '1.5001' }])).toHaveLength(1);
    expect(differences(cols, [row], [{ ...row, x: 1 + 1e-8 }])).toHaveLength(1);
    expect(differences(cols, [row], [{ ...row, n: 2 }])).toHaveLength(1);
    expect(differences(cols, [row], [{ ...row, b: null }])).toHaveLength(1);
    expect(differences(cols, [row], [{ ...row, t: '2024-01-02T03:04:05.000Z' }])).toHaveLength(1);
    expect(differences(cols, [row], [{ ...row, t: '2024-01-02T03:04:05.000Z' }], { timestampsToTheSecond: true })).toEqual([]);
    expect(differences(cols, [row], [Object.fromEntries(Object.entries(row).reverse()) as Row])).toHaveLength(1);
    expect(differences(cols, [row], [])[0]).toBe('0 rows, expected 1');
    expect(canonicalDecimal('-0.0000')).toBe('0');
    expect(canonicalDecimal('120.0100')).toBe('120.01');
  });
});
