import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { standardCompany } from '../../../test/helpers/company.js';
import { initWorkspace } from '../../init/index.js';
import { readTruth, type Truth } from '../../simulate/truth.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { importCached } from '../../../test/helpers/import-cache.js';

// The standard simulated company (20,000 customers, seed 1) through init and
// import with the config init wrote, unedited. truth.json's `drivers` holds
// the relative weights of the 8 rated areas against Q1 (NPS), realised on the
// very responses the survey export holds, and the weak area planted with the
// lowest ratings.

let truth: Truth;
let result: Result;

const row = (table: string, label: string): Record<string, unknown> => {
  const t = result.tables.find((x) => x.name === table);
  const r = t?.rows.find((cells) => cells[1] === label);
  return Object.fromEntries((t?.columns ?? []).map((c, i) => [c.name, r?.[i]]));
};

beforeAll(async () => {
  const company = standardCompany();
  truth = await readTruth(join(company, 'truth.json'));
  const dir = mkdtempSync(join(tmpdir(), 'cxray-key-drivers-sim-'));
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  await initWorkspace({ dir, from: files, force: false });
  const ws = new Workspace(dir);
  await importCached(ws);
  const started = performance.now();
  const [first] = (await ws.analyze(['key-drivers'])).results;
  process.stderr.write(`key-drivers on the 20k company (DuckDB): ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (first === undefined) throw new Error('no key-drivers result');
  result = first;
}, 300_000);

describe('key drivers recover the planted drivers of the simulated company', () => {
  it('explains the NPS question by the 8 areas over the responses truth.json realised the weights on', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    expect(result.summary[0]).toMatch(/^Satisfaction is read from the NPS question/);
    const r2 = result.findings.find((f) => f.code === 'key-drivers.satisfaction_r_squared');
    expect(r2?.n).toBe(truth.drivers.realised.responses);
    // truth.json rounds to 6 decimals; the responses are the same, so only that rounding separates them.
    expect(Math.abs((r2?.estimate ?? 0) - truth.drivers.realised.rSquared)).toBeLessThan(1e-6);
    expect(r2?.interval.lower).toBeLessThan(truth.drivers.realised.rSquared);
    expect(r2?.interval.upper).toBeGreaterThan(truth.drivers.realised.rSquared);
  });

  it("covers every area's realised relative weight with its 95% interval", () => {
    expect(result.findings.filter((f) => f.code === 'key-drivers.satisfaction_weight')).toHaveLength(8);
    for (const area of truth.drivers.areas) {
      const r = row('satisfaction_drivers', area.label);
      const raw = truth.drivers.realised.relativeWeights[area.key] ?? Number.NaN;
      const share = truth.drivers.realised.relativeWeightShares[area.key] ?? Number.NaN;
      // Same responses: the point estimates equal the realised ones up to truth.json's 6-decimal rounding.
      expect(Math.abs((r['raw_weight'] as number) - raw), area.key).toBeLessThan(1e-6);
      expect(Math.abs((r['share'] as number) - share), area.key).toBeLessThan(1e-6);
      // No tolerance on coverage: the interval must contain the realised weight.
      expect(r['raw_lower'] as number, area.key).toBeLessThanOrEqual(raw);
      expect(r['raw_upper'] as number, area.key).toBeGreaterThanOrEqual(raw);
      expect(r['share_lower'] as number, area.key).toBeLessThanOrEqual(share);
      expect(r['share_upper'] as number, area.key).toBeGreaterThanOrEqual(share);
      expect(r['direction'], area.key).toBe('positive');
    }
  });

  it('names the top driver and the weak high-importance area to fix first, as planted', () => {
    const shares = truth.drivers.realised.relativeWeightShares;
    const top = truth.drivers.areas.reduce((a, b) => ((shares[b.key] ?? 0) > (shares[a.key] ?? 0) ? b : a));
    expect(row('satisfaction_drivers', top.label)['rank']).toBe(1);
    expect(result.findings.find((f) => f.code === 'key-drivers.satisfaction_weight')?.text).toMatch(new RegExp(`^${top.label} is the largest driver of likelihood to recommend`));
    const weak = truth.drivers.areas.find((a) => a.key === truth.drivers.weakArea);
    const fix = result.findings.find((f) => f.code === 'key-drivers.fix_first');
    expect(fix?.text).toMatch(new RegExp(`^Fix ${weak?.label ?? '?'} first:`));
    expect(fix?.qValue).toBeLessThan(0.05);
    expect(row('importance_performance', weak?.label ?? '')['quadrant']).toBe('fix first');
    // Performance: the realised mean rating on 1-5 rescaled to 0-100 (mean over the same responses).
    const mean = truth.drivers.realised.areaMeans[truth.drivers.weakArea] ?? 0;
    expect(Math.abs((row('importance_performance', weak?.label ?? '')['performance'] as number) - ((mean - 1) / 4) * 100)).toBeLessThan(1e-4);
    process.stderr.write(`fix-first finding: ${fix?.text ?? '(none)'}\n`);
  });

  it('weighs retention drivers over the fixed window, with intervals', () => {
    const weights = result.findings.filter((f) => f.code === 'key-drivers.retention_weight');
    expect(weights.length).toBeGreaterThan(2);
    for (const w of weights) {
      expect(w.interval.lower).toBeLessThanOrEqual(w.estimate);
      expect(w.interval.upper).toBeGreaterThanOrEqual(w.estimate);
    }
    expect(result.method.assumptions.join(' ')).toMatch(/Retention over a fixed window/);
    process.stderr.write(`retention: ${result.summary.find((s) => s.startsWith('Retention')) ?? ''}\nwarnings:\n${result.warnings.join('\n')}\n`);
  });
});
