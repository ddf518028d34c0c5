import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vaderEmojiLexicon, vaderLexicon } from './lexicon.js';
import { polarityScores, scoreText } from './polarity-scores.js';
import type { PolarityScores } from './polarity-scores.js';
import { scoreValence } from './score.js';

const TOLERANCE = 0.001;

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** The README CSV: sentence (quoted when it holds commas), compound, pos, neu, neg. */
function readmeRows(): { sentence: string; expected: PolarityScores }[] {
  return fixture('readme_examples.csv').trim().split('\n').slice(1).map((line) => {
    const match = /^(?:"((?:[^"]|"")*)"|([^,]*)),([^,]+),([^,]+),([^,]+),([^,]+)$/.exec(line);
    if (match === null) throw new Error(`unreadable row ${line}`);
    const sentence = (match[1] ?? match[2] ?? '').replace(/""/g, '"');
    return { sentence, expected: { compound: Number(match[3]), pos: Number(match[4]), neu: Number(match[5]), neg: Number(match[6]) } };
  });
}

function expectClose(actual: PolarityScores, expected: PolarityScores): void {
  for (const key of ['compound', 'pos', 'neu', 'neg'] as const) {
    expect(Math.abs(actual[key] - expected[key]), `${key}: ${actual[key]} vs ${expected[key]}`).toBeLessThanOrEqual(TOLERANCE);
  }
}

// The README prints this row as computed before 3.3.2 (see fixtures/SOURCE.md).
const STALE_README_ROW = "At least it isn't a horrible book.";

describe('the README examples (fixtures/readme_examples.csv)', () => {
  const rows = readmeRows();

  it('has the 15 published rows', () => {
    expect(rows).toHaveLength(15);
  });

  it.each(rows.filter((row) => row.sentence !== STALE_README_ROW))('$sentence', ({ sentence, expected }) => {
    expectClose(polarityScores(sentence), expected);
  });

  it(`${STALE_README_ROW}: compound as published; pos/neu as 3.3.2 computes them`, () => {
    const row = rows.find((r) => r.sentence === STALE_README_ROW);
    const actual = polarityScores(STALE_README_ROW);
    expect(Math.abs(actual.compound - (row?.expected.compound ?? NaN))).toBeLessThanOrEqual(TOLERANCE);
    // "horrible" -2.5 negated by "isn't" two words back: -2.5 * -0.74 = 1.85, the only
    // non-zero of 7 tokens. pos = (1.85 + 1) / (2.85 + 6) = 0.322, neu = 6 / 8.85 = 0.678.
    expect(actual).toEqual({ neg: 0, neu: 0.678, pos: 0.322, compound: 0.431 });
    // The README's 0.363 / 0.637 is the same sentence with the one-letter "a" dropped, as the
    // tokeniser before 3.3 did: 2.85 / (2.85 + 5) = 0.363.
    expect(scoreValence([0, 0, 0, 0, 1.85, 0], STALE_README_ROW)).toEqual({ neg: 0, neu: 0.637, pos: 0.363, compound: 0.431 });
  });
});

describe("the README's emoji example (fixtures/readme-more.tsv)", () => {
  const [header, line] = fixture('readme-more.tsv').trim().split('\n');
  const [sentence = '', compound, pos, neu, neg] = (line ?? '').split('\t');
  const published = { compound: Number(compound), pos: Number(pos), neu: Number(neu), neg: Number(neg) };

  it('is read as published', () => {
    expect(header).toBe('sentence\tcompound\tpos\tneu\tneg');
    expect(sentence).toContain('💘');
  });

  it('scores 3.3.2\'s 0.875: 💘 -> "heart with arrow" (heart 3.2), 💋 -> "kiss mark" (kiss 1.8), 😁 -> "... smiling eyes" (smiling 2.0)', () => {
    // 7 = 3.2 + 1.8 + 2.0; 7 / sqrt(49 + 15) = 0.875. 17 tokens, 3 of them scored:
    // pos = (4.2 + 2.8 + 3) / (10 + 14) = 0.417.
    expect(polarityScores(sentence)).toEqual({ neg: 0, neu: 0.583, pos: 0.417, compound: 0.875 });
  });

  it('gives the README\'s published numbers when "heart" is taken out of the lexicon, as it was before 3.3', () => {
    // 3.8 / sqrt(3.8^2 + 15) = 0.7003; pos = (2.8 + 3) / (5.8 + 15) = 0.279.
    const withoutHeart = new Map(vaderLexicon());
    withoutHeart.delete('heart');
    expectClose(scoreText(sentence, withoutHeart, vaderEmojiLexicon()).scores, published);
  });
});

describe('outputs of Python vaderSentiment 3.3.2 published elsewhere (fixtures/published-3.3.2.tsv)', () => {
  const rows = fixture('published-3.3.2.tsv').trim().split('\n').slice(1).map((line) => {
    const [id = '', neg, neu, pos, compound, sentence = ''] = line.split('\t');
    return { id, sentence, expected: { neg: Number(neg), neu: Number(neu), pos: Number(pos), compound: Number(compound) } };
  });

  it('has 20 rows', () => {
    expect(rows).toHaveLength(20);
  });

  it.each(rows)('$id', ({ sentence, expected }) => {
    expectClose(polarityScores(sentence), expected);
  });
});

describe('edge cases derived by hand', () => {
  it('scores the empty string as all zeros, as the reference does when no token is left', () => {
    expect(polarityScores('')).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
    expect(polarityScores(' \t\n ')).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0 });
  });

  it('scores a sentence without a lexicon word as entirely neutral', () => {
    // Five tokens, all valence 0: sum 0, compound 0 / sqrt(15) = 0, neu = 5 / 5.
    expect(polarityScores('The table is made of wood.')).toEqual({ neg: 0, neu: 1, pos: 0, compound: 0 });
  });

  it('keeps the emphasis of "!" out of neutral text: the amplifier only moves a non-zero sum', () => {
    expect(polarityScores('The table is made of wood!!!').compound).toBe(0);
  });
});
