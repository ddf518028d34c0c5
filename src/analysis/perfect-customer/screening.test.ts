import { beforeAll, describe, expect, it } from 'vitest';
import { chiSquareSf, normalCdf } from '../../stats/index.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { DAYS_PER_MONTH } from './behaviours.js';
import { makeScreeningWorkspace, screenWorkspace } from './screening.case.js';
import { woolfOddsRatio } from './screening.js';

type Row = Record<string, unknown>;

function screeningRows(result: Result): Row[] {
  const t = result.tables.find((x) => x.name === 'behaviour_screening');
  if (t === undefined) throw new Error('no behaviour_screening table');
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]])));
}

/** Hand computation of a 2×2 table: a = doers with the outcome, b = doers without, c = non-doers with, d = non-doers without. */
function hand(a: number, b: number, c: number, d: number) {
  const phi = (a * d - b * c) / Math.sqrt((a + b) * (c + d) * (a + c) * (b + d));
  const zero = [a, b, c, d].some((x) => x === 0);
  const [x, y, z, w] = [a, b, c, d].map((v) => (zero ? v + 0.5 : v)) as [number, number, number, number];
  const or = (x * w) / (y * z);
  const se = Math.sqrt(1 / x + 1 / y + 1 / z + 1 / w);
  const p1 = a / (a + b);
  const p2 = c / (c + d);
  const pooled = (a + c) / (a + b + c + d);
  const zStat = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / (a + b) + 1 / (c + d)));
  // Every customer shares one tenure band here, so the within-tenure test is the CMH test of this one table.
  const n = a + b + c + d;
  const cmh = (a - ((a + b) * (a + c)) / n) ** 2 / (((a + b) * (c + d) * (a + c) * (b + d)) / (n * n * (n - 1)));
  return { phi, or, orLower: or * Math.exp(-1.959963984540054 * se), orUpper: or * Math.exp(1.959963984540054 * se), difference: 100 * (p1 - p2), pooledZ: 2 * normalCdf(-Math.abs(zStat)), p: chiSquareSf(cmh, 1), haldane: zero };
}

describe('woolfOddsRatio', () => {
  it('uses the counts as they are unless a cell is 0, then adds 0.5 to every cell', () => {
    const plain = woolfOddsRatio({ bothYes: 10, onlyFirst: 70, onlySecond: 60, neither: 60 });
    expect(plain.estimate).toBeCloseTo(600 / 4200, 14);
    expect(plain.haldane).toBe(false);
    const se = Math.sqrt(1 / 10 + 1 / 70 + 1 / 60 + 1 / 60);
    expect(plain.interval.lower).toBeCloseTo((600 / 4200) * Math.exp(-1.959963984540054 * se), 12);
    const zero = woolfOddsRatio({ bothYes: 0, onlyFirst: 40, onlySecond: 70, neither: 90 });
    expect(zero.haldane).toBe(true);
    expect(zero.estimate).toBeCloseTo((0.5 * 90.5) / (40.5 * 70.5), 14);
  });
});

