import { beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../result.js';
import { importStandardCompany } from '../value/company-workspace.case.js';
import { resultRows } from '../result-rows.case.js';

// fit on the standard simulated company (20,000 customers, seed 1, support
// costs appended). The weights are fitted to the net value customers brought
// over the 12 months after 2025-06-30: the score must rank customers by what
// they went on to bring (calibration rising, tenth by tenth, beyond the
// intervals), and value and retention must come out with their expected
// signs, clearly; a component pointing the wrong way is left out, in words.

let result: Result;


beforeAll(async () => {
  const { ws } = await importStandardCompany('fit-company');
  const { results } = await ws.analyze(['fit'], {}, { fresh: true });
  result = results.find((r) => r.name === 'fit') as Result;
}, 300_000);

describe('fit on the standard simulated company', () => {
  it('fits the weights to the next 12 months of net value, value and retention clearly positive, every weight used in its expected direction', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    expect(resultRows(result, 'fit_scale')[0]?.['weights']).toBe('fitted');
    const c = Object.fromEntries(resultRows(result, 'fit_components').map((x) => [String(x['component']), x]));
    for (const key of ['value', 'retention']) {
      expect(c[key]?.['status'], key).toBe('used');
      expect(c[key]?.['lower'] as number, key).toBeGreaterThan(0);
    }
    expect(c['satisfaction']?.['fitted_weight_per_sd'] as number).toBeGreaterThan(0);
    for (const x of Object.values(c)) {
      const direction = x['direction'] === 'higher is better' ? 1 : -1;
      if (x['status'] === 'used') expect(direction * (x['fitted_weight_per_sd'] as number), String(x['component'])).toBeGreaterThan(0);
      else if (x['status'] === 'left out: against its expected direction') {
        expect(direction * (x['fitted_weight_per_sd'] as number)).toBeLessThan(0);
        expect(result.summary.join(' ')).toContain(`${String(x['label']).slice(1)} gets no weight`);
      }
    }
    // Value per customer-month moves the score most.
    const points = Object.values(c).map((x) => [x['component'], x['points_per_sd'] as number] as const).sort((a, b) => b[1] - a[1]);
    expect(points[0]?.[0]).toBe('value');
  });

  it('is calibrated: the net value of the following 12 months rises with each tenth of the score, within the intervals', () => {
    const deciles = resultRows(result, 'fit_calibration');
    expect(deciles).toHaveLength(10);
    for (let i = 1; i < deciles.length; i += 1) {
      const [before, after] = [deciles[i - 1], deciles[i]];
      // Never clearly lower than the tenth below: its interval reaches the lower tenth's mean.
      expect(after?.['upper'] as number, `tenth ${i + 1}`).toBeGreaterThanOrEqual(before?.['mean_forward_value'] as number);
    }
    expect(deciles[9]?.['lower'] as number).toBeGreaterThan((deciles[0]?.['upper'] as number) + 500);
    expect(result.warnings.filter((w) => w.includes('not monotone'))).toEqual([]);
    const spread = result.findings.find((f) => f.code === 'fit.calibration_spread');
    expect(spread?.interval.lower).toBeGreaterThan(500);
  });

  it('scores every customer, and takes example customers apart', () => {
    expect(resultRows(result, 'fit_distribution').reduce((s, b) => s + ((b['customers'] as number | null) ?? 0), 0)).toBe(20_000);
    const examples = resultRows(result, 'fit_examples');
    expect(examples).toHaveLength(5);
    expect(examples.map((e) => e['score'] as number)).toEqual([...examples.map((e) => e['score'] as number)].sort((a, b) => a - b));
    expect(result.summary.some((s) => /^Customer \S+ scores [\d.]+: [\d.]+ for a customer average on everything/.test(s))).toBe(true);
  });
});
