import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Engine } from '../engine/types.js';
import type { StoreLocation } from '../model/ledger.js';
import { CUSTOMER_ID_COLUMNS } from './erase-duckdb.js';
import { matchQuarantined, re2, tokenPattern, type Needle, type NeedleMatcher } from './erase-match.js';
import type { ProofFinding } from './erase-report.js';
import { openClickHouseVersion, type StoreEngineConfig } from './store-engine.js';

/** What a scan of one version's tables found, and how much it read. */
export interface StoreScan {
  findings: ProofFinding[];
  tables: number;
  columns: number;
}

interface ScanColumn {
  name: string;
  /** The engine's type name. */
  type: string;
}

/** How one engine spells the scan's predicates. */
interface ScanSql {
  /** Text-like columns: they are searched; numbers, booleans and dates cannot hold an id stored as text. */
  isText(type: string): boolean;
  /** The whole value is one of $ids. */
  isOneOf(column: ScanColumn): string;
  /** A token of the value matches $token. */
  hasToken(column: ScanColumn): string;
  /** The value as text, for attributing what was found. */
  asText(column: ScanColumn): string;
  countIf(predicate: string): string;
}

function duckdbSql(engine: Engine): ScanSql {
  const q = (c: ScanColumn): string => engine.dialect.quoteIdent(c.name);
  return {
    isText: (type) => /VARCHAR|JSON|STRUCT|MAP|UNION/i.test(type),
    isOneOf: (c) => `list_contains($ids, CAST(${q(c)} AS VARCHAR))`,
    hasToken: (c) => `regexp_matches(CAST(${q(c)} AS VARCHAR), $token)`,
    asText: (c) => `CAST(${q(c)} AS VARCHAR)`,
    countIf: (p) => `count(*) FILTER (WHERE COALESCE(${p}, FALSE))`,
  };
}

