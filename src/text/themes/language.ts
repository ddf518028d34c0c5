/** Language values that mean "not known": such a comment is read as English. */
const UNKNOWN = new Set(['', 'und', 'unknown', 'zxx', 'mul']);
const ENGLISH = new Set(['en', 'eng', 'english']);

/**
 * Whether a comment tagged with this language is read as English: 'en',
 * 'EN', 'en-GB', 'en_US', 'eng', or no language at all. Any other language
 * is skipped, never forced into an English theme.
 */
export function readsAsEnglish(language: string | null | undefined): boolean {
  if (language === null || language === undefined) return true;
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return UNKNOWN.has(primary) || ENGLISH.has(primary);
}

/** Comments shorter than this are too short to judge by their words. */
const MIN_WORDS_TO_JUDGE = 4;
/** Share of common English words below which a comment is taken as not English. */
const MIN_ENGLISH_SHARE = 0.25;

/**
 * A guard for comments tagged English (or untagged) that are not: survey
 * tools often record the interface language, not the answer's. A comment of
 * four words or more in which under a quarter are common English words
 * (function words, opinion words, lexicon words) is not read as English.
 * This is no language detector (cxray has one); it only keeps Spanish or
 * French text out of English themes when the tag is wrong.
 */
export function looksEnglish(words: readonly string[], commonEnglish: ReadonlySet<string>): boolean {
  const letters = words.filter((word) => /\p{L}/u.test(word));
  if (letters.length < MIN_WORDS_TO_JUDGE) return true;
  const common = letters.filter((word) => commonEnglish.has(word)).length;
  return common >= MIN_ENGLISH_SHARE * letters.length;
}
