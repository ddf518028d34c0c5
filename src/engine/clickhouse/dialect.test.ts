import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedCapability, UserError } from '../../errors.js';
import { itNeeds } from '../../../test/helpers/strict.js';
import { HOSTILE_IDENTIFIERS, HOSTILE_STRINGS } from '../conformance/hostile-corpus.js';
import type { Row, SqlValue } from '../types.js';
import { createClickHouseDialect } from './dialect.js';
import { ClickHouseEngine } from './engine.js';
import { MAX_IDENTIFIER_BYTES } from './layout.js';
import { unquoteIdentifier } from './literal.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster, SHARD_URLS } from './test-cluster.js';

const d = createClickHouseDialect({ database: 'cx', cluster: { name: 'cxray', localDatabase: 'cx_local' } });
const single = createClickHouseDialect({ database: 'cx' });

// Shape tests of the escaper; the server tests below check what ClickHouse makes of it.
describe('ClickHouse dialect escaper', () => {
  it('escapes backslash, quote and ASCII control characters with backslashes, in strings and identifiers', () => {
    expect(d.literal("it's")).toBe("'it\\'s'");
    expect(d.literal('a\\')).toBe("'a\\\\'");
    expect(d.literal('tab\there\nnew\u0000'.slice(0, -1))).toBe("'tab\\x09here\\x0Anew'");
    expect(d.literal('\u007F\u001B')).toBe("'\\x7F\\x1B'");
    expect(d.literal('\u2028é😀')).toBe("'\u2028é😀'");
    expect(d.quoteIdent('a`b\\c')).toBe('`a\\`b\\\\c`');
    expect(d.qualify('s', 'x`')).toBe('`s`.`x\\``');
  });

  it('reads quoted identifiers back exactly as the server does (the inverse of quoteIdent) for every hostile name', () => {
    for (const name of HOSTILE_IDENTIFIERS) expect(unquoteIdentifier(d.quoteIdent(name))).toBe(name);
    expect(unquoteIdentifier('"a""b\\x41"')).toBe('a"bA');
  });

  it('renders every value as an atom, so no operator before it can turn it into a comment', () => {
    const values: SqlValue[] = [-1, -0, -2147483648, -1.5, -5e-324, -(2n ** 63n), new Date(0), '-1', ['-'], false, null];
    for (const value of values) {
      const text = `1-${d.literal(value)}`;
      expect(text).not.toContain('--');
    }
  });

  it('sends int32 numbers as digits and other numbers as exact Float64 through the SQL parser', () => {
    expect(d.literal(42)).toBe('42');
    expect(d.literal(-7)).toBe('(-7)');
    expect(d.literal(2 ** 31)).toBe('toFloat64(2147483648)');
    expect(d.literal(-0)).toBe('toFloat64(-0.)');
    expect(d.literal(0.1)).toBe('toFloat64(0.1)');
    expect(d.literal(1e308)).toBe('toFloat64(1e+308)');
    // The parser rejects subnormal literals: exact division by 2^537 twice instead.
    expect(d.literal(5e-324)).toBe(`toFloat64(1 / ${2 ** 537} / ${2 ** 537})`);
    expect(d.literal(-(2n ** 63n))).toBe('toInt64(-9223372036854775808)');
    expect(d.literal(2n ** 64n - 1n)).toBe('toUInt64(18446744073709551615)');
    expect(() => d.literal(2n ** 64n)).toThrow(TypeError);
    expect(() => d.literal(Number.NaN)).toThrow(TypeError);
  });

  it("renders booleans as the text 'true'/'false' and string[] as Array(String), the empty list typed", () => {
    expect(d.literal(true)).toBe("'true'");
    expect(d.literal(false)).toBe("'false'");
    expect(d.literal([])).toBe('CAST([] AS Array(String))');
    expect(d.literal(["a'", 'b'])).toBe("['a\\'', 'b']");
    expect(() => d.literal([1] as unknown as string[])).toThrow(TypeError);
  });

  it('renders timestamps as UTC DateTime floored to the second, and refuses instants outside 1970..2105', () => {
    expect(d.literal(new Date('2024-03-10T07:00:00.999Z'))).toBe("toDateTime('2024-03-10 07:00:00', 'UTC')");
    expect(d.literal(new Date('2105-12-31T23:59:59.999Z'))).toBe("toDateTime('2105-12-31 23:59:59', 'UTC')");
    expect(() => d.literal(new Date('1969-12-31T23:59:59.999Z'))).toThrow(UnsupportedCapability);
    expect(() => d.literal(new Date('2106-01-01T00:00:00Z'))).toThrow(UnsupportedCapability);
    expect(() => d.literal(new Date(Number.NaN))).toThrow(TypeError);
  });

  it('rejects what it cannot render: NUL, lone surrogates, empty names, other objects', () => {
    for (const bad of ['\u0000', 'a\uD800', '\uDC00b']) {
      expect(() => d.literal(bad)).toThrow(TypeError);
      expect(() => d.quoteIdent(bad)).toThrow(TypeError);
    }
    expect(() => d.quoteIdent('')).toThrow(TypeError);
    expect(() => d.literal({} as unknown as string)).toThrow(TypeError);
    expect(() => d.integerSeries(-1, 'i')).toThrow(TypeError);
    expect(() => d.quantileExact('x', 1.5)).toThrow(RangeError);
  });
});

