import type { RowValue } from '../../engine/types.js';
import { proportionDifference, type DifferenceEstimate, type LogisticCoefficient } from '../../stats/index.js';
import { buildDesign, fitDroppingCollinear, type Design } from '../regression/design.js';
import { fitLogisticInEngine } from '../regression/sql-fit.js';
import type { RetentionWindow } from '../retention/window.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { Behaviour } from './behaviours.js';

export interface RetentionLink {
  behaviour: Behaviour;
  /** Churn share of adopters minus non-adopters in the window, as they are. */
  raw: DifferenceEstimate;
  churnAdopters: { churned: number; n: number };
  churnOthers: { churned: number; n: number };
  /** Odds ratio of churning for adopters against comparable non-adopters (logistic regression); null when it could not be fitted. */
  adjusted: LogisticCoefficient | null;
  /** Why there is no adjusted estimate, or what the fit warned about. */
  notes: string[];
  /** The design the adjusted model used; null when none was fitted. */
  design: Design | null;
}

/**
 * Churn within the retention window of adopters against non-adopters: the
 * raw difference of shares, and the adjusted odds ratio from a logistic
 * regression of churn on adoption and the covariates (all fixed at
 * acquisition, so none is shaped by the churn it explains).
 */
export async function retentionLink(ctx: AnalysisContext, values: SqlValues, behaviour: Behaviour, window: RetentionWindow, covariates: readonly string[]): Promise<RetentionLink | null> {
  const d = ctx.engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const rows = await scopeQuery<{ _a: RowValue; _n: RowValue; _c: RowValue }>(
    ctx,
    scopeSelect(ctx, {
      items: [`${behaviour.adopted} AS ${q('_a')}`, `count(*) AS ${q('_n')}`, `sum(${window.churned}) AS ${q('_c')}`],
      where: [window.eligible],
      groupBy: [behaviour.adopted],
    }),
    values,
  );
  const group = (adopted: number) => {
    const r = rows.find((x) => numberOf(x._a) === adopted);
    return { churned: numberOf(r?._c) ?? 0, n: numberOf(r?._n) ?? 0 };
  };
  const adopters = group(1);
  const others = group(0);
  if (adopters.n < 5 || others.n < 5) return null;
  const raw = proportionDifference({ count: adopters.churned, n: adopters.n }, { count: others.churned, n: others.n });
  const notes: string[] = [];
  let adjusted: LogisticCoefficient | null = null;
  let used: Design | null = null;
  const churners = adopters.churned + others.churned;
  if (churners < 10 || adopters.n + others.n - churners < 10) {
    notes.push('too few churners (or stayers) in the window for an adjusted model');
  } else {
    const design = await buildDesign(ctx, values, [{ name: 'adopted', label: behaviour.label, sql: behaviour.adopted }], covariates, [window.eligible]);
    try {
      const { result: fit, design: fitted } = await fitDroppingCollinear(design, (x) => fitLogisticInEngine(ctx, values, x, window.churned));
      used = fitted;
      adjusted = fit.coefficients.find((c) => c.name === 'adopted') ?? null;
      notes.push(...fit.warnings);
      if (!fit.converged) notes.push('the logistic regression did not converge; its odds ratio is not shown');
      if (!fit.converged) adjusted = null;
    } catch (error) {
      notes.push(`no adjusted model: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { behaviour, raw, churnAdopters: adopters, churnOthers: others, adjusted, notes, design: used };
}
