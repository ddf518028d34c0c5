import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { CUSTOMER_FACTS_TABLE } from '../../facts/index.js';
import { SeededRandom, seedList } from '../../stats/seeded-random.case.js';
import { testContext } from '../scope.case.js';
import { practicalThresholds } from '../thresholds.js';
import { DAY_MS, inQuarterEndWindow } from './fiscal-calendar.js';
import { quarterEndAnalysis } from './index.js';
import { DAYS_PER_MONTH } from './settings.js';
import { alarmBound } from '../../stats/binomial-margin.case.js';

// Null replicates of the whole analysis: small companies of 600 customers
// signing up over 2023-2024 (twice as many a day at the end as at the start,
// no push), as_of 2025-03-31, the default 14-day window. Each customer pays
// a monthly plan (30, 50 or 80) on every monthly anniversary while active,
// so purchase revenue per day repeats each customer's day of the month (the
// persistence the day-of-month strata must absorb); 5% refund their first
// charge; churn is exponential, 4% a month on monthly contracts and 1.5% on
// annual ones (a covariate the hazard model should adjust for); 40% answer
// NPS and CSAT. Nothing depends on the day a customer signed.
// The stated rates: some comparison claimed (six screened together by
// Benjamini-Hochberg at 5%) in at most 5% of analyses; the money alert (the
// push's net value's 95% interval below zero, one-sided) in at most 2.5%.
// Bounds checked: the one-sided 99.9% binomial margin over 200 replicates,
// 0.05 + 3.09·√(0.05·0.95/200) = 0.0976 and 0.025 + 3.09·√(0.025·0.975/200)
// = 0.0591. Not vacuous: 20 companies of 1,200 customers with the planted
// push (1.6 times the customers a day in the window, early refunds 15%
// against 4%, churn hazard ratio 1.8) have the refund and churn excess and
// the intake claimed in at least 18.

const CUSTOMERS = 600;
const SEEDS = seedList(200, 71_001);
const FAMILY_BOUND = alarmBound(0.05, SEEDS.length);
const ALERT_BOUND = alarmBound(0.025, SEEDS.length);
const START = Date.UTC(2023, 0, 1);
const DAYS = 731;
const AS_OF = '2025-03-31';
const AS_OF_END = Date.UTC(2025, 3, 1);
const PLANS = [30, 50, 80];

interface Push {
  intake: number;
  refunds: [number, number];
  hazardRatio: number;
}

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function replicate(seed: number, customers: number, push: Push | null, k: number, facts: string[], transactions: string[]): void {
  const rng = new SeededRandom(seed);
  const weights = Array.from({ length: DAYS }, (_, day) => (1 + day / (DAYS - 1)) * (push !== null && inQuarterEndWindow(START + day * DAY_MS, 14, 1) ? push.intake : 1));
  const total = weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < customers; i += 1) {
    let u = rng.uniform() * total;
    let day = 0;
    while (day < DAYS - 1 && u >= (weights[day] ?? 0)) u -= weights[day++] ?? 0;
    const signup = START + day * DAY_MS + Math.floor(rng.uniform() * 1440) * 60_000;
    const window = inQuarterEndWindow(signup, 14, 1);
    const monthly = rng.uniform() < 0.6;
    const segment = ['a', 'b', 'c'][Math.floor(rng.uniform() * 3)] ?? 'a';
    const price = PLANS[Math.floor(rng.uniform() * 3)] ?? 30;
    const hazard = (monthly ? 0.04 : 0.015) * (push !== null && window ? push.hazardRatio : 1);
    const churnAt = signup + (-Math.log(1 - rng.uniform()) / hazard) * DAYS_PER_MONTH * DAY_MS;
    const churned = churnAt < AS_OF_END;
    const end = churned ? churnAt : AS_OF_END;
    const refundChance = push === null ? 0.05 : window ? push.refunds[0] : push.refunds[1];
    const refunded = rng.uniform() < refundChance;
    const id = `r${k}c${i}`;
    let revenue = 0;
    for (let m = 0; ; m += 1) {
      const at = signup + Math.round(m * DAYS_PER_MONTH) * DAY_MS + 60_000;
      if (at >= end) break;
      transactions.push(`${k},${id},${stamp(at)},purchase,${price}`);
      revenue += price;
      if (m === 0 && refunded) transactions.push(`${k},${id},${stamp(at)},refund,${price}`);
    }
    const nps = rng.uniform() < 0.4 ? String(Math.min(10, Math.max(0, Math.round(7 + 2.5 * rng.normal())))) : '';
    const csat = rng.uniform() < 0.4 ? String(Math.min(5, Math.max(1, Math.round(3.8 + rng.normal())))) : '';
    facts.push(`${k},${id},${monthly ? 'monthly' : 'annual'},${segment},${stamp(signup)},${stamp(signup + 60_000)},${Math.max(1, (end - signup) / DAY_MS)},${churned},${nps},${csat},${revenue}`);
  }
}

interface Outcome {
  claimed: boolean;
  alert: boolean;
  codes: string[];
}

