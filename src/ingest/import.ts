import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { CxrayConfig } from '../config/schema.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Engine } from '../engine/types.js';
import { UserError } from '../errors.js';
import type { FileLedger, ImportLedger, StoreLocation } from '../model/ledger.js';
import { CANONICAL_TABLE_NAMES } from '../model/tables.js';
import { acquireLock, processAlive } from '../workspace/lock.js';
import { versionLedgerFile, versionName, versionStoreFile, workspacePaths, type WorkspacePaths } from '../workspace/paths.js';
import { clickhouseVersionLocation, dropClickHouseVersion, dropClickHouseVersions, openClickHouseVersion, type StoreEngineConfig } from '../workspace/store-engine.js';
import { listVersions, nextVersionNumber, readCurrent, switchCurrent } from '../workspace/versions.js';
import { computeLedgers } from './compute-ledger.js';
import { crashPoint } from './crash-points.js';
import { QUARANTINE_TABLE, writeQuarantine } from './quarantine.js';
import { IDENTITY_TABLE, resolveIdentity, writeCanonicalTables } from './resolve-identity.js';
import { shipTable } from './ship-table.js';
import { stageSource, type SourceFile, type StagedSource } from './stage-source.js';

/** Progress in bytes of source files read (the work an import scales with). */
export interface ImportProgress {
  phase: 'hashing' | 'reading' | 'resolving' | 'shipping' | 'facts' | 'writing';
  source?: string;
  done: number;
  total: number;
}

export interface ImportOptions {
  config: CxrayConfig;
  configHash: string;
  /** Print the ledger and change nothing. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Builds customer_facts in the new version (see src/facts), on the store's engine. */
  buildFacts?: (engine: Engine, asOf: string) => Promise<void>;
  /**
   * Where versions are stored: the embedded DuckDB file (default), or a
   * ClickHouse server or cluster. Files are read, validated and resolved in
   * an embedded staging file either way; a remote store then receives the
   * canonical tables and builds customer_facts itself.
   */
  store?: StoreEngineConfig;
  /** DuckDB memory limit for the import. */
  memoryLimit?: string;
}

export interface ImportResult {
  /** False when files and config are unchanged: no version was written. */
  changed: boolean;
  dryRun: boolean;
  version: number | null;
  ledger: ImportLedger;
  quarantineFiles: string[];
  warnings: string[];
}

