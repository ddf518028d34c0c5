import { PYTHON_PUNCTUATION, pythonIsUpper, pythonLength, pythonSplit, pythonStrip, pythonStripChars } from './python-string.js';

/**
 * 3.3.2 replaces each emoji code point by its description before anything
 * else: a space goes before a description unless the previous character was a
 * space, none after it (so "💘and" becomes "heart with arrowand", as in the
 * reference), and the result is stripped.
 */
export function replaceEmoji(text: string, emoji: ReadonlyMap<string, string>): string {
  let out = '';
  let previousWasSpace = true;
  for (const char of text) {
    const description = emoji.get(char);
    if (description === undefined) {
      out += char;
      previousWasSpace = char === ' ';
    } else {
      if (!previousWasSpace) out += ' ';
      out += description;
      previousWasSpace = false;
    }
  }
  return pythonStrip(out);
}

/**
 * SentiText._strip_punc_if_word: leading and trailing ASCII punctuation goes,
 * unless what is left has two or fewer code points, in which case the token
 * was probably an emoticon (":)", ":D") and stays whole.
 */
export function stripPunctuationIfWord(token: string): string {
  const stripped = pythonStripChars(token, PYTHON_PUNCTUATION);
  return pythonLength(stripped) <= 2 ? token : stripped;
}

/** SentiText.words_and_emoticons: whitespace tokens, punctuation stripped off words. */
export function wordsAndEmoticons(text: string): string[] {
  return pythonSplit(text).map(stripPunctuationIfWord);
}

/** allcap_differential: true when some, but not all, tokens are ALL CAPS. */
export function allCapDifferential(words: readonly string[]): boolean {
  const allCaps = words.filter(pythonIsUpper).length;
  const differential = words.length - allCaps;
  return differential > 0 && differential < words.length;
}
