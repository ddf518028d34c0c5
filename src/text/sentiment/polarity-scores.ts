import { vaderEmojiLexicon, vaderLexicon } from './lexicon.js';
import { BOOSTER_DICT } from './rules.js';
import { butCheck, scoreValence } from './score.js';
import type { PolarityScores } from './score.js';
import { allCapDifferential, replaceEmoji, wordsAndEmoticons } from './senti-text.js';
import { tokenValence } from './valence.js';

export type { PolarityScores } from './score.js';

/**
 * VADER 3.3.2's SentimentIntensityAnalyzer.polarity_scores (Hutto & Gilbert,
 * ICWSM 2014; MIT licence), ported rule for rule: emoji become their
 * descriptions, every token gets its lexicon valence adjusted for degree
 * words, ALL CAPS, negation, idioms, "least" and "but", then the sum is
 * normalised with punctuation emphasis. Scores match the Python reference's
 * outputs to its own rounding (compound 4 places, proportions 3).
 *
 * English only: detect the language first (see ../language) and do not score
 * text in another language.
 *
 * @example
 * polarityScores('The book was good.')
 * // { neg: 0, neu: 0.508, pos: 0.492, compound: 0.4404 }
 */
export function polarityScores(text: string): PolarityScores {
  return scoreText(text, vaderLexicon(), vaderEmojiLexicon()).scores;
}

/** What polarity_scores computes on the way, for tests and explanations. */
export interface ScoredText {
  /** The text with emoji replaced and stripped; punctuation emphasis counts on it. */
  plain: string;
  /** words_and_emoticons. */
  words: string[];
  /** One valence per word, after the "but" reweighting. */
  sentiments: number[];
  scores: PolarityScores;
}

/** polarity_scores with the lexicons passed in (the reference's own lexicons in production). */
export function scoreText(text: string, lexicon: ReadonlyMap<string, number>, emoji: ReadonlyMap<string, string>): ScoredText {
  const plain = replaceEmoji(text, emoji);
  const words = wordsAndEmoticons(plain);
  const lower = words.map((word) => word.toLowerCase());
  const sentence = { words, lower, isCapDiff: allCapDifferential(words), lexicon };

  const valences: number[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const itemLower = lower[i] ?? '';
    // Degree words and the "kind" of "kind of" modify their neighbour and score 0 themselves.
    if (BOOSTER_DICT.has(itemLower) || (i < words.length - 1 && itemLower === 'kind' && lower[i + 1] === 'of')) {
      valences.push(0);
      continue;
    }
    valences.push(tokenValence(sentence, i));
  }
  const sentiments = butCheck(lower, valences);
  return { plain, words, sentiments, scores: scoreValence(sentiments, plain) };
}
