import { describe, expect, it } from 'vitest';
import { assertParameterName, findNamedParameters, substituteNamedParameters } from './named-params.js';

const names = (sql: string): string[] => findNamedParameters(sql).map((p) => p.name);

describe('named parameters', () => {
  it('finds $name placeholders in code, in order, repeats included', () => {
    expect(names('SELECT $a, $b_2 + $a FROM t WHERE x = $_c')).toEqual(['a', 'b_2', 'a', '_c']);
    expect(names('SELECT ($a)||$b')).toEqual(['a', 'b']);
  });

  it('skips strings, E-strings, quoted identifiers, dollar quotes, line and nested block comments', () => {
    const sql = [
      "SELECT '$no1', 'it''s $no2', E'\\' $no3', \"$no4\", \"a\"\"$no5\"",
      '$$ $no6 $$, $tag$ $no7 $tag$',
      '-- $no8',
      '/* $no9 /* nested $no10 */ still $no11 */',
      '$yes',
    ].join('\n');
    expect(names(sql)).toEqual(['yes']);
  });

  it('ignores positional $1 and $ inside identifiers', () => {
    expect(names('SELECT $1, a$b, $2x')).toEqual([]);
  });

  it('substitutes only placeholders, leaving quoted text alone', () => {
    expect(substituteNamedParameters("SELECT $v, '$v' -- $v\n, $w", (n) => `<${n}>`)).toBe("SELECT <v>, '$v' -- $v\n, <w>");
  });

  it('accepts letters, digits and underscores only, not starting with a digit', () => {
    for (const ok of ['a', '_', 'a1', 'customer_id']) expect(() => assertParameterName(ok)).not.toThrow();
    for (const bad of ['', '1a', 'a-b', 'a b', "a'", '$a', 'é']) expect(() => assertParameterName(bad)).toThrow(TypeError);
  });
});
