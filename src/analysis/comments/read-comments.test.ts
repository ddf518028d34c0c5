import { describe, expect, it } from 'vitest';
import { simulatedComments } from '../../text/themes/simulated-comments.case.js';
import type { CommentRow } from './comment-rows.js';
import { inThemeSample, readComments } from './read-comments.js';

function rows(count: number): CommentRow[] {
  return simulatedComments(11, count).map((c, k) => ({ id: c.id, text: c.text, nps: k % 11, csat: null, at: 1_735_689_600 + 3600 * k }));
}

describe('readComments', () => {
  it('leaves blank and hashed comments out, and counts the rest by detected language', () => {
    const input = [...rows(40), { id: 'b1', text: '   ', nps: null, csat: null, at: 0 }, { id: 'h1', text: `h:${'ab'.repeat(16)}`, nps: null, csat: null, at: 0 }];
    const set = readComments(input, {});
    expect([set.blank, set.hashed, set.total]).toEqual([1, 1, 40]);
    expect(set.languages.reduce((s, l) => s + l.comments, 0)).toBe(40);
    expect(set.english.length).toBe(set.languages.find((l) => l.language === 'en')?.comments);
    expect([set.sampled, set.themed]).toEqual([false, set.english.length]);
  });

  it('reads themes on a fixed sample above the sample size, whatever order the comments come in; sentiment on every comment', () => {
    const input = rows(300);
    const set = readComments(input, {}, { themeSampleSize: 120 });
    expect([set.sampled, set.themed, set.extraction.english]).toEqual([true, 120, 120]);
    expect(set.english.filter((c) => !c.themed).every((c) => c.themes.length === 0 && c.primary === null)).toBe(true);
    expect(set.english.length).toBeGreaterThan(250);
    const shuffled = [...input].reverse();
    expect(inThemeSample(shuffled, 120)).toEqual(inThemeSample(input, 120));
    const again = readComments(shuffled, {}, { themeSampleSize: 120 });
    expect(again.english.filter((c) => c.themed).map((c) => [c.row.id, c.primary]).sort()).toEqual(set.english.filter((c) => c.themed).map((c) => [c.row.id, c.primary]).sort());
  });
});
