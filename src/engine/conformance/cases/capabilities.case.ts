import { describe, expect, it } from 'vitest';
import { CxrayError } from '../../../errors.js';
import type { Capabilities, Engine, Row } from '../../types.js';
import { createTable, dropTable, tableName, type ConformanceContext } from '../harness.js';

const FLAGS: Array<keyof Capabilities> = [
  'boundParameters',
  'windowFunctions',
  'commonTableExpressions',
  'multipleJoinsPerSelect',
  'transactions',
  'cancellation',
  'timestampsBefore1970',
  'subsecondTimestamps',
  'distributed',
];

/** Flags an engine may leave out; absent means true (see Capabilities). */
const OPTIONAL_FLAGS: Array<keyof Capabilities> = ['nullableLists', 'booleanExpressions', 'positionalReferences'];

async function drainRows(stream: AsyncIterable<Row[]>): Promise<number> {
  let n = 0;
  for await (const batch of stream) n += batch.length;
  return n;
}

/** A flag that is true must work; a flag that is false must fail loudly (query_failed), never answer wrongly. */
async function expectFeature(engine: Engine, flag: boolean, sql: string, expected: unknown): Promise<void> {
  if (flag) {
    expect(await engine.query(sql)).toEqual(expected);
  } else {
    await expect(engine.query(sql)).rejects.toBeInstanceOf(CxrayError);
    await expect(engine.query(sql)).rejects.toMatchObject({ code: 'query_failed' });
  }
}

