import { CollinearPredictorsError, percentileInterval, SymmetricSolver, type Interval } from '../../stats/index.js';
import { blockKeySql, blockSums, replicateTotals } from '../block-bootstrap.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { SectionOutput } from '../profile/section.js';
import { buildDesign, fitDroppingCollinear, type Design, type DesignColumn } from '../regression/design.js';
import { fitLogisticInEngine } from '../regression/sql-fit.js';
import { groupTable } from '../result-builder.js';
import { rowSums, type RowValueDef } from '../row-values.js';
import type { Cell, Chart, Finding } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { exposureMonths, type Behaviour } from './behaviours.js';
import type { SatisfactionMeasure } from './satisfaction.js';
import { valueSql } from './value.js';

/** Bootstrap replicates of the cascade (the key drivers use as many). */
export const CASCADE_REPLICATES = 200;

/** A satisfaction column of the experience model, with its value when everyone is set to the top and to the bottom of the scale. */
interface SatisfactionTerm extends Omit<DesignColumn, 'covariate'> {
  top: number;
  bottom: number;
}

/** The two ends of the satisfaction contrast, as a reader names them. */
export interface Contrast {
  high: string;
  low: string;
  /** The counterfactual of the indirect effect, in words. */
  everyone: string;
}

/** One link's estimate, its bootstrap replicates and percentile interval. */
export interface LinkEstimate {
  estimate: number;
  interval: Interval;
  replicates: number[];
  n: number;
}

/** The cascade of one behaviour: experience -> behaviour -> money. */
export interface CascadeLinks {
  behaviour: Behaviour;
  contrast: Contrast;
  /** Average counterfactual difference in adoption probability, high against low satisfaction, as a share (0.1 = 10 points). */
  adoption: LinkEstimate;
  /** The behaviour's money per customer-month, adjusted for the covariates and the satisfaction class. */
  value: LinkEstimate;
  /** E[money per customer-month | everyone high] − E[... | everyone low], through adoption only. */
  indirect: LinkEstimate;
  experienceDesign: Design;
  moneyDesign: Design;
  notes: string[];
}

type Ctx = AnalysisContext;

/**
 * The satisfaction columns: for the experience -> behaviour model (among
 * respondents: NPS classes as dummies against detractors, or CSAT as a
 * number) and for the money model (everyone: the same, with "no answer" as
 * a class of its own, when some customer did not answer). A string says
 * why the answers cannot support a contrast.
 */
async function satisfactionTerms(ctx: Ctx, values: SqlValues, measure: SatisfactionMeasure): Promise<{ experience: SatisfactionTerm[]; money: Omit<DesignColumn, 'covariate'>[]; contrast: Contrast } | string> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const y = measure.sql;
  const [row] = await scopeQuery(
    ctx,
    scopeSelect(ctx, {
      items: [
        `sum(${d.ifThen(`${y} IS NULL`, '0', '1')}) AS ${q('_n')}`,
        `sum(${d.ifThen(`${y} IS NULL`, '1', '0')}) AS ${q('_none')}`,
        `sum(${d.ifThen(`${y} > 0`, '1', '0')}) AS ${q('_p')}`,
        `sum(${d.ifThen(`${y} < 0`, '1', '0')}) AS ${q('_d')}`,
        `min(${d.toDouble(y)}) AS ${q('_lo')}`,
        `max(${d.toDouble(y)}) AS ${q('_hi')}`,
      ],
    }),
    values,
  );
  const n = numberOf(row?.['_n']) ?? 0;
  const unanswered = (numberOf(row?.['_none']) ?? 0) > 0 ? [{ name: 'unanswered', label: `no ${measure.label} answer`, sql: d.ifThen(`${y} IS NULL`, '1', '0') }] : [];
  if (measure.kind === 'nps') {
    const promoters = numberOf(row?.['_p']) ?? 0;
    const detractors = numberOf(row?.['_d']) ?? 0;
    if (promoters < 5 || detractors < 5) return `fewer than 5 promoters or detractors (${promoters} and ${detractors})`;
    const promoter = { name: 'promoter', label: 'promoter', sql: d.ifThen(`${y} > 0`, '1', '0'), top: 1, bottom: 0 };
    const passive = { name: 'passive', label: 'passive', sql: d.ifThen(`${y} = 0`, '1', '0'), top: 0, bottom: 0 };
    const experience = n - promoters - detractors > 0 ? [promoter, passive] : [promoter];
    return { experience, money: [...experience.map(({ top: _t, bottom: _b, ...c }) => c), ...unanswered], contrast: { high: 'promoters', low: 'detractors', everyone: 'every customer a promoter instead of a detractor' } };
  }
  const lo = numberOf(row?.['_lo']);
  const hi = numberOf(row?.['_hi']);
  if (n < 10 || lo === null || hi === null || hi <= lo) return 'CSAT answers do not vary';
  const csat = { name: 'csat', label: 'CSAT', sql: d.toDouble(y), top: hi, bottom: lo };
  return {
    experience: [csat],
    money: [{ name: 'csat', label: 'CSAT', sql: d.ifThen(`${y} IS NULL`, '0', d.toDouble(y)) }, ...unanswered],
    contrast: { high: `customers at CSAT ${words.number(hi, 0)}`, low: `customers at CSAT ${words.number(lo, 0)}`, everyone: `every customer at CSAT ${words.number(hi, 0)} instead of ${words.number(lo, 0)}` },
  };
}

