import { describe, expect, it } from 'vitest';
import { auc, aucFromBins } from './auc.js';
import { CollinearPredictorsError } from './collinear-predictors-error.js';
import { fitLogisticInMemory, fitLogisticIrls, logisticAggregate, logisticProbability } from './logistic-fit.js';
import { logisticIrlsStep, logisticNullLogLikelihood } from './logistic-irls.js';
import { expectAllClose, expectClose, loadReference } from './reference.case.js';

interface LogisticReference {
  names: string[];
  rows: number[][];
  y: number[];
  coefficients: number[];
  standardErrors: number[];
  z: number[];
  pValues: number[];
  lower: number[];
  upper: number[];
  oddsRatios: number[];
  logLikelihood: number;
  nullLogLikelihood: number;
  pseudoRSquared: number;
  likelihoodRatioPValue: number;
  auc: number;
}
interface AucReference {
  scores: number[];
  labels: number[];
  auc: number;
  delongAuc: number;
  standardError: number;
  level: number;
  lower: number;
  upper: number;
}

const reference = loadReference<LogisticReference>('logistic.json');
const aucReference = loadReference<AucReference>('auc.json');
// statsmodels' Newton and our IRLS converge to the same maximum; 1e-6 is the stated contract.
const TOLERANCE = 1e-6;

describe('logistic regression by IRLS against statsmodels Logit (relative 1e-6)', () => {
  const fit = fitLogisticInMemory(reference.rows, reference.y, { names: reference.names, interceptIndex: 0 });

  it('converges and matches coefficients, SEs, z, p, Wald intervals and odds ratios', () => {
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(12);
    expect(fit.warnings).toEqual([]);
    expectAllClose(fit.coefficients.map((c) => c.estimate), reference.coefficients, TOLERANCE, 0, 'b');
    expectAllClose(fit.coefficients.map((c) => c.standardError), reference.standardErrors, TOLERANCE, 0, 'se');
    expectAllClose(fit.coefficients.map((c) => c.statistic), reference.z, TOLERANCE, 0, 'z');
    expectAllClose(fit.coefficients.map((c) => c.pValue), reference.pValues, TOLERANCE, 1e-300, 'p');
    expectAllClose(fit.coefficients.map((c) => c.interval.lower), reference.lower, TOLERANCE, 0, 'lower');
    expectAllClose(fit.coefficients.map((c) => c.interval.upper), reference.upper, TOLERANCE, 0, 'upper');
    expectAllClose(fit.coefficients.map((c) => c.oddsRatio), reference.oddsRatios, TOLERANCE, 0, 'OR');
    fit.coefficients.forEach((c) => {
      expectClose(c.oddsRatioInterval.lower, Math.exp(c.interval.lower), 1e-15, 0, 'OR lower');
      expectClose(c.oddsRatioInterval.upper, Math.exp(c.interval.upper), 1e-15, 0, 'OR upper');
    });
  });

  it('matches the log-likelihood, null log-likelihood, McFadden R² and LR p-value', () => {
    expectClose(fit.logLikelihood, reference.logLikelihood, 1e-10, 0, 'LL');
    // statsmodels fits the null model iteratively (≈1e-10 off); ours is the closed form n·[ȳ ln ȳ + (1−ȳ) ln(1−ȳ)].
    expectClose(fit.nullLogLikelihood ?? 0, reference.nullLogLikelihood, 1e-9, 0, 'LL0');
    expectClose(fit.pseudoRSquared ?? 0, reference.pseudoRSquared, TOLERANCE, 0, 'R²');
    expectClose(fit.likelihoodRatioPValue ?? 0, reference.likelihoodRatioPValue, TOLERANCE, 1e-300, 'LR p');
  });

  it('gives the same fit through the async step-by-step driver (the SQL path)', async () => {
    const aggregateCalls: number[][] = [];
    const viaSteps = await fitLogisticIrls(
      async (beta) => {
        aggregateCalls.push(beta);
        return logisticAggregate(reference.rows, reference.y, beta);
      },
      { names: reference.names, interceptIndex: 0, nullLogLikelihood: logisticNullLogLikelihood(reference.y.filter((v) => v === 1).length, reference.y.length) },
    );
    expect(aggregateCalls[0]).toEqual([0, 0, 0, 0]);
    expect(viaSteps.iterations).toBe(aggregateCalls.length);
    expectAllClose(viaSteps.coefficients.map((c) => c.estimate), fit.coefficients.map((c) => c.estimate), 1e-14, 1e-14, 'same b');
    expectClose(viaSteps.likelihoodRatioPValue ?? 0, fit.likelihoodRatioPValue ?? 1, 1e-14, 0, 'same LR p');
  });

  it('AUC of the fitted probabilities matches scikit-learn', () => {
    const scores = reference.rows.map((row) => logisticProbability(fit.coefficients.map((c) => c.estimate), row));
    expectClose(auc(scores, reference.y).estimate, reference.auc, 1e-9, 0, 'AUC');
  });

  it('a single step from β = 0 is weighted least squares on the working response', () => {
    const aggregate = logisticAggregate(reference.rows, reference.y, [0, 0, 0, 0]);
    // At β = 0: w = ¼ and X'Wz = X'(y − ½), so the first step solves X'X·β = 4·X'(y − ½).
    const step = logisticIrlsStep(aggregate, reference.names);
    const xtx = aggregate.xtwx.map((row) => row.map((v) => 4 * v));
    const residual = reference.names.map((_, j) => reference.rows.reduce((s, row, r) => s + (row[j] ?? 0) * ((reference.y[r] ?? 0) - 0.5), 0));
    xtx.forEach((row, i) => expectClose(row.reduce((s, v, j) => s + v * (step[j] ?? 0), 0), 4 * (residual[i] ?? 0), 1e-10, 1e-10, `normal eq ${i}`));
  });
});

