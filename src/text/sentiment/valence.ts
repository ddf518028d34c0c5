import { pythonIsUpper } from './python-string.js';
import { BOOSTER_DICT, C_INCR, NEGATE, N_SCALAR, SPECIAL_CASES } from './rules.js';

/** One sentence as SentimentIntensityAnalyzer.sentiment_valence sees it. */
export interface SentenceTokens {
  /** words_and_emoticons, case kept. */
  readonly words: readonly string[];
  /** The same, lower-cased (Python's str.lower()). */
  readonly lower: readonly string[];
  /** allcap_differential of the words. */
  readonly isCapDiff: boolean;
  readonly lexicon: ReadonlyMap<string, number>;
}

/** negated([word]) for the one-word lists 3.3.2 passes: a NEGATE word or any "n't". */
export function isNegation(lowerWord: string): boolean {
  return NEGATE.has(lowerWord) || lowerWord.includes("n't");
}

/**
 * scalar_inc_dec: the boost a preceding degree word gives, signed to follow the
 * valence, plus the ALL-CAPS increment when the booster itself shouts.
 */
export function scalarIncDec(word: string, valence: number, isCapDiff: boolean): number {
  const booster = BOOSTER_DICT.get(word.toLowerCase());
  if (booster === undefined) return 0.0;
  let scalar = booster;
  if (valence < 0) scalar *= -1;
  if (pythonIsUpper(word) && isCapDiff) {
    if (valence > 0) scalar += C_INCR;
    else scalar -= C_INCR;
  }
  return scalar;
}

/**
 * sentiment_valence for the token at `i`: its lexicon valence adjusted by
 * "no", ALL CAPS, the three preceding words (boosters damped by distance,
 * negations, idioms) and "least". A token outside the lexicon scores 0.
 */
export function tokenValence(sentence: SentenceTokens, i: number): number {
  const { words, lower, isCapDiff, lexicon } = sentence;
  const item = words[i] ?? '';
  const itemLower = lower[i] ?? '';
  const base = lexicon.get(itemLower);
  if (base === undefined) return 0;
  let valence = base;

  // "no" before another lexicon word negates that word instead of scoring itself.
  if (itemLower === 'no' && i !== words.length - 1 && lexicon.has(lower[i + 1] ?? '')) valence = 0.0;
  if ((i > 0 && lower[i - 1] === 'no')
    || (i > 1 && lower[i - 2] === 'no')
    || (i > 2 && lower[i - 3] === 'no' && (lower[i - 1] === 'or' || lower[i - 1] === 'nor'))) {
    valence = base * N_SCALAR;
  }

  if (pythonIsUpper(item) && isCapDiff) {
    if (valence > 0) valence += C_INCR;
    else valence -= C_INCR;
  }

  for (let startI = 0; startI < 3; startI += 1) {
    const back = i - (startI + 1);
    if (i > startI && !lexicon.has(lower[back] ?? '')) {
      let s = scalarIncDec(words[back] ?? '', valence, isCapDiff);
      if (startI === 1 && s !== 0) s = s * 0.95;
      if (startI === 2 && s !== 0) s = s * 0.9;
      valence = valence + s;
      valence = negationCheck(valence, lower, startI, i);
      if (startI === 2) valence = specialIdiomsCheck(valence, lower, i);
    }
  }

  return leastCheck(valence, lower, lexicon, i);
}

/** _negation_check, including "never so/this" (x1.25) and "without doubt" (kept). */
function negationCheck(valence: number, lower: readonly string[], startI: number, i: number): number {
  const w1 = lower[i - 1];
  const w2 = lower[i - 2];
  const w3 = lower[i - 3];
  if (startI === 0) {
    if (isNegation(w1 ?? '')) return valence * N_SCALAR;
    return valence;
  }
  if (startI === 1) {
    if (w2 === 'never' && (w1 === 'so' || w1 === 'this')) return valence * 1.25;
    if (w2 === 'without' && w1 === 'doubt') return valence;
    if (isNegation(w2 ?? '')) return valence * N_SCALAR;
    return valence;
  }
  // Python reads `a and (b) or (c)` as `(a and b) or c`: "so"/"this" right
  // before the word boosts it even without "never". Kept, as in 3.3.2.
  if ((w3 === 'never' && (w2 === 'so' || w2 === 'this')) || (w1 === 'so' || w1 === 'this')) return valence * 1.25;
  if (w3 === 'without' && (w2 === 'doubt' || w1 === 'doubt')) return valence;
  if (isNegation(w3 ?? '')) return valence * N_SCALAR;
  return valence;
}

/**
 * _least_check: "least" before a word negates it, except in "at least" and
 * "very least".
 */
function leastCheck(valence: number, lower: readonly string[], lexicon: ReadonlyMap<string, number>, i: number): number {
  const previous = lower[i - 1] ?? '';
  if (i > 1 && !lexicon.has(previous) && previous === 'least') {
    const beforeThat = lower[i - 2];
    if (beforeThat !== 'at' && beforeThat !== 'very') return valence * N_SCALAR;
  } else if (i > 0 && !lexicon.has(previous) && previous === 'least') {
    return valence * N_SCALAR;
  }
  return valence;
}

/**
 * _special_idioms_check (called only with three words before `i`): a matching
 * idiom replaces the valence (the first of the preceding sequences wins, then
 * the following bigram and trigram override), and a multi-word booster such as
 * "kind of" just before adds its scalar.
 */
function specialIdiomsCheck(valence: number, lower: readonly string[], i: number): number {
  const at = (k: number): string => lower[k] ?? '';
  const oneZero = `${at(i - 1)} ${at(i)}`;
  const twoOneZero = `${at(i - 2)} ${at(i - 1)} ${at(i)}`;
  const twoOne = `${at(i - 2)} ${at(i - 1)}`;
  const threeTwoOne = `${at(i - 3)} ${at(i - 2)} ${at(i - 1)}`;
  const threeTwo = `${at(i - 3)} ${at(i - 2)}`;

  let result = valence;
  for (const sequence of [oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo]) {
    const special = SPECIAL_CASES.get(sequence);
    if (special !== undefined) {
      result = special;
      break;
    }
  }
  if (lower.length - 1 > i) {
    const special = SPECIAL_CASES.get(`${at(i)} ${at(i + 1)}`);
    if (special !== undefined) result = special;
  }
  if (lower.length - 1 > i + 1) {
    const special = SPECIAL_CASES.get(`${at(i)} ${at(i + 1)} ${at(i + 2)}`);
    if (special !== undefined) result = special;
  }
  for (const nGram of [threeTwoOne, threeTwo, twoOne]) {
    const booster = BOOSTER_DICT.get(nGram);
    if (booster !== undefined) result = result + booster;
  }
  return result;
}
