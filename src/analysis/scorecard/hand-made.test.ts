import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { md5Hash64 } from '../../engine/portable-hash.js';
import { npsInterval, wilsonInterval } from '../../stats/index.js';
import { Workspace } from '../../workspace/workspace.js';
import { BOOTSTRAP_BLOCKS, type BlockSums } from '../block-bootstrap.js';
import { resultRows } from '../result-rows.case.js';
import { resultSchema, type Result } from '../result.js';
import { clusteredMean, clusteredSlope } from './clustered-mean.js';
import { answersOf, CUSTOMERS, makeScorecardWorkspace, RESPONSE_DATES } from './hand-made.case.js';

// The hand-made company of hand-made.case.ts: 420 customers answering twice,
// every figure known by construction. Billing scores 25, Support 75, Price
// and Speed 50, so the overall (the average of the four) is 50: Billing is
// weak, Support strong, the others average. Speed rises one step of the
// 1-5 scale in the 365 days between the two responses: 25 points a year.

const ids = Array.from({ length: CUSTOMERS }, (_, k) => k + 1);
const blockOf = (i: number): number => Number(md5Hash64(String(i)) % BigInt(BOOTSTRAP_BLOCKS));

/** The block sums of one area's responses (value and day relative to as_of), as the engine must compute them. */
function twinBlocks(value: (i: number, k: number) => number): BlockSums[] {
  const asOf = Date.parse('2025-12-31T00:00:00Z');
  const byBlock = new Map<number, Record<string, number>>();
  for (const i of ids) {
    RESPONSE_DATES.forEach((date, k) => {
      const t = Math.trunc((Date.parse(`${date}T00:00:00Z`) - asOf) / 86_400_000);
      const y = value(i, k);
      const s = byBlock.get(blockOf(i)) ?? { m: 0, y: 0, t: 0, tt: 0, ty: 0 };
      byBlock.set(blockOf(i), { m: (s['m'] ?? 0) + 1, y: (s['y'] ?? 0) + y, t: (s['t'] ?? 0) + t, tt: (s['tt'] ?? 0) + t * t, ty: (s['ty'] ?? 0) + t * y });
    });
  }
  return [...byBlock.entries()].map(([block, sums]) => ({ block, sums }));
}

const NAMES = { m: 'm', y: 'y', t: 't', tt: 'tt', ty: 'ty' };
const toHundred = (x: number): number => ((x - 1) / 4) * 100;

async function scorecard(ws: Workspace, filter: { segment?: string; from?: string; to?: string } = {}): Promise<{ result: Result; keyDrivers: Result | undefined }> {
  const { results } = await ws.analyze(['scorecard'], filter);
  const result = results.find((r) => r.name === 'scorecard');
  if (result === undefined) throw new Error('no scorecard result');
  expect(resultSchema.safeParse(result).success).toBe(true);
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  const kd = await ws.analyze(['key-drivers'], filter);
  return { result, keyDrivers: kd.results[0] };
}

const row = (result: Result, table: string, key: string, value: unknown): Record<string, unknown> => {
  const found = resultRows(result, table).find((r) => r[key] === value);
  if (found === undefined) throw new Error(`no ${table} row with ${key} = ${String(value)}`);
  return found;
};

