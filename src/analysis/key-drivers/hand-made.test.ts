import { beforeAll, describe, expect, it } from 'vitest';
import { relativeWeights } from '../../stats/index.js';
import { Workspace } from '../../workspace/workspace.js';
import { resultSchema, type Result } from '../result.js';
import { leakAndCollinearCustomers, makeSurveyWorkspace, type SurveyCustomer } from './survey-workspace.case.js';

async function imported(dir: string): Promise<Workspace> {
  const ws = new Workspace(dir);
  await ws.import();
  return ws;
}

async function keyDrivers(dir: string | Workspace, filter: { segment?: string; from?: string; to?: string } = {}): Promise<Result> {
  const ws = typeof dir === 'string' ? await imported(dir) : dir;
  const { results } = await ws.analyze(['key-drivers'], filter);
  const [result] = results;
  if (result === undefined) throw new Error('no key-drivers result');
  expect(resultSchema.safeParse(result).success).toBe(true);
  return result;
}

/** Pearson correlations of in-memory columns: the small-data twin of the SQL sums. */
function correlations(columns: readonly number[][]): number[][] {
  const n = columns[0]?.length ?? 0;
  const mean = columns.map((c) => c.reduce((s, x) => s + x, 0) / n);
  const cov = columns.map((a, i) => columns.map((b, j) => a.reduce((s, x, r) => s + (x - (mean[i] ?? 0)) * ((b[r] ?? 0) - (mean[j] ?? 0)), 0)));
  return cov.map((row, i) => row.map((v, j) => v / Math.sqrt((cov[i]?.[i] ?? 1) * (cov[j]?.[j] ?? 1))));
}

const cell = (result: Result, table: string, driver: string, column: string): unknown => {
  const t = result.tables.find((x) => x.name === table);
  const at = t?.columns.findIndex((c) => c.name === column) ?? -1;
  return t?.rows.find((r) => r[0] === driver)?.[at];
};

describe('key drivers on a hand-made survey where the answer is known by construction', () => {
  const customers = leakAndCollinearCustomers();
  let ws: Workspace;
  let result: Result;
  beforeAll(async () => {
    ws = await imported(makeSurveyWorkspace(customers));
    result = await keyDrivers(ws);
  });

  it('names the area that is the outcome itself as a leak and leaves it out of the weights', () => {
    expect(result.status).toBe('ok');
    const leak = result.warnings.find((w) => w.startsWith('Satisfaction drivers: Speed nearly is likelihood to recommend'));
    expect(leak).toMatch(/r = 1\.00 over 60 responses\): a likely leak or a definitional link/);
    expect(cell(result, 'excluded_drivers', 'satisfaction', 'reason')).toBeDefined();
    const excluded = result.tables.find((t) => t.name === 'excluded_drivers')?.rows.filter((r) => r[0] === 'satisfaction').map((r) => [r[1], r[2]]);
    expect(excluded).toEqual([
      ['Speed', 'leak'],
      ['Support copy', 'collinear'],
    ]);
  });

  it('names the two identical areas as collinear and keeps one of them', () => {
    expect(result.warnings).toContain(
      'Satisfaction drivers: Support and Support copy are nearly collinear (r = 1.00): they measure much the same thing, so their weights split what they share; read them together.',
    );
    expect(result.warnings.some((w) => w.includes('Support copy is fully determined by Support (collinear)'))).toBe(true);
  });

  it('weighs the remaining drivers exactly as the in-memory computation on the same 60 responses (1e-12)', () => {
    const y = customers.map((c) => c.responses[0]?.nps ?? Number.NaN);
    const rating = (area: string): number[] => customers.map((c) => c.responses[0]?.ratings[area] ?? Number.NaN);
    const expected = relativeWeights(correlations([rating('Support'), rating('Price'), y]), ['Support', 'Price', 'y'], 'y');
    const weights = result.findings.filter((f) => f.code === 'key-drivers.satisfaction_weight');
    expect(weights.map((f) => f.text.split(' is ')[0])).toEqual(['Support', 'Price']);
    for (const w of expected.weights) {
      expect(cell(result, 'satisfaction_drivers', w.name, 'raw_weight')).toBeCloseTo(w.rawWeight, 12);
      expect(cell(result, 'satisfaction_drivers', w.name, 'share')).toBeCloseTo(w.rescaledWeight, 12);
      expect(cell(result, 'satisfaction_drivers', w.name, 'standardized_coefficient')).toBeCloseTo(w.standardizedCoefficient, 12);
      const lower = cell(result, 'satisfaction_drivers', w.name, 'share_lower') as number;
      const upper = cell(result, 'satisfaction_drivers', w.name, 'share_upper') as number;
      expect(lower).toBeLessThanOrEqual(upper);
    }
    const r2 = result.findings.find((f) => f.code === 'key-drivers.satisfaction_r_squared');
    expect(r2?.estimate).toBeCloseTo(expected.rSquared, 12);
    expect(r2?.n).toBe(60);
    expect(r2?.interval.lower).toBeLessThan(r2?.interval.upper ?? 0);
  });

  it('leaves out a flag no adopter churned with, and warns that tenure is no lever', () => {
    const retention = result.warnings.filter((w) => w.startsWith('Retention drivers:'));
    expect(retention.some((w) => w.includes('Automatic payment (adopted, as at as_of) separates churn within the 12 months from 2025-01-01 almost perfectly: none of the 30 customers with it churned within the window.'))).toBe(
      true,
    );
    expect(retention.some((w) => /tenure at 2025-01-01 \(months\) carries \d+\.\d% of the explained variation in churn .* the company cannot change it/.test(w))).toBe(true);
    const weights = result.findings.filter((f) => f.code === 'key-drivers.retention_weight');
    expect(weights.length).toBe(4);
    expect(weights.every((f) => f.n === 60)).toBe(true);
    expect(result.method.assumptions.join(' ')).toMatch(/linear probability model/);
  });

  it('has the importance x performance matrix with one point per weighed area and quadrant rules', () => {
    const chart = result.charts.find((c) => c.title === 'Importance x performance of the experience areas');
    expect(chart?.data.values.map((v) => v['area']).sort()).toEqual(['Price', 'Support']);
    const matrix = result.tables.find((t) => t.name === 'importance_performance');
    expect(matrix?.rows.map((r) => r[0])).toEqual(['Price', 'Speed', 'Support', 'Support copy']);
    // Price averages (1+2+3+4+5)/5 = 3 over the 60 responses: (3 - 1) / 4 = 50 out of 100.
    expect(cell(result, 'importance_performance', 'Price', 'performance')).toBeCloseTo(50, 12);
  });

  it('works for a segment: the same checks and weights over the retail customers only (every third id)', async () => {
    const retail = customers.filter((c) => c.segment === 'retail');
    const segment = await keyDrivers(ws, { segment: 'segment = retail' });
    // Among these 20, Support follows the NPS answer even more closely (r = 0.96): a leak there too.
    expect(segment.warnings.some((w) => w.startsWith('Satisfaction drivers: Support nearly is likelihood to recommend (r = 0.96 over 20 responses)'))).toBe(true);
    const y = retail.map((c) => c.responses[0]?.nps ?? Number.NaN);
    const price = retail.map((c) => c.responses[0]?.ratings['Price'] ?? Number.NaN);
    const expected = relativeWeights(correlations([price, y]), ['Price', 'y'], 'y');
    expect(segment.findings.find((f) => f.code === 'key-drivers.satisfaction_r_squared')).toMatchObject({ n: 20, estimate: expect.closeTo(expected.rSquared, 12) });
    expect(cell(segment, 'satisfaction_drivers', 'Price', 'raw_weight')).toBeCloseTo(expected.weights[0]?.rawWeight ?? Number.NaN, 12);
  });

  it('works for a period: answers outside it do not count (every answer is from 2024)', async () => {
    const later = await keyDrivers(ws, { from: '2025-01-01' });
    expect([later.status, later.reason]).toEqual(['skipped', expect.stringMatching(/^No customer in scope answered a survey question/)]);
    const earlier = await keyDrivers(ws, { from: '2024-01-01', to: '2024-12-31' });
    expect(earlier.findings.find((f) => f.code === 'key-drivers.satisfaction_r_squared')?.estimate).toBe(result.findings.find((f) => f.code === 'key-drivers.satisfaction_r_squared')?.estimate);
  });
});

