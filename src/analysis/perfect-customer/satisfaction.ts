import type { RowValue } from '../../engine/types.js';
import { npsDifference, welchDifference, type DifferenceEstimate, type RegressionCoefficient } from '../../stats/index.js';
import { buildDesign, fitDroppingCollinear, type Design } from '../regression/design.js';
import { fitOlsInEngine } from '../regression/sql-fit.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { Behaviour } from './behaviours.js';

/** The satisfaction measure compared: NPS where customers gave one, else CSAT. */
export interface SatisfactionMeasure {
  kind: 'nps' | 'csat';
  /** Per-customer value as SQL: the NPS contribution (+100 promoter, 0 passive, −100 detractor) or the latest CSAT. */
  sql: string;
  unit: string;
  label: string;
}

export interface SatisfactionLink {
  behaviour: Behaviour;
  measure: SatisfactionMeasure;
  /** Adopters minus non-adopters, as they are. */
  raw: DifferenceEstimate;
  /** Adopters minus comparable non-adopters (regression on the covariates, robust errors). */
  adjusted: RegressionCoefficient;
  /** Respondents among adopters and non-adopters. */
  n: [number, number];
  /** Where raw and adjusted tell different stories, in words; null when they agree. */
  disagreement: string | null;
  design: Design;
}

/** NPS when at least one customer in scope has an NPS answer, else CSAT; null when neither. */
export async function satisfactionMeasure(ctx: AnalysisContext, values: SqlValues): Promise<SatisfactionMeasure | null> {
  const d = ctx.engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const [row] = await scopeQuery<{ _nps: RowValue; _csat: RowValue }>(
    ctx,
    scopeSelect(ctx, {
      items: [
        `${stored.has('latest_nps') ? `count(${q('latest_nps')})` : '0'} AS ${q('_nps')}`,
        `${stored.has('latest_csat') ? `count(${q('latest_csat')})` : '0'} AS ${q('_csat')}`,
      ],
    }),
    values,
  );
  const nps = numberOf(row?._nps) ?? 0;
  const csat = numberOf(row?._csat) ?? 0;
  if (nps >= 10) {
    const score = q('latest_nps');
    return {
      kind: 'nps',
      sql: `(CASE WHEN ${score} IS NULL THEN NULL WHEN ${score} >= 9 THEN 100 WHEN ${score} >= 7 THEN 0 ELSE -100 END)`,
      unit: 'points',
      label: 'NPS',
    };
  }
  if (csat >= 10) return { kind: 'csat', sql: d.toDouble(q('latest_csat')), unit: 'points', label: 'CSAT' };
  return null;
}

/**
 * Satisfaction of adopters against non-adopters, raw (NPS difference with its
 * own variance, or Welch for CSAT) and adjusted (least squares of the
 * per-customer score on adoption and the covariates: for NPS the
 * coefficient is an adjusted NPS difference in points).
 */
export async function satisfactionLink(ctx: AnalysisContext, values: SqlValues, behaviour: Behaviour, measure: SatisfactionMeasure, covariates: readonly string[]): Promise<SatisfactionLink | null> {
  const d = ctx.engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const y = measure.sql;
  const rows = await scopeQuery<{ _a: RowValue; _n: RowValue; _p: RowValue; _d: RowValue; _s: RowValue; _ss: RowValue }>(
    ctx,
    scopeSelect(ctx, {
      items: [
        `${behaviour.adopted} AS ${q('_a')}`,
        `count(*) AS ${q('_n')}`,
        `sum(${d.ifThen(`${y} > 0`, '1', '0')}) AS ${q('_p')}`,
        `sum(${d.ifThen(`${y} < 0`, '1', '0')}) AS ${q('_d')}`,
        `sum(${d.toDouble(y)}) AS ${q('_s')}`,
        `sum(${d.toDouble(y)} * ${d.toDouble(y)}) AS ${q('_ss')}`,
      ],
      where: [`${y} IS NOT NULL`],
      groupBy: [behaviour.adopted],
    }),
    values,
  );
  const group = (adopted: number) => rows.find((r) => numberOf(r._a) === adopted);
  const a = group(1);
  const b = group(0);
  const na = numberOf(a?._n) ?? 0;
  const nb = numberOf(b?._n) ?? 0;
  if (na < 5 || nb < 5) return null;
  let raw: DifferenceEstimate;
  if (measure.kind === 'nps') {
    const counts = (r: typeof a) => {
      const n = numberOf(r?._n) ?? 0;
      const promoters = numberOf(r?._p) ?? 0;
      const detractors = numberOf(r?._d) ?? 0;
      return { promoters, detractors, passives: n - promoters - detractors };
    };
    raw = npsDifference(counts(a), counts(b));
  } else {
    const summary = (r: typeof a) => {
      const n = numberOf(r?._n) ?? 0;
      const mean = (numberOf(r?._s) ?? 0) / n;
      const variance = Math.max(0, ((numberOf(r?._ss) ?? 0) - n * mean * mean) / (n - 1));
      return { n, mean, sd: Math.sqrt(variance) };
    };
    raw = welchDifference(summary(a), summary(b));
  }
  const design = await buildDesign(ctx, values, [{ name: 'adopted', label: behaviour.label, sql: behaviour.adopted }], covariates, []);
  const fitted = await fitDroppingCollinear(design, (x) => fitOlsInEngine(ctx, values, x, [{ name: 'score', sql: y }]));
  const fit = fitted.result.get('score');
  const adjusted = fit?.robust.find((c) => c.name === 'adopted');
  if (adjusted === undefined) return null;
  return { behaviour, measure, raw, adjusted, n: [na, nb], disagreement: disagreement(raw, adjusted, measure), design: fitted.design };
}

/** Says where the raw and the adjusted difference tell different stories: opposite signs, or one clear and the other not. */
export function disagreement(raw: { estimate: number; pValue: number }, adjusted: { estimate: number; pValue: number }, measure: { label: string }): string | null {
  const clear = (x: { pValue: number }): boolean => x.pValue < 0.05;
  if (clear(raw) && clear(adjusted) && Math.sign(raw.estimate) !== Math.sign(adjusted.estimate)) {
    return `raw and adjusted ${measure.label} differences point opposite ways: the raw gap comes from who adopts, not from the behaviour`;
  }
  if (clear(raw) && !clear(adjusted)) return `the raw ${measure.label} gap does not survive adjustment: comparable customers who do not adopt score about the same`;
  if (!clear(raw) && clear(adjusted)) return `comparable customers show a ${measure.label} gap that the raw comparison hides`;
  return null;
}
