import { isSuppressed, type IntervalEstimate } from '../../stats/index.js';
import type { Cell, ResultTable, TableColumn } from '../result.js';
import type { CohortPlan } from './cohorts.js';
import type { EqualTenureComparison } from './cohort-value.js';
import type { SeriesDrift } from './series-drift.js';

const col = (name: string, type: TableColumn['type'], unit: string | null = null): TableColumn => ({ name, type, unit });

/**
 * A count of matching customers with its share and interval. A group of 1
 * to 4 customers (among n, or n itself under 5) is withheld, as every
 * result table withholds groups under 5; none at all is shown as 0, which
 * identifies nobody.
 */
function shareCells(count: number, n: number, share: IntervalEstimate | null): Cell[] {
  if (isSuppressed(n) || (count > 0 && isSuppressed(count))) return [null, null, null, null];
  return [count, share?.estimate ?? null, share?.interval.lower ?? null, share?.interval.upper ?? null];
}

/** Every series' share in every cohort. */
export function cohortSharesTable(drifts: readonly SeriesDrift[], plan: CohortPlan): ResultTable {
  const rows: Cell[][] = drifts.flatMap((d) =>
    d.byCohort.map((c) => [plan.label(c.cohort), c.cohort, d.series.kind, d.series.label, d.series.key, isSuppressed(c.customers) ? null : c.customers, ...shareCells(c.matching, c.customers, c.share)]),
  );
  return {
    name: 'mix_by_cohort',
    columns: [
      col('cohort', 'string'),
      col('cohort_start', 'date'),
      col('series_kind', 'string'),
      col('series', 'string'),
      col('key', 'string'),
      col('customers', 'integer', 'customers'),
      col('matching', 'integer', 'customers'),
      col('share', 'number', 'share'),
      col('lower', 'number', 'share'),
      col('upper', 'number', 'share'),
    ],
    rows,
  };
}

/** Each series at the two ends, the change, the trend and whether a drift is claimed. */
export function driftTable(drifts: readonly SeriesDrift[], plan: CohortPlan): ResultTable {
  const rows: Cell[][] = drifts.map((d) => {
    const t = d.trend;
    const diff = d.difference;
    const perYear = plan.periodsPerYear;
    return [
      d.series.kind,
      d.series.label,
      d.series.key,
      plan.earlyLabel,
      isSuppressed(d.early.n) ? null : d.early.n,
      ...shareCells(d.early.count, d.early.n, d.earlyShare),
      plan.lateLabel,
      isSuppressed(d.late.n) ? null : d.late.n,
      ...shareCells(d.late.count, d.late.n, d.lateShare),
      diff?.estimate ?? null,
      diff?.interval.lower ?? null,
      diff?.interval.upper ?? null,
      t === null ? null : t.slope * perYear,
      t === null ? null : t.interval.lower * perYear,
      t === null ? null : t.interval.upper * perYear,
      t?.cohorts ?? null,
      t?.statistic ?? null,
      t?.pValue ?? null,
      d.qValue,
      t?.dispersion ?? null,
      t?.departure.pValue ?? null,
      d.direction ?? 'none',
      d.away,
    ];
  });
  return {
    name: 'mix_drift',
    columns: [
      col('series_kind', 'string'),
      col('series', 'string'),
      col('key', 'string'),
      col('early_cohorts', 'string'),
      col('early_customers', 'integer', 'customers'),
      col('early_matching', 'integer', 'customers'),
      col('early_share', 'number', 'share'),
      col('early_lower', 'number', 'share'),
      col('early_upper', 'number', 'share'),
      col('late_cohorts', 'string'),
      col('late_customers', 'integer', 'customers'),
      col('late_matching', 'integer', 'customers'),
      col('late_share', 'number', 'share'),
      col('late_lower', 'number', 'share'),
      col('late_upper', 'number', 'share'),
      col('difference', 'number', 'share'),
      col('difference_lower', 'number', 'share'),
      col('difference_upper', 'number', 'share'),
      col('slope_per_year', 'number', 'share'),
      col('slope_lower', 'number', 'share'),
      col('slope_upper', 'number', 'share'),
      col('cohorts', 'integer', 'count'),
      col('trend_statistic', 'number'),
      col('p_value', 'number'),
      col('q_value', 'number'),
      col('dispersion', 'number'),
      col('departure_p_value', 'number'),
      col('drift', 'string'),
      col('away_from_ideal', 'boolean'),
    ],
    rows,
  };
}

/** Each cohort's mean net value over its customers' first days, among those with that tenure. */
export function equalTenureTable(c: EqualTenureComparison, plan: CohortPlan, currency: string): ResultTable {
  const rows: Cell[][] = c.byCohort.map((x) => {
    const shown = !isSuppressed(x.customers) && x.mean !== null;
    return [plan.label(x.cohort), x.cohort, shown ? x.customers : null, shown ? (x.mean?.estimate ?? null) : null, shown ? (x.mean?.interval.lower ?? null) : null, shown ? (x.mean?.interval.upper ?? null) : null];
  });
  return {
    name: 'mix_equal_tenure',
    columns: [
      col('cohort', 'string'),
      col('cohort_start', 'date'),
      col('customers', 'integer', 'customers'),
      col(`net_value_${c.days}_days`, 'number', currency),
      col('lower', 'number', currency),
      col('upper', 'number', currency),
    ],
    rows,
  };
}
