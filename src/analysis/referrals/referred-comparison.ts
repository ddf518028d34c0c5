import { npsInterval, wilsonInterval, meanInterval, type Interval, type IntervalEstimate } from '../../stats/index.js';
import type { Behaviour } from '../perfect-customer/behaviours.js';
import { exposureMonths } from '../perfect-customer/behaviours.js';
import { retentionLink } from '../perfect-customer/retention.js';
import { satisfactionLink, type SatisfactionMeasure } from '../perfect-customer/satisfaction.js';
import { buildDesign, defaultCovariates, fitDroppingCollinear } from '../regression/design.js';
import { fitOlsInEngine } from '../regression/sql-fit.js';
import type { RetentionWindow } from '../retention/window.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import { meanSummaryFromSums } from '../standardised-difference.js';
import type { AnalysisContext } from '../types.js';
import { moneyRatio } from '../value/money-ratio.js';

/** An estimate with its interval and test: a difference, a coefficient or an odds ratio. */
export interface Contrast {
  estimate: number;
  interval: Interval;
  pValue: number;
}

/** One measure compared between two groups of customers (referred or not; referrers or not). */
export interface GroupComparison {
  measure: 'net_value_per_month' | 'satisfaction' | 'churn';
  /** The group of interest and the others: their size and level. */
  group: { n: number; level: IntervalEstimate | null };
  others: { n: number; level: IntervalEstimate | null };
  /** Group minus others, as they are. */
  raw: Contrast | null;
  /** Group against comparable others (regression on the covariates); churn: an odds ratio. */
  adjusted: Contrast | null;
  /** What the adjustment used, or why there is none. */
  adjustedFor: string[];
  notes: string[];
}

/** Attributes that say how a customer was acquired: referral is one of their values, so they are not adjusted for. */
const CHANNEL_LIKE = /channel|source|medium|campaign|referr|utm/i;

/** The covariates of an adjusted comparison with referral: the defaults (cxray.yaml `adjust_for`, else those known at acquisition and tenure) without the acquisition channel. */
export function referralCovariates(ctx: AnalysisContext): string[] {
  return defaultCovariates(ctx).filter((name) => {
    const attribute = ctx.facts.attributes.find((a) => a.name === name);
    return !CHANNEL_LIKE.test(name) && (attribute === undefined || !CHANNEL_LIKE.test(attribute.source));
  });
}

/** A flag as a Behaviour, so the perfect-customer links (raw and adjusted) compare its two groups. */
export function flagBehaviour(key: string, label: string, adopted: string): Behaviour {
  return { key, label, flag: key, adopted, declaredPerMonth: null };
}

/**
 * Net value per customer-month, group against the others: each group's
 * ratio of totals (Σ net value / Σ months, customers as units), the raw
 * difference and the adjusted one, both as the flag's coefficient in a
 * least-squares fit of net value per month weighted by months (without
 * covariates exactly the difference of the two ratios), with HC1 errors.
 */
export async function valueComparison(ctx: AnalysisContext, values: SqlValues, flag: Behaviour, covariates: readonly string[]): Promise<GroupComparison | null> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const months = exposureMonths(ctx);
  const exposed = [`${months} IS NOT NULL`, `${months} > 0`];
  const net = d.toDouble(q('net_value'));
  const rows = await scopeQuery(
    ctx,
    scopeSelect(ctx, {
      items: [
        `${flag.adopted} AS ${q('_a')}`,
        `count(*) AS ${q('_n')}`,
        `sum(${q('net_value')}) AS ${q('_y')}`,
        `sum(${months}) AS ${q('_m')}`,
        `sum(${net} * ${net}) AS ${q('_yy')}`,
        `sum(${months} * ${months}) AS ${q('_mm')}`,
        `sum(${net} * ${months}) AS ${q('_ym')}`,
      ],
      where: exposed,
      groupBy: [flag.adopted],
    }),
    values,
  );
  const level = (adopted: number) => {
    const r = rows.find((x) => numberOf(x['_a']) === adopted);
    const get = (name: string): number => numberOf(r?.[name]) ?? 0;
    const n = get('_n');
    return { n, level: moneyRatio({ n, y: get('_y'), m: get('_m'), yy: get('_yy'), mm: get('_mm'), ym: get('_ym') }) };
  };
  const group = level(1);
  const others = level(0);
  if (group.n < 5 || others.n < 5) return null;
  const outcome = [{ name: 'net', sql: `(${net} / ${months})` }];
  const term = [{ name: 'flag', label: flag.label, sql: flag.adopted }];
  const raw = (await fitOlsInEngine(ctx, values, await buildDesign(ctx, values, term, [], exposed), outcome, months)).get('net')?.robust.find((c) => c.name === 'flag');
  const full = await buildDesign(ctx, values, term, covariates, exposed);
  const fitted = await fitDroppingCollinear(full, (x) => fitOlsInEngine(ctx, values, x, outcome, months));
  const adjusted = fitted.result.get('net')?.robust.find((c) => c.name === 'flag');
  return {
    measure: 'net_value_per_month',
    group,
    others,
    raw: raw === undefined ? null : { estimate: raw.estimate, interval: raw.interval, pValue: raw.pValue },
    adjusted: adjusted === undefined ? null : { estimate: adjusted.estimate, interval: adjusted.interval, pValue: adjusted.pValue },
    adjustedFor: fitted.design.covariates.map((c) => c.label),
    notes: fitted.design.notes,
  };
}

