import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { Rng } from '../../simulate/random.js';
import { extractThemes } from './extract-themes.js';
import type { ThemeComment } from './theme-types.js';

const COMMENTS: ThemeComment[] = [
  { id: 'a1', text: 'Waited over an hour on the phone to talk to someone.' },
  { id: 'a2', text: 'Support takes forever to answer, I gave up.' },
  { id: 'a3', text: 'Nobody answered my ticket for days.' },
  { id: 'a4', text: 'On hold for 40 minutes, again.' },
  { id: 'b1', text: 'I was overcharged on my last invoice.' },
  { id: 'b2', text: 'Charged twice this month and nobody can explain why.' },
  { id: 'b3', text: 'Hidden fees all over my bill.' },
  { id: 'c1', text: 'The staff were lovely and so helpful.' },
  { id: 'c2', text: 'Friendly, patient agent, thank you.' },
  { id: 'c3', text: 'Really kind team at the branch.' },
  { id: 'c4', text: 'The staff were rude and dismissive.' },
  { id: 'c5', text: 'Unhelpful staff, nobody knew anything.' },
  { id: 'c6', text: 'Rude agent hung up on me.' },
  { id: 'x1', text: 'El servicio al cliente es muy lento.', language: 'es' },
  { id: 'x2', text: 'Le service client est beaucoup trop lent.', language: 'fr-FR' },
  { id: 'x3', text: 'Esperé más de una hora para hablar con alguien del soporte.', language: 'EN' },
  { id: 'x4', text: '   ' },
];

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = Rng.fromSeed(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('extractThemes', () => {
  const result = extractThemes(COMMENTS);

  it('groups different wordings of one thing, and splits a concept into complaints and praise', () => {
    const primary = (id: string) => result.assignments.get(id)?.primary;
    expect(['a1', 'a2', 'a3', 'a4'].map(primary)).toEqual(Array(4).fill('support.negative'));
    expect(['b1', 'b2', 'b3'].map(primary)).toEqual(Array(3).fill('billing.negative'));
    expect(['c1', 'c2', 'c3'].map(primary)).toEqual(Array(3).fill('staff.positive'));
    expect(['c4', 'c5', 'c6'].map(primary)).toEqual(Array(3).fill('staff.negative'));
    const staff = result.themes.filter((theme) => theme.concept === 'staff').map((theme) => [theme.key, theme.label, theme.polarity, theme.area]);
    expect(staff).toEqual([
      ['staff.negative', 'Rude or unhelpful staff', 'negative', 'staff'],
      ['staff.positive', 'Friendly, helpful staff', 'positive', 'staff'],
    ]);
  });

  it('skips comments in other languages, and English-tagged comments that are not English, and counts them', () => {
    expect(result.skippedNotEnglish).toBe(3);
    expect(result.taggedEnglishButNot).toBe(1);
    expect(result.english).toBe(14);
    for (const id of ['x1', 'x2', 'x3']) expect(result.assignments.get(id)).toEqual({ primary: null, secondary: [], status: 'not_english' });
  });

  it('accounts for every comment: assigned, unassigned (the blank one) or not English', () => {
    expect([...result.assignments.keys()]).toEqual([...COMMENTS.map((comment) => comment.id)].sort());
    expect(result.assignments.get('x4')?.status).toBe('unassigned');
    expect(result.unassigned).toBe(1);
    const sizes = result.themes.reduce((sum, theme) => sum + theme.size, 0);
    expect(sizes + result.unassigned + result.skippedNotEnglish).toBe(COMMENTS.length);
  });

  it('lists the other themes a comment names as secondary', () => {
    const both = extractThemes([...COMMENTS, { id: 'd1', text: 'The staff were lovely but I was on hold for an hour first.' }]);
    expect(both.assignments.get('d1')).toEqual({ primary: 'staff.positive', secondary: ['support.negative'], status: 'assigned' });
    const support = both.themes.find((theme) => theme.key === 'support.negative');
    expect(support?.mentions).toBe((support?.size ?? 0) + 1);
  });

  it('gives the same result whatever the order of the comments', () => {
    const again = extractThemes(shuffled(COMMENTS, 3));
    expect(again).toEqual(result);
    expect(JSON.stringify([...again.assignments])).toBe(JSON.stringify([...result.assignments]));
  });

  it('takes cxray.yaml comment_themes: a new concept, a relabelled one, a dropped one', () => {
    const parking = [
      { id: 'p1', text: 'Never any parking near the store, terrible' },
      { id: 'p2', text: 'The car park is always full, so annoying.' },
      { id: 'p3', text: 'Parking is a nightmare' },
    ];
    const configured = extractThemes([...COMMENTS, ...parking], {
      concepts: {
        parking: { label: 'Parking', area: 'access', terms: ['parking', 'car park'], negative_label: 'Nowhere to park' },
        staff: { label: 'Our people', area: 'people', terms: ['dismissive'] },
        billing: { enabled: false },
      },
    });
    expect(configured.assignments.get('p2')?.primary).toBe('parking.negative');
    const theme = configured.themes.find((candidate) => candidate.concept === 'parking');
    expect([theme?.label, theme?.area, theme?.size]).toEqual(['Nowhere to park', 'access', 3]);
    const people = configured.themes.find((candidate) => candidate.key === 'staff.positive');
    expect([people?.label, people?.area]).toEqual(['Our people: praise', 'people']);
    expect(configured.themes.some((candidate) => candidate.concept === 'billing')).toBe(false);
  });

  it('drops themes below minThemeSize (their comments go to their next theme or none) and keeps maxThemes', () => {
    const strict = extractThemes(COMMENTS, { minThemeSize: 4 });
    // Billing (3) is dropped; staff's complaints (3) and praise (3) are each too small, so staff stays whole.
    expect(strict.themes.map((theme) => [theme.key, theme.size, theme.polarity])).toEqual([['staff', 6, 'mixed'], ['support.negative', 4, 'negative']]);
    expect(strict.assignments.get('b1')?.status).toBe('unassigned');
    const capped = extractThemes(COMMENTS, { maxThemes: 1 });
    expect(capped.themes.map((theme) => theme.key)).toEqual(['support.negative']);
    expect(capped.assignments.get('b1')).toEqual({ primary: null, secondary: [], status: 'unassigned' });
  });

  it('uses the caller\'s sentiment when the words show no polarity', () => {
    const plain = ['My bill came in the post', 'The bill arrived today', 'About my monthly bill'].map((text, i) => ({ id: `n${i}`, text }));
    expect(extractThemes(plain).themes.map((theme) => theme.key)).toEqual(['billing.neutral']);
    const scored = plain.map((comment) => ({ ...comment, sentiment: -0.6 }));
    expect(extractThemes(scored).themes.map((theme) => theme.key)).toEqual(['billing.negative']);
  });

  it('rejects duplicate ids and bad options with a UserError', () => {
    expect(() => extractThemes([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }])).toThrow(UserError);
    expect(() => extractThemes(COMMENTS, { minThemeSize: 0 })).toThrow(UserError);
    expect(() => extractThemes(COMMENTS, { similarityThreshold: 1.5 })).toThrow(UserError);
  });

  it('returns nothing for no comments', () => {
    expect(extractThemes([])).toMatchObject({ themes: [], english: 0, unassigned: 0, skippedNotEnglish: 0 });
  });
});
