import { wilsonInterval } from '../../stats/index.js';
import { fitScoreSql, type FitScore } from '../fit/fit-score.js';
import { measuredQuery } from '../fit/measured.js';
import { scannableGroupings } from '../misaligned/cells.js';
import type { Grouping } from '../profile/groupings.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Finding, Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { words } from '../wording.js';
import { equalTenureValue, FIRST_YEAR_DAYS } from './equal-tenure.js';
import { allOf, liftOf, meanEstimate, ruleSplits, validateRules } from './holdout.js';
import { idealDrivers, type IdealDrivers } from './ideal-drivers.js';
import { attributesTable, driversTable, rulesChart, rulesTable, type RuleReport } from './ideal-tables.js';
import { explainedShares, PRICE_TIER_SHARE, type ExplainedShare } from './price-tier.js';
import { addSums, meanOf, ruleText } from './rule.js';
import { DEFAULT_SEARCH, searchRules, type ScoreSource } from './search.js';

/** A rule must cover at least this share of the training half, and at least MIN_RULE_CUSTOMERS. */
export const MIN_COVERAGE_SHARE = 0.01;
export const MIN_RULE_CUSTOMERS = 10;

/** The attributes the rules may use: cxray.yaml fit.rule_attributes, else all but a price tier. */
function ruleGroupings(ctx: AnalysisContext, groupings: readonly Grouping[], shares: readonly ExplainedShare[]): { kept: Grouping[]; notes: string[] } {
  const declared = ctx.config.fit?.rule_attributes;
  if (declared !== undefined) {
    const names = new Set(declared);
    const kept = groupings.filter((g) => names.has(g.key) || names.has(g.attribute.source) || names.has(g.attribute.name));
    const unknown = declared.filter((n) => !groupings.some((g) => g.key === n || g.attribute.source === n || g.attribute.name === n));
    return { kept, notes: unknown.length === 0 ? [] : [`fit.rule_attributes names ${words.list(unknown)}, which is not a segment or attribute known at acquisition with 2 to 25 values here.`] };
  }
  const tiers = shares.filter((s) => s.share >= PRICE_TIER_SHARE);
  const notes = tiers.map(
    (t) =>
      `${t.grouping.label.charAt(0).toUpperCase()}${t.grouping.label.slice(1)} is left out of the rules: it alone explains ${words.percent(t.share, 0)} of the variation in net value per customer-month, so it says what customers pay (a price tier) rather than who they are, and a rule on it would only restate that. ` +
      'List the attributes in cxray.yaml fit.rule_attributes to choose them yourself.',
  );
  return { kept: groupings.filter((g) => !tiers.some((t) => t.grouping === g)), notes };
}

async function reportRules(ctx: AnalysisContext, fit: FitScore, source: ScoreSource, values: SqlValues, validated: Awaited<ReturnType<typeof validateRules>>): Promise<RuleReport[]> {
  const end = fit.scoredAt ?? new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) + 86_400_000);
  const tenure = await equalTenureValue(ctx, values, end);
  const reports: RuleReport[] = [];
  for (const [i, v] of validated.entries()) {
    const all = allOf(v.splits);
    const everyone = addSums(all.covered, all.rest);
    let equalTenure: RuleReport['equalTenure'] = null;
    if (tenure !== null) {
      const t = tenure;
      const splits = await ruleSplits(
        ctx,
        { join: t.join, where: t.eligible, query: (sql, more) => ctx.engine.query(sql, { ...ctx.scope.params, ...values.params, ...t.params, ...more.params }) },
        v.found.rule,
        t.value,
      );
      const held = splits.heldOut;
      equalTenure = {
        heldOut: liftOf(held),
        training: liftOf(splits.training),
        heldOutCustomers: held.covered.n,
        meanCovered: held.covered.n > 0 ? meanOf(held.covered) : null,
        meanAll: held.covered.n + held.rest.n > 0 ? meanOf(addSums(held.covered, held.rest)) : null,
      };
    }
    reports.push({
      rank: i + 1,
      validated: v,
      customers: all.covered.n,
      coverage: everyone.n > 0 ? wilsonInterval({ count: all.covered.n, n: everyone.n }) : null,
      meanFit: meanEstimate(all.covered),
      overallFit: meanOf(everyone),
      fitLift: liftOf(all),
      heldOutFitLift: liftOf(v.splits.heldOut),
      equalTenure,
    });
  }
  return reports;
}

const ratio = (x: { estimate: number; interval: { lower: number; upper: number; level: number } }): string =>
  `${words.number(x.estimate, 2)} (${words.interval(x.interval, (y) => words.number(y, 2))})`;

