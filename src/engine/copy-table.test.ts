import { afterEach, describe, expect, it } from 'vitest';
import { copyTable } from './copy-table.js';
import { DuckDbEngine } from './duckdb/engine.js';
import type { Engine } from './types.js';

describe('copyTable', () => {
  const open: Engine[] = [];
  const engine = async (): Promise<Engine> => {
    const e = await DuckDbEngine.open(':memory:');
    open.push(e);
    return e;
  };
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
  });

  it('copies every row in batches and returns the count the target holds', async () => {
    const [from, to] = [await engine(), await engine()];
    await from.exec('CREATE TABLE t AS SELECT range AS id, range * 0.5 AS x, CAST(range AS VARCHAR) AS s FROM range(2500)');
    expect(await copyTable(from, to, 't', { batchSize: 1000 })).toBe(2500);
    expect(await to.query('SELECT count(*) AS n, sum(id) AS total FROM t')).toEqual([{ n: 2500n, total: 3123750n }]);
  });

  it('refuses a copy whose target ends with fewer rows than were sent', async () => {
    const [from, to] = [await engine(), await engine()];
    await from.exec('CREATE TABLE t AS SELECT range AS id FROM range(30)');
    // The real target engine, with one row of each batch lost on the way in.
    const lossy: Engine = Object.create(to, {
      insertRows: { value: (table: string, columns: string[], rows: unknown[][]) => to.insertRows(table, columns, rows.slice(1) as never) },
    }) as Engine;
    await expect(copyTable(from, lossy, 't', { batchSize: 10 })).rejects.toMatchObject({ code: 'copy_incomplete', message: 'Copying t sent 30 rows but the target table holds 27.' });
  });

  it('copies again when the first copy lands short, and tells the retry', async () => {
    const [from, to] = [await engine(), await engine()];
    await from.exec('CREATE TABLE t AS SELECT range AS id FROM range(30)');
    let inserts = 0;
    // The real target engine, losing one row of the first batch only.
    const flaky: Engine = Object.create(to, {
      insertRows: { value: (table: string, columns: string[], rows: unknown[][]) => to.insertRows(table, columns, (inserts++ === 0 ? rows.slice(1) : rows) as never) },
    }) as Engine;
    const told: unknown[] = [];
    expect(await copyTable(from, flaky, 't', { batchSize: 10, onRetry: (e) => told.push(e) })).toBe(30);
    expect(told).toEqual([{ table: 't', attempt: 1, sent: 30, landed: 29 }]);
    expect(await to.query('SELECT count(*) AS n, sum(id) AS total FROM t')).toEqual([{ n: 30n, total: 435n }]);
  });

  it('with no retries, the first short copy fails', async () => {
    const [from, to] = [await engine(), await engine()];
    await from.exec('CREATE TABLE t AS SELECT range AS id FROM range(5)');
    const lossy: Engine = Object.create(to, {
      insertRows: { value: (table: string, columns: string[], rows: unknown[][]) => to.insertRows(table, columns, rows.slice(1) as never) },
    }) as Engine;
    const told: unknown[] = [];
    await expect(copyTable(from, lossy, 't', { retries: 0, onRetry: (e) => told.push(e) })).rejects.toMatchObject({ code: 'copy_incomplete' });
    expect(told).toEqual([]);
  });
});
