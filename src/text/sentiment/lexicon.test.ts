import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEmojiLexicon, parseWordLexicon, vaderEmojiLexicon, vaderLexicon } from './lexicon.js';

function sha256(name: string): string {
  return createHash('sha256').update(readFileSync(new URL(`./data/${name}`, import.meta.url))).digest('hex');
}

describe('the VADER 3.3.2 word lexicon', () => {
  it('is the checked file of data/SOURCE.md', () => {
    expect(sha256('vader-lexicon.tsv')).toBe('2febecfbfac7467d172c666f6e8a67b4b2ed6d65a8d089a9e7c746ea2b988ddf');
  });

  it('has 7,520 lines and 7,506 distinct tokens, the last of a repeated token winning as in make_lex_dict', () => {
    const lines = readFileSync(new URL('./data/vader-lexicon.tsv', import.meta.url), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(7520);
    const lexicon = vaderLexicon();
    expect(lexicon.size).toBe(7506);
    // "lol" is listed 2.9 then 1.8, "ok" 1.6 then 1.2.
    expect(lexicon.get('lol')).toBe(1.8);
    expect(lexicon.get('ok')).toBe(1.2);
  });

  it('holds the values the README and the rules rely on', () => {
    const lexicon = vaderLexicon();
    expect(lexicon.get('good')).toBe(1.9);
    expect(lexicon.get('great')).toBe(3.1);
    expect(lexicon.get('okay')).toBe(0.9);
    expect(lexicon.get('horrible')).toBe(-2.5);
    expect(lexicon.get('sux')).toBe(-1.5);
    expect(lexicon.get(':(')).toBe(-1.9);
    expect(lexicon.get(':D')).toBe(2.3);
    expect(lexicon.get('no')).toBe(-1.2);
    // Entries that differ from the 2018 copy shipped by npm's vader-sentiment (see data/SOURCE.md).
    expect(lexicon.get('heart')).toBe(3.2);
    expect(lexicon.get('hearts')).toBe(3.3);
    expect(lexicon.get('flawed')).toBe(-2.1);
    expect(lexicon.get('badass')).toBe(1.4);
    // Multi-word entries exist but can never match a single token.
    expect(lexicon.get("can't stand")).toBe(-2);
  });

  it('is loaded once', () => {
    expect(vaderLexicon()).toBe(vaderLexicon());
  });
});

describe('the VADER 3.3.2 emoji lexicon', () => {
  it('is the checked file of data/SOURCE.md: 1,212 single-code-point emoji', () => {
    expect(sha256('emoji-lexicon.tsv')).toBe('dfcd8094ea428307004d86707108d7e8a02ceda7fd0609643502f5b14e629aad');
    expect(vaderEmojiLexicon().size).toBe(1212);
  });

  it('describes emoji as the reference does', () => {
    const emoji = vaderEmojiLexicon();
    expect(emoji.get('💘')).toBe('heart with arrow');
    expect(emoji.get('😁')).toBe('beaming face with smiling eyes');
    expect(emoji.get('🥰')).toBe('smiling face with 3 hearts');
    expect(emoji.get('❤')).toBe('red heart');
    expect(emoji.get('🏻')).toBe('light skin tone');
    expect(emoji.get('™')).toBe('trade mark');
  });
});

describe('parsing', () => {
  it('rejects a malformed line instead of guessing', () => {
    expect(() => parseWordLexicon('good\tnot-a-number\n')).toThrow(/malformed/);
    expect(() => parseWordLexicon('good\n')).toThrow(/malformed/);
    expect(() => parseEmojiLexicon('ab\ttwo code points\n')).toThrow(/malformed/);
  });

  it('reads values as Python float() does and keeps the last of repeated tokens', () => {
    expect(parseWordLexicon('a\t1.5\nb\t-0.3\na\t2.0\n')).toEqual(new Map([['a', 2], ['b', -0.3]]));
  });
});
