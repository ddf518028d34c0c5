import { describe, expect, it } from 'vitest';
import { clauseScores, polarityOf } from './polarity.js';
import { stemWord } from './stem.js';
import { tokenize } from './tokenize.js';

const scores = (text: string): number[] => clauseScores(tokenize(text).map((token) => ({ ...token, stem: stemWord(token.word) })));
const polarity = (text: string) => polarityOf(scores(text).reduce((sum, score) => sum + score, 0));

describe('clauseScores', () => {
  it('reads praise and complaints, including the problem words of service', () => {
    expect(polarity('Friendly and patient staff, thank you!')).toBe('positive');
    expect(polarity('Constant outages in my area')).toBe('negative');
    expect(polarity('The app keeps crashing')).toBe('negative');
    expect(polarity('I was on hold for an hour')).toBe('negative');
  });

  it('reverses a cue after a negator and counts a bare negation as a complaint', () => {
    expect(polarity('The connection never drops')).toBe('positive');
    expect(polarity('Not happy with the service')).toBe('negative');
    expect(polarity('No complaints at all')).toBe('positive');
    expect(polarity('Nobody answered my ticket')).toBe('negative');
    expect(polarity('I do not understand my bill')).toBe('negative');
  });

  it('reads "too" as excess and a competitor before praise as against us', () => {
    expect(polarity('The price is too high')).toBe('negative');
    expect(polarity('Other providers are much cheaper')).toBe('negative');
    expect(polarity('Much cheaper than before')).toBe('positive');
  });

  it('does not take "please" for "pleased"', () => {
    expect(polarity('Please fix this')).toBe('negative');
    expect(polarity('Very pleased with the setup')).toBe('positive');
  });

  it('scores each clause on its own', () => {
    const [staff, wait] = scores('The staff were lovely but the wait was endless and frustrating');
    expect(staff).toBeGreaterThan(0);
    expect(wait).toBeLessThan(0);
  });

  it('is neutral without cues', () => {
    expect(polarity('I changed my address last month')).toBe('neutral');
  });
});
