import type { Finding } from '../result.js';
import { toCount } from '../result.js';
import { words } from '../wording.js';
import type { AreaLink } from './area-links.js';
import { percent, shareWithRange, signedCompound, themeSentence } from './comment-words.js';
import type { SentimentSummary } from './comment-sentiment.js';
import type { SentimentTrend } from './sentiment-trend.js';
import type { ThemeImpact } from './theme-impact.js';

const SEVERITY = { alert: 'high', 'lower NPS': 'medium' } as const;

/** One finding per theme: its NPS impact where compared, else its volume. */
export function themeFinding(impact: ThemeImpact, link: AreaLink, english: number): Finding {
  const text = themeSentence(impact, link);
  const d = impact.difference;
  if (d === null) {
    return { code: 'comments.theme_share', text, estimate: impact.share.estimate, unit: 'share', interval: impact.share.interval, n: toCount(english), severity: 'info' };
  }
  return {
    code: 'comments.theme_nps_impact',
    text,
    estimate: d.estimate,
    unit: 'points',
    interval: d.interval,
    n: toCount(d.n[0]),
    ...(impact.pValue === null ? {} : { pValue: impact.pValue }),
    ...(impact.qValue === null ? {} : { qValue: impact.qValue }),
    severity: impact.status === 'alert' || impact.status === 'lower NPS' ? SEVERITY[impact.status] : 'info',
  };
}

/** The sentence and findings of the English comments' sentiment. */
export function sentimentParts(s: SentimentSummary): { summary: string[]; findings: Finding[] } {
  const summary: string[] = [];
  const findings: Finding[] = [];
  if (s.english === 0 || s.compound === null) return { summary, findings };
  const shares = s.shares.map((x) => `${shareWithRange(x.share.estimate, x.share.interval)} ${x.sentiment}`);
  summary.push(
    `Sentiment of the ${words.count(s.english)} English comments (VADER; positive at a compound score of 0.05 or more, negative at −0.05 or less): ${words.list(shares)}; ` +
      `mean compound ${signedCompound(s.compound.estimate)} (${words.interval(s.compound.interval, signedCompound)}).`,
  );
  for (const x of s.shares.filter((y) => y.sentiment !== 'neutral')) {
    findings.push({
      code: `comments.${x.sentiment}_share`,
      text: `${percent(x.share.estimate)} of the ${words.count(s.english)} English comments read ${x.sentiment} (${words.interval(x.share.interval, percent)}).`,
      estimate: x.share.estimate,
      unit: 'share',
      interval: x.share.interval,
      n: toCount(s.english),
      severity: 'info',
    });
  }
  const promoters = s.byNpsClass.find((c) => c.npsClass === 'promoter');
  const detractors = s.byNpsClass.find((c) => c.npsClass === 'detractor');
  const d = s.agreement.difference;
  if (s.withNps === 0) {
    summary.push('The comments’ responses carry no NPS answer, so neither the check of sentiment against the score nor the themes’ impact on NPS can be measured.');
  } else if (d === null || !promoters?.compound || !detractors?.compound) {
    summary.push(`Too few comments from promoters and detractors (${words.count(promoters?.comments ?? 0)} and ${words.count(detractors?.comments ?? 0)}; 10 of each needed) to check sentiment against the NPS answers.`);
  } else {
    const gap = `promoters’ comments average ${signedCompound(promoters.compound.estimate)} against ${signedCompound(detractors.compound.estimate)} for detractors’ (a gap of ${signedCompound(d.estimate)}, ${words.interval(d.interval, signedCompound)})`;
    const text =
      s.agreement.verdict === 'agrees'
        ? `Sentiment agrees with the NPS answers: ${gap}.`
        : `Sentiment does not clearly agree with the NPS answers: ${gap}. Check that the comment question belongs to the same survey as the NPS question and that NPS answers are mapped on 0-10; until then read the themes’ sentiment with care.`;
    summary.push(text);
    findings.push({
      code: 'comments.sentiment_nps_agreement',
      text,
      estimate: d.estimate,
      unit: 'compound',
      interval: d.interval,
      n: toCount(d.n[0] + d.n[1]),
      pValue: d.pValue,
      severity: s.agreement.verdict === 'agrees' ? 'info' : 'medium',
    });
  }
  return { summary, findings };
}

/** The sentence and finding of sentiment over time. */
export function trendParts(t: SentimentTrend): { summary: string[]; findings: Finding[] } {
  const slope = t.slope;
  const first = t.periods[0]?.period;
  const last = t.periods[t.periods.length - 1]?.period;
  if (slope === null || first === undefined || last === undefined) return { summary: [], findings: [] };
  const verdict = slope.interval.lower > 0 ? 'clearly improving' : slope.interval.upper < 0 ? 'clearly worsening' : 'no clear trend';
  const text =
    `Over time (by ${t.unit}, ${first} to ${last}), the mean compound of English comments moves by ${signedCompound(slope.perYear)} a year ` +
    `(${words.interval(slope.interval, signedCompound)}): ${verdict}.`;
  return {
    summary: [text],
    findings: [{ code: 'comments.sentiment_trend', text, estimate: slope.perYear, unit: 'compound_per_year', interval: slope.interval, n: toCount(slope.n), pValue: slope.pValue, severity: 'info' }],
  };
}
