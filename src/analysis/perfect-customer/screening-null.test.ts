import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import type { RowValue } from '../../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { SeededRandom } from '../../stats/seeded-random.case.js';
import { retentionWindow } from '../retention/window.js';
import { testContext } from '../scope.case.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { satisfactionMeasure } from './satisfaction.js';
import { screeningSection } from './screening.js';
import { alarmBound } from '../../stats/binomial-margin.case.js';

// Null replicates: 200 small companies (500 customers each) in which every
// behaviour event is drawn independently of churn and of the NPS answer, so
// every discovery is false. Under this complete null the false discovery
// proportion of a replicate is 1 when anything passes and 0 otherwise, and
// Benjamini-Hochberg at q = 0.05 keeps its expectation, the FDR, at or below
// 0.05 (the tests on one outcome share it, a positive dependence BH
// tolerates). The bound checked: the mean over R = 200 replicates of a
// Bernoulli(p <= 0.05) stays under 0.05 + 3.09 * sqrt(0.05 * 0.95 / 200) =
// 0.0976, the one-sided 99.9% binomial margin.

const SEEDS: readonly number[] = Array.from({ length: 200 }, (_, k) => 50_001 + 7 * k);
const CUSTOMERS = 500;
const EVENTS: readonly [string, number][] = [
  ['rare_tip', 0.1],
  ['coupon', 0.2],
  ['wishlist', 0.3],
  ['video', 0.45],
  ['search', 0.6],
  ['login', 0.8],
];
const FDR_BOUND = alarmBound(0.05, SEEDS.length);

const DAY = 86_400_000;
const HISTORY_START = Date.parse('2022-01-01T00:00:00Z');
const WINDOW_START = Date.parse('2025-01-01T00:00:00Z');
const AS_OF_END = Date.parse('2026-01-01T00:00:00Z');

function replicateRows(replicate: number, seed: number): { facts: RowValue[][]; events: RowValue[][] } {
  const rng = new SeededRandom(seed);
  const facts: RowValue[][] = [];
  const events: RowValue[][] = [];
  const iso = (ms: number): string => new Date(ms).toISOString();
  for (let i = 0; i < CUSTOMERS; i += 1) {
    const id = `r${replicate}-${i}`;
    // Everyone signed up before the window opens and was active at its start.
    const signup = HISTORY_START + Math.floor(rng.uniform() * ((WINDOW_START - HISTORY_START) / DAY - 30)) * DAY;
    const churned = rng.uniform() < 0.25;
    const churnedAt = churned ? WINDOW_START + Math.floor(1 + rng.uniform() * 360) * DAY : null;
    const nps = rng.uniform() < 0.7 ? (rng.uniform() < 0.35 ? 9 + Math.floor(rng.uniform() * 2) : Math.floor(rng.uniform() * 9)) : null;
    const exposure = ((churnedAt ?? AS_OF_END) - signup) / DAY;
    facts.push([id, iso(signup), exposure, '100.0000', churned, churnedAt === null ? null : iso(churnedAt), nps]);
    for (const [name, adoption] of EVENTS) {
      if (rng.uniform() >= adoption) continue;
      // The event's time is drawn from the whole history after signup, whatever the customer's churn or answer.
      events.push([id, iso(signup + Math.floor(rng.uniform() * ((AS_OF_END - signup) / 1000)) * 1000), name]);
    }
  }
  return { facts, events };
}

