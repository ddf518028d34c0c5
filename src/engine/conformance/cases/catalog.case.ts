import { describe, expect, it } from 'vitest';
import { CxrayError, UserError } from '../../../errors.js';
import type { ColumnSpec } from '../../dialect.js';
import type { RowValue } from '../../types.js';
import { comparable, createTable, dropTable, tableName, type ConformanceContext } from '../harness.js';

const EVERY_TYPE: ColumnSpec[] = [
  { name: 'id', type: 'int32', nullable: false },
  { name: 'name', type: 'string' },
  { name: 'big', type: 'int64' },
  { name: 'ratio', type: 'double' },
  { name: 'amount', type: 'money', nullable: false },
  { name: 'active', type: 'boolean' },
  { name: 'at', type: 'timestamp' },
  { name: 'day', type: 'date' },
  { name: 'tags', type: 'string[]' },
];

const EVERY_TYPE_ROWS: RowValue[][] = [
  [1, "O'Brien", 2n ** 53n + 1n, -0, '12.3400', true, '2024-03-10T07:00:00.000Z', '2024-02-29', ['a', "b'c"]],
  [2, null, null, null, '0.0000', null, null, null, null],
  [3, '', -(2n ** 63n), 1e308, '-99999999999999.9999', false, '1970-01-01T00:00:00.000Z', '1970-01-01', []],
];

