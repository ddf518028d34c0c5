import { describe, expect, it } from 'vitest';
import { deletions, withinOneEdit } from './edit-distance.js';
import { repairWords, SpellingCorrector } from './spelling.js';

describe('withinOneEdit', () => {
  it('accepts one insertion, deletion, substitution or adjacent swap', () => {
    expect(withinOneEdit('charges', 'chargse')).toBe(true);
    expect(withinOneEdit('charges', 'chages')).toBe(true);
    expect(withinOneEdit('charges', 'chargges')).toBe(true);
    expect(withinOneEdit('charges', 'charget')).toBe(true);
    expect(withinOneEdit('charges', 'charges')).toBe(true);
  });

  it('rejects two edits', () => {
    expect(withinOneEdit('charges', 'chrgse')).toBe(false);
    expect(withinOneEdit('charges', 'charg')).toBe(false);
    expect(withinOneEdit('abcd', 'badc')).toBe(false);
  });

  it('lists the one-deletion variants', () => {
    expect(deletions('abc')).toEqual(['bc', 'ac', 'ab']);
  });
});

describe('SpellingCorrector', () => {
  const counts = new Map([['outage', 40], ['outgae', 1], ['signal', 30], ['charges', 25], ['saying', 1], ['the', 80], ['is', 60], ['bill', 50], ['price', 20]]);
  const corrector = new SpellingCorrector(counts, new Set(['paying', 'the', 'is', 'store', 'expensive', 'price']));

  it('corrects a rare word to a frequent one an edit away', () => {
    expect(corrector.correct('outgae')).toBe('outage');
    expect(corrector.correct('signall')).toBe('signal');
    expect(corrector.correct('xpensive')).toBe('expensive');
    expect(corrector.correct('pric')).toBe('price');
  });

  it('leaves known words, short words, numbers and real inflections alone', () => {
    expect(corrector.correct('outage')).toBe('outage');
    expect(corrector.correct('bil')).toBe('bil');
    expect(corrector.correct('12345')).toBe('12345');
    expect(corrector.correct('billing')).toBe('billing');
  });

  it('does not change a first letter, nor correct a short word on the dictionary alone', () => {
    expect(corrector.correct('saying')).toBe('saying');
    expect(corrector.correct('stole')).toBe('stole');
  });

  it('re-spaces words run together or split by a slipped space', () => {
    expect(repairWords(['the', 'billis', 'high'], corrector, [false, false, false])).toEqual([['the'], ['bill', 'is'], ['high']]);
    expect(repairWords(['bil', 'lis', 'high'], corrector, [false, false, false])).toEqual([['bill'], ['is'], ['high']]);
  });

  it('does not join words across punctuation', () => {
    expect(repairWords(['bil', 'lis'], corrector, [false, true])).toEqual([['bil'], ['lis']]);
  });
});
