import { describe, expect, it } from 'vitest';
import { SeededRandom, seedList } from '../seeded-random.case.js';
import { BG_NBD_PARAMETERS, fitBgNbd, type BgNbdParams } from './bg-nbd.js';
import { bgNbdExpectedPurchases } from './bg-nbd-expectations.js';
import { compressFrequencyRows } from './frequency-rows.js';
import { holdoutComparison } from './holdout-table.js';
import { fitParetoNbd } from './pareto-nbd.js';
import { drawBeta, drawGamma, simulatePurchases, type SimulatedCustomer } from './purchase-simulation.case.js';

/*
 * Planted truth: BG/NBD customers simulated from known parameters (5,000 per
 * replicate, ages uniform on 26-52 weeks, 26-week holdout), and a company with
 * no signal at all (one purchase rate for everyone, nobody leaves).
 */
const TRUTH: BgNbdParams = { r: 0.5, alpha: 5, a: 0.8, b: 2.5 };

function plantedCompany(seed: number): SimulatedCustomer[] {
  return simulatePurchases(new SeededRandom(seed), {
    customers: 5000,
    rate: (random) => drawGamma(random, TRUTH.r, TRUTH.alpha),
    dropout: (random) => drawBeta(random, TRUTH.a, TRUTH.b),
    age: (random) => 26 + 26 * random.uniform(),
    holdoutLength: 26,
  });
}

function signalFreeCompany(seed: number): SimulatedCustomer[] {
  return simulatePurchases(new SeededRandom(seed), { customers: 5000, rate: () => 0.1, dropout: () => 0, age: (random) => 26 + 26 * random.uniform(), holdoutLength: 26 });
}

const holdoutRows = (company: SimulatedCustomer[]) => company.map((c) => ({ ...c, count: 1 }));

describe('BG/NBD recovers planted parameters', () => {
  const seeds = seedList(20, 41_000);
  const fits = seeds.map((seed) => fitBgNbd(compressFrequencyRows(plantedCompany(seed))));

  it('first replicate: converged, signal found, and every 95% interval covers its planted value', () => {
    const fit = fits[0];
    expect(fit?.converged).toBe(true);
    expect(fit?.signal).toEqual({ hasSignal: true, issues: [] });
    for (const name of BG_NBD_PARAMETERS) {
      const { lower, upper } = fit?.parameters[name].interval ?? { lower: 0, upper: 0 };
      expect(lower).toBeLessThanOrEqual(TRUTH[name]);
      expect(upper).toBeGreaterThanOrEqual(TRUTH[name]);
    }
  });

  it('over 20 replicates the 80 intervals cover at least 68 times (expected 76; 68 is 4 SD low)', () => {
    let covered = 0;
    for (const fit of fits) {
      for (const name of BG_NBD_PARAMETERS) {
        const { lower, upper } = fit.parameters[name].interval;
        if (lower <= TRUTH[name] && TRUTH[name] <= upper) covered += 1;
      }
    }
    expect(covered).toBeGreaterThanOrEqual(68);
  });

  it('standard errors match the spread of estimates across replicates (ratio in [0.6, 1.6] per log-parameter)', () => {
    // With 20 replicates the sample SD is within ±40% of the truth with probability > 0.99 (χ²₁₉).
    BG_NBD_PARAMETERS.forEach((name, i) => {
      const logs = fits.map((fit) => Math.log(fit.params[name]));
      const mean = logs.reduce((sum, v) => sum + v, 0) / logs.length;
      const sd = Math.sqrt(logs.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (logs.length - 1));
      const meanSe = fits.reduce((sum, fit) => sum + Math.sqrt(fit.logCovariance?.[i]?.[i] ?? Number.NaN), 0) / fits.length;
      expect(meanSe / sd).toBeGreaterThan(0.6);
      expect(meanSe / sd).toBeLessThan(1.6);
    });
  });

  it('predicts the simulated holdout better than a common rate does', () => {
    const company = plantedCompany(seeds[0] ?? 0);
    const comparison = holdoutComparison(holdoutRows(company), (t, history) => bgNbdExpectedPurchases(fits[0]?.params ?? TRUTH, t, history));
    expect(comparison.skill).toBeGreaterThan(0.2);
    expect(comparison.issue).toBeNull();
  });
});

describe('the signal check fires when purchase history carries no signal', () => {
  const seeds = seedList(10, 52_000);
  const companies = seeds.map(signalFreeCompany);
  const fits = companies.map((company) => fitBgNbd(compressFrequencyRows(company)));

  it('BG/NBD: no better than one common rate in at least 8 of 10 companies (the test has size ≤ 5%)', () => {
    const fired = fits.filter((fit) => fit.signal.issues.some((issue) => issue.code === 'no_better_than_common_rate'));
    expect(fired.length).toBeGreaterThanOrEqual(8);
    for (const fit of fired) expect(fit.signal.hasSignal).toBe(false);
  });

  it('BG/NBD: the parameters sit at a boundary (one common rate or no dropout) in every company', () => {
    for (const fit of fits) {
      const codes = fit.signal.issues.map((issue) => issue.code);
      expect(codes.includes('no_rate_heterogeneity') || codes.includes('no_dropout')).toBe(true);
    }
  });

  it('BG/NBD: the holdout predictions are no better than the common mean in every company', () => {
    companies.forEach((company, i) => {
      const comparison = holdoutComparison(holdoutRows(company), (t, history) => bgNbdExpectedPurchases(fits[i]?.params ?? TRUTH, t, history));
      expect(comparison.issue?.code).toBe('no_better_than_mean_in_holdout');
      expect(comparison.skill).toBeLessThan(0.02);
    });
  });

  it('Pareto/NBD: the same company has no signal either', () => {
    const fit = fitParetoNbd(compressFrequencyRows(companies[0] ?? []));
    expect(fit.signal.hasSignal).toBe(false);
    expect(fit.signal.issues.map((issue) => issue.code)).toContain('no_better_than_common_rate');
  });
});
