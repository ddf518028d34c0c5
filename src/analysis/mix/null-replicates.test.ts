import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { normalCdf } from '../../stats/index.js';
import { SeededRandom, seedList } from '../../stats/seeded-random.case.js';
import { testContext } from '../scope.case.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { cohortCounts } from './cohort-counts.js';
import { cohortValueSums, equalTenureComparison } from './cohort-value.js';
import { cohortPlan } from './cohorts.js';
import { parseKey, type MixSeries, type SeriesKind } from './profile-series.js';
import { seriesDrifts } from './series-drift.js';
import { alarmBound } from '../../stats/binomial-margin.case.js';

// Null replicates of mix's statistical core (cohorts, shares, trend tests
// screened together, the ends compared; the cohorts at equal tenure):
// small companies of 600 customers signing up over the 12 quarters of
// 2023-2025, more each quarter (weights 1 to 2), with two attributes known
// at acquisition (a: 3 levels, b: 2) drawn whatever the quarter, and a
// 90-day net value drawn from one heavy-tailed distribution (mostly a spread
// of 40, one customer in five 150). Followed, as mix follows an ideal
// profile and a misaligned segment: a = a1 AND b = b1 (the ideal, 1/6),
// b = b2 (a second rule, 1/2), either (their union), a = a3 AND b = b1 (a
// misaligned segment, 1/6). 200 replicates of each null:
// - "binomial": every customer independent, no drift;
// - "cohorts vary": each quarter's chance of a1 AND b1 drawn around 1/6
//   (spread 0.06, more than the binomial 0.05 of a 50-customer quarter) but
//   with no trend: cohorts differ beyond chance, a plain Cochran-Armitage
//   test takes that for a trend, and the dispersion must absorb it.
// The stated rate: a drift is claimed for some series in at most 5% of
// analyses, and a difference at equal tenure in at most 5%. The bound
// checked is 0.05 + 3.09·√(0.05·0.95/200) = 0.0976, the one-sided 99.9%
// binomial margin. Not vacuous: in "cohorts vary" the plain test (normal,
// no dispersion) rejects beyond the bound, and a planted fall of the ideal
// share from 30% to 10% over the 12 quarters is claimed in at least 18 of
// 20 companies of 1,200 customers (of 600, in about 14: the price of
// screening four series together and of estimating the dispersion from 10
// degrees of freedom).

const CUSTOMERS = 600;
const QUARTERS = 12;
const SEEDS = seedList(200, 41_001);
const BOUND = alarmBound(0.05, SEEDS.length);
const A = ['a1', 'a2', 'a3'] as const;
const B = ['b1', 'b2'] as const;

