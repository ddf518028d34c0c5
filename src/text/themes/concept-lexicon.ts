import type { ConceptDefinition } from './concept-definition.js';
import { TERM_WEIGHT, WEAK_TERM_WEIGHT } from './concept-definition.js';
import type { MatchToken, PhraseMatch } from './phrase-matcher.js';
import { PhraseMatcher, phraseStems } from './phrase-matcher.js';
import { isStopword } from './stopwords.js';
import { tokenize } from './tokenize.js';

interface TermRef {
  concept: number;
  /** The term's stems joined by spaces: one term however many spellings list it. */
  key: string;
  weight: number;
}

/** Concepts compiled for matching. */
export interface ConceptLexicon {
  concepts: readonly ConceptDefinition[];
  matcher: PhraseMatcher<TermRef>;
  /** Every word the lexicon's terms are written with: spellings the corrector may correct towards. */
  words: ReadonlySet<string>;
}

/** A concept a comment talks about, with the evidence. */
export interface ConceptHit {
  concept: string;
  /** Sum of the weights of the distinct terms found (1 specific, 0.4 weak; less in later sentences). */
  score: number;
  /** The weight of the most specific term found. */
  strongest: number;
  /** Token index of the first term found. */
  first: number;
  /** Token indexes covered by the concept's terms. */
  tokens: readonly number[];
}

export function compileConcepts(concepts: readonly ConceptDefinition[]): ConceptLexicon {
  const entries: { stems: string[]; payload: TermRef }[] = [];
  const words = new Set<string>();
  concepts.forEach((definition, concept) => {
    const weights = new Map<string, { stems: string[]; weight: number }>();
    const add = (term: string, weight: number): void => {
      for (const token of tokenize(term)) words.add(token.word);
      const stems = phraseStems(term);
      const key = stems.join(' ');
      if (stems.length > 0 && (weights.get(key)?.weight ?? 0) < weight) weights.set(key, { stems, weight });
    };
    for (const term of definition.weakTerms) add(term, WEAK_TERM_WEIGHT);
    for (const term of definition.terms) add(term, TERM_WEIGHT);
    for (const [key, { stems, weight }] of [...weights].sort(([a], [b]) => (a < b ? -1 : 1))) {
      entries.push({ stems, payload: { concept, key, weight } });
    }
  });
  return { concepts, matcher: new PhraseMatcher(entries), words };
}

/**
 * The concepts a comment talks about, best first: highest score, then the
 * most specific term, then the earliest mention (a comment's first topic is
 * usually its point), then the key. Negation does not block a match: "not
 * friendly" is about staff as much as "friendly" is.
 */
export function matchConcepts(tokens: readonly MatchToken[], lexicon: ConceptLexicon): ConceptHit[] {
  const perConcept = new Map<number, { terms: Map<string, number>; strongest: number; first: number; tokens: Set<number> }>();
  const rank = sentenceRanks(tokens);
  for (const match of maximalMatches(lexicon.matcher.match(tokens))) {
    const { concept, key } = match.payload;
    const weight = match.payload.weight * Math.max(LATE_SENTENCE_FLOOR, LATE_SENTENCE_DECAY ** (rank.get(tokens[match.start]?.sentence ?? 0) ?? 0));
    const entry = perConcept.get(concept) ?? { terms: new Map<string, number>(), strongest: 0, first: match.start, tokens: new Set<number>() };
    entry.terms.set(key, Math.max(entry.terms.get(key) ?? 0, weight));
    entry.strongest = Math.max(entry.strongest, match.payload.weight);
    entry.first = Math.min(entry.first, match.start);
    for (let i = match.start; i <= match.end; i += 1) entry.tokens.add(i);
    perConcept.set(concept, entry);
  }
  const hits: ConceptHit[] = [];
  for (const [concept, entry] of perConcept) {
    const weights = [...entry.terms.values()];
    hits.push({
      concept: lexicon.concepts[concept]?.key ?? '',
      score: Math.round(weights.reduce((sum, weight) => sum + weight, 0) * 1000) / 1000,
      strongest: entry.strongest,
      first: entry.first,
      tokens: [...entry.tokens].sort((a, b) => a - b),
    });
  }
  return hits.sort(compareHits);
}

/**
 * A mention's weight falls by a quarter per sentence after the first that
 * says anything (to half at most): a comment's first point is its main
 * point, and afterthoughts ("PS: please call me back") rarely are.
 */
const LATE_SENTENCE_DECAY = 0.75;
const LATE_SENTENCE_FLOOR = 0.5;

// Sentences counted from the first with a content word: an opener ("Hmm.") is not the first point.
function sentenceRanks(tokens: readonly MatchToken[]): Map<number, number> {
  const ranks = new Map<number, number>();
  for (const token of tokens) {
    const sentence = token.sentence ?? 0;
    if (ranks.has(sentence) || token.stem === null || token.word === undefined || isStopword(token.word)) continue;
    ranks.set(sentence, ranks.size);
  }
  return ranks;
}

// A term inside a longer term is not evidence of its own: "explanation" in
// "no explanation" is one mention, and "call" in "call me back" is support's,
// not a marketing call's.
function maximalMatches(matches: readonly PhraseMatch<TermRef>[]): PhraseMatch<TermRef>[] {
  const bySpan = [...matches].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: PhraseMatch<TermRef>[] = [];
  for (const match of bySpan) {
    const inside = kept.some((other) => {
      const contains = other.start <= match.start && match.end <= other.end;
      const longer = other.end - other.start > match.end - match.start;
      return contains && (longer || (other.payload.concept === match.payload.concept && other.payload.key !== match.payload.key));
    });
    if (!inside) kept.push(match);
  }
  return kept;
}

export function compareHits(a: ConceptHit, b: ConceptHit): number {
  return b.score - a.score || b.strongest - a.strongest || a.first - b.first || (a.concept < b.concept ? -1 : a.concept > b.concept ? 1 : 0);
}
