import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import { startServer, type RunningServer } from '../../server/serve.js';
import type { Workspace } from '../../workspace/workspace.js';
import type { Cell, Result } from '../result.js';
import { importStandardCompany } from '../value/company-workspace.case.js';
import type { ExportScoresAnswer } from './export-scores.js';

// export scores on the standard simulated company (20,000 customers, seed 1):
// both formats read back with DuckDB, values against what the fit,
// lifetime-value and perfect-customer analyses report, the action list
// against its stated criteria, and the API's CSV.

let ws: Workspace;
let dir: string;
let csv: ExportScoresAnswer;
let parquet: ExportScoresAnswer;
let results: Map<string, Result>;

type Rows = Record<string, unknown>[];

async function readBack(path: string): Promise<{ columns: string[]; rows: Rows; metadata: Map<string, string> }> {
  const engine = await DuckDbEngine.open(':memory:');
  try {
    const reader = path.endsWith('.parquet') ? `read_parquet('${path}')` : `read_csv('${path}', header = true)`;
    const columns = (await engine.query(`DESCRIBE SELECT * FROM ${reader}`)).map((r) => String(r['column_name']));
    const metadata = path.endsWith('.parquet')
      ? new Map((await engine.query(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${path}')`)).map((r) => [String(r['k']), String(r['v'])]))
      : new Map<string, string>();
    return { columns, rows: await engine.query(`SELECT * FROM ${reader}`), metadata };
  } finally {
    await engine.close();
  }
}

function table(name: string, tableName: string): Record<string, Cell>[] {
  const t = results.get(name)?.tables.find((x) => x.name === tableName);
  if (t === undefined) throw new Error(`no table ${name}.${tableName}`);
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i] ?? null])));
}

const byId = (rows: Rows): Map<string, Record<string, unknown>> => new Map(rows.map((r) => [String(r['customer_id']), r]));

beforeAll(async () => {
  ({ ws } = await importStandardCompany('export-scores'));
  dir = mkdtempSync(join(tmpdir(), 'cxray-export-out-'));
  csv = await ws.exportScores({ out: join(dir, 'scores.csv') });
  parquet = await ws.exportScores({ out: join(dir, 'scores.parquet') });
  results = new Map((await ws.analyze(['fit', 'lifetime-value', 'perfect-customer'])).results.map((r) => [r.name, r]));
}, 300_000);

const COLUMNS = ['customer_id', 'fit_score', 'perfect_customer_index', 'lifetime_value', 'p_alive', 'churn_risk', 'churned', 'segment', 'acquisition_channel', 'age_band', 'region', 'contract_type', 'plan'];

