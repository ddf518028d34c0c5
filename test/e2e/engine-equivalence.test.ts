import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Result } from '../../src/analysis/result.js';
import { resultDifferences } from '../../src/analysis/same-result.case.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../src/engine/clickhouse/test-cluster.js';
import type { Row, RowValue } from '../../src/engine/types.js';
import type { ImportLedger } from '../../src/model/ledger.js';
import { dropClickHouseVersions } from '../../src/workspace/store-engine.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { cxray } from '../helpers/cli.js';
import { standardCompany } from '../helpers/company.js';
import { itNeeds } from '../helpers/strict.js';

// One simulated company (20k customers) imported into the embedded store and
// into the 2-shard ClickHouse cluster, then compared: the ledger and every
// count and amount exactly, moments to a relative 1e-9, and the profile's
// Result (texts, tables, groups defined by quantiles) identically.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = `equivalence_${process.pid}`;

let duck: Workspace;
let house: Workspace;
let duckLedger: ImportLedger;
let houseLedger: ImportLedger;

async function dropAll(ws: Workspace): Promise<void> {
  const store = await ws.storeEngine();
  if (store.kind !== 'clickhouse') return;
  await dropClickHouseVersions(store);
}

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    const company = standardCompany();
    const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
    const duckDir = mkdtempSync(join(tmpdir(), 'cxray-eq-duckdb-'));
    const init = cxray(['init', '--workspace', duckDir, '--from', ...files, '--json']);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    const houseDir = mkdtempSync(join(tmpdir(), 'cxray-eq-clickhouse-'));
    copyFileSync(join(duckDir, 'cxray.yaml'), join(houseDir, 'cxray.yaml'));
    writeFileSync(join(houseDir, 'cxray.yaml'), `${readFileSync(join(houseDir, 'cxray.yaml'), 'utf8')}\nengine:\n  clickhouse:\n    database: ${DATABASE}\n`);
    duck = new Workspace(duckDir);
    house = new Workspace(houseDir);
    expect((await house.storeEngine()).kind).toBe('clickhouse');
    duckLedger = (await duck.import()).ledger;
    houseLedger = (await house.import()).ledger;
  }, 600_000);
  afterAll(async () => {
    if (house !== undefined) await dropAll(house);
    releaseCluster();
  }, 120_000);
}

/** A decimal's text without trailing zeros, so "12.3400" and "12.34" compare equal. */
function decimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function sameValue(a: RowValue, b: RowValue, type: string): boolean {
  if (a === null || b === null) return a === b;
  if (type === 'double') {
    const x = Number(a);
    const y = Number(b);
    return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  }
  if (type === 'money') return decimal(String(a)) === decimal(String(b));
  if (type === 'int64' || type === 'int32') return BigInt(a as bigint | number) === BigInt(b as bigint | number);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The config files differ by their engine block only: that hash is left out. */
function withoutConfigHash(result: Result): Result {
  return { ...result, provenance: { ...result.provenance, configHash: '' } };
}

describe('engine equivalence: DuckDB and the 2-shard ClickHouse cluster on one simulated company', () => {
  itCluster('the ledger is the same: every file, reason and table count', () => {
    expect(houseLedger.store?.engine).toBe('clickhouse');
    expect(houseLedger.files).toEqual(duckLedger.files);
    expect(houseLedger.totals).toEqual(duckLedger.totals);
    expect(houseLedger.tables).toEqual(duckLedger.tables);
  });

  itCluster('every canonical table and the quarantine hold the same rows', async () => {
    const a = await duck.openStore();
    const b = await house.openStore();
    try {
      for (const table of [...Object.keys(duckLedger.tables), '_quarantine']) {
        const q = (engine: typeof a.engine): string => `SELECT count(*) AS n FROM ${engine.dialect.quoteIdent(table)}`;
        const [x] = await a.engine.query<{ n: bigint }>(q(a.engine));
        const [y] = await b.engine.query<{ n: bigint }>(q(b.engine));
        expect(BigInt(y?.n ?? -1n), table).toBe(BigInt(x?.n ?? -2n));
      }
      const money = async (engine: typeof a.engine): Promise<string> =>
        decimal(String((await engine.query<Row>(`SELECT sum(${engine.dialect.quoteIdent('amount')}) AS s FROM ${engine.dialect.quoteIdent('transactions')}`))[0]?.['s']));
      expect(await money(b.engine)).toBe(await money(a.engine));
    } finally {
      await a.close();
      await b.close();
    }
  });

  itCluster('customer_facts is equal row by row and column by column (built on each engine)', async () => {
    const a = await duck.openStore();
    const b = await house.openStore();
    try {
      const columns = await a.engine.describe('customer_facts');
      const otherColumns = await b.engine.describe('customer_facts');
      expect(otherColumns.map((c) => [c.name, c.type])).toEqual(columns.map((c) => [c.name, c.type]));
      const select = (engine: typeof a.engine): string =>
        `SELECT ${columns.map((c) => engine.dialect.quoteIdent(c.name)).join(', ')} FROM ${engine.dialect.quoteIdent('customer_facts')} ORDER BY ${engine.dialect.quoteIdent('customer_id')}`;
      const x = await a.engine.query(select(a.engine));
      const y = await b.engine.query(select(b.engine));
      expect(y.length).toBe(x.length);
      const differences: string[] = [];
      for (const [i, row] of x.entries()) {
        const other = y[i] as Row;
        for (const c of columns) {
          if (!sameValue(row[c.name] ?? null, other[c.name] ?? null, c.type) && differences.length < 20) {
            differences.push(`${String(row['customer_id'])}.${c.name}: duckdb ${JSON.stringify(row[c.name], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))} clickhouse ${JSON.stringify(other[c.name], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
          }
        }
      }
      expect(differences).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);

  itCluster('the profile Result is identical: whole base, a segment, a period', async () => {
    for (const filter of [{}, { segment: 'segment = retail' }, { from: '2025-07-01', to: '2026-06-30' }]) {
      const x = await duck.analyze(['profile'], filter, { fresh: true });
      const y = await house.analyze(['profile'], filter, { fresh: true });
      const [rx] = x.results;
      const [ry] = y.results;
      expect(rx?.status, JSON.stringify(filter)).toBe('ok');
      expect(ry?.status, JSON.stringify(filter)).toBe('ok');
      // Counts and money exact, other doubles (sums added in another order on the shards) to 1e-9, texts identical.
      expect(resultDifferences(withoutConfigHash(rx as Result), withoutConfigHash(ry as Result), 'USD'), JSON.stringify(filter)).toEqual([]);
    }
  }, 300_000);
});
