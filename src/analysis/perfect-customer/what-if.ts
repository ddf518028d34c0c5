import { z } from 'zod';
import { UserError } from '../../errors.js';
import { nearest } from '../../config/suggest.js';
import { isSuppressed } from '../../stats/index.js';
import { countValue, intervalSchema, type Cell, type Result } from '../result.js';
import { scaleInterval, words } from '../wording.js';

/**
 * What-if: N more points of adoption of a behaviour, among customers like
 * those who lack it, read from a perfect-customer Result (no query is run):
 * the yearly money, the expected change in the satisfaction measure of the
 * whole base, and the expected change in the churn share of the retention
 * window, each with its interval, a plain sentence and the assumption it
 * rests on. A part the Result could not estimate says why; the others are
 * still answered.
 *
 * @example
 * const answer = whatIf(result, 'autopay', 10);
 * if (answer.money.status === 'estimated') console.log(answer.money.sentence);
 */

const missingPartSchema = z.strictObject({
  status: z.literal('missing'),
  /** Why this part could not be estimated, and what would make it possible. */
  reason: z.string().min(1),
});

const estimatedShape = {
  status: z.literal('estimated'),
  estimate: z.number(),
  interval: intervalSchema,
  unit: z.string().min(1),
  /** A plain sentence a manager can repeat. */
  sentence: z.string().min(1),
  /** What the estimate assumes. */
  assumption: z.string().min(1),
};

export const whatIfMoneySchema = z.strictObject({
  ...estimatedShape,
  /** Money a year: new adopters x value per customer-month x 12. `unit` is the workspace currency. */
  period: z.literal('year'),
  /** The behaviour's value per customer-month (adopters against comparable non-adopters) and its interval. */
  valuePerCustomerMonth: z.number(),
  valueInterval: intervalSchema,
});

export const whatIfSatisfactionSchema = z.strictObject({
  ...estimatedShape,
  /** NPS or CSAT; `estimate` is the change of the whole base's score, in its points. */
  measure: z.string().min(1),
  /** Adopters minus comparable non-adopters, in the measure's points. */
  adjustedDifference: z.number(),
  adjustedInterval: intervalSchema,
});

export const whatIfRetentionSchema = z.strictObject({
  ...estimatedShape,
  /** Non-adopters' churn share in the retention window now (p0). `estimate` is the change of the whole window's churn share, in percentage points. */
  churnNow: z.number().min(0).max(1),
  /** The converted customers' churn share: odds(p0) x odds ratio (p1), and its interval from the odds ratio's. */
  churnConverted: z.number().min(0).max(1),
  churnConvertedInterval: intervalSchema,
  /** Adjusted odds ratio of churning, adopters against comparable non-adopters. */
  oddsRatio: z.number().positive(),
  oddsRatioInterval: intervalSchema,
});

export const whatIfSchema = z
  .strictObject({
    behaviour: z.string().min(1),
    label: z.string().min(1),
    /** Percentage points of adoption asked for (0-100). */
    points: z.number().min(0).max(100),
    /** Points applied: fewer than asked when there are not that many non-adopters. */
    appliedPoints: z.number().min(0).max(100),
    /** Customers in scope (the base the points are of). */
    customers: z.number().int().nonnegative(),
    /** Share of the customers in scope who adopt now; null when it is not known (fewer than 5 adopters). */
    adoptionShare: z.number().min(0).max(1).nullable(),
    /** Customers who would newly adopt: points/100 x customers, capped by the non-adopters (an expectation, not rounded). */
    newAdopters: z.number().nonnegative(),
    money: z.discriminatedUnion('status', [whatIfMoneySchema, missingPartSchema]),
    satisfaction: z.discriminatedUnion('status', [whatIfSatisfactionSchema, missingPartSchema]),
    retention: z.discriminatedUnion('status', [whatIfRetentionSchema, missingPartSchema]),
    /** What else the reader should know (a cap applied, where the adoption share came from). */
    notes: z.array(z.string()),
  })
  .describe('N more points of adoption of a behaviour: yearly money, change in satisfaction and in window churn, each with interval, sentence and assumption.');

export type WhatIf = z.infer<typeof whatIfSchema>;
export type WhatIfMissingPart = z.infer<typeof missingPartSchema>;

