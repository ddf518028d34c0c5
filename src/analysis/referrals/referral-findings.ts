import type { Finding, Severity } from '../result.js';
import type { AnalysisContext } from '../types.js';
import { scaleInterval, words } from '../wording.js';
import type { AttributeMixing } from './attribute-mixing.js';
import type { DownstreamFigures } from './downstream-value.js';
import type { ReferralOverview, SegmentReferrals } from './referral-counts.js';
import type { NamedComparison } from './referral-tables.js';
import type { ValueAssortativity } from './value-assortativity.js';

const percent = (x: number): string => words.percent(x);
const clear = (p: number): boolean => p < 0.05;

/** "Who refers": the share of customers who referred someone, and referrals per customer. */
export function overviewFindings(o: ReferralOverview): Finding[] {
  const findings: Finding[] = [];
  const n = o.sums.customers;
  const share = o.shareReferring;
  if (share !== null) {
    findings.push({
      code: 'referrals.share_referring',
      text: `${percent(share.estimate)} of customers referred at least one customer (${words.count(o.sums.referrers)} of ${words.count(n)}; ${words.interval(share.interval, percent)}).`,
      estimate: share.estimate,
      unit: 'share',
      interval: share.interval,
      n,
      severity: 'info',
    });
  }
  const per = o.perCustomer;
  if (per !== null) {
    findings.push({
      code: 'referrals.per_customer',
      text: `Customers made ${words.number(per.estimate, 3)} referrals each on average, ${words.count(o.sums.referrals)} in all (${words.interval(per.interval, (x) => words.number(x, 3))}; n = ${words.count(n)}).`,
      estimate: per.estimate,
      unit: 'referrals',
      interval: per.interval,
      n,
      severity: 'info',
    });
  }
  return findings;
}

/** Segments that refer clearly more (or less) often than the other customers. */
export function segmentFindings(segments: readonly SegmentReferrals[]): Finding[] {
  return segments
    .filter((s) => s.passes && s.difference !== null && s.shareReferring !== null)
    .map((s) => {
      const diff = s.difference as NonNullable<SegmentReferrals['difference']>;
      const others = (s.shareReferring?.estimate ?? 0) - diff.estimate;
      return {
        code: 'referrals.segment_share_referring',
        text:
          `Customers with ${s.grouping.label} ${s.level} refer ${diff.estimate > 0 ? 'more' : 'less'} often: ${percent(s.shareReferring?.estimate ?? 0)} referred someone against ${percent(others)} of the others ` +
          `(${words.points(diff.estimate)}, ${words.interval(scaleInterval(diff.interval, 100), (x) => words.number(x, 1))} points; n = ${words.count(diff.n[0])} and ${words.count(diff.n[1])}).`,
        estimate: 100 * diff.estimate,
        unit: 'percentage_points',
        interval: scaleInterval(diff.interval, 100),
        n: diff.n[0],
        pValue: diff.pValue,
        ...(s.qValue === null ? {} : { qValue: s.qValue }),
        severity: 'low' as Severity,
      };
    });
}

/** "Do customers refer people like themselves?": one finding per attribute whose mixing passed the screen. */
export function homophilyFindings(mixings: readonly AttributeMixing[]): Finding[] {
  const findings: Finding[] = [];
  for (const m of mixings) {
    const r = m.result;
    if (!m.passes || r === null) continue;
    const more = r.difference.estimate > 0;
    const points = scaleInterval(r.difference.interval, 100);
    findings.push({
      code: 'referrals.homophily',
      text:
        `Customers refer people ${more ? 'like themselves' : 'unlike themselves'} by ${m.grouping.label}: ${percent(r.sameShare.estimate)} of ${words.count(r.pairs)} referred customers share their referrer's ${m.grouping.label} ` +
        `(${words.interval(r.sameShare.interval, percent)}), against ${percent(r.chanceShare)} expected by chance (${words.points(r.difference.estimate)}, ${words.interval(points, (x) => words.number(x, 1))} points; ` +
        `assortativity ${words.number(r.coefficient.estimate, 2)}, ${words.interval(r.coefficient.interval, (x) => words.number(x, 2))}).`,
      estimate: 100 * r.difference.estimate,
      unit: 'percentage_points',
      interval: points,
      n: r.pairs,
      pValue: r.difference.pValue,
      ...(m.qValue === null ? {} : { qValue: m.qValue }),
      severity: Math.abs(r.difference.estimate) >= 0.1 ? 'medium' : 'low',
    });
    findings.push({
      code: 'referrals.assortativity',
      text: `The assortativity coefficient of referrals by ${m.grouping.label} is ${words.number(r.coefficient.estimate, 3)} (${words.interval(r.coefficient.interval, (x) => words.number(x, 3))}; 0 is mixing by chance, 1 every referred customer like its referrer; ${words.count(r.pairs)} pairs, ${words.count(r.referrers)} referrers).`,
      estimate: r.coefficient.estimate,
      unit: 'coefficient',
      interval: r.coefficient.interval,
      n: r.pairs,
      pValue: r.coefficient.pValue,
      ...(m.qValue === null ? {} : { qValue: m.qValue }),
      severity: 'info',
    });
  }
  return findings;
}

