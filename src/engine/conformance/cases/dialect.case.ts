import { describe, expect, it } from 'vitest';
import type { TimeUnit } from '../../dialect.js';
import type { RowValue } from '../../types.js';
import { comparable, createTable, dropTable, tableName, type ConformanceContext } from '../harness.js';
import { expectedTimestamp } from './types.case.js';

/** Hyndman & Fan type 1 (inverse empirical CDF): the value at rank ceil(n p), the first for p = 0. */
function quantileType1(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(sorted.length * p));
  return sorted[rank - 1] as number;
}

// A Sunday afternoon, so week truncation shows that weeks start on Monday.
const SUNDAY = new Date('2024-03-10T13:45:30.250Z');

export function describeDialectCases(ctx: ConformanceContext): void {
  describe('dialect semantics (the same answer on every engine)', () => {
    it('lower lowers every letter by Unicode\'s simple mapping (İ, the Kelvin sign, ẞ too), contains finds text in text; both on a column and a bound value', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('lower');
      const texts = ['ABC', 'Ünïcödé ÉCOLE', '\u0130stanbul', 'KELVIN \u212A', 'STRA\u1E9EE', '\u2126 ohm', '\u023A\u2C62', "O'Brien", '\u{1F600} SMILE', ''];
      const expected = ['abc', 'ünïcödé école', 'istanbul', 'kelvin k', 'straße', 'ω ohm', '\u2C65\u026B', "o'brien", '\u{1F600} smile', ''];
      await createTable(engine, table, [{ name: 'id', type: 'int32' }, { name: 't', type: 'string' }]);
      await engine.insertRows(table, ['id', 't'], texts.map((t, i): RowValue[] => [i, t]));
      const rows = await engine.query<{ id: number; l: string }>(`SELECT ${d.quoteIdent('id')} AS id, ${d.lower(d.quoteIdent('t'))} AS l FROM ${d.quoteIdent(table)} ORDER BY ${d.quoteIdent('id')}`);
      expect(rows.map((r) => r.l)).toEqual(expected);
      const [bound] = await engine.query(`SELECT ${d.lower('$t')} AS l`, { t: 'STRA\u1E9EE \u0130' });
      expect(bound?.['l']).toBe('straße i');
      const found = await engine.query<{ id: number }>(
        `SELECT ${d.quoteIdent('id')} AS id FROM ${d.quoteIdent(table)} WHERE ${d.contains(d.lower(d.quoteIdent('t')), d.lower('$q'))} ORDER BY ${d.quoteIdent('id')}`,
        { q: 'É' },
      );
      expect(found.map((r) => Number(r.id))).toEqual([1]);
      const all = await engine.query(`SELECT count(*) AS n FROM ${d.quoteIdent(table)} WHERE ${d.contains(d.quoteIdent('t'), '$q')}`, { q: '' });
      expect(Number(all[0]?.['n'])).toBe(texts.length);
      await dropTable(engine, table);
    });

    it('dateTrunc truncates a UTC instant to each unit, weeks starting on Monday', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const expected: Record<TimeUnit, string> = {
        second: '2024-03-10T13:45:30.000Z',
        minute: '2024-03-10T13:45:00.000Z',
        hour: '2024-03-10T13:00:00.000Z',
        day: '2024-03-10T00:00:00.000Z',
        week: '2024-03-04T00:00:00.000Z',
        month: '2024-03-01T00:00:00.000Z',
        quarter: '2024-01-01T00:00:00.000Z',
        year: '2024-01-01T00:00:00.000Z',
      };
      const units = Object.keys(expected) as TimeUnit[];
      const [row] = await engine.query(`SELECT ${units.map((u) => `${d.dateTrunc(u, '$t')} AS ${d.quoteIdent(u)}`).join(', ')}`, { t: SUNDAY });
      expect(row).toEqual(expected);
    });

    it('dateDiff counts whole seconds and days truncated toward zero (negative and fractional spans), addDays shifts by whole days', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const spans: Array<[string, string, bigint, bigint]> = [
        ['2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z', 1n, 0n],
        ['2024-01-01T00:00:00Z', '2024-01-04T23:00:00Z', 342000n, 3n],
        ['2024-01-02T00:00:00Z', '2024-01-01T00:00:01Z', -86399n, 0n],
        ['2024-01-05T00:00:00Z', '2024-01-01T12:00:00Z', -302400n, -3n],
        ['1970-01-01T00:00:00Z', '2038-01-19T03:14:08Z', 2147483648n, 24855n],
      ];
      if (engine.capabilities.subsecondTimestamps) {
        spans.push(['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.600Z', 1n, 0n]);
        spans.push(['2024-01-01T00:00:01.600Z', '2024-01-01T00:00:00.000Z', -1n, 0n]);
      }
      for (const [start, end, seconds, days] of spans) {
        const [row] = await engine.query(
          `SELECT ${d.dateDiff('second', '$a', '$b')} AS s, ${d.dateDiff('day', '$a', '$b')} AS d`,
          { a: new Date(start), b: new Date(end) },
        );
        expect({ start, end, s: comparable(row?.['s']), d: comparable(row?.['d']) }).toEqual({
          start,
          end,
          s: comparable(seconds),
          d: comparable(days),
        });
      }
      const [shifted] = await engine.query(`SELECT ${d.addDays('$t', 3)} AS later, ${d.addDays('$t', '$n')} AS earlier`, { t: SUNDAY, n: -10 });
      // The milliseconds survive only with sub-second timestamps.
      const caps = engine.capabilities;
      expect(shifted).toEqual({
        later: expectedTimestamp(new Date('2024-03-13T13:45:30.250Z'), caps),
        earlier: expectedTimestamp(new Date('2024-02-29T13:45:30.250Z'), caps),
      });
    });

    it('epochSeconds and fromEpochSeconds convert both ways in UTC (keeping milliseconds when sub-second timestamps are supported)', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const sub = engine.capabilities.subsecondTimestamps;
      const [row] = await engine.query(
        `SELECT ${d.epochSeconds('$t')} AS e, ${d.fromEpochSeconds('$s')} AS day2, ${d.fromEpochSeconds('$f')} AS frac`,
        { t: new Date('1970-01-02T00:00:01.500Z'), s: 86400, f: 1.5 },
      );
      expect(row?.['e']).toBe(sub ? 86401.5 : 86401);
      expect(row?.['day2']).toBe('1970-01-02T00:00:00.000Z');
      expect(row?.['frac']).toBe(sub ? '1970-01-01T00:00:01.500Z' : '1970-01-01T00:00:01.000Z');
    });

    it('quantileExact is the type-1 quantile (inverse empirical CDF) for n = 1..7 and p from 0 to 1', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('quantile');
      await createTable(engine, table, [{ name: 'g', type: 'int32' }, { name: 'x', type: 'double' }]);
      const rows: RowValue[][] = [];
      const groups: number[][] = [];
      for (let n = 1; n <= 7; n += 1) {
        // Distinct values out of order (5 is coprime with 7), plus a NULL, which must be ignored.
        const values = Array.from({ length: n }, (_, i) => ((i * 5 + 3) % 7) * 10 + 0.5);
        groups.push([...values].sort((a, b) => a - b));
        for (const v of values) rows.push([n, v]);
        rows.push([n, null]);
      }
      await engine.insertRows(table, ['g', 'x'], rows);
      const ps = [0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 0.9, 1];
      const x = d.quoteIdent('x');
      const got = await engine.query(
        `SELECT ${d.quoteIdent('g')} AS g, ${ps.map((p, i) => `${d.quantileExact(x, p)} AS ${d.quoteIdent(`q${i}`)}`).join(', ')}
           FROM ${d.quoteIdent(table)} GROUP BY ${d.quoteIdent('g')} ORDER BY ${d.quoteIdent('g')}`,
      );
      const want = groups.map((sorted, gi) => ({
        g: gi + 1,
        ...Object.fromEntries(ps.map((p, i) => [`q${i}`, quantileType1(sorted, p)])),
      }));
      expect(got).toEqual(want);
      await dropTable(engine, table);
    });

    it('countDistinct ignores NULLs; ifThen, boolToInt, toDouble, toMoney and toString give the portable types', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('misc');
      await createTable(engine, table, [{ name: 's', type: 'string' }, { name: 'b', type: 'boolean' }]);
      await engine.insertRows(table, ['s', 'b'], [['a', true], ['a', false], ['b', null], [null, true]]);
      const s = d.quoteIdent('s');
      const b = d.quoteIdent('b');
      const [agg] = await engine.query(`SELECT ${d.countDistinct(s)} AS n, sum(${d.boolToInt(b)}) AS trues FROM ${d.quoteIdent(table)}`);
      expect(agg).toEqual({ n: 2n, trues: 2n });
      const [row] = await engine.query(
        `SELECT ${d.ifThen('1 = 1', d.literal('yes'), d.literal('no'))} AS pick, ${d.boolToInt(d.literal(true))} AS one, ${d.toDouble('7')} AS seven,
                ${d.toMoney(d.literal('12.5'))} AS money, ${d.toString('42')} AS text`,
      );
      expect(row).toEqual({ pick: 'yes', one: 1, seven: 7, money: '12.5000', text: '42' });
      await dropTable(engine, table);
    });

    it('qualify quotes each part; integerSeries yields 0..n-1 as int64; createTable refuses a table without columns', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const table = tableName('qualify');
      await createTable(engine, table, [{ name: 'x', type: 'int32' }]);
      await engine.insertRows(table, ['x'], [[5]]);
      const [row] = await engine.query(`SELECT ${d.qualify(table, 'x')} AS x FROM ${d.quoteIdent(table)}`);
      expect(row).toEqual({ x: 5 });
      const series = await engine.query(`SELECT s.${d.quoteIdent('i')} AS i FROM ${d.integerSeries(4, 'i')} AS s ORDER BY ${d.quoteIdent('i')}`);
      expect(series).toEqual([{ i: 0n }, { i: 1n }, { i: 2n }, { i: 3n }]);
      expect(await engine.query(`SELECT count(*) AS n FROM ${d.integerSeries(0, 'i')} AS s`)).toEqual([{ n: 0n }]);
      expect(() => d.createTable(table, [])).toThrow(TypeError);
      await dropTable(engine, table);
    });

    it('globalJoin matches every customer of one table with a subquery over another, wherever their rows are placed', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const now = tableName('gj_now');
      const before = tableName('gj_before');
      const spec = [
        { name: 'customer_id', type: 'string' as const, nullable: false },
        { name: 'level', type: 'string' as const },
      ];
      await createTable(engine, now, spec);
      await createTable(engine, before, spec);
      const ids = Array.from({ length: 60 }, (_, i) => `c${i}`);
      await engine.insertRows(now, ['customer_id', 'level'], ids.slice(0, 50).map((id, i) => [id, i % 3 === 0 ? 'a' : 'b']));
      await engine.insertRows(before, ['customer_id', 'level'], ids.slice(10).map((id, i) => [id, i % 2 === 0 ? 'a' : 'b']));
      const q = (n: string): string => d.quoteIdent(n);
      const rows = await engine.query<{ after: string; prior: string; n: RowValue }>(
        `SELECT ${q('level')} AS ${q('after')}, ${q('_prior')} AS ${q('prior')}, count(*) AS ${q('n')} FROM ${q(now)}
           ${d.globalJoin('INNER')} (SELECT ${q('customer_id')}, ${q('level')} AS ${q('_prior')} FROM ${q(before)}) AS ${q('p')} USING (${q('customer_id')})
          GROUP BY ${q('level')}, ${q('_prior')}`,
      );
      const expected = new Map<string, number>();
      for (let i = 10; i < 50; i += 1) {
        const key = `${i % 3 === 0 ? 'a' : 'b'}|${(i - 10) % 2 === 0 ? 'a' : 'b'}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      expect(new Map(rows.map((r) => [`${r.after}|${r.prior}`, Number(r.n)]))).toEqual(expected);
      await dropTable(engine, now);
      await dropTable(engine, before);
    });

    it('naturalLog and exp are the natural logarithm and its inverse', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const [row] = await engine.query<{ e: RowValue; l: RowValue; x: RowValue }>(
        `SELECT ${d.naturalLog(d.toDouble('$v'))} AS ${d.quoteIdent('l')}, exp(${d.toDouble('$one')}) AS ${d.quoteIdent('e')}, ${d.naturalLog(`exp(${d.toDouble('$v')})`)} AS ${d.quoteIdent('x')}`,
        { v: 7.5, one: 1 },
      );
      expect(Math.abs(Number(row?.l) - Math.log(7.5))).toBeLessThan(1e-15);
      expect(Math.abs(Number(row?.e) - Math.E)).toBeLessThan(1e-15);
      expect(Math.abs(Number(row?.x) - 7.5)).toBeLessThan(1e-14);
    });

    it('assumeNotNull keeps a known value of a nullable expression (sums over complete rows read it)', async () => {
      const { engine } = ctx;
      const d = engine.dialect;
      const q = d.quoteIdent;
      const nullable = `(${d.ifThen(`${q('s')}.${q('i')} < 3`, d.toDouble(`${q('s')}.${q('i')}`), 'NULL')})`;
      const [row] = await engine.query<{ n: RowValue; t: RowValue }>(
        `SELECT count(*) AS ${q('n')}, sum(${d.assumeNotNull(nullable)} * 2) AS ${q('t')} FROM ${d.integerSeries(10, 'i')} AS ${q('s')} WHERE ${nullable} IS NOT NULL`,
      );
      expect([Number(row?.n), Number(row?.t)]).toEqual([3, 6]);
    });
  });
}