describe('logistic regression failure modes', () => {
  it('names collinear predictors', () => {
    const rows = reference.rows.map((row) => [...row, 2 * (row[2] ?? 0)]);
    expect(() => fitLogisticInMemory(rows, reference.y, { names: [...reference.names, 'tenure_doubled'] })).toThrow(CollinearPredictorsError);
  });

  it('warns instead of pretending when a predictor separates the outcome', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [1, i]);
    const y = rows.map((row) => ((row[1] ?? 0) >= 20 ? 1 : 0));
    const fit = fitLogisticInMemory(rows, y, { names: ['intercept', 'x'], interceptIndex: 0 });
    expect(fit.converged).toBe(false);
    expect(fit.warnings.join(' ')).toMatch(/separates the outcome/);
  });

  it('rejects outcomes that are not 0/1', () => {
    expect(() => fitLogisticInMemory([[1], [1]], [0, 2], { names: ['intercept'] })).toThrow(/0 or 1/);
  });
});

describe('AUC (Mann–Whitney with ties) and DeLong interval', () => {
  it('matches scikit-learn and a direct O(n₁n₀) DeLong computation', () => {
    const result = auc(aucReference.scores, aucReference.labels, aucReference.level);
    expectClose(result.estimate, aucReference.auc, 1e-12, 0, 'AUC vs sklearn');
    expectClose(result.estimate, aucReference.delongAuc, 1e-12, 0, 'AUC vs DeLong');
    expectClose(result.standardError, aucReference.standardError, 1e-10, 0, 'SE');
    expectClose(result.interval.lower, aucReference.lower, 1e-10, 0, 'lower');
    expectClose(result.interval.upper, aucReference.upper, 1e-10, 0, 'upper');
  });

  it('gives the same answer from merged score bins as from rows (the SQL GROUP BY path)', () => {
    const bins = new Map<number, { score: number; positives: number; negatives: number }>();
    aucReference.scores.forEach((score, i) => {
      const bin = bins.get(score) ?? { score, positives: 0, negatives: 0 };
      if (aucReference.labels[i] === 1) bin.positives += 1;
      else bin.negatives += 1;
      bins.set(score, bin);
    });
    const fromBins = aucFromBins([...bins.values()].reverse());
    const fromRows = auc(aucReference.scores, aucReference.labels);
    expect(fromBins.estimate).toBeCloseTo(fromRows.estimate, 14);
    expect(fromBins.standardError).toBeCloseTo(fromRows.standardError, 14);
  });

  it('is ½ for all-tied scores and 1 for perfect separation', () => {
    expect(auc([3, 3, 3, 3], [1, 0, 1, 0]).estimate).toBe(0.5);
    const perfect = auc([1, 2, 3, 4], [0, 0, 1, 1]);
    expect(perfect.estimate).toBe(1);
    expect(perfect.interval.upper).toBe(1);
  });
});
