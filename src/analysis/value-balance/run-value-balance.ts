import { CollinearPredictorsError } from '../../stats/index.js';
import { scannableGroupings } from '../misaligned/cells.js';
import { describePeriod } from '../period.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import { PRACTICAL_PRICE_SHARE } from '../thresholds.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { fitLine, lineCovariance, type FairValueLine } from './balance-math.js';
import { judgeSegments, practicalDeviation, type BalanceOptions, type SegmentBalance } from './balance-scan.js';
import { lineSums, meatSums } from './balance-sums.js';
import { meanPriceFinding, segmentFinding, slopeFindings } from './balance-findings.js';
import { lineTable, segmentsTable } from './balance-tables.js';
import { axisWords, describeSegment } from './balance-words.js';
import { customerValues } from './customer-values.js';
import { deliveredValue, MINIMUM_CUSTOMERS } from './delivered-value.js';
import { segmentResiduals } from './segment-residuals.js';
import { valueMapChart } from './value-map-chart.js';

/** A segment is tested when at least this many of its customers are on the map (an interval from fewer says little). */
export const MINIMUM_RESPONDENTS = 10;

export function balanceOptions(ctx: AnalysisContext): BalanceOptions {
  return { fdr: ctx.thresholds.fdr, money: ctx.thresholds.byUnit[ctx.config.currency] ?? 1, minimumRespondents: Math.max(MINIMUM_RESPONDENTS, ctx.thresholds.minimumCellCount) };
}

type Run = Pick<Analysis, 'name' | 'revision' | 'description'>;

const NOT_ENOUGH = 'Not enough data:';

/**
 * The customer value map (Bradley Gale, Managing Customer Value, 1994): per
 * segment, the price customers pay per customer-month against the value
 * they get (satisfaction with price or value, else overall satisfaction, and
 * usage where measured); the fair-value line is price regressed on value
 * delivered across customers; a segment above it is over-charged (a
 * fairness problem), one below it over-served (value given away).
 */