describe('quarter-end over null replicates (no push)', () => {
  let engine: DuckDbEngine;
  let dir: string;
  const outcomes = new Map<string, Outcome[]>();

  async function run(name: string, seeds: readonly number[], customers: number, push: Push | null): Promise<void> {
    const d = engine.dialect;
    const facts: string[] = [];
    const transactions: string[] = [];
    seeds.forEach((seed, k) => replicate(seed, customers, push, k, facts, transactions));
    writeFileSync(join(dir, `${name}-facts.csv`), facts.join('\n'));
    writeFileSync(join(dir, `${name}-tx.csv`), transactions.join('\n'));
    await engine.exec(
      `CREATE OR REPLACE TABLE all_facts AS SELECT * FROM read_csv(${d.literal(join(dir, `${name}-facts.csv`))}, header = false, columns = {'replicate': 'INTEGER', 'customer_id': 'VARCHAR', 'contract_type': 'VARCHAR', 'segment': 'VARCHAR', 'signup_at': 'TIMESTAMP', 'first_purchase_at': 'TIMESTAMP', 'exposure_days': 'DOUBLE', 'churned': 'BOOLEAN', 'latest_nps': 'DOUBLE', 'latest_csat': 'DOUBLE', 'revenue': 'DECIMAL(18,4)'})`,
    );
    await engine.exec(
      `CREATE OR REPLACE TABLE all_tx AS SELECT * FROM read_csv(${d.literal(join(dir, `${name}-tx.csv`))}, header = false, columns = {'replicate': 'INTEGER', 'customer_id': 'VARCHAR', 'at': 'TIMESTAMP', 'kind': 'VARCHAR', 'amount': 'DECIMAL(18,4)'})`,
    );
    const config = configSchema.parse({ sources: {} });
    const column = (n: string, type: 'string' | 'timestamp' | 'double' | 'boolean' | 'money') => ({ name: n, type, unit: null, table: 'customers' as const, description: '' });
    const list: Outcome[] = [];
    for (const k of seeds.keys()) {
      await engine.exec(`CREATE OR REPLACE TABLE ${d.quoteIdent(CUSTOMER_FACTS_TABLE)} AS SELECT * EXCLUDE (replicate), CAST(0 AS DECIMAL(18,4)) AS fees, CAST(0 AS DECIMAL(18,4)) AS credits, CAST(0 AS DECIMAL(18,4)) AS cost_of_goods FROM all_facts WHERE replicate = ${k}`);
      await engine.exec(`CREATE OR REPLACE TABLE transactions AS SELECT * EXCLUDE (replicate) FROM all_tx WHERE replicate = ${k}`);
      const ctx = testContext(engine, {
        customers,
        overrides: {
          asOf: AS_OF,
          config,
          thresholds: practicalThresholds(config),
          tableRows: { customers, transactions: 1, status_changes: 1 },
          facts: {
            columns: [
              column('customer_id', 'string'), column('contract_type', 'string'), column('segment', 'string'), column('signup_at', 'timestamp'), column('first_purchase_at', 'timestamp'),
              column('exposure_days', 'double'), column('churned', 'boolean'), column('latest_nps', 'double'), column('latest_csat', 'double'),
              column('revenue', 'money'), column('fees', 'money'), column('credits', 'money'), column('cost_of_goods', 'money'),
            ],
            attributes: (['contract_type', 'segment'] as const).map((n) => ({ name: n, source: n, type: 'string' as const, atAcquisition: true, unit: null })),
          },
        },
      });
      const result = await quarterEndAnalysis.run(ctx);
      expect([result.status, result.reason]).toEqual(['ok', undefined]);
      const codes = result.findings.map((f) => f.code);
      list.push({ claimed: codes.some((c) => c !== 'quarter-end.push_balance'), alert: result.findings.some((f) => f.code === 'quarter-end.push_balance' && f.severity === 'high'), codes });
    }
    outcomes.set(name, list);
  }

  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
    dir = mkdtempSync(join(tmpdir(), 'cxray-quarter-end-null-'));
    await run('null', SEEDS, CUSTOMERS, null);
    await run('planted', seedList(20, 91_001), 1200, { intake: 1.6, refunds: [0.15, 0.04], hazardRatio: 1.8 });
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`claims a difference in at most ${(100 * FAMILY_BOUND).toFixed(2)}% of ${SEEDS.length} replicates, and alerts on the money in at most ${(100 * ALERT_BOUND).toFixed(2)}%`, () => {
    const list = outcomes.get('null') ?? [];
    expect(list).toHaveLength(SEEDS.length);
    const rate = (f: (o: Outcome) => boolean): number => list.filter(f).length / list.length;
    const byCode = [...new Set(list.flatMap((o) => o.codes))].sort().map((c) => `${c} ${(100 * rate((o) => o.codes.includes(c))).toFixed(1)}%`);
    process.stderr.write(`quarter-end null: some claim in ${(100 * rate((o) => o.claimed)).toFixed(1)}% (bound ${(100 * FAMILY_BOUND).toFixed(2)}%), money alert ${(100 * rate((o) => o.alert)).toFixed(1)}% (bound ${(100 * ALERT_BOUND).toFixed(2)}%); ${byCode.join(', ')}\n`);
    expect(rate((o) => o.claimed)).toBeLessThanOrEqual(FAMILY_BOUND);
    expect(rate((o) => o.alert)).toBeLessThanOrEqual(ALERT_BOUND);
  });

  it('claims a planted push (intake, early refunds, churn) in at least 18 of 20 companies of 1,200 customers', () => {
    const list = outcomes.get('planted') ?? [];
    const count = (code: string): number => list.filter((o) => o.codes.includes(code)).length;
    process.stderr.write(`quarter-end planted: intake ${count('quarter-end.intake')}, refunds ${count('quarter-end.early_refunds')}, churn ${count('quarter-end.churn_hazard')} of ${list.length}\n`);
    for (const code of ['quarter-end.intake', 'quarter-end.early_refunds', 'quarter-end.churn_hazard']) expect(count(code), code).toBeGreaterThanOrEqual(18);
  });
});
