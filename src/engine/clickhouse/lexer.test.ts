import { describe, expect, it } from 'vitest';
import { findPlaceholders, isBlank, leadingWords, splitStatements } from './lexer.js';
import { substituteParameters } from './named-params.js';

const names = (sql: string): string[] => findPlaceholders(sql).map((p) => p.name);

describe('ClickHouse lexer', () => {
  it('finds $name placeholders in code, in order, repeats included; not $1 and not inside names', () => {
    expect(names('SELECT $a, $b_2 + $a FROM t WHERE x = $_c')).toEqual(['a', 'b_2', 'a', '_c']);
    expect(names('SELECT ($a)||$b, $1, a$b, $2x')).toEqual(['a', 'b']);
  });

  it("reads strings and quoted names with backslash escapes, as ClickHouse does: 'a\\'$v' is one string", () => {
    const sql = ["SELECT 'a\\'$no1', 'it''s $no2', \"x\\\"$no3\", `y\\`$no4`, `a``$no5`", '-- $no6', '/* $no7 */', '$yes'].join('\n');
    expect(names(sql)).toEqual(['yes']);
  });

  it('ends a block comment at the first */ (18.16 does not nest them)', () => {
    expect(names('SELECT /* a /* b */ $v')).toEqual(['v']);
  });

  it('splits a script at semicolons in code only, dropping empty statements', () => {
    expect(splitStatements("CREATE TABLE a (x String DEFAULT ';');\n-- done;\nSELECT ';' /* ; */;;")).toEqual([
      "CREATE TABLE a (x String DEFAULT ';')",
      "-- done;\nSELECT ';' /* ; */",
    ]);
    expect(isBlank(' -- only a comment\n /* and another */ ')).toBe(true);
  });

  it('reads the leading keywords of a statement past comments and parentheses', () => {
    expect(leadingWords('/* hi */ (select 1)', 2)).toEqual(['SELECT']);
    expect(leadingWords('drop  table if exists `x`', 4)).toEqual(['DROP', 'TABLE', 'IF', 'EXISTS']);
  });
});

describe('ClickHouse parameter substitution', () => {
  const render = (v: unknown): string => `<${String(v)}>`;

  it('replaces each placeholder by its rendering, rendering a repeated one once', () => {
    let calls = 0;
    const out = substituteParameters("SELECT $v, '$v' -- $v\n, $v || $w", { v: 1, w: 2, unused: 3 }, (v) => {
      calls += 1;
      return render(v);
    });
    expect(out).toBe("SELECT <1>, '$v' -- $v\n, <1> || <2>");
    expect(calls).toBe(2);
  });

  it('throws a TypeError for a missing value and for a bad name, used or not', () => {
    expect(() => substituteParameters('SELECT $a, $b', { a: 1 }, render)).toThrow(TypeError);
    expect(() => substituteParameters('SELECT 1', { 'bad-name': 1 }, render)).toThrow(TypeError);
    expect(() => substituteParameters('SELECT 1', { "x'); DROP TABLE t; --": 1 }, render)).toThrow(TypeError);
  });
});
