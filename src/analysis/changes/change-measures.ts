import { planFactsLayout } from '../../facts/layout.js';
import { DAYS_PER_MONTH } from '../perfect-customer/behaviours.js';
import { hasRows } from '../needs.js';
import { perCustomerSubquery } from '../per-customer-join.js';
import { signedAmountSql } from '../signed-amount.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { ContrastScale } from './did-math.js';
import type { MetricSql } from './moment-sums.js';
import { isEmpty, type Span } from './windows.js';

export type MeasureKind = 'nps' | 'csat' | 'adoption' | 'churn' | 'revenue';

/** One outcome a change (or an experiment) is measured on. */
export interface ChangeMeasure {
  kind: MeasureKind;
  /** Alias stem and code part: `nps`, `csat`, `churn`, `revenue`, `adoption_autopay`. */
  key: string;
  /** What a reader sees: `NPS`, `adoption of Automatic payment`. */
  label: string;
  scale: ContrastScale;
  sql: MetricSql;
}

/** A statement's measures and the join they read. */
export interface MeasureSet {
  measures: ChangeMeasure[];
  join?: string;
  where: string[];
}

const SECONDS_PER_MONTH = 86_400 * DAYS_PER_MONTH;

/** An answer's net score: +100 promoter (9-10), −100 detractor (0-6), 0 passive. */
export function netScoreSql(score: string): string {
  return `CASE WHEN ${score} >= 9 THEN 100 WHEN ${score} <= 6 THEN -100 ELSE 0 END`;
}

/**
 * NPS and CSAT per customer and period from the survey answers, summed per
 * customer in a co-located join (perCustomerSubquery): n = answers, y = net
 * scores (NPS) or scores (CSAT, with their squares for the spread of single
 * answers). Null without survey answers.
 */
export function surveyMeasures(ctx: AnalysisContext, values: SqlValues, spans: readonly Span[]): MeasureSet | null {
  if (!hasRows(ctx, 'survey_responses')) return null;
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const at = q('at');
  const score = q('score');
  const inSpan = (s: Span): string => (isEmpty(s) ? '1 = 0' : `${at} >= ${values.bind(s.start)} AND ${at} < ${values.bind(s.end)}`);
  const used = spans.filter((s) => !isEmpty(s));
  if (used.length === 0) return null;
  const first = new Date(Math.min(...used.map((s) => s.start.getTime())));
  const last = new Date(Math.max(...used.map((s) => s.end.getTime())));
  const items: string[] = [];
  const instruments = [
    { key: 'nps', value: netScoreSql(score) },
    { key: 'csat', value: d.toDouble(score) },
  ];
  for (const instrument of instruments) {
    const is = `${q('instrument')} = ${values.bind(instrument.key)}`;
    spans.forEach((s, k) => {
      const when = `${is} AND ${inSpan(s)}`;
      items.push(`sum(CASE WHEN ${when} THEN 1 ELSE 0 END) AS ${q(`_s_${instrument.key}_n${k}`)}`);
      items.push(`sum(CASE WHEN ${when} THEN ${instrument.value} ELSE 0 END) AS ${q(`_s_${instrument.key}_y${k}`)}`);
      if (instrument.key === 'csat') items.push(`sum(CASE WHEN ${when} THEN ${d.toDouble(score)} * ${d.toDouble(score)} ELSE 0 END) AS ${q(`_s_${instrument.key}_q${k}`)}`);
    });
  }
  const conditions = [`${score} IS NOT NULL`, `${q('instrument')} IN (${values.bind('nps')}, ${values.bind('csat')})`, `${at} >= ${values.bind(first)}`, `${at} < ${values.bind(last)}`];
  const join = `INNER JOIN ${perCustomerSubquery(ctx, 'survey_responses', items, conditions)} AS ${q('_sv')} USING (${q('customer_id')})`;
  const column = (instrument: string, part: string): string[] => spans.map((_, k) => q(`_s_${instrument}_${part}${k}`));
  const measures: ChangeMeasure[] = [
    { kind: 'nps', key: 'nps', label: 'NPS', scale: 'difference', sql: { key: 'nps', n: column('nps', 'n'), y: column('nps', 'y'), observations: 'answers' } },
    { kind: 'csat', key: 'csat', label: 'CSAT', scale: 'difference', sql: { key: 'csat', n: column('csat', 'n'), y: column('csat', 'y'), squares: column('csat', 'q'), observations: 'answers' } },
  ];
  return { measures, join, where: [] };
}

/** Each customer's start (signup, else first purchase) as epoch seconds; null when the store has neither column. */
export function startSeconds(ctx: AnalysisContext): string | null {
  const d = ctx.engine.dialect;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const starts = ['signup_at', 'first_purchase_at'].filter((c) => stored.has(c)).map((c) => d.quoteIdent(c));
  if (starts.length === 0) return null;
  return d.epochSeconds(starts.length === 1 ? (starts[0] as string) : `COALESCE(${starts.join(', ')})`);
}

