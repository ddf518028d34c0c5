import { deletions, withinOneEdit } from './edit-distance.js';

/** Words seen this often in the comments are taken as spelled right. */
const KNOWN_COUNT = 3;
/** A correction must be this much more frequent than the word it replaces. */
const MIN_RATIO = 5;
/** Shorter words have too many one-edit neighbours to correct safely... */
const MIN_LENGTH = 5;
/** ...except a four-letter word missing a letter of a longer known word ("pric"). */
const MIN_LENGTH_DELETED = 4;
/**
 * Without the batch's support (a correction seen far more often), only words
 * this long are corrected towards the dictionary: short real words the
 * dictionary lacks ("stole") sit one edit from lexicon words ("store").
 */
const MIN_LENGTH_DICTIONARY_ONLY = 6;
/** Endings of English inflections and common derivations. */
const INFLECTIONS = ['ing', 'ings', 'ed', 'es', 's', 'er', 'ers', 'est', 'ly', 'ness', 'ment', 'ments', 'able', 'ful', 'less'];
/** Words run together ("billis") are at least this long. */
const MIN_SPLIT_LENGTH = 6;

/**
 * Corrects typos against the vocabulary of the comments themselves plus a
 * dictionary (lexicon, stopwords, polarity cues): a rare word one edit from a
 * known, far more frequent word becomes that word (Norvig's corrector with
 * the corpus as its language model), and words run together or split by a
 * slipped space ("billis", "bil lis") are re-spaced into known words.
 */
export class SpellingCorrector {
  private readonly known = new Set<string>();
  private readonly byDeletion = new Map<string, string[]>();

  constructor(
    private readonly counts: ReadonlyMap<string, number>,
    private readonly dictionary: ReadonlySet<string>,
  ) {
    for (const word of dictionary) this.known.add(word);
    for (const [word, count] of counts) if (count >= KNOWN_COUNT && !/\d/.test(word)) this.known.add(word);
    for (const word of [...this.known].sort()) {
      for (const key of [word, ...deletions(word)]) {
        const list = this.byDeletion.get(key);
        if (list === undefined) this.byDeletion.set(key, [word]);
        else if (list[list.length - 1] !== word) list.push(word);
      }
    }
  }

  isKnown(word: string): boolean {
    return this.known.has(word);
  }

  /** The word as meant: itself when known or not safely correctable. */
  correct(word: string): string {
    if (word.length < MIN_LENGTH_DELETED || this.known.has(word) || /\d/.test(word) || this.isInflectionOfKnown(word)) return word;
    const own = this.counts.get(word) ?? 0;
    let best: string | null = null;
    let bestCount = -1;
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of this.byDeletion.get(key) ?? []) {
        if (candidate.length < MIN_LENGTH || !withinOneEdit(word, candidate)) continue;
        if (word.length < MIN_LENGTH && candidate.length <= word.length) continue;
        // People rarely mistype a word's first letter (Yannakoudakis & Fawthrop 1983), so
        // "saying" is not a typo of "paying"; a swap of the first two letters, or a dropped one, is.
        const firstKept = candidate[0] === word[0] || (candidate[0] === word[1] && candidate[1] === word[0]) || candidate.slice(1) === word;
        if (!firstKept) continue;
        const count = this.counts.get(candidate) ?? 0;
        const acceptable = count >= MIN_RATIO * Math.max(own, 1) || (this.dictionary.has(candidate) && word.length >= MIN_LENGTH_DICTIONARY_ONLY);
        if (!acceptable) continue;
        if (count > bestCount || (count === bestCount && best !== null && candidate < best)) {
          best = candidate;
          bestCount = count;
        }
      }
    }
    return best ?? word;
  }

  // "saying" is "say" + "ing": a real word the batch happens to use once, not a typo.
  private isInflectionOfKnown(word: string): boolean {
    for (const suffix of INFLECTIONS) {
      if (word.length - suffix.length < 3 || !word.endsWith(suffix)) continue;
      const base = word.slice(0, -suffix.length);
      if (this.known.has(base) || this.known.has(`${base}e`) || (base.length > 3 && base.at(-1) === base.at(-2) && this.known.has(base.slice(0, -1)))) return true;
    }
    return false;
  }

  /** Two known words that `joined` was meant to be ("billis" -> bill, is), or null. */
  split(joined: string): [string, string] | null {
    let best: [string, string] | null = null;
    let bestScore = -1;
    for (let at = 1; at < joined.length; at += 1) {
      const left = joined.slice(0, at);
      const right = joined.slice(at);
      if (!this.known.has(left) || !this.known.has(right)) continue;
      if ((left.length < 2 && left !== 'a' && left !== 'i') || (right.length < 2 && right !== 'a' && right !== 'i')) continue;
      const score = Math.min(this.weight(left), this.weight(right));
      if (score > bestScore) {
        best = [left, right];
        bestScore = score;
      }
    }
    return best;
  }

  private weight(word: string): number {
    return (this.counts.get(word) ?? 0) + (this.dictionary.has(word) ? 1 : 0);
  }
}

/**
 * The words of one comment with typos repaired: unknown neighbours re-spaced
 * first (a slipped space damages two words), then unknown words corrected.
 */
export function repairWords(words: readonly string[], corrector: SpellingCorrector, breaks: readonly boolean[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    const next = words[i + 1];
    if (next !== undefined && breaks[i + 1] !== true && (!corrector.isKnown(word) || !corrector.isKnown(next)) && /^\p{L}+$/u.test(word + next)) {
      const joined = word + next;
      if (joined.length >= MIN_LENGTH && corrector.isKnown(joined)) {
        out.push([joined], []);
        i += 1;
        continue;
      }
      const split = corrector.split(joined);
      if (split !== null && (split[0] !== word || split[1] !== next)) {
        out.push([split[0]], [split[1]]);
        i += 1;
        continue;
      }
    }
    const corrected = corrector.correct(word);
    if (corrected === word && !corrector.isKnown(word) && word.length >= MIN_SPLIT_LENGTH && /^\p{L}+$/u.test(word)) {
      const split = corrector.split(word);
      if (split !== null) {
        out.push(split);
        continue;
      }
    }
    out.push([corrected]);
  }
  return out;
}
