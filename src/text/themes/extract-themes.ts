import { UserError } from '../../errors.js';
import type { AnalyzedComment } from './analyze-comments.js';
import { analyzeComments } from './analyze-comments.js';
import { assignConcepts, majorityPolarity } from './assign-concepts.js';
import { commentPolarity } from './comment-polarity.js';
import { TERM_WEIGHT } from './concept-definition.js';
import { compileConcepts } from './concept-lexicon.js';
import { discoverClusters } from './discover-themes.js';
import { looksEnglish, readsAsEnglish } from './language.js';
import { CUE_WORDS } from './polarity.js';
import { resolveConcepts } from './resolve-concepts.js';
import { NEGATORS, STOPWORDS } from './stopwords.js';
import type { SparseVector } from './sparse-vector.js';
import { tfidfVectors } from './sparse-vector.js';
import { phraseStatistics, sampleComments, topPhrases } from './summarize-theme.js';
import type { PhraseStatistics } from './summarize-theme.js';
import { tokenize } from './tokenize.js';
import type { ExtractThemesOptions, Theme, ThemeAssignment, ThemeComment, ThemeExtraction, ThemePolarity } from './theme-types.js';

const DEFAULT_MAX_THEMES = 30;
const DEFAULT_SAMPLES = 5;
const DEFAULT_SIMILARITY = 0.3;
const MIN_THEME_SIZE_FLOOR = 3;
const MIN_THEME_SHARE = 0.005;
const CONCEPT_LEANING_SHARE = 0.5;

