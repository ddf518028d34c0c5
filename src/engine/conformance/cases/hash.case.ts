import { describe, expect, it } from 'vitest';
import type { RowValue } from '../../types.js';
import { createTable, dropTable, tableName, type ConformanceContext } from '../harness.js';
import { HOSTILE_STRINGS } from '../hostile-corpus.js';
import { md5Hash64, splitmix64 } from '../../portable-hash.js';

const KEYS = 1000;

/** 1,000 int64 keys: the edges, small keys, then keys spread over the whole range. */
function integerKeys(): bigint[] {
  const edges = [0n, 1n, -1n, 2n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 63n) + 1n];
  const keys = [...edges];
  for (let i = 0n; keys.length < 100; i += 1n) keys.push(i * 37n - 1000n);
  for (let i = 0n; keys.length < KEYS; i += 1n) keys.push(BigInt.asIntN(64, splitmix64(i + 424242n)));
  return keys;
}

function stringKeys(): string[] {
  const keys = [...HOSTILE_STRINGS];
  for (let i = 0; keys.length < KEYS; i += 1) keys.push(i % 2 === 0 ? `customer-${i}` : `Kund\u00E9 ${i} \u{1F600}`);
  return keys.slice(0, KEYS);
}

export function describeHashCases(ctx: ConformanceContext): void {
  describe('portable hashes', () => {
    it('hashInteger matches the splitmix64 reference for 1,000 int64 keys (stored column and literal) as non-negative bigints', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const keys = integerKeys();
      const table = tableName('hash_int');
      await createTable(engine, table, [{ name: 'id', type: 'int32' }, { name: 'k', type: 'int64' }]);
      await engine.insertRows(table, ['id', 'k'], keys.map((k, i): RowValue[] => [i, k]));
      const rows = await engine.query<{ id: number; h: bigint }>(
        `SELECT ${d.quoteIdent('id')} AS id, ${d.hashInteger(d.quoteIdent('k'))} AS h FROM ${d.quoteIdent(table)} ORDER BY ${d.quoteIdent('id')}`,
      );
      expect(rows.length).toBe(KEYS);
      const mismatches = rows.filter((r) => r.h !== splitmix64(keys[r.id] as bigint)).map((r) => String(keys[r.id]));
      expect(mismatches).toEqual([]);
      for (const k of keys.slice(0, 20)) {
        const [row] = await engine.query(`SELECT ${d.hashInteger(d.literal(k))} AS h, ${d.hashInteger('$k')} AS b`, { k });
        expect(row).toEqual({ h: splitmix64(k), b: splitmix64(k) });
      }
      await dropTable(engine, table);
    });

    it('hashString matches the MD5-based reference for 1,000 strings (hostile corpus included), stored and bound', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const keys = stringKeys();
      const table = tableName('hash_str');
      await createTable(engine, table, [{ name: 'id', type: 'int32' }, { name: 's', type: 'string' }]);
      await engine.insertRows(table, ['id', 's'], keys.map((s, i): RowValue[] => [i, s]));
      const rows = await engine.query<{ id: number; h: bigint }>(
        `SELECT ${d.quoteIdent('id')} AS id, ${d.hashString(d.quoteIdent('s'))} AS h FROM ${d.quoteIdent(table)} ORDER BY ${d.quoteIdent('id')}`,
      );
      expect(rows.length).toBe(KEYS);
      const mismatches = rows.filter((r) => r.h !== md5Hash64(keys[r.id] as string)).map((r) => r.id);
      expect(mismatches).toEqual([]);
      const [row] = await engine.query(`SELECT ${d.hashString('$s')} AS h`, { s: 'customer-42' });
      expect(row).toEqual({ h: md5Hash64('customer-42') });
      await dropTable(engine, table);
    });
  });
}
