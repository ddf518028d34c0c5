import { expandContraction } from './contractions.js';
import { normalizeText } from './normalize-text.js';
import { CONTRAST_WORDS } from './stopwords.js';

/** One word of a comment, lower-case, contractions expanded. */
export interface WordToken {
  word: string;
  /** Clause index: a new clause starts at . ! ? ; : … a line break, or a contrast word ("but"). */
  clause: number;
  /** Sentence index: a new sentence starts at . ! ? ; … or a line break. */
  sentence: number;
  /** True when punctuation stands between this word and the previous one: a phrase never spans it. */
  boundaryBefore: boolean;
}

// A word: letters and digits, inner apostrophes (contractions) and hyphens.
const PIECE = /([\p{L}\p{N}]+(?:'[\p{L}]+)*(?:-[\p{L}\p{N}]+(?:'[\p{L}]+)*)*)|([.!?;:\u2026\n\r]+)|([^\s\p{L}\p{N}]+)/gu;

// Hyphenated words kept whole when the first part is a prefix ("e-mail",
// "wi-fi", "over-charged"); others split into their words ("set-up" is "set up").
const JOINED_PREFIXES = new Set(['e', 'x', 'wi', 're', 'pre', 'non', 'un', 'mis', 'over', 'under', 'anti', 'multi', 'co']);

function splitHyphenated(piece: string): string[] {
  if (!piece.includes('-')) return [piece];
  const parts = piece.split('-').filter((part) => part.length > 0);
  const first = parts[0];
  if (first !== undefined && JOINED_PREFIXES.has(first)) return [parts.join('')];
  return parts;
}

/**
 * Splits a comment into words (Unicode letters and digits), expanding
 * contractions ("didn't" -> "did not") and marking clause breaks and
 * punctuation, which the phrase and polarity steps respect.
 *
 * @example tokenize("App crashes, can't log in!").map((t) => t.word) // ['app', 'crashes', 'can', 'not', 'log', 'in']
 */
export function tokenize(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  let clause = 0;
  let sentence = 0;
  let boundary = false;
  for (const match of normalizeText(text).matchAll(PIECE)) {
    const [, word, clauseBreak] = match;
    if (word === undefined) {
      if (clauseBreak !== undefined && tokens.length > 0) {
        clause += 1;
        if (/[^:]/.test(clauseBreak)) sentence += 1;
      }
      boundary = tokens.length > 0;
      continue;
    }
    for (const part of splitHyphenated(word)) {
      for (const expanded of expandContraction(part)) {
        if (CONTRAST_WORDS.has(expanded) && tokens.length > 0) {
          clause += 1;
          boundary = true;
        }
        tokens.push({ word: expanded, clause, sentence, boundaryBefore: boundary });
        boundary = false;
      }
    }
  }
  return renumberClauses(tokens);
}

// Consecutive breaks ("?!", ". But") must not leave empty clause or sentence numbers.
function renumberClauses(tokens: WordToken[]): WordToken[] {
  let lastClause = -1;
  let nextClause = -1;
  let lastSentence = -1;
  let nextSentence = -1;
  for (const token of tokens) {
    if (token.clause !== lastClause) {
      lastClause = token.clause;
      nextClause += 1;
    }
    if (token.sentence !== lastSentence) {
      lastSentence = token.sentence;
      nextSentence += 1;
    }
    token.clause = nextClause;
    token.sentence = nextSentence;
  }
  return tokens;
}
