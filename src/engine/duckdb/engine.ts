// The only file that imports @duckdb/node-api (STYLE.md): one instance per
// file per process, bulk work in SQL, values bound, results converted losslessly.
import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampValue,
  DuckDBTypeId,
  arrayFromListValue,
  arrayFromArrayValue,
  bigintFromBigIntValue,
  booleanFromValue,
  createDuckDBValueConverter,
  nullConverter,
  numberFromValue,
  stringFromValue,
  dateFromTimestampValue,
  dateFromTimestampSecondsValue,
  dateFromTimestampMillisecondsValue,
  dateFromTimestampNanosecondsValue,
  dateFromTimestampTZValue,
  type DuckDBValue,
  type DuckDBValueConverter,
} from '@duckdb/node-api';
import { CxrayError, UserError } from '../../errors.js';
import type { Capabilities, ColumnInfo, Engine, QueryOptions, Row, RowValue, SqlParams, StreamOptions, CanonicalType } from '../types.js';
import { duckdbDialect } from './dialect.js';

type Out = RowValue;

const iso = (d: Date): string => d.toISOString();
const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

const converters: Partial<Record<DuckDBTypeId, DuckDBValueConverter<Out>>> = {
  [DuckDBTypeId.SQLNULL]: nullConverter,
  [DuckDBTypeId.BOOLEAN]: booleanFromValue,
  [DuckDBTypeId.TINYINT]: numberFromValue,
  [DuckDBTypeId.SMALLINT]: numberFromValue,
  [DuckDBTypeId.INTEGER]: numberFromValue,
  [DuckDBTypeId.UTINYINT]: numberFromValue,
  [DuckDBTypeId.USMALLINT]: numberFromValue,
  [DuckDBTypeId.UINTEGER]: numberFromValue,
  [DuckDBTypeId.FLOAT]: numberFromValue,
  [DuckDBTypeId.DOUBLE]: numberFromValue,
  [DuckDBTypeId.BIGINT]: bigintFromBigIntValue,
  [DuckDBTypeId.UBIGINT]: bigintFromBigIntValue,
  [DuckDBTypeId.HUGEINT]: bigintFromBigIntValue,
  [DuckDBTypeId.UHUGEINT]: bigintFromBigIntValue,
  [DuckDBTypeId.VARCHAR]: stringFromValue,
  [DuckDBTypeId.UUID]: stringFromValue,
  [DuckDBTypeId.ENUM]: stringFromValue,
  // Exact: "12.3400", never a double.
  [DuckDBTypeId.DECIMAL]: stringFromValue,
  [DuckDBTypeId.DATE]: (v: DuckDBValue) => stringFromValue(v),
  [DuckDBTypeId.TIMESTAMP]: (v: DuckDBValue) => iso(dateFromTimestampValue(v)),
  [DuckDBTypeId.TIMESTAMP_S]: (v: DuckDBValue) => iso(dateFromTimestampSecondsValue(v)),
  [DuckDBTypeId.TIMESTAMP_MS]: (v: DuckDBValue) => iso(dateFromTimestampMillisecondsValue(v)),
  [DuckDBTypeId.TIMESTAMP_NS]: (v: DuckDBValue) => iso(dateFromTimestampNanosecondsValue(v)),
  [DuckDBTypeId.TIMESTAMP_TZ]: (v: DuckDBValue) => iso(dateFromTimestampTZValue(v)),
  [DuckDBTypeId.LIST]: arrayFromListValue as DuckDBValueConverter<Out>,
  [DuckDBTypeId.ARRAY]: arrayFromArrayValue as DuckDBValueConverter<Out>,
  [DuckDBTypeId.INTERVAL]: (v: DuckDBValue) => stringFromValue(v),
  [DuckDBTypeId.TIME]: (v: DuckDBValue) => stringFromValue(v),
};

const rowValueConverter = createDuckDBValueConverter<Out>(converters as Record<DuckDBTypeId, DuckDBValueConverter<Out> | undefined>);
void isoDate;

function toDuckValue(value: unknown): DuckDBValue {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('Invalid Date bound as a parameter');
    return new DuckDBTimestampValue(BigInt(value.getTime()) * 1000n);
  }
  return value as DuckDBValue;
}

function bind(params: SqlParams | undefined): Record<string, DuckDBValue> | undefined {
  if (params === undefined) return undefined;
  const out: Record<string, DuckDBValue> = {};
  for (const [k, v] of Object.entries(params)) out[k] = toDuckValue(v);
  return out;
}

/** Only the parameters the statement names: DuckDB rejects unused named parameters. */
function usedParams(sql: string, params: SqlParams | undefined): SqlParams | undefined {
  if (params === undefined) return undefined;
  const used: SqlParams = {};
  let any = false;
  for (const [k, v] of Object.entries(params)) {
    if (new RegExp(`\\$${k}(?![A-Za-z0-9_])`).test(sql)) {
      used[k] = v;
      any = true;
    }
  }
  return any ? used : undefined;
}

