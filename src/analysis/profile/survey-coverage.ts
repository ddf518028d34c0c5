import { isSuppressed, proportionDifference, screen, welchDifference, wilsonInterval, type DifferenceEstimate } from '../../stats/index.js';
import { hasRows, missingTableSentence } from '../needs.js';
import { describePeriod } from '../period.js';
import { periodConditions } from '../period-sql.js';
import { groupTable } from '../result-builder.js';
import type { Cell, Finding, Interval } from '../result.js';
import { perCustomerJoin } from '../per-customer-join.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import { meanSummaryFromSums, standardisedMeanDifference } from '../standardised-difference.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { scaleInterval, words } from '../wording.js';
import { profileGroupings } from './groupings.js';
import type { SectionOutput } from './section.js';

interface Comparison {
  label: string;
  respondents: string;
  others: string;
  estimate: number;
  interval: Interval;
  pValue: number;
  unit: string;
  shown: string;
  format: (x: number) => string;
  n: [number, number];
}

/**
 * Whether each customer in scope is a respondent (1) or not (0), as an
 * expression over customer_facts: any survey answer, in the period when one
 * is given (then through the join it returns).
 */
function respondentFlag(ctx: AnalysisContext, values: SqlValues): { r: string; join?: string } {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  if (ctx.period === null) return { r: `(CASE WHEN ${q('survey_responses')} > 0 THEN 1 ELSE 0 END)` };
  // Co-located on a cluster: see perCustomerJoin.
  const join = perCustomerJoin(ctx, 'survey_responses', [`count(*) AS ${q('_sr_n')}`], periodConditions(ctx, values, q('at')), '_p');
  return { r: `(CASE WHEN ${q('_sr_n')} > 0 THEN 1 ELSE 0 END)`, join };
}

/**
 * Who the survey speaks for: the response rate, and respondents against
 * non-respondents on value, tenure and segment, so every satisfaction figure
 * says whom it describes.
 */
