import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../seeded-random.case.js';
import { readCdnowCustomers } from './cdnow-fixture.case.js';
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood, type SpendRow } from './gamma-gamma.js';
import { drawGamma } from './purchase-simulation.case.js';

/* Published numbers: ../shared/data/cdnow/EXPECTED.md ([FHL05b], [FH13] note 025, [LT] lifetimes). */
const customers = readCdnowCustomers();
const repeatBuyers: SpendRow[] = customers.filter((c) => c.x > 0).map((c) => ({ x: c.x, meanSpend: c.meanSpend, count: 1 }));
const fit = fitGammaGamma(repeatBuyers);
const relative = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

describe('Gamma-Gamma spend model on CDNOW’s 946 repeat buyers', () => {
  it('reads the published input: 946 repeat buyers with mean z̄ $35.0786', () => {
    expect(repeatBuyers.length).toBe(946);
    expect(repeatBuyers.reduce((sum, row) => sum + row.meanSpend, 0) / 946).toBeCloseTo(35.078551797, 6);
  });

  it('matches p, q, γ = 6.25, 3.74, 15.44 within 1%', () => {
    expect(fit.converged).toBe(true);
    expect(relative(fit.params.p, 6.25)).toBeLessThan(0.01);
    expect(relative(fit.params.q, 3.74)).toBeLessThan(0.01);
    expect(relative(fit.params.gamma, 15.44)).toBeLessThan(0.01);
    expect(fit.n).toBe(946);
  });

  it('gives E(M | x, z̄) for IDs 1-10 within 0.1 of the Hardie spreadsheet [LT]', () => {
    const published = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    customers.slice(0, 10).forEach((c, i) => expect(Math.abs(gammaGammaExpectedSpend(fit.params, c) - (published[i] ?? 0))).toBeLessThan(0.1));
  });

  it('averages E(M) over all 2,357 customers to [LT-doc]’s 35.2530 (±0.01)', () => {
    const mean = customers.reduce((sum, c) => sum + gammaGammaExpectedSpend(fit.params, c), 0) / customers.length;
    expect(Math.abs(mean - 35.2529588256)).toBeLessThan(0.01);
  });

  it('raises no signal issue on CDNOW (FHL05b found spend and frequency nearly uncorrelated)', () => {
    expect(fit.signal).toEqual({ hasSignal: true, issues: [] });
  });

  it('has intervals that contain the estimates and a finite population mean (q > 1)', () => {
    for (const name of ['p', 'q', 'gamma'] as const) {
      const { interval, standardError } = fit.parameters[name];
      expect(standardError).toBeGreaterThan(0);
      expect(interval.lower).toBeLessThan(fit.params[name]);
      expect(interval.upper).toBeGreaterThan(fit.params[name]);
    }
    expect(fit.params.q).toBeGreaterThan(1);
  });

  it('is at a maximum: nudging any parameter lowers the log-likelihood', () => {
    const best = gammaGammaLogLikelihood(fit.params, repeatBuyers);
    for (const name of ['p', 'q', 'gamma'] as const) {
      for (const factor of [0.99, 1.01]) expect(gammaGammaLogLikelihood({ ...fit.params, [name]: fit.params[name] * factor }, repeatBuyers)).toBeLessThan(best);
    }
  });
});

describe('Gamma-Gamma signal check', () => {
  it('fires when every customer has the same typical spend (ν fixed), and stays quiet when ν varies', () => {
    const simulate = (drawNu: (random: SeededRandom) => number, seed: number): SpendRow[] => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 2000 }, () => {
        const x = 1 + Math.floor(random.uniform() * 8);
        const nu = drawNu(random);
        let total = 0;
        for (let i = 0; i < x; i += 1) total += drawGamma(random, 4, nu);
        return { x, meanSpend: total / x, count: 1 };
      });
    };
    const flat = fitGammaGamma(simulate(() => 0.1, 11));
    expect(flat.signal.hasSignal).toBe(false);
    expect(flat.signal.issues.map((issue) => issue.code)).toContain('no_spend_heterogeneity');
    const varied = fitGammaGamma(simulate((random) => drawGamma(random, 3, 0.6), 12));
    expect(varied.signal.hasSignal).toBe(true);
    expect(relative(varied.params.q, 3)).toBeLessThan(0.25);
  });
});
