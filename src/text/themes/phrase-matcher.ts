import { stemWord } from './stem.js';
import { tokenize } from './tokenize.js';

/** A comment's word as matchers see it; `stem` is null where the word is masked (a discourse marker). */
export interface MatchToken {
  stem: string | null;
  clause: number;
  /** Sentence index, where the matcher's user weighs mentions by position. */
  sentence?: number;
  /** The word as written (after repair), where the matcher's user needs it. */
  word?: string;
}

export interface PhraseMatch<T> {
  /** Index of the first and last matched token. */
  start: number;
  end: number;
  payload: T;
}

interface Entry<T> {
  stems: readonly string[];
  payload: T;
}

/** The stems of a lexicon phrase, written as a customer would type it. */
export function phraseStems(text: string): string[] {
  return tokenize(text).map((token) => stemWord(token.word));
}

/**
 * Finds lexicon phrases in a comment by their stems. A phrase of several
 * words may have one extra word between two of its words ("logs me out"
 * matches "log out", "set it up" matches "set up"), never across a clause.
 */
export class PhraseMatcher<T> {
  private readonly byFirst = new Map<string, Entry<T>[]>();

  constructor(entries: readonly { stems: readonly string[]; payload: T }[]) {
    for (const entry of entries) {
      const first = entry.stems[0];
      if (first === undefined) continue;
      const list = this.byFirst.get(first) ?? [];
      list.push(entry);
      this.byFirst.set(first, list);
    }
  }

  match(tokens: readonly MatchToken[]): PhraseMatch<T>[] {
    const found: PhraseMatch<T>[] = [];
    tokens.forEach((token, start) => {
      if (token.stem === null) return;
      for (const entry of this.byFirst.get(token.stem) ?? []) {
        const end = matchRest(tokens, start, entry.stems);
        if (end !== null) found.push({ start, end, payload: entry.payload });
      }
    });
    return found;
  }
}

function matchRest(tokens: readonly MatchToken[], start: number, stems: readonly string[]): number | null {
  let at = start;
  const clause = tokens[start]?.clause;
  for (let k = 1; k < stems.length; k += 1) {
    const wanted = stems[k];
    const next = tokens[at + 1];
    const skip = tokens[at + 2];
    if (next !== undefined && next.clause === clause && next.stem === wanted) at += 1;
    else if (skip !== undefined && skip.clause === clause && skip.stem === wanted && next?.stem !== null) at += 2;
    else return null;
  }
  return at;
}