export async function surveyCoverageSection(ctx: AnalysisContext): Promise<SectionOutput> {
  if (!hasRows(ctx, 'survey_responses')) return { gaps: [`Satisfaction is unknown: ${missingTableSentence('survey_responses')}`] };
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'p');
  const groupValues = new SqlValues(ctx.engine, 'g');
  const { groupings } = profileGroupings(ctx, groupValues);
  const measures = [
    ...(hasRows(ctx, 'transactions') ? [{ key: 'net_value', expr: d.toDouble(q('net_value')), exact: q('net_value') }] : []),
    { key: 'tenure_days', expr: d.toDouble(q('tenure_days')) },
    ...(hasRows(ctx, 'status_changes') ? [{ key: 'churned', expr: `CASE WHEN ${d.boolToInt(q('churned'))} = 1 THEN 1 ELSE 0 END` }] : []),
  ];
  const { r, join } = respondentFlag(ctx, values);
  const select = (items: string[], groupBy: string[]): string => scopeSelect(ctx, { items, groupBy, ...(join === undefined ? {} : { join }) });
  // Money summed exactly, so the means in the sentences are the same on every engine.
  const items = measures.flatMap((m) => [
    `count(${m.expr}) AS ${q(`_n_${m.key}`)}`,
    `sum(${m.exact ?? m.expr}) AS ${q(`_s_${m.key}`)}`,
    `sum(${m.expr} * ${m.expr}) AS ${q(`_ss_${m.key}`)}`,
  ]);
  const groups = await scopeQuery(ctx, select([`${r} AS ${q('_r')}`, `count(*) AS ${q('_n')}`, ...items], [r]), values, groupValues);
  const byR = new Map(groups.map((row) => [numberOf(row['_r']), row]));
  const yes = byR.get(1);
  const no = byR.get(0);
  const nYes = numberOf(yes?.['_n']) ?? 0;
  const nNo = numberOf(no?.['_n']) ?? 0;
  const total = nYes + nNo;
  if (total === 0) return {};
  const rate = wilsonInterval({ count: nYes, n: total });
  const when = ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`;
  const rateText = `${words.percent(rate.estimate)} of customers answered a survey${when} (${words.interval(rate.interval, (x) => words.percent(x))}; n = ${words.count(total)}): satisfaction figures speak for them.`;
  const findings: Finding[] = [{ code: 'profile.response_rate', text: rateText, estimate: rate.estimate, unit: 'share', interval: rate.interval, n: total, severity: 'info' }];
  if (isSuppressed(nYes) || isSuppressed(nNo)) return { summary: [rateText], findings };

  const comparisons: Comparison[] = [];
  const currency = ctx.config.currency;
  const summaryOf = (row: Record<string, unknown> | undefined, key: string) =>
    meanSummaryFromSums(numberOf(row?.[`_n_${key}`]) ?? 0, numberOf(row?.[`_s_${key}`]) ?? 0, numberOf(row?.[`_ss_${key}`]) ?? 0);
  for (const m of measures) {
    const a = summaryOf(yes, m.key);
    const b = summaryOf(no, m.key);
    if (a.n < 2 || b.n < 2) continue;
    if (m.key === 'net_value') {
      let diff: DifferenceEstimate;
      try {
        diff = welchDifference(a, b);
      } catch {
        continue;
      }
      const money = (x: number): string => words.money(x, currency);
      comparisons.push({ label: 'net value', respondents: money(a.mean), others: money(b.mean), estimate: diff.estimate, interval: diff.interval, pValue: diff.pValue, unit: currency, shown: words.signedMoney(diff.estimate, currency), format: money, n: [a.n, b.n] });
    } else if (m.key === 'tenure_days') {
      const smd = standardisedMeanDifference(a, b);
      if (smd === null) continue;
      comparisons.push({ label: 'tenure', respondents: words.months(a.mean), others: words.months(b.mean), estimate: smd.estimate, interval: smd.interval, pValue: smd.pValue, unit: DIFFERENCE_UNITS.standardisedDifference, shown: `standardised difference ${smd.estimate.toFixed(2)}`, format: (x) => x.toFixed(2), n: [a.n, b.n] });
    } else {
      const diff = proportionDifference({ count: Math.round(a.mean * a.n), n: a.n }, { count: Math.round(b.mean * b.n), n: b.n });
      comparisons.push({ label: 'share who left', respondents: words.percent(a.mean), others: words.percent(b.mean), estimate: diff.estimate * 100, interval: scaleInterval(diff.interval, 100), pValue: diff.pValue, unit: DIFFERENCE_UNITS.percentagePoints, shown: words.points(diff.estimate), format: (x) => x.toFixed(1), n: [a.n, b.n] });
    }
  }
  for (const grouping of groupings) {
    const counts = await scopeQuery(ctx, select([`${r} AS ${q('_r')}`, `${grouping.expr} AS ${q('_level')}`, `count(*) AS ${q('_n')}`], [r, grouping.expr]), values, groupValues);
    const levels = new Map<string, [number, number]>();
    for (const c of counts) {
      const pair = levels.get(String(c['_level'])) ?? [0, 0];
      pair[numberOf(c['_r']) === 1 ? 0 : 1] = numberOf(c['_n']) ?? 0;
      levels.set(String(c['_level']), pair);
    }
    // A fixed order (bands ascending, else largest first, ties by name), whatever order the engine returns groups in.
    const rank = (level: string): number => (grouping.order.includes(level) ? grouping.order.indexOf(level) : grouping.order.length);
    const ordered = [...levels.entries()].sort(
      ([la, a], [lb, b]) => rank(la) - rank(lb) || b[0] + b[1] - (a[0] + a[1]) || (la < lb ? -1 : la > lb ? 1 : 0),
    );
    for (const [level, [a, b]] of ordered) {
      if (isSuppressed(a + b)) continue;
      const diff = proportionDifference({ count: a, n: nYes }, { count: b, n: nNo });
      comparisons.push({
        label: `${grouping.label} ${level}`,
        respondents: words.percent(a / nYes),
        others: words.percent(b / nNo),
        estimate: diff.estimate * 100,
        interval: scaleInterval(diff.interval, 100),
        pValue: diff.pValue,
        unit: DIFFERENCE_UNITS.percentagePoints,
        shown: words.points(diff.estimate),
        format: (x) => x.toFixed(1),
        n: [nYes, nNo],
      });
    }
  }
  const screened = screen(comparisons, { alpha: ctx.thresholds.fdr, practicalThreshold: ctx.thresholds.byUnit });
  const passing = screened.filter((c) => c.passes).sort((a, b) => a.qValue - b.qValue);
  for (const c of passing) {
    findings.push({
      code: 'profile.respondent_difference',
      text: `Survey respondents differ on ${c.label}: ${c.respondents} against ${c.others} for those who did not answer (${c.shown}, ${words.interval(c.interval, c.format)}; n = ${words.count(c.n[0])} and ${words.count(c.n[1])}).`,
      estimate: c.estimate,
      unit: c.unit,
      interval: c.interval,
      n: c.n[0] + c.n[1],
      pValue: c.pValue,
      qValue: c.qValue,
      severity: 'medium',
    });
  }
  const differences = passing.slice(0, 3).map((c) => `${c.label} (${c.respondents} against ${c.others})`);
  const rows: Cell[][] = screened.map((c) => [c.label, c.unit, c.n[0], c.n[1], c.respondents, c.others, c.estimate, c.interval.lower, c.interval.upper, c.pValue, c.qValue, c.passes]);
  return {
    summary: [
      rateText,
      differences.length === 0
        ? 'Respondents look like the customers who did not answer on value, tenure and segment (no difference passes the thresholds).'
        : `Respondents are not like everyone: they differ on ${words.list(differences)}.`,
    ],
    findings,
    tables: [
      groupTable(
        'survey_coverage',
        [
          { name: 'measure', type: 'string' },
          { name: 'unit', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          { name: 'n_others', type: 'integer', unit: 'customers' },
          { name: 'respondents', type: 'string' },
          { name: 'others', type: 'string' },
          { name: 'difference', type: 'number' },
          { name: 'lower', type: 'number' },
          { name: 'upper', type: 'number' },
          { name: 'p_value', type: 'number' },
          { name: 'q_value', type: 'number' },
          { name: 'passes', type: 'boolean' },
        ],
        rows,
        { countColumn: 'n', keyColumns: ['measure', 'unit'] },
      ),
    ],
    assumptions: [
      `A respondent answered at least one survey question${ctx.period === null ? ' by as_of' : ` ${describePeriod(ctx.period)}`}. Respondents against the others: net value by Welch's t (money threshold), tenure as a standardised difference, shares by Newcombe's interval (percentage points); screened together by Benjamini-Hochberg.`,
    ],
  };
}
