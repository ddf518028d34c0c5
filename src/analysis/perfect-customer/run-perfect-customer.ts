import { normalCdf, screen, wilsonInterval } from '../../stats/index.js';
import { adjustedFor, defaultCovariates } from '../regression/design.js';
import { emptyParts, groupTable, mergeParts, notRunResult, okResult } from '../result-builder.js';
import type { Cell, Finding, Result } from '../result.js';
import { retentionWindow } from '../retention/window.js';
import { SqlValues } from '../sql-values.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { declaredBehaviours } from './behaviours.js';
import { indexSection, indexWeights } from './index-score.js';
import { retentionLink, type RetentionLink } from './retention.js';
import { satisfactionLink, satisfactionMeasure, type SatisfactionLink } from './satisfaction.js';
import { behaviourValue, type BehaviourValue } from './value.js';
import { valueTierStatement } from './value-tier.js';
import { cascadeSection } from './cascade.js';
import { screeningSection } from './screening.js';
import { whatIfTable } from './what-if-table.js';

/** How many more points of adoption the money at stake is stated for (the `whatif` command takes any). */
export const STAKE_POINTS = 10;

/**
 * The perfect customer: for each declared behaviour, its adoption, what it
 * is worth per customer-month from the data (beside the declared value),
 * whether adopters are more satisfied and churn less, raw and adjusted, and
 * the Perfect Customer Index.
 */
