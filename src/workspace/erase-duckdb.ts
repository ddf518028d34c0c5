import { existsSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import { CxrayError } from '../errors.js';
import type { ImportLedger } from '../model/ledger.js';
import { CUSTOMER_KEY_COLUMNS } from '../model/tables.js';
import { matchQuarantined, tokenRedaction, type Needle, type NeedleMatcher } from './erase-match.js';
import type { VersionErasure } from './erase-report.js';
import { versionName, versionStoreFile, type WorkspacePaths } from './paths.js';

/** Columns that hold a customer id in any table: customer_id, and referrals' referrer_id and referred_id. */
export const CUSTOMER_ID_COLUMNS: ReadonlySet<string> = new Set(Object.values(CUSTOMER_KEY_COLUMNS).flat());

/**
 * Columns that name another customer in a row that is not theirs
 * (customer_facts.referred_by: who referred this one). The row stays; the
 * erased customer's id in it is set to NULL.
 */
export const CUSTOMER_REFERENCE_COLUMNS: ReadonlySet<string> = new Set(['referred_by']);

/** The identity map and the quarantine of every version (src/ingest). */
const IDENTITY_TABLE = '_identity';
const QUARANTINE_TABLE = '_quarantine';
const LEDGER_TABLE = '_ledger';

/**
 * Whether a text column of kept rows has an erased customer's mentions
 * replaced: free text, not the columns that hold ids (their rows go, or
 * the reference is cleared), the identity map's keys (rows go), or the
 * quarantine's raw lines (records naming them go whole).
 */
export function redactable(table: string, column: string): boolean {
  if (CUSTOMER_ID_COLUMNS.has(column) || CUSTOMER_REFERENCE_COLUMNS.has(column)) return false;
  if (table === IDENTITY_TABLE && column === 'value') return false;
  return !(table === QUARANTINE_TABLE && (column === 'raw' || column === 'detail'));
}

const SOURCE = 'erase_src';
const TARGET = 'erase_dst';

export interface DuckDbErasePlan {
  /** Values of customer id columns whose rows go. */
  storedIds: string[];
  /** Identity-map values (hashed e-mails ...) whose rows go. */
  identityValues: string[];
  /** Attributes quarantined records to customers. */
  matcher: NeedleMatcher;
  memoryLimit: string;
}

interface TableRef {
  schema: string;
  name: string;
}

async function openWork(paths: WorkspacePaths, memoryLimit: string): Promise<DuckDbEngine> {
  // Erasing reads and rewrites the store's version files; nothing else.
  return DuckDbEngine.open(':memory:', { memoryLimit, tempDirectory: join(paths.store, '.tmp'), confineTo: { directories: [paths.store] } });
}

/**
 * The identity keys (hashed e-mails, phone numbers ...) the identity map of a
 * version file gives the customers: their records rejected before they were
 * resolved (a payment with a bad amount) carry these, not the id.
 */
export async function readIdentityNeedles(paths: WorkspacePaths, version: number, storedIds: readonly string[], needles: readonly Needle[], memoryLimit: string): Promise<Needle[]> {
  const work = await openWork(paths, memoryLimit);
  try {
    const d = work.dialect;
    await work.exec(`ATTACH ${d.literal(versionStoreFile(paths, version))} AS ${d.quoteIdent(SOURCE)} (READ_ONLY)`);
    const has = await work.query(`SELECT 1 FROM duckdb_tables() WHERE database_name = $db AND table_name = $t`, { db: SOURCE, t: IDENTITY_TABLE });
    if (has.length === 0) return [];
    const rows = await work.query<{ value: string; customer_id: string }>(
      `SELECT DISTINCT value, customer_id FROM ${d.qualify(SOURCE, IDENTITY_TABLE)} WHERE key <> 'id' AND value IS NOT NULL AND list_contains($ids, customer_id)`,
      { ids: [...storedIds] },
    );
    const owner = new Map(needles.map((n) => [n.value, n.customer]));
    return rows.map((r) => ({ customer: owner.get(r.customer_id) ?? r.customer_id, value: r.value, as: 'identity key' as const }));
  } finally {
    await work.close();
  }
}

/**
 * Fails with `store_locked` (exit 1, "stop the other process") when another
 * process holds a version file open: a reader there would keep reading the
 * old copy after the erase. Checked for every file before anything changes.
 * Attaching for writing takes DuckDB's exclusive lock; nothing is written.
 */
export async function assertNoOtherHolder(paths: WorkspacePaths, versions: readonly number[], memoryLimit: string): Promise<void> {
  const work = await openWork(paths, memoryLimit);
  try {
    const d = work.dialect;
    for (const version of versions) {
      await work.exec(`ATTACH ${d.literal(versionStoreFile(paths, version))} AS ${d.quoteIdent(SOURCE)}`);
      await work.exec(`DETACH ${d.quoteIdent(SOURCE)}`);
    }
  } finally {
    await work.close();
  }
}

/** Count of rows of a table, as a number (tables of a version are far below 2^53 rows). */
async function count(work: DuckDbEngine, table: string, where = 'TRUE', params?: Record<string, string | string[]>): Promise<number> {
  const rows = await work.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params);
  return Number(rows[0]?.n ?? 0n);
}

