import type { SqlValues } from './sql-values.js';
import type { AnalysisContext } from './types.js';

/**
 * Conditions restricting an event timestamp column to the period, and never
 * past as_of (customer_facts counts nothing dated later either).
 */
export function periodConditions(ctx: Pick<AnalysisContext, 'period' | 'asOf'>, values: SqlValues, column: string): string[] {
  const asOfEnd = new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) + 86_400_000);
  const end = ctx.period?.end !== undefined && ctx.period.end.getTime() < asOfEnd.getTime() ? ctx.period.end : asOfEnd;
  const conditions = [`${column} < ${values.bind(end)}`];
  if (ctx.period?.start !== undefined) conditions.unshift(`${column} >= ${values.bind(ctx.period.start)}`);
  return conditions;
}
