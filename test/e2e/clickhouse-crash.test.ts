import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, dropClusterDatabases, leaseCluster, releaseCluster } from '../../src/engine/clickhouse/test-cluster.js';
import type { CrashPoint } from '../../src/ingest/crash-points.js';
import type { ImportLedger } from '../../src/model/ledger.js';
import { parseJsonOutput, runCli } from '../../src/reliability/cli-process.js';
import { listStoreFiles } from '../../src/reliability/store-files.js';
import { checkCurrentVersion, ledgerFiles } from '../../src/reliability/version-check.js';
import { dropClickHouseVersions } from '../../src/workspace/store-engine.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { itNeeds } from '../helpers/strict.js';
import { makeWorkspace } from '../helpers/tiny-company.js';

// kill -9 at every named point of an import (src/ingest/crash-points.ts) on
// a workspace stored on the local two-shard ClickHouse cluster: the store
// opens on exactly the previous version or the new one, each table holding
// its ledger's row count on the cluster, and a plain re-import completes,
// drops what the killed import left on the cluster and yields the new files'
// counts. clickhouse-store.test.ts kills at three points with a reader
// holding version 1; this file kills at all six and checks every table.

const installed = clickhouseInstalled();
const itCluster = itNeeds(installed, 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);
const DATABASE = `chcrash_${process.pid}`;
let dir = '';
let ws: Workspace;

if (installed) {
  beforeAll(async () => {
    leaseCluster();
    dir = makeWorkspace();
    appendFileSync(join(dir, 'cxray.yaml'), `\nengine:\n  clickhouse:\n    database: ${DATABASE}\n`);
    ws = new Workspace(dir);
    const first = await runCli(['import', '--workspace', dir, '--json']);
    expect(first.code, first.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    const store = await ws.storeEngine().catch(() => null);
    if (store?.kind === 'clickhouse') await dropClickHouseVersions(store).catch(() => undefined);
    await dropClusterDatabases(DATABASE).catch(() => undefined);
    releaseCluster();
  }, 120_000);
}

let nextId = 100;
/** A new customer in the CRM export: the next import has one customer more. */
function addCustomer(): void {
  const id = (nextId += 1);
  writeFileSync(join(dir, 'contacts.csv'), readFileSync(join(dir, 'contacts.csv'), 'utf8') + `${id},c${id}@example.com,2025-05-0${(id % 9) + 1} 08:00,smb,44\n`);
}

/** Where each point stops an import, and which version the store must open on after it. */
const POINTS: { point: CrashPoint; lands: 'previous' | 'new'; leaves: string }[] = [
  { point: 'after-staging', lands: 'previous', leaves: 'a staging file' },
  { point: 'mid-load', lands: 'previous', leaves: 'a staging file' },
  { point: 'mid-ship', lands: 'previous', leaves: 'the new version half shipped to the cluster' },
  { point: 'after-ship', lands: 'previous', leaves: 'the new version shipped but without a ledger' },
  { point: 'mid-swap', lands: 'previous', leaves: 'the new version complete but not current' },
  { point: 'after-swap', lands: 'new', leaves: 'the new version current' },
];

describe('kill -9 at each named point of an import into the ClickHouse cluster', () => {
  for (const { point, lands, leaves } of POINTS) {
    itCluster(`${point}: ${leaves}; the store opens on the ${lands} version with every table at its ledger's count; a re-import completes`, async () => {
      const previous = (await ws.currentVersion()) ?? 0;
      const previousLedger = (await ws.versions()).find((l) => l.version === previous);
      addCustomer();
      const dry = await runCli(['import', '--workspace', dir, '--dry-run', '--json']);
      expect(dry.code, dry.stderr).toBe(0);
      const expected = parseJsonOutput<{ ledger: ImportLedger }>(dry, 'dry run').ledger;
      expect(expected.tables['customers']).toBe((previousLedger?.tables['customers'] ?? 0) + 1);

      const killed = await runCli(['import', '--workspace', dir, '--json'], { env: { CXRAY_TEST_CRASH_AT: point } });
      expect(killed.signal, `${point}: ${killed.stderr}`).toBe('SIGKILL');
      const left = await listStoreFiles(ws);
      const check = await checkCurrentVersion(ws);
      expect(check.problems, point).toEqual([]);
      if (lands === 'previous') {
        expect(check.version).toBe(previous);
        expect(check.ledger?.tables).toEqual(previousLedger?.tables);
      } else {
        expect(check.version).toBeGreaterThan(previous);
        expect(check.ledger?.tables).toEqual(expected.tables);
        expect(ledgerFiles(check.ledger ?? { files: [] })).toBe(ledgerFiles(expected));
      }
      // What the kill left is what the point says: proof the import died where it was meant to.
      expect(left.lock?.alive, 'the lock names a dead process').toBe(false);
      const incomplete = (left.remote ?? []).filter((v) => !left.complete.includes(v));
      if (point === 'mid-ship' || point === 'after-ship') expect(incomplete.length, `${point}: databases of a version without a ledger`).toBe(1);
      else expect(incomplete).toEqual([]);
      if (point === 'mid-swap') expect(left.complete.at(-1)).toBeGreaterThan(previous);
      if (point === 'after-staging' || point === 'mid-load' || point === 'mid-ship' || point === 'after-ship') expect(left.staging.length).toBeGreaterThan(0);

      const again = await runCli(['import', '--workspace', dir, '--json']);
      expect(again.code, again.stderr).toBe(0);
      const after = await checkCurrentVersion(ws);
      expect(after.problems).toEqual([]);
      expect(after.ledger?.tables).toEqual(expected.tables);
      expect(ledgerFiles(after.ledger ?? { files: [] })).toBe(ledgerFiles(expected));
      const clean = await listStoreFiles(ws);
      expect(clean.lock).toBeNull();
      expect(clean.staging).toEqual([]);
      // Only complete versions keep databases on the cluster.
      expect(clean.remote).toEqual(clean.complete);
    }, 120_000);
  }
});
