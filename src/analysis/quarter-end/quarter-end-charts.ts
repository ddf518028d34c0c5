import { isSuppressed } from '../../stats/index.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { Cell, Chart } from '../result.js';
import type { dailyProfile } from './quarter-end-tables.js';
import type { SurvivalPoint } from './survival-curves.js';

/** Mean new customers on each day of the quarter, counted back from its end; the window's days stand out. */
export function dailyIntakeChart(profile: ReturnType<typeof dailyProfile>, windowDays: number): Chart {
  const values: Record<string, Cell>[] = profile.map((p) => ({ days_to_end: p.daysToEnd, customers: p.customers, days: p.days, part: p.window ? `last ${windowDays} days` : 'rest of the quarter' }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'New customers per day through the quarter (mean over the quarters observed)',
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'days_to_end', type: 'ordinal', sort: 'descending', title: 'days to the end of the quarter' },
      y: { field: 'customers', type: 'quantitative', title: 'new customers per day' },
      color: { field: 'part', type: 'nominal', title: null },
      tooltip: [
        { field: 'days_to_end', type: 'ordinal' },
        { field: 'customers', type: 'quantitative', format: '.1f' },
        { field: 'days', type: 'quantitative', title: 'days observed' },
      ],
    },
  };
}

/** The share still a customer by month of tenure, acquired in a window or not, with Greenwood bands (months under 5 at risk left out). */
export function survivalChart(curves: readonly { group: string; points: readonly SurvivalPoint[] }[]): Chart {
  const values: Record<string, Cell>[] = curves.flatMap((c) => [
    { month: 0, group: c.group, survival: 1, lower: 1, upper: 1, at_risk: c.points[0]?.atRisk ?? 0 },
    ...c.points.filter((p) => !isSuppressed(p.atRisk)).map((p) => ({ month: p.month + 1, group: c.group, survival: p.survival, lower: p.lower, upper: p.upper, at_risk: p.atRisk })),
  ]);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Share still a customer by month of tenure',
    data: { values },
    encoding: {
      x: { field: 'month', type: 'quantitative', title: 'months since acquisition' },
      color: { field: 'group', type: 'nominal', title: 'acquired' },
    },
    layer: [
      { mark: { type: 'errorband', opacity: 0.2 }, encoding: { y: { field: 'lower', type: 'quantitative', title: 'still a customer' }, y2: { field: 'upper' } } },
      {
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          y: { field: 'survival', type: 'quantitative', axis: { format: '%' } },
          tooltip: [
            { field: 'group', type: 'nominal' },
            { field: 'month', type: 'quantitative' },
            { field: 'survival', type: 'quantitative', format: '.1%' },
            { field: 'at_risk', type: 'quantitative' },
          ],
        },
      },
    ],
  };
}
