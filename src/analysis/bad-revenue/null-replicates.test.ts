import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { SeededRandom, seedList } from '../../stats/seeded-random.case.js';
import type { Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import { testContext } from '../scope.case.js';
import { badRevenueAnalysis } from './index.js';
import { runBadRevenue } from './run-bad-revenue.js';
import { alarmBound, binomialMargin } from '../../stats/binomial-margin.case.js';

// Null replicates of bad-revenue: small companies (500 customers, 60% with
// an NPS answer, 30% of those detractors) with three fee lines of different
// shapes (fee_a: 30% pay, 1 to 4 charges of 10-25; fee_b: 20% pay one 15;
// fee_c: 50% pay, one in five of them heavily: 50 a charge, up to 6), about
// 45 to 150 paying customers of known class each. Each run goes through
// runBadRevenue on one replicate (the scope is `replicate = k` over tables
// holding all of them).
// - "null": fees independent of satisfaction (every ratio 1). The stated
//   rate: an alert in at most 5% of analyses (the false discovery rate;
//   under the complete null any alert is false); the bound checked is
//   0.05 + 3.09·√(0.05·0.95/200) = 0.0976, the one-sided 99.9% binomial
//   margin. Not vacuous: the interval's calibration itself is checked, each
//   line's raw one-sided test at 5% rejecting in 5% of the 600 line-tests
//   within ±3.09 binomial standard errors, in each direction (too narrow an
//   interval rejects more, too wide fewer). A Wald interval on log R failed
//   this (8.7% above); Fieller's, used, gives 5.0% (concentration.ts).
// - "boundary": fee_a's ratio is the practical threshold, 1.2 (detractors
//   pay it 1.3125 times as often); its lower bound clears 1.2 in at most
//   2.5% of replicates (plus the same margin, 0.059).
// - "planted": fee_a at 1.5 in companies of 2,000 customers is flagged in
//   at least 18 of 20.

const SEEDS = seedList(200, 71_001);
const BOUND = alarmBound(0.05, SEEDS.length);
const BOUNDARY_BOUND = alarmBound(0.025, SEEDS.length);
const DETRACTOR_SHARE = 0.3;

/** Detractors pay fee_a this many times as often as the others: the ratio is k / (0.3k + 0.7). */
const multiplierFor = (ratio: number): number => (ratio * (1 - DETRACTOR_SHARE)) / (1 - ratio * DETRACTOR_SHARE);

interface Plan {
  customers: number;
  /** The planted ratio of fee_a (1 under the null). */
  ratio: number;
}

function replicate(k: number, seed: number, plan: Plan, facts: string[], payments: string[]): void {
  const rng = new SeededRandom(seed);
  const multiplier = multiplierFor(plan.ratio);
  for (let i = 0; i < plan.customers; i += 1) {
    const id = `r${k}c${i}`;
    const answered = rng.uniform() < 0.6;
    const detractor = answered && rng.uniform() < DETRACTOR_SHARE;
    const nps = !answered ? '' : detractor ? String(Math.floor(rng.uniform() * 7)) : String(7 + Math.floor(rng.uniform() * 4));
    let fees = 0;
    const charge = (category: string, amount: number): void => {
      payments.push(`${k},${id},2025-0${1 + Math.floor(rng.uniform() * 9)}-15 00:00:00,fee,${amount.toFixed(2)},${category}`);
      fees += amount;
    };
    if (rng.uniform() < 0.3 * (detractor ? multiplier : 1)) {
      const charges = 1 + Math.floor(rng.uniform() * 4);
      for (let c = 0; c < charges; c += 1) charge('fee_a', [10, 15, 20, 25][Math.floor(rng.uniform() * 4)] ?? 10);
    }
    if (rng.uniform() < 0.2) charge('fee_b', 15);
    if (rng.uniform() < 0.5) {
      const heavy = rng.uniform() < 0.2;
      const charges = 1 + Math.floor(rng.uniform() * (heavy ? 6 : 3));
      for (let c = 0; c < charges; c += 1) charge('fee_c', heavy ? 50 : 5);
    }
    facts.push(`${k},${id},${nps},0.00,${fees.toFixed(2)}`);
  }
}

const FACTS: ColumnSpec[] = [
  { name: 'replicate', type: 'int32' },
  { name: 'customer_id', type: 'string' },
  { name: 'latest_nps', type: 'double' },
  { name: 'revenue', type: 'money' },
  { name: 'fees', type: 'money' },
];

interface LineOutcome {
  line: string;
  status: string;
  p: number | null;
  lower: number | null;
}

describe('bad-revenue over null replicates (fees independent of satisfaction)', () => {
  let engine: DuckDbEngine;
  const outcomes = new Map<string, LineOutcome[][]>();

  async function run(name: string, plan: Plan, seeds: readonly number[], dir: string): Promise<void> {
    const d = engine.dialect;
    const q = d.quoteIdent;
    const facts: string[] = [];
    const payments: string[] = [];
    seeds.forEach((seed, k) => replicate(k, seed, plan, facts, payments));
    writeFileSync(join(dir, `${name}-facts.csv`), facts.join('\n'));
    writeFileSync(join(dir, `${name}-payments.csv`), payments.join('\n'));
    const types = (columns: ColumnSpec[]): string => columns.map((c) => `${d.literal(c.name)}: ${d.literal(d.columnType(c.type))}`).join(', ');
    const read = (file: string, columns: ColumnSpec[]): string => `read_csv(${d.literal(join(dir, file))}, header = false, columns = {${types(columns)}})`;
    await engine.exec(`CREATE OR REPLACE TABLE ${q(CUSTOMER_FACTS_TABLE)} AS SELECT * FROM ${read(`${name}-facts.csv`, FACTS)}`);
    await engine.exec(`CREATE OR REPLACE TABLE ${q('customers')} AS SELECT ${q('customer_id')} FROM ${q(CUSTOMER_FACTS_TABLE)}`);
    const paymentColumns: ColumnSpec[] = [
      { name: 'replicate', type: 'int32' },
      { name: 'customer_id', type: 'string' },
      { name: 'at', type: 'timestamp' },
      { name: 'kind', type: 'string' },
      { name: 'amount', type: 'money' },
      { name: 'category', type: 'string' },
    ];
    await engine.exec(
      `CREATE OR REPLACE TABLE ${q('transactions')} AS SELECT ${q('customer_id')}, ${q('at')}, ${q('kind')}, ${q('amount')}, 'USD' AS ${q('currency')}, ${q('amount')} AS ${q('original_amount')}, ` +
        `'USD' AS ${q('original_currency')}, ${q('category')} FROM ${read(`${name}-payments.csv`, paymentColumns)}`,
    );
    const columns = FACTS.map((c) => ({ name: c.name, type: c.type, unit: null, table: 'customers' as const, description: '' }));
    const list: LineOutcome[][] = [];
    for (const k of seeds.keys()) {
      const ctx = testContext(engine, {
        where: `${q('replicate')} = ${d.literal(k)}`,
        customers: plan.customers,
        overrides: { tableRows: { customers: plan.customers, transactions: 1, survey_responses: 1 }, facts: { columns, attributes: [] } },
      });
      const result: Result = await runBadRevenue(ctx, badRevenueAnalysis);
      expect([result.status, result.reason]).toEqual(['ok', undefined]);
      list.push(
        resultRows(result, 'bad_revenue_detractors').map((r) => ({
          line: String(r['line']),
          status: String(r['status']),
          p: typeof r['p_value'] === 'number' ? r['p_value'] : null,
          lower: typeof r['lower'] === 'number' ? r['lower'] : null,
        })),
      );
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    const dir = mkdtempSync(join(tmpdir(), 'cxray-bad-revenue-null-'));
    await run('null', { customers: 500, ratio: 1 }, SEEDS, dir);
    await run('boundary', { customers: 500, ratio: 1.2 }, SEEDS, dir);
    await run('planted', { customers: 2000, ratio: 1.5 }, seedList(20, 91_001), dir);
  }, 240_000);

  afterAll(async () => {
    await engine?.close();
  });

  it(`null: alerts in at most ${(100 * BOUND).toFixed(2)}% of ${SEEDS.length} replicates, and each line's raw one-sided test rejects at its 5%`, () => {
    const list = outcomes.get('null') ?? [];
    expect(list).toHaveLength(SEEDS.length);
    // Every line is compared in nearly every replicate (fee_b, the smallest, has about 60 known payers).
    const compared = list.flat().filter((o) => o.p !== null);
    expect(compared.length).toBeGreaterThanOrEqual(3 * SEEDS.length - 5);
    const alerts = list.filter((lines) => lines.some((o) => o.status === 'alert')).length / list.length;
    const raw = compared.filter((o) => (o.p ?? 1) < 0.05).length / compared.length;
    const below = compared.filter((o) => (o.p ?? 0) > 0.95).length / compared.length;
    const margin = binomialMargin(0.05, compared.length);
    process.stderr.write(
      `bad-revenue null: alerts in ${(100 * alerts).toFixed(1)}% of replicates (bound ${(100 * BOUND).toFixed(2)}%); raw one-sided tests reject ${(100 * raw).toFixed(2)}% of ${compared.length} above, ${(100 * below).toFixed(2)}% below (5% ± ${(100 * margin).toFixed(2)})\n`,
    );
    expect(alerts).toBeLessThanOrEqual(BOUND);
    for (const tail of [raw, below]) {
      expect(tail).toBeGreaterThanOrEqual(0.05 - margin);
      expect(tail).toBeLessThanOrEqual(0.05 + margin);
    }
  });

  it(`boundary: a line whose ratio is the 1.2 threshold alerts in at most ${(100 * BOUNDARY_BOUND).toFixed(2)}% of replicates`, () => {
    const list = outcomes.get('boundary') ?? [];
    const feeA = list.map((lines) => lines.find((o) => o.line === 'fee_a'));
    const alerts = feeA.filter((o) => o?.status === 'alert').length / list.length;
    const above = feeA.filter((o) => (o?.lower ?? 0) > 1.2).length / list.length;
    process.stderr.write(`bad-revenue boundary (ratio 1.2): fee_a alerts in ${(100 * alerts).toFixed(1)}%, lower bound above 1.2 in ${(100 * above).toFixed(1)}% (bound ${(100 * BOUNDARY_BOUND).toFixed(2)}%)\n`);
    expect(above).toBeLessThanOrEqual(BOUNDARY_BOUND);
    expect(alerts).toBeLessThanOrEqual(above);
  });

  it('planted: fee_a at 1.5 (2,000 customers) is flagged in at least 18 of 20 replicates, and nothing else is', () => {
    const list = outcomes.get('planted') ?? [];
    expect(list).toHaveLength(20);
    const flagged = list.filter((lines) => lines.find((o) => o.line === 'fee_a')?.status === 'alert').length;
    const others = list.filter((lines) => lines.some((o) => o.line !== 'fee_a' && o.status === 'alert')).length;
    process.stderr.write(`bad-revenue planted (ratio 1.5): fee_a flagged in ${flagged} of 20; another line in ${others}\n`);
    expect(flagged).toBeGreaterThanOrEqual(18);
    expect(others).toBeLessThanOrEqual(2);
  });
});