/** One behaviour's two models, as SQL over customer_facts. */
interface CascadeModels {
  experience: Design;
  terms: readonly SatisfactionTerm[];
  /** The adoption model's full-sample coefficients β̂. */
  beta: readonly number[];
  adopted: string;
  money: Design;
  moneySql: string;
}

/** Full-sample sums: of the adoption difference and its gradient in β̂; of the money model's weighted least squares. */
interface FullSums {
  n1: number;
  difference: number;
  gradient: number[];
  n2: number;
  crossProducts: number[][];
  money: number[];
}

const pairs = (p: number): [number, number][] => Array.from({ length: p }, (_, i) => Array.from({ length: p - i }, (_, k): [number, number] => [i, i + k])).flat();

/** The SQL pieces both statements share: who enters each model, and linear combinations of the adoption model's columns. */
function modelSql(ctx: Ctx, m: CascadeModels) {
  const d = ctx.engine.dialect;
  const when = (conditions: readonly string[]): string => d.ifThen(conditions.length === 0 ? '1 = 1' : conditions.map((c) => `(${c})`).join(' AND '), '1', '0');
  const termOf = (c: DesignColumn): SatisfactionTerm | undefined => m.terms.find((t) => t.name === c.name);
  const combination = (columns: readonly DesignColumn[], weights: readonly number[], keep: (c: DesignColumn) => boolean, x: (i: number) => string): string =>
    `(0${columns.map((c, i) => (keep(c) ? ` + ${d.literal(weights[i] ?? 0)} * ${x(i)}` : '')).join('')})`;
  const shift = (end: 'top' | 'bottom'): string => d.literal(m.experience.columns.reduce((s, c, i) => s + (m.beta[i] ?? 0) * (termOf(c)?.[end] ?? 0), 0));
  const sigmoid = (eta: string): string => `(1 / (1 + exp(-(${eta}))))`;
  return { k1: when(m.experience.where), k2: when(m.money.where), termOf, combination, shift, sigmoid };
}

/**
 * One statement over the customers in scope: Σ(pH − pL) over the adoption
 * model's rows (pH, pL: predicted adoption with everyone set high and low,
 * at β̂) and its gradient in β; the money model's Σe·zz' and Σz·m (e
 * exposure months, m money: the weighted least squares of m/e with weights
 * e, as value.ts fits it).
 */
