import { isSuppressed } from '../../stats/index.js';
import { shareLineChart, VEGA_LITE_SCHEMA } from '../charts.js';
import type { Chart } from '../result.js';
import type { SentimentTrend } from './sentiment-trend.js';
import type { ThemeImpact } from './theme-impact.js';

/** Themes by the share of comments mentioning them (with the interval as a rule), coloured by their mean compound from red (-1) to blue (+1). */
export function themeVolumeChart(impacts: readonly ThemeImpact[]): Chart {
  const values = impacts
    .filter((i) => !isSuppressed(i.mentions))
    .map((i) => ({ theme: i.theme.label, share: i.share.estimate, lower: i.share.interval.lower, upper: i.share.interval.upper, mean_compound: i.compound?.estimate ?? null, mentions: i.mentions }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Comment themes by volume, coloured by sentiment',
    data: { values },
    encoding: { y: { field: 'theme', type: 'nominal', sort: '-x', title: 'theme' } },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: 'share of English comments mentioning it' },
          color: { field: 'mean_compound', type: 'quantitative', title: 'mean sentiment (compound)', scale: { domain: [-1, 1], scheme: 'redblue' } },
          tooltip: [
            { field: 'theme', type: 'nominal' },
            { field: 'share', type: 'quantitative', format: '.1%' },
            { field: 'mean_compound', type: 'quantitative', format: '+.2f' },
            { field: 'mentions', type: 'quantitative' },
          ],
        },
      },
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } },
    ],
  };
}

/** Each compared theme's NPS gap (those mentioning it minus the other commenters) with its interval, in "where to act" order, a rule at zero. */
export function npsImpactChart(impacts: readonly ThemeImpact[]): Chart {
  const values = impacts
    .filter((i) => i.difference !== null)
    .map((i, k) => ({ rank: k + 1, theme: i.theme.label, difference: i.difference?.estimate ?? null, lower: i.difference?.interval.lower ?? null, upper: i.difference?.interval.upper ?? null, status: i.status }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'NPS of those who mention each theme minus the other commenters’ (95% CI)',
    data: { values },
    encoding: { y: { field: 'theme', type: 'nominal', sort: { field: 'rank' }, title: 'theme (where to act first at the top)' } },
    layer: [
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative', title: 'NPS points' }, x2: { field: 'upper' } } },
      {
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'difference', type: 'quantitative' },
          color: { field: 'status', type: 'nominal', title: 'status' },
          tooltip: [
            { field: 'theme', type: 'nominal' },
            { field: 'difference', type: 'quantitative', format: '+.1f' },
            { field: 'lower', type: 'quantitative', format: '+.1f' },
            { field: 'upper', type: 'quantitative', format: '+.1f' },
            { field: 'status', type: 'nominal' },
          ],
        },
      },
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
    ],
  };
}

/** Shares of positive and negative English comments per month or quarter, with their intervals. */
export function sentimentTrendChart(trend: SentimentTrend): Chart {
  const values = trend.periods
    .filter((p) => !isSuppressed(p.comments))
    .flatMap((p) => [
      { period: p.period, series: 'positive', share: p.positive.estimate, lower: p.positive.interval.lower, upper: p.positive.interval.upper, n: p.comments },
      { period: p.period, series: 'negative', share: p.negative.estimate, lower: p.negative.interval.lower, upper: p.negative.interval.upper, n: p.comments },
    ]);
  return shareLineChart(`Sentiment of English comments by ${trend.unit}`, trend.unit, 'sentiment', values);
}
