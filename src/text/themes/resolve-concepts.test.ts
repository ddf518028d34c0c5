import { describe, expect, it } from 'vitest';
import { CxrayError, UserError } from '../../errors.js';
import { BUILTIN_CONCEPTS } from './builtin-concepts.js';
import { resolveConcepts } from './resolve-concepts.js';

describe('resolveConcepts', () => {
  it('returns the built-in lexicon sorted by key when nothing is configured', () => {
    const keys = resolveConcepts().map((concept) => concept.key);
    expect(keys).toEqual(BUILTIN_CONCEPTS.map((concept) => concept.key).sort());
  });

  it('adds a new concept with its label, area and terms', () => {
    const parking = resolveConcepts({ parking: { label: 'Parking', area: 'store', terms: ['parking', 'car park'] } }).find((c) => c.key === 'parking');
    expect(parking).toEqual({ key: 'parking', label: 'Parking', area: 'store', terms: ['parking', 'car park'], weakTerms: [] });
  });

  it('extends a built-in concept, or replaces its terms, or drops it', () => {
    const builtInBilling = BUILTIN_CONCEPTS.find((c) => c.key === 'billing');
    const extended = resolveConcepts({ billing: { terms: ['statement fee'] } }).find((c) => c.key === 'billing');
    expect(extended?.terms).toEqual([...(builtInBilling?.terms ?? []), 'statement fee']);
    expect(extended?.negativeLabel).toBe(builtInBilling?.negativeLabel);
    const replaced = resolveConcepts({ billing: { terms: ['statement fee'], replace: true } }).find((c) => c.key === 'billing');
    expect(replaced?.terms).toEqual(['statement fee']);
    expect(replaced?.weakTerms).toEqual([]);
    expect(resolveConcepts({ network: { enabled: false } }).some((c) => c.key === 'network')).toBe(false);
  });

  it('relinks a concept to another area and relabels it (dropping the stale built-in facet labels)', () => {
    const store = resolveConcepts({ store: { label: 'Branches', area: 'branch_network' } }).find((c) => c.key === 'store');
    expect(store?.label).toBe('Branches');
    expect(store?.area).toBe('branch_network');
    expect(store?.negativeLabel).toBeUndefined();
    const unlinked = resolveConcepts({ store: { area: null } }).find((c) => c.key === 'store');
    expect(unlinked?.area).toBeNull();
  });

  it('rejects a new concept without terms, a stopword term and a bad key, with a hint', () => {
    const attempts = [
      () => resolveConcepts({ parking: { label: 'Parking' } }),
      () => resolveConcepts({ parking: { terms: ['the'] } }),
      () => resolveConcepts({ parking: { terms: ['  '] } }),
      () => resolveConcepts({ 'Car Park': { terms: ['parking'] } }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UserError);
      expect((caught as CxrayError).code).toBe('comment_themes_invalid');
      expect((caught as CxrayError).hint).toMatch(/\w/);
    }
  });

  it('accepts a stopword inside a longer term ("on hold")', () => {
    expect(() => resolveConcepts({ waiting: { terms: ['on hold', 'too long'] } })).not.toThrow();
  });
});