export function valueCorrelationFinding(v: ValueAssortativity, currency: string): Finding {
  const c = v.rank;
  const strength = clear(c.pValue) ? (c.estimate > 0 ? 'valuable referrers bring valuable customers' : 'valuable referrers bring less valuable customers') : 'no clear link between what a referrer and the customers it brought are worth';
  return {
    code: 'referrals.value_correlation',
    text:
      `At equal tenure (each customer's first ${v.days} days), ${strength}: rank correlation ${words.number(c.estimate, 2)} between a referrer's net value and that of each customer it brought ` +
      `(${words.interval(c.interval, (x) => words.number(x, 2))}, clustered by referrer; ${words.count(c.pairs)} pairs, ${words.count(c.clusters)} referrers; ` +
      `mean ${words.money(v.referrerMean, currency, 2)} for the referrers and ${words.money(v.referredMean, currency, 2)} for the customers they brought).`,
    estimate: c.estimate,
    unit: 'correlation',
    interval: c.interval,
    n: c.pairs,
    pValue: c.pValue,
    severity: clear(c.pValue) ? 'low' : 'info',
  };
}

const GROUP_WORDS = {
  referred: { group: 'Customers acquired by referral', others: 'the other customers' },
  referrers: { group: 'Customers who refer', others: 'those who do not' },
} as const;

