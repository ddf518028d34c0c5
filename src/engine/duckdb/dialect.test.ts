import { describe, expect, it } from 'vitest';
import { duckdbDialect as d } from './dialect.js';
import { DuckDbEngine } from './engine.js';

// Shape tests of the escaper; the conformance suite checks what DuckDB makes of it.
describe('DuckDB dialect escaper', () => {
  it('doubles quotes and nothing else, in strings and identifiers', () => {
    expect(d.literal("it's")).toBe("'it''s'");
    expect(d.literal('a\\')).toBe("'a\\'");
    expect(d.quoteIdent('a"b')).toBe('"a""b"');
    expect(d.qualify('s', 'x"')).toBe('"s"."x"""');
  });

  it('renders every value as an atom, so no operator before it can turn it into a comment', () => {
    const values = [-1, -0, -2147483648, -1.5, -(2n ** 63n), -(2n ** 100n), new Date(-1), new Date(Date.UTC(-50, 0, 1)), '-1', ['-'], false, null];
    for (const value of values) {
      const text = `1-${d.literal(value)}`;
      expect(text.startsWith('1--'), text).toBe(false);
      expect(text).not.toContain('--');
    }
  });

  it('sends JS numbers as INTEGER only for int32 values (not -0), else as an exact DOUBLE cast', () => {
    expect(d.literal(42)).toBe('42');
    expect(d.literal(-7)).toBe('(-7)');
    expect(d.literal(2 ** 31)).toBe("CAST('2147483648' AS DOUBLE)");
    expect(d.literal(-0)).toBe("CAST('-0' AS DOUBLE)");
    expect(d.literal(0.1)).toBe("CAST('0.1' AS DOUBLE)");
    expect(d.literal(2n ** 63n - 1n)).toBe('CAST(9223372036854775807 AS BIGINT)');
    expect(d.literal(2n ** 63n)).toBe('CAST(9223372036854775808 AS HUGEINT)');
    expect(() => d.literal(2n ** 127n)).toThrow(TypeError);
  });

  it('renders timestamps in UTC text for years 1..9999 and as exact microseconds outside', () => {
    expect(d.literal(new Date('2024-03-10T07:00:00.5Z'))).toBe("TIMESTAMP '2024-03-10 07:00:00.500'");
    expect(d.literal(new Date(Date.UTC(20000, 0, 1)))).toMatch(/^make_timestamp\(CAST\(\d+ AS BIGINT\)\)$/);
  });

  it('renders string[] as a typed list, empty included, and rejects other arrays', () => {
    expect(d.literal([])).toBe('CAST([] AS VARCHAR[])');
    expect(d.literal(["a'", 'b'])).toBe("CAST(['a''', 'b'] AS VARCHAR[])");
    expect(() => d.literal([1] as unknown as string[])).toThrow(TypeError);
  });

  it('rejects what it cannot render: NUL, lone surrogates, empty names, non-finite numbers, invalid dates, other objects', () => {
    for (const bad of ['\u0000', 'a\uD800', '\uDC00b']) {
      expect(() => d.literal(bad)).toThrow(TypeError);
      expect(() => d.quoteIdent(bad)).toThrow(TypeError);
    }
    expect(() => d.quoteIdent('')).toThrow(TypeError);
    expect(() => d.literal(Number.NaN)).toThrow(TypeError);
    expect(() => d.literal(Number.NEGATIVE_INFINITY)).toThrow(TypeError);
    expect(() => d.literal(new Date(Number.NaN))).toThrow(TypeError);
    expect(() => d.literal({} as unknown as string)).toThrow(TypeError);
    expect(() => d.integerSeries(-1, 'i')).toThrow(TypeError);
    expect(() => d.quantileExact('x', 1.5)).toThrow(RangeError);
  });

  it('names the table itself as its shard part: one file, no shards', () => {
    expect(d.shardLocalTable('t"x')).toBe('"t""x"');
  });

  it('adds NOT NULL in createTable only, so columnType stays usable in CAST', () => {
    expect(d.columnType('money', false)).toBe('DECIMAL(18,4)');
    expect(d.createTable('t', [{ name: 'a', type: 'int32', nullable: false }, { name: 'b', type: 'string[]' }])).toBe(
      'CREATE TABLE "t" ("a" INTEGER NOT NULL, "b" VARCHAR[])',
    );
  });
});

/** (value, position, before) of the non-null values, sorted: what runningTotals must give, row by row. */
function runningReference(values: readonly (number | null)[]): { x: number; i: number; a: number }[] {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  let total = 0;
  return sorted.map((x, k) => {
    const row = { x, i: k + 1, a: total };
    total += x;
    return row;
  });
}

describe('DuckDB runningTotals', () => {
  it('gives each value its position and the total before it, ties and negatives included, NULLs left out', async () => {
    const engine = await DuckDbEngine.open(':memory:', { memoryLimit: '256MB' });
    try {
      // Halves and small integers: every running total is exact in a double, so the rows must match bit for bit.
      const values = Array.from({ length: 400 }, (_, k) => (k % 11 === 0 ? null : ((k * 37) % 23) / 2 - 3));
      const select = `SELECT v FROM (VALUES ${values.map((v) => `(${d.literal(v === null ? null : v)})`).join(', ')}) AS t(v)`;
      const names = { value: 'x', position: 'i', before: 'a' };
      const rows = await engine.query(`SELECT x, i, a FROM ${d.runningTotals(select, 'v', names)} AS w ORDER BY i`);
      expect(rows).toEqual(runningReference(values));
      const empty = await engine.query(`SELECT count(*) AS n FROM ${d.runningTotals('SELECT 1.5 AS v WHERE 1 = 0', 'v', names)} AS w`);
      expect(empty).toEqual([{ n: 0n }]);
    } finally {
      await engine.close();
    }
  });
});
