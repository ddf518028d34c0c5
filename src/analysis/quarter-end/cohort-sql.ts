import { periodConditions } from '../period-sql.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { quarterEndFlagSql } from './fiscal-calendar.js';
import type { QuarterEndSettings } from './settings.js';

/** The customers compared: acquired in the period, flagged when acquired in a quarter-end window. */
export interface CohortSql {
  /** When the customer was acquired: the signup, else the first purchase (as customer_facts' exposure starts). */
  acquired: string;
  /** 1 when acquired in the last N days of a fiscal quarter, else 0. */
  flag: string;
  /** Acquired, within the period (and by as_of). */
  where: string[];
}

export function cohortSql(ctx: Pick<AnalysisContext, 'engine' | 'facts' | 'period' | 'asOf'>, values: SqlValues, settings: QuarterEndSettings): CohortSql {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const starts = ['signup_at', 'first_purchase_at'].filter((c) => stored.has(c)).map(q);
  const acquired = starts.length === 1 ? (starts[0] as string) : `COALESCE(${starts.join(', ')})`;
  return {
    acquired,
    flag: quarterEndFlagSql(d, acquired, settings.windowDays, settings.fiscalYearStartMonth),
    where: [`${acquired} IS NOT NULL`, ...periodConditions(ctx, values, acquired)],
  };
}
