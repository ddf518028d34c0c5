import type { RegressionCoefficient } from '../../stats/index.js';
import type { Design } from '../regression/design.js';
import { fitDroppingCollinear } from '../regression/design.js';
import { fitOlsInEngine } from '../regression/sql-fit.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { ComponentSpec } from './components.js';
import { measuredQuery, type Measured } from './measured.js';
import type { ComponentKey } from './settings.js';

/** Customers needed at the calibration date per weight fitted (with an intercept). */
export const CUSTOMERS_PER_WEIGHT = 20;
/** And at least this many in all. */
export const MINIMUM_CALIBRATION_CUSTOMERS = 100;

/** Mean and standard deviation of one component over some customers, and how many measure it. */
export interface ComponentMoments {
  n: number;
  mean: number;
  sd: number;
}

export interface Moments {
  customers: number;
  byComponent: Record<ComponentKey, ComponentMoments>;
  /** Sum and sum of squares of forward net value (calibration only). */
  forward: { sum: number; squares: number } | null;
}

/** One query: per component the count, mean and standard deviation (population) over the measured customers. */
export async function componentMoments(ctx: AnalysisContext, m: Measured, specs: readonly ComponentSpec[]): Promise<Moments> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const items = [`count(*) AS ${q('_n')}`];
  specs.forEach((s, i) => {
    const x = m.x[s.key];
    items.push(`count(${x}) AS ${q(`_c${i}`)}`, `sum(${x}) AS ${q(`_s${i}`)}`, `sum(${x} * ${x}) AS ${q(`_q${i}`)}`);
  });
  if (m.forward !== null) items.push(`sum(${m.forward}) AS ${q('_fs')}`, `sum(${d.toDouble(m.forward)} * ${d.toDouble(m.forward)}) AS ${q('_fq')}`);
  const sql = scopeSelect(ctx, { items, ...(m.join === null ? {} : { join: m.join }), where: m.where });
  const [row] = await measuredQuery(ctx, m, sql);
  const get = (name: string): number => numberOf(row?.[name]) ?? 0;
  const byComponent = {} as Record<ComponentKey, ComponentMoments>;
  specs.forEach((s, i) => {
    const n = get(`_c${i}`);
    const mean = n > 0 ? get(`_s${i}`) / n : 0;
    const variance = n > 0 ? Math.max(0, get(`_q${i}`) / n - mean * mean) : 0;
    // Values that are all equal can leave a rounding residue: no spread below a millionth of the mean's size.
    const sd = Math.sqrt(variance) > 1e-9 * Math.max(1, Math.abs(mean)) ? Math.sqrt(variance) : 0;
    byComponent[s.key] = { n, mean, sd };
  });
  return { customers: get('_n'), byComponent, forward: m.forward === null ? null : { sum: get('_fs'), squares: get('_fq') } };
}

/** A component as the calibration regression saw it. */
export interface CalibratedComponent {
  spec: ComponentSpec;
  /** Mean and SD at the calibration date (the standardisation). */
  moments: ComponentMoments;
  /** Fitted per SD (all components that entered the first fit), before the sign check. */
  unconstrained: RegressionCoefficient | null;
  /** Final per SD: 0 when left out. */
  perSd: number;
  leftOut: string | null;
}

export interface Calibration {
  customers: number;
  components: CalibratedComponent[];
  /** Intercept: the mean forward value at the mean of every component kept. */
  intercept: number;
  rSquared: number;
  /** Mean forward net value over the calibration customers. */
  meanForward: number;
}

/** The standardised component as a design column: z = (x − mean) / sd, 0 where not measured. */
function zSql(ctx: Pick<AnalysisContext, 'engine'>, x: string, moments: ComponentMoments): string {
  const d = ctx.engine.dialect;
  return `COALESCE((${x} - ${d.literal(moments.mean)}) / ${d.literal(moments.sd)}, ${d.toDouble('0')})`;
}

/**
 * The weights by least squares of forward net value on the standardised
 * components (WLS with HC1 errors, in SQL: fitOlsInEngine), over the
 * customers who had started by the calibration date; a component whose
 * weight comes out against its expected direction is left out (weight 0)
 * and the rest fitted again, until every weight points the expected way.
 * The measured customers' query runs with the history join as part of the
 * FROM (the scope's table), so the regression's passes read the same rows.
 */
export async function calibrateWeights(ctx: AnalysisContext, m: Measured, specs: readonly ComponentSpec[], moments: Moments): Promise<Calibration> {
  if (m.forward === null) throw new Error('calibration needs the forward net value');
  const joined: AnalysisContext = {
    ...ctx,
    scope: { ...ctx.scope, table: m.join === null ? ctx.scope.table : `${ctx.scope.table} ${m.join}`, params: { ...ctx.scope.params, ...m.params } },
  };
  const components: CalibratedComponent[] = specs.map((spec) => {
    const mo = moments.byComponent[spec.key];
    const leftOut = spec.missing !== null ? `not measured: ${spec.missing}` : mo.n === 0 ? 'no customer has it at the calibration date' : mo.sd === 0 ? 'the same for every customer at the calibration date' : null;
    return { spec, moments: mo, unconstrained: null, perSd: 0, leftOut };
  });
  const design = (kept: readonly CalibratedComponent[]): Design => ({
    columns: [
      { name: 'intercept', label: 'intercept', sql: '1', covariate: null },
      ...kept.map((c) => ({ name: c.spec.key, label: c.spec.label, sql: zSql(ctx, m.x[c.spec.key], c.moments), covariate: c.spec.key })),
    ],
    where: m.where,
    notes: [],
    covariates: kept.map((c) => ({ name: c.spec.key, label: c.spec.label })),
  });
  const outcome = [{ name: 'forward', sql: ctx.engine.dialect.toDouble(m.forward) }];
  let kept = components.filter((c) => c.leftOut === null);
  let first = true;
  for (;;) {
    const { result, design: used } = await fitDroppingCollinear(design(kept), (x) => fitOlsInEngine(joined, m.values, x, outcome));
    const fit = result.get('forward');
    if (fit === undefined) throw new Error('the calibration regression returned no fit');
    for (const c of kept) {
      if (!used.columns.some((col) => col.name === c.spec.key)) c.leftOut = 'explained by the other components among these customers (collinear)';
    }
    kept = kept.filter((c) => c.leftOut === null);
    const byName = new Map(fit.robust.map((r) => [r.name, r]));
    if (first) for (const c of kept) c.unconstrained = byName.get(c.spec.key) ?? null;
    first = false;
    const against = kept
      .map((c) => ({ c, t: ((byName.get(c.spec.key)?.estimate ?? 0) * c.spec.expectedSign) / Math.max(byName.get(c.spec.key)?.standardError ?? 1, 1e-300) }))
      .filter((x) => x.t < 0)
      .sort((a, b) => a.t - b.t);
    const worst = against[0];
    if (worst !== undefined) {
      worst.c.leftOut = 'against its expected direction';
      kept = kept.filter((c) => c !== worst.c);
      continue;
    }
    for (const c of kept) c.perSd = byName.get(c.spec.key)?.estimate ?? 0;
    const intercept = byName.get('intercept')?.estimate ?? 0;
    const forward = moments.forward ?? { sum: 0, squares: 0 };
    return { customers: moments.customers, components, intercept, rSquared: fit.fit.rSquared, meanForward: moments.customers > 0 ? forward.sum / moments.customers : 0 };
  }
}
