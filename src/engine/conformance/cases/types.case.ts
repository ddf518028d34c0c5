import { describe, expect, it } from 'vitest';
import type { Capabilities, CanonicalType, Engine, RowValue, SqlValue } from '../../types.js';
import { comparable, createTable, dropTable, tableName, type ConformanceContext } from '../harness.js';

interface Sample {
  value: SqlValue;
  expected: RowValue;
}

const ALL_TYPES: CanonicalType[] = ['string', 'int32', 'int64', 'double', 'money', 'boolean', 'timestamp', 'date', 'string[]'];

/** What a stored timestamp reads back as: to the millisecond, or floored to the second without sub-second support. */
export function expectedTimestamp(d: Date, caps: Capabilities): string {
  const ms = d.getTime();
  return new Date(caps.subsecondTimestamps ? ms : Math.floor(ms / 1000) * 1000).toISOString();
}

const iso = (text: string): Date => new Date(text);

/** Instants either side of DST switches (US and EU), around 1970, and at the ends of the range. */
export function timestampInstants(caps: Capabilities): Date[] {
  const after1970 = [
    '2024-03-10T06:59:59.999Z', '2024-03-10T07:00:00.000Z', '2024-11-03T05:59:59.999Z', '2024-11-03T06:00:00.000Z',
    '2024-03-31T00:59:59.999Z', '2024-03-31T01:00:00.000Z', '2024-10-27T00:59:59.999Z', '2024-10-27T01:00:00.000Z',
    '2024-02-29T12:34:56.789Z', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.001Z', '2038-01-19T03:14:08.000Z',
    '2099-12-31T23:59:59.999Z',
  ];
  const before1970 = [
    '1969-12-31T23:59:59.999Z', '1969-07-20T20:17:40.000Z', '1900-01-01T00:00:00.000Z', '1883-11-18T17:00:00.500Z',
    '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z',
  ];
  return [...after1970, ...(caps.timestampsBefore1970 ? before1970 : [])].map(iso);
}

function samples(type: CanonicalType, caps: Capabilities): Sample[] {
  const same = (values: SqlValue[]): Sample[] => values.map((value) => ({ value, expected: value as RowValue }));
  switch (type) {
    case 'string':
      return same(['', 'plain', "O'Brien", 'multi\nline', '\u00E9\u{1F600}', ' padded ', 'NULL']);
    case 'int32':
      return same([0, 1, -1, 42, 2_147_483_647, -2_147_483_648]);
    case 'int64':
      return same([0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)]);
    case 'double':
      return same([
        0, -0, 0.1, 3, 1e308, -1e308, 5e-324, -5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, Math.PI,
        0.30000000000000004, 123456789.125, 2 ** 53 + 2, 2 ** 40,
      ]);
    case 'money':
      return [
        ['0', '0.0000'], ['0.1', '0.1000'], ['-0.0001', '-0.0001'], ['12.34', '12.3400'], ['1', '1.0000'],
        ['99999999999999.9999', '99999999999999.9999'], ['-99999999999999.9999', '-99999999999999.9999'],
      ].map(([value, expected]) => ({ value: value as string, expected: expected as string }));
    case 'boolean':
      return same([true, false]);
    case 'timestamp':
      return timestampInstants(caps).map((d) => ({ value: d, expected: expectedTimestamp(d, caps) }));
    case 'date':
      return same(['2024-02-29', '1970-01-01', '2000-01-01', '2099-12-31', ...(caps.timestampsBefore1970 ? ['1969-12-31', '1900-01-01', '0001-01-01'] : [])]);
    case 'string[]':
      return same([['a', 'b'], [], ["it's", '"q"', 'a,b', '[x]', '{y}', '\\', 'NULL', '', ' '], ['\u{1F600}']]);
  }
}

async function storedRoundTrip(engine: Engine, type: CanonicalType, list: Sample[]): Promise<void> {
  const d = engine.dialect;
  const table = tableName(`rt_${type.replace('[]', '_list')}`);
  await createTable(engine, table, [
    { name: 'id', type: 'int32', nullable: false },
    { name: 'v', type },
  ]);
  const target = `${d.quoteIdent(table)} (${d.quoteIdent('id')}, ${d.quoteIdent('v')})`;
  for (const [i, s] of list.entries()) {
    await engine.exec(`INSERT INTO ${target} VALUES ($id, $v)`, { id: i, v: s.value });
    await engine.exec(`INSERT INTO ${target} VALUES (${d.literal(1000 + i)}, ${d.literal(s.value)})`);
  }
  const rows = await engine.query(`SELECT ${d.quoteIdent('id')} AS id, ${d.quoteIdent('v')} AS v FROM ${d.quoteIdent(table)} ORDER BY ${d.quoteIdent('id')}`);
  const want = [
    ...list.map((s, i) => ({ id: comparable(i), v: comparable(s.expected) })),
    ...list.map((s, i) => ({ id: comparable(1000 + i), v: comparable(s.expected) })),
  ];
  expect(rows.map((r) => ({ id: comparable(r['id']), v: comparable(r['v']) }))).toEqual(want);
  await dropTable(engine, table);
}

