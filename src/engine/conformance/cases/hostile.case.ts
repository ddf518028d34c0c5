import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../errors.js';
import type { Engine, RowValue } from '../../types.js';
import { HOSTILE_IDENTIFIERS, HOSTILE_STRINGS, SENTINEL_TABLES, UNRENDERABLE_STRINGS } from '../hostile-corpus.js';
import { createTable, describeString, dropTable, tableName, type ConformanceContext } from '../harness.js';

async function createSentinels(engine: Engine): Promise<void> {
  for (const name of SENTINEL_TABLES) {
    await createTable(engine, name, [{ name: 'n', type: 'int32' }]);
    await engine.insertRows(name, ['n'], [[1]]);
  }
}

/** Each sentinel still exists and still holds its one row: no payload ran as a statement. */
async function expectSentinelsIntact(engine: Engine): Promise<void> {
  const d = engine.dialect;
  for (const name of SENTINEL_TABLES) {
    expect(await engine.hasTable(name), `sentinel ${name} exists`).toBe(true);
    const rows = await engine.query(`SELECT ${d.quoteIdent('n')} AS n FROM ${d.quoteIdent(name)}`);
    expect(rows, `sentinel ${name} is unchanged`).toEqual([{ n: 1 }]);
  }
}

/** One hostile name as a table and a column: create, insert (bound and literal), select, describe, hasTable, drop. */
async function identifierFailure(engine: Engine, name: string): Promise<string | undefined> {
  const d = engine.dialect;
  const q = d.quoteIdent(name);
  const limit = engine.capabilities.maxIdentifierBytes;
  if (limit !== undefined && Buffer.byteLength(name, 'utf8') > limit) {
    // Too long for this engine: refused up front with a clear error, as a table name and as a column name.
    const refused = (make: () => string): string | undefined => {
      try {
        make();
        return 'createTable accepted a name over maxIdentifierBytes';
      } catch (error) {
        return error instanceof UserError && error.code === 'identifier_too_long' ? undefined : `createTable threw ${String(error)}`;
      }
    };
    const failure = refused(() => d.createTable(name, [{ name: 'x', type: 'string' }])) ?? refused(() => d.createTable('ok', [{ name, type: 'string' }]));
    if (failure !== undefined) return failure;
    await expect(createTable(engine, name, [{ name, type: 'string' }])).rejects.toMatchObject({ code: 'identifier_too_long' });
    return (await engine.hasTable(name)) ? 'a refused table exists' : undefined;
  }
  await createTable(engine, name, [{ name, type: 'string' }]);
  await engine.exec(`INSERT INTO ${q} (${q}) VALUES ($v)`, { v: name });
  await engine.exec(`INSERT INTO ${q} (${q}) VALUES (${d.literal(name)})`);
  const rows = await engine.query(`SELECT ${q} FROM ${q}`);
  if (rows.length !== 2) return `select returned ${rows.length} rows`;
  for (const row of rows) {
    if (Object.keys(row).length !== 1 || !Object.hasOwn(row, name)) return `result column named ${JSON.stringify(Object.keys(row))}`;
    if (row[name] !== name) return 'value changed';
  }
  const columns = await engine.describe(name);
  if (columns.length !== 1 || columns[0]?.name !== name || columns[0]?.type !== 'string') return `describe gave ${JSON.stringify(columns)}`;
  if (!(await engine.hasTable(name))) return 'hasTable is false after create';
  await dropTable(engine, name);
  if (await engine.hasTable(name)) return 'hasTable is true after drop';
  return undefined;
}

