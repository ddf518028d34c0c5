import type { ConceptOverride } from './concept-definition.js';
import type { Polarity } from './polarity.js';

/** A free-text comment to group. */
export interface ThemeComment {
  id: string;
  text: string;
  /**
   * Language of the comment (ISO 639 code or tag: 'en', 'en-GB', 'ES'), from
   * language detection or the survey tool. A comment in another language is
   * skipped and counted, never read as English. Absent: read as English.
   */
  language?: string | null;
  /** Sentiment score in [-1, 1] (VADER compound), used when the comment's own words do not show its polarity. */
  sentiment?: number | null;
}

export type ThemePolarity = Polarity | 'mixed';

export interface ThemePhrase {
  phrase: string;
  /** Comments of the theme containing it. */
  count: number;
}

/**
 * A readable theme: a concept of the lexicon split into its complaints and
 * its praise, or a group of comments found by their shared phrases that no
 * concept covers (an emerging theme).
 */
export interface Theme {
  /** Stable key: `<concept>.<polarity>`, `<concept>` when not split, or `discovered.<phrase>`. */
  key: string;
  label: string;
  /** The experience area it feeds, from the concept; null for discovered themes. */
  area: string | null;
  source: 'concept' | 'discovered';
  /** The concept key, null for discovered themes. */
  concept: string | null;
  polarity: ThemePolarity;
  /** Comments whose primary theme this is. */
  size: number;
  /** Comments that mention it at all (primary or secondary). */
  mentions: number;
  topPhrases: ThemePhrase[];
  /** Representative comments as written: those closest to the theme's centre, distinct. */
  samples: string[];
}

export type AssignmentStatus = 'assigned' | 'unassigned' | 'not_english';

export interface ThemeAssignment {
  primary: string | null;
  secondary: string[];
  status: AssignmentStatus;
}

export interface ThemeExtraction {
  /** Largest first (then by key). */
  themes: Theme[];
  /** Every comment by id, in id order. */
  assignments: Map<string, ThemeAssignment>;
  /** English comments read. */
  english: number;
  /** English comments with no theme (empty, too short, or on a topic too rare to be a theme). */
  unassigned: number;
  /** Comments not read: tagged with another language, or tagged English (or untagged) but not (`taggedEnglishButNot`). */
  skippedNotEnglish: number;
  /** Of those, comments tagged English or untagged whose words are not English (see `looksEnglish`). */
  taggedEnglishButNot: number;
  /** The minimum theme size used. */
  minThemeSize: number;
}

export interface ExtractThemesOptions {
  /** cxray.yaml `comment_themes`: new concepts and changes to the built-in ones. */
  concepts?: Readonly<Record<string, ConceptOverride>>;
  /** Themes smaller than this are not reported (default: 3, or 0.5% of the English comments if more). */
  minThemeSize?: number;
  /** At most this many themes, the largest (default 30). */
  maxThemes?: number;
  /** Representative comments per theme (default 5). */
  samplesPerTheme?: number;
  /** Look for emerging themes among the comments no concept covers (default true). */
  discover?: boolean;
  /** Cosine similarity (TF-IDF) for a comment to join an emerging theme (default 0.3). */
  similarityThreshold?: number;
}