/** What whatIf reads: a perfect-customer Result, or the parts it is being built from. */
export type WhatIfSource = Pick<Result, 'summary' | 'findings' | 'tables'> & Partial<Pick<Result, 'status' | 'reason'>>;

export interface WhatIfOptions {
  /** Customers in scope; default: as the Result records it (the index weights' n, else the adoption table's n). */
  customersInScope?: number;
}

// The perfect-customer analysis states 95% intervals; used where a table row carries no level.
const DEFAULT_LEVEL = 0.95;

/** Points given as text (a flag, a query parameter): a number from 0 to 100, else a UserError. */
export function pointsFromText(text: string | undefined): number {
  const trimmed = (text ?? '').trim();
  const points = trimmed === '' ? Number.NaN : Number(trimmed);
  checkPoints(points, text ?? '');
  return points;
}

/** Throws a UserError unless `points` is a number from 0 to 100. */
export function checkPoints(points: number, shown: string = String(points)): void {
  if (!Number.isFinite(points) || points < 0 || points > 100) {
    throw new UserError('bad_points', `Points must be a number from 0 to 100, not "${shown}".`, {
      hint: 'Give more percentage points of adoption from 0 to 100, e.g. 10 for 10 more adopters in every 100 customers.',
    });
  }
}

/** The behaviours a perfect-customer Result knows, in declared order. */
export function whatIfBehaviours(source: WhatIfSource): string[] {
  const keys = new Set<string>();
  for (const name of ['index_weights', 'adoption', 'satisfaction', 'retention']) for (const r of records(source, name)) if (typeof r['behaviour'] === 'string') keys.add(r['behaviour']);
  for (const f of source.findings) if (f.code.startsWith(VALUE_PREFIX)) keys.add(f.code.slice(VALUE_PREFIX.length));
  return [...keys];
}

/**
 * The what-if of one behaviour (see the module comment). Throws a UserError
 * for points outside 0-100, a Result that did not run, an unknown behaviour
 * (naming the nearest), or a behaviour of which no part could be estimated.
 */
export function whatIf(result: WhatIfSource, behaviour: string, points: number, options: WhatIfOptions = {}): WhatIf {
  checkPoints(points);
  if (result.status !== undefined && result.status !== 'ok') {
    throw new UserError('whatif_unavailable', `The perfect-customer analysis was ${result.status}, so there is nothing to project.`, { hint: result.reason ?? 'Run `cxray analyze perfect-customer` to see why.' });
  }
  const known = whatIfBehaviours(result);
  if (!known.includes(behaviour)) {
    const suggestion = nearest(behaviour, known);
    throw new UserError('unknown_behaviour', `No behaviour "${behaviour}" in the perfect-customer result.`, {
      hint:
        known.length === 0
          ? 'Declare behaviours in cxray.yaml (under behaviours), import, and try again.'
          : `${suggestion === undefined ? '' : `Did you mean "${suggestion}"? `}Known behaviours: ${known.join(', ')}.`,
    });
  }
  const adoption = records(result, 'adoption').find((r) => r['behaviour'] === behaviour);
  const label = str(adoption?.['label']) ?? behaviour.replaceAll('_', ' ');
  const customers = Math.round(options.customersInScope ?? num(records(result, 'index_weights').find((r) => r['behaviour'] === behaviour)?.['n']) ?? num(adoption?.['n']) ?? 0);
  const notes: string[] = [];
  const adoptionShare = shareOf(result, behaviour, notes);
  const nonAdopters = adoptionShare === null ? customers : customers - Math.round(customers * adoptionShare);
  const wanted = (points / 100) * customers;
  const newAdopters = Math.min(wanted, nonAdopters);
  if (newAdopters < wanted) notes.push(`Only ${words.count(nonAdopters)} of the ${words.count(customers)} customers lack ${label}: the what-if is capped at ${words.number(appliedOf(newAdopters, customers), 1)} points.`);
  const applied = appliedOf(newAdopters, customers);
  const share = customers === 0 ? 0 : newAdopters / customers;
  const lead = `${words.number(applied, 1)} more points of ${label} (${words.count(newAdopters)} more of ${words.count(customers)} customers, among those who lack it)`;

  const answer: WhatIf = {
    behaviour,
    label,
    points,
    appliedPoints: applied,
    customers,
    adoptionShare,
    newAdopters,
    money: moneyPart(result, behaviour, label, newAdopters, lead),
    satisfaction: satisfactionPart(result, behaviour, share, lead),
    retention: retentionPart(result, behaviour, share, lead),
    notes,
  };
  if (answer.money.status === 'missing' && answer.satisfaction.status === 'missing' && answer.retention.status === 'missing') {
    throw new UserError('whatif_not_estimated', `Nothing could be estimated for ${label}.`, {
      hint: `Money: ${answer.money.reason} Satisfaction: ${answer.satisfaction.reason} Retention: ${answer.retention.reason}`,
    });
  }
  return answer;
}

