import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { alarmBound } from '../../stats/binomial-margin.case.js';
import { SeededRandom, seedList } from '../../stats/seeded-random.case.js';
import { areaPerformance } from '../key-drivers/area-performance.js';
import { responseRows } from '../key-drivers/response-rows.js';
import { surveyAreas, surveyCounts } from '../key-drivers/survey-layout.js';
import { testContext } from '../scope.case.js';
import { DEFAULT_SCORECARD_MARGIN } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { areaScores } from './area-scores.js';
import { buildScorecard } from './scorecard-model.js';
import { areaStatus, type Status } from './status.js';

// Null replicates of the scorecard's status rule: small companies (150
// customers) answering 1 to 5 surveys each (3 on average), every response
// rating four areas A-D drawn from one distribution: 3 + the customer's own
// lasting view of that area (sd 0.9) + the response's noise (sd 0.7),
// rounded to 1-5. No area differs, so every weak or strong status is false.
// The stated rate: with the margin at 0 (the rule's worst case) an area is
// called weak in at most 2.5% of samples and strong in at most 2.5% (its
// upper, or lower, 95% bound against the overall); bounded over the 800
// area-trials by 0.025 + 3.09·√(0.025·0.975/800) = 4.2%, the one-sided
// 99.9% binomial margin. Not vacuous: the same rule on intervals that take
// responses as independent (key-drivers' performance, the usual t interval)
// fires beyond that bound, because a customer's several answers about an
// area agree; and an area planted 0.8 of a step lower (as the simulator
// plants its weak area) is called weak in every planted replicate.

const CUSTOMERS = 150;
const AREAS = ['A', 'B', 'C', 'D'] as const;
const SEEDS = seedList(200, 61_003);
const BOUND = alarmBound(0.025, SEEDS.length * AREAS.length);

/** One company's answers (replicate, response, customer, at, instrument, area, score); area A shifted by `plantedA` steps. */
function replicate(k: number, seed: number, plantedA: number): string[] {
  const rng = new SeededRandom(seed);
  const rows: string[] = [];
  for (let c = 0; c < CUSTOMERS; c += 1) {
    const views = AREAS.map(() => 0.9 * rng.normal());
    const responses = 1 + Math.floor(rng.uniform() * 5);
    for (let r = 0; r < responses; r += 1) {
      const day = 1 + Math.floor(rng.uniform() * 28);
      const at = `2025-${String(1 + Math.floor(rng.uniform() * 12)).padStart(2, '0')}-${String(day).padStart(2, '0')} 10:00:00`;
      AREAS.forEach((area, a) => {
        const score = Math.min(5, Math.max(1, Math.round(3 + (views[a] ?? 0) + 0.7 * rng.normal() - (area === 'A' ? plantedA : 0))));
        rows.push(`${k},r${c}-${r},c${c},${at},rating,${area},${score}`);
      });
    }
  }
  return rows;
}

interface Outcome {
  clustered: { margin0: Status[]; margin: Status[] };
  naive: Status[];
}

