import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../test/helpers/strict.js';
import { ClickHouseEngine } from '../engine/clickhouse/engine.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, clusterOptions, leaseCluster, releaseCluster } from '../engine/clickhouse/test-cluster.js';
import { HOSTILE_STRINGS } from '../engine/conformance/hostile-corpus.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { RowValue } from '../engine/types.js';
import { UserError } from '../errors.js';
import { shipTable } from './ship-table.js';

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = 'cxray_ship';
let duck: DuckDbEngine;
let house: ClickHouseEngine;
const tmp = mkdtempSync(join(tmpdir(), 'cxray-ship-'));

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    duck = await DuckDbEngine.open(':memory:');
    const admin = await ClickHouseEngine.open(clusterOptions('default'));
    for (const db of [`${DATABASE}_local`, DATABASE]) await admin.exec(`DROP DATABASE IF EXISTS ${admin.dialect.quoteIdent(db)}`);
    await admin.close();
    house = await ClickHouseEngine.open(clusterOptions(DATABASE));
  }, 180_000);
  afterAll(async () => {
    await duck?.close();
    await house?.close();
    releaseCluster();
  }, 60_000);
}

describe('shipTable: the staging store to ClickHouse as TabSeparated', () => {
  itCluster('every type, NULLs and hostile text arrive exactly as they were', async () => {
    await duck.exec(`CREATE TABLE t (customer_id VARCHAR NOT NULL, note VARCHAR, n BIGINT, k INTEGER, x DOUBLE, amount DECIMAL(18,4), "at" TIMESTAMP, day DATE, ok BOOLEAN)`);
    const rows: RowValue[][] = HOSTILE_STRINGS.map((text, i) => [
      `c${i}`,
      text,
      BigInt(i) * 1_000_000_007n - 9_007_199_254_740_993n,
      i % 2 === 0 ? null : -i,
      i === 0 ? null : 1 / (i + 3),
      i % 3 === 0 ? null : `${i}.0125`,
      i % 4 === 0 ? null : new Date(Date.UTC(2024, 1, 29, 23, 59, 59) + i * 1000).toISOString(),
      i % 5 === 0 ? null : '2024-02-29',
      i % 6 === 0 ? null : i % 2 === 0,
    ]);
    await duck.insertRows('t', ['customer_id', 'note', 'n', 'k', 'x', 'amount', 'at', 'day', 'ok'], rows);
    await shipTable(duck, house, 't', tmp);
    const select = 'SELECT customer_id, note, n, k, x, amount, "at", day, ok FROM t ORDER BY customer_id';
    const expected = await duck.query(select);
    const got = await house.query(select);
    expect(got.length).toBe(HOSTILE_STRINGS.length);
    const normal = (r: Record<string, unknown>) => ({ ...r, amount: r['amount'] === null ? null : String(r['amount']).replace(/0+$/, '').replace(/\.$/, '') });
    expect(got.map(normal)).toEqual(expected.map(normal));
  });

  itCluster('a date before 1970 is refused with the table and column named, not clamped', async () => {
    await duck.exec(`CREATE TABLE old (customer_id VARCHAR NOT NULL, born TIMESTAMP)`);
    await duck.exec(`INSERT INTO old VALUES ('a', TIMESTAMP '1965-04-01 00:00:00')`);
    const error = await shipTable(duck, house, 'old', tmp).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('date_out_of_range');
    expect((error as UserError).message).toContain('old.born');
  });

  // The real cluster, with the file it is sent cut short by `lose` lines on the first `times` sends.
  const losing = (lose: number, times: number): { engine: ClickHouseEngine; sends: () => number } => {
    let sends = 0;
    const engine = Object.create(house, {
      insertTabSeparatedFile: {
        value: async (table: string, columns: string[], path: string) => {
          sends += 1;
          if (sends > times) return house.insertTabSeparatedFile(table, columns, path);
          const short = `${path}.short`;
          writeFileSync(short, readFileSync(path, 'utf8').split('\n').slice(lose).join('\n'));
          return house.insertTabSeparatedFile(table, columns, short);
        },
      },
    }) as ClickHouseEngine;
    return { engine, sends: () => sends };
  };

  itCluster('a table the cluster holds short of is sent again, once, and the retry is told', async () => {
    await duck.exec(`CREATE TABLE r AS SELECT 'c' || range AS customer_id, range AS n FROM range(500)`);
    const { engine, sends } = losing(3, 1);
    const told: unknown[] = [];
    await shipTable(duck, engine, 'r', tmp, (event) => told.push(event));
    expect(sends()).toBe(2);
    expect(told).toEqual([{ table: 'r', attempt: 1, sent: 500, landed: 497 }]);
    expect(await house.query('SELECT count(*) AS rows, sum(n) AS total FROM r')).toEqual([{ rows: 500n, total: 124750n }]);
  });

  itCluster('a table still short after the second send fails the ship with both counts', async () => {
    await duck.exec(`CREATE TABLE s AS SELECT 'c' || range AS customer_id FROM range(40)`);
    const { engine, sends } = losing(2, 2);
    await expect(shipTable(duck, engine, 's', tmp)).rejects.toMatchObject({ code: 'copy_incomplete', message: 'Shipping s sent 40 rows but the cluster holds 38.' });
    expect(sends()).toBe(2);
  });
});
