import { describePeriod } from '../period.js';
import { satisfactionMeasure } from '../perfect-customer/satisfaction.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { valueKnowledge } from '../value/knowledge.js';
import { customerMeasures } from '../value/measures.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { MAX_CONDITIONS } from './cells.js';
import { coverOverlaps } from './covering.js';
import { describeCell, misalignedFinding, oneConditionFinding, type SatisfactionWords } from './misaligned-findings.js';
import { scanChart, scanTable, segmentsTable, type SegmentRow } from './misaligned-tables.js';
import type { CellVerdict } from './scan.js';
import { scanSegments } from './scan-segments.js';
import { smallestDescriptions } from './smallest-description.js';

/** Segments that meet one condition only are listed as context, the largest first, at most this many of each. */
const CONTEXT_ROWS = 10;

/**
 * Misaligned segments: cells of one to three attributes known at acquisition
 * whose net value per customer-month lies below zero while their
 * satisfaction lies below the overall, screened together, with the money
 * and customers at stake; the smallest clear description of each; and, as
 * context, segments that lose money but are not less satisfied, or are less
 * satisfied but do not lose money.
 */
export async function runMisaligned(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const values = new SqlValues(ctx.engine, 'ma');
  const measure = await satisfactionMeasure(ctx, values);
  if (measure === null) {
    return notRunResult(ctx, analysis, 'skipped', 'No NPS or CSAT answers from these customers (at least 10 are needed): map a survey with an NPS or CSAT question in cxray.yaml and run `cxray import`.');
  }
  const { groupings, warnings } = segmentGroupings(ctx, values);
  if (groupings.length === 0) {
    return notRunResult(ctx, analysis, 'skipped', 'No attribute known at acquisition to describe segments by: mark customer attributes `at_acquisition: true` or list `segments` in cxray.yaml.', warnings);
  }
  const knowledge = await valueKnowledge(ctx);
  const measures = await customerMeasures(ctx, values, measure);
  const scan = await scanSegments(ctx, measures, groupings, values);
  const options = scan.options;
  const currency = ctx.config.currency;
  const overall = scan.scan.overallSatisfaction?.estimate ?? 0;
  const s: SatisfactionWords = measure.kind === 'nps' ? { label: 'NPS', format: (x) => words.number(x, 1) } : { label: 'CSAT', format: (x) => words.number(x, 2) };
  const parts = emptyParts();
  parts.warnings.push(...warnings);
  if (scan.left.length > 0) parts.warnings.push(`Not scanned, having more than 25 values: ${words.list(scan.left.map((g) => g.label))}.`);

  const both = smallestDescriptions(scan.scan.verdicts, (v) => v.misaligned, options);
  const { reported, covered } = await coverOverlaps(ctx, measures, scan.overall, both.kept, scan.scan.cutoff, overall, options);
  const costly = smallestDescriptions(scan.scan.verdicts, (v) => v.costly && !v.unhappy && !v.misaligned, options, false);
  const unhappy = smallestDescriptions(scan.scan.verdicts, (v) => v.unhappy && !v.costly && !v.misaligned, options, false);
  const bySize = (a: CellVerdict, b: CellVerdict): number => b.cell.sums.customers - a.cell.sums.customers || (a.cell.key < b.cell.key ? -1 : 1);
  const costlyShown = [...costly.kept].sort(bySize).slice(0, CONTEXT_ROWS);
  const unhappyShown = [...unhappy.kept].sort(bySize).slice(0, CONTEXT_ROWS);

  parts.findings.push(...reported.map((v) => misalignedFinding(ctx, v, overall, s)));
  parts.findings.push(...costlyShown.map((v) => oneConditionFinding(ctx, v, overall, s, 'costly')));
  parts.findings.push(...unhappyShown.map((v) => oneConditionFinding(ctx, v, overall, s, 'unhappy')));

  const tested = scan.scan.tested;
  const scope = `${words.count(tested)} segments of 1 to ${MAX_CONDITIONS} attributes known at acquisition were tested (${words.list(scan.groupings.map((g) => g.label))}).`;
  if (reported.length === 0) {
    parts.summary.push(`No segment both costs more than it brings and is less satisfied than the overall (${s.label} ${s.format(overall)}). ${scope}`);
  } else {
    const loss = reported.reduce((sum, v) => sum + (v.yearlyLoss?.estimate ?? 0), 0);
    parts.summary.push(
      `${reported.length === 1 ? 'One segment costs' : `${reported.length} segments cost`} more than ${reported.length === 1 ? 'it brings' : 'they bring'} and ${reported.length === 1 ? 'is' : 'are'} less satisfied than the overall ` +
        `(${s.label} ${s.format(overall)}): ${words.list(reported.map((v) => `${describeCell(v.cell)} (${words.count(v.cell.sums.customers)} customers, ${words.signedMoney(v.netValue?.estimate ?? 0, currency, 2)} per customer-month, ${s.label} ${s.format(v.satisfaction?.estimate ?? 0)})`))}; ` +
        `about ${words.money(loss, currency, 0)} a year at stake. ${scope}`,
    );
    parts.summary.push(...parts.findings.filter((f) => f.code === 'misaligned.segment').map((f) => f.text));
  }
  // Cells are listed one per clause, each with its size: "a, b and c and d" would read as one cell.
  const cells = (shown: readonly CellVerdict[]): string => shown.slice(0, 3).map((v) => `${describeCell(v.cell)} (${words.count(v.cell.sums.customers)} customers)`).join('; ');
  if (costlyShown.length > 0) parts.summary.push(`Losing money but not less satisfied: ${cells(costlyShown)}.`);
  if (unhappyShown.length > 0) parts.summary.push(`Less satisfied but not losing money: ${cells(unhappyShown)}.`);
  if (knowledge.costToServe === 'absent' || knowledge.costToServe === 'unknown') parts.summary.push('Cost to serve is unknown, so net value is before it: a segment that is costly to serve may not show as losing money.');

  const label = (v: CellVerdict): string => describeCell(v.cell);
  const rows: SegmentRow[] = [
    ...reported.map((v) => ({ verdict: v, status: 'misaligned' })),
    ...both.described.map((d) => ({ verdict: d.verdict, status: `misaligned; described by ${label(d.by)}` })),
    ...covered.map((c) => ({ verdict: c.verdict, status: `misaligned; covered by ${words.list(c.by.map((b) => label(b.verdict)))}` })),
    ...costlyShown.map((v) => ({ verdict: v, status: 'losing money only' })),
    ...unhappyShown.map((v) => ({ verdict: v, status: 'less satisfied only' })),
  ];
  parts.tables.push(segmentsTable(rows, overall, currency, measure.kind === 'nps' ? 'points' : 'score'), scanTable(scan));
  parts.charts.push(scanChart(scan, overall, currency, s.label));
  const fdr = words.percent(options.fdr, 0);
  return okResult(ctx, analysis, parts, {
    description:
      `Segments are the cells of one, two and three attributes known at acquisition (cxray.yaml segments and at_acquisition attributes), each combination one GROUP BY query; cells under ${options.minimum} customers or ${options.minimum} respondents are not tested. ` +
      `For each: net value per customer-month (ratio of totals, customers as units, t interval; one-sided score test that it is below zero) and satisfaction (${measure.kind === 'nps' ? 'NPS: each answer +100, 0 or −100' : 'CSAT'}, respondents as units; one-sided test against the other customers with the pooled variance). ` +
      `Misaligned: both at once (the larger of the two p-values), Benjamini-Hochberg at ${fdr} over every cell tested, with the 95% interval of net value below zero by at least the money threshold and that of satisfaction below the overall by at least the points threshold. ` +
      `Each condition alone is screened the same way, for the context lists (where a cell held by a shorter flagged description is described by it unless clearly worse than the rest of it). A misaligned cell whose parent (one condition fewer) is misaligned with at least 90% of its customers is described by the parent unless clearly worse than the rest of it; ` +
      'overlapping segments are taken by yearly loss, and one is reported only if its customers outside those already reported still meet both conditions. Yearly loss: −(net value per customer-month) × 12 × customers still active.',
    assumptions: [
      `Stated rate: when no segment differs, a segment is flagged in at most ${fdr} of analyses (the false discovery rate; under the complete null any flag is a false discovery).`,
      ctx.period === null
        ? `Net value to as_of (${ctx.asOf}); satisfaction is each customer's latest ${s.label} answer.`
        : `Net value and exposure ${describePeriod(ctx.period)}; satisfaction is every ${s.label} answer given ${describePeriod(ctx.period)}, customers as clusters.`,
      'Segments use only what is known when a customer arrives, so they describe whom the company acquires; they are associations, not causes.',
      ...knowledge.gaps,
    ],
  });
}
