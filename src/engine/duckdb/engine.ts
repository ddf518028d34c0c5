// The only module family that imports @duckdb/node-api (STYLE.md): one instance
// per file per process, bulk work in SQL, values bound, results converted losslessly.
import { resolve, sep } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue, type DuckDBType } from '@duckdb/node-api';
import { CxrayError, UnsupportedCapability, UserError } from '../../errors.js';
import type { CanonicalType, Capabilities, ColumnInfo, Engine, QueryOptions, Row, RowValue, SqlParams, StreamOptions } from '../types.js';
import { bindParameters, bindValue, type BoundParameters } from './bind.js';
import { appendRowObjects } from './convert.js';
import { duckdbDialect } from './dialect.js';
import './driver-patches.js';
import { assertRowShape } from '../sql-text.js';

/** CXRAY_PROFILE_SQL=1 logs every statement's duration to stderr (a debugging aid for slow imports). */
const PROFILE_SQL = process.env['CXRAY_PROFILE_SQL'] === '1';

const CANONICAL: Record<string, CanonicalType> = {
  VARCHAR: 'string',
  INTEGER: 'int32',
  SMALLINT: 'int32',
  TINYINT: 'int32',
  USMALLINT: 'int32',
  UTINYINT: 'int32',
  BIGINT: 'int64',
  UINTEGER: 'int64',
  UBIGINT: 'int64',
  HUGEINT: 'int64',
  UHUGEINT: 'int64',
  DOUBLE: 'double',
  FLOAT: 'double',
  BOOLEAN: 'boolean',
  DATE: 'date',
  'VARCHAR[]': 'string[]',
};

function canonicalOf(engineType: string): CanonicalType {
  const t = engineType.toUpperCase();
  if (t.startsWith('DECIMAL')) return 'money';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return CANONICAL[t] ?? 'string';
}

export const DUCKDB_CAPABILITIES: Capabilities = Object.freeze({
  boundParameters: true,
  windowFunctions: true,
  commonTableExpressions: true,
  multipleJoinsPerSelect: true,
  transactions: true,
  cancellation: true,
  timestampsBefore1970: true,
  subsecondTimestamps: true,
  distributed: false,
});

export interface DuckDbOpenOptions {
  readOnly?: boolean;
  /** e.g. "4GB"; DuckDB's default is 80% of RAM (ENGINES.md), too greedy beside a server. */
  memoryLimit?: string;
  threads?: number;
  /** Folder for spilling to disk. */
  tempDirectory?: string;
  /**
   * The only files this engine's SQL may read or write besides its own
   * database file: these folders (and everything under them) and these
   * files. Everything else (read_csv of another path, COPY TO, ATTACH, glob)
   * fails with a permission error, and the configuration is locked so no
   * later statement can widen it. A second wall behind the quoting: even a
   * query whose meaning a user's text had changed could not read a file
   * outside the workspace and its declared sources.
   */
  confineTo?: { directories: readonly string[]; files?: readonly string[] };
}

/**
 * DuckDB's own file-access wall (enable_external_access off, with allowed
 * directories and paths, then lock_configuration), in that order: once
 * external access is off the lists cannot change. A folder is given with a
 * trailing separator, since DuckDB matches by prefix (`/ws` would admit `/ws2`).
 */
async function confine(connection: DuckDBConnection, to: NonNullable<DuckDbOpenOptions['confineTo']>): Promise<void> {
  const list = (paths: readonly string[]): string => `[${paths.map((p) => duckdbDialect.literal(p)).join(', ')}]`;
  const folders = to.directories.map((d) => (resolve(d).endsWith(sep) ? resolve(d) : resolve(d) + sep));
  const files = (to.files ?? []).map((f) => resolve(f));
  await connection.run(`SET GLOBAL allowed_directories = ${list(folders)}`);
  await connection.run(`SET GLOBAL allowed_paths = ${list(files)}`);
  await connection.run('SET GLOBAL enable_external_access = false');
  await connection.run('SET GLOBAL lock_configuration = true');
}

/** Repeat interrupts while a cancelled call is in flight: one that lands between prepare and execute is lost. */
const INTERRUPT_REPEAT_MS = 50;

function cancelled(cause?: unknown): CxrayError {
  return new CxrayError('query_cancelled', 'The query was cancelled.', cause === undefined ? {} : { cause });
}