async function expressionRoundTrip(engine: Engine, type: CanonicalType, list: Sample[]): Promise<void> {
  const d = engine.dialect;
  const t = d.columnType(type);
  for (const s of list) {
    const [row] = await engine.query(`SELECT CAST($v AS ${t}) AS bound, CAST(${d.literal(s.value)} AS ${t}) AS lit`, { v: s.value });
    expect({ bound: comparable(row?.['bound']), lit: comparable(row?.['lit']) }).toEqual({
      bound: comparable(s.expected),
      lit: comparable(s.expected),
    });
  }
}

export function describeTypeCases(ctx: ConformanceContext): void {
  describe('types', () => {
    for (const type of ALL_TYPES) {
      it(`round-trips ${type} values stored in a ${type} column and cast in an expression, bound ($v) and as dialect literals`, async () => {
        const list = samples(type, ctx.engine.capabilities);
        await storedRoundTrip(ctx.engine, type, list);
        await expressionRoundTrip(ctx.engine, type, list);
      });
    }

    it('stores and reads back NULL of every type, bound, as a literal and as CAST(NULL AS type)', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      // Without nullable lists, string[] is checked on its own below.
      const types = engine.capabilities.nullableLists === false ? ALL_TYPES.filter((t) => t !== 'string[]') : ALL_TYPES;
      const table = tableName('nulls');
      await createTable(engine, table, [{ name: 'id', type: 'int32' }, ...types.map((type) => ({ name: `c_${type}`, type }))]);
      const cols = types.map((type) => d.quoteIdent(`c_${type}`));
      const params = Object.fromEntries(types.map((_, i) => [`n${i}`, null]));
      await engine.exec(
        `INSERT INTO ${d.quoteIdent(table)} (${d.quoteIdent('id')}, ${cols.join(', ')}) VALUES (1, ${types.map((_, i) => `$n${i}`).join(', ')})`,
        params,
      );
      await engine.exec(`INSERT INTO ${d.quoteIdent(table)} (${d.quoteIdent('id')}, ${cols.join(', ')}) VALUES (2, ${types.map(() => d.literal(null)).join(', ')})`);
      const rows = await engine.query(`SELECT ${cols.join(', ')} FROM ${d.quoteIdent(table)} ORDER BY ${d.quoteIdent('id')}`);
      const allNull = Object.fromEntries(types.map((type) => [`c_${type}`, null]));
      expect(rows).toEqual([allNull, allNull]);
      const casts = types.map((type, i) => `CAST(NULL AS ${d.columnType(type)}) AS ${d.quoteIdent(`k${i}`)}`);
      const [row] = await engine.query(`SELECT ${casts.join(', ')}`);
      expect(Object.values(row ?? {})).toEqual(types.map(() => null));
      await dropTable(engine, table);
    });

    it('without nullable lists, a NULL string[] fails loudly in SQL and insertRows stores it as the empty list', async () => {
      const { engine } = ctx;
      if (engine.capabilities.nullableLists !== false) {
        // Nullable lists: the case above stores and reads back NULL string[] values.
        expect(engine.capabilities.nullableLists ?? true).toBe(true);
        return;
      }
      const d = engine.dialect;
      const table = tableName('null_list');
      await createTable(engine, table, [{ name: 'id', type: 'int32' }, { name: 'tags', type: 'string[]' }]);
      const target = `${d.quoteIdent(table)} (${d.quoteIdent('id')}, ${d.quoteIdent('tags')})`;
      await expect(engine.exec(`INSERT INTO ${target} VALUES (1, $v)`, { v: null })).rejects.toMatchObject({ code: 'query_failed' });
      await expect(engine.exec(`INSERT INTO ${target} VALUES (2, ${d.literal(null)})`)).rejects.toMatchObject({ code: 'query_failed' });
      await expect(engine.query(`SELECT CAST(NULL AS ${d.columnType('string[]')}) AS v`)).rejects.toMatchObject({ code: 'query_failed' });
      await engine.insertRows(table, ['id', 'tags'], [[3, null], [4, ['a']]]);
      const rows = await engine.query(`SELECT ${d.quoteIdent('id')} AS id, ${d.quoteIdent('tags')} AS tags FROM ${d.quoteIdent(table)} ORDER BY ${d.quoteIdent('id')}`);
      expect(rows).toEqual([{ id: 3, tags: [] }, { id: 4, tags: ['a'] }]);
      await dropTable(engine, table);
    });

    it('never turns a 64-bit integer into a JS number: count, sum, int64 columns and casts come back as bigint; toDouble is the deliberate way out', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('bigint');
      await createTable(engine, table, [{ name: 'k', type: 'int64' }, { name: 'small', type: 'int32' }]);
      await engine.insertRows(table, ['k', 'small'], [[2n ** 53n + 1n, 1], [1n, 2]]);
      const k = d.quoteIdent('k');
      const small = d.quoteIdent('small');
      const [row] = await engine.query(
        `SELECT count(*) AS n, sum(${k}) AS total, max(${k}) + 1 AS next, min(${k}) AS least, sum(${small}) AS small_total,
                ${d.countDistinct(k)} AS distinct_keys, CAST(7 AS ${d.columnType('int64')}) AS seven, ${d.toDouble(`max(${k})`)} AS as_double
           FROM ${d.quoteIdent(table)}`,
      );
      expect(comparable(row?.['n'])).toBe('bigint:2');
      expect(comparable(row?.['total'])).toBe(`bigint:${2n ** 53n + 2n}`);
      expect(comparable(row?.['next'])).toBe(`bigint:${2n ** 53n + 2n}`);
      expect(comparable(row?.['least'])).toBe('bigint:1');
      expect(comparable(row?.['small_total'])).toBe('bigint:3');
      expect(comparable(row?.['distinct_keys'])).toBe('bigint:2');
      expect(comparable(row?.['seven'])).toBe('bigint:7');
      expect(row?.['as_double']).toBe(2 ** 53);
      await dropTable(engine, table);
    });

    it('sums money exactly as a decimal string: 0.1 ten times is "1.0000", 0.1 + 0.2 - 0.3 is "0.0000"', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('money');
      await createTable(engine, table, [{ name: 'g', type: 'int32' }, { name: 'm', type: 'money' }]);
      const rows: RowValue[][] = [
        ...Array.from({ length: 10 }, (): RowValue[] => [1, '0.1']),
        [2, '0.1'], [2, '0.2'], [2, '-0.3'],
        [3, '99999999999999.9999'], [3, '99999999999999.9999'],
      ];
      await engine.insertRows(table, ['g', 'm'], rows);
      const m = d.quoteIdent('m');
      const g = d.quoteIdent('g');
      const sums = await engine.query(`SELECT ${g} AS g, sum(${m}) AS total FROM ${d.quoteIdent(table)} GROUP BY ${g} ORDER BY ${g}`);
      expect(sums).toEqual([
        { g: 1, total: '1.0000' },
        { g: 2, total: '0.0000' },
        { g: 3, total: '199999999999999.9998' },
      ]);
      const cast = await engine.query(`SELECT ${d.toMoney(`sum(${m})`)} AS total FROM ${d.quoteIdent(table)} WHERE ${g} < 3 GROUP BY ${g} ORDER BY ${g}`);
      expect(cast).toEqual([{ total: '1.0000' }, { total: '0.0000' }]);
      await dropTable(engine, table);
    });

    it('returns the same UTC instant whatever the process TZ, across DST switches (and before 1970 when supported): bound, literal, epoch and day truncation', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const caps = engine.capabilities;
      const saved = process.env['TZ'];
      const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'];
      try {
        for (const zone of zones) {
          process.env['TZ'] = zone;
          // The swap must really take effect, or this case would prove nothing.
          if (zone !== 'UTC') expect(new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset()).not.toBe(0);
          for (const instant of timestampInstants(caps)) {
            const [row] = await engine.query(
              `SELECT $v AS bound, ${d.literal(instant)} AS lit, ${d.epochSeconds('$v')} AS epoch, ${d.dateTrunc('day', '$v')} AS day`,
              { v: instant },
            );
            const expected = expectedTimestamp(instant, caps);
            const ms = new Date(expected).getTime();
            expect({ zone, bound: row?.['bound'], lit: row?.['lit'] }).toEqual({ zone, bound: expected, lit: expected });
            expect(row?.['epoch']).toBeCloseTo(ms / 1000, 3);
            expect(row?.['day']).toBe(`${expected.slice(0, 10)}T00:00:00.000Z`);
          }
        }
      } finally {
        if (saved === undefined) delete process.env['TZ'];
        else process.env['TZ'] = saved;
      }
    });

    it('reads a sub-millisecond timestamp before 1970 by flooring toward the past, or rejects pre-1970 instants when unsupported', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const caps = engine.capabilities;
      if (!caps.timestampsBefore1970) {
        await expect(engine.query('SELECT $v AS v', { v: iso('1969-12-31T23:59:59.000Z') })).rejects.toMatchObject({
          code: 'unsupported_capability',
        });
        return;
      }
      const text = caps.subsecondTimestamps ? '1969-12-31 23:59:59.999999' : '1969-12-31 23:59:59';
      const [row] = await engine.query(`SELECT CAST(${d.literal(text)} AS ${d.columnType('timestamp')}) AS t`);
      expect(row?.['t']).toBe(caps.subsecondTimestamps ? '1969-12-31T23:59:59.999Z' : '1969-12-31T23:59:59.000Z');
    });
  });
}
