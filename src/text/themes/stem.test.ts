import { describe, expect, it } from 'vitest';
import { stemWord } from './stem.js';

describe('stemWord', () => {
  it('gives inflections of a word one stem (Porter)', () => {
    expect(new Set(['crash', 'crashes', 'crashed', 'crashing'].map(stemWord))).toEqual(new Set(['crash']));
    expect(new Set(['charge', 'charges', 'charged', 'charging'].map(stemWord))).toEqual(new Set(['charg']));
    expect(stemWord('disconnecting')).toBe(stemWord('disconnected'));
  });

  it('keeps -ful and -ely adjectives apart from their roots', () => {
    expect(stemWord('helpful')).not.toBe(stemWord('help'));
    expect(stemWord('helpfully')).toBe(stemWord('helpful'));
    expect(stemWord('lovely')).not.toBe(stemWord('love'));
    expect(stemWord('timely')).not.toBe(stemWord('time'));
  });

  it('keeps "customer" apart from "customize"', () => {
    expect(stemWord('customers')).toBe('customer');
    expect(stemWord('customize')).not.toBe('customer');
  });

  it('leaves short words and words with digits as they are', () => {
    expect(stemWord('5g')).toBe('5g');
    expect(stemWord('as')).toBe('as');
  });
});