/**
 * Erase customers from one version file by copying it: the schema first
 * (COPY FROM DATABASE ... (SCHEMA)), then every table's rows but the
 * customers', into a new file that is checked (rows before = rows kept +
 * rows removed, table by table) and renamed over the old one; another
 * customer's referred_by naming them is set to NULL on the way. DuckDB does
 * not zero the blocks a DELETE (or a dropped table) frees; a copy holds only
 * live rows, so no old block survives. The old file is never written.
 */
export async function rewriteDuckDbVersion(paths: WorkspacePaths, ledger: ImportLedger, plan: DuckDbErasePlan): Promise<{ erasure: VersionErasure; ledger: ImportLedger; found: string[] }> {
  const file = versionStoreFile(paths, ledger.version);
  const target = join(paths.store, `.erase-${versionName(ledger.version)}-${process.pid}.duckdb`);
  await rm(target, { force: true });
  await rm(`${target}.wal`, { force: true });
  const bytesBefore = statSync(file).size;
  const work = await openWork(paths, plan.memoryLimit);
  const rowsRemoved: Record<string, number> = {};
  const rowsKept: Record<string, number> = {};
  const referencesCleared: Record<string, number> = {};
  const textRedacted: Record<string, number> = {};
  const redaction = tokenRedaction([...new Set(plan.matcher.needles.map((n) => n.value))]);
  const found = new Set<string>();
  let renamed = false;
  try {
    const d = work.dialect;
    const src = (t: TableRef): string => d.qualify(SOURCE, t.schema, t.name);
    const dst = (t: TableRef): string => d.qualify(TARGET, t.schema, t.name);
    // Attached for writing (never written: only read), so DuckDB's exclusive lock refuses the erase while
    // another process holds the version open, which would go on reading the old copy; see holdersOf.
    await work.exec(`ATTACH ${d.literal(file)} AS ${d.quoteIdent(SOURCE)}`);
    await work.exec(`ATTACH ${d.literal(target)} AS ${d.quoteIdent(TARGET)}`);
    await work.exec(`COPY FROM DATABASE ${d.quoteIdent(SOURCE)} TO ${d.quoteIdent(TARGET)} (SCHEMA)`);
    const tables = await work.query<{ schema: string; name: string }>(
      `SELECT schema_name AS schema, table_name AS name FROM duckdb_tables() WHERE database_name = $db ORDER BY schema_name, table_name`,
      { db: SOURCE },
    );
    for (const table of tables) {
      const described = await work.query<{ name: string; type: string }>(
        `SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE database_name = $db AND schema_name = $schema AND table_name = $table ORDER BY column_index`,
        { db: SOURCE, schema: table.schema, table: table.name },
      );
      const columns = described.map((c) => c.name);
      const keys = columns.filter((c) => CUSTOMER_ID_COLUMNS.has(c));
      const conditions = keys.map((c) => `list_contains($ids, ${d.quoteIdent(c)})`);
      const params: Record<string, string | string[]> = { ids: plan.storedIds };
      for (const key of keys) {
        for (const r of await work.query<{ v: string }>(`SELECT DISTINCT ${d.quoteIdent(key)} AS v FROM ${src(table)} WHERE list_contains($ids, ${d.quoteIdent(key)})`, params)) found.add(r.v);
      }
      if (table.name === IDENTITY_TABLE && columns.includes('value')) {
        conditions.push('list_contains($identity, "value")');
        params['identity'] = plan.identityValues;
      }
      if (table.name === QUARANTINE_TABLE && columns.includes('raw')) {
        await work.exec('CREATE OR REPLACE TABLE erase_drop (rid BIGINT)');
        const rows = await work.query<{ rid: bigint; raw: string | null; detail: string | null }>(`SELECT rowid AS rid, raw, ${columns.includes('detail') ? 'detail' : 'NULL'} AS detail FROM ${src(table)}`);
        const drop: bigint[][] = [];
        for (const r of rows) {
          const needle = matchQuarantined(plan.matcher, r);
          if (needle === undefined) continue;
          drop.push([r.rid]);
          found.add(needle.value);
        }
        await work.insertRows('erase_drop', ['rid'], drop);
        conditions.push('rowid IN (SELECT rid FROM erase_drop)');
      }
      const dropped = conditions.length === 0 ? 'FALSE' : `COALESCE(${conditions.join(' OR ')}, FALSE)`;
      const before = await count(work, src(table));
      const removed = conditions.length === 0 ? 0 : await count(work, src(table), dropped, params);
      const references = columns.filter((c) => CUSTOMER_REFERENCE_COLUMNS.has(c) && !CUSTOMER_ID_COLUMNS.has(c));
      for (const c of references) {
        const n = await count(work, src(table), `NOT (${dropped}) AND list_contains($ids, ${d.quoteIdent(c)})`, params);
        if (n > 0) referencesCleared[`${table.name}.${c}`] = n;
      }
      // Another customer's free text naming them (a comment "same as C-1007"): the mention becomes [erased].
      const redacted = redaction === null ? [] : described.filter((c) => c.type === 'VARCHAR' && redactable(table.name, c.name)).map((c) => c.name);
      if (redaction !== null) {
        params['redact'] = redaction.pattern;
        params['mark'] = redaction.replacement;
        for (const c of redacted) {
          const n = await count(work, src(table), `NOT (${dropped}) AND regexp_matches(${d.quoteIdent(c)}, $redact)`, params);
          if (n > 0) textRedacted[`${table.name}.${c}`] = n;
        }
      }
      const redact = (c: string): string => `CASE WHEN regexp_matches(${c}, $redact) THEN regexp_replace(regexp_replace(${c}, $redact, $mark, 'g'), $redact, $mark, 'g') ELSE ${c} END`;
      const select = columns.map((c) =>
        references.includes(c)
          ? `CASE WHEN list_contains($ids, ${d.quoteIdent(c)}) THEN NULL ELSE ${d.quoteIdent(c)} END AS ${d.quoteIdent(c)}`
          : redacted.includes(c)
            ? `${redact(d.quoteIdent(c))} AS ${d.quoteIdent(c)}`
            : d.quoteIdent(c),
      );
      await work.exec(`INSERT INTO ${dst(table)} SELECT ${select.join(', ')} FROM ${src(table)} WHERE NOT (${dropped})`, params);
      const after = await count(work, dst(table));
      if (after !== before - removed) {
        throw new CxrayError('erase_count_mismatch', `Erasing from ${table.name} of version ${ledger.version}: ${before} rows before, ${removed} to remove, but ${after} in the copy.`, {
          hint: 'Nothing was replaced: the old file is intact. This is a bug in cxray; report it with --debug output.',
        });
      }
      if (removed > 0) rowsRemoved[table.name] = removed;
      rowsKept[table.name] = after;
    }
    const updated: ImportLedger = { ...ledger, tables: Object.fromEntries(Object.entries(ledger.tables).map(([t, n]) => [t, rowsKept[t] ?? n])) };
    if (tables.some((t) => t.name === LEDGER_TABLE)) {
      // The copy of the ledger inside the file follows the one beside it: table sizes after the erase.
      const inside = await work.query<{ ledger: string }>(`SELECT ledger FROM ${d.qualify(TARGET, LEDGER_TABLE)} LIMIT 1`);
      const parsed = inside[0] === undefined ? null : (JSON.parse(inside[0].ledger) as ImportLedger);
      if (parsed !== null) {
        await work.exec(`UPDATE ${d.qualify(TARGET, LEDGER_TABLE)} SET ledger = $json`, { json: JSON.stringify({ ...parsed, tables: Object.fromEntries(Object.entries(parsed.tables).map(([t, n]) => [t, rowsKept[t] ?? n])) }) });
      }
    }
    await work.exec(`CHECKPOINT ${d.quoteIdent(TARGET)}`);
    await work.exec(`DETACH ${d.quoteIdent(TARGET)}`);
    if (existsSync(`${target}.wal`)) throw new CxrayError('erase_copy_unfinished', `The copy of version ${ledger.version} still has a write-ahead log after its checkpoint.`, { hint: 'Nothing was replaced. This is a bug in cxray; report it.' });
    // Renamed while the old file is still held: no other process can open the old copy in between.
    await rename(target, file);
    renamed = true;
    await work.exec(`DETACH ${d.quoteIdent(SOURCE)}`);
    await work.close();
    // A log beside the path belonged to the old content, never written by the erase.
    await rm(`${file}.wal`, { force: true });
    return {
      erasure: { version: ledger.version, engine: 'duckdb', rowsRemoved, referencesCleared, textRedacted, rewritten: true, bytesBefore, bytesAfter: statSync(file).size, mutations: 0, inactiveParts: null },
      ledger: updated,
      found: [...found],
    };
  } finally {
    await work.close().catch(() => undefined);
    if (!renamed) {
      // Failed before the swap: the old file is intact.
      await rm(target, { force: true }).catch(() => undefined);
      await rm(`${target}.wal`, { force: true }).catch(() => undefined);
    }
  }
}