function canonicalOf(engineType: string): CanonicalType {
  const t = engineType.toUpperCase();
  if (t.startsWith('DECIMAL')) return 'money';
  if (t === 'BIGINT' || t === 'HUGEINT' || t === 'UBIGINT') return 'int64';
  if (t === 'INTEGER' || t === 'SMALLINT' || t === 'TINYINT') return 'int32';
  if (t === 'DOUBLE' || t === 'FLOAT') return 'double';
  if (t === 'BOOLEAN') return 'boolean';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (t === 'DATE') return 'date';
  if (t.endsWith('[]')) return 'string[]';
  return 'string';
}

export const DUCKDB_CAPABILITIES: Capabilities = {
  boundParameters: true,
  windowFunctions: true,
  commonTableExpressions: true,
  multipleJoinsPerSelect: true,
  transactions: true,
  cancellation: true,
  timestampsBefore1970: true,
  subsecondTimestamps: true,
  distributed: false,
};

export interface DuckDbOpenOptions {
  readOnly?: boolean;
  /** e.g. "4GB"; DuckDB's default is 80% of RAM (ENGINES.md), too greedy beside a server. */
  memoryLimit?: string;
  threads?: number;
  /** Folder for spilling to disk. */
  tempDirectory?: string;
}

function wrapDriverError(error: unknown, sql: string): never {
  const message = error instanceof Error ? error.message : String(error);
  if (/Could not set lock on file/i.test(message)) {
    throw new UserError('store_locked', 'Another process holds the store file.', {
      hint: 'Stop the other cxray process (or send the work through the running `cxray serve`), then try again.',
      cause: error,
    });
  }
  if (/INTERRUPT/i.test(message)) {
    throw new CxrayError('query_cancelled', 'The query was cancelled.', { cause: error });
  }
  throw new CxrayError('query_failed', `${message}\n-- in SQL: ${sql.slice(0, 2000)}`, { cause: error });
}

export class DuckDbEngine implements Engine {
  readonly displayName = 'DuckDB';
  readonly dialect = duckdbDialect;
  readonly capabilities = DUCKDB_CAPABILITIES;

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
      return wrapDriverError(error, `open ${path}`);
    }
    const connection = await instance.connect();
    return new DuckDbEngine(instance, connection, path);
  }

  private async withSignal<T>(options: QueryOptions | undefined, work: () => Promise<T>): Promise<T> {
    const signal = options?.signal;
    if (signal === undefined) return work();
    if (signal.aborted) throw new CxrayError('query_cancelled', 'The query was cancelled before it started.');
    const onAbort = (): void => this.connection.interrupt();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await work();
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async query<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[]> {
    return this.withSignal(options, async () => {
      try {
        const reader = await this.connection.runAndReadAll(sql, bind(usedParams(sql, params)));
        return (await Promise.resolve(reader.convertRowObjects(rowValueConverter))) as R[];
      } catch (error) {
        return wrapDriverError(error, sql);
      }
    });
  }

  async exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void> {
    await this.withSignal(options, async () => {
      try {
        await this.connection.run(sql, bind(usedParams(sql, params)));
      } catch (error) {
        wrapDriverError(error, sql);
      }
    });
  }

  async *stream<R extends Row = Row>(sql: string, params?: SqlParams, options?: StreamOptions): AsyncIterable<R[]> {
    const batchSize = options?.batchSize ?? 2048;
    let result;
    try {
      result = await this.connection.stream(sql, bind(usedParams(sql, params)));
    } catch (error) {
      wrapDriverError(error, sql);
    }
    let pending: R[] = [];
    try {
      for await (const rows of result.yieldConvertedRowObjects(rowValueConverter)) {
        if (options?.signal?.aborted) throw new CxrayError('query_cancelled', 'The query was cancelled.');
        for (const row of rows) {
          pending.push(row as R);
          if (pending.length >= batchSize) {
            yield pending;
            pending = [];
          }
        }
      }
    } catch (error) {
      if (error instanceof CxrayError) throw error;
      wrapDriverError(error, sql);
    }
    if (pending.length > 0) yield pending;
  }

  async describe(table: string): Promise<ColumnInfo[]> {
    const rows = await this.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $t ORDER BY ordinal_position`,
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
      nullable: r.is_nullable === 'YES',
    }));
  }

  async hasTable(table: string): Promise<boolean> {
    const rows = await this.query<{ n: bigint }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $t`, { t: table });
    return (rows[0]?.n ?? 0n) > 0n;
  }

  async insertRows(table: string, columns: string[], rows: RowValue[][]): Promise<void> {
    if (rows.length === 0) return;
    const d = this.dialect;
    const target = `${d.quoteIdent(table)} (${columns.map((c) => d.quoteIdent(c)).join(', ')})`;
    // Chunked multi-row INSERT with bound values: the appender cannot coerce
    // types by column name, and these inserts are small (ledgers, metadata).
    const chunk = Math.max(1, Math.floor(1000 / Math.max(1, columns.length)));
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      const params: SqlParams = {};
      const tuples = part.map((row, r) => {
        const cells = row.map((value, c) => {
          const key = `p${r}_${c}`;
          params[key] = Array.isArray(value) ? JSON.stringify(value) : value;
          return `$${key}`;
        });
        return `(${cells.join(', ')})`;
      });
      await this.exec(`INSERT INTO ${target} VALUES ${tuples.join(', ')}`, params);
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
