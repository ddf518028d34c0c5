import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLICKHOUSE_INSTALL_HINT, clickhouseInstalled, leaseCluster, releaseCluster } from '../../src/engine/clickhouse/test-cluster.js';
import type { ImportLedger } from '../../src/model/ledger.js';
import { parseJsonOutput, runCli } from '../../src/reliability/cli-process.js';
import { runCrashLoop, type CrashLoopSummary } from '../../src/reliability/crash-loop.js';
import { mutateExports } from '../../src/reliability/crash-workspace.js';
import { listStoreFiles } from '../../src/reliability/store-files.js';
import { checkCurrentVersion, ledgerFiles } from '../../src/reliability/version-check.js';
import { writePointEnv, writePointPreload, type WritePoint } from '../../src/reliability/write-points.js';
import { Rng } from '../../src/simulate/random.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { itNeeds } from '../helpers/strict.js';
import { makeWorkspace } from '../helpers/tiny-company.js';

// The CI version of scripts/crash-loop.ts: the same loop (src/reliability)
// with a few kills at random moments on each engine and a company of a few
// hundred customers; then kills at the file writes a random delay rarely
// hits, and after the pointer switch. The seed is printed by a failure;
// CXRAY_CRASH_SEED replays one.

const SEED = Number(process.env['CXRAY_CRASH_SEED'] ?? 20261123);
const CUSTOMERS = 300;
const itCluster = itNeeds(clickhouseInstalled(), 'clickhouse-server', CLICKHOUSE_INSTALL_HINT);

/** Each broken promise, with what replays it. */
function broken(summary: CrashLoopSummary): string[] {
  return summary.records
    .filter((r) => r.outcome === 'fail')
    .map((r) => `${summary.engine} run ${r.run} (seed ${summary.seed}, delay ${r.delayMs} ms of a ${r.boundMs} ms bound, died ${r.died}): ${r.problems.join('; ')}`);
}

function expectWhole(summary: CrashLoopSummary, runs: number): void {
  expect(broken(summary)).toEqual([]);
  expect(summary.records).toHaveLength(runs);
  for (const r of summary.records) {
    expect(['previous', 'new']).toContain(r.landed);
    expect(r.reimport.exitCode).toBe(0);
    expect(r.afterReimport.staging).toBe(0);
    expect(r.afterReimport.lock).toBe('none');
  }
}

describe('kill -9 of cxray import at random moments', () => {
  let dir = '';
  let ws: Workspace;

  it(`DuckDB: 5 kills; each store opens on the previous or the new version, and a re-import completes (seed ${SEED})`, async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'cxray-crash-loop-')), 'workspace');
    const summary = await runCrashLoop({ engine: 'duckdb', runs: 5, customers: CUSTOMERS, seed: SEED, dir });
    ws = new Workspace(dir);
    expectWhole(summary, 5);
  }, 120_000);

  /**
   * A kill inside a file write: the file exists, empty. The import writes a
   * version's ledger in place (writeFile, not a temporary renamed), so a
   * kill there leaves an empty vNNNNNN.ledger.json; the pointer is written
   * to current.json.PID.tmp and renamed.
   */
  const WRITES: { point: WritePoint; what: string }[] = [
    { point: 'ledger-write', what: 'the new version ledger' },
    { point: 'pointer-write', what: 'the temporary current pointer' },
  ];
  for (const { point, what } of WRITES) {
    it(`DuckDB: killed while writing ${what}, the store opens on the previous version and a re-import completes`, async () => {
      const previous = await ws.currentVersion();
      await mutateExports(dir, Rng.fromSeed(SEED + point.length), 900 + point.length);
      const preload = await writePointPreload(join(dir, '..', 'preload'));
      const killed = await runCli(['import', '--workspace', dir, '--json'], { preload, env: writePointEnv(point) });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      const check = await checkCurrentVersion(ws);
      expect(check.problems).toEqual([]);
      expect(check.version).toBe(previous);

      // Beside the re-import, a dry run says what an uninterrupted import of the changed files yields.
      const [dry, again] = await Promise.all([runCli(['import', '--workspace', dir, '--dry-run', '--json']), runCli(['import', '--workspace', dir, '--json'])]);
      const expected = parseJsonOutput<{ ledger: ImportLedger }>(dry, 'dry run').ledger;
      expect(again.code, `re-import after a kill in ${point}: ${again.stdout} ${again.stderr}`).toBe(0);
      const after = await checkCurrentVersion(ws);
      expect(after.problems).toEqual([]);
      expect(after.ledger?.tables).toEqual(expected.tables);
      expect(ledgerFiles(after.ledger ?? { files: [] })).toBe(ledgerFiles(expected));
      const left = await listStoreFiles(ws);
      expect(left.staging).toEqual([]);
      expect(left.pointerTemps, 'temporary pointers of dead imports').toEqual([]);
    }, 60_000);
  }

  it('DuckDB: killed right after the pointer switch, the next import leaves no quarantine temporaries of the killed one', async () => {
    await mutateExports(dir, Rng.fromSeed(SEED + 7), 950);
    const before = new Set((await listStoreFiles(ws)).quarantineTemps);
    const killed = await runCli(['import', '--workspace', dir, '--json'], { env: { CXRAY_TEST_CRASH_AT: 'after-swap' } });
    expect(killed.signal).toBe('SIGKILL');
    expect((await checkCurrentVersion(ws)).problems).toEqual([]);
    await mutateExports(dir, Rng.fromSeed(SEED + 8), 951);
    const again = await runCli(['import', '--workspace', dir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    // The killed import's quarantine/SOURCE.csv.vNNNNNN.tmp (its version current) are renamed into place by the next import.
    expect((await listStoreFiles(ws)).quarantineTemps.filter((n) => !before.has(n))).toEqual([]);
  }, 60_000);
});

describe('kill -9 in the first import of a workspace', () => {
  it('killed while writing the PII salt, later imports do not hash personal data with an empty salt', async () => {
    const dir = makeWorkspace();
    const env = { ...writePointEnv('salt-write'), CXRAY_PII_SALT: '' };
    const killed = await runCli(['import', '--workspace', dir, '--json'], { preload: await writePointPreload(join(dir, '.preload')), env });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const again = await runCli(['import', '--workspace', dir, '--json'], { env: { CXRAY_PII_SALT: '' } });
    expect(again.code, again.stderr).toBe(0);
    // The killed import died writing the salt (a temporary, renamed when whole): the next one makes a full salt, never an empty one.
    expect(readFileSync(join(dir, 'store', 'pii-salt'), 'utf8').trim().length, 'characters of the PII salt').toBeGreaterThanOrEqual(32);
  }, 60_000);
});

describe('kill -9 of cxray import at random moments, on the ClickHouse cluster', () => {
  if (clickhouseInstalled()) {
    beforeAll(() => leaseCluster(), 180_000);
    afterAll(() => releaseCluster(), 120_000);
  }

  itCluster(`ClickHouse: 3 kills; each store opens on the previous or the new version, and a re-import completes (seed ${SEED})`, async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cxray-crash-loop-ch-')), 'workspace');
    const summary = await runCrashLoop({ engine: 'clickhouse', runs: 3, customers: CUSTOMERS, seed: SEED, dir, database: `crashci_${process.pid}` });
    expectWhole(summary, 3);
  }, 180_000);
});
