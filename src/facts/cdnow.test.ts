import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { canonicalTable } from './canonical-fixture.case.js';
import { buildCustomerFacts } from './index.js';

// Fader & Hardie's CDNOW sample: the published (frequency, recency, T) in weeks,
// calibration ending 1997-09-30, same-day purchases merged (test/fixtures/cdnow/).
const fixture = (name: string): string => fileURLToPath(new URL(`../../test/fixtures/cdnow/${name}`, import.meta.url));

interface Published {
  frequency: number;
  recency: number;
  T: number;
}

function readPublished(): Map<string, Published> {
  const lines = readFileSync(fixture('cdnow_customers_summary.csv'), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('ID,frequency,recency,T');
  return new Map(
    lines.slice(1).map((line) => {
      const [id, frequency, recency, T] = line.split(',');
      return [String(id), { frequency: Number(frequency), recency: Number(recency), T: Number(T) }];
    }),
  );
}

const weeks = (days: bigint | number | null | undefined): number => Math.round((Number(days) / 7) * 100) / 100;

let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await canonicalTable(engine, 'transactions', []);
  await canonicalTable(engine, 'customers', []);
  // Whitespace-aligned columns: read each line as one typed VARCHAR column, split in SQL.
  // Columns: master id, sample id, YYYYMMDD, number of CDs, dollar value.
  const lines = `read_csv(${engine.dialect.literal(fixture('CDNOW_sample.txt'))}, header = false, delim = '|', quote = '', columns = {'line': 'VARCHAR'})`;
  await engine.exec(`
    INSERT INTO transactions (customer_id, "at", kind, amount, currency, original_amount, original_currency, _source, _file, _line)
    SELECT CAST(CAST(f[2] AS INTEGER) AS VARCHAR), CAST(strptime(f[3], '%Y%m%d') AS TIMESTAMP), 'purchase',
           CAST(f[5] AS DECIMAL(18,4)), 'USD', CAST(f[5] AS DECIMAL(18,4)), 'USD', 'cdnow', 'CDNOW_sample.txt', NULL
    FROM (SELECT string_split_regex(trim(line, E' \\r'), '\\s+') AS f FROM ${lines})`);
  await engine.exec(`INSERT INTO customers (customer_id, _source, _file) SELECT DISTINCT customer_id, 'cdnow', 'CDNOW_sample.txt' FROM transactions`);
});

afterAll(async () => {
  await engine.close();
});

describe('customer_facts on CDNOW', () => {
  it('loads the whole sample', async () => {
    const [loaded] = await engine.query<{ n: bigint; customers: bigint }>(`SELECT count(*) AS n, count(DISTINCT customer_id) AS customers FROM transactions`);
    expect(loaded?.n).toBe(6919n);
    expect(loaded?.customers).toBe(2357n);
  });

  it('reproduces the published frequency, recency and T of all 2,357 customers', async () => {
    const summary = await buildCustomerFacts(engine, { asOf: '1997-09-30', config: configSchema.parse({ sources: {} }) });
    expect(summary.rows).toBe(2357);
    const published = readPublished();
    expect(published.size).toBe(2357);

    const rows = await engine.query<{ customer_id: string; frequency: bigint | null; recency_days: bigint | null; age_days: bigint | null }>(
      'SELECT customer_id, frequency, recency_days, age_days FROM customer_facts',
    );
    const mismatches: string[] = [];
    for (const row of rows) {
      const expected = published.get(row.customer_id);
      const actual = { frequency: Number(row.frequency), recency: weeks(row.recency_days), T: weeks(row.age_days) };
      if (expected === undefined || actual.frequency !== expected.frequency || actual.recency !== expected.recency || actual.T !== expected.T) {
        mismatches.push(`${row.customer_id}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(rows).toHaveLength(2357);

    // Every customer bought in Q1 1997, so nobody lacks (x, t_x, T); 1,411 never came back.
    const [totals] = await engine.query<{ sum_x: bigint; zero_x: bigint; missing: bigint }>(
      `SELECT CAST(sum(frequency) AS BIGINT) AS sum_x, count(*) FILTER (WHERE frequency = 0) AS zero_x, count(*) FILTER (WHERE frequency IS NULL) AS missing FROM customer_facts`,
    );
    expect(totals).toEqual({ sum_x: 2457n, zero_x: 1411n, missing: 0n });
  });
});