describe('export scores on the simulated company', () => {
  it('writes one row per customer in both formats, the same rows', async () => {
    const a = await readBack(csv.out);
    const b = await readBack(parquet.out);
    expect(csv.customers).toBe(20_000);
    for (const file of [a, b]) {
      expect(file.columns).toEqual(COLUMNS);
      expect(file.rows).toHaveLength(20_000);
      expect(new Set(file.rows.map((r) => r['customer_id'])).size).toBe(20_000);
    }
    const parquetRows = byId(b.rows);
    for (const row of a.rows.filter((_, i) => i % 997 === 0)) {
      const other = parquetRows.get(String(row['customer_id']));
      for (const c of COLUMNS) expect(other?.[c] === null ? null : String(other?.[c]), c).toBe(row[c] === null ? null : String(row[c]));
    }
    expect(b.metadata.get('cxray.churn_risk')).toBe(parquet.churnRisk);
    expect(parquet.churnRisk).toMatch(/^retention_window: the chance of churning within the next 12 months/);
    expect(b.metadata.get('cxray.column.fit_score')).toMatch(/fit score 0-100/);
  });

  it('gives the values the fit, lifetime-value and perfect-customer analyses report', async () => {
    const rows = byId((await readBack(csv.out)).rows);
    const examples = table('fit', 'fit_examples');
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const e of examples) expect(Number(rows.get(String(e['customer_id']))?.['fit_score'])).toBeCloseTo(Number(e['score']), 2);
    const top = table('lifetime-value', 'top_customers');
    expect(top.length).toBe(10);
    for (const t of top) {
      const row = rows.get(String(t['customer_id']));
      expect(Number(row?.['lifetime_value'])).toBeCloseTo(Number(t['lifetime_value']), 2);
      expect(Number(row?.['p_alive'])).toBeCloseTo(Number(t['p_alive']), 4);
    }
    // The index from the analysis' weights and the customers' adoption flags.
    const weights = table('perfect-customer', 'index_weights');
    const store = await ws.openStore();
    try {
      const ids = [...rows.keys()].slice(0, 25);
      const facts = await store.engine.query(`SELECT customer_id, ${weights.map((w) => `adopted_${String(w['behaviour'])}`).join(', ')} FROM customer_facts WHERE customer_id IN (${ids.map((id) => `'${id}'`).join(', ')})`);
      expect(facts).toHaveLength(25);
      for (const f of facts) {
        const expected = 100 * weights.reduce((s, w) => s + Number(w['weight']) * (f[`adopted_${String(w['behaviour'])}`] === true ? 1 : 0), 0);
        expect(Number(rows.get(String(f['customer_id']))?.['perfect_customer_index'])).toBeCloseTo(expected, 2);
      }
      const [churned] = await store.engine.query('SELECT count(*) AS n FROM customer_facts WHERE churned');
      const exported = [...rows.values()].filter((r) => r['churned'] === true);
      expect(exported.length).toBe(Number(churned?.['n']));
      expect(exported.every((r) => Number(r['churn_risk']) === 1)).toBe(true);
      expect([...rows.values()].filter((r) => r['churned'] === false).every((r) => Number(r['churn_risk']) > 0 && Number(r['churn_risk']) < 1)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('lists valuable customers at risk, each meeting the stated criteria, ranked by value at stake', async () => {
    const rows = byId((await readBack(csv.out)).rows);
    const { columns, rows: actions } = await readBack(csv.actions.file);
    expect(columns).toEqual(['rank', 'customer_id', 'fit_score', 'lifetime_value', 'p_alive', 'churn_risk', 'value_at_stake', 'value_if_retained', 'days_since_last_purchase', 'reason']);
    const c = csv.actions.criteria;
    expect(actions.length).toBeGreaterThan(100);
    expect(actions.length).toBe(csv.actions.customers);
    expect(c.fitThreshold).not.toBeNull();
    expect(c.lifetimeValueThreshold).not.toBeNull();
    expect(c.churnRisk).not.toBeNull();
    let previous = Number.POSITIVE_INFINITY;
    for (const [i, a] of actions.entries()) {
      const customer = rows.get(String(a['customer_id']));
      expect(Number(a['rank'])).toBe(i + 1);
      expect(customer?.['churned']).toBe(false);
      expect(Number(customer?.['churn_risk'])).toBeGreaterThanOrEqual((c.churnRisk ?? 1) - 1e-4);
      expect(Number(customer?.['fit_score']) >= (c.fitThreshold ?? 101) - 0.01 || Number(customer?.['lifetime_value']) >= (c.lifetimeValueThreshold ?? Infinity) - 0.01).toBe(true);
      expect(Number(a['value_at_stake'])).toBeCloseTo(Number(a['churn_risk']) * Number(a['value_if_retained']), 0);
      expect(Number(a['value_at_stake'])).toBeLessThanOrEqual(previous + 0.01);
      previous = Number(a['value_at_stake']);
      expect(String(a['reason'])).toMatch(/^Top quarter of customers by .* and a churn risk of \d+% \(top quarter\)/);
    }
    // Not a list of everyone: the customers meeting all three criteria, and only they.
    const meeting = [...rows.values()].filter(
      (r) =>
        r['churned'] === false &&
        Number(r['churn_risk']) >= (c.churnRisk ?? 1) + 1e-4 &&
        (Number(r['fit_score']) >= (c.fitThreshold ?? 101) + 0.01 || (r['lifetime_value'] !== null && Number(r['lifetime_value']) >= (c.lifetimeValueThreshold ?? Infinity) + 0.01)),
    );
    const listed = new Set(actions.map((a) => String(a['customer_id'])));
    expect(meeting.every((r) => listed.has(String(r['customer_id'])))).toBe(true);
    expect(parquet.actions.customers).toBe(csv.actions.customers);
  });

  it('a segment exports its customers only, with the scores of the whole base', async () => {
    const retail = await ws.exportScores({ out: join(dir, 'retail.csv'), segment: 'segment = retail' });
    const all = byId((await readBack(csv.out)).rows);
    const { rows } = await readBack(retail.out);
    const expected = [...all.values()].filter((r) => r['segment'] === 'retail');
    expect(retail.customers).toBe(expected.length);
    expect(rows).toHaveLength(expected.length);
    for (const r of rows.slice(0, 200)) expect(r).toEqual(all.get(String(r['customer_id'])));
    await expect(ws.exportScores({ out: join(dir, 'x.csv'), segment: 'segment = martian' })).rejects.toMatchObject({ code: 'segment_empty' });
    await expect(ws.exportScores({ out: join(dir, 'x.json') })).rejects.toMatchObject({ code: 'bad_argument' });
    await expect(ws.exportScores({ out: join(dir, 'no-such-folder', 'x.csv') })).rejects.toMatchObject({ code: 'output_folder_missing' });
  });

  describe('GET /api/export/scores', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(ws, { host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await server.close();
    });

    it('streams the same CSV as the library writes; a bad format is a 400 problem', async () => {
      const response = await fetch(`${server.url}api/export/scores?format=csv`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(await response.text()).toBe(readFileSync(csv.out, 'utf8'));
      const bad = await fetch(`${server.url}api/export/scores?format=xlsx`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { code: string }).code).toBe('bad_argument');
    });
  });
});
