import type { Interval } from '../result.js';
import type { FitScore } from '../fit/fit-score.js';
import { halfSql } from '../ideal-profile/search.js';
import type { Grouping } from '../profile/groupings.js';
import { fitDroppingCollinear, type Design, type DesignColumn } from '../regression/design.js';
import { fitOlsInEngine } from '../regression/sql-fit.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, requiredNumber, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import type { ProfileRule } from './profile-rules.js';

/** A level needs this many training customers to get a coefficient of its own; rarer levels count as average (contribution 0). */
export const MIN_LEVEL_CUSTOMERS = 20;

/** One level of an attribute: its training customers and its points against the average customer. */
export interface LevelEffect {
  level: string;
  trainingCustomers: number;
  /** Fit points against the reference level (0 for the reference), with a robust 95% interval. */
  coefficient: number;
  interval: Interval | null;
  /** Fit points against the average training customer: what a prospect at this level gets. */
  contribution: number;
}

/** An attribute (a grouping the ideal profile's rules use) in the model. */
export interface AttributeEffect {
  key: string;
  label: string;
  /** The most common level, against which coefficients are fitted. */
  reference: string;
  levels: LevelEffect[];
}

/** An ideal-profile rule of several conditions, as a term of its own (the planted kind of profile is a conjunction, which attribute-by-attribute terms only partly see). */
export interface RuleEffect {
  rule: ProfileRule;
  /** Extra fit points for matching it, beyond its attributes' own terms. */
  coefficient: number;
  interval: Interval | null;
  /** Share of training customers matching it. */
  share: number;
}

/**
 * Fit score predicted from attributes known at acquisition: `base` (the
 * average training customer) plus, per attribute, the contribution of the
 * prospect's level, plus each rule term `coefficient × (match − share)`
 * split evenly over the rule's attributes; clipped to 0-100 like the fit
 * score. An unknown or rare level contributes 0 (counts as average).
 */
export interface ProspectModel {
  base: number;
  attributes: AttributeEffect[];
  rules: RuleEffect[];
  trainingCustomers: number;
  /** R² of the least-squares fit on the training half. */
  trainingRSquared: number;
  notes: string[];
}

const levelKey = (key: string, level: string): string => `${key}=${level}`;

/** The levels of each grouping on the training half (customers with a fit score), with their counts. */
async function trainingLevels(ctx: AnalysisContext, values: SqlValues, groupings: readonly Grouping[], where: readonly string[]): Promise<Map<string, { level: string; n: number }[]>> {
  const q = ctx.engine.dialect.quoteIdent;
  const out = new Map<string, { level: string; n: number }[]>();
  for (const g of groupings) {
    const rows = await scopeQuery(ctx, scopeSelect(ctx, { items: [`${g.expr} AS ${q('_g')}`, `count(*) AS ${q('_n')}`], where, groupBy: [g.expr] }), values);
    const levels = rows.map((r) => ({ level: String(r['_g']), n: numberOf(r['_n']) ?? 0 }));
    // Largest first, ties by level: the same reference on every engine.
    out.set(g.key, levels.sort((a, b) => b.n - a.n || (a.level < b.level ? -1 : a.level > b.level ? 1 : 0)));
  }
  return out;
}

/** SQL: the customer (or prospect) meets every condition of the rule, on the groupings `exprOf` names. */
export function ruleMatchSql(rule: ProfileRule, exprOf: (key: string) => string | null, values: SqlValues): string | null {
  const parts: string[] = [];
  for (const c of rule.conditions) {
    const expr = exprOf(c.grouping.key);
    if (expr === null) return null;
    parts.push(`${expr} = ${values.bind(c.level)}`);
  }
  return `(${parts.join(' AND ')})`;
}

/**
 * Least squares of the fit score on attribute dummies and the rule terms,
 * in the engine (fitOlsInEngine), over the training half of the customers
 * (the hash half the ideal profile searches on) whose every level has at
 * least MIN_LEVEL_CUSTOMERS training customers.
 */
