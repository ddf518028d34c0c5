import type { ConceptOverride } from '../../text/themes/index.js';
import { extractThemes, type ThemeExtraction } from '../../text/themes/index.js';
import { polarityScores } from '../../text/index.js';
import { HASHED_TEXT } from './comment-columns.js';
import { commentLanguage, languageCounts, UNREADABLE, type LanguageCount } from './comment-languages.js';
import type { CommentRow } from './comment-rows.js';

/**
 * Themes are read on at most this many English comments. Theme extraction
 * grows faster than the comments (read here, with language and VADER:
 * 50,000 comments in about 9 s and 0.35 GB; 200,000 in 70 s and 1.25 GB, or
 * 16 s and 0.4 GB with the sample), and 50,000 comments put a theme's share
 * within about ±0.4 points and its NPS gap within a few points, as precise
 * as a manager needs. Above it a fixed sample is read (see `inThemeSample`);
 * sentiment is still read on every comment.
 */
export const THEME_SAMPLE_SIZE = 50_000;

/** An English comment, read: its sentiment and, when in the theme sample, its themes. */
export interface ReadComment {
  row: CommentRow;
  /** VADER 3.3.2 compound score in [-1, 1]. */
  compound: number;
  /** Whether its themes were read (every English comment, unless there are more than the theme sample holds). */
  themed: boolean;
  /** Its primary theme, null when none (or not themed). */
  primary: string | null;
  /** Every theme it mentions: the primary first, then the others. */
  themes: readonly string[];
}

/** The comments in scope, read. */
export interface CommentSet {
  /** Comments with text (not blank, not hashed). */
  total: number;
  /** Stored comments that are blank once trimmed. */
  blank: number;
  /** Stored comments hashed at import (cxray.yaml `pii: hash` on the comment column): no words to read. */
  hashed: number;
  /** `total` by language, English first; `other` for text the detector took for English whose words are not. */
  languages: LanguageCount[];
  /** The English comments, read and scored, in id order. */
  english: ReadComment[];
  /** English comments whose themes were read: all of them, or the theme sample. */
  themed: number;
  /** True when there were more English comments than THEME_SAMPLE_SIZE and themes were read on a sample. */
  sampled: boolean;
  extraction: ThemeExtraction;
}

/** FNV-1a (32 bits) of a comment id: a fixed pseudo-random key, the same on every run and engine. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The ids of the theme sample: the `size` comments whose id hashes lowest
 * (ties by id), a simple random sample without replacement that does not
 * depend on the order comments arrive in or on the engine.
 */
export function inThemeSample(rows: readonly CommentRow[], size: number): Set<string> {
  if (rows.length <= size) return new Set(rows.map((r) => r.id));
  const keyed = rows.map((r) => ({ id: r.id, h: idHash(r.id) }));
  keyed.sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return new Set(keyed.slice(0, size).map((k) => k.id));
}

/**
 * Reads the comments: detects each one's language, scores the English ones
 * with VADER and groups them into themes (the built-in concept lexicon with
 * cxray.yaml's `comment_themes` applied; each comment's VADER score helps
 * split a concept into complaints and praise when its words do not say).
 * Comments in another language are counted by language, never scored or
 * themed with the English lexicon. A comment the detector takes for English
 * but whose words the theme reader does not recognise as English ("Tres
 * bien, merci" with its accents typed away) is counted under `other` and
 * left out of sentiment too, so that both read the same comments (a check
 * only the theme sample gets). Above `themeSampleSize` English comments,
 * themes are read on a fixed sample of that many.
 */
export function readComments(
  rows: readonly CommentRow[],
  concepts: Readonly<Record<string, ConceptOverride>>,
  options: { themeSampleSize?: number } = {},
): CommentSet {
  let blank = 0;
  let hashed = 0;
  const language = new Map<string, string>();
  const compound = new Map<string, number>();
  const candidates: CommentRow[] = [];
  for (const row of rows) {
    const text = row.text.trim();
    if (text === '') {
      blank += 1;
      continue;
    }
    if (HASHED_TEXT.test(text)) {
      hashed += 1;
      continue;
    }
    const code = commentLanguage(row.text);
    language.set(row.id, code);
    if (code !== 'en') continue;
    compound.set(row.id, polarityScores(row.text).compound);
    candidates.push(row);
  }
  const sample = inThemeSample(candidates, options.themeSampleSize ?? THEME_SAMPLE_SIZE);
  const extraction = extractThemes(
    candidates.filter((row) => sample.has(row.id)).map((row) => ({ id: row.id, text: row.text, language: 'en', sentiment: compound.get(row.id) ?? null })),
    { concepts },
  );
  const english: ReadComment[] = [];
  let themed = 0;
  for (const row of candidates) {
    const assignment = extraction.assignments.get(row.id);
    if (assignment?.status === 'not_english') {
      language.set(row.id, UNREADABLE);
      continue;
    }
    const score = compound.get(row.id) ?? 0;
    if (assignment === undefined) {
      english.push({ row, compound: score, themed: false, primary: null, themes: [] });
      continue;
    }
    themed += 1;
    const themes = [...(assignment.primary === null ? [] : [assignment.primary]), ...assignment.secondary.filter((key) => key !== assignment.primary)];
    english.push({ row, compound: score, themed: true, primary: assignment.primary, themes });
  }
  return { total: language.size, blank, hashed, languages: languageCounts(language.values()), english, themed, sampled: sample.size < candidates.length, extraction };
}
