import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../engine/dialect.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { seedList } from '../../stats/seeded-random.case.js';
import { resultRows } from '../result-rows.case.js';
import { testContext } from '../scope.case.js';
import { AFTERMATH_AS_OF, aftermathRows, NO_EFFECT, PLANTED_CHURN_DIFFERENCE, PLANTED_EFFECT, PLANTED_NPS_DIFFERENCE, type FeeEffect } from './aftermath-company.case.js';
import { feeAftermathAnalysis } from './index.js';
import { runFeeAftermath } from './run-fee-aftermath.js';
import { alarmBound, binomialMargin } from '../../stats/binomial-margin.case.js';

// Replicates of fee-aftermath on small companies (aftermath-company.case.ts:
// 500 customers, 40% charged overage_fee in one of three fee weeks, 25%
// admin_fee, which nothing follows), each through runFeeAftermath over
// hand-built tables (one replicate at a time).
// - "null": no fee changes anything. Each line's two-sided test at 5% (churn
//   and NPS, 4 tests a replicate, 400 in all) must reject in 5% ± 3.09
//   binomial standard errors: the interval is neither too narrow nor too
//   wide; and a difference passes the screen in at most 5% of replicates plus
//   the same margin (the false discovery rate; any pass is false here).
// - "planted": overage_fee adds 0.2·e^(−0.09) ≈ 18.3 points of 90-day churn
//   and moves NPS from +10 to −45 (−55 points). Over 30 replicates the mean
//   estimates lie within 3 standard errors of the planted values, each
//   interval holds them in at least 26 of 30 (95% nominal: 28.5), and every
//   replicate flags both; admin_fee stays a null line.

const NULL_SEEDS = seedList(100, 81_001);
const PLANTED_SEEDS = seedList(30, 82_001);
const CUSTOMERS = 500;

const FACTS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'signup_at', type: 'timestamp' },
  { name: 'segment', type: 'string' },
  { name: 'churned', type: 'boolean' },
  { name: 'churned_at', type: 'timestamp' },
  { name: 'latest_nps', type: 'double' },
];

interface Outcome {
  line: string;
  outcome: string;
  status: string;
  difference: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
}

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