export async function fitProspectModel(ctx: AnalysisContext, fit: FitScore, groupings: readonly Grouping[], rules: readonly ProfileRule[], values: SqlValues): Promise<ProspectModel> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  if (fit.measured.join !== null) throw new Error('the prospects model needs the fit score as of as_of (no join)');
  const notes: string[] = [];
  const training = [...fit.measured.where, `${halfSql(d)} = 0`];
  const counts = await trainingLevels(ctx, values, groupings, training);
  const kept = new Map<string, { level: string; n: number }[]>();
  const where = [...training];
  for (const g of groupings) {
    const levels = counts.get(g.key) ?? [];
    const enough = levels.filter((l) => l.n >= MIN_LEVEL_CUSTOMERS);
    const rare = levels.filter((l) => l.n < MIN_LEVEL_CUSTOMERS);
    if (rare.length > 0) notes.push(`${g.label}: ${words.list(rare.map((l) => l.level))} had fewer than ${MIN_LEVEL_CUSTOMERS} training customers, so a prospect at ${rare.length === 1 ? 'that level' : 'those levels'} counts as average for ${g.label}.`);
    if (enough.length < 2) {
      notes.push(`${g.label} takes one common value among the training customers, so it does not enter the model.`);
      continue;
    }
    kept.set(g.key, enough);
    where.push(`${g.expr} IN (${enough.map((l) => values.bind(l.level)).join(', ')})`);
  }
  const used = groupings.filter((g) => kept.has(g.key));
  const exprOf = (key: string): string | null => used.find((g) => g.key === key)?.expr ?? null;
  const columns: DesignColumn[] = [{ name: 'intercept', label: 'intercept', sql: '1', covariate: null }];
  for (const g of used) {
    for (const { level } of (kept.get(g.key) ?? []).slice(1)) {
      columns.push({ name: levelKey(g.key, level), label: `${g.label} ${level}`, sql: d.ifThen(`${g.expr} = ${values.bind(level)}`, '1', '0'), covariate: g.key });
    }
  }
  for (const rule of rules) {
    const match = ruleMatchSql(rule, exprOf, values);
    if (rule.conditions.length < 2 || match === null) continue;
    columns.push({ name: `rule:${rule.id}`, label: rule.text, sql: d.ifThen(match, '1', '0'), covariate: `rule:${rule.id}` });
  }
  const design: Design = { columns, where, notes: [], covariates: [] };
  const outcome = { name: 'fit', sql: fit.expressions.score };
  const { result, design: fitted } = await fitDroppingCollinear(design, async (x) => {
    const fits = await fitOlsInEngine(ctx, values, x, [outcome]);
    const one = fits.get('fit');
    if (one === undefined) throw new Error('the prospects model fit returned nothing');
    return one;
  });
  notes.push(...fitted.notes);
  // Shares of every column among the customers fitted: the centres that make each contribution "against the average customer".
  const [sums] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`count(*) AS ${q('_n')}`, ...fitted.columns.map((c, i) => `sum(${c.sql}) AS ${q(`_c${i}`)}`)], where: fitted.where }), values);
  const n = requiredNumber(sums?.['_n'] ?? 0, 'training customers');
  const share = (name: string): number => {
    const i = fitted.columns.findIndex((c) => c.name === name);
    return i < 0 || n === 0 ? 0 : (numberOf(sums?.[`_c${i}`]) ?? 0) / n;
  };
  const coefficient = new Map(result.robust.map((c) => [c.name, c]));
  let base = coefficient.get('intercept')?.estimate ?? 0;
  const attributes: AttributeEffect[] = [];
  for (const g of used) {
    const levels = kept.get(g.key) ?? [];
    // A level whose dummy was dropped as collinear was fitted as the reference: coefficient 0.
    const effects = levels.map((l, i) => {
      const c = i === 0 ? undefined : coefficient.get(levelKey(g.key, l.level));
      return { level: l.level, trainingCustomers: l.n, coefficient: c?.estimate ?? 0, interval: c?.interval ?? null };
    });
    if (effects.every((l) => l.coefficient === 0)) continue;
    const centre = effects.reduce((s, l) => s + l.coefficient * share(levelKey(g.key, l.level)), 0);
    base += centre;
    attributes.push({ key: g.key, label: g.label, reference: levels[0]?.level ?? '', levels: effects.map((l) => ({ ...l, contribution: l.coefficient - centre })) });
  }
  const ruleEffects: RuleEffect[] = [];
  for (const rule of rules) {
    const c = coefficient.get(`rule:${rule.id}`);
    if (c === undefined) continue;
    const s = share(`rule:${rule.id}`);
    base += c.estimate * s;
    ruleEffects.push({ rule, coefficient: c.estimate, interval: c.interval, share: s });
  }
  return { base, attributes, rules: ruleEffects, trainingCustomers: n, trainingRSquared: result.fit.rSquared, notes };
}

/** The per-row SQL of a model: each attribute's contribution and the clipped score. */
export interface ModelSql {
  /** Contribution per attribute key (DOUBLE); `0` for an attribute `exprOf` cannot name. */
  contributions: Map<string, string>;
  /** The score 0-100 (DOUBLE). */
  score: string;
}

/**
 * The model as SQL over rows whose grouping levels `exprOf` gives (customers
 * in the store, or prospects in an in-memory DuckDB): an attribute `exprOf`
 * does not know (not in the prospects file) contributes 0, and so do rule
 * terms that need it.
 */
export function modelSql(dialect: AnalysisContext['engine']['dialect'], model: ProspectModel, exprOf: (key: string) => string | null, values: SqlValues): ModelSql {
  const d = dialect;
  const num = (x: number): string => d.toDouble(d.literal(x));
  const terms = new Map<string, string[]>(model.attributes.map((a) => [a.key, []]));
  for (const a of model.attributes) {
    const expr = exprOf(a.key);
    if (expr === null) continue;
    terms.get(a.key)?.push(`(CASE ${a.levels.map((l) => `WHEN ${expr} = ${values.bind(l.level)} THEN ${num(l.contribution)}`).join(' ')} ELSE ${num(0)} END)`);
  }
  const known = new Map(model.attributes.map((a) => [a.key, a.levels.map((l) => values.bind(l.level)).join(', ')]));
  for (const r of model.rules) {
    const match = ruleMatchSql(r.rule, exprOf, values);
    if (match === null) continue;
    const keys = r.rule.conditions.map((c) => c.grouping.key);
    const per = r.coefficient / keys.length;
    for (const key of keys) {
      // An attribute at an unknown level counts as average: its share of the rule term too.
      const levels = known.get(key);
      const unknown = levels === undefined ? '' : `WHEN ${exprOf(key) ?? 'NULL'} NOT IN (${levels}) THEN ${num(0)} `;
      terms.get(key)?.push(`(CASE ${unknown}WHEN ${match} THEN ${num(per * (1 - r.share))} ELSE ${num(-per * r.share)} END)`);
    }
  }
  const contributions = new Map<string, string>();
  for (const [key, list] of terms) contributions.set(key, list.length === 0 ? num(0) : `(${list.join(' + ')})`);
  const raw = `(${num(model.base)}${[...contributions.values()].map((c) => ` + ${c}`).join('')})`;
  return { contributions, score: `least(greatest(${raw}, ${num(0)}), ${num(100)})` };
}
