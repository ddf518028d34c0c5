import { CollinearPredictorsError, isSuppressed } from '../../stats/index.js';
import type { FactsColumnInfo } from '../facts-catalogue.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';

/** One column of a design matrix X, as a DOUBLE-valued SQL expression over customer_facts. */
export interface DesignColumn {
  /** Coefficient name, unique in the design (`intercept`, `autopay`, `segment=smb`). */
  name: string;
  /** What a reader sees. */
  label: string;
  sql: string;
  /** The covariate (facts column) it comes from; null for the intercept and the terms of interest. */
  covariate: string | null;
}

export interface Design {
  columns: DesignColumn[];
  /** Conditions a row must meet to enter the fit (complete cases of numeric covariates). */
  where: string[];
  /** What was left out of the adjustment and why, in words. */
  notes: string[];
  /** The covariates adjusted for (facts column and the name a reader sees). */
  covariates: { name: string; label: string }[];
}

/** The covariates a design adjusts for, as named to a reader. */
export function adjustedFor(design: Design): string[] {
  return design.covariates.map((c) => c.label);
}

/** Levels kept as dummies per categorical covariate; the rest join the reference. */
const MAX_LEVELS = 12;

const NUMERIC = new Set(['int32', 'int64', 'double', 'money']);

/**
 * A design matrix for an adjusted comparison: an intercept, the `terms` of
 * interest (e.g. one adoption flag), then each covariate: a categorical one
 * (text or yes/no) as dummies of its levels against its most common level
 * (levels under 5 customers and beyond the 12 largest join that reference,
 * so does a missing value); a numeric one as itself, rows without it left
 * out (complete cases; said in `notes`). Tenure enters in years.
 */
export async function buildDesign(
  ctx: AnalysisContext,
  values: SqlValues,
  terms: readonly Omit<DesignColumn, 'covariate'>[],
  covariates: readonly string[],
  where: readonly string[],
): Promise<Design> {
  const d = ctx.engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const columns: DesignColumn[] = [{ name: 'intercept', label: 'intercept', sql: '1', covariate: null }, ...terms.map((t) => ({ ...t, covariate: null }))];
  const conditions: string[] = [];
  const notes: string[] = [];
  const adjusted: { name: string; label: string }[] = [];
  const known = new Map<string, FactsColumnInfo>(ctx.facts.columns.map((c) => [c.name, c]));
  const label = (name: string): string => ctx.facts.attributes.find((a) => a.name === name)?.source ?? name.replaceAll('_', ' ');
  for (const name of covariates) {
    const column = known.get(name);
    if (column === undefined) {
      notes.push(`${name} is not a column of customer_facts in this import, so it is not adjusted for.`);
      continue;
    }
    if (column.type === 'string' || column.type === 'boolean') {
      const text = d.toString(q(name));
      const rows = await scopeQuery<{ _level: string | null; _n: bigint }>(
        ctx,
        `${scopeSelect(ctx, { items: [`${text} AS ${q('_level')}`, `count(*) AS ${q('_n')}`], where, groupBy: [text] })} LIMIT 1001`,
        values,
      );
      if (rows.length > 1000) {
        notes.push(`${label(name)} has more than 1,000 values: an identifier, not a category, so it is not adjusted for.`);
        continue;
      }
      const levels = rows
        .filter((r) => r._level !== null)
        .map((r) => ({ level: r._level as string, n: numberOf(r._n) ?? 0 }))
        .sort((a, b) => b.n - a.n || (a.level < b.level ? -1 : a.level > b.level ? 1 : 0));
      const kept = levels.filter((l) => !isSuppressed(l.n)).slice(0, MAX_LEVELS + 1);
      if (kept.length < 2) {
        notes.push(`${label(name)} takes one value among these customers, so there is nothing to adjust for.`);
        continue;
      }
      for (const { level } of kept.slice(1)) {
        columns.push({ name: `${name}=${level}`, label: `${label(name)} ${level}`, sql: d.ifThen(`${text} = ${values.bind(level)}`, '1', '0'), covariate: name });
      }
      adjusted.push({ name, label: label(name) });
      continue;
    }
    if (NUMERIC.has(column.type)) {
      const scale = name === 'tenure_days' ? ' / 365.25' : '';
      columns.push({ name, label: name === 'tenure_days' ? 'tenure (years)' : label(name), sql: `${d.toDouble(q(name))}${scale}`, covariate: name });
      conditions.push(`${q(name)} IS NOT NULL`);
      adjusted.push({ name, label: name === 'tenure_days' ? 'tenure' : label(name) });
      continue;
    }
    notes.push(`${label(name)} is a ${column.type}, which cannot be adjusted for as it is.`);
  }
  return { columns, where: [...where, ...conditions], notes, covariates: adjusted };
}

/**
 * The covariates an adjusted comparison uses unless cxray.yaml lists them
 * (`adjust_for`): the segment attributes and those known at acquisition,
 * and tenure. All are fixed before (or at) acquisition, so none is shaped
 * by the outcome being compared.
 */
export function defaultCovariates(ctx: AnalysisContext): string[] {
  if (ctx.config.adjust_for !== undefined) {
    return ctx.config.adjust_for.map((name) => ctx.facts.attributes.find((a) => a.source === name)?.name ?? name);
  }
  const segmentAttributes = new Set(Object.values(ctx.config.segments).map((s) => s.attribute).filter((a): a is string => a !== undefined));
  const attributes = ctx.facts.attributes.filter((a) => (a.atAcquisition || segmentAttributes.has(a.source)) && (a.type === 'string' || a.type === 'boolean')).map((a) => a.name);
  const tenure = ctx.facts.columns.some((c) => c.name === 'tenure_days') ? ['tenure_days'] : [];
  return [...attributes, ...tenure];
}

/**
 * Runs `fit` on the design; when the data make some covariates collinear
 * (a dummy that another explains, a number constant among these customers),
 * leaves those covariates' columns out, says so in the notes, and fits
 * again. A collinearity among the intercept and the terms of interest is the
 * caller's to report, and is thrown.
 */
export async function fitDroppingCollinear<T>(design: Design, fit: (design: Design) => Promise<T>): Promise<{ result: T; design: Design }> {
  let current = design;
  for (;;) {
    try {
      return { result: await fit(current), design: current };
    } catch (error) {
      if (!(error instanceof CollinearPredictorsError)) throw error;
      const names = new Set(error.collinear.map((c) => c.column));
      const dropped = current.columns.filter((c) => names.has(c.name));
      if (dropped.length === 0 || dropped.some((c) => c.covariate === null)) throw error;
      const labels = [...new Set(dropped.map((c) => c.label))];
      const columns = current.columns.filter((c) => !names.has(c.name));
      current = {
        ...current,
        columns,
        notes: [...current.notes, `${words.list(labels)} left out of the adjustment: the other covariates (or a constant) already account for ${labels.length === 1 ? 'it' : 'them'} among these customers.`],
        covariates: current.covariates.filter((v) => columns.some((c) => c.covariate === v.name)),
      };
    }
  }
}
