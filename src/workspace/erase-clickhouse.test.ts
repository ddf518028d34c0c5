import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itNeeds } from '../../test/helpers/strict.js';
import { jsonReplacer } from '../cli/output.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../engine/clickhouse/test-cluster.js';
import { CUSTOMER_ID_COLUMNS } from './erase-duckdb.js';
import { eraseCustomers } from './erase.js';
import type { Needle } from './erase-match.js';
import { customerNeedles, proveErased } from './erase-proof.js';
import type { EraseReport } from './erase-report.js';
import { addEraseCustomer, customerId, ERASE_CUSTOMERS, makeEraseWorkspace, MENTIONING } from './erase-workspace.case.js';
import { dropClickHouseVersions, openRemoteVersion, type StoreEngineConfig } from './store-engine.js';
import { Workspace } from './workspace.js';

// cxray erase on the local two-shard ClickHouse 18.16 cluster: DELETE
// mutations on each shard's part of every table, waited for on every shard,
// then the same proof as on DuckDB (every text column of every table of
// every version, through the Distributed tables, and every text file).

const serverIt = itNeeds(clickhouseInstalled(), 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const ERASED = [customerId(7), customerId(13)];
const DATABASE = `erase_ch_${process.pid}`;

/** Every row of every table of a version but the erased customers', as sorted JSON lines (referred_by aside: the erase clears it). */
async function survivors(ws: Workspace, version: number, needles: readonly Needle[]): Promise<Record<string, string[]>> {
  const ledger = (await ws.versions()).find((l) => l.version === version);
  if (ledger?.store?.engine !== 'clickhouse') throw new Error(`version ${version} is not on ClickHouse`);
  const engine = await openRemoteVersion(await ws.storeEngine(), ledger.store);
  const ids = needles.map((n) => n.value);
  try {
    const out: Record<string, string[]> = {};
    const tables = await engine.query<{ name: string }>('SELECT name FROM system.tables WHERE database = $db', { db: ledger.store.database });
    for (const { name } of tables) {
      const columns = (await engine.describe(name)).map((c) => c.name);
      const rows = await engine.query(`SELECT * FROM ${engine.dialect.quoteIdent(name)}`);
      out[name] = rows
        .filter((r) => !columns.some((c) => CUSTOMER_ID_COLUMNS.has(c) && ids.includes(String(r[c]))))
        .filter((r) => name !== '_quarantine' || !ids.some((id) => String(r['raw']).split(',').includes(id)))
        .map((r) => {
          // Cleared or redacted by the erase, checked on their own.
          const { referred_by: _cleared, ...facts } = r;
          const { comment: _redacted, ...answer } = r;
          return JSON.stringify(name === 'customer_facts' ? facts : name === 'survey_responses' ? answer : r, jsonReplacer);
        })
        .sort();
    }
    return out;
  } finally {
    await engine.close();
  }
}

describe('eraseCustomers on a ClickHouse store (two shards)', () => {
  let ws: Workspace;
  let store: StoreEngineConfig;
  let needles: Needle[];
  let before: Record<number, Record<string, string[]>>;
  let report: EraseReport;

  beforeAll(async () => {
    if (!clickhouseInstalled()) return;
    leaseCluster();
    const dir = makeEraseWorkspace(`engine:\n  clickhouse: {database: ${DATABASE}}\n`);
    ws = new Workspace(dir);
    store = await ws.storeEngine();
    if (store.kind === 'clickhouse') await dropClickHouseVersions(store);
    await ws.import();
    await ws.analyze(['profile']);
    addEraseCustomer(dir, ERASE_CUSTOMERS + 1);
    await ws.import();
    needles = await customerNeedles(ws, ERASED);
    before = { 1: await survivors(ws, 1, needles), 2: await survivors(ws, 2, needles) };
    expect((await proveErased(ws, needles)).clean).toBe(false);
    report = await eraseCustomers(ws, ERASED);
  }, 300_000);

  afterAll(async () => {
    if (!clickhouseInstalled()) return;
    if (store?.kind === 'clickhouse') await dropClickHouseVersions(store);
    releaseCluster();
  }, 120_000);

  serverIt('deletes their rows on every shard, waits for the mutations, and the proof finds nothing', () => {
    expect(report.customers).toEqual(ERASED.map((id) => ({ id, found: true })));
    for (const v of report.versions) {
      expect(v).toMatchObject({ engine: 'clickhouse', rewritten: false });
      expect(v.mutations).toBeGreaterThan(0);
      // The identity map goes to the cluster with the tables: C-1007's rejected payment, which names them only by a hashed e-mail,
      // is tied to them through it and goes, as on DuckDB; so does C-1013's rejected answer, which names the id.
      expect(v.rowsRemoved).toEqual({ customers: 2, customer_facts: 2, transactions: 7, survey_responses: 4, referrals: 2, status_changes: 2, _identity: 4, _quarantine: 2 });
      expect(v.referencesCleared).toEqual({ 'customer_facts.referred_by': 1 });
      expect(v.textRedacted).toEqual({ 'survey_responses.comment': 1 });
      expect(v.inactiveParts).toBeGreaterThanOrEqual(0);
    }
    expect(report.results).toEqual(['results/v000001']);
    expect(report.notes.join(' ')).not.toMatch(/identity map/);
    expect(report.proof).toMatchObject({ clean: true, findings: [] });
    expect(report.proof.searched.versions).toBe(2);
    expect(report.proof.searched.columns).toBeGreaterThan(50);
  });

  serverIt('leaves every other row as it was, on both versions', async () => {
    for (const version of [1, 2]) expect(await survivors(ws, version, needles), `version ${version}`).toEqual(before[version]);
    const ledgers = await ws.versions();
    expect(ledgers.map((l) => l.tables['customers'])).toEqual([ERASE_CUSTOMERS - 2, ERASE_CUSTOMERS - 1]);
    // Customer 40's comment named both: each mention goes on every shard's part, the rest stays.
    for (const ledger of ledgers) {
      if (ledger.store?.engine !== 'clickhouse') throw new Error('not on ClickHouse');
      const engine = await openRemoteVersion(store, ledger.store);
      try {
        const [row] = await engine.query(`SELECT comment FROM survey_responses WHERE response_id = 'r${MENTIONING}' AND comment IS NOT NULL`);
        expect(row?.['comment'], `version ${ledger.version}`).toBe('Same trouble as [erased] and [erased],[erased]');
      } finally {
        await engine.close();
      }
    }
  });
});
