import type { IntervalEstimate } from '../../stats/index.js';
import { groupTable, SHARE_WITH_INTERVAL_COLUMNS, type TableColumnSpec } from '../result-builder.js';
import type { Cell, ResultTable } from '../result.js';
import type { AreaLink } from './area-links.js';
import { languageName, type LanguageCount } from './comment-languages.js';
import type { SentimentSummary } from './comment-sentiment.js';
import { maskPersonalData } from './mask-personal-data.js';
import type { SentimentTrend } from './sentiment-trend.js';
import type { ThemeImpact } from './theme-impact.js';

const est = (x: IntervalEstimate | null): [Cell, Cell, Cell] => (x === null ? [null, null, null] : [x.estimate, x.interval.lower, x.interval.upper]);

/** `comment_languages`: comments per language, and whether they were scored. */
export function languagesTable(languages: readonly LanguageCount[], total: number): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'language', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'status', type: 'string' },
    { name: 'comments', type: 'integer', unit: 'count' },
    { name: 'share', type: 'number', unit: 'share' },
  ];
  const rows: Cell[][] = languages.map((l) => [l.language, languageName(l.language), l.language === 'en' ? 'scored' : 'not scored', l.comments, total > 0 ? l.comments / total : null]);
  return groupTable('comment_languages', columns, rows, { countColumn: 'comments', keyColumns: ['language', 'name', 'status'] });
}

/** `comment_sentiment`: the English comments positive, neutral and negative. */
export function sentimentTable(summary: SentimentSummary): ResultTable {
  const columns: TableColumnSpec[] = [{ name: 'sentiment', type: 'string' }, { name: 'comments', type: 'integer', unit: 'count' }, ...SHARE_WITH_INTERVAL_COLUMNS];
  const rows: Cell[][] = summary.shares.map((s) => [s.sentiment, s.comments, ...est(s.share)]);
  return groupTable('comment_sentiment', columns, rows, { countColumn: 'comments', keyColumns: ['sentiment'] });
}

/** `comment_sentiment_by_nps`: mean compound of the comments by the response's NPS class. */
export function sentimentByNpsTable(summary: SentimentSummary): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'nps_class', type: 'string' },
    { name: 'comments', type: 'integer', unit: 'count' },
    { name: 'mean_compound', type: 'number', unit: 'compound' },
    { name: 'lower', type: 'number', unit: 'compound' },
    { name: 'upper', type: 'number', unit: 'compound' },
    { name: 'negative_share', type: 'number', unit: 'share' },
  ];
  const rows: Cell[][] = summary.byNpsClass.map((c) => [c.npsClass, c.comments, ...est(c.compound), c.comments > 0 ? c.negative / c.comments : null]);
  return groupTable('comment_sentiment_by_nps', columns, rows, { countColumn: 'comments', keyColumns: ['nps_class'] });
}

/** `comment_sentiment_trend`: per month or quarter, mean compound and the shares positive and negative. */
export function trendTable(trend: SentimentTrend): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'period', type: 'string' },
    { name: 'comments', type: 'integer', unit: 'count' },
    { name: 'mean_compound', type: 'number', unit: 'compound' },
    { name: 'lower', type: 'number', unit: 'compound' },
    { name: 'upper', type: 'number', unit: 'compound' },
    { name: 'positive_share', type: 'number', unit: 'share' },
    { name: 'positive_lower', type: 'number', unit: 'share' },
    { name: 'positive_upper', type: 'number', unit: 'share' },
    { name: 'negative_share', type: 'number', unit: 'share' },
    { name: 'negative_lower', type: 'number', unit: 'share' },
    { name: 'negative_upper', type: 'number', unit: 'share' },
  ];
  const rows: Cell[][] = trend.periods.map((p) => [p.period, p.comments, ...est(p.compound), ...est(p.positive), ...est(p.negative)]);
  return groupTable('comment_sentiment_trend', columns, rows, { countColumn: 'comments', keyColumns: ['period'] });
}