function ruleFindings(reports: readonly RuleReport[]): Finding[] {
  return reports.flatMap((r): Finding[] => {
    const v = r.validated;
    const lift = r.heldOutFitLift;
    if (!v.holds || lift === null) return [];
    const et = r.equalTenure?.heldOut;
    const findings: Finding[] = [
      {
        code: 'ideal-profile.rule',
        text:
          `${ruleText(v.found.rule)}: ${words.percent(r.coverage?.estimate ?? 0)} of customers (${words.count(r.customers)}), mean fit ${words.number(r.meanFit?.estimate ?? 0, 1)} against ${words.number(r.overallFit, 1)} overall; ` +
          `on held-out customers their mean fit is ${ratio(lift)} times the average (n = ${words.count(v.splits.heldOut.covered.n)}).`,
        estimate: lift.estimate,
        unit: 'ratio',
        interval: lift.interval,
        n: v.splits.heldOut.covered.n,
        ...(v.heldOut === null ? {} : { pValue: v.heldOut.pValue }),
        severity: 'info',
      },
    ];
    if (et !== null && et !== undefined && r.equalTenure !== null) {
      findings.push({
        code: 'ideal-profile.equal_tenure_lift',
        text: `Over their first ${FIRST_YEAR_DAYS} days, held-out customers who are ${ruleText(v.found.rule)} brought ${ratio(et)} times the net value of the average customer (n = ${words.count(r.equalTenure.heldOutCustomers)} with a whole first year).`,
        estimate: et.estimate,
        unit: 'ratio',
        interval: et.interval,
        n: r.equalTenure.heldOutCustomers,
        severity: 'info',
      });
    }
    return findings;
  });
}

function driversSentence(drivers: IdealDrivers | null, rule: string): string | null {
  if (drivers === null) return null;
  if (drivers.missing !== null) return `What the ideal customers value is not shown: ${drivers.missing}.`;
  const top = drivers.areas.slice(0, 3).map((a) => `${a.label} (${words.percent(a.inside.share)} of what they explain, ${words.percent(a.outside.share)} for the others)`);
  const apart = drivers.areas.filter((a) => a.difference.interval.lower > 0 || a.difference.interval.upper < 0).map((a) => `${a.label} ${words.points(a.difference.estimate)}`);
  return `What the ideal customers (${rule}) value most: ${words.list(top)}.${apart.length === 0 ? ' No area weighs clearly differently for them than for the other customers.' : ` Clearly different for them: ${words.list(apart)}.`}`;
}

/**
 * The ideal customer as a short list of rules over attributes known at
 * acquisition, searched on the fit score (ideal-profile/search.ts) on a
 * training half of the customers and checked on the held-out half; each rule
 * with its coverage, mean fit, lift, and lift in first-year net value; and
 * what the customers of the first rule that holds value (key drivers within
 * it against the others).
 */
