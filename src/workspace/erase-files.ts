import { existsSync } from 'node:fs';
import { open, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import { processAlive } from './lock.js';
import { versionName, type WorkspacePaths } from './paths.js';

/** Deletes results/<version>/ of each version: every stored Result of it (they are recomputed by the next analyze). */
export async function removeStoredResults(paths: WorkspacePaths, versions: readonly number[]): Promise<string[]> {
  const removed: string[] = [];
  for (const v of versions) {
    const dir = join(paths.results, versionName(v));
    if (!existsSync(dir)) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(relative(paths.root, dir));
  }
  return removed;
}

/** Deletes the snapshots (`<id>.json` and `<id>.md`, leftovers of a write too) of these versions. */
export async function removeSnapshots(paths: WorkspacePaths, versions: readonly number[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(paths.snapshots);
  } catch {
    return [];
  }
  const wanted = new Set(versions);
  const removed: string[] = [];
  for (const name of names.sort()) {
    const m = /^v(\d{6})-\d{8}T\d{6}Z\./.exec(name);
    if (m === null || !wanted.has(Number(m[1]))) continue;
    await rm(join(paths.snapshots, name), { force: true });
    removed.push(relative(paths.root, join(paths.snapshots, name)));
  }
  return removed;
}

/** Folders a walk of the workspace never enters: version control and packages are not cxray's. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** Every file under `dir`, recursively (symbolic links are not followed). */
export async function walkFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) out.push(...(await walkFiles(path)));
    } else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The first bytes of a file. */
export async function head(path: string, bytes = 64 * 1024): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The import version a cxray report says it was made from: its lead reads
 * "... from import version N." (report/build-document.ts) in HTML and
 * Markdown alike; null for anything else.
 */
export async function reportVersion(path: string): Promise<number | null> {
  if (!/^\.(html?|md)$/i.test(extname(path))) return null;
  const text = (await head(path, 256 * 1024)).toString('utf8');
  const m = /from import version (\d+)\./.exec(text);
  return m === null ? null : Number(m[1]);
}

const inside = (folder: string, path: string): boolean => path === folder || path.startsWith(folder + sep);

/**
 * Deletes the reports in the workspace made from one of these versions
 * (their tables and aggregates include the erased customers): every HTML or
 * Markdown file that says it is a cxray report of such a version, with the
 * `<name>-charts/` folder a Markdown report writes beside it; and under
 * reports/ (cxray's folder) also every file that cannot say its version (a
 * PDF), unless it is a chart of a Markdown report that is kept. Reports
 * written outside the workspace cannot be found.
 */
export async function removeReports(paths: WorkspacePaths, versions: readonly number[], keep: ReadonlySet<string>): Promise<string[]> {
  if (versions.length === 0) return [];
  const wanted = new Set(versions);
  const owned = [paths.store, paths.results, paths.snapshots, paths.quarantine];
  const removed: string[] = [];
  for (const file of await walkFiles(paths.root)) {
    if (keep.has(file) || owned.some((f) => inside(f, file)) || !existsSync(file)) continue;
    const version = await reportVersion(file);
    if (version === null && inside(paths.reports, file)) {
      if (await isChartOfKeptReport(file, wanted)) continue;
      await rm(file, { force: true });
      removed.push(relative(paths.root, file));
      continue;
    }
    if (version === null || !wanted.has(version)) continue;
    await rm(file, { force: true });
    removed.push(relative(paths.root, file));
    const charts = join(dirname(file), `${basename(file, extname(file))}-charts`);
    if (extname(file).toLowerCase() === '.md' && existsSync(charts) && !inside(paths.reports, charts)) {
      for (const chart of await walkFiles(charts)) removed.push(relative(paths.root, chart));
      await rm(charts, { recursive: true, force: true });
    }
  }
  await removeEmptyFolders(paths.reports);
  return removed;
}

/** Whether a file sits in the `<name>-charts/` folder of a Markdown report `<name>.md` made from a version that is not erased. */
async function isChartOfKeptReport(file: string, wanted: ReadonlySet<number>): Promise<boolean> {
  const folder = dirname(file);
  const m = /^(.*)-charts$/.exec(basename(folder));
  if (m === null) return false;
  const markdown = join(dirname(folder), `${m[1]}.md`);
  if (!existsSync(markdown)) return false;
  const version = await reportVersion(markdown);
  return version !== null && !wanted.has(version);
}

/** Folders below `dir` left empty (a Markdown report's chart folder), deepest first; `dir` itself stays. */
async function removeEmptyFolders(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const sub = join(dir, entry.name);
    await removeEmptyFolders(sub);
    if ((await readdir(sub)).length === 0) await rm(sub, { recursive: true, force: true });
  }
}

/**
 * Leftovers that can hold copies of rows: the staging file of a killed
 * import, the copy of a killed erase, DuckDB's spill folder (store/.tmp),
 * half-written files (`*.tmp`) of results, snapshots and quarantine lists.
 * Run under the import lock: a staging file whose process still lives means
 * an import runs without it, which is refused.
 */
export async function removeLeftovers(paths: WorkspacePaths): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(paths.store).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const m = /^\.(?:staging|erase)-v\d+-(\d+)\.duckdb(?:\.wal)?$/.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid) continue;
    if (processAlive(pid)) {
      throw new UserError('workspace_busy', `Process ${pid} is writing ${name} in this workspace's store.`, { hint: `Wait for it to finish (or stop process ${pid}), then run \`cxray erase\` again.`, file: join(paths.store, name) });
    }
    await rm(join(paths.store, name), { force: true });
    removed.push(relative(paths.root, join(paths.store, name)));
  }
  const spill = join(paths.store, '.tmp');
  for (const file of await walkFiles(spill)) removed.push(relative(paths.root, file));
  if (existsSync(spill)) await rm(spill, { recursive: true, force: true });
  for (const folder of [paths.results, paths.snapshots, paths.quarantine]) {
    for (const file of await walkFiles(folder)) {
      if (!file.endsWith('.tmp')) continue;
      if ((await stat(file)).isFile()) {
        await rm(file, { force: true });
        removed.push(relative(paths.root, file));
      }
    }
  }
  return removed;
}