async function fullSums(ctx: Ctx, values: SqlValues, m: CascadeModels): Promise<FullSums> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const { k1, k2, termOf, combination, shift, sigmoid } = modelSql(ctx, m);
  const xs = m.experience.columns;
  const zs = m.money.columns;
  const defs: RowValueDef[] = [
    { name: 'k1', sql: () => k1 },
    { name: 'k2', sql: () => k2 },
    ...xs.map((c, i) => ({ name: `x${i}`, sql: () => `(${c.sql})` })),
    ...zs.map((c, i) => ({ name: `z${i}`, sql: () => `(${c.sql})` })),
    { name: 'e', sql: () => exposureMonths(ctx) },
    { name: 'm', sql: () => d.toDouble(m.moneySql) },
    { name: 'b', sql: (ref) => combination(xs, m.beta, (c) => termOf(c) === undefined, (i) => ref(`x${i}`)) },
    { name: 'ph', sql: (ref) => sigmoid(`${ref('b')} + ${shift('top')}`) },
    { name: 'pl', sql: (ref) => sigmoid(`${ref('b')} + ${shift('bottom')}`) },
    { name: 'sh', sql: (ref) => `(${ref('ph')} * (1 - ${ref('ph')}))` },
    { name: 'sl', sql: (ref) => `(${ref('pl')} * (1 - ${ref('pl')}))` },
  ];
  const row = await rowSums(ctx, defs, [`${k1} + ${k2} > 0`], (ref) => [
    `sum(${ref('k1')}) AS ${q('_an1')}`,
    `sum(${ref('k1')} * (${ref('ph')} - ${ref('pl')})) AS ${q('_ad')}`,
    `sum(${ref('k1')} * ${ref('sh')}) AS ${q('_ah')}`,
    `sum(${ref('k1')} * ${ref('sl')}) AS ${q('_al')}`,
    ...xs.map((_, i) => `sum(${ref('k1')} * (${ref('sh')} - ${ref('sl')}) * ${ref(`x${i}`)}) AS ${q(`_ag${i}`)}`),
    `sum(${ref('k2')}) AS ${q('_an2')}`,
    ...pairs(zs.length).map(([i, j]) => `sum(${ref('k2')} * ${ref('e')} * ${ref(`z${i}`)} * ${ref(`z${j}`)}) AS ${q(`_ac${i}_${j}`)}`),
    ...zs.map((_, i) => `sum(${ref('k2')} * ${ref(`z${i}`)} * ${ref('m')}) AS ${q(`_ay${i}`)}`),
  ], values);
  const num = (name: string): number => numberOf(row?.[name]) ?? 0;
  const crossProducts = Array.from({ length: zs.length }, () => new Array<number>(zs.length).fill(0));
  for (const [i, j] of pairs(zs.length)) (crossProducts[i] as number[])[j] = (crossProducts[j] as number[])[i] = num(`_ac${i}_${j}`);
  return {
    n1: num('_an1'),
    difference: num('_ad'),
    // A satisfaction column is set, not observed: its gradient is top·Σ pH(1−pH) − bottom·Σ pL(1−pL).
    gradient: xs.map((c, i) => {
      const term = termOf(c);
      return term === undefined ? num(`_ag${i}`) : term.top * num('_ah') - term.bottom * num('_al');
    }),
    n2: num('_an2'),
    crossProducts,
    money: zs.map((_, i) => num(`_ay${i}`)),
  };
}

/**
 * Each replicate's adoption difference and value from one statement: the
 * four sums below per bootstrap block, reweighted by each replicate's
 * Poisson(1) draws (block-bootstrap.ts), so every engine draws the same
 * replicates. Per replicate r, both models take one Newton step from the full-sample
 * fit with the full-sample information, the linear estimating-function
 * bootstrap (Hu & Kalbfleisch 2000, "The estimating function bootstrap",
 * Canadian Journal of Statistics 28:449-499; for GLMs, the one-step
 * bootstrap of Moulton & Zeger 1991): β_r = β̂ + H⁻¹ Σ w_r·x·(y − μ̂), and
 * the adoption difference moves to first order, Σw_r(pH − pL)/Σw_r + Σ w_r·φ
 * with φ = (ḡ'H⁻¹x)(y − μ̂), ḡ its mean gradient; the value moves by
 * Σ w_r·ψ with ψ = (v'z)(m − e·z'β̂₂), v the adoption row of (Σe·zz')⁻¹.
 * Four sums per block, whatever the number of covariates.
 */
