import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardCompany } from '../../test/helpers/company.js';
import { observedScaleWeights } from './observed-scale-weights.js';
import { AREAS, PLANTED_R_SQUARED } from './satisfaction.js';
import { truthSchema } from './truth.js';

describe('the planted driver weights on the scales the survey records', () => {
  const weights = observedScaleWeights();

  it('are fixed, sum to their R², and sit below the latent R² (rounding and clamping weaken correlations)', () => {
    expect(observedScaleWeights(50_000)).toEqual(observedScaleWeights(50_000));
    expect(weights.relativeWeights.reduce((s, w) => s + w, 0)).toBeCloseTo(weights.rSquared, 12);
    expect(weights.relativeWeightShares.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    expect(weights.rSquared).toBeLessThan(PLANTED_R_SQUARED);
    expect(weights.rSquared).toBeGreaterThan(0.45);
  });

  // The standard company's realised weights (its 16k responses) scatter around
  // the population's: each share within 0.02 (about 3 standard errors of a
  // share at this n, from the bootstrap intervals key-drivers reports).
  it('agree with the weights realised in a simulated company of 20k customers', () => {
    const truth = truthSchema.parse(JSON.parse(readFileSync(join(standardCompany(), 'truth.json'), 'utf8')));
    expect(truth.drivers.planted.observedScale.rSquared).toBeCloseTo(weights.rSquared, 6);
    AREAS.forEach((area, i) => {
      expect(Math.abs((truth.drivers.realised.relativeWeightShares[area.key] ?? 0) - (weights.relativeWeightShares[i] ?? 0)), area.key).toBeLessThan(0.02);
    });
    expect(Math.abs(truth.drivers.realised.rSquared - weights.rSquared)).toBeLessThan(0.02);
  });
});
