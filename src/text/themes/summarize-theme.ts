import type { AnalyzedComment } from './analyze-comments.js';
import { CUE_WORDS } from './polarity.js';
import type { SparseVector } from './sparse-vector.js';
import { centroid, cosine } from './sparse-vector.js';
import type { ThemePhrase } from './theme-types.js';

/** Phrases shown per theme. */
const TOP_PHRASES = 8;
/** A phrase is shown when at least this much more common in the theme than in all comments. */
const MIN_LIFT = 1.5;
/** A longer phrase replaces a shorter one inside it when it covers this share of its comments. */
const ABSORB_SHARE = 0.8;

/** Corpus-wide facts the summaries compare against. */
export interface PhraseStatistics {
  /** Comments containing each phrase key. */
  documentFrequency: ReadonlyMap<string, number>;
  /** The spelling of each phrase key most often written. */
  display: ReadonlyMap<string, string>;
  comments: number;
}

export function phraseStatistics(comments: readonly AnalyzedComment[]): PhraseStatistics {
  const documentFrequency = new Map<string, number>();
  const spellings = new Map<string, Map<string, number>>();
  for (const comment of comments) {
    for (const phrase of comment.phrases) {
      documentFrequency.set(phrase.key, (documentFrequency.get(phrase.key) ?? 0) + 1);
      const forKey = spellings.get(phrase.key) ?? new Map<string, number>();
      forKey.set(phrase.text, (forKey.get(phrase.text) ?? 0) + 1);
      spellings.set(phrase.key, forKey);
    }
  }
  const display = new Map<string, string>();
  for (const [key, forKey] of spellings) {
    const [text] = [...forKey].sort(([ta, a], [tb, b]) => b - a || (ta < tb ? -1 : ta > tb ? 1 : 0))[0] ?? [key];
    display.set(key, text);
  }
  return { documentFrequency, display, comments: comments.length };
}

function contains(longer: string, shorter: string): boolean {
  return ` ${longer} `.includes(` ${shorter} `);
}

/**
 * The phrases that characterise a theme: most frequent among its comments,
 * at least 1.5 times as common there as overall, opinion words alone left
 * out, and a phrase inside a longer one dropped when the longer one covers
 * most of its comments ("hold times" gives way to "long hold times").
 */
export function topPhrases(members: readonly AnalyzedComment[], statistics: PhraseStatistics, limit = TOP_PHRASES): ThemePhrase[] {
  const counts = new Map<string, number>();
  for (const comment of members) for (const phrase of comment.phrases) counts.set(phrase.key, (counts.get(phrase.key) ?? 0) + 1);
  const minCount = members.length >= 4 ? 2 : 1;
  const ranked = [...counts]
    .filter(([key, count]) => {
      if (count < minCount) return false;
      const overall = (statistics.documentFrequency.get(key) ?? count) / Math.max(statistics.comments, 1);
      const lift = count / members.length / overall;
      const words = (statistics.display.get(key) ?? key).split(' ');
      return lift >= MIN_LIFT && !words.every((word) => CUE_WORDS.has(word));
    })
    .sort(([ka, a], [kb, b]) => b - a || kb.split(' ').length - ka.split(' ').length || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const chosen: [string, number][] = [];
  for (const [key, count] of ranked) {
    const inside = chosen.findIndex(([other, otherCount]) => contains(key, other) && count >= ABSORB_SHARE * otherCount);
    if (inside >= 0) {
      chosen[inside] = [key, count];
      continue;
    }
    if (chosen.some(([other, otherCount]) => contains(other, key) && otherCount >= ABSORB_SHARE * count)) continue;
    chosen.push([key, count]);
    if (chosen.length >= limit) break;
  }
  return chosen
    .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([key, count]) => ({ phrase: statistics.display.get(key) ?? key, count }));
}

/** Comments considered for samples: the closest to the centre. */
const SAMPLE_POOL = 100;
/** Maximal marginal relevance: weight of closeness to the centre against difference from samples already taken. */
const SAMPLE_RELEVANCE = 0.6;
/** A comment with typos is shown only when no clean one is about as good. */
const REPAIRED_PENALTY = 0.1;

/**
 * Representative comments: close to the theme's centre (cosine of TF-IDF
 * vectors) yet different from each other, by maximal marginal relevance
 * (Carbonell & Goldstein 1998), each wording once; ties go to the shorter
 * comment, then the id.
 */
export function sampleComments(members: readonly AnalyzedComment[], vectors: ReadonlyMap<string, SparseVector>, limit: number): string[] {
  const vectorOf = (comment: AnalyzedComment): SparseVector => vectors.get(comment.id) ?? new Map();
  const centre = centroid(members.map(vectorOf));
  const seen = new Set<string>();
  const pool = members
    .map((comment) => ({ comment, closeness: Math.round(cosine(vectorOf(comment), centre) * 1e9) / 1e9 }))
    .sort((a, b) => b.closeness - a.closeness || a.comment.text.length - b.comment.text.length || (a.comment.id < b.comment.id ? -1 : 1))
    .filter(({ comment }) => {
      const wording = comment.tokens.filter((token) => token.stem !== null).map((token) => token.word).join(' ');
      if (seen.has(wording)) return false;
      seen.add(wording);
      return true;
    })
    .slice(0, SAMPLE_POOL);
  const chosen: typeof pool = [];
  while (chosen.length < limit && pool.length > 0) {
    let bestAt = 0;
    let bestScore = -Infinity;
    pool.forEach((candidate, at) => {
      const redundancy = Math.max(0, ...chosen.map((taken) => cosine(vectorOf(candidate.comment), vectorOf(taken.comment))));
      const penalty = candidate.comment.repaired ? REPAIRED_PENALTY : 0;
      const score = Math.round((SAMPLE_RELEVANCE * candidate.closeness - (1 - SAMPLE_RELEVANCE) * redundancy - penalty) * 1e9) / 1e9;
      if (score > bestScore) {
        bestScore = score;
        bestAt = at;
      }
    });
    chosen.push(...pool.splice(bestAt, 1));
  }
  return chosen.map(({ comment }) => comment.text.trim());
}
