import { isStopword } from './stopwords.js';

/** A word of a comment as the phrase step sees it. */
export interface PhraseToken {
  word: string;
  /** Null when masked (a discourse marker). */
  stem: string | null;
  clause: number;
  sentence: number;
  boundaryBefore: boolean;
}

/** A candidate phrase: its stems (the key that groups spellings) and the words as written. */
export interface Phrase {
  key: string;
  text: string;
  length: number;
}

export const MAX_PHRASE_WORDS = 3;

function isContent(token: PhraseToken): boolean {
  return token.stem !== null && token.word.length >= 2 && /\p{L}/u.test(token.word) && !isStopword(token.word);
}

/**
 * Candidate phrases of a comment, RAKE style (Rose et al. 2010): runs of
 * content words between stopwords, negators and punctuation, and every
 * n-gram of up to three words inside a run ("long hold times" gives "long
 * hold times", "long hold", "hold times", "long", "hold", "times"). Each
 * phrase once per comment, so counts are document frequencies.
 *
 * @example candidatePhrases(tokensOf('Long hold times, rude staff')).map((p) => p.text)
 */
export function candidatePhrases(tokens: readonly PhraseToken[], maxWords = MAX_PHRASE_WORDS): Phrase[] {
  const byKey = new Map<string, Phrase>();
  let run: PhraseToken[] = [];
  const flush = (): void => {
    for (let start = 0; start < run.length; start += 1) {
      for (let length = 1; length <= maxWords && start + length <= run.length; length += 1) {
        const words = run.slice(start, start + length);
        const key = words.map((token) => token.stem).join(' ');
        if (!byKey.has(key)) byKey.set(key, { key, text: words.map((token) => token.word).join(' '), length });
      }
    }
    run = [];
  };
  let lastClause = -1;
  for (const token of tokens) {
    if (!isContent(token) || token.boundaryBefore || token.clause !== lastClause) flush();
    lastClause = token.clause;
    if (isContent(token)) run.push(token);
  }
  flush();
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
