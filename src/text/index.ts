/**
 * The text layer of the `comments` analysis: VADER 3.3.2 sentiment for
 * English comments, and the language check that decides which comments get
 * scored. Comments in another language are reported as such, never scored
 * with the English lexicon.
 *
 * @example
 * if (isEnglish(comment)) score = polarityScores(comment).compound;
 * else otherLanguage = detectLanguage(comment).language;
 */
export { polarityScores } from './sentiment/polarity-scores.js';
export type { PolarityScores } from './sentiment/polarity-scores.js';
export { detectLanguage, isEnglish } from './language/detect-language.js';
export type { LanguageGuess } from './language/detect-language.js';
export type { DetectedLanguage } from './language/vocabulary.js';