describe('ClickHouse dialect tables', () => {
  it('creates the shard part and a Distributed table sharded by the portable hash of customer_id', () => {
    const sql = d.createTable('orders', [
      { name: 'customer_id', type: 'string', nullable: false },
      { name: 'amount', type: 'money' },
      { name: 'tags', type: 'string[]' },
    ]);
    const [local, distributed] = sql.split(';\n');
    expect(local).toBe(
      'CREATE TABLE `cx_local`.`orders` (`customer_id` String, `amount` Nullable(Decimal(18, 4)), `tags` Array(String)) ENGINE = MergeTree() ORDER BY `customer_id`',
    );
    expect(distributed).toBe(
      "CREATE TABLE `cx`.`orders` (`customer_id` String, `amount` Nullable(Decimal(18, 4)), `tags` Array(String)) ENGINE = Distributed('cxray', 'cx_local', 'orders', " +
        `${d.hashString('`customer_id`')})`,
    );
  });

  it('spreads tables without a customer at random, and keeps a nullable customer id out of the sorting key', () => {
    expect(d.createTable('t', [{ name: 'x', type: 'int32' }])).toContain("Distributed('cxray', 'cx_local', 't', rand())");
    const nullable = d.createTable('t', [{ name: 'customer_id', type: 'int64' }]);
    expect(nullable).toContain('ORDER BY tuple()');
    expect(nullable).toContain(`ifNull(${d.hashInteger('`customer_id`')}, toUInt64(0))`);
    expect(single.createTable('t', [{ name: 'x', type: 'boolean', nullable: false }])).toBe(
      "CREATE TABLE `cx`.`t` (`x` Enum8('false' = 0, 'true' = 1)) ENGINE = MergeTree() ORDER BY tuple()",
    );
  });

  it(`refuses table and column names over ${MAX_IDENTIFIER_BYTES} UTF-8 bytes with UserError identifier_too_long`, () => {
    const fits = 'é'.repeat(MAX_IDENTIFIER_BYTES / 2);
    expect(() => d.createTable(fits, [{ name: fits, type: 'string' }])).not.toThrow();
    for (const long of [`${fits}x`, 'a'.repeat(10_000)]) {
      expect(() => d.createTable(long, [{ name: 'x', type: 'string' }])).toThrow(UserError);
      expect(() => d.createTable('t', [{ name: long, type: 'string' }])).toThrow(expect.objectContaining({ code: 'identifier_too_long' }));
    }
    expect(() => d.createTable('t', [])).toThrow(TypeError);
  });

  it('makes every column type nullable on request except lists, which ClickHouse cannot make Nullable', () => {
    expect(d.columnType('timestamp')).toBe("Nullable(DateTime('UTC'))");
    expect(d.columnType('int64', false)).toBe('Int64');
    expect(d.columnType('string[]')).toBe('Array(String)');
    expect(d.integerSeries(0, 'i')).toBe('(SELECT number AS `i` FROM system.numbers LIMIT 0)');
  });

  it("names a table's shard part in the local database, and the table itself on a single server", () => {
    expect(d.shardLocalTable('orders')).toBe('`cx_local`.`orders`');
    expect(single.shardLocalTable('orders')).toBe('`cx`.`orders`');
    expect(() => d.shardLocalTable('')).toThrow(TypeError);
  });
});

const serverIt = itNeeds(clickhouseInstalled(), 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);

