import { benjaminiHochberg, normalCdf, npsDifference, npsInterval, wilsonInterval, type DifferenceEstimate, type IntervalEstimate, type NpsCounts } from '../../stats/index.js';
import type { Theme } from '../../text/themes/index.js';
import { npsClassOf } from './comment-sentiment.js';
import { addTo, emptySums, meanOf, type MeanSums } from './mean-sums.js';
import type { ReadComment } from './read-comments.js';

/** Each side of a theme's NPS comparison needs this many NPS answers: below it the normal interval of an NPS is too rough to screen on. */
export const MINIMUM_NPS_ANSWERS = 30;

export const IMPACT_STATUSES = ['alert', 'lower NPS', 'higher NPS', 'no clear difference', 'too few NPS answers'] as const;
export type ImpactStatus = (typeof IMPACT_STATUSES)[number];

/** What the screen of themes against NPS needs to know. */
export interface ImpactRule {
  level: number;
  fdr: number;
  /** A theme must be mentioned in at least this share of the English comments to alert. */
  minimumShare: number;
  /** Its difference's whole interval must lie at least this many NPS points below zero to alert. */
  margin: number;
}

export interface ThemeImpact {
  theme: Theme;
  /** English comments that mention it (primary or secondary). */
  mentions: number;
  /** Mentions over the English comments, with its Wilson interval. */
  share: IntervalEstimate;
  /** Mean compound of the comments that mention it. */
  compound: IntervalEstimate | null;
  mentioning: NpsCounts;
  /** English comments with an NPS answer that do not mention it. */
  others: NpsCounts;
  npsMentioning: IntervalEstimate | null;
  npsOthers: IntervalEstimate | null;
  /** NPS of those mentioning it minus that of the others, in points. */
  difference: DifferenceEstimate | null;
  /** One-sided p-value of "mentioning it goes with a lower NPS". */
  pValue: number | null;
  /** Benjamini-Hochberg over the themes compared. */
  qValue: number | null;
  csatMentioning: IntervalEstimate | null;
  csatOthers: IntervalEstimate | null;
  status: ImpactStatus;
  /**
   * NPS points among the English commenters the theme costs: its share
   * times its gap (others minus mentioning); negative when it lifts NPS.
   * The "where to act" order. Null when not compared.
   */
  cost: number | null;
}

const noAnswers = (): NpsCounts => ({ promoters: 0, passives: 0, detractors: 0 });
const answers = (c: NpsCounts): number => c.promoters + c.passives + c.detractors;

function count(into: NpsCounts, score: number): void {
  const cls = npsClassOf(score);
  if (cls === 'promoter') into.promoters += 1;
  else if (cls === 'passive') into.passives += 1;
  else into.detractors += 1;
}

const minus = (a: NpsCounts, b: NpsCounts): NpsCounts => ({ promoters: a.promoters - b.promoters, passives: a.passives - b.passives, detractors: a.detractors - b.detractors });

/**
 * Each theme's impact on NPS: the NPS of the English commenters who mention
 * it (primary or secondary theme) against those who commented but did not,
 * each from the NPS answer of the comment's own response; the difference's
 * interval adds the two groups' multinomial variances (promoters minus
 * detractors, scored +100/0/-100; Rocks 2016), the groups taken as
 * independent. The themes compared (both sides with MINIMUM_NPS_ANSWERS)
 * are screened together: a one-sided test of a lower NPS, Benjamini-Hochberg
 * across them; an alert needs a complaint theme, q within the false
 * discovery rate, the whole interval `margin` points below zero and at least
 * `minimumShare` of the comments. Sorted by what the theme costs (share x
 * gap), the largest cost first; themes not compared last, by mentions.
 */