async function replicateDraws(ctx: Ctx, values: SqlValues, m: CascadeModels, linear: { adoption: readonly number[]; value: readonly number[]; money: readonly number[] }, replicates: number): Promise<{ adoption: number; value: number }[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const { k1, k2, termOf, combination, shift, sigmoid } = modelSql(ctx, m);
  const xs = m.experience.columns;
  const zs = m.money.columns;
  const own = (i: number): string => `(${xs[i]?.sql ?? '0'})`;
  const moneyColumn = (i: number): string => `(${zs[i]?.sql ?? '0'})`;
  const rows = scopeSelect(ctx, {
    items: [
      `${blockKeySql(d, q('customer_id'))} AS ${q('_u')}`,
      `${k1} AS ${q('_k1')}`,
      `${k2} AS ${q('_k2')}`,
      `${d.toDouble(m.adopted)} AS ${q('_y')}`,
      `${combination(xs, m.beta, (c) => termOf(c) === undefined, own)} AS ${q('_b')}`,
      `${combination(xs, m.beta, (c) => termOf(c) !== undefined, own)} AS ${q('_o')}`,
      `${combination(xs, linear.adoption, () => true, own)} AS ${q('_ux')}`,
      `${combination(zs, linear.value, () => true, moneyColumn)} AS ${q('_vz')}`,
      `${combination(zs, linear.money, () => true, moneyColumn)} AS ${q('_fz')}`,
      `${exposureMonths(ctx)} AS ${q('_e')}`,
      `${d.toDouble(m.moneySql)} AS ${q('_m')}`,
    ],
    where: [`${k1} + ${k2} > 0`],
  });
  const influence =
    `SELECT ${q('_u')}, ${q('_k1')}, ${q('_k2')}, ${sigmoid(`${q('_b')} + ${shift('top')}`)} - ${sigmoid(`${q('_b')} + ${shift('bottom')}`)} AS ${q('_dd')}, ` +
    `${q('_ux')} * (${q('_y')} - ${sigmoid(`${q('_b')} + ${q('_o')}`)}) AS ${q('_phi')}, ${q('_vz')} * (${q('_m')} - ${q('_e')} * ${q('_fz')}) AS ${q('_psi')} FROM (${rows}) AS ${q('_l0')}`;
  const [w1, w2] = [q('_k1'), q('_k2')];
  const items = [`sum(${w1}) AS ${q('_an1')}`, `sum(${w1} * ${q('_dd')}) AS ${q('_ad')}`, `sum(${w1} * ${q('_phi')}) AS ${q('_af')}`, `sum(${w2} * ${q('_psi')}) AS ${q('_ap')}`];
  const blocks = await blockSums(ctx, influence, items, null, values);
  return replicateTotals(blocks, replicates, ctx.provenance.seed).map((t) => {
    const num = (name: string): number => t[name] ?? 0;
    return { adoption: num('_ad') / num('_an1') + num('_af'), value: num('_ap') };
  });
}

/** What every behaviour's cascade shares: the satisfaction columns, the money counted, and both models' covariate columns. */
export interface CascadeSetup {
  measure: SatisfactionMeasure;
  terms: { experience: SatisfactionTerm[]; money: Omit<DesignColumn, 'covariate'>[]; contrast: Contrast };
  moneySql: string;
  /** The adoption model among respondents: intercept, satisfaction, covariates. */
  experienceBase: Design;
  /** The money model without its adoption and satisfaction columns: intercept and covariates. */
  moneyBase: Design;
}

/** Builds the shared part of the cascade once for all behaviours; a string says why there is no cascade at all. */
export async function cascadeSetup(ctx: Ctx, values: SqlValues, measure: SatisfactionMeasure, covariates: readonly string[]): Promise<CascadeSetup | string> {
  const terms = await satisfactionTerms(ctx, values, measure);
  if (typeof terms === 'string') return terms;
  const moneySql = valueSql(ctx);
  if (moneySql === null) return 'no money is known (import transactions or interactions)';
  const experienceBase = await buildDesign(ctx, values, terms.experience, covariates, [`${measure.sql} IS NOT NULL`]);
  const moneyBase = await buildDesign(ctx, values, [], covariates, [`${exposureMonths(ctx)} > 0`]);
  return { measure, terms, moneySql, experienceBase, moneyBase };
}

