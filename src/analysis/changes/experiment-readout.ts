import type { CxrayConfig } from '../../config/schema.js';
import { chiSquareSf } from '../../stats/index.js';
import type { PoissonCoefficient } from '../../stats/poisson-regression.js';
import { hasRows } from '../needs.js';
import { declaredBehaviours, exposureMonths } from '../perfect-customer/behaviours.js';
import { periodConditions } from '../period-sql.js';
import { perCustomerSubquery } from '../per-customer-join.js';
import { hazardModel } from '../quarter-end/hazard-model.js';
import { personTime } from '../quarter-end/person-time.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import { SAMPLE_RATIO_MISMATCH_ALPHA } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { netScoreSql, type ChangeMeasure, type MeasureKind } from './change-measures.js';
import { clusteredContrast, type ContrastEstimate } from './did-math.js';
import { MIN_CELL_CUSTOMERS, MIN_CELL_EVENTS, type CellSummary } from './measure-effect.js';
import { momentSums, type MetricSums } from './moment-sums.js';

export type ExperimentSpec = NonNullable<CxrayConfig['experiments']>[string];

/** One measure read out per arm: each arm's mean, and the treatment's difference (or ratio) from control. */
export interface ArmEffect {
  measure: ChangeMeasure;
  control: CellSummary;
  treatment: CellSummary;
  /** treatment − control (a log ratio for churn, from the hazard model); null when an arm is too thin. */
  effect: ContrastEstimate | null;
  reason: string | null;
  standardised: number | null;
  customers: number;
}

export interface ExperimentReadout {
  key: string;
  label: string;
  attribute: string;
  control: string;
  treatment: string;
  /** Customers in scope in each arm. */
  controlCustomers: number;
  treatmentCustomers: number;
  /** The sample-ratio check: χ² of the arm sizes against the planned split. */
  ratio: { plannedShare: number; share: number; chiSquare: number; pValue: number; mismatch: boolean } | null;
  effects: ArmEffect[];
  /** Why the experiment was not read out; null when it was. */
  skipped: string | null;
}

function cellOf(s: MetricSums | undefined): CellSummary {
  const n = s?.moments.n[0] ?? 0;
  const y = s?.moments.y[0] ?? 0;
  return { mean: n > 0 ? y / n : null, customers: s?.customers.all ?? 0, observations: s?.observations.byPeriod[0] ?? 0, total: y };
}

