import {
  fitLogisticIrls,
  logisticNullLogLikelihood,
  normalCdf,
  normalCritical,
  olsFromSufficientStatistics,
  SymmetricSolver,
  type LogisticAggregate,
  type LogisticFit,
  type OlsFit,
  type RegressionCoefficient,
} from '../../stats/index.js';
import { rowSums, type RowValueDef } from '../row-values.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { requiredNumber, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { Design } from './design.js';

/** Fits read complete cases only (their WHERE requires every column, the outcome and the weight), so their row values are never NULL. */
const COMPLETE = { complete: true } as const;

/**
 * Regressions whose data stay in the engine: each fit is a few GROUP-BY-less
 * aggregations over customer_facts (sums of cross-products, mergeable across
 * shards by addition), solved here. One statement per pass, whatever the
 * number of customers.
 */


/** The design's columns as row values `x0` .. `x{p-1}`, as doubles (one type, for the array sums of sumOfProducts). */
function designValues(ctx: AnalysisContext, design: Design): RowValueDef[] {
  return design.columns.map((c, i) => ({ name: `x${i}`, sql: () => `(${ctx.engine.dialect.toDouble(c.sql)})` }));
}

/**
 * Σ weight·left·right for each pair, as SELECT items named name(k): one
 * array aggregate where the dialect has it (sumOfProducts, read back by
 * readSums), else one sum per pair.
 */
function sumsOfProducts(ctx: AnalysisContext, pairs: readonly (readonly [string, string])[], weight: string, name: string): string[] {
  const d = ctx.engine.dialect;
  if (d.sumOfProducts !== undefined && pairs.length > 0) return [`${d.sumOfProducts(pairs, weight)} AS ${d.quoteIdent(name)}`];
  return pairs.map(([a, b], k) => `sum(${weight} * ${a} * ${b}) AS ${d.quoteIdent(`${name}_${k}`)}`);
}

/** The `count` sums sumsOfProducts named `name`, in pair order. */
function readSums(row: Record<string, unknown>, name: string, count: number): number[] {
  const array = row[name];
  if (Array.isArray(array)) {
    if (array.length !== count) throw new Error(`${name} has ${array.length} sums, not ${count}`);
    return array.map((v, k) => requiredNumber(v, `${name}[${k}]`));
  }
  return Array.from({ length: count }, (_, k) => requiredNumber(row[`${name}_${k}`] ?? 0, `${name}_${k}`));
}

/** The upper triangle's pairs (i ≤ j) of p columns, row by row. */
function upperPairs(p: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < p; i += 1) for (let j = i; j < p; j += 1) pairs.push([i, j]);
  return pairs;
}

/** The row count and Σ w·x_i·x_j (upper triangle) as SELECT items over row values. */
function crossProducts(ctx: AnalysisContext, p: number, ref: (name: string) => string, weight: string): string[] {
  const pairs = upperPairs(p).map(([i, j]) => [ref(`x${i}`), ref(`x${j}`)] as const);
  return [`count(*) AS ${ctx.engine.dialect.quoteIdent('_n')}`, ...sumsOfProducts(ctx, pairs, weight, '_m')];
}

function readMatrix(row: Record<string, unknown>, p: number): number[][] {
  const m = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const pairs = upperPairs(p);
  const sums = readSums(row, '_m', pairs.length);
  pairs.forEach(([i, j], k) => {
    const v = sums[k] ?? 0;
    (m[i] as number[])[j] = v;
    (m[j] as number[])[i] = v;
  });
  return m;
}

export interface RobustOlsFit {
  fit: OlsFit;
  /** Coefficients with heteroskedasticity-robust (HC1, White 1980) standard errors, normal intervals. */
  robust: RegressionCoefficient[];
}

/**
 * Weighted least squares of each outcome on the same design (weight 1 when
 * omitted), with HC1 robust standard errors:
 * Cov = n/(n−p) · (X'WX)⁻¹ (Σ w²e²xx') (X'WX)⁻¹. One pass for X'WX and every
 * outcome's X'Wy, then one pass per outcome for the "meat" at its fitted β.
 * Rows are customers, so the robust errors are also cluster-robust by
 * customer. Rows enter where the design's conditions hold and every outcome
 * is present.
 */