describe('fee-aftermath over replicates with no effect and with a planted one', () => {
  let engine: DuckDbEngine;
  let dir: string;
  const outcomes = new Map<string, Outcome[][]>();

  async function run(name: string, effect: FeeEffect, seeds: readonly number[]): Promise<void> {
    const d = engine.dialect;
    const q = d.quoteIdent;
    const list: Outcome[][] = [];
    for (const [k, seed] of seeds.entries()) {
      const rows = aftermathRows(seed, CUSTOMERS, effect, `r${k}c`);
      const write = (file: string, lines: string[]): string => {
        const path = join(dir, `${name}-${file}.csv`);
        writeFileSync(path, lines.join('\n'));
        return path;
      };
      const table = async (table: string, path: string, columns: ColumnSpec[], select = '*'): Promise<void> => {
        const types = columns.map((c) => `${d.literal(c.name)}: ${d.literal(d.columnType(c.type))}`).join(', ');
        await engine.exec(`CREATE OR REPLACE TABLE ${q(table)} AS SELECT ${select} FROM read_csv(${d.literal(path)}, header = false, columns = {${types}})`);
      };
      const facts = write('facts', rows.customers.map((c) => [c.id, stamp(c.signup), c.segment, c.churn !== null, c.churn === null ? '' : stamp(c.churn), c.latestNps ?? ''].join(',')));
      await table(CUSTOMER_FACTS_TABLE, facts, FACTS);
      await engine.exec(`CREATE OR REPLACE TABLE ${q('customers')} AS SELECT ${q('customer_id')}, ${q('signup_at')} FROM ${q(CUSTOMER_FACTS_TABLE)}`);
      const payments = write('payments', rows.payments.map((p) => [p.id, stamp(p.at), p.kind, p.amount.toFixed(2), p.category].join(',')));
      await table(
        'transactions',
        payments,
        [
          { name: 'customer_id', type: 'string' },
          { name: 'at', type: 'timestamp' },
          { name: 'kind', type: 'string' },
          { name: 'amount', type: 'money' },
          { name: 'category', type: 'string' },
        ],
        `*, 'USD' AS ${q('currency')}, ${q('amount')} AS ${q('original_amount')}, 'USD' AS ${q('original_currency')}`,
      );
      const answers = write('answers', rows.answers.map((a) => [a.id, stamp(a.at), a.score].join(',')));
      await table(
        'survey_responses',
        answers,
        [
          { name: 'customer_id', type: 'string' },
          { name: 'at', type: 'timestamp' },
          { name: 'score', type: 'double' },
        ],
        `*, 'nps' AS ${q('instrument')}`,
      );
      const ctx = testContext(engine, {
        customers: CUSTOMERS,
        overrides: {
          asOf: AFTERMATH_AS_OF,
          tableRows: { customers: CUSTOMERS, transactions: 1, survey_responses: 1, status_changes: 1 },
          facts: {
            columns: FACTS.map((c) => ({ name: c.name, type: c.type, unit: null, table: 'customers' as const, description: '' })),
            attributes: [{ name: 'segment', source: 'segment', type: 'string', atAcquisition: true, unit: null }],
          },
        },
      });
      const result = await runFeeAftermath(ctx, feeAftermathAnalysis);
      expect([result.status, result.reason]).toEqual(['ok', undefined]);
      list.push(
        resultRows(result, 'fee_aftermath').map((r) => {
          const n = (x: unknown): number | null => (typeof x === 'number' ? x : null);
          return { line: String(r['line']), outcome: String(r['outcome']), status: String(r['status']), difference: n(r['difference']), lower: n(r['lower']), upper: n(r['upper']), p: n(r['p_value']) };
        }),
      );
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    dir = mkdtempSync(join(tmpdir(), 'cxray-fee-aftermath-null-'));
    await run('null', NO_EFFECT, NULL_SEEDS);
    await run('planted', PLANTED_EFFECT, PLANTED_SEEDS);
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
  });

  it('null: each two-sided test rejects at its 5%, and a difference passes the screen in at most 5% of replicates (plus the binomial margin)', () => {
    const list = outcomes.get('null') ?? [];
    const tests = list.flat().filter((o) => o.p !== null);
    expect(tests.length).toBe(4 * NULL_SEEDS.length);
    const rate = tests.filter((o) => (o.p ?? 1) < 0.05).length / tests.length;
    const margin = binomialMargin(0.05, tests.length);
    const flagged = list.filter((lines) => lines.some((o) => o.status.endsWith('after the fee'))).length / list.length;
    const bound = alarmBound(0.05, list.length);
    process.stderr.write(`fee-aftermath null: tests reject ${(100 * rate).toFixed(2)}% of ${tests.length} (5% ± ${(100 * margin).toFixed(2)}); a difference flagged in ${(100 * flagged).toFixed(1)}% of replicates (bound ${(100 * bound).toFixed(1)}%)\n`);
    expect(rate).toBeGreaterThanOrEqual(0.05 - margin);
    expect(rate).toBeLessThanOrEqual(0.05 + margin);
    expect(flagged).toBeLessThanOrEqual(bound);
  });

  it('planted: recovers 18.3 points of churn and −55 NPS points after the overage fee, inside its intervals, and nothing after the admin fee', () => {
    const list = outcomes.get('planted') ?? [];
    const report: string[] = [];
    for (const [outcome, planted] of [['churn', PLANTED_CHURN_DIFFERENCE], ['satisfaction', PLANTED_NPS_DIFFERENCE]] as const) {
      const found = list.map((lines) => lines.find((o) => o.line === 'overage_fee' && o.outcome === outcome));
      const estimates = found.map((o) => o?.difference ?? Number.NaN);
      const mean = estimates.reduce((s, x) => s + x, 0) / estimates.length;
      const sd = Math.sqrt(estimates.reduce((s, x) => s + (x - mean) ** 2, 0) / (estimates.length - 1));
      const covered = found.filter((o) => (o?.lower ?? 0) <= planted && planted <= (o?.upper ?? 0)).length;
      report.push(`${outcome}: mean ${mean.toFixed(4)} (sd ${sd.toFixed(4)}) against ${planted.toFixed(4)}; interval holds it in ${covered} of ${list.length}`);
      expect(Math.abs(mean - planted), outcome).toBeLessThan((3 * sd) / Math.sqrt(estimates.length));
      expect(covered, outcome).toBeGreaterThanOrEqual(26);
      expect(found.every((o) => o?.status === 'worse after the fee'), outcome).toBe(true);
    }
    const admin = list.filter((lines) => lines.some((o) => o.line === 'admin_fee' && o.status.endsWith('after the fee'))).length;
    report.push(`admin_fee flagged in ${admin} of ${list.length}`);
    process.stderr.write(`fee-aftermath planted: ${report.join('; ')}\n`);
    expect(admin).toBeLessThanOrEqual(3);
  });
});