describe('the scorecard of the hand-made company', () => {
  let ws: Workspace;
  let result: Result;
  let keyDrivers: Result | undefined;
  beforeAll(async () => {
    ws = new Workspace(makeScorecardWorkspace());
    await ws.import();
    ({ result, keyDrivers } = await scorecard(ws));
  }, 120_000);

  it('scores each area as its mean rating on 0-100 and rates it against the overall: Billing weak, Support strong, the others average', () => {
    const areas = resultRows(result, 'scorecard_areas');
    expect(areas.map((r) => [r['area'], r['responses'], r['status']])).toEqual([
      ['billing', 840, 'weak'],
      ['support', 840, 'strong'],
      ['price', 840, 'average'],
      ['speed', 840, 'average'],
    ]);
    const scores = areas.map((r) => r['score'] as number);
    [25, 75, 50, 50].forEach((expected, k) => expect(scores[k]).toBeCloseTo(expected, 12));
    expect(areas[0]?.['overall'] as number).toBeCloseTo(50, 12);
    // The same number as key-drivers' performance (the same responses, the same mean).
    for (const r of areas) expect(row(keyDrivers as Result, 'importance_performance', 'area', r['area'])['performance'] as number).toBeCloseTo(r['score'] as number, 12);
  });

  it("has the clustered interval the engine-free twin gives over the customers' hash blocks, about √2 wider than responses taken as independent", () => {
    const twin = clusteredMean(
      twinBlocks((i) => answersOf(i).billing),
      NAMES,
    );
    if (twin === null) throw new Error('no twin');
    const billing = row(result, 'scorecard_areas', 'area', 'billing');
    expect(billing['lower'] as number).toBeCloseTo(toHundred(twin.interval.lower), 10);
    expect(billing['upper'] as number).toBeCloseTo(toHundred(twin.interval.upper), 10);
    // Each customer gives the same Billing rating twice: key-drivers' t interval over responses is too narrow by about √2.
    const naive = row(keyDrivers as Result, 'importance_performance', 'area', 'billing');
    const ratio = ((billing['upper'] as number) - (billing['lower'] as number)) / ((naive['performance_upper'] as number) - (naive['performance_lower'] as number));
    expect(ratio).toBeGreaterThan(1.35);
    expect(ratio).toBeLessThan(1.48);
  });

  it('finds Speed rising by 25 points a year (6.25 a quarter) with the twin’s cluster-robust interval; the steady areas show no trend', () => {
    const speed = row(result, 'scorecard_areas', 'area', 'speed');
    expect(speed['trend_per_quarter'] as number).toBeCloseTo((25 / 365) * 91.3125, 9);
    const twin = clusteredSlope(
      twinBlocks((i, k) => answersOf(i).speed[k] ?? 0),
      NAMES,
    );
    expect(speed['trend_lower'] as number).toBeCloseTo((twin?.interval.lower ?? 0) * 25 * 91.3125, 9);
    expect(result.findings.filter((f) => f.code === 'scorecard.trend').map((f) => f.text)).toEqual([expect.stringMatching(/^Speed is rising: \+6\.3 points a quarter \(95% CI \+5\.\d to \+6\.\d; n = 840 responses over 365 days\)\.$/)]);
    expect(Math.abs(row(result, 'scorecard_areas', 'area', 'billing')['trend_per_quarter'] as number)).toBeLessThan(1e-9);
  });

  it('says where to act in a sentence, with the importance key-drivers gives each area', () => {
    const drivers = resultRows(keyDrivers as Result, 'satisfaction_drivers');
    for (const d of drivers) {
      const r = row(result, 'scorecard_areas', 'area', d['driver']);
      expect([r['importance'], r['importance_rank']]).toEqual([d['share'], d['rank']]);
    }
    const billing = drivers.find((d) => d['driver'] === 'billing');
    const important = (billing?.['share'] as number) >= 1 / drivers.length;
    expect(row(result, 'scorecard_areas', 'area', 'billing')['quadrant']).toBe(important ? 'fix first' : 'low priority');
    const weak = result.findings.find((f) => f.code === 'scorecard.weak_area');
    expect(weak?.text).toMatch(/^Billing and payments is weak: 25\.0 of 100 \(95% CI 23\.\d to 26\.\d\) against 50\.0 overall \(n = 840 responses\); it is the (most|second most|third most|fourth most) important driver of NPS \(\d+\.\d% of the explained variation/);
    expect(weak?.text.endsWith(important ? ': fix it first.' : ': after the areas that weigh more.')).toBe(true);
    expect(weak).toMatchObject({ estimate: -25, unit: 'points', n: 840 });
    expect(result.summary).toContain(weak?.text);
    expect(result.charts.map((c) => c.title)).toEqual([
      'Experience areas against the overall',
      'Importance x performance: where to act first',
      'NPS by quarter, with control limits',
      'CSAT by quarter, with control limits',
    ]);
  });

  it('lists every characteristic of an outstanding experience, saying which nothing measures', () => {
    const rows = resultRows(result, 'scorecard_characteristics');
    expect(rows.map((r) => [r['characteristic'], r['measured'], r['status']])).toEqual([
      ['solves_problem', 'measured', null],
      ['earns_trust', 'measured', 'weak'],
      ['fair_treatment', 'not measured', null],
      ['beyond_expected', 'measured', 'strong'],
      ['value_for_price', 'measured', 'average'],
      ['whole_person', 'not measured', null],
      ['authentic_relationship', 'not measured', null],
      ['consistent_story', 'not measured', null],
    ]);
    expect(rows[1]?.['touchpoints']).toBe('contacts about billing and payments; Automatic payment');
    expect(result.summary).toContain(
      'Not measured: fair treatment, the whole person, authentic relationship and a consistent story (no experience area, contact reason or behaviour maps to them; set `characteristic:` on an experience area in cxray.yaml).',
    );
    // Speed holds no word of the framework; Support's is declared in cxray.yaml.
    expect([row(result, 'scorecard_areas', 'area', 'speed')['characteristic'], row(result, 'scorecard_areas', 'area', 'support')['characteristic_from']]).toEqual([null, 'config']);
  });

  it('rates contact touchpoints against all contacts, with the contact rate per 100 customer-months and adoption', () => {
    const tp = resultRows(result, 'scorecard_touchpoints');
    const get = (key: string, measure: string): Record<string, unknown> | undefined => tp.find((r) => r['key'] === key && r['measure'] === measure);
    expect([get('phone', 'resolution')?.['value'], get('phone', 'resolution')?.['n'], get('phone', 'resolution')?.['status']]).toEqual([50, 140, 'weak']);
    expect([get('chat', 'interaction_satisfaction')?.['value'], get('chat', 'interaction_satisfaction')?.['status']]).toEqual([100, 'strong']);
    expect(get('all', 'resolution')?.['value'] as number).toBeCloseTo((100 * 175) / 245, 12);
    // 245 contacts over 420 customers × 731 days of exposure each.
    expect(get('all', 'contact_rate')?.['value'] as number).toBeCloseTo((100 * 245) / (420 * (731 / 30.4375)), 12);
    expect(get('billing', 'contact_rate')?.['value'] as number).toBeCloseTo((100 * 140) / (420 * (731 / 30.4375)), 12);
    expect(get('phone', 'contact_rate')?.['status']).toBeNull();
    const adoption = get('autopay', 'adoption');
    const wilson = wilsonInterval({ count: 210, n: 420 });
    expect([adoption?.['value'], adoption?.['lower'], adoption?.['upper']]).toEqual([50, 100 * wilson.interval.lower, 100 * wilson.interval.upper]);
    expect(result.findings.filter((f) => f.code === 'scorecard.weak_touchpoint').map((f) => f.text)).toContain(
      'Phone contacts are weak on resolution: 50.0 of 100 (95% CI 41.7 to 58.3) against 71.4 over all contacts (n = 140 contacts).',
    );
  });

  it('follows NPS and CSAT by quarter (two quarters of answers), with the multinomial interval and limits from the other quarter', () => {
    const series = resultRows(result, 'satisfaction_over_time').filter((r) => r['instrument'] === 'nps');
    expect(series.map((r) => [r['period_unit'], r['period'], r['answers']])).toEqual([
      ['quarter', '2024Q1', 420],
      ['quarter', '2025Q1', 420],
    ]);
    const counts = [0, 1].map((k) => {
      const scores = ids.map((i) => answersOf(i).nps[k] ?? 0);
      return { promoters: scores.filter((s) => s >= 9).length, passives: scores.filter((s) => s === 7 || s === 8).length, detractors: scores.filter((s) => s <= 6).length };
    });
    counts.forEach((c, k) => {
      const expected = npsInterval(c);
      expect(series[k]?.['value'] as number).toBeCloseTo(expected.estimate, 12);
      expect(series[k]?.['lower'] as number).toBeCloseTo(expected.interval.lower, 12);
      const other = counts[1 - k] as typeof c;
      expect(series[k]?.['centre'] as number).toBeCloseTo(npsInterval(other).estimate, 12);
    });
  });

  it('answers for a segment and for a period', async () => {
    const even = (await scorecard(ws, { segment: 'segment = even' })).result;
    // Even ids: Billing 1 or 2 (i mod 4 = 0 or 2), a mean of 1.5: 12.5 of 100.
    expect(row(even, 'scorecard_areas', 'area', 'billing')['score'] as number).toBeCloseTo(12.5, 12);
    expect(row(even, 'scorecard_areas', 'area', 'billing')['responses']).toBe(420);
    const later = (await scorecard(ws, { from: '2025-01-01' })).result;
    const speed = row(later, 'scorecard_areas', 'area', 'speed');
    expect(speed['score'] as number).toBeCloseTo(62.5, 12);
    expect([speed['trend_per_quarter'], speed['no_trend_because']]).toEqual([null, 'answers span 0 days, under two quarters']);
    // One month of 420 answers left: its median month holds 100 answers or more, so by month.
    expect(resultRows(later, 'satisfaction_over_time').map((r) => r['period'])).toEqual(['2025-03', '2025-03']);
    // Up to 2024-12-31: every contact, over the 366 days of 2024 each customer was exposed.
    const earlier = (await scorecard(ws, { to: '2024-12-31' })).result;
    const rate = resultRows(earlier, 'scorecard_touchpoints').find((r) => r['key'] === 'all' && r['measure'] === 'contact_rate');
    expect(rate?.['value'] as number).toBeCloseTo((100 * 245) / (420 * (366 / 30.4375)), 12);
    expect(row(earlier, 'scorecard_areas', 'area', 'speed')['score'] as number).toBeCloseTo(37.5, 12);
  }, 60_000);
});

describe('the scorecard when the data are thinner', () => {
  it('keeps every area average under a margin wider than the gaps (thresholds.scorecard_margin: 30)', async () => {
    const ws = new Workspace(makeScorecardWorkspace('thresholds: {scorecard_margin: 30}\n'));
    await ws.import();
    const { result } = await scorecard(ws);
    expect(resultRows(result, 'scorecard_areas').map((r) => r['status'])).toEqual(['average', 'average', 'average', 'average']);
    expect(result.summary).toContain('No area is clearly weak: none has its whole 95% interval more than 30.0 points below the overall (50.0).');
    expect(result.method.description).toMatch(/more than the margin \(30\.0 points, thresholds\.scorecard_margin\)/);
  }, 60_000);

  it('follows NPS alone when no answer rates an area, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxray-scorecard-nps-'));
    writeFileSync(join(dir, 'customers.csv'), ['id,signup', ...ids.slice(0, 60).map((i) => `${i},2024-01-01`), ''].join('\n'));
    writeFileSync(join(dir, 'survey.csv'), ['customer,date,score', ...ids.slice(0, 60).map((i) => `${i},2025-0${1 + (i % 6)}-10,${i % 11}`), ''].join('\n'));
    writeFileSync(
      join(dir, 'cxray.yaml'),
      `as_of: 2025-12-31
sources:
  crm:
    files: [customers.csv]
    feeds: [{table: customers, columns: {customer_id: id, signup_at: signup}}]
  survey:
    files: [survey.csv]
    feeds: [{table: survey_responses, columns: {customer_id: customer, at: date, score: score, instrument: {value: nps}}}]
`,
    );
    const ws = new Workspace(dir);
    await ws.import();
    const { result } = await scorecard(ws);
    expect(result.summary[0]).toBe("No survey answer rates an experience area (an answer with an area), so no area is scored: map each rating's area in cxray.yaml (the unpivot's `area`) and run `cxray import`.");
    expect(resultRows(result, 'scorecard_areas')).toEqual([]);
    expect(resultRows(result, 'scorecard_characteristics').every((r) => r['measured'] === 'not measured')).toBe(true);
    expect(resultRows(result, 'satisfaction_over_time').map((r) => r['period'])).toEqual(['2025Q1', '2025Q2']);
  }, 60_000);
});
