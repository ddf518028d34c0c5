import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import type { RowValue } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { SeededRandom, seedList } from '../../stats/seeded-random.case.js';
import { resultRows } from '../result-rows.case.js';
import { testContext } from '../scope.case.js';
import type { AnalysisContext } from '../types.js';
import { valueBalanceAnalysis } from './index.js';
import { alarmBound } from '../../stats/binomial-margin.case.js';

// Null replicates of value-balance: small companies (400 customers, three
// attributes known at acquisition with 3, 2 and 4 levels: 9 segments) in
// which price does not depend on the segment once value is known: every
// customer's price per month is 40 + 0.3 × their satisfaction (the NPS score
// on 0-100) plus heavy-tailed noise (mostly a spread of 10 a month, one in
// five 30), over 1 to 24 months of exposure; 60% answer the survey. The
// stated rate: a segment is flagged (over-charged or over-served) in at most
// 5% of analyses (the false discovery rate; under this null any flag is
// false). The bound checked is 0.05 + 3.09·√(0.05·0.95/200) = 0.0976, the
// one-sided 99.9% binomial margin. Not vacuous: the same segments tested one
// by one at 5%, with no screen and no threshold, flag beyond that bound; and
// a segment planted to pay 30% more at equal satisfaction is found.

const CUSTOMERS = 400;
const SEEDS = seedList(200, 81_001);
const BOUND = alarmBound(0.05, SEEDS.length);
const LEVELS = { a: ['a1', 'a2', 'a3'], b: ['b1', 'b2'], c: ['c1', 'c2', 'c3', 'c4'] } as const;

interface Replicate {
  facts: RowValue[][];
  answers: RowValue[][];
}

/** One company; `planted` makes level a1 pay `planted` times the price its satisfaction warrants. */
function replicate(seed: number, planted: number): Replicate {
  const rng = new SeededRandom(seed);
  const facts: RowValue[][] = [];
  const answers: RowValue[][] = [];
  for (let i = 0; i < CUSTOMERS; i += 1) {
    const a = LEVELS.a[Math.floor(rng.uniform() * 3)] as string;
    const b = LEVELS.b[Math.floor(rng.uniform() * 2)] as string;
    const c = LEVELS.c[Math.floor(rng.uniform() * 4)] as string;
    const days = 30.4375 * (1 + rng.uniform() * 23);
    const months = days / 30.4375;
    const score = Math.min(10, Math.max(0, Math.round(7 + 2.2 * rng.normal())));
    const noise = rng.uniform() < 0.8 ? 10 * rng.normal() : 30 * rng.normal();
    const price = (40 + 0.3 * 10 * score) * (a === 'a1' ? planted : 1) + noise;
    facts.push([`c${i}`, a, b, c, days, (price * months).toFixed(2), '0.00', '0.00', '0.00']);
    if (rng.uniform() < 0.6) answers.push([`c${i}`, '2025-06-01 00:00:00', 'nps', null, score]);
  }
  return { facts, answers };
}

const FACTS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'a', type: 'string' },
  { name: 'b', type: 'string' },
  { name: 'c', type: 'string' },
  { name: 'exposure_days', type: 'double' },
  { name: 'revenue', type: 'money' },
  { name: 'fees', type: 'money' },
  { name: 'refunds', type: 'money' },
  { name: 'credits', type: 'money' },
];

const ANSWERS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'at', type: 'timestamp' },
  { name: 'instrument', type: 'string' },
  { name: 'area', type: 'string' },
  { name: 'score', type: 'double' },
];

interface Outcome {
  /** Some segment flagged by the analysis (after the screen and the threshold). */
  flagged: boolean;
  /** Some segment with p ≤ 0.05 when each is tested alone, unscreened. */
  unscreened: boolean;
  tested: number;
  /** Segments with p ≤ 0.05. */
  rejected: number;
}

