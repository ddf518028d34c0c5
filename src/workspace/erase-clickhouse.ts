import type { ClickHouseEngine } from '../engine/clickhouse/engine.js';
import { CxrayError, UserError } from '../errors.js';
import type { ImportLedger, StoreLocation } from '../model/ledger.js';
import { CUSTOMER_ID_COLUMNS, CUSTOMER_REFERENCE_COLUMNS, redactable } from './erase-duckdb.js';
import { matchQuarantined, tokenRedaction, type Needle, type NeedleMatcher } from './erase-match.js';
import type { VersionErasure } from './erase-report.js';
import { openClickHouseVersion, type StoreEngineConfig } from './store-engine.js';

type ClickHouseStore = Extract<StoreEngineConfig, { kind: 'clickhouse' }>;
type ClickHouseLocation = Extract<StoreLocation, { engine: 'clickhouse' }>;

/** Values per ALTER or IN list: a statement stays far below max_query_size (256 KiB by default). */
const CHUNK = 500;
const POLL_MS = 200;

export interface ClickHouseErasePlan {
  storedIds: string[];
  matcher: NeedleMatcher;
  /** How long to wait for the mutations of one version on every shard. */
  timeoutMs: number;
  /** Mutations still running on the shards, while waiting. */
  onWait?: (pending: number) => void;
}

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

