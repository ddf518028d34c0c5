import type { RowValue } from '../../engine/types.js';
import { chiSquareSf, isSuppressed } from '../../stats/index.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/** A categorical attribute the hazard model adjusts for, coded 0 (its largest level) to levels − 1. */
export interface HazardCovariate {
  /** customer_facts column. */
  name: string;
  /** As a reader knows it (the attribute's name in cxray.yaml). */
  label: string;
  /** Level names by code; the last is `other values` when rare or missing values were pooled. */
  levels: string[];
  /** SQL giving the code of each customer's level. */
  code: string;
  /** Likelihood-ratio χ² of churn rates across the levels (constant hazard), its df and p: the ranking. */
  chiSquare: number;
  pValue: number;
}

export interface CovariateChoice {
  chosen: HazardCovariate[];
  /** Candidates left out, and why, in words. */
  notes: string[];
}

/** Cells of the chosen covariates' levels multiplied together: the person-time table grows with them. */
export const COVARIATE_CELL_BUDGET = 64;
/** Levels kept per covariate (largest first); the rest are pooled. */
const MAX_LEVELS = 6;
/** A level needs this many customers to stand alone. */
const MIN_LEVEL_CUSTOMERS = 20;
const OTHER = 'other values';
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The candidates: cxray.yaml `adjust_for` (the text and yes/no ones), else
 * every text or yes/no attribute known at acquisition or named by a segment,
 * as in every adjusted comparison; tenure is the model's time axis, never a
 * covariate.
 */
export function covariateCandidates(ctx: Pick<AnalysisContext, 'config' | 'facts'>): string[] {
  const categorical = new Map(ctx.facts.columns.filter((c) => c.type === 'string' || c.type === 'boolean').map((c) => [c.name, c]));
  if (ctx.config.adjust_for !== undefined) {
    return ctx.config.adjust_for.map((name) => ctx.facts.attributes.find((a) => a.source === name)?.name ?? name).filter((name) => categorical.has(name));
  }
  const segmentAttributes = new Set(Object.values(ctx.config.segments).map((s) => s.attribute).filter((a): a is string => a !== undefined));
  return ctx.facts.attributes.filter((a) => (a.atAcquisition || segmentAttributes.has(a.source)) && categorical.has(a.name)).map((a) => a.name);
}

/**
 * The covariates of the hazard model: each candidate's churn rates by level
 * (one GROUP BY), ranked by how strongly they differ (the likelihood-ratio
 * test of a constant hazard per level, smallest p first), then taken in that
 * order while the product of their levels stays within the budget. Adjusting
 * for what predicts churn removes confounding (were push customers on
 * shorter contracts?) and the attenuation of a hazard ratio that comes from
 * mixing customers of very different risk (non-collapsibility); a
 * covariate that predicts nothing would only add cells.
 */
export async function chooseCovariates(ctx: AnalysisContext, values: SqlValues, where: readonly string[], exposure: string, event: string): Promise<CovariateChoice> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const label = (name: string): string => ctx.facts.attributes.find((a) => a.name === name)?.source ?? name;
  const notes: string[] = [];
  const ranked: HazardCovariate[] = [];
  for (const name of covariateCandidates(ctx)) {
    const text = d.toString(q(name));
    const rows = await scopeQuery<{ _l: string | null; _n: RowValue; _d: RowValue; _t: RowValue }>(
      ctx,
      `${scopeSelect(ctx, { items: [`${text} AS ${q('_l')}`, `count(*) AS ${q('_n')}`, `sum(${event}) AS ${q('_d')}`, `sum(${exposure}) AS ${q('_t')}`], where, groupBy: [text] })} LIMIT 1001`,
      values,
    );
    if (rows.length > 1000) {
      notes.push(`${label(name)} has more than 1,000 values (an identifier, not a category).`);
      continue;
    }
    const all = rows
      .map((r) => ({ level: r._l, n: numberOf(r._n) ?? 0, events: numberOf(r._d) ?? 0, time: numberOf(r._t) ?? 0 }))
      .sort((a, b) => b.n - a.n || byText(String(a.level), String(b.level)));
    // A level nobody in it churned from has a hazard of 0 (its coefficient runs to −∞): it joins
    // the pooled values, and pooled values without churn join the reference level.
    const kept = all.filter((l) => l.level !== null && l.n >= MIN_LEVEL_CUSTOMERS && !isSuppressed(l.n) && l.events > 0).slice(0, MAX_LEVELS);
    const keptNames = new Set(kept.map((l) => l.level));
    const pooled = all.filter((l) => !keptNames.has(l.level));
    const pooledEvents = pooled.reduce((s, l) => s + l.events, 0);
    const ownLevel = pooled.length > 0 && pooledEvents > 0;
    const pooledGroup = { level: OTHER, n: pooled.reduce((s, l) => s + l.n, 0), events: pooledEvents, time: pooled.reduce((s, l) => s + l.time, 0) };
    const [first, ...rest] = kept;
    const reference = first === undefined || ownLevel ? first : { ...first, n: first.n + pooledGroup.n, time: first.time + pooledGroup.time };
    const groups = [...(reference === undefined ? [] : [reference]), ...rest, ...(ownLevel ? [pooledGroup] : [])];
    if (groups.length < 2) {
      notes.push(`${label(name)} is not adjusted for: churn is seen in only one of its values among these customers.`);
      continue;
    }
    const events = groups.reduce((s, g) => s + g.events, 0);
    const time = groups.reduce((s, g) => s + g.time, 0);
    const chiSquare = events === 0 || time <= 0 ? 0 : 2 * groups.reduce((s, g) => s + (g.events > 0 ? g.events * Math.log(g.events / g.time / (events / time)) : 0), 0);
    const levels = groups.map((g) => String(g.level));
    if (reference === undefined) continue;
    const cases = kept.slice(1).map((l, i) => `WHEN ${text} = ${values.bind(String(l.level))} THEN ${i + 1}`);
    const code = `(CASE WHEN ${text} = ${values.bind(String(reference.level))} THEN 0 ${cases.join(' ')}${cases.length === 0 ? '' : ' '}ELSE ${ownLevel ? kept.length : 0} END)`;
    ranked.push({ name, label: label(name), levels, code, chiSquare: Math.max(0, chiSquare), pValue: chiSquareSf(Math.max(0, chiSquare), groups.length - 1) });
  }
  ranked.sort((a, b) => a.pValue - b.pValue || b.chiSquare - a.chiSquare || byText(a.name, b.name));
  const chosen: HazardCovariate[] = [];
  let cells = 1;
  for (const c of ranked) {
    if (cells * c.levels.length > COVARIATE_CELL_BUDGET) {
      notes.push(`${c.label} (${c.levels.length} levels) would take the model past ${COVARIATE_CELL_BUDGET} cells of covariates.`);
      continue;
    }
    cells *= c.levels.length;
    chosen.push(c);
  }
  return { chosen, notes };
}