/** The code prefix of the perfect-customer value findings: `perfect_customer.value.<behaviour>`. */
export const VALUE_PREFIX = 'perfect_customer.value.';

function moneyPart(result: WhatIfSource, behaviour: string, label: string, newAdopters: number, lead: string): WhatIf['money'] {
  // A value finding about fewer than 5 customers is withheld from the Result; the what-if does not show it either.
  const value = result.findings.find((f) => f.code === `${VALUE_PREFIX}${behaviour}` && !isSuppressed(countValue(f.n)));
  if (value === undefined) {
    const anyMoney = records(result, 'value_components').length > 0;
    return {
      status: 'missing',
      reason: anyMoney
        ? `The value of ${label} was not estimated: too few customers with a known start date (under 5).`
        : 'No money was imported (no transactions or contacts), so no behaviour has a value per customer-month; map payments or help-desk contacts in cxray.yaml.',
    };
  }
  const currency = value.unit;
  const factor = newAdopters * 12;
  const interval = scaleInterval(value.interval, factor);
  const estimate = value.estimate * factor;
  const money = (x: number): string => words.signedMoney(x, currency, 0);
  return {
    status: 'estimated',
    estimate,
    interval,
    unit: currency,
    period: 'year',
    valuePerCustomerMonth: value.estimate,
    valueInterval: value.interval,
    sentence: `${lead} would be worth about ${money(estimate)} a year (${words.interval(interval, money)}), at ${words.signedMoney(value.estimate, currency, 2)} per customer-month.`,
    assumption: 'It assumes new adopters gain what comparable adopters show (the value per customer-month of adopters against comparable non-adopters), for twelve months, and that adoption rises among customers like those who lack it.',
  };
}

function satisfactionPart(result: WhatIfSource, behaviour: string, share: number, lead: string): WhatIf['satisfaction'] {
  const row = records(result, 'satisfaction').find((r) => r['behaviour'] === behaviour);
  const difference = num(row?.['adjusted_difference']);
  const lower = num(row?.['adjusted_lower']);
  const upper = num(row?.['adjusted_upper']);
  if (row === undefined || difference === null || lower === null || upper === null) {
    const notCompared = result.summary.find((s) => s.startsWith('Satisfaction is not compared'));
    return {
      status: 'missing',
      reason: notCompared ?? `Satisfaction of ${behaviour} was not compared: fewer than 5 adopters or non-adopters answered a survey in scope.`,
    };
  }
  const measure = str(row['measure']) ?? 'satisfaction';
  const level = result.findings.find((f) => f.code === `perfect_customer.satisfaction.${behaviour}`)?.interval.level ?? DEFAULT_LEVEL;
  const adjustedInterval = { lower, upper, level };
  const interval = scaleInterval(adjustedInterval, share);
  const estimate = share * difference;
  const pts = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
  return {
    status: 'estimated',
    estimate,
    interval,
    unit: 'points',
    measure,
    adjustedDifference: difference,
    adjustedInterval,
    sentence: `${lead} would move the whole base's ${measure} by about ${pts(estimate)} points (${words.interval(interval, pts)}): ${words.percent(share)} of customers each moving by the ${pts(difference)} points comparable adopters show.`,
    assumption: `It assumes converted customers' ${measure} moves by the adjusted difference between adopters and comparable non-adopters, and that the customers who answered surveys stand for the base.`,
  };
}