describe('behaviour screening over 200 null replicates (events independent of churn and satisfaction)', () => {
  let engine: DuckDbEngine;
  const outcomes: { discoveries: number; tests: number; rawFalse: number; rawRejected: number }[] = [];

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    const d = engine.dialect;
    const factColumns: ColumnSpec[] = [
      { name: 'customer_id', type: 'string' },
      { name: 'signup_at', type: 'timestamp' },
      { name: 'exposure_days', type: 'double' },
      { name: 'net_revenue', type: 'money' },
      { name: 'churned', type: 'boolean' },
      { name: 'churned_at', type: 'timestamp' },
      { name: 'latest_nps', type: 'double' },
    ];
    const eventColumns: ColumnSpec[] = [{ name: 'customer_id', type: 'string' }, { name: 'at', type: 'timestamp' }, { name: 'behaviour', type: 'string' }];
    // Loaded through CSV files in one read each: far faster than inserting 300k rows through the engine.
    const dir = mkdtempSync(join(tmpdir(), 'cxray-screening-null-'));
    const csv = (rows: readonly RowValue[][]): string => rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n');
    const facts: RowValue[][] = [];
    const events: RowValue[][] = [];
    for (const [k, seed] of SEEDS.entries()) {
      const replicate = replicateRows(k, seed);
      facts.push(...replicate.facts.map((r) => [k, ...r]));
      events.push(...replicate.events.map((r) => [k, ...r]));
    }
    writeFileSync(join(dir, 'facts.csv'), csv(facts));
    writeFileSync(join(dir, 'events.csv'), csv(events));
    const load = (table: string, file: string, columns: readonly ColumnSpec[]): string => {
      const types = [{ name: 'replicate', type: 'int32' as const }, ...columns].map((c) => `${d.literal(c.name)}: ${d.literal(d.columnType(c.type))}`).join(', ');
      return `CREATE TABLE ${d.quoteIdent(table)} AS SELECT * FROM read_csv(${d.literal(join(dir, file))}, header = false, columns = {${types}})`;
    };
    await engine.exec(load('all_facts', 'facts.csv', factColumns));
    await engine.exec(load('all_events', 'events.csv', eventColumns));
    const columns = factColumns.map((c) => ({ name: c.name, type: c.type, unit: null, table: 'customers' as const, description: '' }));
    const ctx: AnalysisContext = testContext(engine, {
      customers: CUSTOMERS,
      overrides: { tableRows: { customers: CUSTOMERS, transactions: 1, survey_responses: 1, behaviour_events: 1, status_changes: 1 }, facts: { columns, attributes: [] } },
    });
    // One replicate at a time as customer_facts and behaviour_events: each query reads only its own 500 customers.
    const copy = (table: string, from: string, columns: readonly ColumnSpec[], k: number): string =>
      `CREATE OR REPLACE TABLE ${d.quoteIdent(table)} AS SELECT ${columns.map((c) => d.quoteIdent(c.name)).join(', ')} FROM ${d.quoteIdent(from)} WHERE ${d.quoteIdent('replicate')} = ${d.literal(k)}`;
    for (const k of SEEDS.keys()) {
      await engine.exec(copy(CUSTOMER_FACTS_TABLE, 'all_facts', factColumns, k));
      await engine.exec(copy('behaviour_events', 'all_events', eventColumns, k));
      const values = new SqlValues(engine, 'pc');
      const window = await retentionWindow(ctx, values);
      const measure = await satisfactionMeasure(ctx, values);
      const section = await screeningSection(ctx, values, window, measure);
      const table = section.tables?.[0];
      const at = (name: string): number => table?.columns.findIndex((c) => c.name === name) ?? -1;
      const rows = table?.rows ?? [];
      const rawRejected = rows.filter((r) => (r[at('p_value')] as number) <= 0.05).length;
      const rawFalse = rows.some((r) => (r[at('p_value')] as number) <= 0.05 && Math.abs(r[at('within_tenure_difference')] as number) >= 1) ? 1 : 0;
      outcomes.push({ discoveries: section.findings?.length ?? 0, tests: rows.length, rawFalse, rawRejected });
    }
  }, 240_000);

  afterAll(async () => {
    await engine?.close();
  });

  it('tests most event x outcome pairs in every replicate, with p-values that reject about 5% unscreened', () => {
    expect(outcomes).toHaveLength(200);
    const tests = outcomes.reduce((s, o) => s + o.tests, 0);
    // 6 events x 2 outcomes; the rarest event sometimes lacks support for retention (flags before the window only).
    expect(tests / outcomes.length).toBeGreaterThan(10);
    expect(tests / outcomes.length).toBeLessThanOrEqual(12);
    const rejected = outcomes.reduce((s, o) => s + o.rawRejected, 0) / tests;
    expect(rejected).toBeGreaterThan(0.03);
    expect(rejected).toBeLessThan(0.07);
  });

  it(`keeps the false discovery rate within ${FDR_BOUND.toFixed(4)}, where testing each pair at 5% without screening would not`, () => {
    // Every discovery is false here, so a replicate's false discovery proportion is 1 when it has any.
    const fdp = outcomes.map((o) => (o.discoveries > 0 ? 1 : 0) as number);
    const fdr = fdp.reduce((s, x) => s + x, 0) / fdp.length;
    process.stderr.write(`null replicates: observed FDR ${fdr.toFixed(3)} (bound ${FDR_BOUND.toFixed(4)})\n`);
    expect(fdr).toBeLessThanOrEqual(FDR_BOUND);
    // Not vacuous: the same p-values tested one by one (p <= 0.05 and the 1-point threshold) give far more false discoveries.
    const unscreened = outcomes.reduce((s, o) => s + o.rawFalse, 0) / outcomes.length;
    expect(unscreened).toBeGreaterThan(FDR_BOUND);
  });
});