export async function runPerfectCustomer(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const behaviours = declaredBehaviours(ctx);
  const declare = 'No behaviour is declared: list behaviours in cxray.yaml (an event name, or an attribute with the values that mean adoption), as `cxray init` proposes when it sees them.';
  if (behaviours.length === 0 && (ctx.tableRows.behaviour_events ?? 0) === 0) return notRunResult(ctx, analysis, 'skipped', declare);
  const values = new SqlValues(ctx.engine, 'pc');
  if (behaviours.length === 0) return screeningOnly(ctx, analysis, values, declare);
  const parts = emptyParts();
  const currency = ctx.config.currency;
  const covariates = defaultCovariates(ctx);
  const assumptions: string[] = [];
  const total = ctx.scope.customers;

  const valued: BehaviourValue[] = [];
  for (const b of behaviours) {
    const v = await behaviourValue(ctx, values, b, covariates);
    if (v !== null) valued.push(v);
  }
  const measure = await satisfactionMeasure(ctx, values);
  const satisfaction: SatisfactionLink[] = [];
  if (measure !== null) {
    for (const b of behaviours) {
      const link = await satisfactionLink(ctx, values, b, measure, covariates);
      if (link !== null) satisfaction.push(link);
    }
  }
  if (measure !== null) {
    // Experience -> behaviour -> money, link by link, with the indirect effect as a counterfactual difference.
    const cascade = await cascadeSection(ctx, values, behaviours, measure, covariates);
    mergeParts(parts, cascade);
    assumptions.push(...(cascade.assumptions ?? []));
    parts.summary.push(...(cascade.gaps ?? []));
  }
  const window = await retentionWindow(ctx, values);
  const retention: RetentionLink[] = [];
  if (window !== null) {
    for (const b of behaviours) {
      const link = await retentionLink(ctx, values, b, window, covariates);
      if (link !== null) retention.push(link);
    }
    assumptions.push(window.assumption);
    if (window.kind === 'undated') parts.warnings.push('Churn has no dates in this data (a churn flag dated at as_of): retention comparisons are over unequal exposure and adjusted only for what is listed; read them as associations.');
  }

  // Adoption and value, one finding each; differences screened together (FDR and the practical threshold in money).
  const adoptionRows: Cell[][] = [];
  const valueFindings: (Finding & { key: string })[] = [];
  for (const v of valued) {
    const w = wilsonInterval({ count: v.adopters, n: v.customers });
    adoptionRows.push([v.behaviour.key, v.behaviour.label, v.customers, v.adopters, w.estimate, w.interval.lower, w.interval.upper]);
    const saving = v.effects.filter((e) => e.component.sign < 0).reduce((s, e) => s - e.estimate, 0);
    const declared = v.behaviour.declaredPerMonth === null ? '' : ` (declared: ${words.money(v.behaviour.declaredPerMonth, currency, 2)})`;
    const stake = STAKE_POINTS / 100 * total * v.value.estimate * 12;
    valueFindings.push({
      key: v.behaviour.key,
      code: `perfect_customer.value.${v.behaviour.key}`,
      text:
        `${capitalise(v.behaviour.label)} is worth ${words.signedMoney(v.value.estimate, currency, 2)} per customer-month from the data${declared} ` +
        `(${words.interval(v.value.interval, (x) => words.money(x, currency, 2))}; ${words.money(saving, currency, 2)} less cost to serve, adopters against comparable non-adopters; n = ${words.count(v.customers)}); ` +
        `${STAKE_POINTS} more points of adoption would be worth about ${words.signedMoney(stake, currency, 0)} a year.`,
      estimate: v.value.estimate,
      unit: currency,
      interval: v.value.interval,
      n: v.customers,
      pValue: pValueOf(v.value.estimate, v.value.standardError),
      moneyAtStake: { amount: stake, currency, period: 'year' },
      severity: 'medium',
    });
  }
  const screened = screen(valueFindings.map((f) => ({ ...f, unit: currency, pValue: f.pValue ?? 1 })), { alpha: ctx.thresholds.fdr, practicalThreshold: { [currency]: ctx.thresholds.byUnit[currency] ?? 1 } });
  for (const f of screened) {
    const { key: _key, passes, passesFdr: _fdr, passesPractical: _practical, ...rest } = f;
    const finding: Finding = { ...rest, severity: passes ? 'medium' : 'info' };
    if (!passes) finding.text = `${finding.text} Not a clear difference (after the false discovery rate and the ${words.money(ctx.thresholds.byUnit[currency] ?? 1, currency, 2)} threshold).`;
    parts.findings.push(finding);
  }
  const passing = screened.filter((f) => f.passes).sort((a, b) => b.estimate - a.estimate);
  if (passing.length > 0) parts.summary.push(`Behaviours worth money: ${words.list(passing.map((f) => `${labelOf(behaviours, f.key)} ${words.signedMoney(f.estimate, currency, 2)} per customer-month`))}.`);

  const componentRows: Cell[][] = valued.flatMap((v) =>
    v.effects.map((e): Cell[] => [v.behaviour.key, e.component.key, e.component.label, v.customers, e.raw, e.estimate, e.interval.lower, e.interval.upper, e.pValue]),
  );

  // Satisfaction.
  const satisfactionRows: Cell[][] = [];
  const satisfactionFindings = satisfaction.map((s) => {
    satisfactionRows.push([s.behaviour.key, s.measure.label, s.n[0], s.n[1], s.raw.estimate, s.raw.interval.lower, s.raw.interval.upper, s.adjusted.estimate, s.adjusted.interval.lower, s.adjusted.interval.upper, s.disagreement]);
    const text =
      `${capitalise(s.behaviour.label)}: adopters' ${s.measure.label} is ${signed(s.adjusted.estimate)} points against comparable non-adopters (${words.interval(s.adjusted.interval, (x) => x.toFixed(1))}), ` +
      `${signed(s.raw.estimate)} as they are (${words.interval(s.raw.interval, (x) => x.toFixed(1))}; n = ${words.count(s.n[0])} and ${words.count(s.n[1])})${s.disagreement === null ? '' : `: ${s.disagreement}`}.`;
    return { code: `perfect_customer.satisfaction.${s.behaviour.key}`, text, estimate: s.adjusted.estimate, unit: DIFFERENCE_UNITS.points, interval: s.adjusted.interval, n: s.n[0] + s.n[1], pValue: s.adjusted.pValue, severity: 'low' as const };
  });
  for (const f of screen(satisfactionFindings, { alpha: ctx.thresholds.fdr, practicalThreshold: ctx.thresholds.byUnit })) {
    const { passes, passesFdr: _fdr, passesPractical: _practical, ...rest } = f;
    parts.findings.push({ ...rest, severity: passes ? 'medium' : 'info' });
    if (passes) parts.summary.push(rest.text);
  }

  // Retention.
  const retentionRows: Cell[][] = [];
  const retentionFindings = retention.map((r) => {
    const a = r.churnAdopters;
    const o = r.churnOthers;
    retentionRows.push([r.behaviour.key, a.n, a.churned, o.n, o.churned, r.raw.estimate, r.raw.interval.lower, r.raw.interval.upper, r.adjusted?.oddsRatio ?? null, r.adjusted?.oddsRatioInterval.lower ?? null, r.adjusted?.oddsRatioInterval.upper ?? null, r.notes.join('; ') || null]);
    const odds =
      r.adjusted === null
        ? ' No adjusted estimate.'
        : ` Against comparable non-adopters the odds of churning are ${r.adjusted.oddsRatio.toFixed(2)} times (${words.interval(r.adjusted.oddsRatioInterval, (x) => x.toFixed(2))}).`;
    const rawClear = r.raw.pValue < 0.05;
    const adjustedClear = r.adjusted !== null && r.adjusted.pValue < 0.05;
    const caution =
      rawClear && r.adjusted !== null && (!adjustedClear || Math.sign(r.raw.estimate) !== Math.sign(Math.log(r.adjusted.oddsRatio)))
        ? ` The raw gap does not hold for comparable customers: do not read ${r.behaviour.label} as a loyalty behaviour from it.`
        : '';
    const text =
      `${capitalise(r.behaviour.label)}: ${words.percent(a.churned / a.n)} of adopters churned against ${words.percent(o.churned / o.n)} of non-adopters (${words.points(r.raw.estimate)}, ${words.interval(r.raw.interval, (x) => (100 * x).toFixed(1))} points; n = ${words.count(a.n)} and ${words.count(o.n)}).${odds}${caution}`;
    return { code: `perfect_customer.retention.${r.behaviour.key}`, text, estimate: r.raw.estimate * 100, unit: DIFFERENCE_UNITS.percentagePoints, interval: { lower: r.raw.interval.lower * 100, upper: r.raw.interval.upper * 100, level: r.raw.interval.level }, n: a.n + o.n, pValue: r.adjusted?.pValue ?? r.raw.pValue, severity: 'low' as const };
  });
  for (const f of screen(retentionFindings, { alpha: ctx.thresholds.fdr, practicalThreshold: ctx.thresholds.byUnit })) {
    const { passes, passesFdr: _fdr, passesPractical: _practical, ...rest } = f;
    parts.findings.push({ ...rest, severity: passes ? 'medium' : 'info' });
    if (passes) parts.summary.push(rest.text);
  }

  const weights = indexWeights(behaviours, new Map(valued.map((v) => [v.behaviour.key, v.value.estimate])));
  mergeParts(parts, await indexSection(ctx, values, weights));

  parts.tables.push(
    groupTable('adoption', [{ name: 'behaviour', type: 'string' }, { name: 'label', type: 'string' }, { name: 'n', type: 'integer', unit: 'customers' }, { name: 'adopters', type: 'integer', unit: 'customers' }, { name: 'share', type: 'number', unit: 'share' }, { name: 'lower', type: 'number', unit: 'share' }, { name: 'upper', type: 'number', unit: 'share' }], adoptionRows, { countColumn: 'adopters', keyColumns: ['behaviour', 'label', 'n'] }),
    groupTable(
      'value_components',
      [{ name: 'behaviour', type: 'string' }, { name: 'component', type: 'string' }, { name: 'label', type: 'string' }, { name: 'n', type: 'integer', unit: 'customers' }, { name: 'raw_per_month', type: 'number', unit: currency }, { name: 'adjusted_per_month', type: 'number', unit: currency }, { name: 'lower', type: 'number', unit: currency }, { name: 'upper', type: 'number', unit: currency }, { name: 'p_value', type: 'number' }],
      componentRows,
      { countColumn: 'n', keyColumns: ['behaviour', 'component', 'label'] },
    ),
    groupTable(
      'satisfaction',
      [{ name: 'behaviour', type: 'string' }, { name: 'measure', type: 'string' }, { name: 'n_adopters', type: 'integer', unit: 'customers' }, { name: 'n_others', type: 'integer', unit: 'customers' }, { name: 'raw_difference', type: 'number', unit: 'points' }, { name: 'raw_lower', type: 'number', unit: 'points' }, { name: 'raw_upper', type: 'number', unit: 'points' }, { name: 'adjusted_difference', type: 'number', unit: 'points' }, { name: 'adjusted_lower', type: 'number', unit: 'points' }, { name: 'adjusted_upper', type: 'number', unit: 'points' }, { name: 'note', type: 'string' }],
      satisfactionRows,
      { countColumn: 'n_adopters', keyColumns: ['behaviour', 'measure'] },
    ),
    groupTable(
      'retention',
      [{ name: 'behaviour', type: 'string' }, { name: 'n_adopters', type: 'integer', unit: 'customers' }, { name: 'churned_adopters', type: 'integer', unit: 'customers' }, { name: 'n_others', type: 'integer', unit: 'customers' }, { name: 'churned_others', type: 'integer', unit: 'customers' }, { name: 'raw_difference', type: 'number', unit: 'share' }, { name: 'raw_lower', type: 'number', unit: 'share' }, { name: 'raw_upper', type: 'number', unit: 'share' }, { name: 'adjusted_odds_ratio', type: 'number' }, { name: 'or_lower', type: 'number' }, { name: 'or_upper', type: 'number' }, { name: 'note', type: 'string' }],
      retentionRows,
      { countColumn: 'n_adopters', keyColumns: ['behaviour'] },
    ),
  );
  if (measure === null) parts.summary.push('Satisfaction is not compared: no NPS or CSAT answers (map a survey in cxray.yaml).');
  if (window === null) parts.summary.push('Retention is not compared: no churn is known (map status changes or a churn flag in cxray.yaml).');
  const designs = [...valued.map((v) => v.design), ...satisfaction.map((s) => s.design), ...retention.flatMap((r) => (r.design === null ? [] : [r.design]))];
  const adjusted = designs[0] === undefined ? [] : adjustedFor(designs[0]);
  const tier = valueTierStatement(ctx, valued[0]?.design);
  if (tier.warning !== null && valued.length > 0) parts.warnings.push(tier.warning);
  parts.tables.push(whatIfTable(parts, { customersInScope: total }));
  // Every behaviour event, declared or not, against retention and satisfaction (associations, screened).
  const screening = await screeningSection(ctx, values, window, measure);
  mergeParts(parts, screening);
  assumptions.push(...(screening.assumptions ?? []));
  parts.summary.push(...(screening.gaps ?? []));
  return okResult(ctx, analysis, parts, {
    description:
      'Each declared behaviour: adoption; money per customer-month of adopters against comparable non-adopters (weighted least squares of each money component per month of exposure on adoption and the covariates, weighted by exposure, robust HC1 errors); ' +
      'satisfaction (NPS or CSAT) raw and adjusted; churn in the retention window raw and as an adjusted odds ratio (logistic regression); the Perfect Customer Index (weighted share of behaviours adopted).',
    assumptions: [
      `Adjusted for: ${adjusted.length === 0 ? 'nothing (no covariate known at acquisition; list some under adjust_for in cxray.yaml)' : adjusted.join(', ')}; all fixed at or before acquisition, so none is shaped by the outcome.`,
      ...(valued.length > 0 ? [tier.assumption] : []),
      'Exposure: from signup (else the first purchase) to churn or as_of, in months of 30.44 days. A behaviour\'s value counts handling cost and credits saved and revenue (net of refunds) gained; fees and penalties are shown but not counted as value.',
      `Money at stake: ${STAKE_POINTS} more points of adoption among the ${words.count(total)} customers in scope, at the estimated value per customer-month, for a year; it assumes new adopters gain what comparable adopters show.`,
      ...assumptions,
      ...[...new Set(designs.flatMap((x) => x.notes))],
    ],
  });
}

/** Without declared behaviours, the screen of every behaviour event is what there is to say. */
async function screeningOnly(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision'>, values: SqlValues, declare: string): Promise<Result> {
  const parts = emptyParts();
  const window = await retentionWindow(ctx, values);
  const screening = await screeningSection(ctx, values, window, await satisfactionMeasure(ctx, values));
  mergeParts(parts, screening);
  parts.summary.push(...(screening.gaps ?? []), `${declare} Until then, only the screen of behaviour events is shown.`);
  return okResult(ctx, analysis, parts, {
    description: 'Every behaviour event screened against retention and satisfaction; no behaviour is declared, so no value, index or cascade.',
    assumptions: [...(window === null ? [] : [window.assumption]), ...(screening.assumptions ?? [])],
  });
}

function pValueOf(estimate: number, se: number): number {
  if (se <= 0) return estimate === 0 ? 1 : 0;
  return 2 * normalCdf(-Math.abs(estimate / se));
}

function labelOf(behaviours: readonly { key: string; label: string }[], key: string): string {
  return behaviours.find((b) => b.key === key)?.label ?? key;
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]?.toUpperCase() + text.slice(1);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
}
