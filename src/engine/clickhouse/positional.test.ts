import { describe, expect, it } from 'vitest';
import { findPositionalReference } from './positional.js';

describe('positional ORDER BY / GROUP BY detection', () => {
  it('finds an integer standing alone as an ORDER BY or GROUP BY item, with or without a direction', () => {
    expect(findPositionalReference('SELECT a FROM t ORDER BY 1')).toBe('ORDER BY 1');
    expect(findPositionalReference('select a, b from t group by a, 2 order by a')).toBe('GROUP BY 2');
    expect(findPositionalReference('SELECT a FROM t ORDER BY a DESC, 2 DESC NULLS LAST LIMIT 5')).toBe('ORDER BY 2 DESC NULLS LAST');
    expect(findPositionalReference('SELECT * FROM (SELECT a FROM t ORDER BY 1) AS s')).toBe('ORDER BY 1');
  });

  it('leaves expressions, names, parameters, strings and comments alone', () => {
    for (const sql of [
      'SELECT a FROM t ORDER BY a + 1',
      'SELECT a FROM t ORDER BY f(1), `1`',
      'SELECT a FROM t ORDER BY $p',
      "SELECT 'ORDER BY 1' AS s -- ORDER BY 1",
      'SELECT a FROM t ORDER BY a LIMIT 1',
      'SELECT a FROM t ORDER BY 1.5',
      'SELECT count() FROM t GROUP BY a HAVING count() > 1 ORDER BY a',
    ]) {
      expect(findPositionalReference(sql), sql).toBeUndefined();
    }
  });
});