interface DraftTheme {
  key: string;
  label: string;
  area: string | null;
  source: 'concept' | 'discovered';
  concept: string | null;
  polarity: ThemePolarity;
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function checkInput(comments: readonly ThemeComment[], options: ExtractThemesOptions): void {
  const seen = new Set<string>();
  for (const comment of comments) {
    if (seen.has(comment.id)) {
      throw new UserError('comment_id_duplicate', `Two comments have the id "${comment.id}".`, {
        hint: 'Give each comment its own id (the survey response id, or the response id and question).',
      });
    }
    seen.add(comment.id);
  }
  for (const [name, value] of [['minThemeSize', options.minThemeSize], ['maxThemes', options.maxThemes], ['samplesPerTheme', options.samplesPerTheme]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new UserError('comment_themes_option', `${name} must be a whole number of at least 1; got ${value}.`, { hint: `Set ${name} to 1 or more.` });
    }
  }
  const threshold = options.similarityThreshold;
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) {
    throw new UserError('comment_themes_option', `similarityThreshold must lie in (0, 1]; got ${threshold}.`, { hint: 'A cosine similarity such as 0.3.' });
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'theme';
}

function conceptLabel(label: string, polarity: ThemePolarity, negative?: string, positive?: string): string {
  if (polarity === 'negative') return negative ?? `${label}: complaints`;
  if (polarity === 'positive') return positive ?? `${label}: praise`;
  return label;
}

// A discovered theme is named by its most frequent phrase, or by a longer one nearly as frequent.
function discoveredLabel(members: readonly AnalyzedComment[], statistics: PhraseStatistics): string {
  const top = topPhrases(members, statistics, 3);
  const first = top[0];
  if (first === undefined) return 'Other';
  const longer = top.find((entry) => entry.phrase.split(' ').length > first.phrase.split(' ').length && entry.count >= 0.75 * first.count);
  return capitalised((longer ?? first).phrase);
}

/**
 * Groups free-text comments into readable themes. English comments are read
 * (tokens, typos repaired, stems), matched against the customer-experience
 * concept lexicon (built in, changed by `options.concepts` from cxray.yaml
 * `comment_themes`), and each concept is split into complaints and praise;
 * comments no concept covers are clustered by their shared phrases into
 * emerging themes. Every comment gets at most one primary theme and lists
 * the other themes it names. Pure and deterministic: the same comments give
 * the same result in any order.
 *
 * @example
 * const { themes, assignments } = extractThemes([
 *   { id: 'r1', text: 'Waited over an hour on the phone.' },
 *   { id: 'r2', text: 'Support takes forever to answer', language: 'en' },
 * ], { minThemeSize: 1 });
 * // themes[0].key === 'support.negative', assignments.get('r2')?.primary === 'support.negative'
 */
export function extractThemes(comments: readonly ThemeComment[], options: ExtractThemesOptions = {}): ThemeExtraction {
  checkInput(comments, options);
  const concepts = resolveConcepts(options.concepts ?? {});
  const lexicon = compileConcepts(concepts);
  const sorted = [...comments].sort(byId);
  const commonEnglish = new Set([...lexicon.words, ...CUE_WORDS, ...STOPWORDS, ...NEGATORS]);
  const tagged = sorted.filter((comment) => readsAsEnglish(comment.language));
  const english = tagged.filter((comment) => looksEnglish(tokenize(comment.text).map((token) => token.word), commonEnglish));
  const analyzed = analyzeComments(english, lexicon);
  const minSize = options.minThemeSize ?? Math.max(MIN_THEME_SIZE_FLOOR, Math.round(MIN_THEME_SHARE * english.length));
  const statistics = phraseStatistics(analyzed);
  const vectorList = tfidfVectors(analyzed.map((comment) => comment.phrases.filter((phrase) => phrase.length <= 2).map((phrase) => phrase.key)));
  const vectors = new Map<string, SparseVector>(analyzed.map((comment, index) => [comment.id, vectorList[index] ?? new Map()]));

  const conceptAssignment = assignConcepts(analyzed, concepts, minSize);
  const primary = [...conceptAssignment.primary];
  const secondary = conceptAssignment.secondary.map((list) => [...list]);
  const drafts = new Map<string, DraftTheme>();
  for (const theme of conceptAssignment.themes) {
    const { concept } = theme;
    drafts.set(theme.key, {
      key: theme.key,
      label: conceptLabel(concept.label, theme.polarity, concept.negativeLabel, concept.positiveLabel),
      area: concept.area,
      source: 'concept',
      concept: concept.key,
      polarity: theme.polarity,
    });
  }

  if (options.discover !== false) {
    // Comments with only a weak word or two of a concept ("please fix the hot water") are
    // open to discovery too: an emerging theme that takes them explains them better.
    const leftovers = analyzed.map((_, index) => index).filter((index) => primary[index] === null || onlyWeakEvidence(analyzed[index], primary[index]));
    const clusters = discoverClusters(
      leftovers.map((index) => ({ phrases: analyzed[index]?.phrases ?? [], vector: vectorList[index] ?? new Map() })),
      { minSize, threshold: options.similarityThreshold ?? DEFAULT_SIMILARITY, maxClusters: options.maxThemes ?? DEFAULT_MAX_THEMES },
    );
    for (const cluster of clusters) {
      const members = cluster.members.map((local) => leftovers[local] ?? -1);
      if (leansToOneConcept(members.map((index) => primary[index] ?? null))) continue;
      const memberComments = members.map((index) => analyzed[index]).filter((comment) => comment !== undefined);
      const label = discoveredLabel(memberComments, statistics);
      let key = `discovered.${slug(label)}`;
      for (let n = 2; drafts.has(key); n += 1) key = `discovered.${slug(label)}-${n}`;
      drafts.set(key, {
        key,
        label,
        area: null,
        source: 'discovered',
        concept: null,
        polarity: majorityPolarity(memberComments.map(commentPolarity)),
      });
      for (const index of members) primary[index] = key;
      analyzed.forEach((comment, index) => {
        if (primary[index] !== key && comment.phrases.some((phrase) => phrase.key === cluster.seed.key)) secondary[index]?.push(key);
      });
    }
  }

  const kept = keepLargest(drafts, primary, secondary, minSize, options.maxThemes ?? DEFAULT_MAX_THEMES);
  const themes: Theme[] = [];
  for (const draft of kept) {
    const members = analyzed.filter((_, index) => primary[index] === draft.key);
    const mentions = analyzed.filter((_, index) => primary[index] === draft.key || secondary[index]?.includes(draft.key)).length;
    themes.push({
      ...draft,
      size: members.length,
      mentions,
      topPhrases: topPhrases(members, statistics),
      samples: sampleComments(members, vectors, options.samplesPerTheme ?? DEFAULT_SAMPLES),
    });
  }
  themes.sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const assignments = new Map<string, ThemeAssignment>();
  const englishIndex = new Map(analyzed.map((comment, index) => [comment.id, index]));
  let unassigned = 0;
  for (const comment of sorted) {
    const index = englishIndex.get(comment.id);
    if (index === undefined) {
      assignments.set(comment.id, { primary: null, secondary: [], status: 'not_english' });
      continue;
    }
    const main = primary[index] ?? null;
    if (main === null) unassigned += 1;
    assignments.set(comment.id, { primary: main, secondary: secondary[index] ?? [], status: main === null ? 'unassigned' : 'assigned' });
  }
  return {
    themes,
    assignments,
    english: analyzed.length,
    unassigned,
    skippedNotEnglish: sorted.length - analyzed.length,
    taggedEnglishButNot: tagged.length - english.length,
    minThemeSize: minSize,
  };
}

/**
 * A group found among weakly matched comments is a wording of that concept
 * ("great people in the shop" is staff), not an emerging theme, when half or
 * more of its comments already lean to the same concept.
 */
function leansToOneConcept(primaries: readonly (string | null)[]): boolean {
  const counts = new Map<string, number>();
  for (const theme of primaries) if (theme !== null) counts.set(theme, (counts.get(theme) ?? 0) + 1);
  return [...counts.values()].some((count) => count >= CONCEPT_LEANING_SHARE * primaries.length);
}

function onlyWeakEvidence(comment: AnalyzedComment | undefined, theme: string | null | undefined): boolean {
  const concept = theme?.split('.')[0];
  const hit = comment?.hits.find((candidate) => candidate.concept === concept);
  return hit !== undefined && hit.score < TERM_WEIGHT;
}

/**
 * The `limit` largest themes of at least `minSize` comments (a concept theme
 * can shrink below it when discovery takes its weakly matched comments). A
 * comment whose primary theme is cut moves to its first secondary theme
 * still kept, else to none.
 */
function keepLargest(drafts: ReadonlyMap<string, DraftTheme>, primary: (string | null)[], secondary: string[][], minSize: number, limit: number): DraftTheme[] {
  const size = new Map<string, number>();
  for (const key of primary) if (key !== null) size.set(key, (size.get(key) ?? 0) + 1);
  const ordered = [...drafts.values()]
    .filter((draft) => (size.get(draft.key) ?? 0) >= minSize)
    .sort((a, b) => (size.get(b.key) ?? 0) - (size.get(a.key) ?? 0) || (a.key < b.key ? -1 : 1));
  const kept = ordered.slice(0, limit);
  const keptKeys = new Set(kept.map((draft) => draft.key));
  primary.forEach((key, index) => {
    const others = (secondary[index] ?? []).filter((other) => keptKeys.has(other));
    if (key !== null && !keptKeys.has(key)) primary[index] = others[0] ?? null;
    secondary[index] = others.filter((other) => other !== primary[index]);
  });
  return kept;
}
