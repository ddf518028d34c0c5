import type { Cell, Chart } from './result.js';

/** Vega-Lite specs with their data inline: renderable by any Vega-Lite viewer, no cxray needed. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

type Values = Record<string, Cell>[];

/** Horizontal bars of shares with their interval as a rule (fields: category, share, lower, upper, n). */
export function shareBarChart(title: string, categoryTitle: string, values: Values): Chart {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    encoding: {
      y: { field: 'category', type: 'nominal', sort: '-x', title: categoryTitle },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: 'share of customers' },
          tooltip: [
            { field: 'category', type: 'nominal' },
            { field: 'share', type: 'quantitative', format: '.1%' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } },
    ],
  };
}

/** Lines of shares over ordered periods, one per series (fields: period, series, share, lower, upper, n). */
export function shareLineChart(title: string, periodTitle: string, seriesTitle: string, values: Values): Chart {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    encoding: {
      x: { field: 'period', type: 'ordinal', title: periodTitle },
      color: { field: 'series', type: 'nominal', title: seriesTitle },
    },
    layer: [
      { mark: { type: 'errorband', opacity: 0.2 }, encoding: { y: { field: 'lower', type: 'quantitative', title: 'share' }, y2: { field: 'upper' } } },
      {
        mark: { type: 'line', point: true },
        encoding: {
          y: { field: 'share', type: 'quantitative', axis: { format: '%' } },
          tooltip: [
            { field: 'period', type: 'ordinal' },
            { field: 'series', type: 'nominal' },
            { field: 'share', type: 'quantitative', format: '.1%' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
    ],
  };
}

/** Stacked bars of shares per group (fields: group, series, share). */
export function stackedShareChart(title: string, groupTitle: string, seriesTitle: string, values: Values): Chart {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'group', type: 'nominal', title: groupTitle },
      x: { field: 'share', type: 'quantitative', stack: 'normalize', axis: { format: '%' }, title: 'share' },
      color: { field: 'series', type: 'nominal', title: seriesTitle },
      tooltip: [
        { field: 'group', type: 'nominal' },
        { field: 'series', type: 'nominal' },
        { field: 'share', type: 'quantitative', format: '.1%' },
      ],
    },
  };
}

/** A Lorenz curve against the line of equal shares (fields: customers, value, series). */
export function lorenzChart(title: string, valueTitle: string, points: readonly { customers: number; value: number }[]): Chart {
  const values: Values = [
    ...points.map((p) => ({ customers: p.customers, value: p.value, series: 'Lorenz curve' })),
    { customers: 0, value: 0, series: 'Equal shares' },
    { customers: 1, value: 1, series: 'Equal shares' },
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    mark: { type: 'line' },
    encoding: {
      x: { field: 'customers', type: 'quantitative', axis: { format: '%' }, title: 'share of customers, smallest first' },
      y: { field: 'value', type: 'quantitative', axis: { format: '%' }, title: valueTitle },
      color: { field: 'series', type: 'nominal', title: null },
      strokeDash: { field: 'series', type: 'nominal' },
    },
  };
}
