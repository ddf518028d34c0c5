import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandMadeCompany } from '../../src/analysis/perfect-customer/hand-made-company.case.js';
import { whatIfSchema, type WhatIf } from '../../src/analysis/perfect-customer/what-if.js';
import type { Result } from '../../src/analysis/result.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { Workspace, type WhatIfAnswer } from '../../src/workspace/workspace.js';
import { cxray } from '../helpers/cli.js';

/**
 * The hand-made company of src/analysis/perfect-customer/perfect-customer.test.ts
 * (100 customers, autopay for 1-40, adopters NPS 100 against -50, a flat
 * handling cost of 10 a contact with 1 contact for adopters and 3 for the
 * rest), plus churn on 2025-10-01 for adopters 1-4 and non-adopters 41-58
 * (10% against 30%, half of each on either segment), a 6-month retention
 * window (everyone signed up 2025-01-01, so all are in it), and adjustment
 * for the segment only, which is balanced: adjusted equals raw.
 */
function makeCompany(withChurn = true): string {
  return makeHandMadeCompany({ churn: withChurn, extraConfig: 'retention_window_months: 6\nadjust_for: [segment]' });
}

function estimated<P extends WhatIf['money'] | WhatIf['satisfaction'] | WhatIf['retention']>(part: P): Extract<P, { status: 'estimated' }> {
  if (part.status !== 'estimated') throw new Error(`missing: ${part.reason}`);
  return part as Extract<P, { status: 'estimated' }>;
}