/**
 * Satisfaction, group against the others: each group's NPS (or mean CSAT)
 * with its interval, and the perfect-customer link's raw difference and
 * adjusted coefficient (least squares on the covariates, robust errors).
 */
export async function satisfactionComparison(ctx: AnalysisContext, values: SqlValues, flag: Behaviour, measure: SatisfactionMeasure, covariates: readonly string[]): Promise<GroupComparison | null> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const y = measure.sql;
  const rows = await scopeQuery(
    ctx,
    scopeSelect(ctx, {
      items: [
        `${flag.adopted} AS ${q('_a')}`,
        `count(*) AS ${q('_n')}`,
        `sum(${d.ifThen(`${y} > 0`, '1', '0')}) AS ${q('_p')}`,
        `sum(${d.ifThen(`${y} < 0`, '1', '0')}) AS ${q('_d')}`,
        `sum(${d.toDouble(y)}) AS ${q('_s')}`,
        `sum(${d.toDouble(y)} * ${d.toDouble(y)}) AS ${q('_ss')}`,
      ],
      where: [`${y} IS NOT NULL`],
      groupBy: [flag.adopted],
    }),
    values,
  );
  const level = (adopted: number) => {
    const r = rows.find((x) => numberOf(x['_a']) === adopted);
    const get = (name: string): number => numberOf(r?.[name]) ?? 0;
    const n = get('_n');
    if (n < 2) return { n, level: null };
    if (measure.kind === 'nps') return { n, level: npsInterval({ promoters: get('_p'), detractors: get('_d'), passives: n - get('_p') - get('_d') }) };
    return { n, level: meanInterval(meanSummaryFromSums(n, get('_s'), get('_ss'))) };
  };
  const link = await satisfactionLink(ctx, values, flag, measure, covariates);
  if (link === null) return null;
  return {
    measure: 'satisfaction',
    group: level(1),
    others: level(0),
    raw: { estimate: link.raw.estimate, interval: link.raw.interval, pValue: link.raw.pValue },
    adjusted: { estimate: link.adjusted.estimate, interval: link.adjusted.interval, pValue: link.adjusted.pValue },
    adjustedFor: link.design.covariates.map((c) => c.label),
    notes: link.design.notes,
  };
}

/** Churn within the retention window, group against the others: shares (Wilson), the raw difference, the adjusted odds ratio. */
export async function churnComparison(ctx: AnalysisContext, values: SqlValues, flag: Behaviour, window: RetentionWindow, covariates: readonly string[]): Promise<GroupComparison | null> {
  const link = await retentionLink(ctx, values, flag, window, covariates);
  if (link === null) return null;
  const share = (g: { churned: number; n: number }): IntervalEstimate | null => (g.n > 0 ? wilsonInterval({ count: g.churned, n: g.n }) : null);
  const adjusted = link.adjusted;
  return {
    measure: 'churn',
    group: { n: link.churnAdopters.n, level: share(link.churnAdopters) },
    others: { n: link.churnOthers.n, level: share(link.churnOthers) },
    raw: { estimate: link.raw.estimate, interval: link.raw.interval, pValue: link.raw.pValue },
    adjusted: adjusted === null ? null : { estimate: adjusted.oddsRatio, interval: adjusted.oddsRatioInterval, pValue: adjusted.pValue },
    adjustedFor: link.design?.covariates.map((c) => c.label) ?? [],
    notes: link.notes,
  };
}