/** Measures of an experiment, one period each: answers within the period analysed, the rest over each customer's whole history. */
function experimentMeasures(ctx: AnalysisContext, values: SqlValues, wanted: ReadonlySet<MeasureKind>): { survey: { measures: ChangeMeasure[]; join: string } | null; facts: ChangeMeasure[] } {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  let survey: { measures: ChangeMeasure[]; join: string } | null = null;
  if (hasRows(ctx, 'survey_responses') && (wanted.has('nps') || wanted.has('csat'))) {
    const score = q('score');
    const is = (i: string): string => `${q('instrument')} = ${values.bind(i)}`;
    const items = [
      `sum(CASE WHEN ${is('nps')} THEN 1 ELSE 0 END) AS ${q('_e_nps_n')}`,
      `sum(CASE WHEN ${is('nps')} THEN ${netScoreSql(score)} ELSE 0 END) AS ${q('_e_nps_y')}`,
      `sum(CASE WHEN ${is('csat')} THEN 1 ELSE 0 END) AS ${q('_e_csat_n')}`,
      `sum(CASE WHEN ${is('csat')} THEN ${d.toDouble(score)} ELSE 0 END) AS ${q('_e_csat_y')}`,
      `sum(CASE WHEN ${is('csat')} THEN ${d.toDouble(score)} * ${d.toDouble(score)} ELSE 0 END) AS ${q('_e_csat_q')}`,
    ];
    const conditions = [`${score} IS NOT NULL`, `${q('instrument')} IN (${values.bind('nps')}, ${values.bind('csat')})`, ...periodConditions(ctx, values, q('at'))];
    const measures: ChangeMeasure[] = [];
    if (wanted.has('nps')) measures.push({ kind: 'nps', key: 'nps', label: 'NPS', scale: 'difference', sql: { key: 'nps', n: [q('_e_nps_n')], y: [q('_e_nps_y')], observations: 'answers' } });
    if (wanted.has('csat')) measures.push({ kind: 'csat', key: 'csat', label: 'CSAT', scale: 'difference', sql: { key: 'csat', n: [q('_e_csat_n')], y: [q('_e_csat_y')], squares: [q('_e_csat_q')], observations: 'answers' } });
    survey = { measures, join: `INNER JOIN ${perCustomerSubquery(ctx, 'survey_responses', items, conditions)} AS ${q('_ev')} USING (${q('customer_id')})` };
  }
  const facts: ChangeMeasure[] = [];
  const months = `CASE WHEN ${q('exposure_days')} IS NULL THEN 0 ELSE ${exposureMonths(ctx)} END`;
  if (stored.has('exposure_days')) {
    if (wanted.has('churn') && hasRows(ctx, 'status_changes') && stored.has('churned')) {
      facts.push({ kind: 'churn', key: 'churn', label: 'churn', scale: 'log_ratio', sql: { key: 'churn', n: [months], y: [`CASE WHEN ${q('exposure_days')} IS NOT NULL THEN ${d.boolToInt(q('churned'))} ELSE 0 END`], observations: 'customer-periods' } });
    }
    const parts = ['revenue', 'fees', 'refunds', 'credits'];
    if (wanted.has('revenue') && hasRows(ctx, 'transactions') && parts.every((p) => stored.has(p))) {
      // The money a change's windows count (purchases and fees less refunds and credits), not net_revenue, which also takes off the cost of goods.
      const money = `(${d.toDouble(q('revenue'))} + ${d.toDouble(q('fees'))} - ${d.toDouble(q('refunds'))} - ${d.toDouble(q('credits'))})`;
      facts.push({ kind: 'revenue', key: 'revenue', label: 'net revenue per customer-month', scale: 'difference', sql: { key: 'revenue', n: [months], y: [`CASE WHEN ${q('exposure_days')} IS NOT NULL THEN ${money} ELSE 0 END`], observations: 'customer-periods' } });
    }
  }
  if (wanted.has('adoption')) {
    // A behaviour seen only through events says nothing when no event was imported.
    const seen = declaredBehaviours(ctx).filter((b) => ctx.config.behaviours[b.key]?.attribute !== undefined || hasRows(ctx, 'behaviour_events'));
    seen.forEach((b, i) => {
      facts.push({ kind: 'adoption', key: `adoption_${b.key}`, label: `adoption of ${b.label}`, scale: 'difference', sql: { key: `b${i}`, n: ['1'], y: [b.adopted], observations: 'customer-periods' } });
    });
  }
  return { survey, facts };
}

/** The treatment's hazard ratio against control: a piecewise-exponential model on person-time (as quarter-end's), no covariates (the arms are randomised). */
async function hazardRatio(ctx: AnalysisContext, values: SqlValues, flag: string, member: string): Promise<PoissonCoefficient | null> {
  const pt = await personTime(ctx, values, [member], flag, []);
  const model = hazardModel(pt, []);
  return model?.unadjusted ?? null;
}

/**
 * An A/B test's readout: the arms' sizes against the planned split (a
 * sample ratio mismatch flagged at p < 0.001), and on each measure each
 * arm's mean and the treatment's difference from control with its 95%
 * interval, clustered by customer: NPS and CSAT over the answers given
 * in the period analysed, net revenue per customer-month and adoption over
 * each customer's history, churn as a hazard ratio (a piecewise-exponential
 * model on person-time by month of tenure).
 */