const rowsOf = (result: Result | undefined, name: string) => {
  const t = result?.tables.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no table ${name}`);
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i]])));
};

describe('what-if on the hand-made company', () => {
  let dir: string;
  let ws: Workspace;
  let answer: WhatIfAnswer;
  beforeAll(async () => {
    dir = makeCompany();
    const run = cxray(['import', '--workspace', dir]);
    expect(run.code, run.stderr).toBe(0);
    ws = new Workspace(dir);
    answer = await ws.whatif({ behaviour: 'autopay', points: 10 });
  });

  it('the library answers money, satisfaction and retention from the perfect-customer result', async () => {
    const [result] = (await ws.analyze(['perfect-customer'])).results;
    const value = result?.findings.find((f) => f.code === 'perfect_customer.value.autopay');
    const w = answer.whatIf;
    expect(whatIfSchema.safeParse(w).success).toBe(true);
    expect(w).toMatchObject({ behaviour: 'autopay', label: 'automatic payment', customers: 100, adoptionShare: 0.4, newAdopters: 10 });
    // The money at stake of the value finding is stated for 10 points: the same number.
    const money = estimated(w.money);
    expect(money.estimate).toBeCloseTo(10 * 12 * (value?.estimate ?? Number.NaN), 9);
    expect(money.estimate).toBeCloseTo(value?.moneyAtStake?.amount ?? Number.NaN, 9);
    expect(money.estimate).toBeGreaterThan(0);
    // NPS 100 against -50, adjusted the same: 10% of the base moving 150 points is +15.
    expect(estimated(w.satisfaction).estimate).toBeCloseTo(15, 6);
    // Churn 30% for non-adopters; adopters' odds ratio (4/36)/(18/42): the converted churn at 10%, so 10% x -20 points.
    const retention = estimated(w.retention);
    expect(retention.churnNow).toBeCloseTo(0.3, 12);
    expect(retention.oddsRatio).toBeCloseTo(4 / 36 / (18 / 42), 4);
    expect(retention.churnConverted).toBeCloseTo(0.1, 4);
    expect(retention.estimate).toBeCloseTo(-2, 3);
    expect(retention.interval.lower).toBeLessThan(retention.estimate);
    expect(retention.interval.upper).toBeGreaterThan(retention.estimate);
  });

  it('puts a what_if table in the Result: 5, 10 and 20 points, as whatIf answers them', async () => {
    const [result] = (await ws.analyze(['perfect-customer'])).results;
    const rows = rowsOf(result, 'what_if');
    expect(rows.map((r) => r['points'])).toEqual([5, 10, 20]);
    const ten = rows.find((r) => r['points'] === 10);
    const w = answer.whatIf;
    expect(ten).toMatchObject({ behaviour: 'autopay', n: 100, new_adopters: 10, satisfaction_measure: 'NPS', note: null });
    expect(ten?.['money_per_year'] as number).toBeCloseTo(estimated(w.money).estimate, 9);
    expect(ten?.['satisfaction_change'] as number).toBeCloseTo(15, 6);
    expect(ten?.['churn_change'] as number).toBeCloseTo(estimated(w.retention).estimate, 9);
    expect(ten?.['churn_lower'] as number).toBeCloseTo(estimated(w.retention).interval.lower, 9);
  });

  it('cxray whatif prints the same answer as JSON, --behavior accepted, and as text', () => {
    const run = cxray(['whatif', '--workspace', dir, '--behaviour', 'autopay', '--points', '10', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as WhatIfAnswer;
    expect(doc).toMatchObject({ workspace: dir, importVersion: 1, segment: null });
    expect(doc.whatIf).toEqual(answer.whatIf);
    const us = cxray(['whatif', '--workspace', dir, '--behavior', 'autopay', '--points', '10', '--json']);
    expect((JSON.parse(us.stdout) as WhatIfAnswer).whatIf).toEqual(answer.whatIf);
    const text = cxray(['whatif', '--workspace', dir, '--behaviour', 'autopay', '--points', '10']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('What if 10 more points of customers adopted automatic payment (autopay)?');
    expect(text.stdout).toContain(estimated(answer.whatIf.money).sentence);
    expect(text.stdout).toMatch(/assumes: It assumes new adopters gain what comparable adopters show/);
    expect(text.stdout).toMatch(/Retention:\n {2}10\.0 more points .* churn share of the retention window by about −2\.00 points/);
  });

  it('cxray whatif answers for a segment', () => {
    const run = cxray(['whatif', '--workspace', dir, '--behaviour', 'autopay', '--points', '20', '--segment', 'segment = north', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as WhatIfAnswer;
    expect(doc.segment).toBe('segment = north');
    expect(doc.whatIf).toMatchObject({ customers: 50, adoptionShare: 0.4, newAdopters: 10 });
  });

  it('cxray whatif: an unknown behaviour names the nearest, bad points and a missing flag are exit 1', () => {
    const unknown = cxray(['whatif', '--workspace', dir, '--behaviour', 'autopy', '--points', '10', '--json']);
    expect(unknown.code).toBe(1);
    const error = (JSON.parse(unknown.stdout) as { error: { code: string; hint: string } }).error;
    expect(error.code).toBe('unknown_behaviour');
    expect(error.hint).toMatch(/Did you mean "autopay"\?/);
    const points = cxray(['whatif', '--workspace', dir, '--behaviour', 'autopay', '--points', '150']);
    expect(points.code).toBe(1);
    expect(points.stderr).toMatch(/error: Points must be a number from 0 to 100, not "150"\.\nhint: /);
    expect(points.stderr).not.toMatch(/\n\s+at /);
    const noPoints = cxray(['whatif', '--workspace', dir, '--behaviour', 'autopay', '--json']);
    expect(noPoints.code).toBe(1);
    expect((JSON.parse(noPoints.stdout) as { error: { code: string } }).error.code).toBe('usage');
    const noBehaviour = cxray(['whatif', '--workspace', dir, '--points', '10', '--json']);
    expect(noBehaviour.code).toBe(1);
    expect((JSON.parse(noBehaviour.stdout) as { error: { code: string } }).error.code).toBe('bad_argument');
    const help = cxray(['whatif', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
  });

  describe('GET /api/whatif', () => {
    let server: RunningServer;
    const auth = { authorization: 'Bearer s3cret' };
    beforeAll(async () => {
      server = await startServer(new Workspace(dir), { host: '127.0.0.1', port: 0, token: 's3cret' });
    });
    afterAll(async () => {
      await server.close();
    });

    it('answers as the library does, behind the token', async () => {
      expect((await fetch(new URL('/api/whatif?behaviour=autopay&points=10', server.url))).status).toBe(401);
      const res = await fetch(new URL('/api/whatif?behaviour=autopay&points=10', server.url), { headers: auth });
      expect(res.status).toBe(200);
      expect(((await res.json()) as WhatIfAnswer).whatIf).toEqual(answer.whatIf);
      const segment = await fetch(new URL(`/api/whatif?behavior=autopay&points=20&segment=${encodeURIComponent('segment = north')}`, server.url), { headers: auth });
      expect(((await segment.json()) as WhatIfAnswer).whatIf.customers).toBe(50);
    });

    it('is a 400 with the message and hint for bad input', async () => {
      const cases: [string, string, RegExp, RegExp][] = [
        ['behaviour=autopay&points=abc', 'bad_points', /not "abc"/, /from 0 to 100/],
        ['behaviour=autopy&points=10', 'unknown_behaviour', /No behaviour "autopy"/, /Did you mean "autopay"/],
        ['points=10', 'bad_argument', /which behaviour/, /behaviours in cxray\.yaml/],
        ['behaviour=autopay&points=5&segment=nosuchcolumn%20%3D%201', '', /nosuchcolumn/, /./],
      ];
      for (const [query, code, detail, hint] of cases) {
        const res = await fetch(new URL(`/api/whatif?${query}`, server.url), { headers: auth });
        expect(res.status, query).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        const body = (await res.json()) as { status: number; code: string; detail: string; hint: string };
        expect(body.status).toBe(400);
        if (code !== '') expect(body.code, query).toBe(code);
        expect(body.detail, query).toMatch(detail);
        expect(body.hint, query).toMatch(hint);
      }
    });
  });
});

describe('what-if where no churn is known', () => {
  it('says retention is missing and why, and still answers money and satisfaction', async () => {
    const dir = makeCompany(false);
    const ws = new Workspace(dir);
    await ws.import();
    const { whatIf } = await ws.whatif({ behaviour: 'autopay', points: 5 });
    expect(whatIf.retention).toEqual({ status: 'missing', reason: expect.stringMatching(/^Retention is not compared: no churn is known/) });
    expect(estimated(whatIf.satisfaction).estimate).toBeCloseTo(7.5, 6);
    expect(estimated(whatIf.money).estimate).toBeGreaterThan(0);
    const [result] = (await ws.analyze(['perfect-customer'])).results;
    const five = rowsOf(result, 'what_if').find((r) => r['points'] === 5);
    expect(five?.['churn_change']).toBeNull();
    expect(five?.['note']).toMatch(/retention: Retention is not compared/);
  });
});