export async function runIdealProfile(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const fitResult = ctx.dependencies.get('fit');
  if (fitResult !== undefined && fitResult.status !== 'ok') return notRunResult(ctx, analysis, 'skipped', `The fit score could not be computed: ${fitResult.reason ?? 'no reason given'}`);
  const fit = await fitScoreSql(ctx);
  const values = new SqlValues(ctx.engine, 'ipg');
  const { groupings, warnings } = segmentGroupings(ctx, values);
  const scannable = await scannableGroupings(ctx, groupings, values);
  const source: ScoreSource = { score: fit.expressions.score, join: fit.measured.join, where: fit.measured.where, query: (sql, more) => measuredQuery(ctx, fit.measured, sql, values, more) };
  const shares = await explainedShares(ctx, source, fit.measured.valuePerMonth, scannable.groupings);
  const { kept, notes } = ruleGroupings(ctx, scannable.groupings, shares);
  if (kept.length === 0) {
    return notRunResult(ctx, analysis, 'skipped', 'No attribute known at acquisition to write rules with: mark customer attributes `at_acquisition: true` or list `segments` in cxray.yaml (each with 2 to 25 values).', [...warnings, ...notes]);
  }
  const minimum = Math.max(MIN_RULE_CUSTOMERS, Math.ceil((MIN_COVERAGE_SHARE * fit.model.scored) / 2));
  const search = await searchRules(ctx, source, kept, { ...DEFAULT_SEARCH, minimum });
  const practical = ctx.thresholds.byUnit['points'] ?? 2;
  const validated = await validateRules(ctx, source, search.rules, { alpha: ctx.thresholds.fdr, practical });
  const reports = await reportRules(ctx, fit, source, values, validated);
  const holding = reports.filter((r) => r.validated.holds);
  const first = holding[0];
  const drivers = first === undefined ? null : await idealDrivers(ctx, first.validated.found.rule, values);

  const parts = emptyParts();
  parts.warnings.push(...warnings);
  if (scannable.left.length > 0) parts.warnings.push(`Not used in rules, having more than 25 values: ${words.list(scannable.left.map((g) => g.label))}.`);
  if (first === undefined) {
    parts.summary.push(
      search.rules.length === 0
        ? `No group of customers described by up to ${DEFAULT_SEARCH.maxDepth} attributes known at acquisition stands out in fit (searched on half the customers: ${words.list(kept.map((g) => g.label))}).`
        : `No rule found on half the customers held on the other half, so no ideal profile is stated (${words.list(search.rules.map((f) => ruleText(f.rule)))} did not hold out).`,
    );
  } else {
    const et = first.equalTenure?.heldOut;
    parts.summary.push(
      `The ideal customer: ${ruleText(first.validated.found.rule)} — ${words.percent(first.coverage?.estimate ?? 0)} of customers (${words.count(first.customers)}), mean fit ${words.number(first.meanFit?.estimate ?? 0, 1)} against ${words.number(first.overallFit, 1)} overall` +
        (et === null || et === undefined ? '.' : `; over their first year they bring ${ratio(et)} times the average customer's net value (held-out customers).`),
    );
    for (const r of holding.slice(1)) {
      parts.summary.push(`Also a good fit: ${ruleText(r.validated.found.rule)} (${words.percent(r.coverage?.estimate ?? 0)} of customers, held-out fit lift ${words.number(r.heldOutFitLift?.estimate ?? 0, 2)}).`);
    }
  }
  const failing = reports.filter((r) => !r.validated.holds);
  if (first !== undefined && failing.length > 0) parts.summary.push(`Found on half the customers but not holding on the other half, so not part of the profile: ${words.list(failing.map((r) => ruleText(r.validated.found.rule)))}.`);
  parts.summary.push(...notes);
  const driverWords = driversSentence(drivers, first === undefined ? '' : ruleText(first.validated.found.rule));
  if (driverWords !== null) parts.summary.push(driverWords);

  parts.findings.push(...ruleFindings(reports));
  parts.tables.push(rulesTable(reports, ctx.config.currency), attributesTable(shares, new Set(kept.map((g) => g.key))));
  if (drivers !== null) parts.tables.push(driversTable(drivers));
  if (reports.length > 0) parts.charts.push(rulesChart(reports));
  const alpha = words.percent(ctx.thresholds.fdr, 0);
  return okResult(ctx, analysis, parts, {
    description:
      `Customers are split in two halves by the portable hash of their id. On the training half, a beam search (width ${DEFAULT_SEARCH.beamWidth}) over conjunctions of up to ${DEFAULT_SEARCH.maxDepth} conditions on attributes known at acquisition, ` +
      `each depth one GROUP BY per attribute combination extending a rule in the beam, ranks groups of at least ${words.count(minimum)} training customers by the lower 95% bound of their mean fit score, among those whose mean stands out from the other customers searched (z ≥ ${DEFAULT_SEARCH.minimumZ}); ` +
      `the best is taken, its customers set aside, and the search repeated, for up to ${DEFAULT_SEARCH.maxRules} rules. ` +
      `Each rule is then tested on the held-out half (its customers' mean fit above the other held-out customers', one-sided, Bonferroni over the rules, at ${alpha}, and by at least ${practical} points): a rule that does not hold out is listed but not part of the profile. ` +
      `Lift: the mean of the rule's customers over the mean of all (delta-method interval). First-year value: net value over each customer's first ${FIRST_YEAR_DAYS} days (purchases and fees less refunds, credits, cost of goods and the cost to serve of its contacts in those days), among customers with a whole first year; comparing at equal tenure keeps young customers from looking worse for their age. ` +
      'What the ideal customers value: key-drivers (relative weights of the experience areas in satisfaction) within the first rule that holds and among the other customers.',
    assumptions: [
      `Stated rate: when no group truly differs in fit, a rule is reported as holding in at most ${alpha} of analyses (Bonferroni over the rules tested on the held-out half, which played no part in finding them).`,
      'Rules use only attributes known when a customer arrives, so they describe whom to acquire; they are associations, not causes.',
      'A fit score is the customer’s whole record (fit analysis); customers without a start date have none and are left out.',
    ],
  });
}