describe('value-balance over null replicates (price independent of the segment given value)', () => {
  let engine: DuckDbEngine;
  const outcomes = new Map<string, Outcome[]>();

  async function load(engine: DuckDbEngine, dir: string, name: string, columns: ColumnSpec[], rows: RowValue[][]): Promise<void> {
    const d = engine.dialect;
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n'));
    const types = [{ name: 'replicate', type: 'int32' as const }, ...columns].map((c) => `${d.literal(c.name)}: ${d.literal(d.columnType(c.type))}`).join(', ');
    await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent(`all_${name}`)} AS SELECT * FROM read_csv(${d.literal(file)}, header = false, columns = {${types}})`);
  }

  async function run(name: string, planted: number, seeds: readonly number[], dir: string): Promise<void> {
    const d = engine.dialect;
    const replicates = seeds.map((seed) => replicate(seed, planted));
    await load(engine, dir, 'facts', FACTS, replicates.flatMap((r, k) => r.facts.map((row) => [k, ...row])));
    await load(engine, dir, 'answers', ANSWERS, replicates.flatMap((r, k) => r.answers.map((row) => [k, ...row])));
    const columns = FACTS.map((c) => ({ name: c.name, type: c.type, unit: null, table: 'customers' as const, description: '' }));
    const attributes = (['a', 'b', 'c'] as const).map((n) => ({ name: n, source: n, type: 'string' as const, atAcquisition: true, unit: null }));
    const ctx: AnalysisContext = testContext(engine, {
      customers: CUSTOMERS,
      overrides: { asOf: '2025-12-31', tableRows: { customers: CUSTOMERS, transactions: 1, survey_responses: 1 }, facts: { columns, attributes } },
    });
    const list: Outcome[] = [];
    for (const k of seeds.keys()) {
      const pick = (table: string, specs: ColumnSpec[]): string =>
        `SELECT ${specs.map((c) => d.quoteIdent(c.name)).join(', ')} FROM ${d.quoteIdent(`all_${table}`)} WHERE ${d.quoteIdent('replicate')} = ${d.literal(k)}`;
      await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent(CUSTOMER_FACTS_TABLE)} AS ${pick('facts', FACTS)}`);
      await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent('customers')} AS SELECT ${d.quoteIdent('customer_id')} FROM ${d.quoteIdent(CUSTOMER_FACTS_TABLE)}`);
      await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent('survey_responses')} AS ${pick('answers', ANSWERS)}`);
      const result = await valueBalanceAnalysis.run(ctx);
      expect([result.status, result.reason]).toEqual(['ok', undefined]);
      const rows = resultRows(result, 'value_balance_segments');
      list.push({
        flagged: result.findings.some((f) => f.code === 'value_balance.over_charged' || f.code === 'value_balance.over_served'),
        unscreened: rows.some((r) => typeof r['p_value'] === 'number' && r['q_value'] !== null && r['p_value'] <= 0.05),
        tested: rows.filter((r) => r['q_value'] !== null).length,
        rejected: rows.filter((r) => typeof r['p_value'] === 'number' && r['q_value'] !== null && r['p_value'] <= 0.05).length,
      });
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    const dir = mkdtempSync(join(tmpdir(), 'cxray-value-balance-null-'));
    await run('null', 1, SEEDS, dir);
    await run('planted', 1.3, seedList(20, 91_001), dir);
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
  });

  it(`flags a segment in at most ${(100 * BOUND).toFixed(2)}% of ${SEEDS.length} replicates, where unscreened tests flag more`, () => {
    const list = outcomes.get('null') ?? [];
    expect(list).toHaveLength(SEEDS.length);
    // Every segment is tested in every replicate.
    expect(list.every((o) => o.tested === 9)).toBe(true);
    const rate = list.filter((o) => o.flagged).length / list.length;
    const unscreened = list.filter((o) => o.unscreened).length / list.length;
    // Each test alone holds its level: about 5% of the 1,800 segment tests reject at 5% (the delta-method interval is calibrated).
    const single = list.reduce((s, o) => s + o.rejected, 0) / list.reduce((s, o) => s + o.tested, 0);
    process.stderr.write(`value-balance null: flagged in ${(100 * rate).toFixed(1)}% of replicates (bound ${(100 * BOUND).toFixed(2)}%); unscreened ${(100 * unscreened).toFixed(1)}%; single tests at 5%: ${(100 * single).toFixed(1)}%\n`);
    expect(rate).toBeLessThanOrEqual(BOUND);
    expect(unscreened).toBeGreaterThan(BOUND);
    expect(single).toBeGreaterThan(0.025);
    expect(single).toBeLessThan(0.085);
  });

  it('finds a segment planted to pay 30% more at equal satisfaction (a1, about 133 customers) in at least 18 of 20 replicates', () => {
    const list = outcomes.get('planted') ?? [];
    expect(list.filter((o) => o.flagged).length).toBeGreaterThanOrEqual(18);
  });
});
