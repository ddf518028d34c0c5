import { pythonCountChar } from './python-string.js';
import { pythonRound } from './python-round.js';
import { ALPHA } from './rules.js';

/** VADER's four numbers: proportions of the text that are negative, neutral, positive, and the normalised compound in [-1, 1]. */
export interface PolarityScores {
  neg: number;
  neu: number;
  pos: number;
  compound: number;
}

/**
 * _but_check: sentiments before the first "but" are halved, those after it
 * weighted 1.5. The reference finds each sentiment's position with
 * `sentiments.index(value)`, i.e. the first equal value, so a repeated valence
 * can be reweighted twice while its twin is skipped. That quirk changes
 * published outputs (e.g. vadersharp's NYT 296_3 note), so it is kept.
 */
export function butCheck(lowerWords: readonly string[], sentiments: number[]): number[] {
  const bi = lowerWords.indexOf('but');
  if (bi === -1) return sentiments;
  for (let k = 0; k < sentiments.length; k += 1) {
    const sentiment = sentiments[k] ?? 0;
    const si = sentiments.indexOf(sentiment);
    if (si < bi) sentiments[si] = sentiment * 0.5;
    else if (si > bi) sentiments[si] = sentiment * 1.5;
  }
  return sentiments;
}

/** normalize: s / sqrt(s^2 + alpha), clamped to [-1, 1]. */
export function normalize(score: number, alpha: number = ALPHA): number {
  const normScore = score / Math.sqrt(score * score + alpha);
  if (normScore < -1.0) return -1.0;
  if (normScore > 1.0) return 1.0;
  return normScore;
}

/** _punctuation_emphasis: 0.292 per "!" up to 4; 0.18 per "?" when 2 or 3, 0.96 from 4 on. */
export function punctuationEmphasis(text: string): number {
  const exclamations = Math.min(pythonCountChar(text, '!'), 4);
  const exclamationAmplifier = exclamations * 0.292;
  const questions = pythonCountChar(text, '?');
  let questionAmplifier = 0;
  if (questions > 1) questionAmplifier = questions <= 3 ? questions * 0.18 : 0.96;
  return exclamationAmplifier + questionAmplifier;
}

/**
 * score_valence: the compound from the summed valences plus punctuation
 * emphasis, and the positive / negative / neutral proportions, where each
 * sentiment counts its valence plus one and the punctuation amplifier goes to
 * the dominant side. Rounded as 3.3.2 rounds: compound to 4 places,
 * proportions to 3, with Python's round().
 */
export function scoreValence(sentiments: readonly number[], text: string): PolarityScores {
  if (sentiments.length === 0) return { neg: 0.0, neu: 0.0, pos: 0.0, compound: 0.0 };
  // Left-to-right summation, as Python's sum() did before 3.12 added
  // compensated float summation.
  let sum = 0;
  for (const sentiment of sentiments) sum += sentiment;
  const amplifier = punctuationEmphasis(text);
  if (sum > 0) sum += amplifier;
  else if (sum < 0) sum -= amplifier;
  const compound = normalize(sum);

  let posSum = 0.0;
  let negSum = 0.0;
  let neuCount = 0;
  for (const score of sentiments) {
    if (score > 0) posSum += score + 1;
    if (score < 0) negSum += score - 1;
    if (score === 0) neuCount += 1;
  }
  if (posSum > Math.abs(negSum)) posSum += amplifier;
  else if (posSum < Math.abs(negSum)) negSum -= amplifier;

  const total = posSum + Math.abs(negSum) + neuCount;
  return {
    neg: pythonRound(Math.abs(negSum / total), 3),
    neu: pythonRound(Math.abs(neuCount / total), 3),
    pos: pythonRound(Math.abs(posSum / total), 3),
    compound: pythonRound(compound, 4),
  };
}
