import { describe, expect, it } from 'vitest';
import { expandContraction } from './contractions.js';
import { normalizeText } from './normalize-text.js';
import { tokenize } from './tokenize.js';

const words = (text: string): string[] => tokenize(text).map((token) => token.word);

describe('normalizeText', () => {
  it('folds case, accents, full-width letters and typographic apostrophes', () => {
    expect(normalizeText('Café ＡＰＰ won’t “work”')).toBe('cafe app won\'t "work"');
  });
});

describe('expandContraction', () => {
  it('writes negations out as "not", with or without the apostrophe', () => {
    expect(expandContraction("can't")).toEqual(['can', 'not']);
    expect(expandContraction('cant')).toEqual(['can', 'not']);
    expect(expandContraction('cannot')).toEqual(['can', 'not']);
    expect(expandContraction("didn't")).toEqual(['did', 'not']);
    expect(expandContraction("won't")).toEqual(['will', 'not']);
    expect(expandContraction('doesnt')).toEqual(['does', 'not']);
  });

  it('expands other clitics and drops the possessive', () => {
    expect(expandContraction("they're")).toEqual(['they', 'are']);
    expect(expandContraction("i've")).toEqual(['i', 'have']);
    expect(expandContraction("company's")).toEqual(['company']);
    expect(expandContraction('wont')).toEqual(['wont']);
  });
});

describe('tokenize', () => {
  it('splits on Unicode letters and digits, drops punctuation and emoji', () => {
    expect(words('App crashes!!! 😡 Can’t log-in since v2.3')).toEqual(['app', 'crashes', 'can', 'not', 'log', 'in', 'since', 'v2', '3']);
    expect(words('Très bien, naïve señor')).toEqual(['tres', 'bien', 'naive', 'senor']);
  });

  it('keeps prefixed hyphenated words whole and splits the others', () => {
    expect(words('e-mail, wi-fi, over-charged, set-up')).toEqual(['email', 'wifi', 'overcharged', 'set', 'up']);
  });

  it('numbers clauses at sentence ends and contrast words, sentences only at sentence ends', () => {
    const tokens = tokenize('Staff lovely: quick. But the wait; awful\nPS call me');
    expect(tokens.map((token) => [token.word, token.clause, token.sentence])).toEqual([
      ['staff', 0, 0], ['lovely', 0, 0], ['quick', 1, 0], ['but', 2, 1], ['the', 2, 1], ['wait', 2, 1], ['awful', 3, 2], ['ps', 4, 3], ['call', 4, 3], ['me', 4, 3],
    ]);
  });

  it('marks punctuation between words as a phrase boundary', () => {
    const tokens = tokenize('slow, rude staff');
    expect(tokens.map((token) => token.boundaryBefore)).toEqual([false, true, false]);
  });

  it('gives nothing for empty or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ... !!! ')).toEqual([]);
  });
});
