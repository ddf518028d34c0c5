import { screen } from '../../stats/index.js';
import { lineLabel } from '../bad-revenue/revenue-lines.js';
import { describePeriod } from '../period.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { CHURN, compareRiskSets, SATISFACTION } from './aftermath-math.js';
import { aftermathChart, aftermathTable, harmful, outcomeFinding, type LineOutcome, type OutcomeWords } from './aftermath-findings.js';
import { aftermathSetting, weekOf } from './aftermath-plan.js';
import { riskSets, TENURE_BANDS, WINDOW_DAYS } from './risk-set-sql.js';

/** A line is compared on an outcome with at least this many treated customers matched (answering, for satisfaction). */
export const MINIMUM_TREATED = 30;

/** "(whose revenue comes 1.51x from detractors)", from bad-revenue's result, when it compared the line. */
function concentrationWords(ctx: AnalysisContext, category: string): string {
  const result = ctx.dependencies.get('bad-revenue');
  const table = result?.tables[0];
  if (table === undefined) return '';
  const at = (name: string): number => table.columns.findIndex((c) => c.name === name);
  const row = table.rows.find((r) => r[at('key')] === `fee:${category}`);
  const ratio = row?.[at('ratio')];
  const klass = row?.[at('class')];
  return typeof ratio === 'number' && typeof klass === 'string' ? ` (its revenue comes from ${klass.replaceAll('_', ' ')} at ${words.number(ratio, 2)}x their share)` : '';
}

/**
 * What fees do next: for each fee line, the customers first charged it in a
 * week against comparable customers still without it when that week ends
 * (risk-set matching at the fee date: same week, segment, tenure band and
 * value band), on churn and on satisfaction in the 90 days that follow.
 */
