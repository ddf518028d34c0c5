import { planFactsLayout } from '../../facts/layout.js';
import { hasRows } from '../needs.js';
import type { RetentionWindow } from '../retention/window.js';
import { scopeSelect } from '../scope-query.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { perCustomerSubquery } from '../per-customer-join.js';
import type { ModelRows } from './moments-sql.js';
import { blockKeySql } from '../block-bootstrap.js';
import { AREA_INSTRUMENTS, type SurveyArea } from './survey-layout.js';
import type { DriverSpec } from './types.js';
import { DAYS_PER_MONTH } from '../perfect-customer/behaviours.js';


export interface CustomerRows {
  rows: ModelRows;
  /** The drivers, in the order of rows.columns[1..]. */
  specs: DriverSpec[];
  /** The instant drivers are measured before (the window's start, or the end of as_of when undated). */
  measuredBefore: string;
}

/**
 * One row per customer in scope who is in the retention window: churned in
 * the window (0/1) and the drivers measured before the window opened, as far
 * as the data allows: each behaviour adopted before it (behaviours read
 * from an attribute have no date and count as they are at as_of), support
 * contacts per month of tenure before it, tenure at its start, and (when
 * `areas` is given) each area's rating averaged over the customer's answers
 * before it. When churn is undated there is no window: everything is
 * measured up to as_of.
 */
export function customerRows(ctx: AnalysisContext, window: RetentionWindow, windowValues: SqlValues, areas: readonly SurveyArea[] | null): CustomerRows {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'c');
  const dated = window.kind === 'window' && window.start !== null;
  const before = dated ? `${window.start ?? ''}T00:00:00Z` : new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) + 86_400_000).toISOString();
  const startAt = values.bind(new Date(before));
  const when = dated ? `before ${window.start ?? ''}` : `by as_of`;
  const facts = new Set(ctx.facts.columns.map((c) => c.name));
  const items: string[] = [`${blockKeySql(d, q('customer_id'))} AS ${q('_u')}`, `${window.churned} AS ${q('_cy')}`];
  const columns = ['_cy'];
  const specs: DriverSpec[] = [];
  const add = (expr: string, column: string, spec: DriverSpec): void => {
    items.push(`${expr} AS ${q(column)}`);
    columns.push(column);
    specs.push(spec);
  };

  planFactsLayout(ctx.config)
    .behaviours.filter((b) => facts.has(b.flag))
    .forEach((b, k) => {
      const fromEvent = b.event !== undefined && b.attribute === undefined && dated && facts.has(b.at);
      const expr = fromEvent
        ? `CASE WHEN ${q(b.at)} IS NOT NULL AND ${q(b.at)} < ${startAt} THEN 1 ELSE 0 END`
        : `CASE WHEN ${d.boolToInt(q(b.flag))} = 1 THEN 1 ELSE 0 END`;
      add(expr, `_cb${k}`, { name: b.flag, label: `${b.label ?? b.key} (${fromEvent ? `adopted ${when}` : 'adopted, as at as_of'})`, kind: 'flag' });
    });

  const days = d.toDouble(d.dateDiff('day', q('signup_at'), startAt));
  add(`${days} / ${DAYS_PER_MONTH}`, '_ct', { name: 'tenure_months', label: `tenure ${dated ? `at ${window.start ?? ''}` : 'at as_of'} (months)`, kind: 'fixed' });

  const interactions = hasRows(ctx, 'interactions')
    ? perCustomerSubquery(ctx, 'interactions', [`count(*) AS ${q('_ic')}`], [`${q('at')} < ${startAt}`])
    : null;
  if (interactions !== null) {
    // At least one month, so a customer who joined days before the start is not read as contacting daily.
    const months = `(CASE WHEN ${days} < ${DAYS_PER_MONTH} THEN 1.0 ELSE ${days} / ${DAYS_PER_MONTH} END)`;
    add(`${d.toDouble(`coalesce(${q('_ic')}, 0)`)} / ${months}`, '_cr', { name: 'contacts_per_month', label: `support contacts per month ${when}`, kind: 'rate' });
  }

  let survey: string | null = null;
  const ratingColumns = (areas ?? []).map((_, k) => q(`_cs${k}`));
  if (areas !== null && areas.length > 0) {
    const inList = (xs: readonly string[]): string => `(${xs.map((v) => values.bind(v)).join(', ')})`;
    const rated = `${q('instrument')} IN ${inList(AREA_INSTRUMENTS)}`;
    survey = perCustomerSubquery(
      ctx,
      'survey_responses',
      areas.map((a, k) => `avg(CASE WHEN ${rated} AND ${q('area')} IN ${inList(a.values)} THEN ${q('score')} ELSE NULL END) AS ${q(`_cs${k}`)}`),
      [`${q('score')} IS NOT NULL`, `${q('at')} < ${startAt}`],
    );
    areas.forEach((a, k) => add(q(`_cs${k}`), `_ca${k}`, { name: `rating: ${a.name}`, label: `${a.label} (rated ${when})`, kind: 'rating' }));
  }

  const id = q('customer_id');
  let join: string | undefined;
  if (survey !== null && interactions !== null) {
    // One join per SELECT on every engine: the two per-customer aggregates meet in a subquery first.
    const inner = `(SELECT ${id}, ${[...ratingColumns, q('_ic')].join(', ')} FROM ${survey} AS ${q('_ks')} LEFT JOIN ${interactions} AS ${q('_ki')} USING (${id}))`;
    join = `LEFT JOIN ${inner} AS ${q('_kx')} USING (${id})`;
  } else if (survey !== null || interactions !== null) {
    join = `LEFT JOIN ${survey ?? interactions ?? ''} AS ${q('_kx')} USING (${id})`;
  }
  const select = scopeSelect(ctx, { items, ...(join === undefined ? {} : { join }), where: [window.eligible] });
  return { rows: { select, values: [windowValues, values], columns }, specs, measuredBefore: before };
}
