import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import type { RowValue } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { SeededRandom, seedList } from '../../stats/seeded-random.case.js';
import { testContext } from '../scope.case.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { mixingScan } from './attribute-mixing.js';
import { alarmBound } from '../../stats/binomial-margin.case.js';

// Null replicates of the homophily scan: small companies (300 customers,
// three attributes known at acquisition with 3, 2 and 4 levels of unequal
// sizes) in which 100 customers were referred, each by a customer drawn
// from the first 200 whatever either one's attributes: referrer and
// referred are independent, and a referrer may bring several customers.
// The stated rate: homophily is claimed on some attribute in at most 5% of
// analyses (the false discovery rate; under independence any claim is
// false). The bound checked is 0.05 + 3.09·√(0.05·0.95/200) = 0.0976, the
// one-sided 99.9% binomial margin. Not vacuous: testing each attribute
// alone at 5% claims more often, and planted homophily (the referrer drawn
// from the referred customer's own `a` half the time) is found.

const CUSTOMERS = 300;
const REFERRERS = 200;
const SEEDS = seedList(200, 40_001);
const BOUND = alarmBound(0.05, SEEDS.length);

const COLUMNS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'a', type: 'string' },
  { name: 'b', type: 'string' },
  { name: 'c', type: 'string' },
  { name: 'referred_by', type: 'string' },
  { name: 'referrals_made', type: 'int64' },
  { name: 'is_referred', type: 'boolean' },
];

function pick<T>(rng: SeededRandom, levels: readonly T[], weights: readonly number[]): T {
  let u = rng.uniform();
  for (let i = 0; i < levels.length; i += 1) {
    u -= weights[i] ?? 0;
    if (u < 0) return levels[i] as T;
  }
  return levels[levels.length - 1] as T;
}

/** One company; `same`: the chance that a referred customer's referrer is drawn among those sharing its `a`. */
function replicate(seed: number, same: number): RowValue[][] {
  const rng = new SeededRandom(seed);
  const people = Array.from({ length: CUSTOMERS }, (_, i) => ({
    id: `c${i}`,
    a: pick(rng, ['a1', 'a2', 'a3'], [0.5, 0.3, 0.2]),
    b: pick(rng, ['b1', 'b2'], [0.6, 0.4]),
    c: pick(rng, ['c1', 'c2', 'c3', 'c4'], [0.4, 0.3, 0.2, 0.1]),
    referredBy: null as string | null,
    made: 0,
  }));
  for (let i = REFERRERS; i < CUSTOMERS; i += 1) {
    const person = people[i] as (typeof people)[number];
    const alike = people.slice(0, REFERRERS).filter((p) => p.a === person.a);
    const pool = rng.uniform() < same && alike.length > 0 ? alike : people.slice(0, REFERRERS);
    const referrer = pool[Math.floor(rng.uniform() * pool.length)] as (typeof people)[number];
    person.referredBy = referrer.id;
    referrer.made += 1;
  }
  return people.map((p) => [p.id, p.a, p.b, p.c, p.referredBy, p.made, p.referredBy !== null]);
}

interface Outcome {
  /** Homophily claimed on some attribute (after the screen). */
  claimed: boolean;
  /** Some attribute at p < 0.05, each tested alone. */
  unscreened: boolean;
  tested: number;
}

describe('the homophily scan over null replicates (referrer and referred drawn independently)', () => {
  let engine: DuckDbEngine;
  const outcomes = new Map<string, Outcome[]>();

  async function run(name: string, same: number, seeds: readonly number[], dir: string): Promise<void> {
    const d = engine.dialect;
    const all = seeds.flatMap((seed, k) => replicate(seed, same).map((r) => [k, ...r]));
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, all.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n'));
    const types = [{ name: 'replicate', type: 'int32' as const }, ...COLUMNS].map((c) => `${d.literal(c.name)}: ${d.literal(d.columnType(c.type))}`).join(', ');
    await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent('all_facts')} AS SELECT * FROM read_csv(${d.literal(file)}, header = false, columns = {${types}})`);
    const columns = COLUMNS.map((c) => ({ name: c.name, type: c.type, unit: null, table: 'customers' as const, description: '' }));
    const attributes = (['a', 'b', 'c'] as const).map((n) => ({ name: n, source: n, type: 'string' as const, atAcquisition: true, unit: null }));
    const ctx: AnalysisContext = testContext(engine, {
      customers: CUSTOMERS,
      overrides: { tableRows: { customers: CUSTOMERS, referrals: CUSTOMERS - REFERRERS }, facts: { columns, attributes } },
    });
    const list: Outcome[] = [];
    for (const k of seeds.keys()) {
      await engine.exec(
        `CREATE OR REPLACE TABLE ${d.quoteIdent(CUSTOMER_FACTS_TABLE)} AS SELECT ${COLUMNS.map((c) => d.quoteIdent(c.name)).join(', ')} FROM ${d.quoteIdent('all_facts')} WHERE ${d.quoteIdent('replicate')} = ${d.literal(k)}`,
      );
      const values = new SqlValues(engine, 'nr');
      const { groupings } = segmentGroupings(ctx, values);
      const { mixings } = await mixingScan(ctx, values, groupings);
      const tested = mixings.filter((m) => m.result !== null);
      list.push({ claimed: tested.some((m) => m.passes), unscreened: tested.some((m) => (m.result?.difference.pValue ?? 1) < 0.05), tested: tested.length });
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    const dir = mkdtempSync(join(tmpdir(), 'cxray-referrals-null-'));
    await run('null', 0, SEEDS, dir);
    await run('planted', 0.5, seedList(20, 60_001), dir);
  }, 240_000);

  afterAll(async () => {
    await engine?.close();
  });

  it(`claims homophily in at most ${(100 * BOUND).toFixed(2)}% of ${SEEDS.length} replicates, where unscreened tests claim more`, () => {
    const list = outcomes.get('null') ?? [];
    expect(list).toHaveLength(SEEDS.length);
    expect(list.every((o) => o.tested === 3)).toBe(true);
    const rate = list.filter((o) => o.claimed).length / list.length;
    const unscreened = list.filter((o) => o.unscreened).length / list.length;
    process.stderr.write(`referrals null: homophily claimed in ${(100 * rate).toFixed(1)}% of replicates (bound ${(100 * BOUND).toFixed(2)}%); unscreened ${(100 * unscreened).toFixed(1)}%\n`);
    expect(rate).toBeLessThanOrEqual(BOUND);
    expect(unscreened).toBeGreaterThan(rate);
  });

  it('finds planted homophily (half the referrers drawn from the referred customer’s own a) in at least 18 of 20 replicates', () => {
    const list = outcomes.get('planted') ?? [];
    expect(list.filter((o) => o.claimed).length).toBeGreaterThanOrEqual(18);
  });
});
