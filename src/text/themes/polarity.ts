import type { MatchToken } from './phrase-matcher.js';
import { PhraseMatcher, phraseStems } from './phrase-matcher.js';
import { COMPETITOR_WORDS, POLARITY_CUES } from './polarity-cues.js';
import { NEGATORS } from './stopwords.js';

/** Praise, complaint, or neither said clearly. */
export type Polarity = 'negative' | 'positive' | 'neutral';

/** A word of a comment for the polarity step: its stem (null when masked), clause, and the word itself. */
export interface PolarityToken extends MatchToken {
  word: string;
}

/** How far a negator reaches (VADER looks three words back; this looks three words ahead). */
const NEGATION_REACH = 3;
/** A negated cue counts this much, reversed (VADER's N_SCALAR). */
const NEGATION_SCALE = -0.74;
/** A negator with no cue in reach ("can not log in", "nobody answered") leans negative. */
const BARE_NEGATION = -0.5;
/** "too" before a word ("too long", "way too much") is a complaint. */
const EXCESS = -0.5;

const cueMatcher = new PhraseMatcher(POLARITY_CUES.map(([cue, weight]) => ({ stems: phraseStems(cue), payload: weight })));
const competitors = new Set(COMPETITOR_WORDS);

/** Every word the cues are written with, for the spelling corrector's dictionary. */
export const CUE_WORDS: ReadonlySet<string> = new Set(POLARITY_CUES.flatMap(([cue]) => cue.split(/\s+/)));

/**
 * The polarity score of each clause of a comment: the sum of its cues, a
 * negator reversing the next cue within three words ("never drops", "not
 * happy", "no complaints"), "too" marking excess, and a competitor named
 * before a positive cue turning it against us ("others are much cheaper").
 */
export function clauseScores(tokens: readonly PolarityToken[]): number[] {
  const clauseCount = tokens.reduce((max, token) => Math.max(max, token.clause + 1), 0);
  const scores = new Array<number>(clauseCount).fill(0);
  const matches = cueMatcher
    .match(tokens)
    .sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const covered = new Array<boolean>(tokens.length).fill(false);
  const cueAt = new Map<number, { end: number; weight: number }>();
  for (const match of matches) {
    let free = true;
    for (let i = match.start; i <= match.end; i += 1) if (covered[i] === true) free = false;
    if (!free) continue;
    for (let i = match.start; i <= match.end; i += 1) covered[i] = true;
    cueAt.set(match.start, { end: match.end, weight: match.payload });
  }
  const negated = new Set<number>();
  tokens.forEach((token, i) => {
    if (token.stem === null || covered[i] === true) return;
    if (NEGATORS.has(token.word)) {
      for (let j = i + 1; j <= i + NEGATION_REACH && j < tokens.length; j += 1) {
        if (tokens[j]?.clause !== token.clause) break;
        if (cueAt.has(j) && !negated.has(j)) {
          negated.add(j);
          return;
        }
      }
      scores[token.clause] = (scores[token.clause] ?? 0) + BARE_NEGATION;
    } else if (token.word === 'too') {
      const next = tokens[i + 1];
      if (next !== undefined && next.clause === token.clause && next.word !== 'me') scores[token.clause] = (scores[token.clause] ?? 0) + EXCESS;
    }
  });
  for (const [start, { weight }] of cueAt) {
    const clause = tokens[start]?.clause ?? 0;
    let value = negated.has(start) ? weight * NEGATION_SCALE : weight;
    if (value > 0 && competitorBefore(tokens, start)) value = -value;
    scores[clause] = (scores[clause] ?? 0) + value;
  }
  return scores.map((score) => Math.round(score * 1000) / 1000);
}

function competitorBefore(tokens: readonly PolarityToken[], at: number): boolean {
  const clause = tokens[at]?.clause;
  for (let i = at - 1; i >= 0 && tokens[i]?.clause === clause; i -= 1) if (competitors.has(tokens[i]?.word ?? '')) return true;
  return false;
}

export function polarityOf(score: number): Polarity {
  return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
}
