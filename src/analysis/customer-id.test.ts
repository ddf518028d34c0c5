import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { CanonicalType } from '../engine/types.js';
import { customerIdIn } from './customer-id.js';
import { SqlValues } from './sql-values.js';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await engine.exec(`CREATE TABLE big AS SELECT CAST(i AS BIGINT) * 1000003 - 5 AS customer_id FROM range(0, 2000) t(i)`);
  await engine.exec(`CREATE TABLE small AS SELECT CAST(i AS INTEGER) AS customer_id FROM range(-50, 50) t(i)`);
  await engine.exec(`CREATE TABLE text AS SELECT 'c-' || i AS customer_id FROM range(0, 100) t(i) UNION ALL SELECT '007' UNION ALL SELECT '7'`);
});
afterAll(() => engine.close());

async function matched(table: string, type: CanonicalType, ids: string[]): Promise<string[]> {
  const values = new SqlValues(engine, 'id');
  const rows = await engine.query(`SELECT CAST(customer_id AS VARCHAR) AS id FROM ${table} WHERE ${customerIdIn(engine, values, type, ids)} ORDER BY id`, values.params);
  return rows.map((r) => String(r['id']));
}

describe('customers found by id, the column compared as stored', () => {
  it('integer ids: the exact text of a stored integer matches it, and nothing else does', async () => {
    expect(await matched('big', 'int64', ['-5', '999998', '1999005992'])).toEqual(['-5', '1999005992', '999998']);
    // The texts a cast would read as the same number are other ids; text that is no integer matches nothing and breaks nothing.
    expect(await matched('big', 'int64', ['0999998', '+999998', '999998.0', ' 999998', '9.99998e5', "1' OR '1'='1", '99999999999999999999999', ''])).toEqual([]);
    expect(await matched('small', 'int32', ['-50', '49', '2147483648', '-0'])).toEqual(['-50', '49']);
  });

  it('text ids: as written, leading zeros and all', async () => {
    expect(await matched('text', 'string', ['007', 'c-3', "c-3' --"])).toEqual(['007', 'c-3']);
    expect(await matched('text', 'string', [])).toEqual([]);
  });

  it('agrees with comparing the column as text, the way it was done before, on every id of the table', async () => {
    for (const [table, type] of [['big', 'int64'], ['small', 'int32'], ['text', 'string']] as const) {
      const all = (await engine.query(`SELECT CAST(customer_id AS VARCHAR) AS id FROM ${table}`)).map((r) => String(r['id']));
      expect(await matched(table, type, all), table).toEqual([...all].sort());
    }
  });
});
