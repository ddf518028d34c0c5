import { assertInput } from './invalid-input.js';
import { type LogisticAggregate, type LogisticFit, LogisticIrls, type LogisticOptions, logisticNullLogLikelihood } from './logistic-irls.js';

/**
 * Fits a logistic regression where each IRLS step's aggregate comes from the
 * caller — in an analysis, one SQL query of X'WX, X'Wz and the log-likelihood
 * at the coefficients passed in. Starts from β = 0.
 *
 * @example
 * const fit = await fitLogisticIrls((beta) => runIrlsQuery(engine, beta), { names: ['intercept', 'autopay'], interceptIndex: 0 });
 */
export async function fitLogisticIrls(aggregateAt: (coefficients: number[]) => Promise<LogisticAggregate> | LogisticAggregate, options: LogisticOptions): Promise<LogisticFit> {
  const irls = new LogisticIrls(options);
  for (;;) {
    const step = irls.advance(await aggregateAt(irls.current()));
    if (step.done) return step.fit;
  }
}

// log(1 + e^η) without overflow.
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

/** The in-memory twin of the SQL IRLS aggregation, for small data and tests. */
export function logisticAggregate(rows: readonly (readonly number[])[], y: readonly number[], coefficients: readonly number[]): LogisticAggregate {
  const p = coefficients.length;
  const xtwx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xtwz = new Array<number>(p).fill(0);
  let logLikelihood = 0;
  let extremeFitted = 0;
  rows.forEach((row, r) => {
    let eta = 0;
    for (let j = 0; j < p; j += 1) eta += (row[j] ?? 0) * (coefficients[j] ?? 0);
    const mu = 1 / (1 + Math.exp(-eta));
    const w = mu * (1 - mu);
    const target = y[r] ?? 0;
    if (mu < 1e-10 || mu > 1 - 1e-10) extremeFitted += 1;
    logLikelihood += target * eta - softplus(eta);
    const working = w * eta + target - mu;
    for (let i = 0; i < p; i += 1) {
      const xi = row[i] ?? 0;
      xtwz[i] = (xtwz[i] ?? 0) + xi * working;
      const out = xtwx[i] ?? [];
      for (let j = 0; j < p; j += 1) out[j] = (out[j] ?? 0) + w * xi * (row[j] ?? 0);
    }
  });
  return { xtwx, xtwz, logLikelihood, n: rows.length, extremeFitted };
}

/** Logistic regression on in-memory rows (0/1 outcome), through the same IRLS state machine as the SQL path. */
export function fitLogisticInMemory(rows: readonly (readonly number[])[], y: readonly number[], options: LogisticOptions): LogisticFit {
  assertInput(rows.length === y.length, `Got ${rows.length} rows but ${y.length} outcomes.`);
  assertInput(
    y.every((v) => v === 0 || v === 1),
    'A logistic outcome must be coded 0 or 1.',
  );
  const positives = y.reduce<number>((s, v) => s + v, 0);
  const nullLogLikelihood = options.nullLogLikelihood ?? (options.interceptIndex === undefined ? undefined : logisticNullLogLikelihood(positives, y.length));
  const irls = new LogisticIrls({ ...options, ...(nullLogLikelihood === undefined ? {} : { nullLogLikelihood }) });
  for (;;) {
    const step = irls.advance(logisticAggregate(rows, y, irls.current()));
    if (step.done) return step.fit;
  }
}

/** Fitted probability 1/(1 + e^−x'β) for one row. */
export function logisticProbability(coefficients: readonly number[], row: readonly number[]): number {
  let eta = 0;
  coefficients.forEach((b, j) => (eta += b * (row[j] ?? 0)));
  return 1 / (1 + Math.exp(-eta));
}
