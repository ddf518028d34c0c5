import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itNeeds } from '../../../test/helpers/strict.js';
import { describeEngineConformance } from '../conformance/conformance.case.js';
import { md5Hash64 } from '../portable-hash.js';
import type { RowValue } from '../types.js';
import { ClickHouseEngine } from './engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, leaseCluster, releaseCluster, SHARD_URLS } from './test-cluster.js';

const DATABASE = 'cxray_conformance';
const LAYOUT_DATABASE = 'cxray_layout';

/** Drop a workspace's databases on every shard, the local one first (a request naming a missing database fails). */
async function dropWorkspace(database: string): Promise<void> {
  const engine = await ClickHouseEngine.open(clusterOptions(database));
  await engine.exec(`DROP DATABASE IF EXISTS ${engine.dialect.quoteIdent(`${database}_local`)}`);
  await engine.exec(`DROP DATABASE IF EXISTS ${engine.dialect.quoteIdent(database)}`);
  await engine.close();
}

if (clickhouseInstalled()) {
  beforeAll(async () => {
    leaseCluster();
    // A clean slate: tables a failed run left behind go.
    await dropWorkspace(DATABASE);
    await dropWorkspace(LAYOUT_DATABASE);
  }, 180_000);
  afterAll(() => releaseCluster(), 60_000);

  describeEngineConformance('ClickHouse 18.16, 2 shards', () => ClickHouseEngine.open(clusterOptions(DATABASE)));

  describe('ClickHouse cluster layout', () => {
    let engine: ClickHouseEngine;
    /** Each shard on its own, reading its local MergeTree parts directly. */
    let shards: ClickHouseEngine[];
    const customers = Array.from({ length: 120 }, (_, i) => `c-${i}`);

    beforeAll(async () => {
      engine = await ClickHouseEngine.open(clusterOptions(LAYOUT_DATABASE));
      shards = await Promise.all(SHARD_URLS.map((url) => ClickHouseEngine.open({ url, database: `${LAYOUT_DATABASE}_local` })));
      const d = engine.dialect;
      for (const table of ['customers', 'orders']) await engine.exec(`DROP TABLE IF EXISTS ${d.quoteIdent(table)}`);
      await engine.exec(d.createTable('customers', [{ name: 'customer_id', type: 'string', nullable: false }, { name: 'segment', type: 'string' }]));
      await engine.exec(d.createTable('orders', [{ name: 'customer_id', type: 'string', nullable: false }, { name: 'amount', type: 'money' }]));
      await engine.insertRows('customers', ['customer_id', 'segment'], customers.map((id, i): RowValue[] => [id, i % 2 === 0 ? 'retail' : 'trade']));
      // Every third customer has no orders; the others have two.
      const orders = customers.flatMap((id, i): RowValue[][] => (i % 3 === 0 ? [] : [[id, '10.5000'], [id, '1.2500']]));
      await engine.insertRows('orders', ['customer_id', 'amount'], orders);
    }, 60_000);

    afterAll(async () => {
      await engine.close();
      await Promise.all(shards.map((s) => s.close()));
    });

    it('declares itself distributed and reads every shard through the Distributed table', async () => {
      expect(engine.capabilities.distributed).toBe(true);
      expect(shards[0]?.capabilities.distributed).toBe(false);
      expect(await engine.query('SELECT count() AS n FROM customers')).toEqual([{ n: 120n }]);
    });

    it("places each customer's rows on the shard its portable hash names (md5Hash64(id) mod 2), orders beside their customer", async () => {
      for (const [k, shard] of shards.entries()) {
        const local = await shard.query<{ id: string }>('SELECT customer_id AS id FROM customers');
        expect(local.length, `shard ${k + 1} holds some customers`).toBeGreaterThan(20);
        expect(local.filter((r) => md5Hash64(r.id) % 2n !== BigInt(k))).toEqual([]);
        const orders = await shard.query<{ id: string }>('SELECT DISTINCT customer_id AS id FROM orders');
        const here = new Set(local.map((r) => r.id));
        expect(orders.filter((r) => !here.has(r.id))).toEqual([]);
      }
    });

    it('GLOBAL LEFT JOIN across shards: customers without orders get NULL (join_use_nulls), money sums stay exact', async () => {
      // GLOBAL: the right side runs once over all shards at the entry server,
      // and its result is shipped to every shard as a temporary table.
      const rows = await engine.query<{ id: string; n: bigint | null; total: string | null }>(
        `SELECT c.customer_id AS id, o.n AS n, o.total AS total FROM customers AS c
           GLOBAL LEFT JOIN (SELECT customer_id, count() AS n, sum(amount) AS total FROM orders GROUP BY customer_id) AS o USING customer_id
          ORDER BY id`,
      );
      expect(rows.length).toBe(120);
      for (const row of rows) {
        const i = Number(row.id.slice(2));
        expect(row, row.id).toEqual(i % 3 === 0 ? { id: row.id, n: null, total: null } : { id: row.id, n: 2n, total: '11.7500' });
      }
    });

    it('a co-located join (the shard-local part on the right) answers the same with no data moved between shards', async () => {
      const d = engine.dialect;
      const local = d.qualify(`${LAYOUT_DATABASE}_local`, 'orders');
      const [row] = await engine.query(
        `SELECT count() AS customers, countIf(o.n IS NULL) AS without_orders, sum(o.n) AS orders FROM customers AS c
           LEFT JOIN (SELECT customer_id, count() AS n FROM ${local} GROUP BY customer_id) AS o USING customer_id`,
      );
      expect(row).toEqual({ customers: 120n, without_orders: 40n, orders: 160n });
    });

    it('execOnEachShard runs one statement on every shard over its own parts, in parallel: per-customer results exact, nothing moved', async () => {
      const d = engine.dialect;
      await engine.exec(`DROP TABLE IF EXISTS ${d.quoteIdent('totals')}`);
      await engine.exec(d.createTable('totals', [{ name: 'customer_id', type: 'string', nullable: false }, { name: 'n', type: 'int64' }]));
      expect(d.shardLocalTable('orders')).toBe(d.qualify(`${LAYOUT_DATABASE}_local`, 'orders'));
      await engine.execOnEachShard(
        `INSERT INTO ${d.shardLocalTable('totals')} (customer_id, n) SELECT customer_id, count() FROM ${d.shardLocalTable('orders')} WHERE amount > $min GROUP BY customer_id`,
        { min: 0 },
      );
      // Through the Distributed table: every customer with orders once, with both orders.
      expect(await engine.query('SELECT count() AS customers, sum(n) AS orders, min(n) AS least FROM totals')).toEqual([{ customers: 80n, orders: 160n, least: 2n }]);
      // Each shard wrote only its own customers (what an insert through the Distributed table would have placed there).
      for (const [k, shard] of shards.entries()) {
        const local = await shard.query<{ id: string }>('SELECT customer_id AS id FROM totals');
        expect(local.length).toBeGreaterThan(20);
        expect(local.filter((r) => md5Hash64(r.id) % 2n !== BigInt(k))).toEqual([]);
      }
      await expect(engine.execOnEachShard(`DROP TABLE ${d.quoteIdent('totals')}`)).rejects.toThrow(TypeError);
      // A failure on the shards rejects (here on both).
      await expect(engine.execOnEachShard(`INSERT INTO ${d.shardLocalTable('totals')} SELECT no_such_column FROM ${d.shardLocalTable('orders')}`)).rejects.toMatchObject({
        code: 'query_failed',
      });
      await engine.exec(`DROP TABLE ${d.quoteIdent('totals')}`);
    });

    it('queryOnEachShard answers from each shard\'s own rows, in shard order: the parts add up to the whole', async () => {
      const d = engine.dialect;
      const sql = `SELECT count() AS n, sum(amount) AS total FROM ${d.shardLocalTable('orders')} WHERE amount > $min`;
      const parts = await engine.queryOnEachShard<{ n: bigint; total: number }>(sql, { min: 0 });
      expect(parts.map((rows) => rows.length)).toEqual([1, 1]);
      const [whole] = await engine.query<{ n: bigint; total: number }>('SELECT count() AS n, sum(amount) AS total FROM orders WHERE amount > $min', { min: 0 });
      // Each shard counted only its own orders (both non-empty), and together all of them.
      const counts = parts.map((rows) => rows[0]?.n ?? 0n);
      expect(counts.every((n) => n > 0n)).toBe(true);
      expect(counts.reduce((a, b) => a + b, 0n)).toBe(whole?.n);
      for (const [k, shard] of shards.entries()) expect(parts[k]).toEqual(await shard.query(`SELECT count() AS n, sum(amount) AS total FROM orders WHERE amount > 0`));
      await expect(engine.queryOnEachShard(`DROP TABLE ${d.quoteIdent('orders')}`)).rejects.toThrow(TypeError);
    });

    it('a plain JOIN of two Distributed tables fails loudly (it would join each shard with every shard): say GLOBAL', async () => {
      await expect(
        engine.query('SELECT count() AS n FROM customers AS c JOIN (SELECT customer_id FROM orders) AS o USING customer_id'),
      ).rejects.toMatchObject({ code: 'query_failed', message: expect.stringContaining('Double-distributed') });
    });

    it('DDL reaches every shard: DROP removes the Distributed table and each shard part', async () => {
      const d = engine.dialect;
      await engine.exec(d.createTable('scratch', [{ name: 'x', type: 'int32' }]));
      for (const shard of shards) expect(await shard.hasTable('scratch')).toBe(true);
      for (const url of SHARD_URLS) {
        const direct = await ClickHouseEngine.open({ url, database: LAYOUT_DATABASE });
        expect(await direct.hasTable('scratch')).toBe(true);
        await direct.close();
      }
      await engine.exec(`DROP TABLE ${d.quoteIdent('scratch')}`);
      expect(await engine.hasTable('scratch')).toBe(false);
      for (const shard of shards) expect(await shard.hasTable('scratch')).toBe(false);
    });

    it('on a single server (no cluster) tables are plain MergeTree and the same calls work', async () => {
      const single = await ClickHouseEngine.open({ url: SHARD_URLS[1], database: `${LAYOUT_DATABASE}_single` });
      const d = single.dialect;
      const sql = d.createTable('solo', [{ name: 'customer_id', type: 'string', nullable: false }, { name: 'at', type: 'timestamp' }]);
      expect(sql).not.toContain(';');
      expect(sql).toContain('MergeTree');
      expect(d.shardLocalTable('solo')).toBe(d.qualify(`${LAYOUT_DATABASE}_single`, 'solo'));
      await single.exec(`DROP TABLE IF EXISTS ${d.quoteIdent('solo')}`);
      await single.exec(sql);
      await single.insertRows('solo', ['customer_id', 'at'], [['a', '2024-01-02T03:04:05.000Z']]);
      expect(await single.query('SELECT customer_id, at FROM solo')).toEqual([{ customer_id: 'a', at: '2024-01-02T03:04:05.000Z' }]);
      // One server, one shard: execOnEachShard runs the statement once.
      await single.execOnEachShard(`INSERT INTO ${d.shardLocalTable('solo')} (customer_id) SELECT concat(customer_id, 'x') FROM ${d.shardLocalTable('solo')}`);
      expect(await single.query('SELECT count() AS n FROM solo')).toEqual([{ n: 2n }]);
      await single.exec(`DROP TABLE ${d.quoteIdent('solo')}`);
      await single.close();
    });

    it('refuses shard URLs that do not match the cluster, and an unreachable server, with a UserError', async () => {
      await expect(ClickHouseEngine.open({ ...clusterOptions(LAYOUT_DATABASE), shards: [SHARD_URLS[0]] })).rejects.toMatchObject({
        code: 'clickhouse_cluster_mismatch',
      });
      await expect(ClickHouseEngine.open({ url: 'http://127.0.0.1:1', database: LAYOUT_DATABASE })).rejects.toMatchObject({
        code: 'clickhouse_unavailable',
      });
    });
  });
} else {
  describe('ClickHouse engine', () => {
    itNeeds(false, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT)('passes the conformance suite on a 2-shard cluster', () => undefined);
  });
}