describe('scorecard statuses over null replicates (every area drawn alike)', () => {
  let engine: DuckDbEngine;
  const outcomes = new Map<string, Outcome[]>();

  async function run(name: string, seeds: readonly number[], plantedA: number, dir: string): Promise<void> {
    const d = engine.dialect;
    const q = d.quoteIdent;
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, seeds.flatMap((seed, k) => replicate(k, seed, plantedA)).join('\n'));
    await engine.exec(
      `CREATE OR REPLACE TABLE ${q('all_answers')} AS SELECT * FROM read_csv(${d.literal(file)}, header = false, columns = {'replicate': 'INTEGER', 'response_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'at': 'TIMESTAMP', 'instrument': 'VARCHAR', 'area': 'VARCHAR', 'score': 'DOUBLE'})`,
    );
    const ctx: AnalysisContext = testContext(engine, {
      customers: CUSTOMERS,
      overrides: { tableRows: { customers: CUSTOMERS, survey_responses: 1 }, facts: { columns: [{ name: 'customer_id', type: 'string', unit: null, table: 'customers', description: '' }], attributes: [] } },
    });
    const list: Outcome[] = [];
    for (const k of seeds.keys()) {
      await engine.exec(`CREATE OR REPLACE TABLE ${q('survey_responses')} AS SELECT * EXCLUDE (${q('replicate')}) FROM ${q('all_answers')} WHERE ${q('replicate')} = ${k}`);
      await engine.exec(`CREATE OR REPLACE TABLE ${q(CUSTOMER_FACTS_TABLE)} AS SELECT DISTINCT ${q('customer_id')} FROM ${q('survey_responses')}`);
      const areas = surveyAreas(ctx, await surveyCounts(ctx));
      expect(areas.map((a) => a.name)).toEqual([...AREAS]);
      const scores = await areaScores(ctx, 'rating', areas);
      const statuses = (margin: number): Status[] => buildScorecard(ctx.config, scores, [], [], null, margin).areas.map((a) => a.rating.status ?? 'average');
      const naive = await areaPerformance(ctx, responseRows(ctx, { instrument: 'rating' }, areas), areas);
      const overall = naive.areas.reduce((s, p) => s + (p.performance ?? 0), 0) / naive.areas.length;
      list.push({
        clustered: { margin0: statuses(0), margin: statuses(DEFAULT_SCORECARD_MARGIN) },
        naive: naive.areas.map((p) => (p.performanceInterval === null ? 'average' : areaStatus(p.performanceInterval, overall, 0))),
      });
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    const dir = mkdtempSync(join(tmpdir(), 'cxray-scorecard-null-'));
    await run('null', SEEDS, 0, dir);
    await run('planted', seedList(20, 71_003), 0.8, dir);
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
  });

  it(`calls an area weak, or strong, in at most ${(100 * BOUND).toFixed(1)}% of ${SEEDS.length * AREAS.length} area-trials at margin 0, where intervals over independent responses fire more`, () => {
    const list = outcomes.get('null') ?? [];
    expect(list).toHaveLength(SEEDS.length);
    const trials = list.length * AREAS.length;
    const rate = (pick: (o: Outcome) => Status[], status: Status): number => list.reduce((s, o) => s + pick(o).filter((x) => x === status).length, 0) / trials;
    const weak = rate((o) => o.clustered.margin0, 'weak');
    const strong = rate((o) => o.clustered.margin0, 'strong');
    const naiveWeak = rate((o) => o.naive, 'weak');
    const naiveStrong = rate((o) => o.naive, 'strong');
    const atMargin = rate((o) => o.clustered.margin, 'weak') + rate((o) => o.clustered.margin, 'strong');
    process.stderr.write(
      `scorecard null: margin 0 weak ${(100 * weak).toFixed(2)}%, strong ${(100 * strong).toFixed(2)}% (bound ${(100 * BOUND).toFixed(2)}% each); ` +
        `default margin ${DEFAULT_SCORECARD_MARGIN}: weak or strong ${(100 * atMargin).toFixed(2)}%; responses as independent: weak ${(100 * naiveWeak).toFixed(2)}%, strong ${(100 * naiveStrong).toFixed(2)}%\n`,
    );
    expect(weak).toBeLessThanOrEqual(BOUND);
    expect(strong).toBeLessThanOrEqual(BOUND);
    expect(atMargin).toBeLessThanOrEqual(BOUND);
    expect(naiveWeak).toBeGreaterThan(BOUND);
    expect(naiveStrong).toBeGreaterThan(BOUND);
  });

  it('calls an area planted 0.8 of a step lower weak in all 20 planted replicates at the default margin, and no other area weak', () => {
    const list = outcomes.get('planted') ?? [];
    expect(list).toHaveLength(20);
    expect(list.filter((o) => o.clustered.margin[0] === 'weak')).toHaveLength(20);
    expect(list.flatMap((o) => o.clustered.margin.slice(1)).filter((s) => s === 'weak')).toEqual([]);
  });
});