export function describeCatalogCases(ctx: ConformanceContext): void {
  describe('catalog, errors and insertRows', () => {
    it('describe() lists columns in order with the portable type, a non-empty engine type and NOT NULL as nullable: false', async () => {
      const { engine } = ctx;
      const table = tableName('describe');
      await createTable(engine, table, EVERY_TYPE);
      const columns = await engine.describe(table);
      // Without nullable lists, a string[] column is never nullable, whatever was asked.
      const listsNullable = engine.capabilities.nullableLists ?? true;
      expect(columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }))).toEqual(
        EVERY_TYPE.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable !== false && (listsNullable || c.type !== 'string[]') })),
      );
      for (const c of columns) expect(c.engineType.length).toBeGreaterThan(0);
      await dropTable(engine, table);
    });

    it('describe() of a missing table throws UserError table_missing; hasTable() follows create, view and drop', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('has');
      const view = tableName('view');
      await expect(engine.describe(table)).rejects.toBeInstanceOf(UserError);
      await expect(engine.describe(table)).rejects.toMatchObject({ code: 'table_missing' });
      expect(await engine.hasTable(table)).toBe(false);
      await createTable(engine, table, [{ name: 'x', type: 'int32' }]);
      expect(await engine.hasTable(table)).toBe(true);
      await engine.exec(`CREATE VIEW ${d.quoteIdent(view)} AS SELECT ${d.quoteIdent('x')} FROM ${d.quoteIdent(table)}`);
      expect(await engine.hasTable(view)).toBe(true);
      expect((await engine.describe(view)).map((c) => c.name)).toEqual(['x']);
      await engine.exec(`DROP VIEW ${d.quoteIdent(view)}`);
      await dropTable(engine, table);
      expect(await engine.hasTable(table)).toBe(false);
      expect(await engine.hasTable(view)).toBe(false);
    });

    it('a bad statement raises CxrayError query_failed (not a UserError) that carries the SQL and the driver error as cause', async () => {
      const { engine } = ctx;
      const sql = 'SELEC 1 AS cxray_marker_for_bad_sql';
      const error: unknown = await engine.query(sql).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CxrayError);
      expect(error).not.toBeInstanceOf(UserError);
      expect(error).toMatchObject({ code: 'query_failed' });
      expect((error as CxrayError).message).toContain(sql);
      expect((error as CxrayError).cause).toBeDefined();
      await expect(engine.exec(`SELECT * FROM ${engine.dialect.quoteIdent(tableName('nowhere'))}`)).rejects.toMatchObject({
        code: 'query_failed',
      });
      // The engine still answers after errors.
      expect(await engine.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });

    it('parameters: unused ones are ignored, a missing one or a bad name is a TypeError, $name in quotes or comments is text, a repeated one binds twice', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      expect(await engine.query('SELECT $a AS a', { a: 1, unused: 'x' })).toEqual([{ a: 1 }]);
      expect(await engine.query('SELECT 2 AS b', { unused: 'x' })).toEqual([{ b: 2 }]);
      await expect(engine.query('SELECT $a AS a, $b AS b', { a: 1 })).rejects.toThrow(TypeError);
      await expect(engine.query('SELECT 1 AS a', { 'bad-name': 1 })).rejects.toThrow(TypeError);
      await expect(engine.query('SELECT 1 AS a', { "x'); DROP TABLE t; --": 1 })).rejects.toThrow(TypeError);
      const rows = await engine.query(
        `SELECT '$v' AS quoted, ${d.quoteIdent('$v')} AS ident, $v AS bound, $v || $v AS twice -- $v in a comment
           FROM (SELECT 'col' AS ${d.quoteIdent('$v')}) /* $v */ AS s`,
        { v: 'x' },
      );
      expect(rows).toEqual([{ quoted: '$v', ident: 'col', bound: 'x', twice: 'xx' }]);
    });

    it('insertRows() accepts exactly what query() returns for every type (round trip into a copy), validates row length, and does nothing for no rows', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const source = tableName('ins_src');
      const copy = tableName('ins_copy');
      await createTable(engine, source, EVERY_TYPE);
      await createTable(engine, copy, EVERY_TYPE);
      const names = EVERY_TYPE.map((c) => c.name);
      await engine.insertRows(source, names, EVERY_TYPE_ROWS);
      const select = (t: string): string => `SELECT ${names.map((n) => d.quoteIdent(n)).join(', ')} FROM ${d.quoteIdent(t)} ORDER BY ${d.quoteIdent('id')}`;
      const first = await engine.query(select(source));
      // Without nullable lists, insertRows stores a NULL string[] as [].
      const stored = (v: RowValue, c: number): RowValue =>
        v === null && EVERY_TYPE[c]?.type === 'string[]' && engine.capabilities.nullableLists === false ? [] : v;
      expect(first.map((r) => names.map((n) => comparable(r[n])))).toEqual(EVERY_TYPE_ROWS.map((r) => r.map((v, c) => comparable(stored(v, c)))));
      await engine.insertRows(copy, names, first.map((r) => names.map((n) => r[n] ?? null)));
      const second = await engine.query(select(copy));
      expect(second.map((r) => names.map((n) => comparable(r[n])))).toEqual(first.map((r) => names.map((n) => comparable(r[n]))));
      await expect(engine.insertRows(copy, names, [[1]])).rejects.toThrow(TypeError);
      await engine.insertRows(copy, names, []);
      expect(await engine.query(`SELECT count(*) AS n FROM ${d.quoteIdent(copy)}`)).toEqual([{ n: 3n }]);
      await dropTable(engine, source);
      await dropTable(engine, copy);
    });

    it('insertRows() of a few thousand rows lands every row (chunking loses nothing)', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('ins_many');
      await createTable(engine, table, [{ name: 'i', type: 'int64' }, { name: 's', type: 'string' }]);
      const rows: RowValue[][] = Array.from({ length: 4321 }, (_, i) => [BigInt(i), `row ${i}`]);
      await engine.insertRows(table, ['i', 's'], rows);
      const [row] = await engine.query(`SELECT count(*) AS n, sum(${d.quoteIdent('i')}) AS total FROM ${d.quoteIdent(table)}`);
      expect(row).toEqual({ n: 4321n, total: BigInt((4320 * 4321) / 2) });
      await dropTable(engine, table);
    });

    it('close() is idempotent and a closed engine rejects work with a CxrayError', async () => {
      const engine = await ctx.open();
      expect(await engine.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await ctx.close(engine);
      await engine.close();
      await expect(engine.query('SELECT 1 AS one')).rejects.toBeInstanceOf(CxrayError);
    });
  });
}
