import { welchDifference, wilsonInterval, type IntervalEstimate, type WelchDifference } from '../../stats/index.js';
import { addTo, emptySums, meanOf, meanSummary, type MeanSums } from './mean-sums.js';
import type { ReadComment } from './read-comments.js';

/**
 * VADER's own cut-offs for a compound score (Hutto & Gilbert 2014, and the
 * vaderSentiment README): positive at 0.05 or more, negative at -0.05 or
 * less, neutral between.
 */
export const SENTIMENT_THRESHOLD = 0.05;

export const SENTIMENT_CLASSES = ['positive', 'neutral', 'negative'] as const;
export type SentimentClass = (typeof SENTIMENT_CLASSES)[number];

export function sentimentClass(compound: number): SentimentClass {
  if (compound >= SENTIMENT_THRESHOLD) return 'positive';
  if (compound <= -SENTIMENT_THRESHOLD) return 'negative';
  return 'neutral';
}

export const NPS_CLASSES = ['promoter', 'passive', 'detractor'] as const;
export type NpsClass = (typeof NPS_CLASSES)[number];

/** Promoters answer 9-10, passives 7-8, detractors 0-6 (a response's two answers averaged first). */
export function npsClassOf(score: number): NpsClass {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

export interface SentimentShare {
  sentiment: SentimentClass;
  comments: number;
  share: IntervalEstimate;
}

export interface NpsClassSentiment {
  npsClass: NpsClass;
  comments: number;
  /** Mean compound of their comments, null under 2. */
  compound: IntervalEstimate | null;
  negative: number;
}

/** How sentiment reads against the score: promoters' comments against detractors'. */
export interface SentimentAgreement {
  /** Mean compound of promoters' comments minus detractors' (Welch), null when either has fewer than the minimum. */
  difference: WelchDifference | null;
  /** `agrees`: clearly more positive among promoters; `disagrees`: not clearly; `unknown`: too few to tell. */
  verdict: 'agrees' | 'disagrees' | 'unknown';
}

/** Comments a class needs before its mean sentiment is compared. */
export const MINIMUM_CLASS_COMMENTS = 10;

export interface SentimentSummary {
  english: number;
  shares: SentimentShare[];
  compound: IntervalEstimate | null;
  byNpsClass: NpsClassSentiment[];
  /** English comments whose response has an NPS answer. */
  withNps: number;
  agreement: SentimentAgreement;
}

/**
 * The sentiment of the English comments: shares positive, neutral and
 * negative with Wilson intervals, the mean compound, and the mean compound
 * by the response's NPS class, a check that the text agrees with the score
 * (promoters' comments should read more positive than detractors').
 */
export function sentimentSummary(english: readonly ReadComment[], level: number): SentimentSummary {
  const counts = new Map<SentimentClass, number>(SENTIMENT_CLASSES.map((c) => [c, 0]));
  const all = emptySums();
  const byClass = new Map<NpsClass, { sums: MeanSums; negative: number }>(NPS_CLASSES.map((c) => [c, { sums: emptySums(), negative: 0 }]));
  let withNps = 0;
  for (const comment of english) {
    const sentiment = sentimentClass(comment.compound);
    counts.set(sentiment, (counts.get(sentiment) ?? 0) + 1);
    addTo(all, comment.compound);
    if (comment.row.nps === null) continue;
    withNps += 1;
    const entry = byClass.get(npsClassOf(comment.row.nps));
    if (entry === undefined) continue;
    addTo(entry.sums, comment.compound);
    if (sentiment === 'negative') entry.negative += 1;
  }
  const n = english.length;
  const shares = n === 0 ? [] : SENTIMENT_CLASSES.map((sentiment) => ({ sentiment, comments: counts.get(sentiment) ?? 0, share: wilsonInterval({ count: counts.get(sentiment) ?? 0, n }, level) }));
  const byNpsClass = NPS_CLASSES.map((npsClass) => {
    const entry = byClass.get(npsClass) ?? { sums: emptySums(), negative: 0 };
    return { npsClass, comments: entry.sums.n, compound: meanOf(entry.sums, level), negative: entry.negative };
  });
  const promoters = byClass.get('promoter')?.sums ?? emptySums();
  const detractors = byClass.get('detractor')?.sums ?? emptySums();
  let agreement: SentimentAgreement = { difference: null, verdict: 'unknown' };
  if (promoters.n >= MINIMUM_CLASS_COMMENTS && detractors.n >= MINIMUM_CLASS_COMMENTS) {
    const a = meanSummary(promoters);
    const b = meanSummary(detractors);
    if (a.sd > 0 || b.sd > 0) {
      const difference = welchDifference(a, b, level);
      agreement = { difference, verdict: difference.interval.lower > 0 ? 'agrees' : 'disagrees' };
    }
  }
  return { english: n, shares, compound: meanOf(all, level), byNpsClass, withNps, agreement };
}
