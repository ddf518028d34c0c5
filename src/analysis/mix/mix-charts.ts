import { shareLineChart, VEGA_LITE_SCHEMA } from '../charts.js';
import type { Cell, Chart } from '../result.js';
import { isSuppressed } from '../../stats/index.js';
import type { CohortPlan } from './cohorts.js';
import type { EqualTenureComparison } from './cohort-value.js';
import type { MixSeries } from './profile-series.js';
import type { SeriesDrift } from './series-drift.js';

/** The series' names in a chart legend. */
function legend(series: Pick<MixSeries, 'kind' | 'label'>): string {
  switch (series.kind) {
    case 'ideal':
      return `ideal: ${series.label}`;
    case 'rule':
      return `also ideal: ${series.label}`;
    case 'misaligned':
      return `misaligned: ${series.label}`;
    default:
      return series.label;
  }
}

/** Each series' share of every cohort with its Wilson band (cohorts or matches under 5 left out). */
export function sharesChart(drifts: readonly SeriesDrift[], plan: CohortPlan): Chart {
  const values: Record<string, Cell>[] = drifts.flatMap((d) =>
    d.byCohort
      .filter((c) => c.share !== null && !isSuppressed(c.customers) && !(c.matching > 0 && isSuppressed(c.matching)))
      .map((c) => ({ period: plan.label(c.cohort), series: legend(d.series), share: c.share?.estimate ?? null, lower: c.share?.interval.lower ?? null, upper: c.share?.interval.upper ?? null, n: c.customers })),
  );
  return shareLineChart(`Share of new customers matching the ideal profile and the misaligned segments, per signup ${plan.unit}`, `signup ${plan.unit}`, 'customers matching', values);
}

/** Each cohort's mean net value over its first days, with its t band. */
export function equalTenureChart(c: EqualTenureComparison, plan: CohortPlan, currency: string): Chart {
  const values: Record<string, Cell>[] = c.byCohort
    .filter((x) => x.mean !== null && !isSuppressed(x.customers))
    .map((x) => ({ period: plan.label(x.cohort), mean: x.mean?.estimate ?? null, lower: x.mean?.interval.lower ?? null, upper: x.mean?.interval.upper ?? null, n: x.customers }));
  const title = `net value over the first ${c.days} days (${currency})`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `New customers at equal tenure: mean net value over their first ${c.days} days, per signup ${plan.unit}`,
    data: { values },
    encoding: { x: { field: 'period', type: 'ordinal', title: `signup ${plan.unit}` } },
    layer: [
      { mark: { type: 'errorband', opacity: 0.2 }, encoding: { y: { field: 'lower', type: 'quantitative', title }, y2: { field: 'upper' } } },
      {
        mark: { type: 'line', point: true },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          tooltip: [
            { field: 'period', type: 'ordinal' },
            { field: 'mean', type: 'quantitative', format: ',.2f' },
            { field: 'n', type: 'quantitative' },
          ],
        },
      },
    ],
  };
}
