import { detectLanguage } from '../../text/index.js';

/** The code of comments the detector calls English (or too short to tell) but whose words are not English (the theme reader's check). */
export const UNREADABLE = 'other';

const NAMES: Readonly<Record<string, string>> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
  it: 'Italian',
  pt: 'Portuguese',
  nl: 'Dutch',
  [UNREADABLE]: 'no recognisable language',
};

export function languageName(code: string): string {
  return NAMES[code] ?? code;
}

/**
 * The language a comment is read in: its detected language (English,
 * Spanish, French, German, Italian, Portuguese or Dutch, from frequent
 * words, tell-tale letters and endings), `en` too when the text is too short
 * to tell ("ok", "10/10"): such a comment is scored as English, as VADER
 * would score it. The survey tool's language column is not kept by the
 * import (the canonical survey_responses has none), so detection decides.
 */
export function commentLanguage(text: string): string {
  const { language } = detectLanguage(text);
  return language === 'und' ? 'en' : language;
}

export interface LanguageCount {
  language: string;
  comments: number;
}

/** Comments per language, English first, then the most common (ties by code). */
export function languageCounts(languages: Iterable<string>): LanguageCount[] {
  const counts = new Map<string, number>();
  for (const language of languages) counts.set(language, (counts.get(language) ?? 0) + 1);
  return [...counts]
    .map(([language, comments]) => ({ language, comments }))
    .sort((a, b) => (a.language === 'en' ? -1 : b.language === 'en' ? 1 : b.comments - a.comments || (a.language < b.language ? -1 : 1)));
}
