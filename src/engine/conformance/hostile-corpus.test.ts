import { describe, expect, it } from 'vitest';
import { assertRenderableText } from '../dialect.js';
import { HOSTILE_IDENTIFIERS, HOSTILE_STRINGS, UNRENDERABLE_STRINGS, buildHostileCorpus } from './hostile-corpus.js';

const REQUIRED = [
  "'", '"', '`', "''", "\\'", "x'; DROP TABLE t; --", '--', '/*', '*/', '\u2019', '\uFF07', '\u02BC', '\uFF1B', '\u200B', '\u202E',
  '\n', '\r', '\t', '$1', '$name', '?', '{x}', '%s', '../../etc/passwd', '\u{1F600}', ' lead', 'trail ', 'SELECT', '', '0',
  'NULL', 'null', '__proto__',
];

describe('hostile corpus', () => {
  it('holds at least 200 distinct strings, built the same way every time', () => {
    expect(HOSTILE_STRINGS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(HOSTILE_STRINGS).size).toBe(HOSTILE_STRINGS.length);
    expect(buildHostileCorpus()).toEqual(HOSTILE_STRINGS);
  });

  it('covers every required family, very long strings and astral characters included', () => {
    for (const s of REQUIRED) expect(HOSTILE_STRINGS, JSON.stringify(s)).toContain(s);
    expect(HOSTILE_STRINGS.some((s) => s.length >= 10_000)).toBe(true);
    expect(HOSTILE_STRINGS.some((s) => [...s].some((ch) => (ch.codePointAt(0) ?? 0) > 0xffff))).toBe(true);
  });

  it('contains only renderable text; identifiers are all but the empty string', () => {
    for (const s of HOSTILE_STRINGS) expect(() => assertRenderableText(s, 'corpus entry')).not.toThrow();
    expect(HOSTILE_IDENTIFIERS).toEqual(HOSTILE_STRINGS.filter((s) => s !== ''));
  });

  it('keeps NUL and lone surrogates in a separate list, each rejected by the shared guard', () => {
    expect(UNRENDERABLE_STRINGS.some((s) => s.includes('\u0000'))).toBe(true);
    for (const s of UNRENDERABLE_STRINGS) {
      expect(HOSTILE_STRINGS).not.toContain(s);
      expect(() => assertRenderableText(s, 'bad entry')).toThrow(TypeError);
    }
  });
});
