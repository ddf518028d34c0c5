import { describePeriod } from '../period.js';
import type { Finding } from '../result.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import type { SegmentValue } from './by-segment.js';
import type { OverallValue } from './overall.js';

/** "Customers with contract type monthly". */
export function segmentName(s: Pick<SegmentValue, 'grouping' | 'level'>): string {
  return `Customers with ${s.grouping.label} ${s.level}`;
}

function when(ctx: AnalysisContext): string {
  return ctx.period === null ? 'to date' : describePeriod(ctx.period);
}

/** The overall findings: net value per customer and per customer-month, each known part, the unprofitable shares. */
export function overallFindings(ctx: AnalysisContext, o: OverallValue): Finding[] {
  const currency = ctx.config.currency;
  const money = (x: number, digits = 2): string => words.money(x, currency, digits);
  const n = o.sums.customers;
  const findings: Finding[] = [];
  const perCustomer = o.net.perCustomer;
  if (perCustomer !== null) {
    findings.push({
      code: 'value.net_value_per_customer',
      text: `Net value ${when(ctx)} is ${money(o.net.total, 0)} from ${words.count(n)} customers: ${money(perCustomer.estimate)} per customer (${words.interval(perCustomer.interval, (x) => money(x))}; n = ${words.count(n)}).`,
      estimate: perCustomer.estimate,
      unit: currency,
      interval: perCustomer.interval,
      n,
      severity: 'info',
    });
  }
  const perMonth = o.net.perMonth;
  if (perMonth !== null) {
    const known = o.parts.filter((p) => p.known && p.perMonth !== null && p.total !== 0);
    const breakdown = known.map((p, i) => `${i === 0 ? (p.part.sign < 0 ? '− ' : '') : p.part.sign < 0 ? ' − ' : ' + '}${p.part.label} ${money(Math.abs(p.perMonth?.estimate ?? 0))}`).join('');
    findings.push({
      code: 'value.net_value_per_month',
      text:
        `Customers bring ${words.signedMoney(perMonth.estimate, currency, 2)} net per customer-month (${words.interval(perMonth.interval, (x) => money(x))}; ` +
        `n = ${words.count(o.sums.exposed)} customers over ${words.count(o.sums.months)} customer-months)${breakdown === '' ? '' : `: ${breakdown}`}.`,
      estimate: perMonth.estimate,
      unit: currency,
      interval: perMonth.interval,
      n: o.sums.exposed,
      severity: 'info',
    });
  }
  for (const p of o.parts) {
    if (!p.known || p.perMonth === null) continue;
    findings.push({
      code: `value.part.${p.part.key}`,
      text: `${capitalise(p.part.label)}: ${money(p.perMonth.estimate)} per customer-month (${words.interval(p.perMonth.interval, (x) => money(x))}; n = ${words.count(o.sums.exposed)}), ${money(p.total, 0)} in total.`,
      estimate: p.perMonth.estimate,
      unit: currency,
      interval: p.perMonth.interval,
      n: o.sums.exposed,
      severity: 'info',
    });
  }
  const share = o.unprofitableCustomers;
  if (share !== null) {
    findings.push({
      code: 'value.unprofitable_customers',
      text: `${words.count(o.sums.unprofitable)} customers (${words.percent(share.estimate)}, ${words.interval(share.interval, (x) => words.percent(x))}; n = ${words.count(n)}) cost more than they bring: net value ${when(ctx)} below zero.`,
      estimate: share.estimate,
      unit: 'share',
      interval: share.interval,
      n,
      severity: share.estimate >= 0.1 ? 'medium' : 'info',
    });
  }
  const revenue = o.unprofitableRevenue;
  if (revenue !== null) {
    findings.push({
      code: 'value.unprofitable_revenue',
      text: `Customers who cost more than they bring account for ${words.percent(revenue.estimate)} of gross revenue (purchases and fees; ${words.interval(revenue.interval, (x) => words.percent(x))}; n = ${words.count(n)}).`,
      estimate: revenue.estimate,
      unit: 'share',
      interval: revenue.interval,
      n,
      severity: 'info',
    });
  }
  return findings;
}

/** A sentence for a segment whose net value per customer-month differs clearly from the others'. */
export function segmentSentence(ctx: AnalysisContext, s: SegmentValue): string {
  const currency = ctx.config.currency;
  const money = (x: number): string => words.money(x, currency, 2);
  const r = s.perMonth;
  const diff = s.difference;
  if (r === null || diff === null) return '';
  const n = `n = ${words.count(s.sums.exposed)}`;
  const versus = `${money(Math.abs(diff.estimate))} ${diff.estimate < 0 ? 'less' : 'more'} than the other customers (${words.interval(diff.interval, (x) => words.signedMoney(x, currency, 2))})`;
  if (r.interval.upper < 0) {
    const loss = { lower: -r.interval.upper, upper: -r.interval.lower, level: r.interval.level };
    return `${segmentName(s)} cost ${money(-r.estimate)} per customer-month more than they bring (${words.interval(loss, money)}; ${n}): ${versus}.`;
  }
  return `${segmentName(s)} bring ${words.signedMoney(r.estimate, currency, 2)} net per customer-month (${words.interval(r.interval, money)}; ${n}), ${versus}.`;
}

/** Findings for the segments that passed the screen. */
export function segmentFindings(ctx: AnalysisContext, segments: readonly SegmentValue[]): Finding[] {
  const currency = ctx.config.currency;
  return segments
    .filter((s) => s.passes && s.difference !== null && s.perMonth !== null)
    .sort((a, b) => (a.perMonth?.estimate ?? 0) - (b.perMonth?.estimate ?? 0))
    .map((s) => {
      const diff = s.difference as NonNullable<SegmentValue['difference']>;
      const losing = (s.perMonth?.interval.upper ?? 0) < 0;
      return {
        code: `value.segment_difference`,
        text: segmentSentence(ctx, s),
        estimate: diff.estimate,
        unit: currency,
        interval: diff.interval,
        n: s.sums.exposed,
        pValue: diff.pValue,
        ...(s.qValue === null ? {} : { qValue: s.qValue }),
        ...(losing && s.perMonth !== null ? { moneyAtStake: { amount: -s.perMonth.estimate * 12 * (s.sums.active ?? s.sums.customers), currency, period: 'year' as const } } : {}),
        severity: losing ? ('high' as const) : ('medium' as const),
      };
    });
}

export function capitalise(text: string): string {
  return text.length === 0 ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}
