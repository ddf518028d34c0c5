import { describe, expect, it } from 'vitest';
import { BUILTIN_CONCEPTS } from './builtin-concepts.js';
import type { ConceptDefinition } from './concept-definition.js';
import { compileConcepts, matchConcepts } from './concept-lexicon.js';
import { stemWord } from './stem.js';
import { tokenize } from './tokenize.js';

const tokensOf = (text: string) => tokenize(text).map((token) => ({ ...token, stem: stemWord(token.word) }));
const builtin = compileConcepts(BUILTIN_CONCEPTS);
const conceptsOf = (text: string): string[] => matchConcepts(tokensOf(text), builtin).map((hit) => hit.concept);
const bestOf = (text: string): string | undefined => conceptsOf(text)[0];

describe('matchConcepts on the built-in lexicon', () => {
  it('puts different wordings of one thing in one concept', () => {
    expect(bestOf('Waited over an hour on the phone to talk to someone')).toBe('support');
    expect(bestOf('Support takes forever to answer')).toBe('support');
    expect(bestOf('Nobody ever got back to me about my ticket')).toBe('support');
    expect(bestOf('I was overcharged on my invoice')).toBe('billing');
    expect(bestOf('Why am I charged twice every month?')).toBe('billing');
    expect(bestOf('My parcel never arrived')).toBe('delivery');
    expect(bestOf('The courier was three days late')).toBe('delivery');
  });

  it('matches through inflections and a word inside a phrase ("logs me out")', () => {
    expect(bestOf('The app logs me out')).toBe('digital');
    expect(conceptsOf('It keeps crashing')).toContain('digital');
    expect(bestOf('Setting it up took five minutes')).toBe('onboarding');
  });

  it('is insensitive to negation: a negated term still names its concept', () => {
    expect(bestOf('The staff were not friendly at all')).toBe('staff');
    expect(bestOf('The staff were friendly')).toBe('staff');
    expect(bestOf('Never had an outage')).toBe('network');
  });

  it('prefers a specific term to weak ones, and the first mention on a tie', () => {
    expect(bestOf('Still waiting for my refund after three weeks')).toBe('returns');
    expect(bestOf('The price is high and the app is slow')).toBe('price');
    expect(bestOf('The app is slow and the price is high')).toBe('digital');
  });

  it('weighs an afterthought in a later sentence less than the first point', () => {
    const hits = matchConcepts(tokensOf('Another outage tonight. PS: please call me back.'), builtin);
    expect(hits[0]?.concept).toBe('network');
    expect(hits.find((hit) => hit.concept === 'support')?.score).toBeLessThan(1);
  });

  it('counts a term inside a longer term once ("explanation" in "no explanation")', () => {
    const hit = matchConcepts(tokensOf('no explanation'), builtin).find((candidate) => candidate.concept === 'communication');
    expect(hit?.score).toBe(1);
  });

  it('does not read framing as content ("to be honest" is not about trust)', () => {
    const tokens = tokensOf('To be honest the bill is wrong').map((token, i) => (i < 3 ? { ...token, stem: null } : token));
    expect(matchConcepts(tokens, builtin).map((hit) => hit.concept)).toEqual(['billing']);
  });

  it('finds nothing in a comment on no known topic', () => {
    expect(conceptsOf('The showers are cold')).toEqual([]);
  });
});

describe('the built-in lexicon', () => {
  it('has general concepts, each linked to an area, with distinct keys', () => {
    const keys = BUILTIN_CONCEPTS.map((concept) => concept.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThanOrEqual(15);
    for (const concept of BUILTIN_CONCEPTS) {
      expect(concept.area, concept.key).toMatch(/^[a-z_]+$/);
      expect(concept.terms.length, concept.key).toBeGreaterThanOrEqual(8);
    }
    const terms = BUILTIN_CONCEPTS.reduce((sum, concept) => sum + concept.terms.length + concept.weakTerms.length, 0);
    expect(terms).toBeGreaterThan(300);
  });

  it('has no term a stem collision makes match a stopword', () => {
    const compiled = compileConcepts(BUILTIN_CONCEPTS);
    const hits = matchConcepts(tokensOf('i am the one who is not here and it was there for you but'), compiled);
    expect(hits).toEqual([]);
  });

  it('compiles a custom concept the same way', () => {
    const parking: ConceptDefinition = { key: 'parking', label: 'Parking', area: 'store', terms: ['car park', 'parking'], weakTerms: [] };
    const hits = matchConcepts(tokensOf('The car parks are always full'), compileConcepts([parking]));
    expect(hits.map((hit) => [hit.concept, hit.score])).toEqual([['parking', 1]]);
  });
});
