import { groupTable } from '../result-builder.js';
import type { Cell, ResultTable } from '../result.js';
import type { Claim, ClaimKey } from './quarter-end-claims.js';
import type { SalesDay } from './daily-sales.js';
import { daysToQuarterEnd } from './fiscal-calendar.js';
import type { HazardModel } from './hazard-model.js';
import type { IntakeComparison } from './intake-model.js';
import type { RefundComparison, SatisfactionComparison } from './outcome-comparisons.js';
import type { PushBalance } from './push-balance.js';
import type { QuarterEndSettings } from './settings.js';
import type { SurvivalPoint } from './survival-curves.js';

type Claims = ReadonlyMap<ClaimKey, Claim>;
const claimCells = (c: Claim | undefined): Cell[] => [c?.pValue ?? null, c?.qValue ?? null, c?.passes ?? false];

export function salesTable(comparisons: readonly IntakeComparison[], claims: Claims, currency: string): ResultTable {
  return {
    name: 'quarter_end_sales',
    columns: [
      { name: 'measure', type: 'string', unit: null },
      { name: 'window_days', type: 'integer', unit: 'days' },
      { name: 'other_days', type: 'integer', unit: 'days' },
      { name: 'window_per_day', type: 'number', unit: 'per day' },
      { name: 'other_per_day', type: 'number', unit: 'per day' },
      { name: 'ratio', type: 'number', unit: 'ratio' },
      { name: 'lower', type: 'number', unit: 'ratio' },
      { name: 'upper', type: 'number', unit: 'ratio' },
      { name: 'dispersion', type: 'number', unit: null },
      { name: 'p_value', type: 'number', unit: null },
      { name: 'q_value', type: 'number', unit: null },
      { name: 'passes', type: 'boolean', unit: null },
    ],
    rows: comparisons.map((c) => [
      c.measure === 'customers' ? 'new customers' : `purchase revenue (${currency})`,
      c.windowDays,
      c.otherDays,
      c.windowPerDay,
      c.otherPerDay,
      c.ratio.rateRatio,
      c.ratio.rateRatioInterval.lower,
      c.ratio.rateRatioInterval.upper,
      c.dispersion,
      ...claimCells(claims.get(c.measure === 'customers' ? 'intake' : 'revenue')),
    ]),
  };
}

export function outcomesTable(refunds: RefundComparison | null, satisfaction: readonly SatisfactionComparison[], claims: Claims, s: QuarterEndSettings): ResultTable {
  const rows: Cell[][] = [];
  if (refunds !== null) {
    const d = refunds.difference;
    rows.push([`early refund (within ${s.refundDays} days of the first purchase)`, 'share', refunds.windowShare, refunds.otherShare, d.estimate, d.interval.lower, d.interval.upper, d.n[0], d.n[1], ...claimCells(claims.get('refunds'))]);
  }
  for (const c of satisfaction) {
    const d = c.difference;
    rows.push([c.instrument === 'nps' ? 'NPS (latest answer)' : 'CSAT (latest answer)', 'points', c.windowScore, c.otherScore, d.estimate, d.interval.lower, d.interval.upper, d.n[0], d.n[1], ...claimCells(claims.get(c.instrument))]);
  }
  return groupTable(
    'quarter_end_outcomes',
    [
      { name: 'outcome', type: 'string' },
      { name: 'unit', type: 'string' },
      { name: 'window', type: 'number' },
      { name: 'others', type: 'number' },
      { name: 'difference', type: 'number' },
      { name: 'lower', type: 'number' },
      { name: 'upper', type: 'number' },
      { name: 'window_n', type: 'integer', unit: 'customers' },
      { name: 'others_n', type: 'integer', unit: 'customers' },
      { name: 'p_value', type: 'number' },
      { name: 'q_value', type: 'number' },
      { name: 'passes', type: 'boolean' },
    ],
    rows,
    { countColumn: 'window_n', keyColumns: ['outcome', 'unit'] },
  );
}