/** Top phrases of a theme, masked like its samples. */
export function phrasesOf(impact: ThemeImpact): string {
  return impact.theme.topPhrases.map((p) => maskPersonalData(p.phrase)).join('; ');
}

/** `comment_themes`: one row per theme, in "where to act" order. */
export function themesTable(impacts: readonly ThemeImpact[], links: ReadonlyMap<string, AreaLink>): ResultTable {
  const columns: TableColumnSpec[] = [
    { name: 'rank', type: 'integer', unit: null },
    { name: 'key', type: 'string' },
    { name: 'theme', type: 'string' },
    { name: 'polarity', type: 'string' },
    { name: 'source', type: 'string' },
    { name: 'area', type: 'string' },
    { name: 'experience_area', type: 'string' },
    { name: 'area_link', type: 'string' },
    { name: 'status', type: 'string' },
    { name: 'comments', type: 'integer', unit: 'count' },
    { name: 'mentions', type: 'integer', unit: 'count' },
    ...SHARE_WITH_INTERVAL_COLUMNS,
    { name: 'mean_compound', type: 'number', unit: 'compound' },
    { name: 'compound_lower', type: 'number', unit: 'compound' },
    { name: 'compound_upper', type: 'number', unit: 'compound' },
    { name: 'nps_answers', type: 'integer', unit: 'count' },
    { name: 'nps_mentioning', type: 'number', unit: 'points' },
    { name: 'nps_others_answers', type: 'integer', unit: 'count' },
    { name: 'nps_others', type: 'number', unit: 'points' },
    { name: 'nps_difference', type: 'number', unit: 'points' },
    { name: 'difference_lower', type: 'number', unit: 'points' },
    { name: 'difference_upper', type: 'number', unit: 'points' },
    { name: 'p_value', type: 'number', unit: null },
    { name: 'q_value', type: 'number', unit: null },
    { name: 'nps_points_cost', type: 'number', unit: 'points' },
    { name: 'csat_mentioning', type: 'number', unit: null },
    { name: 'csat_others', type: 'number', unit: null },
    { name: 'top_phrases', type: 'string' },
  ];
  const answers = (c: ThemeImpact['mentioning']): number => c.promoters + c.passives + c.detractors;
  const rows: Cell[][] = impacts.map((i, k) => {
    const link = links.get(i.theme.key);
    return [
      k + 1,
      i.theme.key,
      i.theme.label,
      i.theme.polarity,
      i.theme.source,
      i.theme.area,
      link?.key ?? null,
      link?.how ?? 'none',
      i.status,
      i.theme.size,
      i.mentions,
      ...est(i.share),
      ...est(i.compound),
      answers(i.mentioning),
      i.npsMentioning?.estimate ?? null,
      answers(i.others),
      i.npsOthers?.estimate ?? null,
      i.difference?.estimate ?? null,
      i.difference?.interval.lower ?? null,
      i.difference?.interval.upper ?? null,
      i.pValue,
      i.qValue,
      i.cost,
      i.csatMentioning?.estimate ?? null,
      i.csatOthers?.estimate ?? null,
      phrasesOf(i),
    ];
  });
  return groupTable('comment_themes', columns, rows, { countColumn: 'mentions', keyColumns: ['rank', 'key', 'theme', 'polarity', 'source', 'area', 'experience_area', 'area_link', 'status'] });
}

/** `comment_theme_samples`: representative comments of each theme, e-mails and phone numbers masked. */
export function samplesTable(impacts: readonly ThemeImpact[]): ResultTable {
  const rows: Cell[][] = impacts.flatMap((i) => i.theme.samples.map((text, k) => [i.theme.key, i.theme.label, k + 1, maskPersonalData(text)]));
  return {
    name: 'comment_theme_samples',
    columns: [
      { name: 'key', type: 'string', unit: null },
      { name: 'theme', type: 'string', unit: null },
      { name: 'sample', type: 'integer', unit: null },
      { name: 'comment', type: 'string', unit: null },
    ],
    rows,
  };
}