export function describeHostileCases(ctx: ConformanceContext): void {
  describe('hostile input', () => {
    beforeAll(async () => {
      await createSentinels(ctx.engine);
    });

    it('rejects NUL and lone surrogates with a TypeError in quoteIdent, literal, bound parameters and insertRows', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('reject');
      await createTable(engine, table, [{ name: 's', type: 'string' }]);
      for (const bad of UNRENDERABLE_STRINGS) {
        expect(() => d.quoteIdent(bad), describeString(bad)).toThrow(TypeError);
        expect(() => d.literal(bad), describeString(bad)).toThrow(TypeError);
        expect(() => d.literal(['ok', bad]), describeString(bad)).toThrow(TypeError);
        await expect(engine.query('SELECT $v AS v', { v: bad }), describeString(bad)).rejects.toThrow(TypeError);
        await expect(engine.query('SELECT $v AS v', { v: ['ok', bad] }), describeString(bad)).rejects.toThrow(TypeError);
        await expect(engine.insertRows(table, ['s'], [[bad]]), describeString(bad)).rejects.toThrow(TypeError);
      }
      expect(() => d.quoteIdent(''), 'empty identifier').toThrow(TypeError);
      expect(() => d.literal(Number.NaN)).toThrow(TypeError);
      expect(() => d.literal(Number.POSITIVE_INFINITY)).toThrow(TypeError);
      expect(() => d.literal(new Date(Number.NaN))).toThrow(TypeError);
      await expect(engine.query('SELECT $v AS v', { v: Number.NaN })).rejects.toThrow(TypeError);
      expect(await engine.query(`SELECT count(*) AS n FROM ${d.quoteIdent(table)}`)).toEqual([{ n: 0n }]);
      await dropTable(engine, table);
      await expectSentinelsIntact(engine);
    });

    it(`returns each of the ${HOSTILE_STRINGS.length} hostile strings byte-identical as a value: selected and stored, bound and literal`, async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('hostile_values');
      await createTable(engine, table, [{ name: 'id', type: 'int32' }, { name: 'v', type: 'string' }]);
      const target = `${d.quoteIdent(table)} (${d.quoteIdent('id')}, ${d.quoteIdent('v')})`;
      const failures: string[] = [];
      for (const [i, s] of HOSTILE_STRINGS.entries()) {
        const [row] = await engine.query(`SELECT $v AS bound, ${d.literal(s)} AS lit`, { v: s });
        if (row?.['bound'] !== s || row['lit'] !== s) failures.push(`select ${describeString(s)}`);
        await engine.exec(`INSERT INTO ${target} VALUES ($id, $v)`, { id: i, v: s });
        await engine.exec(`INSERT INTO ${target} VALUES (${d.literal(-1 - i)}, ${d.literal(s)})`);
      }
      const rows = await engine.query(`SELECT ${d.quoteIdent('id')} AS id, ${d.quoteIdent('v')} AS v FROM ${d.quoteIdent(table)}`);
      expect(rows.length).toBe(2 * HOSTILE_STRINGS.length);
      for (const row of rows) {
        const id = row['id'] as number;
        const s = HOSTILE_STRINGS[id >= 0 ? id : -1 - id];
        if (row['v'] !== s) failures.push(`stored ${id >= 0 ? 'bound' : 'literal'} ${describeString(s ?? '')}`);
      }
      expect(failures).toEqual([]);
      await dropTable(engine, table);
      await expectSentinelsIntact(engine);
    });

    it(`uses each of the ${HOSTILE_IDENTIFIERS.length} non-empty hostile strings as a table name and a column name: create, insert, select, describe, hasTable, drop`, async () => {
      const { engine } = ctx;
      const failures: string[] = [];
      for (const name of HOSTILE_IDENTIFIERS) {
        try {
          const failure = await identifierFailure(engine, name);
          if (failure !== undefined) failures.push(`${describeString(name)}: ${failure}`);
        } catch (error) {
          failures.push(`${describeString(name)}: ${String(error).slice(0, 200)}`);
          await dropTable(engine, name).catch(() => undefined);
        }
      }
      expect(failures).toEqual([]);
      await expectSentinelsIntact(engine);
    }, 120_000);

    it('keeps hostile strings intact as elements of string[] values, bound and literal', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const lists: string[][] = [];
      for (let i = 0; i < HOSTILE_STRINGS.length; i += 25) lists.push(HOSTILE_STRINGS.slice(i, i + 25));
      for (const list of lists) {
        const [row] = await engine.query(`SELECT $v AS bound, ${d.literal(list)} AS lit`, { v: list });
        expect(row?.['bound']).toEqual(list);
        expect(row?.['lit']).toEqual(list);
      }
      await expectSentinelsIntact(engine);
    });

    it('inserts hostile values with insertRows (strings, string[], and hostile column names) and reads them back unchanged', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('hostile_insert');
      const textColumn = "v'; DROP TABLE cxray_sentinel; --";
      const listColumn = 'tags"\u2019';
      await createTable(engine, table, [
        { name: 'id', type: 'int32' },
        { name: textColumn, type: 'string' },
        { name: listColumn, type: 'string[]' },
      ]);
      const rows: RowValue[][] = HOSTILE_STRINGS.map((s, i) => [i, s, [s, `${s}${s}`, '']]);
      rows.push([rows.length, null, null]);
      await engine.insertRows(table, ['id', textColumn, listColumn], rows);
      const back = await engine.query(
        `SELECT ${d.quoteIdent('id')} AS id, ${d.quoteIdent(textColumn)} AS v, ${d.quoteIdent(listColumn)} AS tags FROM ${d.quoteIdent(table)} ORDER BY ${d.quoteIdent('id')}`,
      );
      expect(back.length).toBe(rows.length);
      const failures = back.flatMap((row, i) => {
        const [, v, given] = rows[i] ?? [];
        // Without nullable lists, insertRows stores a NULL string[] as [].
        const tags = given === null && engine.capabilities.nullableLists === false ? [] : given;
        const same = row['id'] === i && row['v'] === v && JSON.stringify(row['tags']) === JSON.stringify(tags);
        return same ? [] : [describeString(typeof v === 'string' ? v : String(v))];
      });
      expect(failures).toEqual([]);
      await dropTable(engine, table);
      await expectSentinelsIntact(engine);
    });

    it('round-trips random strings of any UTF-16 code units (fast-check, fixed seed) or rejects them with a TypeError when they hold NUL or a lone surrogate', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      // An oracle independent of the dialect's own guard: walk the code points.
      const renderable = (s: string): boolean =>
        [...s].every((ch) => ch !== '\u0000' && !(ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff));
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 48 }), async (s) => {
          if (!renderable(s)) {
            expect(() => d.literal(s)).toThrow(TypeError);
            await expect(engine.query('SELECT $v AS v', { v: s })).rejects.toThrow(TypeError);
            return;
          }
          const [row] = await engine.query(`SELECT $v AS bound, ${d.literal(s)} AS lit`, { v: s });
          expect(row).toEqual({ bound: s, lit: s });
          if (s.length > 0) {
            const [named] = await engine.query(`SELECT 1 AS ${d.quoteIdent(s)}`);
            expect(Object.keys(named ?? {})).toEqual([s]);
          }
        }),
        { seed: 20240229, numRuns: 300 },
      );
      await expectSentinelsIntact(engine);
    });
  });
}
