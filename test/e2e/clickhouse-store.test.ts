import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ANALYSES } from '../../src/analysis/registry.js';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../src/engine/clickhouse/test-cluster.js';
import { clickhouseVersionsPresent, dropClickHouseVersions } from '../../src/workspace/store-engine.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { cxray } from '../helpers/cli.js';
import { itNeeds } from '../helpers/strict.js';
import { makeWorkspace } from '../helpers/tiny-company.js';

// A workspace whose store is the 2-shard ClickHouse cluster: the demo end to
// end, and the versioned store's promises (a killed import leaves the
// previous version current; unfinished versions are dropped) without
// transactions: each version has its own databases and the pointer flips last.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const workspaces: Workspace[] = [];

async function dropAll(ws: Workspace): Promise<void> {
  const store = await ws.storeEngine();
  if (store.kind !== 'clickhouse') return;
  await dropClickHouseVersions(store);
}

if (installed) {
  beforeAll(() => leaseCluster(), 180_000);
  afterAll(async () => {
    for (const ws of workspaces) await dropAll(ws).catch(() => undefined);
    releaseCluster();
  }, 120_000);
}

const current = (dir: string): number => (JSON.parse(readFileSync(join(dir, 'store', 'current.json'), 'utf8')) as { version: number }).version;

function addCustomer(dir: string, id: number): void {
  writeFileSync(join(dir, 'contacts.csv'), readFileSync(join(dir, 'contacts.csv'), 'utf8') + `${id},c${id}@example.com,2025-05-0${(id % 9) + 1} 08:00,smb,44\n`);
}

describe('a workspace stored on the ClickHouse cluster', () => {
  itCluster('cxray demo --engine clickhouse --no-serve simulates, imports into the cluster and analyses there', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cxray-chdemo-')), 'northwind');
    const run = cxray(['demo', '--engine', 'clickhouse', '--no-serve', '--workspace', dir, '--customers', '2000', '--seed', '5', '--json']);
    const ws = new Workspace(dir);
    workspaces.push(ws);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { engine: string; import: { version: number; ledger: { tables: Record<string, number> } }; analyses: { ok: string[]; failed: string[] } };
    expect(out.engine).toBe('clickhouse');
    expect(out.import.ledger.tables['customers']).toBe(2000);
    // Every built analysis runs on the cluster's simulated company.
    expect(out.analyses).toEqual({ ok: ANALYSES.filter((a) => a.implemented).map((a) => a.name), failed: [] });
    // The tables are on the cluster, under this workspace's own databases.
    const store = await ws.storeEngine();
    if (store.kind !== 'clickhouse') throw new Error(`the demo workspace is stored in ${store.kind}`);
    expect(await clickhouseVersionsPresent(store)).toEqual([1]);
    const opened = await ws.openStore();
    try {
      expect(opened.engine.capabilities.distributed).toBe(true);
      expect((await opened.engine.query('SELECT count(*) AS n FROM customer_facts'))[0]?.['n']).toBe(2000n);
    } finally {
      await opened.close();
    }
    const status = JSON.parse(cxray(['status', '--workspace', dir, '--json']).stdout) as { currentVersion: number; tables: Record<string, number> };
    expect(status).toMatchObject({ currentVersion: 1, tables: { customers: 2000 } });
    // The same workspace with the other engine is refused, not silently re-imported.
    const other = cxray(['demo', '--engine', 'duckdb', '--no-serve', '--workspace', dir, '--json']);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('engine_mismatch');
  }, 300_000);

  itCluster('kill -9 mid-ship or mid-swap leaves version N current; the next import drops the unfinished databases and completes', async () => {
    const dir = makeWorkspace();
    appendFileSync(join(dir, 'cxray.yaml'), `\nengine:\n  clickhouse:\n    database: crash_${process.pid}\n`);
    const ws = new Workspace(dir);
    workspaces.push(ws);
    const first = cxray(['import', '--workspace', dir, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const store = await ws.storeEngine();
    if (store.kind !== 'clickhouse') throw new Error(`the workspace is stored in ${store.kind}`);
    const reader = await ws.openStore();
    try {
      const count = async (): Promise<unknown> => (await reader.engine.query('SELECT count(*) AS n FROM customers'))[0]?.['n'];
      expect(await count()).toBe(3n);
      addCustomer(dir, 6);
      for (const point of ['mid-ship', 'after-ship', 'mid-swap']) {
        const killed = cxray(['import', '--workspace', dir], { env: { CXRAY_TEST_CRASH_AT: point } });
        expect(killed.code, point).toBeNull();
        expect(current(dir), point).toBe(1);
        expect(await count(), point).toBe(3n);
      }
      // mid-swap wrote version 2's ledger: it is complete, only not current yet.
      expect((await ws.versions()).map((v) => v.version)).toEqual([1, 2]);
      addCustomer(dir, 7);
      const done = cxray(['import', '--workspace', dir, '--json']);
      expect(done.code, done.stderr).toBe(0);
      expect(current(dir)).toBe(3);
      expect(await clickhouseVersionsPresent(store)).toEqual([1, 2, 3]);
      const latest = await ws.openStore();
      try {
        expect((await latest.engine.query('SELECT count(*) AS n FROM customers'))[0]?.['n']).toBe(5n);
      } finally {
        await latest.close();
      }
      // The reader still sees its own version; rollback makes it current again.
      expect(await count()).toBe(3n);
      expect(cxray(['rollback', '1', '--workspace', dir]).code).toBe(0);
      expect(current(dir)).toBe(1);
    } finally {
      await reader.close();
    }
  }, 300_000);
});
