import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { SeededRandom, seedList } from '../../stats/seeded-random.case.js';
import { testContext } from '../scope.case.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { higherPValue, validateRules } from './holdout.js';
import { MIN_RULE_CUSTOMERS } from './run-ideal-profile.js';
import { DEFAULT_SEARCH, searchRules, type ScoreSource } from './search.js';
import { alarmBound } from '../../stats/binomial-margin.case.js';

// Null replicates of the ideal profile's statistical core (search on the
// training half, test on the held-out half): small companies of 400
// customers with three attributes known at acquisition (3, 2 and 4 levels:
// 59 cells of one to three attributes) and a fit score drawn from one
// distribution whatever the attributes, heavy-tailed (mostly a spread of 15
// points, one customer in five a spread of 30). 200 replicates.
// The stated rate: when no group differs, a rule is reported as holding in at
// most 5% of analyses (Bonferroni over the rules tested on the held-out half).
// The bound checked is 0.05 + 3.09·√(0.05·0.95/200) = 0.0976, the one-sided
// 99.9% binomial margin. Not vacuous: the best rule's own training half
// "confirms" it (one-sided p < 0.05) in most replicates, and a planted group
// (a1 and b1, about 67 customers, +20 points) is found and holds out.

const CUSTOMERS = 400;
const SEEDS = seedList(200, 31_001);
const BOUND = alarmBound(0.05, SEEDS.length);
const LEVELS = { a: ['a1', 'a2', 'a3'], b: ['b1', 'b2'], c: ['c1', 'c2', 'c3', 'c4'] } as const;

function replicate(k: number, seed: number, planted: number): (string | number)[][] {
  const rng = new SeededRandom(seed);
  const rows: (string | number)[][] = [];
  for (let i = 0; i < CUSTOMERS; i += 1) {
    const a = LEVELS.a[Math.floor(rng.uniform() * 3)] as string;
    const b = LEVELS.b[Math.floor(rng.uniform() * 2)] as string;
    const c = LEVELS.c[Math.floor(rng.uniform() * 4)] as string;
    const noise = rng.uniform() < 0.8 ? 15 * rng.normal() : 30 * rng.normal();
    const fit = 50 + noise + (a === 'a1' && b === 'b1' ? planted : 0);
    rows.push([k, `r${seed}-c${i}`, a, b, c, Math.round(fit * 1000) / 1000]);
  }
  return rows;
}

const COLUMNS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'a', type: 'string' },
  { name: 'b', type: 'string' },
  { name: 'c', type: 'string' },
  { name: 'fit', type: 'double' },
];

interface Outcome {
  /** Some rule held out (reported as part of the profile). */
  reported: boolean;
  /** The best rule of a search without the training floor, tested on the half that found it: p < 0.05. */
  selfConfirmed: boolean;
  /** The first rule found is the planted group or inside it. */
  plantedFound: boolean;
}

describe('the ideal profile search over null replicates (no group differs in fit)', () => {
  let engine: DuckDbEngine;
  const outcomes = new Map<string, Outcome[]>();

  async function run(name: string, seeds: readonly number[], planted: number, dir: string): Promise<void> {
    const d = engine.dialect;
    const all = seeds.flatMap((seed, k) => replicate(k, seed, planted));
    const file = join(dir, `${name.replaceAll(' ', '-')}.csv`);
    writeFileSync(file, all.map((r) => r.join(',')).join('\n'));
    const types = [{ name: 'replicate', type: 'int32' as const }, ...COLUMNS].map((c) => `${d.literal(c.name)}: ${d.literal(d.columnType(c.type))}`).join(', ');
    await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent('all_facts')} AS SELECT * FROM read_csv(${d.literal(file)}, header = false, columns = {${types}})`);
    const columns = COLUMNS.map((c) => ({ name: c.name, type: c.type, unit: null, table: 'customers' as const, description: '' }));
    const attributes = (['a', 'b', 'c'] as const).map((n) => ({ name: n, source: n, type: 'string' as const, atAcquisition: true, unit: null }));
    const ctx: AnalysisContext = testContext(engine, { customers: CUSTOMERS, overrides: { facts: { columns, attributes } } });
    const list: Outcome[] = [];
    for (const k of seeds.keys()) {
      await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent(CUSTOMER_FACTS_TABLE)} AS SELECT ${COLUMNS.map((c) => d.quoteIdent(c.name)).join(', ')} FROM ${d.quoteIdent('all_facts')} WHERE ${d.quoteIdent('replicate')} = ${d.literal(k)}`);
      const values = new SqlValues(engine, 'nr');
      const { groupings } = segmentGroupings(ctx, values);
      const source: ScoreSource = { score: d.quoteIdent('fit'), join: null, where: [], query: (sql, more) => engine.query(sql, { ...values.params, ...more.params }) };
      const minimum = Math.max(MIN_RULE_CUSTOMERS, Math.ceil((0.01 * CUSTOMERS) / 2));
      const found = await searchRules(ctx, source, groupings, { ...DEFAULT_SEARCH, minimum });
      const validated = await validateRules(ctx, source, found.rules, { alpha: 0.05, practical: 2 });
      const first = validated[0];
      // The same search without its floor on the training z, its best rule judged on the half that found it.
      const loose = await searchRules(ctx, source, groupings, { ...DEFAULT_SEARCH, minimum, minimumZ: 0, maxRules: 1 });
      const best = loose.rules[0];
      const self = best === undefined ? null : higherPValue({ covered: best.covered, rest: best.rest });
      list.push({
        reported: validated.some((v) => v.holds),
        selfConfirmed: self !== null && self.pValue < 0.05,
        plantedFound: first !== undefined && first.holds && ['a=a1', 'b=b1'].every((c) => first.found.rule.key.split('&').includes(c)),
      });
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    const dir = mkdtempSync(join(tmpdir(), 'cxray-ideal-null-'));
    await run('null', SEEDS, 0, dir);
    await run('planted', seedList(20, 95_001), 20, dir);
  }, 240_000);

  afterAll(async () => {
    await engine?.close();
  });

  it(`reports a rule in at most ${(100 * BOUND).toFixed(2)}% of ${SEEDS.length} replicates, where the training half alone would confirm one in most`, () => {
    const list = outcomes.get('null') ?? [];
    expect(list).toHaveLength(SEEDS.length);
    const rate = list.filter((o) => o.reported).length / list.length;
    const self = list.filter((o) => o.selfConfirmed).length / list.length;
    process.stderr.write(`ideal-profile null: a rule reported in ${(100 * rate).toFixed(1)}% of replicates (bound ${(100 * BOUND).toFixed(2)}%); training half alone confirms its best rule in ${(100 * self).toFixed(1)}%\n`);
    expect(rate).toBeLessThanOrEqual(BOUND);
    expect(self).toBeGreaterThan(0.5);
  });

  it('finds a planted group (a1 and b1, about 67 customers, +20 fit points) and keeps it on the held-out half in at least 16 of 20 replicates', () => {
    const list = outcomes.get('planted') ?? [];
    expect(list.filter((o) => o.plantedFound).length).toBeGreaterThanOrEqual(16);
  });
});