describe('behaviour screening on a hand-made workspace with known 2×2 tables', () => {
  let result: Result;
  let rows: Row[];
  const get = (event: string, outcome: string): Row | undefined => rows.find((r) => r['event'] === event && r['outcome'] === outcome);

  beforeAll(async () => {
    const ws = new Workspace(makeScreeningWorkspace());
    await ws.import();
    result = await screenWorkspace(ws);
    rows = screeningRows(result);
  }, 120_000);

  it('counts doers and outcomes exactly, and matches phi, the odds ratio and the difference computed by hand', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const expected: [string, string, number, number, number, number][] = [
      // event, outcome, doers with, doers without, non-doers with, non-doers without
      ['chat_bot', 'retention', 10, 70, 60, 60],
      ['chat_bot', 'satisfaction', 40, 40, 30, 90],
      ['coupon_used', 'retention', 35, 65, 35, 65],
      ['coupon_used', 'satisfaction', 35, 65, 35, 65],
      ['app_review', 'satisfaction', 15, 35, 55, 95],
      ['e_invoice', 'retention', 0, 40, 70, 90],
      ['e_invoice', 'satisfaction', 5, 35, 65, 95],
    ];
    expect(rows).toHaveLength(expected.length);
    for (const [event, outcome, a, b, c, d] of expected) {
      const r = get(event, outcome);
      const h = hand(a, b, c, d);
      expect(r, `${event} ${outcome}`).toMatchObject({ n_doing: a + b, n_not: c + d, outcome_doing: a, outcome_not: c, haldane: h.haldane });
      expect(r?.['share_doing'] as number).toBeCloseTo(a / (a + b), 14);
      expect(r?.['phi'] as number).toBeCloseTo(h.phi, 12);
      expect(r?.['odds_ratio'] as number).toBeCloseTo(h.or, 12);
      expect(r?.['or_lower'] as number).toBeCloseTo(h.orLower, 10);
      expect(r?.['or_upper'] as number).toBeCloseTo(h.orUpper, 10);
      expect(r?.['difference'] as number).toBeCloseTo(h.difference, 10);
      expect(r?.['p_value'] as number).toBeCloseTo(h.p, 12);
      expect(r?.['within_tenure_difference'] as number).toBeCloseTo(h.difference, 10);
      expect(r?.['tenure_bands']).toBe(1);
      expect(r?.['difference_lower'] as number).toBeLessThan(r?.['difference'] as number);
      expect(r?.['difference_upper'] as number).toBeGreaterThan(r?.['difference'] as number);
    }
    // The phi of the independent event is exactly 0 and its odds ratio 1.
    expect(get('coupon_used', 'retention')?.['phi']).toBe(0);
    expect(get('coupon_used', 'retention')?.['odds_ratio']).toBe(1);
  });

  it('passes chat_bot and e_invoice, not the independent coupon_used nor app_review, and ranks retention by money at stake', () => {
    const passing = rows.filter((r) => r['passes'] === true).map((r) => [r['event'], r['outcome'], r['rank']]);
    expect(passing).toEqual([
      ['e_invoice', 'retention', 1],
      ['chat_bot', 'retention', 2],
      ['e_invoice', 'satisfaction', 1],
      ['chat_bot', 'satisfaction', 2],
    ]);
    for (const r of rows.filter((x) => x['passes'] !== true)) expect(r['rank']).toBeNull();
    // q-values: Benjamini-Hochberg over the 7 tests, by hand (step-up from the largest p).
    const ps = rows.map((r) => r['p_value'] as number);
    const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
    const q = new Array<number>(ps.length);
    let running = 1;
    for (let k = order.length; k >= 1; k -= 1) {
      const entry = order[k - 1] as { p: number; i: number };
      running = Math.min(running, (ps.length * entry.p) / k);
      q[entry.i] = running;
    }
    rows.forEach((r, i) => expect(r['q_value'] as number).toBeCloseTo(q[i] as number, 14));
    expect(get('coupon_used', 'satisfaction')?.['q_value']).toBe(1);
    // Money: (churn of non-doers − doers) × 10 points of the non-doers × mean net revenue per customer-month × 12.
    const exposure = 70 * 912 + 130 * 1096;
    const perMonth = ((200 * 100) / exposure) * DAYS_PER_MONTH;
    expect(get('chat_bot', 'retention')?.['money_at_stake'] as number).toBeCloseTo((0.5 - 0.125) * 12 * perMonth * 12, 8);
    expect(get('e_invoice', 'retention')?.['money_at_stake'] as number).toBeCloseTo((70 / 160) * 16 * perMonth * 12, 8);
    expect(get('chat_bot', 'satisfaction')?.['money_at_stake']).toBeNull();
  });

  it('flags retention only by events before the window, and says how many events lacked support', () => {
    // app_review was done only inside the window: no doer for retention, so it is not tested there.
    expect(get('app_review', 'retention')).toBeUndefined();
    expect(result.warnings.join(' ')).toMatch(/app_review \(retention: 0 doing, 200 not\)/);
    expect(rows.some((r) => r['event'] === 'gift_card' || r['event'] === 'future_thing')).toBe(false);
    expect(result.summary[0]).toMatch(/^Behaviour screening: 4 of 5 events seen had enough support \(1 below\)/);
    const method = result.method.assumptions.join(' ');
    expect(method).toMatch(/only when it was seen before the retention window opened \(2025-01-01\)/);
    expect(method).toMatch(/Haldane's correction, only where a cell was 0: e_invoice \(retention\)/);
    expect(method).toMatch(/associations, not effects/);
    expect(method).toMatch(/1 of 5 events were below it \(gift_card: 10 doing\)/);
  });

  it('writes findings with numbers and n, warns that they are associations, and charts the passing ones', () => {
    const retention = result.findings.filter((f) => f.code === 'perfect_customer.screen.retention');
    const satisfaction = result.findings.filter((f) => f.code === 'perfect_customer.screen.satisfaction');
    expect(retention.map((f) => f.estimate)).toEqual([expect.closeTo((-70 / 160) * 100, 9), expect.closeTo(-37.5, 9)]);
    expect(satisfaction).toHaveLength(2);
    const chat = retention[1];
    expect(chat?.text).toMatch(/^Customers who did chat_bot before the window churned less than customers of like tenure who did not \(.37\.5 points, .*\): 12\.5% of 80 doers against 50\.0% of 120 non-doers/);
    expect(chat?.text).toMatch(/odds ratio 0\.14/);
    expect(chat?.text).toMatch(/association, not an effect/);
    expect(chat?.n).toBe(200);
    expect(chat?.moneyAtStake?.period).toBe('year');
    expect(satisfaction[1]?.text).toMatch(/^Customers who did chat_bot are more often satisfied than customers of like tenure who did not \(\+25\.0 points, .*\): 50\.0% of 80 doers against 25\.0% of 120 non-doers are promoters \(NPS 9-10\) over all/);
    const chart = result.charts[0];
    expect(chart?.data.values.map((v) => v['test'])).toEqual(['e_invoice · retention', 'chat_bot · retention', 'e_invoice · satisfaction', 'chat_bot · satisfaction']);
  });
});

