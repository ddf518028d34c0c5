import { scopeQuery, scopeSelect } from '../scope-query.js';
import { requiredNumber, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/**
 * Retention as a fixed window: the customers active at the window's start,
 * and which of them churned within it. Every customer in the window had the
 * same exposure, so retention compared across groups is not shaped by how
 * long each was observed (a churn flag over unequal tenures is).
 *
 * `kind`:
 * - `window`: churn dates are known; `eligible` = signed up before the start
 *   and not churned before it; `churned` = churned from the start to as_of.
 * - `undated`: every churn is dated at as_of (a churn flag without dates, as
 *   `init` maps it): the window cannot be drawn. `eligible` is every customer
 *   and `churned` the flag; the assumption says what that means.
 */
export interface RetentionWindow {
  kind: 'window' | 'undated';
  months: number;
  /** First day of the window (YYYY-MM-DD); null when undated. */
  start: string | null;
  /** SQL condition over customer_facts: the customer is in the window's population. */
  eligible: string;
  /** SQL 0/1 integer over customer_facts: churned within the window (only meaningful where `eligible`). */
  churned: string;
  /** Customers in scope who are eligible, and how many of them churned. */
  customers: number;
  churners: number;
  /** One sentence for the method: how retention was measured and what it assumes. */
  assumption: string;
}

function monthsBefore(asOf: string, months: number): string {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  // The day after as_of's day in that month, clamped to its length (as_of 2025-03-31, 1 month: the window opens 2025-03-01).
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const start = new Date(Date.UTC(year, month - 1, Math.min(d, last) + 1));
  return start.toISOString().slice(0, 10);
}

/**
 * The retention window for the customers in scope, or null without
 * status_changes (no churn is known). `values` binds the window's dates.
 */
export async function retentionWindow(ctx: AnalysisContext, values: SqlValues, months = ctx.config.retention_window_months): Promise<RetentionWindow | null> {
  if ((ctx.tableRows.status_changes ?? 0) === 0) return null;
  const d = ctx.engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const churned = `${d.boolToInt(q('churned'))} = 1`;
  const asOfStart = values.bind(new Date(`${ctx.asOf}T00:00:00Z`));
  const [dating] = await scopeQuery<{ _churners: bigint; _dated: bigint }>(
    ctx,
    scopeSelect(ctx, { items: [`sum(${d.ifThen(churned, '1', '0')}) AS ${q('_churners')}`, `sum(${d.ifThen(`${churned} AND ${q('churned_at')} < ${asOfStart}`, '1', '0')}) AS ${q('_dated')}`] }),
    values,
  );
  const churners = requiredNumber(dating?._churners ?? 0, 'churners');
  const dated = requiredNumber(dating?._dated ?? 0, 'dated churners');
  if (churners > 0 && dated === 0) {
    return {
      kind: 'undated',
      months,
      start: null,
      eligible: '1 = 1',
      churned: d.ifThen(churned, '1', '0'),
      customers: ctx.scope.customers,
      churners,
      assumption:
        'Every churn is dated at as_of (a churn flag without dates), so no fixed window can be drawn: retention is the share never flagged as churned, over customers observed for different lengths of time. Comparisons adjust for tenure where they can, but a group that stayed longer had longer to churn; read them as associations.',
    };
  }
  const start = monthsBefore(ctx.asOf, months);
  const startAt = values.bind(new Date(`${start}T00:00:00Z`));
  const signup = q('signup_at');
  // churned_at is set exactly when the customer churned. Written as CASE, which treats an unknown condition
  // as false on every engine (ClickHouse 18.16's AND/NOT return NULL when one side is NULL).
  const churnedAt = q('churned_at');
  const eligible = `(${signup} IS NOT NULL AND ${signup} < ${startAt} AND (CASE WHEN ${churnedAt} IS NULL THEN 1 WHEN ${churnedAt} >= ${startAt} THEN 1 ELSE 0 END) = 1)`;
  const within = `(CASE WHEN ${churnedAt} IS NULL THEN 0 WHEN ${churnedAt} >= ${startAt} THEN 1 ELSE 0 END)`;
  const [counts] = await scopeQuery<{ _n: bigint; _churned: bigint }>(
    ctx,
    scopeSelect(ctx, { items: [`count(*) AS ${q('_n')}`, `sum(${within}) AS ${q('_churned')}`], where: [eligible] }),
    values,
  );
  const customers = requiredNumber(counts?._n ?? 0, 'eligible customers');
  return {
    kind: 'window',
    months,
    start,
    eligible,
    churned: within,
    customers,
    churners: requiredNumber(counts?._churned ?? 0, 'churners in the window'),
    assumption: `Retention over a fixed window: the customers who had signed up before ${start} and had not churned by then, and which of them churned from ${start} to as_of (${ctx.asOf}, ${months} months); every one had the same exposure.`,
  };
}
