import { describe, expect, it } from 'vitest';
import { CxrayError } from '../../../errors.js';
import type { Capabilities, Engine } from '../../types.js';
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
    });

    it('windowFunctions: a running sum works when true, fails with query_failed when false', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const i = d.quoteIdent('i');
      await expectFeature(
        engine,
        engine.capabilities.windowFunctions,
        `SELECT s.${i} AS i, sum(s.${i}) OVER (ORDER BY s.${i}) AS running FROM ${d.integerSeries(4, 'i')} AS s ORDER BY 1`,
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