/**
 * Measures read from customer_facts (and the transactions, for money), per
 * customer and period, over the months each customer was a customer in the
 * period (from signup, else first purchase, to churn or as_of):
 * - churn: n = months at risk, y = 1 when the customer churned in the
 *   period; the mean is churn per customer-month, compared as a ratio;
 * - net revenue: n = months, y = purchases and fees less refunds and credits
 *   dated in the period; the mean is money per customer-month;
 * - adoption of each behaviour declared by an event: n = 1 for a customer
 *   present in the period, y = 1 when they had adopted it (first event)
 *   by the period's end; the mean is the share of customers who show it.
 */
export function factsMeasures(ctx: AnalysisContext, values: SqlValues, spans: readonly Span[], asOf: string): MeasureSet | null {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const start = startSeconds(ctx);
  if (start === null) return null;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const asOfEnd = Date.parse(`${asOf}T00:00:00Z`) / 1000 + 86_400;
  const churnKnown = hasRows(ctx, 'status_changes') && stored.has('churned') && stored.has('churned_at');
  const churnSeconds = churnKnown ? `CASE WHEN ${d.boolToInt(q('churned'))} = 1 AND ${q('churned_at')} IS NOT NULL THEN ${d.epochSeconds(q('churned_at'))} ELSE NULL END` : null;
  const end = churnSeconds === null ? d.literal(asOfEnd) : `COALESCE(${churnSeconds}, ${d.toDouble(d.literal(asOfEnd))})`;
  const seconds = (s: Span): [string, string] => [d.toDouble(d.literal(s.start.getTime() / 1000)), d.toDouble(d.literal(s.end.getTime() / 1000))];
  const months = spans.map((s) => {
    if (isEmpty(s)) return d.toDouble('0');
    const [from, to] = seconds(s);
    return `(greatest(${d.toDouble('0')}, least(${end}, ${to}) - greatest(${start}, ${from})) / ${SECONDS_PER_MONTH})`;
  });
  const present = (k: number): string => `(${months[k] ?? '0'}) > 0`;
  const measures: ChangeMeasure[] = [];
  if (churnSeconds !== null) {
    const events = spans.map((s, k) => {
      if (isEmpty(s)) return '0';
      const [from, to] = seconds(s);
      return `CASE WHEN ${present(k)} AND ${churnSeconds} > ${from} AND ${churnSeconds} <= ${to} THEN 1 ELSE 0 END`;
    });
    measures.push({ kind: 'churn', key: 'churn', label: 'churn', scale: 'log_ratio', sql: { key: 'churn', n: months, y: events, observations: 'customer-periods' } });
  }
  let join: string | undefined;
  if (hasRows(ctx, 'transactions')) {
    const at = q('at');
    const amount = d.toDouble(signedAmountSql(values, q('kind'), q('amount'), d.toMoney('0')));
    const items = spans.map((s, k) => `sum(CASE WHEN ${isEmpty(s) ? '1 = 0' : `${at} >= ${values.bind(s.start)} AND ${at} < ${values.bind(s.end)}`} THEN ${amount} ELSE 0 END) AS ${q(`_t_rev_${k}`)}`);
    const used = spans.filter((s) => !isEmpty(s));
    if (used.length > 0) {
      const first = new Date(Math.min(...used.map((s) => s.start.getTime())));
      const last = new Date(Math.max(...used.map((s) => s.end.getTime())));
      join = `LEFT JOIN ${perCustomerSubquery(ctx, 'transactions', items, [`${at} >= ${values.bind(first)}`, `${at} < ${values.bind(last)}`])} AS ${q('_tx')} USING (${q('customer_id')})`;
      const money = spans.map((_, k) => `CASE WHEN ${present(k)} THEN COALESCE(${q(`_t_rev_${k}`)}, 0) ELSE 0 END`);
      measures.push({ kind: 'revenue', key: 'revenue', label: 'net revenue per customer-month', scale: 'difference', sql: { key: 'revenue', n: months, y: money, observations: 'customer-periods' } });
    }
  }
  const layout = planFactsLayout(ctx.config, ctx.facts.attributes.map((a) => ({ name: a.source, type: a.type })));
  layout.behaviours.forEach((b, i) => {
    if (b.event === undefined || !stored.has(b.at) || !hasRows(ctx, 'behaviour_events')) return;
    const adopted = d.epochSeconds(q(b.at));
    const shown = spans.map((s, k) => (isEmpty(s) ? '0' : `CASE WHEN ${present(k)} AND ${q(b.at)} IS NOT NULL AND ${adopted} < ${seconds(s)[1]} THEN 1 ELSE 0 END`));
    const here = spans.map((_, k) => `CASE WHEN ${present(k)} THEN 1 ELSE 0 END`);
    measures.push({
      kind: 'adoption',
      key: `adoption_${b.key}`,
      label: `adoption of ${b.label ?? b.key.replaceAll('_', ' ')}`,
      scale: 'difference',
      sql: { key: `b${i}`, n: here, y: shown, observations: 'customer-periods' },
    });
  });
  if (measures.length === 0) return null;
  return { measures, ...(join === undefined ? {} : { join }), where: [`${start} IS NOT NULL`] };
}