export async function runValueBalance(ctx: AnalysisContext, analysis: Run): Promise<Result> {
  const values = new SqlValues(ctx.engine, 'vb');
  const delivered = await deliveredValue(ctx, values);
  if (delivered.satisfaction === null && !delivered.usage) {
    return notRunResult(
      ctx,
      analysis,
      'skipped',
      `${NOT_ENOUGH} nothing measures the value these customers get: no satisfaction answers (a price or value rating, NPS or CSAT) and no usage (behaviour events) from at least ${MINIMUM_CUSTOMERS} customers in scope${ctx.period === null ? '' : ' in the period'}. ` +
        'Map a survey (ideally with a "price and value" rating) or product analytics events in cxray.yaml and run `cxray import`.',
      delivered.notes,
    );
  }
  const { groupings, warnings } = segmentGroupings(ctx, values);
  if (groupings.length === 0) {
    return notRunResult(ctx, analysis, 'skipped', 'No attribute known at acquisition to describe segments by: mark customer attributes `at_acquisition: true` or list `segments` in cxray.yaml.', warnings);
  }
  const cv = await customerValues(ctx, values, delivered);
  const sums = await lineSums(ctx, cv);
  const axes = axisWords(delivered);
  if (sums.n < MINIMUM_CUSTOMERS) {
    return notRunResult(ctx, analysis, 'skipped', `${NOT_ENOUGH} only ${sums.n} customer(s) in scope have both a price (exposure) and ${words.list(axes.names)}; at least ${MINIMUM_CUSTOMERS} are needed to draw a fair-value line.`, [...warnings, ...delivered.notes]);
  }
  const names = ['intercept', ...cv.axes];
  let line: FairValueLine;
  try {
    line = fitLine(sums, names);
  } catch (error) {
    if (!(error instanceof CollinearPredictorsError)) throw error;
    return notRunResult(ctx, analysis, 'skipped', `${NOT_ENOUGH} ${words.list(axes.names)} ${axes.names.length === 1 ? 'is' : 'are'} the same for every customer on the map (or move together), so no line can relate price to value.`, [...warnings, ...delivered.notes]);
  }
  const options = balanceOptions(ctx);
  const scannable = await scannableGroupings(ctx, groupings, values);
  const residuals = await segmentResiduals(ctx, cv, line, scannable.groupings, ctx.thresholds.minimumCellCount);
  const meat = residuals.meat ?? (await meatSums(ctx, cv, line));
  const covariance = lineCovariance(line, meat);
  const segments = judgeSegments(residuals.groups, line, meat, options);

  const currency = ctx.config.currency;
  const parts = emptyParts();
  parts.warnings.push(...warnings);
  if (scannable.left.length > 0) parts.warnings.push(`Not mapped, having more than 25 values: ${words.list(scannable.left.map((g) => g.label))}.`);
  const byMoney = (a: SegmentBalance, b: SegmentBalance): number => Math.abs(b.yearly?.estimate ?? 0) - Math.abs(a.yearly?.estimate ?? 0) || (describeSegment(a) < describeSegment(b) ? -1 : 1);
  const charged = segments.filter((s) => s.verdict === 'over-charged').sort(byMoney);
  const served = segments.filter((s) => s.verdict === 'over-served').sort(byMoney);
  const flagged = [...charged, ...served].map((s) => segmentFinding(s, axes, currency));
  const mean = meanPriceFinding(sums, currency);
  parts.findings.push(...flagged, ...(mean === null ? [] : [mean]), ...slopeFindings(line, covariance, axes, currency));

  const threshold = practicalDeviation(line, options);
  const measured = measuredSentence(delivered, axes, line, currency);
  const tested = segments.filter((s) => s.tested).length;
  const scope = `${plural(tested, 'segment')} of ${plural(scannable.groupings.length, 'attribute')} known at acquisition ${tested === 1 ? 'was' : 'were'} compared with the line (${words.list(scannable.groupings.map((g) => g.label))}).`;
  parts.summary.push(measured);
  if (flagged.length === 0) {
    parts.summary.push(`No segment pays clearly more or less than ${axes.warrant('its')} (by at least ${words.money(threshold, currency, 2)} a month). ${scope}`);
  } else {
    const total = (list: SegmentBalance[]): string => words.money(list.reduce((s, x) => s + Math.abs(x.yearly?.estimate ?? 0), 0), currency, 0);
    const said: string[] = [];
    if (charged.length > 0) said.push(`${charged.length === 1 ? 'one segment pays more than the value it gets warrants' : `${charged.length} segments pay more than the value they get warrants`} (${total(charged)} a year)`);
    if (served.length > 0) said.push(`${served.length === 1 ? 'one segment pays' : `${served.length} segments pay`} less (value given away: ${total(served)} a year)`);
    const first = words.list(said);
    parts.summary.push(`${first.charAt(0).toUpperCase()}${first.slice(1)}. ${scope}`);
    parts.summary.push(...flagged.map((f) => f.text));
  }
  parts.tables.push(segmentsTable(segments, line, currency), lineTable(line, covariance, currency));
  parts.charts.push(valueMapChart(segments.filter((s) => s.tested), line, axes, currency));
  const fdr = words.percent(options.fdr, 0);
  return okResult(ctx, analysis, parts, {
    description:
      `A customer value map (Gale 1994). Price captured: revenue + fees − refunds − credits per customer-month of exposure${ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`} (each customer's months counted as at least one: a month is billed when it starts). ` +
      `Value delivered: ${delivered.satisfaction === null ? 'no satisfaction measure' : `${delivered.satisfaction.label} (the customer's mean answer, on 0-100 from a ${delivered.satisfaction.scale.bottom}-${delivered.satisfaction.scale.top} scale)`}` +
      `${delivered.usage ? `${delivered.satisfaction === null ? '; ' : ' and '}usage (behaviour events of every kind per customer-month)` : ''}. ` +
      `The fair-value line: price per customer-month regressed on value delivered across customers, weighted by their months (customers the units; cluster-robust errors). ` +
      `Each segment's deviation: its mean price per customer-month minus the line's price at its exposure-weighted mean value, i.e. its customers' residuals over their months, with a delta-method interval (customers as clusters, the line's own uncertainty included; t with n − 1 df). ` +
      `Segments are the levels of each attribute known at acquisition (cxray.yaml segments and at_acquisition attributes), those under ${ctx.thresholds.minimumCellCount} customers pooled away and those with fewer than ${options.minimumRespondents} customers on the map not tested. ` +
      `A segment is over-charged (above the line) or over-served (below it) when Benjamini-Hochberg at ${fdr} over every tested segment passes its two-sided test, its interval excludes zero and the deviation is at least ${words.percent(PRACTICAL_PRICE_SHARE, 0)} of the mean price per customer-month (${words.money(threshold, currency, 2)}, at least the money threshold). ` +
      'Money per year: the deviation × 12 × the segment\'s customers still active.',
    assumptions: [
      `Stated rate: when price does not depend on the segment given value delivered, a segment is flagged in at most ${fdr} of analyses (the false discovery rate; under that null any flag is false).`,
      'The line describes how price goes with value across this company\'s customers; it is not a market price. A price tier (a plan) stands off the line when the customers who pay more for it are no more satisfied: that is the finding, not an artefact.',
      'Only customers with every axis measured are on the map; the money per year extends the deviation of those on the map to all the segment\'s active customers.',
      'Segments use only what is known when a customer arrives; they are associations, not causes.',
      ...delivered.notes,
    ],
  });
}

function plural(n: number, noun: string): string {
  return `${words.count(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function measuredSentence(delivered: Awaited<ReturnType<typeof deliveredValue>>, axes: ReturnType<typeof axisWords>, line: FairValueLine, currency: string): string {
  const s = delivered.satisfaction;
  const what: string[] = [];
  if (s !== null) what.push(`${s.label}${s.source === 'value_area' ? ` (ratings of ${words.list(s.areas.map((a) => `"${a}"`))})` : ''} on 0-100`);
  if (delivered.usage) what.push('usage (behaviour events per customer-month)');
  const slopes = line.names
    .slice(1)
    .map((name, i) => `${words.signedMoney(line.coefficients[i + 1] ?? 0, currency, 2)} per ${name === 'usage' ? 'event a month of usage' : `point of ${axes.names[i] ?? name}`}`);
  return (
    `Value delivered is measured by ${words.list(what)}. The fair-value line over ${words.count(line.n)} customers: price per customer-month ${words.money(line.meanPrice, currency, 2)} on average, ` +
    `${words.list(slopes)} (R² ${words.number(line.rSquared, 3)}).`
  );
}
