import { beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../../simulate/truth.js';
import { importStandardCompany } from '../value/company-workspace.case.js';
import { resultRows } from '../result-rows.case.js';
import type { Result } from '../result.js';

// The standard simulated company (20,000 customers, seed 1) through init and
// import with the config init wrote. The simulator plants Billing and
// payments as the weak area (truth.json drivers.weakArea, a latent offset
// of −0.8 against +0.15 to +0.75 for the others): it must rank weak, and no
// area planted above the average offset may be called weak. The scores are
// the realised mean ratings truth.json records (over the same responses).

let truth: Truth;
let result: Result;
let keyDrivers: Result;

beforeAll(async () => {
  const company = await importStandardCompany('scorecard');
  truth = company.truth;
  const started = performance.now();
  const { results } = await company.ws.analyze(['key-drivers', 'scorecard']);
  process.stderr.write(`key-drivers + scorecard on the 20k company (DuckDB): ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const [kd, sc] = [results.find((r) => r.name === 'key-drivers'), results.find((r) => r.name === 'scorecard')];
  if (kd === undefined || sc === undefined) throw new Error('missing results');
  [keyDrivers, result] = [kd, sc];
}, 300_000);

const byLabel = (label: string): Record<string, unknown> => resultRows(result, 'scorecard_areas').find((r) => r['label'] === label) ?? {};

describe('the scorecard of the simulated company', () => {
  it('ranks the planted weak area weak, and no area planted above the average weak', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const weak = truth.drivers.areas.find((a) => a.key === truth.drivers.weakArea);
    expect(byLabel(weak?.label ?? '')['status']).toBe('weak');
    const offsets = truth.drivers.planted.latentAreaOffsets;
    const average = Object.values(offsets).reduce((s, x) => s + x, 0) / Object.values(offsets).length;
    for (const area of truth.drivers.areas.filter((a) => (offsets[a.key] ?? 0) > average)) expect([area.key, byLabel(area.label)['status']]).not.toEqual([area.key, 'weak']);
    process.stderr.write(`${resultRows(result, 'scorecard_areas').map((r) => `${String(r['label'])}: ${(r['score'] as number).toFixed(1)} [${(r['lower'] as number).toFixed(1)}, ${(r['upper'] as number).toFixed(1)}] ${String(r['status'])} (planted offset ${offsets[truth.drivers.areas.find((a) => a.label === r['label'])?.key ?? ''] ?? '?'})`).join('\n')}\n`);
    process.stderr.write(`summary:\n${result.summary.join('\n')}\n`);
  });

  it("scores each area as truth.json's realised mean rating on 0-100, and says to fix the weak area first when key-drivers weighs it at an equal share or more", () => {
    for (const area of truth.drivers.areas) {
      const mean = truth.drivers.realised.areaMeans[area.key] ?? Number.NaN;
      // truth.json rounds the means to 6 decimals: 25 × 5e-7 on 0-100.
      expect(Math.abs((byLabel(area.label)['score'] as number) - ((mean - 1) / 4) * 100), area.key).toBeLessThan(2e-5);
      expect(byLabel(area.label)['responses']).toBe(truth.drivers.realised.responses);
    }
    const weak = truth.drivers.areas.find((a) => a.key === truth.drivers.weakArea);
    const driver = resultRows(keyDrivers, 'satisfaction_drivers').find((r) => r['label'] === weak?.label);
    const important = (driver?.['share'] as number) >= 1 / truth.drivers.areas.length;
    expect(byLabel(weak?.label ?? '')['quadrant']).toBe(important ? 'fix first' : 'low priority');
    const finding = result.findings.find((f) => f.code === 'scorecard.weak_area' && f.text.startsWith(`${weak?.label ?? '?'} is weak:`));
    expect(finding?.text).toMatch(/against \d+\.\d overall \(n = 16,100 responses\); it is the .* important driver of NPS/);
  });

  it('follows NPS and CSAT by month over every answer, and lists the characteristics nothing measures', () => {
    const series = resultRows(result, 'satisfaction_over_time');
    expect(new Set(series.map((r) => r['period_unit']))).toEqual(new Set(['month']));
    expect(series.filter((r) => r['instrument'] === 'nps').reduce((s, r) => s + (r['answers'] as number), 0)).toBe(truth.drivers.realised.responses);
    const notMeasured = resultRows(result, 'scorecard_characteristics').filter((r) => r['measured'] === 'not measured').map((r) => r['characteristic']);
    expect(notMeasured).toEqual(['fair_treatment', 'beyond_expected', 'whole_person']);
    process.stderr.write(`findings:\n${result.findings.map((f) => `${f.code}: ${f.text}`).join('\n')}\n`);
  });
});
