import type { AnalyzedComment } from './analyze-comments.js';
import type { ConceptHit } from './concept-lexicon.js';
import type { Polarity } from './polarity.js';
import { polarityOf } from './polarity.js';

/** VADER's own cut-off for a compound score to count as positive or negative. */
const SENTIMENT_CUTOFF = 0.05;

function fromSentiment(sentiment: number | null): Polarity {
  if (sentiment === null) return 'neutral';
  return sentiment >= SENTIMENT_CUTOFF ? 'positive' : sentiment <= -SENTIMENT_CUTOFF ? 'negative' : 'neutral';
}

/** The polarity of a whole comment: its cues, else the caller's sentiment score. */
export function commentPolarity(comment: AnalyzedComment): Polarity {
  const own = polarityOf(comment.clauseScores.reduce((sum, score) => sum + score, 0));
  return own !== 'neutral' ? own : fromSentiment(comment.sentiment);
}

/**
 * The polarity with which a comment speaks of one concept: the cues of the
 * clauses that name it ("staff were lovely but the wait was endless" praises
 * staff and complains of the wait), else the whole comment's.
 */
export function hitPolarity(comment: AnalyzedComment, hit: ConceptHit): Polarity {
  const clauses = new Set(hit.tokens.map((index) => comment.tokens[index]?.clause ?? 0));
  let score = 0;
  for (const clause of clauses) score += comment.clauseScores[clause] ?? 0;
  const own = polarityOf(Math.round(score * 1000) / 1000);
  return own !== 'neutral' ? own : commentPolarity(comment);
}
