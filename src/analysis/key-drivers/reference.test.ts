import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../../stats/reference.case.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { makeSurveyWorkspace, type SurveyCustomer } from './survey-workspace.case.js';

interface KeyDriversReference {
  areas: string[];
  responses: { response: string; customer: number; nps: number; ratings: number[] }[];
  correlationWithOutcome: number[];
  rawWeights: number[];
  rSquared: number;
  standardizedCoefficients: number[];
  areaMeans: number[];
}

// Written by reference/compute.py (numpy and statsmodels) from respondents it
// generated and stored in the fixture: 170 responses of 150 customers, 20 of
// whom answered twice under different response ids.
const reference = JSON.parse(readFileSync(new URL('./reference/key-drivers-reference.json', import.meta.url), 'utf8')) as KeyDriversReference;

let result: Result;

beforeAll(async () => {
  const byCustomer = new Map<number, SurveyCustomer>();
  for (const r of reference.responses) {
    const customer = byCustomer.get(r.customer) ?? { id: r.customer, signup: '2024-01-01', segment: 'smb', responses: [] };
    customer.responses.push({ id: r.response, at: '2025-03-01', nps: r.nps, ratings: Object.fromEntries(reference.areas.map((a, i) => [a, r.ratings[i] ?? Number.NaN])) });
    byCustomer.set(r.customer, customer);
  }
  const ws = new Workspace(makeSurveyWorkspace([...byCustomer.values()]));
  await ws.import();
  const [first] = (await ws.analyze(['key-drivers'])).results;
  if (first === undefined) throw new Error('no key-drivers result');
  result = first;
});

const column = (table: string, name: string, area: string): number => {
  const t = result.tables.find((x) => x.name === table);
  const at = t?.columns.findIndex((c) => c.name === name) ?? -1;
  return t?.rows.find((r) => r[0] === area)?.[at] as number;
};

describe('key drivers against numpy and statsmodels on the same 170 responses', () => {
  it('pivot the long answers per response: n, correlations with the outcome and area means (1e-12)', () => {
    expect(result.status).toBe('ok');
    expect(result.findings.find((f) => f.code === 'key-drivers.satisfaction_r_squared')?.n).toBe(170);
    reference.areas.forEach((area, i) => {
      expectClose(column('satisfaction_drivers', 'correlation', area), reference.correlationWithOutcome[i] ?? Number.NaN, 1e-12, 0, `r ${area}`);
      // Performance is the mean rating on 1-5 rescaled to 0-100.
      expectClose(column('importance_performance', 'performance', area), (((reference.areaMeans[i] ?? 0) - 1) / 4) * 100, 1e-12, 0, `performance ${area}`);
    });
  });

  it("match Johnson's raw weights (numpy eigh), R² and standardized coefficients (statsmodels OLS) to 1e-10", () => {
    reference.areas.forEach((area, i) => {
      expectClose(column('satisfaction_drivers', 'raw_weight', area), reference.rawWeights[i] ?? Number.NaN, 1e-10, 0, `raw weight ${area}`);
      expectClose(column('satisfaction_drivers', 'standardized_coefficient', area), reference.standardizedCoefficients[i] ?? Number.NaN, 1e-10, 0, `beta ${area}`);
    });
    expectClose(result.findings.find((f) => f.code === 'key-drivers.satisfaction_r_squared')?.estimate ?? Number.NaN, reference.rSquared, 1e-10, 0, 'R²');
  });
});
