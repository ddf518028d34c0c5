import type { ConceptHit, ConceptLexicon } from './concept-lexicon.js';
import { matchConcepts } from './concept-lexicon.js';
import { PhraseMatcher, phraseStems } from './phrase-matcher.js';
import type { Phrase, PhraseToken } from './phrases.js';
import { candidatePhrases } from './phrases.js';
import { CUE_WORDS, clauseScores } from './polarity.js';
import { repairWords, SpellingCorrector } from './spelling.js';
import { stemWord } from './stem.js';
import { DISCOURSE_MARKERS, NEGATORS, STOPWORDS } from './stopwords.js';
import type { WordToken } from './tokenize.js';
import { tokenize } from './tokenize.js';

/** A comment read for themes: repaired words, concepts, clause polarity and phrases. */
export interface AnalyzedComment {
  id: string;
  text: string;
  /** The caller's sentiment score in [-1, 1] (e.g. VADER compound), if given. */
  sentiment: number | null;
  tokens: PhraseToken[];
  hits: ConceptHit[];
  clauseScores: number[];
  phrases: Phrase[];
  /** True when a word was corrected or re-spaced: such a comment is a poorer sample to show. */
  repaired: boolean;
}

const markerMatcher = new PhraseMatcher(DISCOURSE_MARKERS.map((marker) => ({ stems: phraseStems(marker), payload: null })));

function dictionaryFor(lexicon: ConceptLexicon): Set<string> {
  const markerWords = DISCOURSE_MARKERS.flatMap((marker) => marker.split(' '));
  return new Set([...lexicon.words, ...CUE_WORDS, ...STOPWORDS, ...NEGATORS, ...markerWords]);
}

function repaired(tokens: readonly WordToken[], corrector: SpellingCorrector): WordToken[] {
  const replacements = repairWords(tokens.map((token) => token.word), corrector, tokens.map((token) => token.boundaryBefore));
  const out: WordToken[] = [];
  replacements.forEach((words, i) => {
    const source = tokens[i];
    if (source === undefined) return;
    words.forEach((word, k) => out.push({ word, clause: source.clause, sentence: source.sentence, boundaryBefore: k === 0 ? source.boundaryBefore : false }));
  });
  return out;
}

/**
 * Reads a batch of English comments: tokens, typos repaired against the
 * batch's own vocabulary and the lexicon, stems, discourse markers masked,
 * then concepts, clause polarity and candidate phrases per comment. The
 * vocabulary counts are document frequencies over the whole batch, so the
 * result does not depend on the order of the comments.
 */
export function analyzeComments(
  comments: readonly { id: string; text: string; sentiment?: number | null }[],
  lexicon: ConceptLexicon,
): AnalyzedComment[] {
  const tokenized = comments.map((comment) => tokenize(comment.text));
  const documentFrequency = new Map<string, number>();
  for (const tokens of tokenized) for (const word of new Set(tokens.map((token) => token.word))) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  const corrector = new SpellingCorrector(documentFrequency, dictionaryFor(lexicon));
  return comments.map((comment, index) => {
    const original = tokenized[index] ?? [];
    const words = repaired(original, corrector);
    const tokens: PhraseToken[] = words.map((token) => ({ ...token, stem: stemWord(token.word) }));
    for (const marker of markerMatcher.match(tokens)) for (let i = marker.start; i <= marker.end; i += 1) {
      const token = tokens[i];
      if (token !== undefined) token.stem = null;
    }
    const sentiment = comment.sentiment ?? null;
    return {
      id: comment.id,
      text: comment.text,
      sentiment: sentiment !== null && Number.isFinite(sentiment) ? sentiment : null,
      tokens,
      hits: matchConcepts(tokens, lexicon),
      clauseScores: clauseScores(tokens),
      phrases: candidatePhrases(tokens),
      repaired: words.length !== original.length || words.some((token, i) => token.word !== original[i]?.word),
    };
  });
}
