import { LANGUAGES, LETTER_LANGUAGES, SUFFIX_LANGUAGES, WORD_LANGUAGES } from './vocabulary.js';
import type { DetectedLanguage } from './vocabulary.js';

/** A language guess: ISO 639-1 code, or 'und' when the text carries too little evidence. */
export interface LanguageGuess {
  language: DetectedLanguage | 'und';
  /** Share of the evidence that points to `language`, in [0, 1]; 0 for 'und'. */
  confidence: number;
}

// Below one frequent word's worth of evidence a guess is noise ("ok", "10/10").
const MIN_EVIDENCE = 1;
const WORD = /[\p{L}\p{M}]+(?:'[\p{L}\p{M}]+)*'?/gu;

/**
 * Detects the language of a short customer comment (3-30 words) among
 * English, Spanish, French, German, Italian, Portuguese and Dutch, from
 * frequent words, tell-tale letters and word endings. Text without enough
 * evidence ("ok", "great!!", an emoji) is 'und'.
 *
 * @example
 * detectLanguage('Le réseau tombe en panne presque chaque semaine.') // { language: 'fr', confidence: 0.9... }
 */
export function detectLanguage(text: string): LanguageGuess {
  const scores = new Map<DetectedLanguage, number>(LANGUAGES.map((language) => [language, 0]));
  const add = (language: DetectedLanguage, weight: number): void => {
    scores.set(language, (scores.get(language) ?? 0) + weight);
  };
  const lower = text.toLowerCase().replace(/[’‘`´]/g, "'");

  for (const char of lower) {
    for (const [language, weight] of LETTER_LANGUAGES.get(char) ?? []) add(language, weight);
  }
  for (const token of lower.match(WORD) ?? []) {
    for (const word of wordsOf(token)) {
      const languages = WORD_LANGUAGES.get(word);
      if (languages !== undefined) {
        for (const language of languages) add(language, 1 / languages.length);
        continue;
      }
      if (word.length < 5) continue;
      const suffix = SUFFIX_LANGUAGES.find(([ending]) => word.endsWith(ending));
      for (const [language, weight] of suffix?.[1] ?? []) add(language, weight);
    }
  }

  let total = 0;
  let best: DetectedLanguage = 'en';
  let bestScore = -1;
  // LANGUAGES is ordered by how common each language is among the comments cxray
  // reads, so a tie goes to the more common one.
  for (const language of LANGUAGES) {
    const score = scores.get(language) ?? 0;
    total += score;
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  if (total < MIN_EVIDENCE || bestScore <= 0) return { language: 'und', confidence: 0 };
  return { language: best, confidence: bestScore / total };
}

/**
 * True when the comment can be scored with the English sentiment lexicon:
 * detected English, or too short to tell ("ok", "great!").
 */
export function isEnglish(text: string): boolean {
  const { language } = detectLanguage(text);
  return language === 'en' || language === 'und';
}

/** A token as words: whole when listed ("don't"), else split at apostrophes ("l'appli" -> "l", "appli"). */
function wordsOf(token: string): string[] {
  const bare = token.endsWith("'") ? token.slice(0, -1) : token;
  if (!bare.includes("'") || WORD_LANGUAGES.has(bare)) return [bare];
  return bare.split("'").filter((part) => part.length > 0);
}