describe('ClickHouse dialect escaper against the server', () => {
  let engine: ClickHouseEngine | undefined;

  beforeAll(async () => {
    if (!clickhouseInstalled()) return;
    leaseCluster();
    engine = await ClickHouseEngine.open({ url: SHARD_URLS[0], database: 'cxray_dialect', password: process.env['CXRAY_CLICKHOUSE_PASSWORD'] ?? '' });
  }, 180_000);

  afterAll(async () => {
    if (!clickhouseInstalled()) return;
    await engine?.close();
    releaseCluster();
  }, 60_000);

  /** `SELECT <literal> AS c0, ...` in batches: what the server makes of each rendering, no parameters involved. */
  async function selectLiterals(values: readonly SqlValue[]): Promise<Row[]> {
    const out: Row[] = [];
    for (let at = 0; at < values.length; at += 40) {
      const part = values.slice(at, at + 40);
      const [row] = await (engine as ClickHouseEngine).query(`SELECT ${part.map((v, i) => `${d.literal(v)} AS c${i}`).join(', ')}`);
      out.push(...part.map((_, i) => ({ v: row?.[`c${i}`] ?? null })));
    }
    return out;
  }

  serverIt(`returns each of the ${HOSTILE_STRINGS.length} hostile strings exactly from SELECT <literal>`, async () => {
    const rows = await selectLiterals(HOSTILE_STRINGS);
    const wrong = HOSTILE_STRINGS.filter((s, i) => rows[i]?.['v'] !== s);
    expect(wrong).toEqual([]);
  });

  serverIt('keeps every hostile string intact inside a string[] literal', async () => {
    const lists: string[][] = [];
    for (let i = 0; i < HOSTILE_STRINGS.length; i += 25) lists.push(HOSTILE_STRINGS.slice(i, i + 25));
    const rows = await selectLiterals([...lists, []]);
    expect(rows.map((r) => r['v'])).toEqual([...lists, []]);
  });

  serverIt(`names a result column after each of the ${HOSTILE_IDENTIFIERS.length} hostile identifiers exactly`, async () => {
    const wrong: string[] = [];
    for (let at = 0; at < HOSTILE_IDENTIFIERS.length; at += 40) {
      const part = HOSTILE_IDENTIFIERS.slice(at, at + 40);
      const [row] = await (engine as ClickHouseEngine).query(`SELECT ${part.map((name, i) => `${i} AS ${d.quoteIdent(name)}`).join(', ')}`);
      part.forEach((name, i) => {
        if (!Object.hasOwn(row ?? {}, name) || row?.[name] !== i) wrong.push(name);
      });
    }
    expect(wrong).toEqual([]);
  });

  serverIt('returns 3,000 random doubles bit for bit (subnormals, -0 and the extremes included)', async () => {
    const doubles = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 3000, seed: 20240229 });
    doubles.push(-0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, -1.7976931348623157e308, 2 ** 53 + 2, 0.1 + 0.2);
    const rows = await selectLiterals(doubles);
    const wrong = doubles.filter((x, i) => !Object.is(rows[i]?.['v'], x));
    expect(wrong).toEqual([]);
  });

  serverIt('runningTotals: each value with its position and the total before it, ties and negatives included, NULLs left out', async () => {
    // Halves and small integers: every running total is exact in a double, so the rows must match bit for bit.
    const values = Array.from({ length: 400 }, (_, k) => (k % 11 === 0 ? null : ((k * 37) % 23) / 2 - 3));
    const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
    const expected = sorted.map((x, k) => ({ x, i: k + 1, a: sorted.slice(0, k).reduce((s, y) => s + y, 0) }));
    const select = `SELECT arrayJoin([${values.map((v) => (v === null ? 'NULL' : d.literal(v))).join(', ')}]) AS v`;
    const names = { value: 'x', position: 'i', before: 'a' };
    const rows = await (engine as ClickHouseEngine).query(`SELECT x, i, a FROM ${d.runningTotals(select, 'v', names)} AS w ORDER BY i`);
    expect(rows).toEqual(expected);
    const empty = await (engine as ClickHouseEngine).query(`SELECT count() AS n FROM ${d.runningTotals('SELECT toFloat64(1.5) AS v WHERE 1 = 0', 'v', names)} AS w`);
    expect(empty).toEqual([{ n: 0n }]);
  });

  serverIt('returns 64-bit integers, booleans and timestamps at the edges of their ranges exactly', async () => {
    const values: SqlValue[] = [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 64n - 1n, 0n, -2147483648, 2147483647, new Date(0), new Date('2105-12-31T23:59:59Z'), null];
    const rows = await selectLiterals(values);
    expect(rows.map((r) => r['v'])).toEqual([
      -(2n ** 63n), 2n ** 63n - 1n, 2n ** 64n - 1n, 0n, -2147483648, 2147483647, '1970-01-01T00:00:00.000Z', '2105-12-31T23:59:59.000Z', null,
    ]);
    const [row] = await (engine as ClickHouseEngine).query(`SELECT CAST(${d.literal(true)} AS ${d.columnType('boolean')}) AS t`);
    expect(row).toEqual({ t: true });
  });

  serverIt('countDistinct is 0, not NULL, for a group whose values are all NULL and over no rows (uniqExact alone gives NULL on 18.16)', async () => {
    const e = engine as ClickHouseEngine;
    const x = d.quoteIdent('x');
    const values = `(SELECT arrayJoin([1, 1, 2]) AS g, CAST(if(g = 2, NULL, 'a') AS ${d.columnType('string')}) AS ${x})`;
    expect(await e.query(`SELECT g, ${d.countDistinct(x)} AS n FROM ${values} GROUP BY g ORDER BY g`)).toEqual([
      { g: 1, n: 1n },
      { g: 2, n: 0n },
    ]);
    expect(await e.query(`SELECT ${d.countDistinct(x)} AS n FROM ${values} WHERE g = 3`)).toEqual([{ n: 0n }]);
  });
});