/** Raw and adjusted findings of each comparison (referred against the others; referrers against the others). */
export function comparisonFindings(ctx: AnalysisContext, comparisons: readonly NamedComparison[]): Finding[] {
  const currency = ctx.config.currency;
  const findings: Finding[] = [];
  for (const { comparison, unit, result: c } of comparisons) {
    const who = GROUP_WORDS[comparison];
    const sizes = `n = ${words.count(c.group.n)} and ${words.count(c.others.n)}`;
    const adjustedFor = c.adjustedFor.length === 0 ? 'nothing (no covariate left)' : words.list(c.adjustedFor);
    const code = `referrals.${comparison}_${c.measure}`;
    const severity = (p: number): Severity => (clear(p) ? 'low' : 'info');
    if (c.measure === 'net_value_per_month') {
      const fmt = (x: number): string => words.money(x, currency, 2);
      const signed = (x: number): string => words.signedMoney(x, currency, 2);
      if (c.raw !== null) {
        findings.push({
          code,
          text: `${who.group} bring ${signed(c.raw.estimate)} per customer-month against ${who.others} (${fmt(c.group.level?.estimate ?? 0)} against ${fmt(c.others.level?.estimate ?? 0)}; ${words.interval(c.raw.interval, signed)}; ${sizes}).`,
          estimate: c.raw.estimate,
          unit,
          interval: c.raw.interval,
          n: c.group.n,
          pValue: c.raw.pValue,
          severity: severity(c.raw.pValue),
        });
      }
      if (c.adjusted !== null) {
        findings.push({
          code: `${code}_adjusted`,
          text: `Against comparable customers (adjusted for ${adjustedFor}), ${who.group.toLowerCase()} bring ${signed(c.adjusted.estimate)} per customer-month (${words.interval(c.adjusted.interval, signed)}; ${sizes}).`,
          estimate: c.adjusted.estimate,
          unit,
          interval: c.adjusted.interval,
          n: c.group.n,
          pValue: c.adjusted.pValue,
          severity: severity(c.adjusted.pValue),
        });
      }
    } else if (c.measure === 'satisfaction') {
      const num = (x: number): string => words.number(x, 1);
      if (c.raw !== null) {
        findings.push({
          code,
          text: `${who.group} score ${num(c.group.level?.estimate ?? 0)} against ${num(c.others.level?.estimate ?? 0)} for ${who.others} (${words.number(c.raw.estimate, 1)} points, ${words.interval(c.raw.interval, num)}; ${sizes} respondents).`,
          estimate: c.raw.estimate,
          unit,
          interval: c.raw.interval,
          n: c.group.n,
          pValue: c.raw.pValue,
          severity: severity(c.raw.pValue),
        });
      }
      if (c.adjusted !== null) {
        findings.push({
          code: `${code}_adjusted`,
          text: `Against comparable customers (adjusted for ${adjustedFor}), ${who.group.toLowerCase()} score ${num(c.adjusted.estimate)} points apart (${words.interval(c.adjusted.interval, num)}; ${sizes} respondents).`,
          estimate: c.adjusted.estimate,
          unit,
          interval: c.adjusted.interval,
          n: c.group.n,
          pValue: c.adjusted.pValue,
          severity: severity(c.adjusted.pValue),
        });
      }
    } else {
      if (c.raw !== null) {
        const pts = scaleInterval(c.raw.interval, 100);
        findings.push({
          code,
          text: `${who.group} churned ${percent(c.group.level?.estimate ?? 0)} of the time in the retention window against ${percent(c.others.level?.estimate ?? 0)} for ${who.others} (${words.points(c.raw.estimate)}, ${words.interval(pts, (x) => words.number(x, 1))} points; ${sizes}).`,
          estimate: 100 * c.raw.estimate,
          unit: 'percentage_points',
          interval: pts,
          n: c.group.n,
          pValue: c.raw.pValue,
          severity: severity(c.raw.pValue),
        });
      }
      if (c.adjusted !== null) {
        findings.push({
          code: `${code}_odds_ratio`,
          text: `Against comparable customers (adjusted for ${adjustedFor}), the odds that ${who.group.toLowerCase()} churn in the window are ${words.number(c.adjusted.estimate, 2)} times the others' (${words.interval(c.adjusted.interval, (x) => words.number(x, 2))}; ${sizes}).`,
          estimate: c.adjusted.estimate,
          unit: 'odds_ratio',
          interval: c.adjusted.interval,
          n: c.group.n,
          pValue: c.adjusted.pValue,
          severity: severity(c.adjusted.pValue),
        });
      }
    }
  }
  return findings;
}

/** What referrers bring through the customers they referred: value per referrer and the multiplier. */
export function downstreamFindings(ctx: AnalysisContext, f: DownstreamFigures): Finding[] {
  const currency = ctx.config.currency;
  const money = (x: number): string => words.money(x, currency, 2);
  const findings: Finding[] = [];
  const n = f.sums.referrers;
  if (f.broughtPerReferrer !== null) {
    findings.push({
      code: 'referrals.brought_value_per_referrer',
      text:
        `Each referrer brought ${money(f.broughtPerReferrer.estimate)} of net value to date through the customers it referred (${words.interval(f.broughtPerReferrer.interval, money)}; ` +
        `${words.count(n)} referrers, ${words.count(f.sums.pairs)} customers brought, ${words.money(f.sums.brought, currency, 0)} in all).`,
      estimate: f.broughtPerReferrer.estimate,
      unit: currency,
      interval: f.broughtPerReferrer.interval,
      n,
      severity: 'info',
    });
  }
  if (f.multiplier !== null) {
    findings.push({
      code: 'referrals.multiplier',
      text:
        `The referral multiplier is ${words.number(f.multiplier.estimate, 2)}: referrers' own net value (${words.money(f.sums.own, currency, 0)}) plus that of the customers they brought (${words.money(f.sums.brought, currency, 0)}), ` +
        `against their own alone (${words.interval(f.multiplier.interval, (x) => words.number(x, 2))}; ${words.count(n)} referrers).`,
      estimate: f.multiplier.estimate,
      unit: 'ratio',
      interval: f.multiplier.interval,
      n,
      severity: f.multiplier.interval.lower > 1 ? 'low' : 'info',
    });
  }
  return findings;
}