export function hazardTable(h: HazardModel, claims: Claims): ResultTable {
  const adjustedFor = h.covariates.map((c) => c.label).join(', ');
  const row = (model: string, c: HazardModel['adjusted'], covariates: string, claim: Claim | undefined): Cell[] => [
    model,
    c.rateRatio,
    c.rateRatioInterval.lower,
    c.rateRatioInterval.upper,
    c.standardError,
    c.pValue,
    claim?.qValue ?? null,
    covariates,
    h.bands.length,
    h.window.customers,
    h.window.churned,
    h.window.personMonths,
    h.others.customers,
    h.others.churned,
    h.others.personMonths,
  ];
  return {
    name: 'quarter_end_hazard',
    columns: [
      { name: 'model', type: 'string', unit: null },
      { name: 'hazard_ratio', type: 'number', unit: 'hazard_ratio' },
      { name: 'lower', type: 'number', unit: 'hazard_ratio' },
      { name: 'upper', type: 'number', unit: 'hazard_ratio' },
      { name: 'log_hr_standard_error', type: 'number', unit: null },
      { name: 'p_value', type: 'number', unit: null },
      { name: 'q_value', type: 'number', unit: null },
      { name: 'adjusted_for', type: 'string', unit: null },
      { name: 'tenure_bands', type: 'integer', unit: 'count' },
      { name: 'window_customers', type: 'integer', unit: 'customers' },
      { name: 'window_churned', type: 'integer', unit: 'customers' },
      { name: 'window_months', type: 'number', unit: 'months' },
      { name: 'other_customers', type: 'integer', unit: 'customers' },
      { name: 'other_churned', type: 'integer', unit: 'customers' },
      { name: 'other_months', type: 'number', unit: 'months' },
    ],
    rows: [row('adjusted', h.adjusted, adjustedFor, claims.get('churn')), row('unadjusted', h.unadjusted, '', undefined)],
  };
}

export function survivalTable(curves: readonly { group: string; points: readonly SurvivalPoint[] }[]): ResultTable {
  return groupTable(
    'quarter_end_survival',
    [
      { name: 'group', type: 'string' },
      { name: 'month', type: 'integer', unit: 'months' },
      { name: 'at_risk', type: 'integer', unit: 'customers' },
      { name: 'churned', type: 'integer', unit: 'customers' },
      { name: 'censored', type: 'integer', unit: 'customers' },
      { name: 'survival', type: 'number', unit: 'share' },
      { name: 'lower', type: 'number', unit: 'share' },
      { name: 'upper', type: 'number', unit: 'share' },
    ],
    curves.flatMap((c) => c.points.map((p) => [c.group, p.month + 1, p.atRisk, p.churned, p.censored, p.survival, p.lower, p.upper])),
    { countColumn: 'at_risk', keyColumns: ['group', 'month'] },
  );
}

/** Mean sales on each day of the quarter, counted back from its last day (1), over the quarters observed. */
export function dailyProfile(days: readonly SalesDay[], s: QuarterEndSettings): { daysToEnd: number; window: boolean; days: number; customers: number; revenue: number }[] {
  const byDay = new Map<number, { days: number; customers: number; revenue: number }>();
  for (const d of days) {
    const k = daysToQuarterEnd(d.dayMs, s.fiscalYearStartMonth);
    const entry = byDay.get(k) ?? { days: 0, customers: 0, revenue: 0 };
    entry.days += 1;
    entry.customers += d.customers;
    entry.revenue += d.revenue;
    byDay.set(k, entry);
  }
  return [...byDay.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([k, e]) => ({ daysToEnd: k, window: k <= s.windowDays, days: e.days, customers: e.customers / e.days, revenue: e.revenue / e.days }));
}

export function dailyTable(profile: ReturnType<typeof dailyProfile>, currency: string): ResultTable {
  return {
    name: 'quarter_end_daily',
    columns: [
      { name: 'days_to_quarter_end', type: 'integer', unit: 'days' },
      { name: 'in_window', type: 'boolean', unit: null },
      { name: 'days', type: 'integer', unit: 'days' },
      { name: 'new_customers_per_day', type: 'number', unit: 'customers' },
      { name: 'revenue_per_day', type: 'number', unit: currency },
    ],
    rows: profile.map((p) => [p.daysToEnd, p.window, p.days, p.customers, p.revenue]),
  };
}

export function balanceTable(b: PushBalance, currency: string): ResultTable {
  const rows: Cell[][] = [
    ['customers acquired in the windows', b.windowCustomers, 'customers'],
    ['of them, added by the push', b.extraCustomers, 'customers'],
    ['margin per active customer-month', b.monthlyMargin, currency],
    [`active months in the first ${b.horizonMonths}, other customers`, b.otherActiveMonths, 'months'],
    [`active months in the first ${b.horizonMonths}, window customers`, b.windowActiveMonths, 'months'],
    [`value of another customer over ${b.horizonMonths} months`, b.otherValue, currency],
    ['brought by the extra customers', b.brought, currency],
    ['excess early refunds', b.refundCost, currency],
    ['value lost to faster churn', b.churnCost, currency],
    ['net', b.net, currency],
    ['net, lower bound', b.interval.lower, currency],
    ['net, upper bound', b.interval.upper, currency],
  ];
  return {
    name: 'quarter_end_balance',
    columns: [
      { name: 'item', type: 'string', unit: null },
      { name: 'value', type: 'number', unit: null },
      { name: 'unit', type: 'string', unit: null },
    ],
    rows,
  };
}