export async function fitOlsInEngine(
  ctx: AnalysisContext,
  values: SqlValues,
  design: Design,
  outcomes: readonly { name: string; sql: string }[],
  weight = '1',
): Promise<Map<string, RobustOlsFit>> {
  const d = ctx.engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const p = design.columns.length;
  const where = [...design.where, ...outcomes.map((o) => `${o.sql} IS NOT NULL`)];
  const defs: RowValueDef[] = [
    ...designValues(ctx, design),
    { name: 'w', sql: () => `(${d.toDouble(weight)})` },
    ...outcomes.map((o, k) => ({ name: `y${k}`, sql: () => `(${d.toDouble(o.sql)})` })),
  ];
  const row = await rowSums(ctx, defs, where, (ref) => {
    const items = crossProducts(ctx, p, ref, ref('w'));
    outcomes.forEach((_, k) => {
      items.push(...sumsOfProducts(ctx, design.columns.map((_c, i) => [ref(`x${i}`), ref(`y${k}`)] as const), ref('w'), `_y${k}`));
      items.push(`sum(${ref('w')} * ${ref(`y${k}`)} * ${ref(`y${k}`)}) AS ${q(`_yy${k}`)}`);
    });
    return items;
  }, values, COMPLETE);
  const n = requiredNumber(row['_n'], 'rows');
  const xtx = readMatrix(row, p);
  const names = design.columns.map((c) => c.name);
  const out = new Map<string, RobustOlsFit>();
  for (const [k, outcome] of outcomes.entries()) {
    const xty = readSums(row, `_y${k}`, p);
    const fit = olsFromSufficientStatistics({ names, xtx, xty, yty: requiredNumber(row[`_yy${k}`] ?? 0, "y'y"), n, interceptIndex: 0 });
    const beta = fit.coefficients.map((c) => c.estimate);
    const meatDefs: RowValueDef[] = [
      ...defs,
      { name: 'e', sql: (ref) => `(${ref(`y${k}`)} - (${design.columns.map((_, i) => `${d.literal(beta[i] ?? 0)} * ${ref(`x${i}`)}`).join(' + ')}))` },
      { name: 'we2', sql: (ref) => `(${ref('w')} * ${ref('w')} * ${ref('e')} * ${ref('e')})` },
    ];
    const meatRow = await rowSums(ctx, meatDefs, where, (ref) => crossProducts(ctx, p, ref, ref('we2')), values, COMPLETE);
    const meat = readMatrix(meatRow, p);
    const bread = SymmetricSolver.factor(xtx, names).inverse();
    const scale = n / (n - p);
    const covariance = multiply(multiply(bread, meat), bread).map((r) => r.map((v) => v * scale));
    const z = normalCritical(0.95);
    const robust = fit.coefficients.map((c, i) => {
      const se = Math.sqrt(Math.max(0, covariance[i]?.[i] ?? 0));
      const statistic = se > 0 ? c.estimate / se : 0;
      return {
        name: c.name,
        estimate: c.estimate,
        standardError: se,
        statistic,
        pValue: se > 0 ? 2 * normalCdf(-Math.abs(statistic)) : 1,
        interval: { lower: c.estimate - z * se, upper: c.estimate + z * se, level: 0.95 },
      };
    });
    out.set(outcome.name, { fit, robust });
  }
  return out;
}

function multiply(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  return a.map((row) => (b[0] ?? []).map((_, j) => row.reduce((s, v, k) => s + v * (b[k]?.[j] ?? 0), 0)));
}

/**
 * Logistic regression of a 0/1 SQL expression on the design by IRLS, one
 * aggregation of X'WX, X'Wz and the log-likelihood per step (stats'
 * fitLogisticIrls drives the steps).
 */
export async function fitLogisticInEngine(ctx: AnalysisContext, values: SqlValues, design: Design, y: string): Promise<LogisticFit> {
  const d = ctx.engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const p = design.columns.length;
  const where = [...design.where, `${y} IS NOT NULL`];
  const yy = `(${d.toDouble(y)})`;
  const [counts] = await scopeQuery<Record<string, never>>(ctx, scopeSelect(ctx, { items: [`count(*) AS ${q('_n')}`, `sum(${yy}) AS ${q('_pos')}`], where }), values);
  const n = requiredNumber(counts?.['_n'] ?? 0, 'rows');
  const positives = requiredNumber(counts?.['_pos'] ?? 0, 'positives');
  const aggregateAt = async (beta: number[]): Promise<LogisticAggregate> => {
    const defs: RowValueDef[] = [
      ...designValues(ctx, design),
      { name: 'y', sql: () => yy },
      { name: 'eta', sql: (ref) => `(${design.columns.map((_, i) => `${d.literal(beta[i] ?? 0)} * ${ref(`x${i}`)}`).join(' + ')})` },
      { name: 'mu', sql: (ref) => `(1 / (1 + exp(-${ref('eta')})))` },
      { name: 'w', sql: (ref) => `(${ref('mu')} * (1 - ${ref('mu')}))` },
      {
        name: 'll',
        sql: (ref) => `(${ref('y')} * ${ref('eta')} - ${d.ifThen(`${ref('eta')} > 0`, `${ref('eta')} + ${d.naturalLog(`1 + exp(-${ref('eta')})`)}`, d.naturalLog(`1 + exp(${ref('eta')})`))})`,
      },
    ];
    const row = await rowSums(ctx, defs, where, (ref) => {
      const items = crossProducts(ctx, p, ref, ref('w'));
      items.push(...sumsOfProducts(ctx, design.columns.map((_c, i) => [ref(`x${i}`), `(${ref('w')} * ${ref('eta')} + ${ref('y')} - ${ref('mu')})`] as const), '1', '_v'));
      items.push(`sum(${ref('ll')}) AS ${q('_ll')}`);
      items.push(`sum(${d.ifThen(`${ref('mu')} < 1e-10 OR ${ref('mu')} > 1 - 1e-10`, '1', '0')}) AS ${q('_extreme')}`);
      return items;
    }, values, COMPLETE);
    return {
      xtwx: readMatrix(row, p),
      xtwz: readSums(row, '_v', p),
      logLikelihood: requiredNumber(row['_ll'] ?? 0, 'log-likelihood'),
      n: requiredNumber(row['_n'], 'rows'),
      extremeFitted: requiredNumber(row['_extreme'] ?? 0, 'extreme fits'),
    };
  };
  return fitLogisticIrls(aggregateAt, {
    names: design.columns.map((c) => c.name),
    interceptIndex: 0,
    ...(n > 0 && positives > 0 && positives < n ? { nullLogLikelihood: logisticNullLogLikelihood(positives, n) } : {}),
  });
}