describe('key drivers when the data cannot carry them', () => {
  it('withholds weights with too few complete responses for the drivers (8 responses, 3 areas)', async () => {
    const few: SurveyCustomer[] = Array.from({ length: 8 }, (_, k) => ({
      id: k + 1,
      signup: '2024-01-01',
      segment: 'smb',
      responses: [{ at: '2025-03-01', nps: (k * 3) % 11, ratings: { Speed: 1 + (k % 5), Price: 1 + ((k * 2) % 5), Support: 1 + ((k * 3) % 5) } }],
    }));
    const result = await keyDrivers(makeSurveyWorkspace(few));
    expect(result.status).toBe('ok');
    expect(result.warnings).toContain(
      'Satisfaction drivers: Too few complete responses for 3 drivers: 8, fewer than 10 per driver (30 needed), so weights would be noise and are not reported.',
    );
    expect(result.findings.filter((f) => f.code.startsWith('key-drivers.satisfaction'))).toEqual([]);
    expect(result.summary.join(' ')).toMatch(/status_changes/);
  });

  it('runs on an undated churn flag, stating the assumption in the method and as a warning', async () => {
    const undated = leakAndCollinearCustomers().map((c) => (c.churnedAt === undefined ? c : { ...c, churnedAt: '2025-12-31' }));
    const result = await keyDrivers(makeSurveyWorkspace(undated));
    expect(result.status).toBe('ok');
    expect(result.method.assumptions.some((a) => a.startsWith('Every churn is dated at as_of'))).toBe(true);
    expect(result.warnings.some((w) => w.startsWith('Retention drivers: Every churn is dated at as_of'))).toBe(true);
    expect(result.summary.join(' ')).toMatch(/churn \(an undated flag\)/);
  });

  it('skips, saying why, when the survey rates fewer than two areas', async () => {
    const one: SurveyCustomer[] = Array.from({ length: 12 }, (_, k) => ({
      id: k + 1,
      signup: '2024-01-01',
      segment: 'smb',
      responses: [{ at: '2025-03-01', nps: k % 11, ratings: { Speed: 1 + (k % 5) } }],
    }));
    const result = await keyDrivers(makeSurveyWorkspace(one));
    expect(result.status).toBe('skipped');
    expect(result.reason).toMatch(/at least two experience areas .* only Speed/);
  });
});
