import { UserError } from '../../errors.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { ChangeDefinition } from './change.js';
import { changeGroups, type ChangeGroups } from './change-groups.js';
import { factsMeasures, startSeconds, surveyMeasures, type MeasureSet } from './change-measures.js';
import { measureEffect, type MeasureEffect } from './measure-effect.js';
import { momentSums, type MetricSums } from './moment-sums.js';
import { npsByMonth, type MonthlyNps } from './nps-by-month.js';
import { changeWindows, isEmpty, type ChangeWindows } from './windows.js';

/** A stored change, measured. */
export interface MeasuredChange {
  change: ChangeDefinition;
  /** Its name as a code part, unique in the run. */
  slug: string;
  windows: ChangeWindows;
  groups: ChangeGroups | null;
  /** Customers in scope in the treated group and in the comparison group. */
  treatedCustomers: number;
  comparisonCustomers: number;
  effects: MeasureEffect[];
  months: MonthlyNps[];
  /** Why the change was not measured at all; null when it was. */
  skipped: string | null;
}

/** The first day any customer in scope was a customer (signup, else first purchase); null when the store has no such dates. */
async function firstCustomerDay(ctx: AnalysisContext): Promise<Date | null> {
  const start = startSeconds(ctx);
  if (start === null) return null;
  const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`min(${start}) AS ${ctx.engine.dialect.quoteIdent('_s')}`] }));
  const seconds = numberOf(row?.['_s']);
  return seconds === null ? null : new Date(seconds * 1000);
}

async function groupSizes(ctx: AnalysisContext, values: SqlValues, groups: ChangeGroups): Promise<[number, number]> {
  const q = ctx.engine.dialect.quoteIdent;
  const rows = await scopeQuery(ctx, scopeSelect(ctx, { items: [`${groups.flag} AS ${q('_g')}`, `count(*) AS ${q('_n')}`], where: [groups.member], groupBy: groups.single ? [] : [groups.flag] }), values);
  const size = (g: number): number => numberOf(rows.find((r) => numberOf(r['_g']) === g)?.['_n']) ?? 0;
  return [size(1), size(0)];
}

async function sumsOf(ctx: AnalysisContext, values: SqlValues, groups: ChangeGroups, set: MeasureSet | null): Promise<Map<number, Map<string, MetricSums>>> {
  if (set === null) return new Map();
  return momentSums(
    ctx,
    [values],
    set.measures.map((m) => m.sql),
    { flag: groups.flag, single: groups.single, member: groups.member, ...(set.join === undefined ? {} : { join: set.join }), where: set.where },
  );
}

/**
 * One change measured: its windows, its groups within the customers in
 * scope, and for each measure the store holds (NPS, CSAT, churn, net
 * revenue, adoption of each behaviour) the difference-in-differences with
 * its pre-trend, from two statements (survey answers; customer_facts with
 * the payments), and NPS by month for the chart. A rule naming an unknown
 * column, a date after as_of or groups without customers skip the change
 * with the reason, never the run.
 */
export async function measureChange(ctx: AnalysisContext, change: ChangeDefinition, index: number, slug: string): Promise<MeasuredChange> {
  const windows = changeWindows(change, ctx.asOf, ctx.period, await firstCustomerDay(ctx));
  const base: MeasuredChange = { change, slug, windows, groups: null, treatedCustomers: 0, comparisonCustomers: 0, effects: [], months: [], skipped: null };
  if (change.date > ctx.asOf) return { ...base, skipped: `its date is after as_of (${ctx.asOf}): nothing after it has been measured yet` };
  if (isEmpty(windows.periods[2])) return { ...base, skipped: 'the period analysed holds no day of its after window' };
  if (isEmpty(windows.periods[0]) && isEmpty(windows.periods[1])) return { ...base, skipped: 'the period analysed holds no day of its before window' };
  const values = new SqlValues(ctx.engine, `ch${index}`);
  let groups: ChangeGroups;
  try {
    groups = changeGroups(ctx, values, change);
  } catch (error) {
    if (error instanceof UserError) return { ...base, skipped: `${error.message}${error.hint === undefined ? '' : ` ${error.hint}`} (edit it with \`cxray changes rm\` and \`cxray changes add\`)` };
    throw error;
  }
  const [treatedCustomers, comparisonCustomers] = await groupSizes(ctx, values, groups);
  const measured = { ...base, groups, treatedCustomers, comparisonCustomers };
  const withComparison = groups.segment !== null;
  if (treatedCustomers === 0) return { ...measured, skipped: `no customer in scope matches its segment ${groups.treatedWords}` };
  if (withComparison && comparisonCustomers === 0) return { ...measured, skipped: `no customer in scope is in its comparison group (${groups.comparisonWords})` };
  const spans = windows.periods;
  const survey = surveyMeasures(ctx, values, spans);
  const facts = factsMeasures(ctx, values, spans, ctx.asOf);
  const effects: MeasureEffect[] = [];
  for (const [set, sums] of [
    [survey, await sumsOf(ctx, values, groups, survey)],
    [facts, await sumsOf(ctx, values, groups, facts)],
  ] as const) {
    for (const measure of set?.measures ?? []) {
      const treated = sums.get(1)?.get(measure.sql.key);
      const comparison = sums.get(0)?.get(measure.sql.key);
      const effect = measureEffect(measure, treated, comparison, withComparison);
      // A measure nobody gave (CSAT in a survey without it) is left out, not reported as too thin.
      if (effect.treated[0].observations + effect.treated[1].observations === 0 && (effect.comparison === null || effect.comparison[0].observations + effect.comparison[1].observations === 0)) continue;
      effects.push(effect);
    }
  }
  const months = survey === null ? [] : await npsByMonth(ctx, values, groups, spans);
  return { ...measured, effects, months };
}
