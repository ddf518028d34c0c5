import type { Finding, Result } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, P_VALUE_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTables, type ReferenceTable, type TableRules } from './reference-compare-tables.js';

type Estimate = { estimate: number; lower: number; upper: number; n: number };

/** The comments part of the reference's JSON (bench/reference/comments.py, comment_themes.py). */
export interface ReferenceComments {
  status: 'ok' | 'skipped';
  reason?: string;
  /** Comments with text, English ones, blank and hashed ones, those themed, whether themes were read on a sample. */
  comments?: number;
  english?: number;
  blank?: number;
  hashed?: number;
  themed?: number;
  sampled?: boolean;
  min_theme_size?: number;
  findings?: {
    positive_share: Estimate | null;
    negative_share: Estimate | null;
    sentiment_nps_agreement: (Estimate & { p_value: number }) | null;
    sentiment_trend: (Estimate & { p_value: number }) | null;
  };
  tables?: Record<string, ReferenceTable>;
}

const EXACT = new Set(['language', 'name', 'status', 'comments', 'sentiment', 'nps_class', 'period', 'rank', 'key', 'theme', 'polarity', 'source', 'area', 'experience_area', 'area_link', 'mentions', 'nps_answers', 'nps_others_answers']);
const kindOf = (c: string): ValueKind => (EXACT.has(c) ? 'exact' : c === 'p_value' || c === 'q_value' ? 'p_value' : 'double');

const TABLES: TableRules = {
  comment_languages: { keys: ['language'], kindOf },
  comment_sentiment: { keys: ['sentiment'], kindOf },
  comment_sentiment_by_nps: { keys: ['nps_class'], kindOf },
  comment_themes: { keys: ['key'], kindOf },
  comment_sentiment_trend: { keys: ['period'], kindOf },
};

const TOLERANCE = `languages, classes, themes, ranks, statuses, area links and counts exact; shares, means, NPS and their Wilson, t and normal intervals ${DOUBLE_TOLERANCE}; p- and q-values ${P_VALUE_TOLERANCE}`;

function addFinding(check: CheckBuilder, name: string, reference: (Estimate & { p_value?: number }) | null | undefined, finding: Finding | undefined): void {
  if ((reference ?? null) === null && finding === undefined) return;
  check.add(`${name} n`, reference?.n ?? null, finding?.n ?? null);
  check.add(`${name} estimate`, reference?.estimate ?? null, finding?.estimate ?? null, 'double');
  check.add(`${name} lower`, reference?.lower ?? null, finding?.interval.lower ?? null, 'double');
  check.add(`${name} upper`, reference?.upper ?? null, finding?.interval.upper ?? null, 'double');
  if (reference?.p_value !== undefined || finding?.pValue !== undefined) check.add(`${name} p-value`, reference?.p_value ?? null, finding?.pValue ?? null, 'p_value');
}

/**
 * The comments Result against the reference, which forms its own comments
 * from the survey export (each joined to its response's NPS and CSAT) and
 * takes only each comment's language, VADER compound and themes from cxray's
 * text layer (src/bench/comment-labels.ts): the languages, the sentiment
 * shares and means by NPS class, every theme's volume, NPS impact, screen,
 * status, cost and experience area, the trend by period, and the sentiment
 * findings (the shares, promoters against detractors, the slope per year).
 * Closed forms throughout: Wilson, t and Welch intervals, the NPS
 * difference's normal interval, Benjamini-Hochberg.
 */
export function compareComments(result: Result | undefined, reference: ReferenceComments | undefined): FigureCheck[] {
  const checks = [statusCheck('comments status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  checks.push(...compareTables('comments', reference.tables, result, TABLES, TOLERANCE));
  const findings = new CheckBuilder('comments findings', `n exact; estimates and intervals ${DOUBLE_TOLERANCE}; p-values ${P_VALUE_TOLERANCE}`);
  const find = (code: string): Finding | undefined => result.findings.find((f) => f.code === code);
  const ref = reference.findings;
  addFinding(findings, 'positive share', ref?.positive_share, find('comments.positive_share'));
  addFinding(findings, 'negative share', ref?.negative_share, find('comments.negative_share'));
  addFinding(findings, 'promoters against detractors', ref?.sentiment_nps_agreement, find('comments.sentiment_nps_agreement'));
  addFinding(findings, 'trend per year', ref?.sentiment_trend, find('comments.sentiment_trend'));
  checks.push(findings.build());
  return checks;
}
