import { isSuppressed } from '../../stats/index.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { Chart } from '../result.js';
import type { AttributeMixing } from './attribute-mixing.js';
import { MADE_CAP, type MadeBin } from './referral-counts.js';

/** Heatmaps drawn at most: the attributes mixing most unlike chance. */
export const MAX_HEATMAPS = 4;

/** Customers by referrals made: bars, counts under the minimum cell count left out. */
export function distributionChart(bins: readonly MadeBin[]): Chart {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Customers by referrals made',
    data: {
      values: bins.filter((b) => !isSuppressed(b.customers)).map((b) => ({ referrals: b.made === MADE_CAP ? `${MADE_CAP}+` : String(b.made), customers: b.customers })),
    },
    mark: 'bar',
    encoding: {
      x: { field: 'referrals', type: 'ordinal', sort: null, title: 'referrals made' },
      y: { field: 'customers', type: 'quantitative', title: 'customers' },
      tooltip: [
        { field: 'referrals', type: 'ordinal' },
        { field: 'customers', type: 'quantitative' },
      ],
    },
  };
}

/** Who brings whom on one attribute: referrer value × referred value, coloured by the referrer row's share, pairs written in. */
export function whoBringsWhomChart(m: AttributeMixing): Chart {
  const values = m.rows.flatMap((row) =>
    m.referredLevels.map((referred, j) => {
      const pairs = row.counts[j] ?? 0;
      const shown = !isSuppressed(pairs);
      return { referrer: row.level, referred, pairs: shown ? pairs : null, row_share: shown && row.pairs > 0 ? pairs / row.pairs : null };
    }),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `Who brings whom: ${m.grouping.label} of referrers and of the customers they brought`,
    data: { values },
    encoding: {
      x: { field: 'referred', type: 'nominal', sort: m.referredLevels, title: `referred customer's ${m.grouping.label}` },
      y: { field: 'referrer', type: 'nominal', sort: m.referredLevels, title: `referrer's ${m.grouping.label}` },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'row_share', type: 'quantitative', title: "share of the referrer row's pairs", scale: { domain: [0, 1] } },
          tooltip: [
            { field: 'referrer', type: 'nominal' },
            { field: 'referred', type: 'nominal' },
            { field: 'pairs', type: 'quantitative' },
            { field: 'row_share', type: 'quantitative', format: '.1%' },
          ],
        },
      },
      { mark: { type: 'text', baseline: 'middle' }, encoding: { text: { field: 'pairs', type: 'quantitative' } } },
    ],
  };
}

/** Same-value share against chance per attribute, with the interval of the observed share. */
export function homophilyChart(mixings: readonly AttributeMixing[]): Chart {
  const values = mixings.flatMap((m) => {
    const r = m.result;
    if (r === null) return [];
    return [
      { attribute: m.grouping.label, series: 'same value as the referrer', share: r.sameShare.estimate, lower: r.sameShare.interval.lower, upper: r.sameShare.interval.upper },
      { attribute: m.grouping.label, series: 'expected by chance', share: r.chanceShare, lower: null, upper: null },
    ];
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Referred customers sharing their referrer’s value, against chance',
    data: { values },
    encoding: {
      y: { field: 'attribute', type: 'nominal', title: null },
      yOffset: { field: 'series', type: 'nominal' },
      color: { field: 'series', type: 'nominal', title: null },
    },
    layer: [
      { mark: 'bar', encoding: { x: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: 'share of pairs' } } },
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } },
    ],
  };
}