/**
 * The cascade of one behaviour: the experience -> behaviour link (logistic
 * regression of adoption on satisfaction and the covariates among
 * respondents, as the average counterfactual difference in adoption
 * probability, high against low satisfaction); the behaviour -> money link
 * (value per customer-month as value.ts estimates it, also adjusted for the
 * satisfaction class); and the indirect effect, the difference in predicted
 * money per customer-month between everyone high and everyone low through
 * adoption only (mean adoption difference × value). Bootstrap percentile
 * intervals from `replicates` Poisson(1) replicates in one statement
 * (replicateDraws). A string says why the behaviour has no cascade.
 */
export async function cascadeLinks(ctx: Ctx, values: SqlValues, behaviour: Behaviour, setup: CascadeSetup, replicates = CASCADE_REPLICATES): Promise<CascadeLinks | string> {
  const { terms, moneySql, experienceBase, moneyBase } = setup;
  const d = ctx.engine.dialect;
  const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`count(*) AS ${d.quoteIdent('_n')}`, `sum(${behaviour.adopted}) AS ${d.quoteIdent('_a')}`], where: [`${setup.measure.sql} IS NOT NULL`] }), values);
  const respondents = numberOf(row?.['_n']) ?? 0;
  const adopters = numberOf(row?.['_a']) ?? 0;
  if (adopters < 5 || respondents - adopters < 5) return `fewer than 5 respondents adopted it or did not (${adopters} of ${respondents})`;
  const fitted = await fitDroppingCollinear(experienceBase, (x) => fitLogisticInEngine(ctx, values, x, behaviour.adopted)).catch(collinear);
  if (fitted instanceof CollinearPredictorsError) return `satisfaction cannot be told apart from the covariates among respondents (${fitted.message})`;
  const { result: logistic, design: experience } = fitted;
  if (!logistic.converged) return 'the adoption model did not converge';
  const beta = logistic.coefficients.map((c) => c.estimate);
  const [intercept, ...rest] = moneyBase.columns;
  const moneyStart: Design = {
    ...moneyBase,
    // Satisfaction enters as a covariate of its own, so a class no customer is in drops out (with a note) instead of failing.
    columns: [...(intercept === undefined ? [] : [intercept]), { name: 'adopted', label: behaviour.label, sql: behaviour.adopted, covariate: null }, ...terms.money.map((t) => ({ ...t, covariate: '_satisfaction' })), ...rest],
  };
  const models = (money: Design): CascadeModels => ({ experience, terms: terms.experience, beta, adopted: behaviour.adopted, money, moneySql });
  const moneyFit = await fitDroppingCollinear(moneyStart, async (x) => {
    const sums = await fullSums(ctx, values, models(x));
    return { sums, solver: SymmetricSolver.factor(sums.crossProducts, x.columns.map((c) => c.name)) };
  }).catch(collinear);
  if (moneyFit instanceof CollinearPredictorsError) return `adoption cannot be told apart from the covariates and satisfaction (${moneyFit.message})`;
  const { result: { sums, solver }, design: money } = moneyFit;
  const adoptedAt = money.columns.findIndex((c) => c.name === 'adopted');
  const moneyBeta = solver.solve(sums.money);
  const adoption0 = sums.difference / sums.n1;
  const value0 = moneyBeta[adoptedAt] ?? 0;
  // ḡ'H⁻¹ with H⁻¹ the adoption fit's covariance (X'WX)⁻¹ at β̂; the adoption row of (Σe·zz')⁻¹.
  const adoptionDirection = logistic.covariance.map((r) => r.reduce((s, h, j) => s + h * (sums.gradient[j] ?? 0), 0) / sums.n1);
  const valueDirection = solver.solve(money.columns.map((_, i) => (i === adoptedAt ? 1 : 0)));
  const draws = await replicateDraws(ctx, values, models(money), { adoption: adoptionDirection, value: valueDirection, money: moneyBeta }, replicates);
  const estimate = (point: number, replicateValues: number[], n: number): LinkEstimate => ({ estimate: point, interval: percentileInterval(replicateValues), replicates: replicateValues, n });
  const n1 = Math.round(sums.n1);
  return {
    behaviour,
    contrast: terms.contrast,
    adoption: estimate(adoption0, draws.map((x) => x.adoption), n1),
    value: estimate(value0, draws.map((x) => value0 + x.value), Math.round(sums.n2)),
    indirect: estimate(adoption0 * value0, draws.map((x) => x.adoption * (value0 + x.value)), n1),
    experienceDesign: experience,
    moneyDesign: money,
    notes: [...logistic.warnings, ...experience.notes, ...money.notes],
  };
}

