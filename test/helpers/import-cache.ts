import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSourceFiles } from '../../src/ingest/import.js';
import type { ImportLedger } from '../../src/model/ledger.js';
import { versionLedgerFile } from '../../src/workspace/paths.js';
import { storeEngineConfig } from '../../src/workspace/store-engine.js';
import { Workspace } from '../../src/workspace/workspace.js';

/**
 * `ws.import()` for tests that need an imported store, not an import under
 * test: the first workspace with a given config and source files is
 * imported for real, and its store and quarantine folders are kept in the
 * run's temporary folder; later workspaces with the same config text and
 * the same files (path, size, modification time) get a copy. Many test
 * files import the same simulated companies (20,000 customers take about 8
 * seconds each time), and the copy is what the import would have written
 * byte for byte. The import itself is tested where it is the subject
 * (src/ingest, test/e2e, the seeds' same-files re-import check).
 *
 * Only embedded (DuckDB) stores are cached: a workspace whose config points
 * at ClickHouse imports for real. The cache lives in the run's TMPDIR (the
 * global setup makes one per run), so code changes never meet stale stores.
 */
export async function importCached(ws: Workspace): Promise<ImportLedger> {
  const { config, hash } = await ws.config();
  if (storeEngineConfig(config, 'cache-check').kind !== 'duckdb') return (await ws.import()).ledger;
  if (existsSync(ws.paths.currentPointer)) throw new Error(`importCached: ${ws.paths.root} has been imported already; use ws.import() for a second version`);
  const key = createHash('sha256').update(hash);
  for (const [name, source] of Object.entries(config.sources).sort(([a], [b]) => a.localeCompare(b))) {
    for (const file of (await resolveSourceFiles(ws.paths.root, source.files, name)).sort()) {
      const s = await stat(file);
      key.update(`\n${name}\t${file}\t${s.size}\t${s.mtimeMs}`);
    }
  }
  const cached = join(tmpdir(), 'cxray-import-cache', key.digest('hex').slice(0, 24));
  if (!existsSync(join(cached, 'complete'))) {
    const { ledger } = await ws.import();
    if (ledger.version !== 1) throw new Error(`importCached: expected version 1, got ${ledger.version}`);
    await mkdir(join(tmpdir(), 'cxray-import-cache'), { recursive: true });
    const staging = await mkdtemp(`${cached}-staging-`);
    await cp(ws.paths.store, join(staging, 'store'), { recursive: true });
    await cp(ws.paths.quarantine, join(staging, 'quarantine'), { recursive: true });
    await writeFile(join(staging, 'complete'), '');
    // Another worker may have filled the same key meanwhile: either copy is the same import.
    await rename(staging, cached).catch(async () => rm(staging, { recursive: true, force: true }));
    return ledger;
  }
  await cp(join(cached, 'store'), ws.paths.store, { recursive: true });
  await cp(join(cached, 'quarantine'), ws.paths.quarantine, { recursive: true });
  for (const dir of [ws.paths.snapshots, ws.paths.reports]) await mkdir(dir, { recursive: true });
  return JSON.parse(await readFile(versionLedgerFile(ws.paths, 1), 'utf8')) as ImportLedger;
}

/** `importCached` for a workspace folder. */
export function importCachedDir(dir: string): Promise<ImportLedger> {
  return importCached(new Workspace(dir));
}
