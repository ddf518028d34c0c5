import { hasRows } from '../needs.js';
import { describePeriod } from '../period.js';
import { satisfactionMeasure } from '../perfect-customer/satisfaction.js';
import { emptyParts, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { retentionWindow } from '../retention/window.js';
import { SqlValues } from '../sql-values.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { words } from '../wording.js';
import { mixingScan } from './attribute-mixing.js';
import { downstreamBySegment, downstreamValue, topReferrers } from './downstream-value.js';
import { cohortContext } from './pairs-sql.js';
import { distributionChart, homophilyChart, MAX_HEATMAPS, whoBringsWhomChart } from './referral-charts.js';
import { madeDistribution, referralOverview, referralsBySegment } from './referral-counts.js';
import { comparisonFindings, downstreamFindings, homophilyFindings, overviewFindings, segmentFindings, valueCorrelationFinding } from './referral-findings.js';
import {
  comparisonTable,
  distributionTable,
  downstreamTable,
  graphTable,
  homophilyTable,
  segmentTable,
  topReferrersTable,
  valueCorrelationTable,
  whoBringsWhomTable,
  type NamedComparison,
} from './referral-tables.js';
import { churnComparison, flagBehaviour, referralCovariates, satisfactionComparison, valueComparison } from './referred-comparison.js';
import { valueAssortativity } from './value-assortativity.js';
import { method } from './referrals-method.js';

/**
 * Referrals: the graph (who refers, how much, by segment), whether
 * customers refer people like themselves (per attribute known at
 * acquisition, and in value at equal tenure), who brings whom, referred
 * customers against the others (value, satisfaction, retention, raw and
 * adjusted), and the value referrers bring through the customers they
 * referred (the referral multiplier).
 */
export async function runReferrals(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision'>): Promise<Result> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const currency = ctx.config.currency;
  const values = new SqlValues(ctx.engine, 'rf');
  const parts = emptyParts();
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const withValue = stored.has('net_value') && hasRows(ctx, 'transactions');

  const overview = await referralOverview(ctx, values);
  const { groupings, warnings } = segmentGroupings(ctx, values);
  parts.warnings.push(...warnings);
  const bins = await madeDistribution(ctx, values);
  const bySegment = await referralsBySegment(ctx, values, groupings, overview.sums);
  parts.warnings.push(...bySegment.warnings);
  const mixing = overview.pairs > 0 ? await mixingScan(ctx, values, groupings) : { mixings: [], warnings: [] };
  parts.warnings.push(...mixing.warnings);
  const value = overview.pairs > 0 && withValue ? await valueAssortativity(ctx, values) : { result: null, note: null };
  if (value.note !== null) parts.warnings.push(value.note);

  const cohort = cohortContext(ctx, values);
  const covariates = referralCovariates(ctx);
  const referred = flagBehaviour('referred', 'acquired by referral', d.ifThen(`${d.boolToInt(q('is_referred'))} = 1`, '1', '0'));
  const referrers = flagBehaviour('referrer', 'referred someone', d.ifThen(`${q('referrals_made')} > 0`, '1', '0'));
  const comparisons: NamedComparison[] = [];
  const push = (comparison: NamedComparison['comparison'], unit: string, result: NamedComparison['result'] | null): void => {
    if (result !== null) comparisons.push({ comparison, unit, result });
  };
  if (withValue) push('referred', currency, await valueComparison(cohort, values, referred, covariates));
  const measure = await satisfactionMeasure(cohort, values);
  if (measure !== null) {
    push('referred', measure.unit, await satisfactionComparison(cohort, values, referred, measure, covariates));
    push('referrers', measure.unit, await satisfactionComparison(cohort, values, referrers, measure, covariates));
  }
  const window = await retentionWindow(cohort, values);
  if (window !== null) push('referred', 'percentage_points', await churnComparison(cohort, values, referred, window, covariates));

  const downstream = overview.pairs > 0 && withValue ? await downstreamValue(ctx, values) : null;
  const downstreamSegments = downstream === null ? [] : await downstreamBySegment(ctx, values, groupings);
  const top = downstream === null ? [] : await topReferrers(ctx, values);

  const homophily = homophilyFindings(mixing.mixings);
  parts.findings.push(...overviewFindings(overview), ...segmentFindings(bySegment.segments), ...homophily);
  if (value.result !== null) parts.findings.push(valueCorrelationFinding(value.result, currency));
  parts.findings.push(...comparisonFindings(ctx, comparisons));
  if (downstream !== null) parts.findings.push(...downstreamFindings(ctx, downstream));

  // Summary: the plain sentences, most telling first.
  const share = parts.findings.find((f) => f.code === 'referrals.share_referring');
  if (share !== undefined) {
    parts.summary.push(
      `${share.text.replace(/\.$/, '')}; ${words.count(overview.pairs)} customers in the store were brought by them${ctx.period === null ? '' : ` and signed up ${describePeriod(ctx.period)}`}.`,
    );
  }
  parts.summary.push(...homophily.filter((f) => f.code === 'referrals.homophily').map((f) => f.text));
  const tested = mixing.mixings.filter((m) => m.result !== null);
  const unlike = tested.filter((m) => !m.passes).map((m) => m.grouping.label);
  if (tested.length > 0 && unlike.length > 0) {
    parts.summary.push(`On ${words.list(unlike)}, referred customers are no more alike their referrers than chance would make them (or not clearly so).`);
  }
  const valueFinding = parts.findings.find((f) => f.code === 'referrals.value_correlation');
  if (valueFinding !== undefined) parts.summary.push(valueFinding.text);
  for (const code of ['referrals.referred_net_value_per_month', 'referrals.referred_satisfaction', 'referrals.referred_churn', 'referrals.referrers_satisfaction', 'referrals.multiplier']) {
    const f = parts.findings.find((x) => x.code === code);
    if (f !== undefined) parts.summary.push(f.text);
  }
  if (overview.pairs === 0) parts.summary.push('No customer in the store was brought by these customers, so there is no pair to compare referrers and referred customers on.');
  if (overview.storeReferrals !== overview.storePairs) {
    parts.warnings.push(
      `The referrals table credits ${words.count(overview.storeReferrals)} referrals, but ${words.count(overview.storePairs)} customers have a referrer: a customer referred by several is paired with one referrer (the smallest id) while each referrer's count includes it.`,
    );
  }
  const heatmaps = [...tested].sort((a, b) => Math.abs(b.result?.difference.estimate ?? 0) - Math.abs(a.result?.difference.estimate ?? 0)).slice(0, MAX_HEATMAPS);

  parts.tables.push(
    graphTable(overview),
    distributionTable(bins),
    segmentTable(bySegment.segments),
    homophilyTable(mixing.mixings),
    whoBringsWhomTable(mixing.mixings),
    valueCorrelationTable(value.result),
    comparisonTable(comparisons),
    downstreamTable(downstreamSegments, currency),
    topReferrersTable(top, currency),
  );
  parts.charts.push(distributionChart(bins), ...(tested.length === 0 ? [] : [homophilyChart(tested)]), ...heatmaps.map(whoBringsWhomChart));
  return okResult(ctx, analysis, parts, method(ctx, { covariates, withValue, valueDays: value.result?.days ?? null }));
}