interface Plan {
  customers?: number;
  /** Spread of each quarter's chance of a1 AND b1 around 1/6. */
  spread?: number;
  /** The chance of a1 AND b1 falls linearly from `from` in the first quarter to `to` in the last. */
  drift?: { from: number; to: number };
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function replicate(seed: number, plan: Plan): (string | number)[][] {
  const rng = new SeededRandom(seed);
  const weights = Array.from({ length: QUARTERS }, (_, q) => 1 + q / (QUARTERS - 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const ideal = weights.map((_, q) => {
    if (plan.drift !== undefined) return plan.drift.from + ((plan.drift.to - plan.drift.from) * q) / (QUARTERS - 1);
    return Math.min(0.9, Math.max(0.01, 1 / 6 + (plan.spread ?? 0) * rng.normal()));
  });
  const rows: (string | number)[][] = [];
  for (let i = 0; i < (plan.customers ?? CUSTOMERS); i += 1) {
    let u = rng.uniform() * total;
    let q = 0;
    while (q < QUARTERS - 1 && u >= (weights[q] ?? 0)) u -= weights[q++] ?? 0;
    // a1 AND b1 with the quarter's chance; otherwise one of the other five cells, evenly.
    const isIdeal = rng.uniform() < (ideal[q] ?? 0);
    const other = Math.floor(rng.uniform() * 5);
    const [a, b] = isIdeal ? ['a1', 'b1'] : [A[Math.floor((other + 1) / 2)] as string, B[(other + 1) % 2] as string];
    const quarterStart = Date.UTC(2023 + Math.floor(q / 4), (q % 4) * 3, 1);
    const signup = quarterStart + Math.floor(rng.uniform() * 90) * 86_400_000;
    const monthStart = Date.UTC(new Date(signup).getUTCFullYear(), new Date(signup).getUTCMonth(), 1);
    const value = 100 + (rng.uniform() < 0.8 ? 40 : 150) * rng.normal();
    rows.push([`c${i}`, a, b, `${day(signup)} 00:00:00`, day(quarterStart), day(monthStart), value.toFixed(2)]);
  }
  return rows;
}

const COLUMNS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'a', type: 'string' },
  { name: 'b', type: 'string' },
  { name: 'signup_at', type: 'timestamp' },
  { name: 'cohort_quarter', type: 'date' },
  { name: 'cohort_month', type: 'date' },
  { name: 'value_90', type: 'money' },
];

const FOLLOWED: [SeriesKind, string][] = [
  ['ideal', 'a=a1&b=b1'],
  ['rule', 'b=b2'],
  ['misaligned', 'a=a3&b=b1'],
];

interface Outcome {
  /** Some series' drift claimed (any direction). */
  claimed: boolean;
  /** The ideal series' drift claimed, falling. */
  idealFell: boolean;
  /** The ideal series' plain Cochran-Armitage test (normal, no dispersion) at 5%. */
  plain: boolean;
  /** The difference at equal tenure claimed. */
  value: boolean;
}

describe('mix over null replicates (no drift)', () => {
  let engine: DuckDbEngine;
  const outcomes = new Map<string, Outcome[]>();

  async function run(name: string, plan: Plan, seeds: readonly number[], dir: string): Promise<void> {
    const d = engine.dialect;
    const all = seeds.flatMap((seed, k) => replicate(seed, plan).map((r) => [k, ...r]));
    const file = join(dir, `${name.replaceAll(' ', '-')}.csv`);
    writeFileSync(file, all.map((r) => r.join(',')).join('\n'));
    const types = [{ name: 'replicate', type: 'int32' as const }, ...COLUMNS].map((c) => `${d.literal(c.name)}: ${d.literal(d.columnType(c.type))}`).join(', ');
    await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent('all_facts')} AS SELECT * FROM read_csv(${d.literal(file)}, header = false, columns = {${types}})`);
    const columns = COLUMNS.map((c) => ({ name: c.name, type: c.type, unit: null, table: 'customers' as const, description: '' }));
    const attributes = (['a', 'b'] as const).map((n) => ({ name: n, source: n, type: 'string' as const, atAcquisition: true, unit: null }));
    const ctx: AnalysisContext = testContext(engine, { customers: plan.customers ?? CUSTOMERS, overrides: { facts: { columns, attributes } } });
    const list: Outcome[] = [];
    for (const k of seeds.keys()) {
      await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent(CUSTOMER_FACTS_TABLE)} AS SELECT ${COLUMNS.map((c) => d.quoteIdent(c.name)).join(', ')} FROM ${d.quoteIdent('all_facts')} WHERE ${d.quoteIdent('replicate')} = ${d.literal(k)}`);
      const values = new SqlValues(engine, 'nr');
      const { groupings } = segmentGroupings(ctx, values);
      const series: MixSeries[] = FOLLOWED.map(([kind, key]) => ({ kind, key, label: key, conjunctions: [parseKey(key, groupings) ?? []] }));
      series.splice(2, 0, { kind: 'any_rule', key: null, label: 'either rule', conjunctions: [...(series[0]?.conjunctions ?? []), ...(series[1]?.conjunctions ?? [])] });
      const cohorts = await cohortPlan(ctx);
      if (cohorts === null) throw new Error('no cohorts');
      const rows = await cohortCounts(ctx, cohorts, series, values);
      const drifts = seriesDrifts(cohorts, rows, series, { alpha: 0.05, practicalPoints: 1 });
      const ideal = drifts[0];
      const t = ideal?.trend;
      const plainZ = t === null || t === undefined ? 0 : t.statistic * Math.sqrt(t.dispersion);
      const sums = await cohortValueSums(ctx, cohorts, { value: d.quoteIdent('value_90'), eligible: [], params: {} }, values);
      const tenure = equalTenureComparison(cohorts, sums, { alpha: 0.05, practicalMoney: 1 });
      list.push({ claimed: drifts.some((x) => x.passes), idealFell: ideal?.direction === 'fell', plain: 2 * normalCdf(-Math.abs(plainZ)) <= 0.05, value: tenure.passes });
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    const dir = mkdtempSync(join(tmpdir(), 'cxray-mix-null-'));
    await run('binomial', {}, SEEDS, dir);
    await run('cohorts vary', { spread: 0.06 }, seedList(SEEDS.length, 61_001), dir);
    await run('planted', { customers: 1200, drift: { from: 0.3, to: 0.1 } }, seedList(20, 91_001), dir);
  }, 240_000);

  afterAll(async () => {
    await engine?.close();
  });

  for (const name of ['binomial', 'cohorts vary']) {
    it(`${name}: claims a drift in at most ${(100 * BOUND).toFixed(2)}% of ${SEEDS.length} replicates, and a difference at equal tenure as rarely`, () => {
      const list = outcomes.get(name) ?? [];
      expect(list).toHaveLength(SEEDS.length);
      const rate = (f: (o: Outcome) => boolean): number => list.filter(f).length / list.length;
      process.stderr.write(
        `mix null (${name}): drift claimed in ${(100 * rate((o) => o.claimed)).toFixed(1)}% of replicates, equal tenure ${(100 * rate((o) => o.value)).toFixed(1)}% (bound ${(100 * BOUND).toFixed(2)}%); plain Cochran-Armitage on the ideal ${(100 * rate((o) => o.plain)).toFixed(1)}%\n`,
      );
      expect(rate((o) => o.claimed)).toBeLessThanOrEqual(BOUND);
      expect(rate((o) => o.value)).toBeLessThanOrEqual(BOUND);
      if (name === 'cohorts vary') expect(rate((o) => o.plain)).toBeGreaterThan(BOUND);
    });
  }

  it('claims a planted fall of the ideal share (30% to 10% over 12 quarters, 1,200 customers) in at least 18 of 20 replicates', () => {
    const list = outcomes.get('planted') ?? [];
    expect(list.filter((o) => o.idealFell).length).toBeGreaterThanOrEqual(18);
  });
});