export async function readExperiment(ctx: AnalysisContext, key: string, spec: ExperimentSpec, index: number): Promise<ExperimentReadout> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const label = spec.label ?? key.replaceAll('_', ' ');
  const base: ExperimentReadout = { key, label, attribute: spec.attribute, control: spec.control, treatment: spec.treatment, controlCustomers: 0, treatmentCustomers: 0, ratio: null, effects: [], skipped: null };
  const attribute = ctx.facts.attributes.find((a) => a.source === spec.attribute) ?? ctx.facts.attributes.find((a) => a.name === spec.attribute);
  if (attribute === undefined) return { ...base, skipped: `customer_facts has no attribute ${spec.attribute}: declare it under the customers feed's attributes in cxray.yaml and run \`cxray import\`, or fix experiments.${key}.attribute` };
  const values = new SqlValues(ctx.engine, `ex${index}`);
  const arm = d.toString(q(attribute.name));
  const flag = `CASE WHEN ${arm} = ${values.bind(spec.treatment)} THEN 1 ELSE 0 END`;
  const member = `${arm} IN (${values.bind(spec.control)}, ${values.bind(spec.treatment)})`;
  const sizes = await scopeQuery(ctx, scopeSelect(ctx, { items: [`${flag} AS ${q('_g')}`, `count(*) AS ${q('_n')}`], where: [member], groupBy: [flag] }), values);
  const size = (g: number): number => numberOf(sizes.find((r) => numberOf(r['_g']) === g)?.['_n']) ?? 0;
  const [treatmentCustomers, controlCustomers] = [size(1), size(0)];
  const sized = { ...base, treatmentCustomers, controlCustomers };
  if (treatmentCustomers === 0 || controlCustomers === 0) {
    return { ...sized, skipped: `no customer in scope has ${spec.attribute} = ${treatmentCustomers === 0 ? spec.treatment : spec.control}: check experiments.${key}.control and treatment against the attribute's values` };
  }
  const planned = spec.treatment_share ?? 0.5;
  const total = treatmentCustomers + controlCustomers;
  const chiSquare = (treatmentCustomers - total * planned) ** 2 / (total * planned) + (controlCustomers - total * (1 - planned)) ** 2 / (total * (1 - planned));
  const pValue = chiSquareSf(chiSquare, 1);
  const ratio = { plannedShare: planned, share: treatmentCustomers / total, chiSquare, pValue, mismatch: pValue < SAMPLE_RATIO_MISMATCH_ALPHA };

  const wanted = new Set<MeasureKind>(spec.metrics ?? ['nps', 'csat', 'churn', 'revenue', 'adoption']);
  const { survey, facts } = experimentMeasures(ctx, values, wanted);
  const effects: ArmEffect[] = [];
  const sets: { measures: ChangeMeasure[]; join?: string }[] = [];
  if (survey !== null && survey.measures.length > 0) sets.push(survey);
  if (facts.length > 0) sets.push({ measures: facts });
  for (const set of sets) {
    const sums = await momentSums(ctx, [values], set.measures.map((m) => m.sql), { flag, member, ...(set.join === undefined ? {} : { join: set.join }) });
    for (const measure of set.measures) {
      const t = sums.get(1)?.get(measure.sql.key);
      const c = sums.get(0)?.get(measure.sql.key);
      const treatment = cellOf(t);
      const control = cellOf(c);
      if (treatment.observations + control.observations === 0) continue;
      let reason: string | null = null;
      if (treatment.customers < MIN_CELL_CUSTOMERS || control.customers < MIN_CELL_CUSTOMERS) reason = `fewer than ${MIN_CELL_CUSTOMERS} customers measured in an arm (treatment ${treatment.customers}, control ${control.customers})`;
      else if (measure.scale === 'log_ratio' && (treatment.total < MIN_CELL_EVENTS || control.total < MIN_CELL_EVENTS)) reason = `fewer than ${MIN_CELL_EVENTS} churns in an arm (treatment ${treatment.total}, control ${control.total})`;
      let effect: ContrastEstimate | null = null;
      if (reason === null && t !== undefined && c !== undefined) {
        effect = clusteredContrast(
          [
            { moments: t.moments, signs: [1] },
            { moments: c.moments, signs: [-1] },
          ],
          { scale: measure.scale, clusters: treatment.customers + control.customers, observations: treatment.observations + control.observations },
        );
        if (measure.kind === 'churn') {
          const hazard = await hazardRatio(ctx, values, flag, member);
          effect = hazard === null ? null : { ...effect, estimate: hazard.estimate, standardError: hazard.standardError, statistic: hazard.statistic, pValue: hazard.pValue, interval: hazard.interval };
          if (hazard === null) reason = 'an arm has no churn';
        }
      }
      let standardised: number | null = null;
      if (effect !== null && measure.kind === 'csat' && t !== undefined && c !== undefined) {
        const n = (t.moments.n[0] ?? 0) + (c.moments.n[0] ?? 0);
        const y = (t.moments.y[0] ?? 0) + (c.moments.y[0] ?? 0);
        const variance = n > 1 ? ((t.squares[0] ?? 0) + (c.squares[0] ?? 0) - (y * y) / n) / (n - 1) : 0;
        standardised = variance > 0 ? effect.estimate / Math.sqrt(variance) : null;
      }
      effects.push({ measure, control, treatment, effect, reason, standardised, customers: treatment.customers + control.customers });
    }
  }
  return { ...sized, ratio, effects };
}
