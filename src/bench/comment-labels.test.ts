import { describe, expect, it } from 'vitest';
import { commentLabels } from './comment-labels.js';

describe('commentLabels: the text layer for the pandas reference', () => {
  it('reads each comment: the detected language (und when too short) and VADER 3.3.2 compound', () => {
    const answer = commentLabels({
      step: 'read',
      comments: [
        { id: 'a', text: 'VADER is smart, handsome, and funny.' },
        { id: 'b', text: 'Le réseau tombe en panne presque chaque semaine.' },
        { id: 'c', text: 'ok' },
      ],
    });
    if (answer.step !== 'read') throw new Error('not a read answer');
    // The published example's compound (vaderSentiment 3.3.2 README): 0.8316.
    expect(answer.labels).toEqual([
      { id: 'a', language: 'en', compound: 0.8316 },
      { id: 'b', language: 'fr', compound: expect.any(Number) as number },
      { id: 'c', language: 'und', compound: expect.any(Number) as number },
    ]);
  });

  it('themes the comments given, with each theme and every comment assignment', () => {
    const texts = ['Support takes forever to answer.', 'Nobody answered my ticket for days.', 'Long hold times every time I call support.', 'Great coverage and strong signal.'];
    const answer = commentLabels({ step: 'themes', comments: texts.map((text, i) => ({ id: `r${i}`, text, sentiment: i === 3 ? 0.8 : -0.5 })), concepts: { support: { area: 'help_desk' } } });
    if (answer.step !== 'themes') throw new Error('not a themes answer');
    expect(answer.min_theme_size).toBe(3);
    expect(answer.assignments.map((a) => a.id)).toEqual(['r0', 'r1', 'r2', 'r3']);
    const support = answer.themes.find((t) => t.key === 'support.negative');
    expect(support).toMatchObject({ source: 'concept', concept: 'support', area: 'help_desk', polarity: 'negative' });
    expect(answer.assignments.filter((a) => a.primary === 'support.negative').map((a) => a.id)).toEqual(['r0', 'r1', 'r2']);
  });

  it('refuses a request it does not know', () => {
    expect(() => commentLabels({ step: 'read', comments: [{ id: 'a' }] } as never)).toThrow();
  });
});
