import { describe, expect, it } from 'vitest';
import { extractThemes } from './extract-themes.js';

// A gym's comments: a dozen about cold showers, in different words, which no
// built-in concept covers, among comments on known topics.
const SHOWERS = [
  'The showers in the changing area are always cold.',
  'Cold showers again this morning, three weeks now.',
  'Please fix the hot water in the showers.',
  'No hot water in the mens showers after 7am.',
  'Showers are freezing, I now wash at home.',
  'Half the showers are out of order and the rest are lukewarm.',
  'Shower pressure is a trickle and the water is cold.',
  'Can you get the showers sorted? Cold water every day.',
  'Love the classes but the showers are never warm.',
  'The water in the showers never gets hot.',
  'Lukewarm showers after a workout are grim.',
  'Freezing cold water in the ladies showers.',
];
const OTHERS = [
  'The staff at reception are always friendly.',
  'Membership fee went up again, too expensive.',
  'The app keeps crashing when I book a class.',
  'Great value for money.',
  'Instructors are knowledgeable and patient.',
  'Booking app is buggy and logs me out.',
  'Price is too high for what you get.',
  'Friendly helpful team.',
  'The website is hard to use.',
  'Way overpriced for a gym with one running machine.',
];
const comments = [...SHOWERS.map((text, i) => ({ id: `shower-${i}`, text })), ...OTHERS.map((text, i) => ({ id: `other-${i}`, text }))];

describe('discovery of emerging themes', () => {
  it('finds an unconfigured theme, labels it by its phrase, and keeps known topics in their concepts', () => {
    const result = extractThemes(comments);
    const discovered = result.themes.filter((theme) => theme.source === 'discovered');
    expect(discovered).toHaveLength(1);
    const [showers] = discovered;
    expect(showers?.label).toBe('Showers');
    expect(showers?.key).toBe('discovered.showers');
    expect(showers?.area).toBeNull();
    expect(showers?.concept).toBeNull();
    const members = [...result.assignments].filter(([, assignment]) => assignment.primary === showers?.key).map(([id]) => id);
    expect(members.filter((id) => id.startsWith('shower-')).length).toBeGreaterThanOrEqual(11);
    expect(members.filter((id) => id.startsWith('other-'))).toEqual([]);
    expect(showers?.topPhrases.map((phrase) => phrase.phrase)).toEqual(expect.arrayContaining(['showers', 'cold water']));
    expect(showers?.samples.length).toBe(5);
    expect(result.assignments.get('other-1')?.primary).toBe('price.negative');
  });

  it('finds the same themes, samples and assignments whatever the order of the comments', () => {
    const reversed = extractThemes([...comments].reverse());
    const interleaved = extractThemes(comments.map((_, i) => comments[(i * 7) % comments.length] ?? comments[0]!));
    const original = extractThemes(comments);
    expect(reversed).toEqual(original);
    expect(interleaved).toEqual(original);
    expect(JSON.stringify([...reversed.assignments])).toBe(JSON.stringify([...original.assignments]));
  });

  it('finds nothing when discovery is off, leaving those comments unassigned', () => {
    const result = extractThemes(comments, { discover: false });
    expect(result.themes.every((theme) => theme.source === 'concept')).toBe(true);
    expect(result.assignments.get('shower-0')?.status).toBe('unassigned');
  });

  it('does not turn a wording of a known concept into an emerging theme', () => {
    const staff = Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, text: `Great people in the shop${'!'.repeat(i)}` }));
    const result = extractThemes([...staff, ...comments]);
    expect(result.themes.some((theme) => theme.label === 'Great people')).toBe(false);
    expect(result.assignments.get('p0')?.primary).toMatch(/^staff/);
  });

  it('needs a phrase shared by at least minThemeSize comments', () => {
    const result = extractThemes(comments, { minThemeSize: 13 });
    expect(result.themes.filter((theme) => theme.source === 'discovered')).toEqual([]);
  });
});
