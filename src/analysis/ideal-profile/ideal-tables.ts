import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { Cell, Chart, Interval, ResultTable } from '../result.js';
import type { IntervalEstimate } from '../../stats/index.js';
import type { IdealDrivers } from './ideal-drivers.js';
import type { ExplainedShare } from './price-tier.js';
import { ruleText } from './rule.js';
import type { ValidatedRule } from './holdout.js';

/** A rule with every figure the Result shows. */
export interface RuleReport {
  rank: number;
  validated: ValidatedRule;
  /** Customers in scope it covers (both halves) and their share with a Wilson interval. */
  customers: number;
  coverage: IntervalEstimate | null;
  /** Mean fit of its customers (all) and of everyone scored. */
  meanFit: IntervalEstimate | null;
  overallFit: number;
  /** Mean fit of its customers over everyone's, on all customers and on the held-out half. */
  fitLift: { estimate: number; interval: Interval } | null;
  heldOutFitLift: { estimate: number; interval: Interval } | null;
  /** First-year net value of its customers over everyone's, among customers with a whole first year. */
  equalTenure: {
    heldOut: { estimate: number; interval: Interval } | null;
    training: { estimate: number; interval: Interval } | null;
    heldOutCustomers: number;
    meanCovered: number | null;
    meanAll: number | null;
  } | null;
}

const lifts = (x: { estimate: number; interval: Interval } | null | undefined): Cell[] => [x?.estimate ?? null, x?.interval.lower ?? null, x?.interval.upper ?? null];

/** Every rule found, with its figures on each half and whether it held out. */
export function rulesTable(reports: readonly RuleReport[], currency: string): ResultTable {
  const rows: Cell[][] = reports.map((r) => {
    const v = r.validated;
    const suppressed = r.customers < 5;
    return [
      r.rank,
      ruleText(v.found.rule),
      v.found.rule.key,
      v.holds ? 'holds out' : 'does not hold out',
      suppressed ? null : r.customers,
      ...(suppressed ? [null, null, null] : [r.coverage?.estimate ?? null, r.coverage?.interval.lower ?? null, r.coverage?.interval.upper ?? null]),
      v.splits.training.covered.n,
      v.splits.heldOut.covered.n,
      r.meanFit?.estimate ?? null,
      r.overallFit,
      ...lifts(r.fitLift),
      ...lifts(r.heldOutFitLift),
      v.heldOut?.difference ?? null,
      v.heldOut?.pValue ?? null,
      v.heldOut?.adjusted ?? null,
      r.equalTenure?.heldOutCustomers ?? null,
      r.equalTenure?.meanCovered ?? null,
      r.equalTenure?.meanAll ?? null,
      ...lifts(r.equalTenure?.heldOut),
      ...lifts(r.equalTenure?.training),
    ];
  });
  const n = (name: string, unit: string | null = null) => ({ name, type: 'number' as const, unit });
  return {
    name: 'ideal_rules',
    columns: [
      { name: 'rank', type: 'integer', unit: null },
      { name: 'rule', type: 'string', unit: null },
      { name: 'key', type: 'string', unit: null },
      { name: 'status', type: 'string', unit: null },
      { name: 'customers', type: 'integer', unit: 'customers' },
      n('coverage', 'share'),
      n('coverage_lower', 'share'),
      n('coverage_upper', 'share'),
      { name: 'training_customers', type: 'integer', unit: 'customers' },
      { name: 'held_out_customers', type: 'integer', unit: 'customers' },
      n('mean_fit', 'points'),
      n('overall_fit', 'points'),
      n('fit_lift', 'ratio'),
      n('fit_lift_lower', 'ratio'),
      n('fit_lift_upper', 'ratio'),
      n('held_out_fit_lift', 'ratio'),
      n('held_out_fit_lift_lower', 'ratio'),
      n('held_out_fit_lift_upper', 'ratio'),
      n('held_out_difference', 'points'),
      n('held_out_p_value'),
      n('held_out_adjusted_p_value'),
      { name: 'equal_tenure_customers', type: 'integer', unit: 'customers' },
      n('equal_tenure_mean', currency),
      n('equal_tenure_mean_all', currency),
      n('equal_tenure_lift', 'ratio'),
      n('equal_tenure_lift_lower', 'ratio'),
      n('equal_tenure_lift_upper', 'ratio'),
      n('training_equal_tenure_lift', 'ratio'),
      n('training_equal_tenure_lift_lower', 'ratio'),
      n('training_equal_tenure_lift_upper', 'ratio'),
    ],
    rows,
  };
}