function clickhouseSql(engine: Engine): ScanSql {
  const q = (c: ScanColumn): string => engine.dialect.quoteIdent(c.name);
  const isArray = (c: ScanColumn): boolean => /^Array\(/.test(c.type);
  return {
    isText: (type) => /String/.test(type),
    isOneOf: (c) => (isArray(c) ? `hasAny($ids, arrayMap(x -> ifNull(toString(x), ''), ${q(c)}))` : `has($ids, ifNull(toString(${q(c)}), ''))`),
    hasToken: (c) => (isArray(c) ? `arrayExists(x -> match(ifNull(toString(x), ''), $token), ${q(c)})` : `match(ifNull(toString(${q(c)}), ''), $token)`),
    asText: (c) => (isArray(c) ? `arrayStringConcat(arrayMap(x -> ifNull(toString(x), ''), ${q(c)}), ',')` : `ifNull(toString(${q(c)}), '')`),
    countIf: (p) => `countIf(${p})`,
  };
}

/**
 * Searches every text column of every table of one open version: columns
 * that hold customer ids (and the identity map's values) for any needle as
 * the whole value; every other text column for a distinctive needle as a
 * token; the quarantine's raw lines field by field, as erase attributes
 * them. Numbers, booleans and dates are not searched: an id is stored as
 * text everywhere cxray writes it.
 */
async function scanTables(engine: Engine, sql: ScanSql, tables: { name: string; columns: ScanColumn[] }[], matcher: NeedleMatcher, version: number): Promise<StoreScan> {
  const findings: ProofFinding[] = [];
  const values = [...new Set(matcher.needles.map((n) => n.value))];
  const token = tokenPattern(values);
  let columns = 0;
  const found = (table: string, column: string, rows: number, needle: Needle): void => {
    findings.push({ place: 'table', customer: needle.customer, as: needle.as, version, table, column, rows, owned: true });
  };
  for (const table of tables) {
    const text = table.columns.filter((c) => sql.isText(c.type));
    columns += text.length;
    const quarantine = table.name === '_quarantine' && table.columns.some((c) => c.name === 'raw');
    const checks = text.flatMap((c): { column: ScanColumn; kind: 'exact' | 'token' }[] => {
      // The quarantine's raw lines and details are searched below, as erase attributes them.
      if (quarantine && (c.name === 'raw' || c.name === 'detail')) return [];
      const exact = CUSTOMER_ID_COLUMNS.has(c.name) || (table.name === '_identity' && c.name === 'value');
      if (exact) return [{ column: c, kind: 'exact' }];
      return token === null ? [] : [{ column: c, kind: 'token' }];
    });
    if (checks.length > 0) {
      const params = { ids: values, token: re2(token ?? '$^') };
      const from = engine.dialect.quoteIdent(table.name);
      const counts = await engine.query(`SELECT ${checks.map((k, i) => `${sql.countIf(k.kind === 'exact' ? sql.isOneOf(k.column) : sql.hasToken(k.column))} AS c${i}`).join(', ')} FROM ${from}`, params);
      for (const [i, check] of checks.entries()) {
        const n = Number(counts[0]?.[`c${i}`] ?? 0);
        if (n === 0) continue;
        const predicate = check.kind === 'exact' ? sql.isOneOf(check.column) : sql.hasToken(check.column);
        const samples = await engine.query<{ v: string }>(`SELECT ${sql.asText(check.column)} AS v FROM ${from} WHERE ${predicate} LIMIT 20`, params);
        const seen = new Set<string>();
        for (const s of samples) {
          const needle = check.kind === 'exact' ? matcher.whole(s.v) : matcher.token(s.v);
          if (needle === undefined || seen.has(needle.customer + needle.as)) continue;
          seen.add(needle.customer + needle.as);
          found(table.name, check.column.name, n, needle);
        }
      }
    }
    if (quarantine) {
      const hasDetail = table.columns.some((c) => c.name === 'detail');
      const rows = await engine.query<{ raw: string | null; detail: string | null }>(`SELECT raw, ${hasDetail ? 'detail' : 'NULL'} AS detail FROM ${engine.dialect.quoteIdent(table.name)}`);
      const byCustomer = new Map<string, { needle: Needle; rows: number }>();
      for (const row of rows) {
        const needle = matchQuarantined(matcher, row);
        if (needle === undefined) continue;
        const entry = byCustomer.get(needle.customer + needle.as) ?? { needle, rows: 0 };
        entry.rows += 1;
        byCustomer.set(needle.customer + needle.as, entry);
      }
      for (const { needle, rows: n } of byCustomer.values()) found(table.name, 'raw', n, needle);
    }
  }
  return { findings, tables: tables.length, columns };
}

/** Scans a DuckDB version file, opened read-only. */
export async function scanDuckDbVersion(file: string, version: number, matcher: NeedleMatcher, memoryLimit: string): Promise<StoreScan> {
  const engine = await DuckDbEngine.open(file, { readOnly: true, memoryLimit });
  try {
    const rows = await engine.query<{ table_name: string; column_name: string; data_type: string }>(
      "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index",
    );
    return await scanTables(engine, duckdbSql(engine), group(rows.map((r) => ({ table: r.table_name, name: r.column_name, type: r.data_type }))), matcher, version);
  } finally {
    await engine.close();
  }
}

/** Scans a ClickHouse version through its Distributed tables (every shard's rows). */
export async function scanClickHouseVersion(
  store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>,
  location: Extract<StoreLocation, { engine: 'clickhouse' }>,
  version: number,
  matcher: NeedleMatcher,
): Promise<StoreScan> {
  const engine = await openClickHouseVersion(store, location);
  try {
    const rows = await engine.query<{ table: string; name: string; type: string }>('SELECT table, name, type FROM system.columns WHERE database = $db', { db: location.database });
    return await scanTables(engine, clickhouseSql(engine), group(rows.map((r) => ({ table: r.table, name: r.name, type: r.type }))), matcher, version);
  } finally {
    await engine.close();
  }
}

function group(columns: { table: string; name: string; type: string }[]): { name: string; columns: ScanColumn[] }[] {
  const tables = new Map<string, ScanColumn[]>();
  for (const c of columns) tables.set(c.table, [...(tables.get(c.table) ?? []), { name: c.name, type: c.type }]);
  return [...tables.entries()].map(([name, cols]) => ({ name, columns: cols }));
}
