import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pythonRound } from './python-round.js';
import { PYTHON_PUNCTUATION, pythonIsUpper, pythonLength, pythonSplit, pythonStrip, pythonStripChars } from './python-string.js';

interface PythonSemantics {
  round: [string, number, string][];
  isupper: [string, boolean][];
  split: [string, string[], string][];
  stripPunctuation: [string, string][];
}

// CPython's own answers (fixtures/make-python-semantics.py); repr() of a float
// is the shortest string that reads back as the same double.
const semantics = JSON.parse(readFileSync(new URL('./fixtures/python-semantics.json', import.meta.url), 'utf8')) as PythonSemantics;

describe('pythonRound reproduces round(x, n) on the binary double', () => {
  it.each(semantics.round)('round(%s, %i) == %s', (x, ndigits, expected) => {
    expect(Object.is(pythonRound(Number(x), ndigits), Number(expected))).toBe(true);
  });

  it('breaks exact ties to even where toFixed and Math.round go up', () => {
    // 0.0625 = 1/16 is exact in binary, so it is a true tie at 3 places: even digit 2 wins.
    expect(pythonRound(0.0625, 3)).toBe(0.062);
    expect((0.0625).toFixed(3)).toBe('0.063');
    expect(Math.round(0.0625 * 1000) / 1000).toBe(0.063);
    // 0.1875 = 3/16: tie, even digit 8 wins.
    expect(pythonRound(0.1875, 3)).toBe(0.188);
    // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875: no tie, goes down.
    expect(pythonRound(2.675, 2)).toBe(2.67);
    expect(pythonRound(2.5, 0)).toBe(2);
    expect(Object.is(pythonRound(-0.0004, 3), -0)).toBe(true);
  });

  it('covers the scale of both VADER roundings', () => {
    expect(semantics.round.filter(([, n]) => n === 3).length).toBeGreaterThan(300);
    expect(semantics.round.filter(([, n]) => n === 4).length).toBeGreaterThan(200);
  });
});

describe('Python str behaviours', () => {
  it.each(semantics.isupper)('%j.isupper() is %s', (text, expected) => {
    expect(pythonIsUpper(text)).toBe(expected);
  });

  it.each(semantics.split)('split() and strip() of %j', (text, pieces, stripped) => {
    expect(pythonSplit(text)).toEqual(pieces);
    expect(pythonStrip(text)).toBe(stripped);
  });

  it.each(semantics.stripPunctuation)('%j.strip(string.punctuation) is %j', (text, stripped) => {
    expect(pythonStripChars(text, PYTHON_PUNCTUATION)).toBe(stripped);
  });

  it('counts code points, not UTF-16 units, as len() does', () => {
    expect(pythonLength('😀a')).toBe(2);
    expect('😀a'.length).toBe(3);
  });
});