async function scalar(engine: ClickHouseEngine, sql: string, params?: Record<string, string>): Promise<number> {
  const rows = await engine.query<{ n: bigint | number }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/** One number per shard (a single server is one shard), summed. */
async function onEveryShard(engine: ClickHouseEngine, sql: string, params: Record<string, string>): Promise<number> {
  const answers = engine.capabilities.distributed ? await engine.queryOnEachShard<{ n: bigint | number }>(sql, params) : [await engine.query<{ n: bigint | number }>(sql, params)];
  return answers.reduce((sum, rows) => sum + Number(rows[0]?.n ?? 0), 0);
}

/**
 * The identity keys a version's identity map on ClickHouse gives the
 * customers, or null when the version has no identity map there (imports
 * ship the canonical tables and the quarantine, not the map).
 */
export async function readClickHouseIdentityNeedles(store: ClickHouseStore, location: ClickHouseLocation, storedIds: readonly string[], needles: readonly Needle[]): Promise<Needle[] | null> {
  const engine = await openClickHouseVersion(store, location);
  try {
    const has = await scalar(engine, "SELECT count() AS n FROM system.tables WHERE database = $db AND name = '_identity'", { db: location.database });
    if (has === 0) return null;
    const owner = new Map(needles.map((n) => [n.value, n.customer]));
    const out: Needle[] = [];
    for (const ids of chunks(storedIds)) {
      const rows = await engine.query<{ value: string; customer_id: string }>(`SELECT DISTINCT value, customer_id FROM _identity WHERE key != 'id' AND has(${engine.dialect.literal(ids)}, customer_id)`);
      for (const r of rows) out.push({ customer: owner.get(r.customer_id) ?? r.customer_id, value: r.value, as: 'identity key' });
    }
    return out;
  } finally {
    await engine.close();
  }
}

/** The key of a quarantined record, as ClickHouse computes it in a predicate. */
const QUARANTINE_KEY_SQL = "concat(ifNull(source, ''), '\\n', ifNull(file, ''), '\\n', ifNull(toString(line), ''))";
const quarantineKey = (r: { source: string | null; file: string | null; line: bigint | number | null }): string => `${r.source ?? ''}\n${r.file ?? ''}\n${r.line === null ? '' : String(r.line)}`;

/**
 * Erase customers from one version on ClickHouse: an `ALTER TABLE ...
 * DELETE` mutation on each shard's own MergeTree part of every table that
 * holds them (18.16 has no ON CLUSTER without ZooKeeper, so the engine sends
 * it to each shard), then system.mutations is polled on every shard until
 * none is left (18.16 has no mutations_sync), and the rows are counted
 * again. A mutation rewrites the parts it touches; the replaced parts stay
 * on disk, inactive, until the server deletes them (old_parts_lifetime).
 */
export async function eraseClickHouseVersion(store: ClickHouseStore, ledger: ImportLedger, location: ClickHouseLocation, plan: ClickHouseErasePlan): Promise<{ erasure: VersionErasure; ledger: ImportLedger; found: string[] }> {
  const engine = await openClickHouseVersion(store, location);
  try {
    const d = engine.dialect;
    const partsDatabase = location.localDatabase ?? location.database;
    const tables = (await engine.query<{ name: string }>('SELECT name FROM system.tables WHERE database = $db ORDER BY name', { db: location.database })).map((t) => t.name);
    const rowsRemoved: Record<string, number> = {};
    const plannedRows = new Map<string, { before: number; removed: number }>();
    const found = new Set<string>();
    const referencesCleared: Record<string, number> = {};
    const textRedacted: Record<string, number> = {};
    const redaction = tokenRedaction([...new Set(plan.matcher.needles.map((n) => n.value))]);
    let mutations = 0;
    for (const table of tables) {
      const described = await engine.query<{ name: string; type: string }>('SELECT name, type FROM system.columns WHERE database = $db AND table = $t', { db: location.database, t: table });
      const columns = described.map((c) => c.name);
      const predicates: string[] = [];
      const keys = columns.filter((c) => CUSTOMER_ID_COLUMNS.has(c));
      for (const ids of chunks(plan.storedIds)) {
        if (keys.length === 0) continue;
        predicates.push(keys.map((c) => `has(${d.literal(ids)}, ${d.quoteIdent(c)})`).join(' OR '));
        for (const c of keys) {
          for (const r of await engine.query<{ v: string }>(`SELECT DISTINCT ${d.quoteIdent(c)} AS v FROM ${d.quoteIdent(table)} WHERE has(${d.literal(ids)}, ${d.quoteIdent(c)})`)) found.add(r.v);
        }
      }
      if (table === '_quarantine' && columns.includes('raw')) {
        const rows = await engine.query<{ source: string | null; file: string | null; line: bigint | number | null; raw: string | null; detail: string | null }>(
          `SELECT source, file, line, raw, ${columns.includes('detail') ? 'detail' : 'NULL'} AS detail FROM ${d.quoteIdent(table)}`,
        );
        const rejected = new Set<string>();
        for (const r of rows) {
          const needle = matchQuarantined(plan.matcher, r);
          if (needle === undefined) continue;
          rejected.add(quarantineKey(r));
          found.add(needle.value);
        }
        for (const part of chunks([...rejected])) predicates.push(`has(${d.literal(part)}, ${QUARANTINE_KEY_SQL})`);
      }
      for (const c of columns.filter((x) => CUSTOMER_REFERENCE_COLUMNS.has(x) && !CUSTOMER_ID_COLUMNS.has(x))) {
        for (const ids of chunks(plan.storedIds)) {
          const named = `has(${d.literal(ids)}, ${d.quoteIdent(c)})`;
          // Rows that go anyway are not counted as cleared.
          const kept = predicates.length === 0 ? '' : ` AND NOT (${predicates.map((p) => `(${p})`).join(' OR ')})`;
          const n = await scalar(engine, `SELECT count() AS n FROM ${d.quoteIdent(table)} WHERE ${named}${kept}`);
          if (n === 0) continue;
          await engine.exec(`ALTER TABLE ${d.qualify(partsDatabase, table)} UPDATE ${d.quoteIdent(c)} = NULL WHERE ${named}`);
          mutations += 1;
          referencesCleared[`${table}.${c}`] = (referencesCleared[`${table}.${c}`] ?? 0) + n;
        }
      }
      if (redaction !== null) {
        // Another customer's free text naming them (a comment "same as C-1007"): the mention becomes [erased], on the kept rows.
        const pattern = d.literal(redaction.pattern);
        const mark = d.literal(redaction.replacement);
        const kept = predicates.length === 0 ? '' : ` AND NOT (${predicates.map((p) => `(${p})`).join(' OR ')})`;
        for (const c of described.filter((x) => (x.type === 'String' || x.type === 'Nullable(String)') && redactable(table, x.name))) {
          const column = d.quoteIdent(c.name);
          const n = await scalar(engine, `SELECT count() AS n FROM ${d.quoteIdent(table)} WHERE match(${column}, ${pattern})${kept}`);
          if (n === 0) continue;
          await engine.exec(`ALTER TABLE ${d.qualify(partsDatabase, table)} UPDATE ${column} = replaceRegexpAll(replaceRegexpAll(${column}, ${pattern}, ${mark}), ${pattern}, ${mark}) WHERE match(${column}, ${pattern})`);
          mutations += 1;
          textRedacted[`${table}.${c.name}`] = n;
        }
      }
      if (predicates.length === 0) continue;
      const before = await scalar(engine, `SELECT count() AS n FROM ${d.quoteIdent(table)}`);
      const removed = await scalar(engine, `SELECT count() AS n FROM ${d.quoteIdent(table)} WHERE ${predicates.map((p) => `(${p})`).join(' OR ')}`);
      plannedRows.set(table, { before, removed });
      if (removed === 0) continue;
      for (const predicate of predicates) {
        await engine.exec(`ALTER TABLE ${d.qualify(partsDatabase, table)} DELETE WHERE ${predicate}`);
        mutations += 1;
      }
      rowsRemoved[table] = removed;
    }
    await waitForMutations(engine, partsDatabase, plan);
    const rowsKept: Record<string, number> = {};
    for (const [table, { before, removed }] of plannedRows) {
      const after = await scalar(engine, `SELECT count() AS n FROM ${d.quoteIdent(table)}`);
      if (after !== before - removed) {
        throw new CxrayError('erase_count_mismatch', `Erasing from ${table} of version ${ledger.version} on ClickHouse: ${before} rows before, ${removed} to remove, ${after} after the mutations.`, {
          hint: 'Look at system.mutations on each shard, then run the same `cxray erase` again (it is safe to repeat).',
        });
      }
      rowsKept[table] = after;
    }
    const inactiveParts = await onEveryShard(engine, 'SELECT count() AS n FROM system.parts WHERE database = $db AND active = 0', { db: partsDatabase });
    return {
      erasure: { version: ledger.version, engine: 'clickhouse', rowsRemoved, referencesCleared, textRedacted, rewritten: false, bytesBefore: null, bytesAfter: null, mutations, inactiveParts },
      ledger: { ...ledger, tables: Object.fromEntries(Object.entries(ledger.tables).map(([t, n]) => [t, rowsKept[t] ?? n])) },
      found: [...found],
    };
  } finally {
    await engine.close();
  }
}

/** Polls system.mutations on every shard until none of this database is left running. */
async function waitForMutations(engine: ClickHouseEngine, database: string, plan: ClickHouseErasePlan): Promise<void> {
  const started = Date.now();
  for (;;) {
    const pending = await onEveryShard(engine, 'SELECT count() AS n FROM system.mutations WHERE database = $db AND is_done = 0', { db: database });
    if (pending === 0) return;
    plan.onWait?.(pending);
    if (Date.now() - started > plan.timeoutMs) {
      throw new UserError('erase_mutations_pending', `${pending} ClickHouse mutation(s) erasing customers from ${database} are still running after ${Math.round((Date.now() - started) / 1000)} s.`, {
        hint: `They go on in the background: watch \`SELECT * FROM system.mutations WHERE database = '${database}' AND is_done = 0\` on each shard, then run the same \`cxray erase\` again to check and prove.`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