/**
 * The cascade experience -> behaviour -> money for each behaviour: a table
 * `cascade` (each link with its estimate, bootstrap interval, unit and n),
 * one finding per behaviour in plain words, a chart of the indirect effect
 * a year, and the method as assumptions.
 */
export async function cascadeSection(ctx: Ctx, values: SqlValues, behaviours: Behaviour[], measure: SatisfactionMeasure, covariates: string[]): Promise<SectionOutput> {
  const currency = ctx.config.currency;
  const customers = ctx.scope.customers;
  const rows: Cell[][] = [];
  const findings: Finding[] = [];
  const gaps: string[] = [];
  const notes = new Set<string>();
  const charted: Record<string, Cell>[] = [];
  const setup = await cascadeSetup(ctx, values, measure, covariates);
  if (typeof setup === 'string') return { gaps: [`The cascade experience -> behaviour -> money is not estimated: ${setup}.`] };
  for (const b of behaviours) {
    const c = await cascadeLinks(ctx, values, b, setup);
    if (typeof c === 'string') {
      gaps.push(`The cascade of ${b.label} is not estimated: ${c}.`);
      continue;
    }
    for (const n of c.notes) notes.add(n);
    const year = scale(c.indirect, 12 * customers);
    const pp = scale(c.adoption, 100);
    rows.push(
      [b.key, 'experience_to_behaviour', pp.estimate, pp.interval.lower, pp.interval.upper, 'percentage_points', c.adoption.n],
      [b.key, 'behaviour_to_money', c.value.estimate, c.value.interval.lower, c.value.interval.upper, `${currency} per customer-month`, c.value.n],
      [b.key, 'indirect_per_customer_month', c.indirect.estimate, c.indirect.interval.lower, c.indirect.interval.upper, `${currency} per customer-month`, c.indirect.n],
      [b.key, 'indirect_per_year', year.estimate, year.interval.lower, year.interval.upper, `${currency} per year`, c.indirect.n],
    );
    charted.push({ behaviour: b.label, estimate: year.estimate, lower: year.interval.lower, upper: year.interval.upper, n: c.indirect.n });
    const m = (x: number): string => words.signedMoney(x, currency, 2);
    const label = inSentence(b.label);
    const clear = c.indirect.interval.lower > 0 || c.indirect.interval.upper < 0;
    const text =
      `${capitalise(c.contrast.high)} adopt ${label} ${pp.estimate >= 0 ? 'more' : 'less'} often than comparable ${c.contrast.low}: ${signed(pp.estimate)} percentage points ` +
      `(${words.interval(pp.interval, signed)}; n = ${words.count(c.adoption.n)} respondents). ${capitalise(label)} is worth ${m(c.value.estimate)} per customer-month against comparable non-adopters of the same satisfaction ` +
      `(${words.interval(c.value.interval, m)}; n = ${words.count(c.value.n)}). Through ${label} alone, ${c.contrast.everyone} would be worth ${m(c.indirect.estimate)} per customer-month ` +
      `(${words.interval(c.indirect.interval, m)}), about ${words.signedMoney(year.estimate, currency, 0)} a year for the ${words.count(customers)} customers in scope.` +
      `${clear ? '' : ' The interval includes zero: no clear indirect effect.'}`;
    findings.push({
      code: `perfect_customer.cascade.${b.key}`,
      text,
      estimate: c.indirect.estimate,
      unit: currency,
      interval: c.indirect.interval,
      n: c.indirect.n,
      moneyAtStake: { amount: year.estimate, currency, period: 'year' },
      severity: clear ? 'low' : 'info',
    });
  }
  const levels = measure.kind === 'nps' ? 'the NPS class (promoter and passive against detractor)' : 'CSAT as a number';
  const assumptions = [
    `Cascade, experience -> behaviour: a logistic regression of adoption on ${levels} and the covariates among customers who answered ${measure.label}; the effect is the mean over them of the difference in predicted adoption had each been at the top rather than the bottom of the scale (promoter against detractor; for CSAT the highest against the lowest score answered), in percentage points.`,
    'Cascade, behaviour -> money: the behaviour\'s money per customer-month as in its value (weighted least squares of money per month of exposure on adoption and the covariates, weighted by exposure), also adjusted for the satisfaction class (no answer as a class of its own), so that the link is the behaviour\'s own.',
    `Cascade, indirect effect: the difference in predicted money per customer-month between everyone at the top and everyone at the bottom of the scale through adoption only (mean adoption difference times the behaviour\'s value; not a product of a log-odds and a money coefficient); a year for the base is 12 months of all ${words.count(customers)} customers in scope, as if those who did not answer behaved as those who did.`,
    `Cascade intervals: 95% bootstrap percentiles of ${CASCADE_REPLICATES} Poisson(1) replicates whose weights come from a portable hash of the customer and the replicate, so every engine draws the same; all of a behaviour's replicates in one statement. In each replicate both models take one Newton step from the full-sample fit with the full-sample information (the linear estimating-function bootstrap, Hu & Kalbfleisch 2000), and the adoption difference moves to first order; the indirect effect is the product of the two in each replicate, so its interval keeps the product's skew. Against full refits of every replicate on 600 customers, the intervals agree to within 4% of their width.`,
    'Cascade direction: the data are one cross-section, so the first link is an association; if the behaviour raises satisfaction instead (self-service can), the same association appears and the indirect effect is not money that better experience would bring.',
    ...notes,
  ];
  return {
    tables: [
      groupTable(
        'cascade',
        [{ name: 'behaviour', type: 'string' }, { name: 'link', type: 'string' }, { name: 'estimate', type: 'number' }, { name: 'lower', type: 'number' }, { name: 'upper', type: 'number' }, { name: 'unit', type: 'string' }, { name: 'n', type: 'integer', unit: 'customers' }],
        rows,
        { countColumn: 'n', keyColumns: ['behaviour', 'link', 'unit'] },
      ),
    ],
    findings,
    charts: charted.length === 0 ? [] : [indirectChart(`Money a year through each behaviour, ${measure.kind === 'nps' ? 'promoters against detractors' : 'top against bottom CSAT'}`, currency, charted)],
    assumptions,
    gaps,
  };
}

/** A fit that failed on collinearity of the terms of interest, as a value to report instead of a throw. */
function collinear(error: unknown): CollinearPredictorsError {
  if (error instanceof CollinearPredictorsError) return error;
  throw error;
}

function scale(link: LinkEstimate, factor: number): { estimate: number; interval: Interval } {
  const a = link.interval.lower * factor;
  const b = link.interval.upper * factor;
  return { estimate: link.estimate * factor, interval: { lower: Math.min(a, b), upper: Math.max(a, b), level: link.interval.level } };
}

function indirectChart(title: string, currency: string, values: Record<string, Cell>[]): Chart {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    encoding: { y: { field: 'behaviour', type: 'nominal', sort: '-x', title: null } },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'estimate', type: 'quantitative', title: `${currency} a year, through adoption only` },
          tooltip: ['behaviour', 'estimate', 'lower', 'upper', 'n'].map((field) => ({ field, type: field === 'behaviour' ? 'nominal' : 'quantitative' })),
        },
      },
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } },
    ],
  };
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]?.toUpperCase() + text.slice(1);
}

/** A label inside a sentence: "Automatic payment" reads "automatic payment"; "NPS survey" stays. */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0]?.toLowerCase() + label.slice(1) : label;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
}