export function themeImpacts(english: readonly ReadComment[], themes: readonly Theme[], rule: ImpactRule): ThemeImpact[] {
  const all = noAnswers();
  const csatAll = emptySums();
  const byTheme = new Map<string, { mentions: number; compound: MeanSums; nps: NpsCounts; csat: MeanSums }>(
    themes.map((t) => [t.key, { mentions: 0, compound: emptySums(), nps: noAnswers(), csat: emptySums() }]),
  );
  for (const comment of english) {
    if (comment.row.nps !== null) count(all, comment.row.nps);
    if (comment.row.csat !== null) addTo(csatAll, comment.row.csat);
    for (const key of comment.themes) {
      const entry = byTheme.get(key);
      if (entry === undefined) continue;
      entry.mentions += 1;
      addTo(entry.compound, comment.compound);
      if (comment.row.nps !== null) count(entry.nps, comment.row.nps);
      if (comment.row.csat !== null) addTo(entry.csat, comment.row.csat);
    }
  }
  const n = english.length;
  const impacts: ThemeImpact[] = themes.map((theme) => {
    const entry = byTheme.get(theme.key) ?? { mentions: 0, compound: emptySums(), nps: noAnswers(), csat: emptySums() };
    const others = minus(all, entry.nps);
    const compared = answers(entry.nps) >= MINIMUM_NPS_ANSWERS && answers(others) >= MINIMUM_NPS_ANSWERS;
    const difference = compared ? npsDifference(entry.nps, others, rule.level) : null;
    const share = wilsonInterval({ count: entry.mentions, n: Math.max(n, 1) }, rule.level);
    const csatOthers: MeanSums = { n: csatAll.n - entry.csat.n, sum: csatAll.sum - entry.csat.sum, squares: csatAll.squares - entry.csat.squares };
    return {
      theme,
      mentions: entry.mentions,
      share,
      compound: meanOf(entry.compound, rule.level),
      mentioning: entry.nps,
      others,
      npsMentioning: answers(entry.nps) > 0 ? npsInterval(entry.nps, rule.level) : null,
      npsOthers: answers(others) > 0 ? npsInterval(others, rule.level) : null,
      difference,
      pValue: difference === null ? null : oneSidedLower(difference),
      qValue: null,
      csatMentioning: meanOf(entry.csat, rule.level),
      csatOthers: meanOf(csatOthers, rule.level),
      status: 'too few NPS answers',
      cost: difference === null ? null : -share.estimate * difference.estimate,
    };
  });
  const screened = impacts.filter((i) => i.pValue !== null);
  const q = benjaminiHochberg(screened.map((i) => i.pValue ?? 1));
  screened.forEach((impact, k) => {
    impact.qValue = q[k] ?? 1;
    impact.status = statusOf(impact, rule);
  });
  return impacts.sort((a, b) => {
    if (a.cost !== null && b.cost !== null) return b.cost - a.cost || byKey(a, b);
    if (a.cost !== null) return -1;
    if (b.cost !== null) return 1;
    return b.mentions - a.mentions || byKey(a, b);
  });
}

const byKey = (a: ThemeImpact, b: ThemeImpact): number => (a.theme.key < b.theme.key ? -1 : a.theme.key > b.theme.key ? 1 : 0);

function oneSidedLower(d: DifferenceEstimate): number {
  if (d.standardError > 0) return normalCdf(d.estimate / d.standardError);
  return d.estimate < 0 ? 0 : d.estimate > 0 ? 1 : 0.5;
}

function statusOf(impact: ThemeImpact, rule: ImpactRule): ImpactStatus {
  const d = impact.difference;
  if (d === null || impact.qValue === null) return 'too few NPS answers';
  const clearlyLower = impact.qValue <= rule.fdr && d.interval.upper < 0;
  if (clearlyLower && impact.theme.polarity === 'negative' && d.interval.upper <= -rule.margin && impact.share.estimate >= rule.minimumShare) return 'alert';
  if (clearlyLower) return 'lower NPS';
  if (d.interval.lower > 0) return 'higher NPS';
  return 'no clear difference';
}