export function describeCapabilityCases(ctx: ConformanceContext): void {
  describe('capabilities', () => {
    it('declares every capability flag as a boolean', () => {
      const caps = ctx.engine.capabilities;
      for (const flag of FLAGS) expect(typeof caps[flag], flag).toBe('boolean');
      for (const flag of OPTIONAL_FLAGS) expect(['boolean', 'undefined'], flag).toContain(typeof caps[flag]);
      // A name limit, when there is one, still fits every name of the canonical model with room to spare.
      if (caps.maxIdentifierBytes !== undefined) {
        expect(Number.isInteger(caps.maxIdentifierBytes)).toBe(true);
        expect(caps.maxIdentifierBytes).toBeGreaterThanOrEqual(64);
      }
    });

    it('positionalReferences: ORDER BY 1 and GROUP BY 1 name the first column when true, fail with query_failed when false', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const i = d.quoteIdent('i');
      const ordered = `SELECT s.${i} AS i FROM ${d.integerSeries(3, 'i')} AS s ORDER BY 1 DESC`;
      const grouped = `SELECT s.${i} % 2 AS parity, count(*) AS n FROM ${d.integerSeries(5, 'i')} AS s GROUP BY 1 ORDER BY ${d.quoteIdent('parity')}`;
      if (engine.capabilities.positionalReferences ?? true) {
        expect(await engine.query(ordered)).toEqual([{ i: 2n }, { i: 1n }, { i: 0n }]);
        expect((await engine.query(grouped)).map((r) => r['n'])).toEqual([3n, 2n]);
      } else {
        await expect(engine.query(ordered)).rejects.toMatchObject({ code: 'query_failed' });
        await expect(engine.query(grouped)).rejects.toMatchObject({ code: 'query_failed' });
        await expect(drainRows(engine.stream(ordered))).rejects.toMatchObject({ code: 'query_failed' });
      }
    });

    it('booleanExpressions: comparisons and boolean parameters are booleans when true; when false only the boolean type is, and boolToInt bridges', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('bools');
      await createTable(engine, table, [{ name: 'id', type: 'int32' }, { name: 'b', type: 'boolean' }]);
      await engine.insertRows(table, ['id', 'b'], [[1, true], [2, false], [3, null]]);
      const id = d.quoteIdent('id');
      const b = d.quoteIdent('b');
      // Portable either way: CAST to the boolean type, boolToInt, and comparing a boolean column with a boolean value.
      const [cast] = await engine.query(
        `SELECT CAST($t AS ${d.columnType('boolean')}) AS t, CAST(${d.literal(false)} AS ${d.columnType('boolean')}) AS f,
                ${d.boolToInt('$t')} AS one, ${d.boolToInt('1 = 2')} AS zero`,
        { t: true },
      );
      expect(cast).toEqual({ t: true, f: false, one: 1, zero: 0 });
      const matching = await engine.query(`SELECT ${id} AS id FROM ${d.quoteIdent(table)} WHERE ${b} = $want ORDER BY ${id}`, { want: false });
      expect(matching).toEqual([{ id: 2 }]);
      const flagged = await engine.query(`SELECT ${id} AS id FROM ${d.quoteIdent(table)} WHERE ${d.boolToInt(b)} = 1 ORDER BY ${id}`);
      expect(flagged).toEqual([{ id: 1 }]);
      const [bare] = await engine.query('SELECT 1 = 1 AS c, $t AS t', { t: true });
      // When false, the documented fallback: a comparison reads back as 1, a bare boolean as its text.
      expect(bare).toEqual(engine.capabilities.booleanExpressions ?? true ? { c: true, t: true } : { c: 1, t: 'true' });
      await dropTable(engine, table);
    });

    it('windowFunctions: a running sum works when true, fails with query_failed when false', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const i = d.quoteIdent('i');
      await expectFeature(
        engine,
        engine.capabilities.windowFunctions,
        `SELECT s.${i} AS i, sum(s.${i}) OVER (ORDER BY s.${i}) AS running FROM ${d.integerSeries(4, 'i')} AS s ORDER BY ${i}`,
        [{ i: 0n, running: 0n }, { i: 1n, running: 1n }, { i: 2n, running: 3n }, { i: 3n, running: 6n }],
      );
    });

    it('commonTableExpressions: WITH name AS (...) works when true, fails with query_failed when false', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      await expectFeature(
        engine,
        engine.capabilities.commonTableExpressions,
        `WITH ${d.quoteIdent('evens')} AS (SELECT s.${d.quoteIdent('i')} AS i FROM ${d.integerSeries(10, 'i')} AS s WHERE s.${d.quoteIdent('i')} % 2 = 0)
         SELECT count(*) AS n FROM ${d.quoteIdent('evens')}`,
        [{ n: 5n }],
      );
    });

    it('multipleJoinsPerSelect: two JOINs in one SELECT work when true, fail with query_failed when false', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const i = d.quoteIdent('i');
      await expectFeature(
        engine,
        engine.capabilities.multipleJoinsPerSelect,
        `SELECT count(*) AS n FROM ${d.integerSeries(5, 'i')} AS a
           JOIN ${d.integerSeries(4, 'i')} AS b ON a.${i} = b.${i}
           JOIN ${d.integerSeries(3, 'i')} AS c ON b.${i} = c.${i}`,
        [{ n: 3n }],
      );
    });

    it('transactions: ROLLBACK undoes an insert when true; BEGIN TRANSACTION fails with query_failed when false', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('tx');
      await createTable(engine, table, [{ name: 'x', type: 'int32' }]);
      if (engine.capabilities.transactions) {
        await engine.exec('BEGIN TRANSACTION');
        await engine.insertRows(table, ['x'], [[1], [2]]);
        await engine.exec('ROLLBACK');
        await engine.exec('BEGIN TRANSACTION');
        await engine.insertRows(table, ['x'], [[3]]);
        await engine.exec('COMMIT');
        expect(await engine.query(`SELECT ${d.quoteIdent('x')} AS x FROM ${d.quoteIdent(table)}`)).toEqual([{ x: 3 }]);
      } else {
        await expect(engine.exec('BEGIN TRANSACTION')).rejects.toMatchObject({ code: 'query_failed' });
      }
      await dropTable(engine, table);
    });

    it('boundParameters: $params work either way (server-side binding, or substitution through dialect.literal when false)', async () => {
      const { engine } = ctx;
      const value = "x'; DROP TABLE cxray_sentinel; -- \u2019 $v";
      expect(await engine.query('SELECT $v AS v, $n AS n', { v: value, n: 7 })).toEqual([{ v: value, n: 7 }]);
    });

    it('subsecondTimestamps: milliseconds are kept when true, floored to the second when false', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('subsecond');
      await createTable(engine, table, [{ name: 't', type: 'timestamp' }]);
      await engine.exec(`INSERT INTO ${d.quoteIdent(table)} (${d.quoteIdent('t')}) VALUES ($t)`, { t: new Date('2024-05-01T10:00:00.987Z') });
      const rows = await engine.query(`SELECT ${d.quoteIdent('t')} AS t FROM ${d.quoteIdent(table)}`);
      expect(rows).toEqual([{ t: engine.capabilities.subsecondTimestamps ? '2024-05-01T10:00:00.987Z' : '2024-05-01T10:00:00.000Z' }]);
      await dropTable(engine, table);
    });
  });
}