function retentionPart(result: WhatIfSource, behaviour: string, share: number, lead: string): WhatIf['retention'] {
  const row = records(result, 'retention').find((r) => r['behaviour'] === behaviour);
  if (row === undefined) {
    const notCompared = result.summary.find((s) => s.startsWith('Retention is not compared'));
    return { status: 'missing', reason: notCompared ?? `Retention of ${behaviour} was not compared: fewer than 5 adopters or non-adopters in the retention window.` };
  }
  const oddsRatio = num(row['adjusted_odds_ratio']);
  const lower = num(row['or_lower']);
  const upper = num(row['or_upper']);
  const nOthers = num(row['n_others']);
  const churnedOthers = num(row['churned_others']);
  if (oddsRatio === null || lower === null || upper === null || oddsRatio <= 0) {
    const note = str(row['note']);
    return { status: 'missing', reason: `No adjusted odds ratio of churn for ${behaviour}${note === null ? ' (fewer than 5 adopters in the retention window)' : `: ${note}`}.` };
  }
  if (nOthers === null || churnedOthers === null || nOthers <= 0) {
    return { status: 'missing', reason: `The non-adopters' churn in the retention window is not shown for ${behaviour} (too few customers).` };
  }
  const p0 = churnedOthers / nOthers;
  const p1 = churnAt(p0, oddsRatio);
  const oddsRatioInterval = { lower, upper, level: DEFAULT_LEVEL };
  // p1 rises with the odds ratio, so the odds ratio's bounds give p1's.
  const churnConvertedInterval = { lower: churnAt(p0, lower), upper: churnAt(p0, upper), level: DEFAULT_LEVEL };
  const estimate = 100 * share * (p1 - p0);
  const interval = scaleInterval({ lower: churnConvertedInterval.lower - p0, upper: churnConvertedInterval.upper - p0, level: DEFAULT_LEVEL }, 100 * share);
  const pts = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
  return {
    status: 'estimated',
    estimate,
    interval,
    unit: 'percentage_points',
    churnNow: p0,
    churnConverted: p1,
    churnConvertedInterval,
    oddsRatio,
    oddsRatioInterval,
    sentence:
      `${lead} would change the churn share of the retention window by about ${pts(estimate)} points (${words.interval(interval, pts)}): ` +
      `converted customers would churn at ${words.percent(p1)} (${words.interval(churnConvertedInterval, (x) => words.percent(x))}) instead of the ${words.percent(p0)} of non-adopters, at the adjusted odds ratio ${oddsRatio.toFixed(2)}.`,
    assumption: "It assumes converted customers, who churn now like non-adopters, would churn at the adjusted odds ratio comparable adopters show, over the same retention window (an association adjusted for what is listed, not a proven effect).",
  };
}

/** Churn share p1 whose odds are odds(p0) x oddsRatio. */
function churnAt(p0: number, oddsRatio: number): number {
  if (p0 >= 1) return 1;
  const odds = (p0 / (1 - p0)) * oddsRatio;
  return odds / (1 + odds);
}

/** Adoption share now: the adoption table's, else the share of adopters among the customers compared on retention or satisfaction. */
function shareOf(result: WhatIfSource, behaviour: string, notes: string[]): number | null {
  const adoption = records(result, 'adoption').find((r) => r['behaviour'] === behaviour);
  const share = num(adoption?.['share']);
  if (share !== null) return share;
  for (const [table, what] of [['retention', 'the customers in the retention window'], ['satisfaction', 'the survey respondents']] as const) {
    const row = records(result, table).find((r) => r['behaviour'] === behaviour);
    const a = num(row?.['n_adopters']);
    const o = num(row?.['n_others']);
    if (a !== null && o !== null && a + o > 0) {
      notes.push(`The adoption share now (${words.percent(a / (a + o))}) is taken from ${what}, as no adoption table row gives it.`);
      return a / (a + o);
    }
  }
  notes.push('The adoption share now is not known (fewer than 5 adopters): the points are not capped by the non-adopters.');
  return null;
}

function appliedOf(newAdopters: number, customers: number): number {
  return customers === 0 ? 0 : (100 * newAdopters) / customers;
}

function records(source: WhatIfSource, name: string): Record<string, Cell>[] {
  const t = source.tables.find((x) => x.name === name);
  if (t === undefined) return [];
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i] ?? null])));
}

function num(cell: Cell | undefined): number | null {
  return typeof cell === 'number' && Number.isFinite(cell) ? cell : null;
}

function str(cell: Cell | undefined): string | null {
  return typeof cell === 'string' && cell.length > 0 ? cell : null;
}