function toCxrayError(error: unknown, sql: string, signal?: AbortSignal): CxrayError {
  if (error instanceof CxrayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/Could not set lock on file/i.test(message)) {
    return new UserError('store_locked', 'Another process holds the store file.', {
      hint: 'Stop the other cxray process (or send the work through the running `cxray serve`), then try again.',
      cause: error,
    });
  }
  if (signal?.aborted === true || /^INTERRUPT Error/i.test(message)) return cancelled(error);
  return new CxrayError('query_failed', `${message}\n-- in SQL: ${sql.slice(0, 2000)}`, { cause: error });
}

/** Rejects when the signal aborts; resolves never otherwise. */
function abortPromise(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

export class DuckDbEngine implements Engine {
  readonly displayName = 'DuckDB';
  readonly dialect = duckdbDialect;
  readonly capabilities = DUCKDB_CAPABILITIES;

  /**
   * Calls on the main connection run one at a time, so an interrupt can only
   * reach the call that asked for it, never a neighbour queued behind it.
   */
  private lane: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly streams = new Set<DuckDBConnection>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Open (or create) a DuckDB file, or `:memory:`. */
  static async open(path: string, options: DuckDbOpenOptions = {}): Promise<DuckDbEngine> {
    const settings: Record<string, string> = { memory_limit: options.memoryLimit ?? '4GB' };
    if (options.readOnly) settings['access_mode'] = 'READ_ONLY';
    if (options.threads !== undefined) settings['threads'] = String(options.threads);
    if (options.tempDirectory !== undefined) settings['temp_directory'] = options.tempDirectory;
    // Extensions cannot be downloaded on this kind of machine; never try.
    settings['autoinstall_known_extensions'] = 'false';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, settings);
    } catch (error) {
      const wrapped = toCxrayError(error, `-- open ${path}`);
      if (wrapped.code !== 'query_failed') throw wrapped;
      throw new UserError('store_unavailable', `The store ${path} could not be opened: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'Check that the folder exists and is writable, and that the file is a cxray store.',
        file: path,
        cause: error,
      });
    }
    const connection = await instance.connect();
    // ICU's time zone defaults to the process's: pin it, so TIMESTAMPTZ casts
    // and truncation give the same answer on every machine.
    await connection.run("SET GLOBAL TimeZone = 'UTC'");
    if (options.confineTo !== undefined) await confine(connection, options.confineTo);
    return new DuckDbEngine(instance, connection, path);
  }

  private assertOpen(): void {
    if (this.closed) throw new CxrayError('engine_closed', 'The engine was closed.', { hint: 'This is a bug: open the workspace again.' });
  }

  private checkSignal(signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    // Capability-driven even here, so the flag and the behaviour cannot drift apart.
    if (!this.capabilities.cancellation) throw new UnsupportedCapability('query cancellation', this.displayName);
    if (signal.aborted) throw cancelled();
  }

  /** Run `work` on the main connection when its turn comes; an abort interrupts it (or drops it from the queue). */
  private async exclusive<T>(sql: string, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    const previous = this.lane;
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.lane = previous.then(() => mine);
    let timer: ReturnType<typeof setInterval> | undefined;
    const onAbort = (): void => {
      this.connection.interrupt();
      timer ??= setInterval(() => this.connection.interrupt(), INTERRUPT_REPEAT_MS);
    };
    try {
      if (signal === undefined) {
        await previous;
      } else {
        const abort = abortPromise(signal);
        try {
          await Promise.race([previous, abort.promise]);
        } finally {
          abort.dispose();
        }
        signal.addEventListener('abort', onAbort, { once: true });
        if (signal.aborted) throw cancelled();
      }
      this.assertOpen();
      if (PROFILE_SQL) {
        process.stderr.write(`[sql start] ${sql.replace(/\s+/g, ' ')}\n`);
        const started = performance.now();
        const result = await work();
        process.stderr.write(`[sql ${((performance.now() - started) / 1000).toFixed(3)} s] ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
        return result;
      }
      return await work();
    } catch (error) {
      throw toCxrayError(error, sql, signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearInterval(timer);
      release();
    }
  }

  /** Checks that come before queueing: open, signal, parameters (TypeErrors stay TypeErrors). */
  private prepare(sql: string, params: SqlParams | undefined, signal: AbortSignal | undefined): BoundParameters {
    this.assertOpen();
    this.checkSignal(signal);
    return bindParameters(sql, params);
  }

  async query<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[]> {
    const { values, types } = this.prepare(sql, params, options?.signal);
    return this.exclusive(sql, options?.signal, async () => {
      const result = await this.connection.run(sql, values, types);
      const names = result.deduplicatedColumnNames();
      const rows: Row[] = [];
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        appendRowObjects(chunk, names, rows);
      }
      return rows as R[];
    });
  }

  async exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void> {
    const { values, types } = this.prepare(sql, params, options?.signal);
    await this.exclusive(sql, options?.signal, async () => {
      await this.connection.run(sql, values, types);
    });
  }

  /**
   * Each stream runs on its own connection: a query on the shared connection
   * while a stream is open would otherwise end that stream early without an
   * error (measured: zero rows, no exception).
   */
  async *stream<R extends Row = Row>(sql: string, params?: SqlParams, options?: StreamOptions): AsyncIterable<R[]> {
    const signal = options?.signal;
    const batchSize = options?.batchSize ?? 2048;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new TypeError(`batchSize must be a positive integer, got ${batchSize}`);
    const { values, types } = this.prepare(sql, params, signal);
    const connection = await this.instance.connect();
    this.streams.add(connection);
    const onAbort = (): void => connection.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let result;
      try {
        result = await connection.stream(sql, values, types);
      } catch (error) {
        throw toCxrayError(error, sql, signal);
      }
      const names = result.deduplicatedColumnNames();
      let batch: Row[] = [];
      for (;;) {
        if (signal?.aborted) throw cancelled();
        let chunk;
        try {
          chunk = await result.fetchChunk();
        } catch (error) {
          throw toCxrayError(error, sql, signal);
        }
        if (chunk === null || chunk.rowCount === 0) break;
        appendRowObjects(chunk, names, batch);
        while (batch.length >= batchSize) {
          const full = batch.length === batchSize ? batch : batch.slice(0, batchSize);
          batch = batch.length === batchSize ? [] : batch.slice(batchSize);
          yield full as R[];
          if (signal?.aborted) throw cancelled();
        }
      }
      if (batch.length > 0) yield batch as R[];
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.streams.delete(connection);
      connection.closeSync();
    }
  }

  // The catalog is read through duckdb_columns()/duckdb_tables()/duckdb_views(), not the information_schema views
  // built over them: the same answers (tables and views of the current database and schema, no temporary or
  // attached ones), in less than half the time (an import asks a few hundred times).
  async describe(table: string): Promise<ColumnInfo[]> {
    const rows = await this.query<{ column_name: string; data_type: string; is_nullable: boolean }>(
      `SELECT column_name, data_type, is_nullable FROM duckdb_columns()
        WHERE table_name = $t AND database_name = current_database() AND schema_name = current_schema()
        ORDER BY column_index`,
      { t: table },
    );
    if (rows.length === 0) {
      throw new UserError('table_missing', `The table ${table} is not in the store.`, {
        hint: 'Run `cxray import` first, or check that a source feeds this table.',
      });
    }
    return rows.map((r) => ({
      name: r.column_name,
      engineType: r.data_type,
      type: canonicalOf(r.data_type),
      nullable: r.is_nullable,
    }));
  }

  async hasTable(table: string): Promise<boolean> {
    const here = 'database_name = current_database() AND schema_name = current_schema()';
    const rows = await this.query<{ n: bigint }>(
      `SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = $t AND ${here})
            + (SELECT count(*) FROM duckdb_views() WHERE view_name = $t AND ${here}) AS n`,
      { t: table },
    );
    return (rows[0]?.n ?? 0n) > 0n;
  }

  async insertRows(table: string, columns: string[], rows: RowValue[][]): Promise<void> {
    this.assertOpen();
    assertRowShape(columns, rows);
    if (rows.length === 0) return;
    const d = this.dialect;
    const target = `${d.quoteIdent(table)} (${columns.map((c) => d.quoteIdent(c)).join(', ')})`;
    // Chunked multi-row INSERT with bound, explicitly typed values: the
    // appender cannot coerce types by column name, and these inserts are
    // small (ledgers, metadata). Bulk data goes through the engine's readers.
    const chunk = Math.max(1, Math.floor(2000 / columns.length));
    for (let start = 0; start < rows.length; start += chunk) {
      const part = rows.slice(start, start + chunk);
      const values: Record<string, DuckDBValue> = {};
      const types: Record<string, DuckDBType> = {};
      const tuples = part.map((row, r) => {
        const cells = row.map((cell, c) => {
          const key = `p${r}_${c}`;
          const bound = bindValue(cell);
          values[key] = bound.value;
          types[key] = bound.type;
          return `$${key}`;
        });
        return `(${cells.join(', ')})`;
      });
      const sql = `INSERT INTO ${target} VALUES ${tuples.join(', ')}`;
      await this.exclusive(sql, undefined, async () => {
        await this.connection.run(sql, values, types);
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Let calls already queued finish before the connection goes away.
    await this.lane;
    for (const stream of this.streams) stream.closeSync();
    this.streams.clear();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