/** How much of net value per customer-month each attribute explains, and whether the rules used it. */
export function attributesTable(shares: readonly ExplainedShare[], used: ReadonlySet<string>): ResultTable {
  return {
    name: 'ideal_attributes',
    columns: [
      { name: 'attribute', type: 'string', unit: null },
      { name: 'label', type: 'string', unit: null },
      { name: 'value_explained', type: 'number', unit: 'share' },
      { name: 'in_rules', type: 'boolean', unit: null },
    ],
    rows: shares.map((s) => [s.grouping.key, s.grouping.label, s.share, used.has(s.grouping.key)]),
  };
}

export function driversTable(drivers: IdealDrivers): ResultTable {
  return {
    name: 'ideal_drivers',
    columns: [
      { name: 'driver', type: 'string', unit: null },
      { name: 'label', type: 'string', unit: null },
      { name: 'share_ideal', type: 'number', unit: 'share' },
      { name: 'share_ideal_lower', type: 'number', unit: 'share' },
      { name: 'share_ideal_upper', type: 'number', unit: 'share' },
      { name: 'responses_ideal', type: 'integer', unit: 'responses' },
      { name: 'share_others', type: 'number', unit: 'share' },
      { name: 'share_others_lower', type: 'number', unit: 'share' },
      { name: 'share_others_upper', type: 'number', unit: 'share' },
      { name: 'responses_others', type: 'integer', unit: 'responses' },
      { name: 'difference', type: 'number', unit: 'share' },
      { name: 'difference_lower', type: 'number', unit: 'share' },
      { name: 'difference_upper', type: 'number', unit: 'share' },
    ],
    rows: drivers.areas.map((a) => [
      a.driver,
      a.label,
      a.inside.share,
      a.inside.interval.lower,
      a.inside.interval.upper,
      a.inside.n,
      a.outside.share,
      a.outside.interval.lower,
      a.outside.interval.upper,
      a.outside.n,
      a.difference.estimate,
      a.difference.interval.lower,
      a.difference.interval.upper,
    ]),
  };
}

/** Each rule's lifts (fit and first-year value, held out) with intervals. */
export function rulesChart(reports: readonly RuleReport[]): Chart {
  const values = reports.flatMap((r) => {
    const rule = ruleText(r.validated.found.rule);
    const out: Record<string, string | number | boolean | null>[] = [];
    const add = (measure: string, x: { estimate: number; interval: Interval } | null | undefined): void => {
      if (x !== null && x !== undefined) out.push({ rule, measure, lift: x.estimate, lower: x.interval.lower, upper: x.interval.upper, holds: r.validated.holds });
    };
    add('mean fit (held out)', r.heldOutFitLift);
    add('first-year net value (held out)', r.equalTenure?.heldOut);
    return out;
  });
  const rule = { field: 'rule', type: 'nominal', title: null, sort: null };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'The ideal profile: lift of each rule on held-out customers',
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true },
        encoding: {
          y: rule,
          x: { field: 'lift', type: 'quantitative', title: 'lift (1 = the average customer)' },
          color: { field: 'measure', type: 'nominal', title: null },
          opacity: { field: 'holds', type: 'nominal', scale: { domain: [true, false], range: [1, 0.4] }, title: 'holds out' },
        },
      },
      { mark: 'rule', encoding: { y: rule, x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' }, color: { field: 'measure', type: 'nominal' } } },
      { mark: { type: 'rule', strokeDash: [4, 4] }, data: { values: [{ one: 1 }] }, encoding: { x: { field: 'one', type: 'quantitative' } } },
    ],
  };
}
