import { describePeriod } from '../period.js';
import { emptyParts, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { segmentValues } from './by-segment.js';
import { histogramChart, netValueHistogram } from './distribution.js';
import { valueKnowledge } from './knowledge.js';
import { customerMeasures } from './measures.js';
import { overallValue, partKnown } from './overall.js';
import { VALUE_PARTS } from './parts.js';
import { segmentGroupings } from './segment-groupings.js';
import { overallFindings, segmentFindings, segmentName } from './value-findings.js';
import { channelsTable, histogramTable, partsTable, segmentChart, segmentTable, unprofitableTable } from './value-tables.js';

/**
 * Value per customer: net value = revenue + fees − refunds − credits − cost
 * of goods − cost to serve, every part shown, per customer and per
 * customer-month of exposure; by segment with intervals and a screened
 * difference from the other customers; the customers (and their revenue)
 * that cost more than they bring; the distribution.
 */
export async function runValue(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision'>): Promise<Result> {
  const currency = ctx.config.currency;
  const money = (x: number, digits = 2): string => words.money(x, currency, digits);
  const parts = emptyParts();
  const values = new SqlValues(ctx.engine, 'va');
  const knowledge = await valueKnowledge(ctx);
  const measures = await customerMeasures(ctx, values, null);
  const overall = await overallValue(ctx, measures, knowledge);
  const { groupings, warnings } = segmentGroupings(ctx, values);
  parts.warnings.push(...warnings);
  const bySegment = await segmentValues(ctx, measures, groupings, overall.sums, (key) => partKnown(key, knowledge));
  parts.warnings.push(...bySegment.warnings);
  const bins = await netValueHistogram(ctx, measures);

  const findings = [...overallFindings(ctx, overall), ...segmentFindings(ctx, bySegment.segments)];
  parts.findings.push(...findings);
  const perMonth = overall.net.perMonth;
  const cost = overall.parts.find((p) => p.part.key === 'cost_to_serve');
  if (perMonth !== null) {
    const after = cost?.known === true && cost.perMonth !== null ? `, after ${money(cost.perMonth.estimate)} of cost to serve` : ' (cost to serve not counted: unknown)';
    parts.summary.push(
      `Net value ${ctx.period === null ? 'to date' : describePeriod(ctx.period)} is ${money(overall.net.total, 0)} from ${words.count(overall.sums.customers)} customers: ` +
        `${words.signedMoney(perMonth.estimate, currency, 2)} per customer-month (${words.interval(perMonth.interval, (x) => money(x))})${after}.`,
    );
  }
  const unprofitable = overall.unprofitableCustomers;
  if (unprofitable !== null && overall.sums.unprofitable > 0) {
    const revenue = overall.unprofitableRevenue;
    parts.summary.push(
      `${words.percent(unprofitable.estimate)} of customers (${words.count(overall.sums.unprofitable)}) cost more than they bring` +
        `${revenue === null ? '' : `; they account for ${words.percent(revenue.estimate)} of gross revenue`}.`,
    );
  }
  const clear = bySegment.segments.filter((s) => s.passes && s.perMonth !== null).sort((a, b) => (a.perMonth?.estimate ?? 0) - (b.perMonth?.estimate ?? 0));
  const lowest = clear[0];
  const highest = clear[clear.length - 1];
  if (lowest !== undefined && highest !== undefined && lowest !== highest) {
    parts.summary.push(
      `By segment, net value per customer-month is lowest for ${segmentName(lowest).replace(/^Customers/, 'customers')} (${words.signedMoney(lowest.perMonth?.estimate ?? 0, currency, 2)}) ` +
        `and highest for ${segmentName(highest).replace(/^Customers/, 'customers')} (${words.signedMoney(highest.perMonth?.estimate ?? 0, currency, 2)}).`,
    );
  } else if (lowest !== undefined) {
    parts.summary.push(findings.find((f) => f.code === 'value.segment_difference')?.text ?? '');
  }
  parts.summary.push(...knowledge.gaps);
  parts.tables.push(partsTable(overall, currency), channelsTable(overall, currency), unprofitableTable(overall), segmentTable(bySegment.segments, currency), histogramTable(bins, currency));
  parts.charts.push(histogramChart(bins, currency), segmentChart(bySegment.segments, currency));

  const definitions = VALUE_PARTS.map((p) => `${p.label} (${p.definition})`).join('; ');
  return okResult(ctx, analysis, parts, {
    description:
      `Net value per customer = revenue + fees − refunds − credits − cost of goods − cost to serve, each part from customer_facts (${definitions}). ` +
      'Per customer: the exact total over the customers in scope divided by their number, with a Student t interval. Per customer-month: the ratio of totals Σ value / Σ months of exposure ' +
      '(months = exposure_days / 30.4375, from signup, else the first purchase, to churn, else as_of), customers as the independent units (linearised standard error, t interval). ' +
      'By segment (the segments of cxray.yaml and the categorical attributes known at acquisition; levels under the minimum size pooled as "other values", not ranked): ' +
      'each segment against the other customers in scope, screened together by Benjamini-Hochberg and the money threshold. ' +
      'Unprofitable: net value below zero; the share of customers (Wilson interval) and of gross revenue, purchases and fees (ratio of totals).',
    assumptions: [
      ctx.period === null
        ? `Money is every transaction and interaction dated by as_of (${ctx.asOf}).`
        : `Only money dated ${describePeriod(ctx.period)} counts, over each customer's exposure inside the period; customers are those exposed in it or with a transaction or contact in it.`,
      knowledge.costToServe === 'absent' || knowledge.costToServe === 'unknown'
        ? 'Cost to serve is unknown, so net value here is before cost to serve: it overstates what customers are worth by what serving them costs.'
        : 'Cost to serve counts every interaction by as_of with its own cost, else the rates of cxray.yaml; cost per channel sums to it.',
      knowledge.costOfGoods ? 'Cost of goods is the cost column of transactions.' : 'Cost of goods is not in the data: net value is before it.',
      'Fees count as revenue here (money received); whether they come from unhappy customers is the bad-revenue analysis.',
      'Customers without a start date (no signup, no purchase) count in totals and per-customer figures but not per customer-month.',
      ...knowledge.gaps,
    ],
  });
}
