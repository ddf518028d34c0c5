import { stemmer } from 'stemmer';

const cache = new Map<string, string>();
const CACHE_LIMIT = 200_000;

/**
 * Porter stem of a lower-case word (the `stemmer` package), with two guards
 * where Porter's suffix stripping merges words a customer means differently:
 * "-ful" adjectives keep their suffix ("helpful" is not "help", "careful" is
 * not "care") and "-ely" adjectives keep theirs ("lovely" is not "love",
 * "timely" is not "time"). Numbers and words with digits ("5g") stay as typed.
 *
 * @example stemWord('crashing') // 'crash'
 */
export function stemWord(word: string): string {
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const stem = computeStem(word);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, stem);
  return stem;
}

// Porter merges these with words of another meaning ("customer" with
// "customize", "news" with "new", "general" with "generous", "organization"
// with "organ"); they keep a stem of their own.
const OWN_STEMS: Readonly<Record<string, string>> = {
  customer: 'customer', customers: 'customer', news: 'news', general: 'general', generally: 'general',
  organization: 'organization', organisation: 'organization', organizations: 'organization', organisations: 'organization',
};

function computeStem(word: string): string {
  const own = OWN_STEMS[word];
  if (own !== undefined) return own;
  if (/\d/.test(word) || word.length <= 2) return word;
  const ful = /^(.{3,})ful(?:ly|ness)?$/.exec(word);
  if (ful?.[1] !== undefined) return `${stemmer(ful[1])}ful`;
  const ely = /^(.{3,})ely$/.exec(word);
  if (ely?.[1] !== undefined) return `${stemmer(ely[1])}eli`;
  return stemmer(word);
}