/** Paths of a source: plain paths, or `*`/`?` globs in the last segment. */
export async function resolveSourceFiles(root: string, patterns: string[], sourceName: string): Promise<string[]> {
  const out: string[] = [];
  for (const pattern of patterns) {
    const abs = isAbsolute(pattern) ? pattern : resolve(root, pattern);
    if (!/[*?]/.test(basename(abs))) {
      if (!existsSync(abs)) {
        throw new UserError('source_missing', `sources.${sourceName}: the file ${pattern} does not exist.`, {
          hint: `Check the path (relative to ${root}), or run \`cxray init --force --from ...\` again.`,
          file: pattern,
        });
      }
      out.push(abs);
      continue;
    }
    const re = new RegExp(`^${basename(abs).replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
    const names = await readdir(dirname(abs)).catch(() => [] as string[]);
    const matched = names.filter((n) => re.test(n)).sort();
    if (matched.length === 0) {
      throw new UserError('source_missing', `sources.${sourceName}: no file matches ${pattern}.`, { hint: 'Check the pattern in cxray.yaml.', file: pattern });
    }
    out.push(...matched.map((n) => join(dirname(abs), n)));
  }
  return [...new Set(out)];
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** The salt for hashing personal data: from the environment, else one kept in the workspace. */
async function piiSalt(paths: WorkspacePaths, envName: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  const file = join(paths.store, 'pii-salt');
  if (existsSync(file)) {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length > 0) return kept;
    // Only an import killed mid-write (before this one wrote it whole) leaves it empty: no version was made with it.
    if ((await listVersions(paths)).length > 0) {
      throw new UserError('pii_salt_empty', `${file} is empty, but versions were imported with a salt.`, {
        hint: `Restore the file from a backup, or set ${envName}; a new salt would hash personal data differently from the stored versions.`,
        file,
      });
    }
  }
  // Written whole under a temporary name, then renamed: a kill leaves no salt rather than an empty one.
  const salt = randomBytes(24).toString('hex');
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, salt, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return salt;
}

/**
 * Quarantine CSVs a killed import wrote (quarantine/SOURCE.csv.vNNNNNN.tmp):
 * renamed into place when their version became current (the kill came after
 * the switch), removed otherwise. Under the import lock.
 */
async function settleQuarantineTemporaries(paths: WorkspacePaths): Promise<void> {
  const names = await readdir(paths.quarantine).catch(() => [] as string[]);
  const current = (await readCurrent(paths))?.version ?? null;
  for (const name of names) {
    const m = /^(.*)\.v(\d+)\.tmp$/.exec(name);
    if (m === null) continue;
    if (Number(m[2]) === current) await rename(join(paths.quarantine, name), join(paths.quarantine, m[1] as string));
    else await rm(join(paths.quarantine, name), { force: true });
  }
}

/** Staging files left by a killed import: removed when their process is gone. */
async function removeStaleStaging(paths: WorkspacePaths): Promise<void> {
  const names = await readdir(paths.store).catch(() => [] as string[]);
  for (const name of names) {
    // Staging stores and their UTF-8 copies of Windows-1252 files, and ledgers or salts a killed import was writing under a temporary name.
    const m = /^\.staging-v\d+-(\d+)\.(?:duckdb(?:\.wal)?|_[a-z0-9_]+\.csv)$/.exec(name) ?? /^(?:v\d+\.ledger\.json|pii-salt|import\.lock)\.(\d+)\.tmp$/.exec(name);
    if (m !== null && !processAlive(Number(m[1]))) await rm(join(paths.store, name), { force: true });
  }
}

/**
 * Import every declared source into a new store version. The version is
 * built in a staging file and only made current (an atomic rename of the
 * pointer) once complete: a failed or killed import leaves the previous
 * version current, and readers keep the version they opened.
 */
export async function importWorkspace(workspace: string, options: ImportOptions): Promise<ImportResult> {
  const paths = workspacePaths(workspace);
  const { config } = options;
  const dryRun = options.dryRun === true;
  await mkdir(paths.store, { recursive: true });
  const lock = dryRun ? null : await acquireLock(paths.importLock, 'an import');
  const remote = options.store?.kind === 'clickhouse' ? options.store : undefined;
  try {
    if (!dryRun) await removeStaleStaging(paths);
    if (!dryRun) await settleQuarantineTemporaries(paths);
    if (!dryRun && remote !== undefined) await removeStaleRemoteVersions(paths, remote);
    const asOf = config.as_of ?? new Date().toISOString().slice(0, 10);
    const sourceFiles = new Map<string, SourceFile[]>();
    const sourceEntries = Object.entries(config.sources);
    for (const [name, source] of sourceEntries) {
      const files = await resolveSourceFiles(paths.root, source.files, name);
      const list: SourceFile[] = [];
      for (const abs of files) {
        const rel = relative(paths.root, abs);
        list.push({ abs, display: rel.startsWith('..') || isAbsolute(rel) ? abs : rel, sha256: await sha256File(abs), bytes: statSync(abs).size });
      }
      sourceFiles.set(name, list);
    }
    const current = dryRun ? null : await readCurrent(paths);
    const inputHashes = [...sourceFiles.entries()].flatMap(([s, files]) => files.map((f) => `${s}:${f.display}:${f.sha256}`)).sort();
    if (current !== null) {
      const previous = (await listVersions(paths)).find((v) => v.version === current.version);
      const previousHashes = previous?.files.map((f) => `${f.source}:${f.file}:${f.sha256}`).sort();
      if (previous !== undefined && previous.configHash === options.configHash && previous.asOf === asOf && JSON.stringify(previousHashes) === JSON.stringify(inputHashes)) {
        return { changed: false, dryRun, version: current.version, ledger: previous, quarantineFiles: [], warnings: [] };
      }
    }

    const version = dryRun ? 0 : await nextVersionNumber(paths);
    const stagingPath = dryRun ? ':memory:' : join(paths.store, `.staging-${versionName(version)}-${process.pid}.duckdb`);
    // The import reads the declared sources and writes the store and the quarantine lists; nothing else.
    const engine = await DuckDbEngine.open(stagingPath, {
      memoryLimit: options.memoryLimit ?? '4GB',
      tempDirectory: join(paths.store, '.tmp'),
      confineTo: { directories: [paths.store, paths.quarantine], files: [...sourceFiles.values()].flatMap((list) => list.map((f) => f.abs)) },
    });
    let closed = false;
    try {
      const salt = await piiSalt(paths, config.pii.salt_env);
      const staged: StagedSource[] = [];
      const sizes = new Map([...sourceFiles.entries()].map(([name, files]) => [name, files.reduce((sum, f) => sum + f.bytes, 0)]));
      const totalBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
      let doneBytes = 0;
      for (const [name, source] of sourceEntries) {
        options.onProgress?.({ phase: 'reading', source: name, done: doneBytes, total: totalBytes });
        staged.push(await stageSource(engine, config, name, source, sourceFiles.get(name) ?? [], { asOf, salt, scratch: join(paths.store, `.staging-${versionName(version)}-${process.pid}`) }));
        doneBytes += sizes.get(name) ?? 0;
      }
      options.onProgress?.({ phase: 'resolving', done: totalBytes, total: totalBytes });
      crashPoint('after-staging');
      const identity = await resolveIdentity(engine, staged);
      const tables = await writeCanonicalTables(engine, staged, { currency: config.currency, exchangeRates: config.exchange_rates, identity });
      crashPoint('mid-load');
      const files: FileLedger[] = await computeLedgers(engine, staged, identity.hasCustomersSource);
      const warnings: string[] = [];
      for (const f of staged.flatMap((s) => s.linesApproximate)) warnings.push(`${f}: stray quote characters make line numbers approximate in this file.`);
      if (identity.ambiguousKeys > 0) warnings.push(`${identity.ambiguousKeys} identity key value(s) (e.g. a shared e-mail) belong to several customers; references to them went to the smallest customer id.`);
      if (!identity.hasCustomersSource) warnings.push(`No customers source is declared: ${identity.derivedCustomers} customers were derived from the keys seen.`);
      const totals = files.reduce(
        (t, f) => ({
          read: t.read + f.read,
          loaded: t.loaded + f.loaded,
          quarantined: t.quarantined + f.quarantined,
          inserted: t.inserted + f.inserted,
          duplicates: t.duplicates + f.duplicates,
          excluded: t.excluded + f.excluded,
        }),
        { read: 0, loaded: 0, quarantined: 0, inserted: 0, duplicates: 0, excluded: 0 },
      );
      const ledger: ImportLedger = { version, createdAt: new Date().toISOString(), asOf, configHash: options.configHash, files, totals, tables };
      await engine.exec(`CREATE OR REPLACE TABLE _ledger AS SELECT CAST($json AS VARCHAR) AS ledger`, { json: JSON.stringify(ledger) });
      const quarantineTable = await writeQuarantine(engine, staged);
      if (!dryRun && remote === undefined && options.buildFacts !== undefined) {
        options.onProgress?.({ phase: 'facts', done: doneBytes, total: totalBytes });
        await options.buildFacts(engine, asOf);
      }
      for (const s of staged) {
        for (const f of s.feeds) await engine.exec(`DROP TABLE IF EXISTS ${engine.dialect.quoteIdent(f.table)}`);
        await engine.exec(`DROP TABLE IF EXISTS ${engine.dialect.quoteIdent(s.outcomes)}`);
        await engine.exec(`DROP TABLE IF EXISTS ${engine.dialect.quoteIdent(s.marked)}`);
      }
      await engine.exec('DROP TABLE IF EXISTS _derived_customers');
      if (dryRun) {
        return { changed: true, dryRun, version: null, ledger, quarantineFiles: [], warnings };
      }
      let location: StoreLocation = { engine: 'duckdb' };
      if (remote !== undefined) {
        location = await shipToClickHouse(engine, remote, version, asOf, options, join(paths.store, '.tmp'), warnings);
        crashPoint('after-ship');
      }
      options.onProgress?.({ phase: 'writing', done: doneBytes, total: totalBytes });
      await mkdir(paths.quarantine, { recursive: true });
      const quarantineFiles = await exportQuarantineCsvs(engine, quarantineTable, paths, staged.map((s) => s.name), version);
      if (remote === undefined) await engine.exec('CHECKPOINT');
      await engine.close();
      closed = true;
      ledger.store = location;
      // The ledger file completes a version (versions.ts): written after the
      // tables are all in place, before the pointer flips.
      // Whole or not at all (a temporary renamed into place): a half-written ledger would read as a version.
      const ledgerFile = versionLedgerFile(paths, version);
      await writeFile(`${ledgerFile}.${process.pid}.tmp`, JSON.stringify(ledger, null, 2));
      await rename(`${ledgerFile}.${process.pid}.tmp`, ledgerFile);
      if (remote === undefined) await rename(stagingPath, versionStoreFile(paths, version));
      else await rm(stagingPath, { force: true });
      crashPoint('mid-swap');
      await switchCurrent(paths, version);
      crashPoint('after-swap');
      // The quarantine CSVs of the current version sit in quarantine/.
      const finalFiles: string[] = [];
      for (const f of quarantineFiles) {
        const target = f.replace(/\.v\d+\.tmp$/, '');
        await rename(f, target);
        finalFiles.push(target);
      }
      return { changed: true, dryRun, version, ledger, quarantineFiles: finalFiles, warnings };
    } finally {
      if (!closed) {
        await engine.close().catch(() => undefined);
        if (!dryRun) await rm(stagingPath, { force: true }).catch(() => undefined);
      }
      await rm(`${stagingPath}.wal`, { force: true }).catch(() => undefined);
    }
  } finally {
    await lock?.release();
  }
}

/**
 * Databases of versions on the cluster that never completed (a failed or
 * killed import: no ledger file). The import lock is held, so no other
 * import is writing one.
 */
async function removeStaleRemoteVersions(paths: WorkspacePaths, store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>): Promise<void> {
  await dropClickHouseVersions(store, new Set((await listVersions(paths)).map((v) => v.version)));
}

/**
 * The canonical tables of the staging file go to the version's own
 * databases on the cluster (each row to its customer's shard), and
 * customer_facts is built there. A failure drops what was shipped.
 */
async function shipToClickHouse(
  staging: DuckDbEngine,
  store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>,
  version: number,
  asOf: string,
  options: ImportOptions,
  tmpDir: string,
  warnings: string[],
): Promise<StoreLocation> {
  const location = clickhouseVersionLocation(store, version);
  await mkdir(tmpDir, { recursive: true });
  await dropClickHouseVersion(store, location);
  const target = await openClickHouseVersion(store, location);
  try {
    const tables: { name: string; rows: number }[] = [];
    // The quarantine goes too, so a store answers for its rejected rows wherever it is; and the identity
    // map, so erase can tell which rejected records name a customer only by another key (a hashed e-mail).
    for (const name of [...CANONICAL_TABLE_NAMES, QUARANTINE_TABLE, IDENTITY_TABLE]) {
      if (!(await staging.hasTable(name))) continue;
      const counted = await staging.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${staging.dialect.quoteIdent(name)}`);
      tables.push({ name, rows: Number(counted[0]?.n ?? 0n) });
    }
    const total = tables.reduce((sum, t) => sum + t.rows, 0);
    let done = 0;
    for (const table of tables) {
      options.onProgress?.({ phase: 'shipping', source: table.name, done, total });
      await shipTable(staging, target, table.name, tmpDir, (retry) =>
        warnings.push(`${retry.table}: the cluster held ${retry.landed} of the ${retry.sent} rows sent; the table was sent again and now holds them all.`),
      );
      done += table.rows;
      crashPoint('mid-ship');
    }
    if (options.buildFacts !== undefined) {
      options.onProgress?.({ phase: 'facts', done: total, total });
      await options.buildFacts(target, asOf);
    }
  } catch (error) {
    await target.close().catch(() => undefined);
    await dropClickHouseVersion(store, location).catch(() => undefined);
    throw error;
  }
  await target.close();
  return location;
}

/** Spreadsheet formulas are neutralised in what cxray writes for people to open. */
const NEUTRALISE = (column: string): string => `CASE WHEN regexp_matches(${column}, '^[=+\\-@\\t\\r]') THEN '''' || ${column} ELSE ${column} END`;

async function exportQuarantineCsvs(engine: DuckDbEngine, table: string, paths: WorkspacePaths, sources: string[], version: number): Promise<string[]> {
  const d = engine.dialect;
  const out: string[] = [];
  for (const source of sources) {
    const target = join(paths.quarantine, `${source}.csv.${versionName(version)}.tmp`);
    await engine.exec(
      `COPY (SELECT ${NEUTRALISE('file')} AS file, line, ${NEUTRALISE('COALESCE("column", \'\')')} AS "column", reason, ${NEUTRALISE('detail')} AS detail, ${NEUTRALISE('raw')} AS raw
             FROM ${d.quoteIdent(table)} WHERE source = $source ORDER BY file, line)
       TO ${d.literal(target)} (HEADER, DELIMITER ',')`,
      { source },
    );
    out.push(target);
  }
  return out;
}
