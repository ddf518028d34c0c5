import { describe, expect, it } from 'vitest';
import { candidatePhrases } from './phrases.js';
import { stemWord } from './stem.js';
import { tokenize } from './tokenize.js';

const phrasesOf = (text: string): string[] =>
  candidatePhrases(tokenize(text).map((token) => ({ ...token, stem: stemWord(token.word) }))).map((phrase) => phrase.text);

describe('candidatePhrases', () => {
  it('takes runs of content words and their n-grams, split at stopwords and punctuation', () => {
    expect(new Set(phrasesOf('Long hold times, and rude staff'))).toEqual(
      new Set(['long hold times', 'long hold', 'hold times', 'long', 'hold', 'times', 'rude staff', 'rude', 'staff']),
    );
  });

  it('splits at negators and never spans a clause', () => {
    expect(new Set(phrasesOf('no signal. Network down'))).toEqual(new Set(['signal', 'network']));
  });

  it('lists a phrase once per comment, keyed by stems', () => {
    const phrases = candidatePhrases(tokenize('crashes crashes crashing').map((token) => ({ ...token, stem: stemWord(token.word) })));
    expect(phrases.filter((phrase) => phrase.key === 'crash')).toHaveLength(1);
  });

  it('skips masked words and numbers', () => {
    const tokens = tokenize('honestly 3 outages').map((token) => ({ ...token, stem: token.word === 'honestly' ? null : stemWord(token.word) }));
    expect(candidatePhrases(tokens).map((phrase) => phrase.text)).toEqual(['outages']);
  });
});