export async function runFeeAftermath(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const values = new SqlValues(ctx.engine, 'fa');
  const setting = await aftermathSetting(ctx, values);
  if (setting.lines.length === 0) {
    return notRunResult(ctx, analysis, 'skipped', 'No fee was charged to these customers: map fee or penalty charges to transactions of kind fee (with their category) in cxray.yaml and run `cxray import`.');
  }
  const s: OutcomeWords | null =
    setting.instrument === null ? null : setting.instrument === 'nps' ? { label: 'NPS', format: (x) => words.number(x, 1) } : { label: 'CSAT', format: (x) => words.number(x, 2) };
  const outcomes: LineOutcome[] = [];
  for (const line of setting.lines) {
    const label = lineLabel(ctx.config, 'fee', line.category);
    const first = Math.max(weekOf(line.firstAt), setting.weekBounds.first ?? Number.NEGATIVE_INFINITY);
    const last = setting.weekBounds.last;
    const none = (why: string): void => {
      outcomes.push({ line: line.category ?? '', label, outcome: 'churn', charged: 0, comparison: null, why });
      if (s !== null) outcomes.push({ line: line.category ?? '', label, outcome: 'satisfaction', charged: 0, comparison: null, why });
    };
    if (line.customers < MINIMUM_TREATED) {
      none(`too few customers charged (${line.customers})`);
      continue;
    }
    if (last < first) {
      none(`no fee early enough to have ${WINDOW_DAYS} days after it by as_of`);
      continue;
    }
    const sets = await riskSets(ctx, values, { tables: setting.tables, category: line.category, weeks: { first, last }, segment: setting.segment?.sql ?? null, valueCuts: setting.valueCuts, instrument: setting.instrument });
    const charged = sets.reduce((n, x) => n + x.treated.customers, 0);
    const churn = compareRiskSets(sets, CHURN);
    outcomes.push({ line: line.category ?? '', label, outcome: 'churn', charged, ...(churn !== null && churn.matched >= MINIMUM_TREATED ? { comparison: churn } : { comparison: null, why: `too few customers charged with comparable customers (${churn?.matched ?? 0})` }) });
    if (s !== null) {
      const sat = compareRiskSets(sets, SATISFACTION);
      outcomes.push({ line: line.category ?? '', label, outcome: 'satisfaction', charged, ...(sat !== null && sat.matched >= MINIMUM_TREATED ? { comparison: sat } : { comparison: null, why: `too few answered in the ${WINDOW_DAYS} days after it (${sat?.matched ?? 0})` }) });
    }
  }

  // Every line on both outcomes is one family: Benjamini-Hochberg across them, and each outcome's practical threshold.
  const compared = outcomes.filter((o) => o.comparison !== null);
  const unitOf = (o: LineOutcome): string => (o.outcome === 'churn' ? DIFFERENCE_UNITS.percentagePoints : DIFFERENCE_UNITS.points);
  const screened = screen(
    compared.map((o) => ({ estimate: (o.outcome === 'churn' ? 100 : 1) * (o.comparison?.difference ?? 0), unit: unitOf(o), pValue: o.comparison?.pValue ?? 1 })),
    { alpha: ctx.thresholds.fdr, practicalThreshold: ctx.thresholds.byUnit },
  );
  compared.forEach((o, i) => {
    const x = screened[i];
    // A clear difference also has its whole interval beyond zero (the screen checks the estimate against the threshold).
    const beyond = o.comparison !== null && (o.comparison.interval.lower > 0 || o.comparison.interval.upper < 0);
    Object.assign(o, { qValue: x?.qValue ?? 1, passes: (x?.passes ?? false) && beyond });
  });

  const parts = emptyParts();
  const findings = compared.map((o) => outcomeFinding(o, s, concentrationWords(ctx, o.line)));
  parts.findings.push(...findings.filter((f): f is NonNullable<typeof f> => f !== null));
  const worse = compared.filter((o) => o.passes === true && harmful(o));
  const better = compared.filter((o) => o.passes === true && !harmful(o));
  const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${words.number(Math.abs(x), 1)}`;
  const what = (o: LineOutcome): string => `${o.label} (${o.outcome === 'churn' ? `${words.points(o.comparison?.difference ?? 0)} of churn` : `${signed(o.comparison?.difference ?? 0)} ${s?.label ?? ''} points`})`;
  parts.summary.push(
    worse.length === 0
      ? `No fee is followed by clearly more churn or lower satisfaction in the ${WINDOW_DAYS} days after it than comparable customers without it show (${words.count(new Set(compared.map((o) => o.line)).size)} fee lines compared).`
      : `Clearly worse in the ${WINDOW_DAYS} days after a first fee than for comparable customers without it: ${words.list(worse.map(what))}.`,
  );
  parts.summary.push(...parts.findings.filter((f) => f.severity === 'high').map((f) => f.text));
  if (better.length > 0) parts.summary.push(`Clearly better after the fee than comparable customers (read as who gets the fee, not as its effect): ${words.list(better.map(what))}.`);
  const skipped = outcomes.filter((o) => o.comparison === null);
  if (skipped.length > 0) parts.summary.push(`Not compared: ${words.list(skipped.map((o) => `${o.label} on ${o.outcome} (${o.why ?? ''})`))}.`);
  if (s === null) parts.summary.push('Satisfaction is not compared: no NPS or CSAT answers (map a survey in cxray.yaml).');
  parts.tables.push(aftermathTable(outcomes));
  parts.charts.push(aftermathChart(outcomes, 'churn', `Churn in the ${WINDOW_DAYS} days after a first fee, against comparable customers`, 'difference in churn (percentage points)'));
  if (s !== null) parts.charts.push(aftermathChart(outcomes, 'satisfaction', `${s.label} in the ${WINDOW_DAYS} days after a first fee, against comparable customers`, `difference in ${s.label} (points)`));
  const bands = TENURE_BANDS.map(([label]) => label).join(', ');
  return okResult(ctx, analysis, parts, {
    description:
      `For each fee line (a category of fee transactions), risk-set matching at the fee date by weeks (Mondays, UTC): the customers first charged the fee in a week (the treated) against every customer still without it when that week ends, signed up by then and not churned (the controls), ` +
      `in the same risk set: that week, the same ${setting.segment === null ? 'segment (none declared)' : `segment (${setting.segment.label})`}, tenure band (${bands}) and value band (thirds of what customers bought in their first ${WINDOW_DAYS} days; "new" under ${WINDOW_DAYS} days of tenure). ` +
      `The week is a grace period: both groups must be active when it ends, and churn (a churn dated in the ${WINDOW_DAYS} days after it) and satisfaction (each customer's mean ${s?.label ?? 'score'} over answers in those days, NPS answers as +100, 0, −100) are counted from there, so no one's role or stratum uses time they had not lived. ` +
      `Each treated customer is compared with the mean of its risk set's controls and the differences averaged over the treated (their average difference, ATT); customers the fee reached before the first week with ${WINDOW_DAYS} days after it observed${ctx.period === null ? '' : ` or outside weeks starting ${describePeriod(ctx.period)}`} are left out. ` +
      `Intervals: normal, from the treated customers' differences (each treated once) plus the controls' variance per risk set. Every line on both outcomes is screened together: Benjamini-Hochberg at ${words.percent(ctx.thresholds.fdr, 0)}, and a difference of at least the threshold (${ctx.thresholds.byUnit[DIFFERENCE_UNITS.percentagePoints] ?? 1} percentage point of churn, ${ctx.thresholds.byUnit[DIFFERENCE_UNITS.points] ?? 2} points of satisfaction) with its interval clear of zero.`,
    assumptions: [
      'Comparable means only the same week, segment, tenure band and value band: what made a customer get the fee (a habit, a plan, being unhappy already) and also moves churn or satisfaction is not removed, so a difference is what follows a fee, not proof that the fee caused it.',
      'A control customer serves in every week it stays eligible; the controls\' part of the variance treats those weeks as independent, which understates it a little (controls far outnumber the treated in a week, so that part is small).',
      `A reaction inside the fee's own week (churn within days of it) is not counted for either group: the ${WINDOW_DAYS}-day window starts when the week ends.`,
      'Churn is the latest status change by as_of; a customer who churned and came back counts as not churned.',
    ],
  });
}
