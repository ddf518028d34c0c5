import { mkdtempSync } from 'node:fs';
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
});