describe('behaviour screening with CSAT and with a churn flag without dates', () => {
  let result: Result;
  let rows: Row[];
  const get = (event: string, outcome: string): Row | undefined => rows.find((r) => r['event'] === event && r['outcome'] === outcome);

  beforeAll(async () => {
    const ws = new Workspace(makeScreeningWorkspace({ csat: true, undatedChurn: true }));
    await ws.import();
    result = await screenWorkspace(ws);
    rows = screeningRows(result);
  }, 120_000);

  it('reads satisfaction as the top two CSAT boxes of a 1-5 scale', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    expect(get('chat_bot', 'satisfaction')).toMatchObject({ measure: 'top-two-box CSAT (4-5)', n_doing: 80, outcome_doing: 40, n_not: 120, outcome_not: 30 });
    expect(result.method.assumptions.join(' ')).toMatch(/the top two boxes of CSAT \(latest answer 4 or 5, read as a 1-5 scale/);
  });

  it('flags events by as_of when churn has no dates, and says the flag can follow the outcome', () => {
    // app_review (done inside what would have been the window) now counts for retention: none of its 50 doers churned.
    const h = hand(0, 50, 70, 80);
    expect(get('app_review', 'retention')).toMatchObject({ n_doing: 50, outcome_doing: 0, n_not: 150, outcome_not: 70, haldane: true });
    expect(get('app_review', 'retention')?.['odds_ratio'] as number).toBeCloseTo(h.or, 12);
    expect(get('chat_bot', 'retention')).toMatchObject({ n_doing: 80, outcome_doing: 10 });
    expect(result.method.assumptions.join(' ')).toMatch(/churn has no dates, so an event counts when it was seen by as_of; .*the flag can follow the outcome/);
    const finding = result.findings.find((f) => f.code === 'perfect_customer.screen.retention' && f.text.includes('app_review'));
    expect(finding?.text).toMatch(/^Customers who did app_review churned less than customers of like tenure who did not .*: 0\.0% of 50 doers/);
  });
});
