import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { drawComment } from '../../simulate/comments.js';
import { csvLine } from '../../simulate/csv-writer.js';
import { Rng } from '../../simulate/random.js';
import { AREAS, type NpsClass } from '../../simulate/satisfaction.js';
import { alarmBound, binomialMargin } from '../../stats/binomial-margin.case.js';
import { seedList } from '../../stats/seeded-random.case.js';
import type { Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import { testContext } from '../scope.case.js';
import { commentsAnalysis } from './index.js';
import { runComments } from './run-comments.js';

// Null replicates of comments: small companies (500 customers, one survey
// response each: an NPS answer and, for about 60%, a comment drawn by the
// simulator: its 8 planted themes, 8% Spanish or French, typos). The
// comment's theme and the response's NPS answer are drawn independently
// (35% promoters, 30% passives, 35% detractors), so no theme moves NPS.
// Each run goes through runComments on one replicate (the scope is
// `replicate = k` over tables holding all of them).
// - "null": the stated rate: an NPS-impact alert in at most 5% of analyses
//   (the false discovery rate; under the complete null any alert is false);
//   checked against 0.05 + 3.09·√(0.05·0.95/200) = 0.0976, the one-sided
//   99.9% binomial margin. Not vacuous: each compared theme's raw one-sided
//   test at 5% (a lower NPS among those who mention it) must reject in 5% of
//   the theme-tests within ±3.09 binomial standard errors, and the opposite
//   tail too (the NPS-difference interval is calibrated, neither too narrow
//   nor too wide).
// - "planted": billing complainers answer NPS with 60% detractors and 15%
//   promoters (NPS −45 against 0): in companies of 2,000 customers the
//   billing complaint theme alerts in at least 18 of 20, and no other theme
//   in more than 2.

const SEEDS = seedList(200, 81_001);
const BOUND = alarmBound(0.05, SEEDS.length);
const NULL_MIX = [0.35, 0.3, 0.35];
const BILLING_MIX = [0.15, 0.25, 0.6];

interface Plan {
  customers: number;
  planted: boolean;
}

function npsScore(rng: Rng, mix: readonly number[]): number {
  const cls = rng.weighted(mix);
  return cls === 0 ? rng.int(9, 10) : cls === 1 ? rng.int(7, 8) : rng.int(0, 6);
}

function replicate(k: number, seed: number, plan: Plan, facts: string[], answers: string[]): void {
  const rng = Rng.fromSeed(seed);
  for (let i = 0; i < plan.customers; i += 1) {
    const id = `r${k}c${i}`;
    const at = `2025-${String(1 + rng.int(0, 11)).padStart(2, '0')}-${String(1 + rng.int(0, 27)).padStart(2, '0')} 12:00:00`;
    facts.push(csvLine([String(k), id]));
    const ratings = AREAS.map(() => rng.int(1, 5));
    const drawnClass: NpsClass = (['promoter', 'passive', 'detractor'] as const)[rng.weighted(NULL_MIX)] ?? 'passive';
    const comment = drawComment(rng, drawnClass, ratings);
    const score = npsScore(rng, plan.planted && comment?.theme === 'billing_confusion' ? BILLING_MIX : NULL_MIX);
    answers.push(csvLine([id, `R${k}_${i}`, at, 'nps', String(score), '']));
    if (comment !== null) answers.push(csvLine([id, `R${k}_${i}`, at, 'comment', '', comment.text]));
  }
}

interface ThemeOutcome {
  key: string;
  status: string;
  p: number | null;
}

describe('comments over null replicates (themes independent of NPS)', () => {
  let engine: DuckDbEngine;
  const outcomes = new Map<string, ThemeOutcome[][]>();

  async function run(name: string, plan: Plan, seeds: readonly number[], dir: string): Promise<void> {
    const d = engine.dialect;
    const q = d.quoteIdent;
    const facts: string[] = [];
    const answers: string[] = [];
    seeds.forEach((seed, k) => replicate(k, seed, plan, facts, answers));
    writeFileSync(join(dir, `${name}-facts.csv`), facts.join('\n'));
    writeFileSync(join(dir, `${name}-answers.csv`), answers.join('\n'));
    const types = (columns: ColumnSpec[]): string => columns.map((c) => `${d.literal(c.name)}: ${d.literal(d.columnType(c.type))}`).join(', ');
    const read = (file: string, columns: ColumnSpec[]): string => `read_csv(${d.literal(join(dir, file))}, header = false, quote = '"', escape = '"', columns = {${types(columns)}})`;
    const factColumns: ColumnSpec[] = [
      { name: 'replicate', type: 'int32' },
      { name: 'customer_id', type: 'string' },
    ];
    await engine.exec(`CREATE OR REPLACE TABLE ${q(CUSTOMER_FACTS_TABLE)} AS SELECT * FROM ${read(`${name}-facts.csv`, factColumns)}`);
    const answerColumns: ColumnSpec[] = [
      { name: 'customer_id', type: 'string' },
      { name: 'response_id', type: 'string' },
      { name: 'at', type: 'timestamp' },
      { name: 'instrument', type: 'string' },
      { name: 'score', type: 'double' },
      { name: 'comment', type: 'string' },
    ];
    await engine.exec(`CREATE OR REPLACE TABLE ${q('survey_responses')} AS SELECT *, CAST(NULL AS VARCHAR) AS ${q('area')} FROM ${read(`${name}-answers.csv`, answerColumns)}`);
    const list: ThemeOutcome[][] = [];
    for (const k of seeds.keys()) {
      const ctx = testContext(engine, {
        where: `${q('replicate')} = ${d.literal(k)}`,
        customers: plan.customers,
        overrides: { tableRows: { customers: plan.customers, survey_responses: 1 } },
      });
      const result: Result = await runComments(ctx, commentsAnalysis);
      expect([result.status, result.reason]).toEqual(['ok', undefined]);
      list.push(resultRows(result, 'comment_themes').map((r) => ({ key: String(r['key']), status: String(r['status']), p: typeof r['p_value'] === 'number' ? r['p_value'] : null })));
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    const dir = mkdtempSync(join(tmpdir(), 'cxray-comments-null-'));
    await run('null', { customers: 500, planted: false }, SEEDS, dir);
    await run('planted', { customers: 2000, planted: true }, seedList(20, 91_001), dir);
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
  });

  it(`null: an NPS-impact alert in at most ${(100 * BOUND).toFixed(2)}% of ${SEEDS.length} replicates; each compared theme's raw one-sided test rejects at its 5%`, () => {
    const list = outcomes.get('null') ?? [];
    expect(list).toHaveLength(SEEDS.length);
    const compared = list.flat().filter((o) => o.p !== null);
    // Most themes have the 30 NPS answers a comparison needs on each side: 5 or 6 of the 8 in a replicate.
    expect(compared.length).toBeGreaterThanOrEqual(3 * SEEDS.length);
    const alerts = list.filter((themes) => themes.some((o) => o.status === 'alert')).length / list.length;
    const lower = compared.filter((o) => (o.p ?? 1) < 0.05).length / compared.length;
    const higher = compared.filter((o) => (o.p ?? 0) > 0.95).length / compared.length;
    const margin = binomialMargin(0.05, compared.length);
    process.stderr.write(
      `comments null: alerts in ${(100 * alerts).toFixed(1)}% of replicates (bound ${(100 * BOUND).toFixed(2)}%); raw one-sided tests reject ${(100 * lower).toFixed(2)}% of ${compared.length} below, ${(100 * higher).toFixed(2)}% above (5% ± ${(100 * margin).toFixed(2)})\n`,
    );
    expect(alerts).toBeLessThanOrEqual(BOUND);
    for (const tail of [lower, higher]) {
      expect(tail).toBeGreaterThanOrEqual(0.05 - margin);
      expect(tail).toBeLessThanOrEqual(0.05 + margin);
    }
  });

  it('planted: the billing complaints (NPS −45 against 0) alert in at least 18 of 20 companies of 2,000, other themes in at most 2', () => {
    const list = outcomes.get('planted') ?? [];
    expect(list).toHaveLength(20);
    const flagged = list.filter((themes) => themes.find((o) => o.key === 'billing.negative')?.status === 'alert').length;
    const others = list.filter((themes) => themes.some((o) => o.key !== 'billing.negative' && o.status === 'alert')).length;
    process.stderr.write(`comments planted (billing complaints at NPS −45): flagged in ${flagged} of 20; another theme in ${others}\n`);
    expect(flagged).toBeGreaterThanOrEqual(18);
    expect(others).toBeLessThanOrEqual(2);
  });
});
