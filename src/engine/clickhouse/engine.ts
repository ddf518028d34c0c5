// The only module that imports @clickhouse/client (STYLE.md). One HTTP request
// per statement; results in the Native format (native-reader.ts); inserts in
// RowBinary (row-binary.ts); values substituted through dialect.literal.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createClient, ClickHouseLogLevel, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { CxrayError, UnsupportedCapability, UserError } from '../../errors.js';
import type { Capabilities, ColumnInfo, Engine, QueryOptions, Row, RowValue, SqlParams, StreamOptions } from '../types.js';
import { clickhouseCapabilities, parseServerVersion, type ServerVersion } from './capabilities.js';
import { createClickHouseDialect, type ClickHouseDialect } from './dialect.js';
import type { ClickHouseLayout } from './layout.js';
import { DEFAULT_TIMEOUT_MS, type ClickHouseOpenOptions } from './open-options.js';
import { splitStatements } from './lexer.js';
import { literal, quoteIdent } from './literal.js';
import { NativeReader, type NativeBlock } from './native-reader.js';
import { substituteParameters } from './named-params.js';
import { findPositionalReference } from './positional.js';
import { columnEncoder, encodeRows } from './row-binary.js';
import { cancelled, serverErrorCode, toCxrayError, unreachable, UNKNOWN_TABLE } from './server-errors.js';
import { planStatement, type Step } from './statement-plan.js';
import { canonicalOf } from './type-name.js';
import { assertRowShape } from '../sql-text.js';

/** CXRAY_PROFILE_SQL=1 logs every query's duration to stderr, as the DuckDB engine does (a debugging aid). */
const PROFILE_SQL = process.env['CXRAY_PROFILE_SQL'] === '1';

/**
 * Insert bodies go with their length, never chunked: under load, 18.16's
 * HTTP server sometimes misread a chunked RowBinary body (CI saw "Cannot
 * read all data. Bytes read: 373267. Bytes expected: 1715269" at row 4,290
 * of a body that parses cleanly on every other run, i.e. the reader lost its
 * place at a chunk boundary; ClickHouse#44167 and #38854 report the same
 * class of failure on newer servers). With Content-Length set Node writes
 * the body as one fixed-length stream and the server's chunked reader is
 * never involved.
 */
function fixedLength(bytes: number): Record<string, string> {
  return { 'Content-Length': String(bytes) };
}

export type { ClickHouseOpenOptions } from './open-options.js';

function makeClient(url: string, database: string, options: ClickHouseOpenOptions): ClickHouseClient {
  return createClient({
    url,
    username: options.user ?? 'default',
    password: options.password ?? '',
    database,
    request_timeout: options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    compression: { request: false, response: false },
    log: { level: ClickHouseLogLevel.OFF },
    keep_alive: { enabled: true },
    max_open_connections: 16,
  });
}

/** A small text answer (version, counts) from a bootstrap client. */
async function scalar(client: ClickHouseClient, sql: string): Promise<string> {
  const result = await client.exec({ query: sql, clickhouse_settings: { default_format: 'TabSeparated' } });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/**
 * The ClickHouse engine, from 18.16 on, on one server or a cluster of shards.
 *
 * @example
 * const engine = await ClickHouseEngine.open({
 *   url: 'http://127.0.0.1:18123', cluster: 'cxray', database: 'cxray',
 *   shards: ['http://127.0.0.1:18123', 'http://127.0.0.1:18124'],
 * });
 * await engine.exec(engine.dialect.createTable('customers', [{ name: 'customer_id', type: 'string', nullable: false }]));
 */
export class ClickHouseEngine implements Engine {
  readonly displayName = 'ClickHouse';
  private closed = false;
  /** Calls in flight, so close() can let them finish first. */
  private readonly running = new Set<Promise<unknown>>();
  /** KILL QUERY requests in flight. */
  private readonly kills = new Set<Promise<void>>();
  /** How to stop each open result stream; close() ends them all. */
  private readonly streams = new Set<() => void>();
  private readonly settings: ClickHouseSettings;
  /** The client's types list only the formats it parses; Native is read here (native-reader.ts). */
  private readonly nativeSettings: ClickHouseSettings;

  private constructor(
    readonly dialect: ClickHouseDialect,
    readonly capabilities: Capabilities,
    readonly serverVersion: ServerVersion,
    private readonly entry: ClickHouseClient,
    private readonly entryUrl: string,
    private readonly shards: readonly { url: string; client: ClickHouseClient }[],
    maxMemoryUsage: number | undefined,
  ) {
    this.settings = {
      // LEFT JOIN misses are NULL (not the type's default), as on every other engine.
      join_use_nulls: 1,
      // An insert into a Distributed table returns once every shard has its rows: read-your-writes.
      insert_distributed_sync: 1,
      ...(maxMemoryUsage === undefined ? {} : { max_memory_usage: String(maxMemoryUsage) }),
    } as ClickHouseSettings;
    this.nativeSettings = { ...this.settings, default_format: 'Native' } as unknown as ClickHouseSettings;
  }

  /** Connect, read the server version, and create the databases on every shard if missing. */
  static async open(options: ClickHouseOpenOptions): Promise<ClickHouseEngine> {
    const database = options.database ?? 'cxray';
    const shardUrls = options.shards ?? [options.url];
    if (shardUrls.length === 0) throw new TypeError('shards must list at least one URL');
    if (options.cluster === undefined && shardUrls.length > 1) {
      throw new UserError('clickhouse_config', 'Several shards were given without a cluster name.', {
        hint: 'Name the cluster of remote_servers that lists these shards (e.g. cluster: cxray).',
      });
    }
    const layout: ClickHouseLayout =
      options.cluster === undefined
        ? { database }
        : { database, cluster: { name: options.cluster, localDatabase: options.localDatabase ?? `${database}_local` } };
    const databases = [database, ...(layout.cluster === undefined ? [] : [layout.cluster.localDatabase])];
    let lowest: ServerVersion | undefined;
    for (const url of new Set([options.url, ...shardUrls])) {
      const boot = makeClient(url, 'default', options);
      try {
        const version = parseServerVersion(await scalar(boot, 'SELECT version()'));
        if (lowest === undefined || version.major < lowest.major || (version.major === lowest.major && version.minor < lowest.minor)) lowest = version;
        if (shardUrls.includes(url)) {
          for (const db of databases) await boot.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdent(db)}` });
        }
        if (layout.cluster !== undefined && url === options.url) {
          const shardCount = Number(await scalar(boot, `SELECT uniqExact(shard_num) FROM system.clusters WHERE cluster = ${literal(layout.cluster.name)}`));
          if (shardCount !== shardUrls.length) {
            throw new UserError('clickhouse_cluster_mismatch', `The cluster ${layout.cluster.name} has ${shardCount} shards on ${url}, but ${shardUrls.length} shard URLs were given.`, {
              hint: 'List one HTTP URL per shard of the cluster, in remote_servers order, or fix remote_servers.',
            });
          }
        }
      } catch (error) {
        if (error instanceof CxrayError) throw error;
        throw unreachable(url, error);
      } finally {
        await boot.close();
      }
    }
    const version = lowest as ServerVersion;
    const dialect = createClickHouseDialect(layout);
    const capabilities = clickhouseCapabilities(version, layout.cluster !== undefined);
    const entry = makeClient(options.url, database, options);
    const shards = shardUrls.map((url) => ({ url, client: url === options.url ? entry : makeClient(url, database, options) }));
    return new ClickHouseEngine(dialect, capabilities, version, entry, options.url, shards, options.maxMemoryUsage);
  }

  private assertOpen(): void {
    if (this.closed) throw new CxrayError('engine_closed', 'The engine was closed.', { hint: 'This is a bug: open the workspace again.' });
  }

  /** Checks before anything runs: open, signal, parameters. The statements to run. */
  private prepare(sql: string, params: SqlParams | undefined, signal: AbortSignal | undefined): string[] {
    this.assertOpen();
    if (signal !== undefined && !this.capabilities.cancellation) throw new UnsupportedCapability('query cancellation', this.displayName);
    if (signal?.aborted) throw cancelled();
    const statements = splitStatements(substituteParameters(sql, params, this.dialect.literal));
    if (this.capabilities.positionalReferences === false) {
      // The text as written: once substituted, a $param rendered as digits would look positional.
      const positional = findPositionalReference(sql);
      if (positional !== undefined) {
        throw new CxrayError('query_failed', `${positional}: this server reads a number there as a constant, not as a column position.\n-- in SQL: ${sql.slice(0, 2000)}`, {
          hint: 'Name the column or its alias instead of its position (positionalReferences is false).',
        });
      }
    }
    return statements;
  }

  /** KILL QUERY for a request given up on: ending the HTTP request alone does not stop a query still computing. */
  private kill(client: ClickHouseClient, queryId: string): void {
    const done = client
      .command({ query: `KILL QUERY WHERE query_id = ${literal(queryId)} ASYNC` })
      .then(
        () => undefined,
        () => undefined,
      );
    this.kills.add(done);
    void done.finally(() => this.kills.delete(done));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = (): void => {
      this.running.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /** The result of one statement, block by block, read as they arrive. */
  private async *blocks(client: ClickHouseClient, sql: string, signal: AbortSignal | undefined): AsyncGenerator<NativeBlock> {
    const queryId = randomUUID();
    const controller = new AbortController();
    // Ends the HTTP request, and the server's work on it.
    const stop = (): void => {
      if (controller.signal.aborted) return;
      controller.abort();
      this.kill(client, queryId);
    };
    this.streams.add(stop);
    signal?.addEventListener('abort', stop, { once: true });
    let stream: Readable | undefined;
    let finished = false;
    try {
      const result = await client.exec({
        query: sql,
        query_id: queryId,
        abort_signal: controller.signal,
        clickhouse_settings: this.nativeSettings,
      });
      stream = result.stream;
      const reader = new NativeReader();
      for await (const chunk of stream) {
        if (signal?.aborted) throw cancelled();
        for (const block of reader.push(chunk as Buffer)) yield block;
      }
      for (const block of reader.end()) yield block;
      finished = true;
    } catch (error) {
      throw toCxrayError(error, sql, signal, this.entryUrl);
    } finally {
      signal?.removeEventListener('abort', stop);
      this.streams.delete(stop);
      if (!finished) {
        // Left early (break, error, abort).
        stream?.destroy();
        stop();
      }
    }
  }

  /** One statement that returns nothing, on one server. */
  private async command(client: ClickHouseClient, url: string, sql: string, signal: AbortSignal | undefined): Promise<void> {
    const queryId = randomUUID();
    const controller = new AbortController();
    const onAbort = (): void => {
      controller.abort();
      this.kill(client, queryId);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await client.command({ query: sql, query_id: queryId, abort_signal: controller.signal, clickhouse_settings: this.settings });
    } catch (error) {
      throw toCxrayError(error, sql, signal, url);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Run the steps of one statement: DDL on every shard in turn, the rest on the entry server. */
  private async runSteps(steps: Step[], signal: AbortSignal | undefined): Promise<void> {
    for (const step of steps) {
      if (step.target === 'entry') {
        await this.command(this.entry, this.entryUrl, step.sql, signal);
        continue;
      }
      for (const [i, shard] of this.shards.entries()) {
        try {
          await this.command(shard.client, shard.url, step.sql, signal);
        } catch (error) {
          if (i === 0 || !(error instanceof CxrayError) || error.code !== 'query_failed') throw error;
          // No distributed DDL here: say which shards already changed, so the mismatch can be repaired.
          throw new CxrayError('query_failed', `${error.message}\n-- on shard ${shard.url}, after it ran on ${this.shards.slice(0, i).map((s) => s.url).join(', ')}`, {
            cause: error,
            hint: 'The shards now differ: repeat the statement (with IF EXISTS / IF NOT EXISTS) or drop and recreate the table.',
          });
        }
      }
    }
  }

  private isDdl(steps: Step[]): boolean {
    return steps.some((s) => s.target === 'every-shard');
  }

  async query<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[]> {
    const signal = options?.signal;
    const statements = this.prepare(sql, params, signal);
    return this.track(
      (async () => {
        let rows: Row[] = [];
        for (const statement of statements) {
          const steps = planStatement(statement, this.dialect.layout);
          if (this.isDdl(steps)) {
            await this.runSteps(steps, signal);
            rows = [];
            continue;
          }
          rows = [];
          const started = PROFILE_SQL ? performance.now() : 0;
          for await (const block of this.blocks(this.entry, statement, signal)) for (const row of block.rows()) rows.push(row);
          if (PROFILE_SQL) process.stderr.write(`[sql ${((performance.now() - started) / 1000).toFixed(3)} s] ${statement.replace(/\s+/g, ' ').slice(0, 160)}\n`);
        }
        return rows as R[];
      })(),
    );
  }

  /**
   * One SELECT on every shard's own server at once; each shard's rows, in
   * shard order (see Engine.queryOnEachShard).
   */
  async queryOnEachShard<R extends Row = Row>(sql: string, params?: SqlParams, options?: QueryOptions): Promise<R[][]> {
    const signal = options?.signal;
    const statements = this.prepare(sql, params, signal);
    const [statement] = statements;
    if (statement === undefined || statements.length > 1 || this.isDdl(planStatement(statement, this.dialect.layout))) {
      throw new TypeError('queryOnEachShard runs one SELECT on each shard\'s rows.');
    }
    return this.track(
      (async () => {
        const started = PROFILE_SQL ? performance.now() : 0;
        const answers = await Promise.all(
          this.shards.map(async (shard) => {
            const rows: Row[] = [];
            for await (const block of this.blocks(shard.client, statement, signal)) for (const row of block.rows()) rows.push(row);
            return rows as R[];
          }),
        );
        if (PROFILE_SQL) process.stderr.write(`[sql each shard ${((performance.now() - started) / 1000).toFixed(3)} s] ${statement.replace(/\s+/g, ' ').slice(0, 160)}\n`);
        return answers;
      })(),
    );
  }

  async exec(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void> {
    const signal = options?.signal;
    const statements = this.prepare(sql, params, signal);
    await this.track(
      (async () => {
        for (const statement of statements) await this.runSteps(planStatement(statement, this.dialect.layout), signal);
      })(),
    );
  }

  /**
   * Each statement on every shard's own server at once (one request per
   * shard, in parallel), then the next statement. The statement names shard
   * parts through `dialect.shardLocalTable`; a Distributed table named in it
   * still reads every shard, with the shard running it as the entry server.
   */
  async execOnEachShard(sql: string, params?: SqlParams, options?: QueryOptions): Promise<void> {
    const signal = options?.signal;
    const statements = this.prepare(sql, params, signal);
    for (const statement of statements) {
      if (this.isDdl(planStatement(statement, this.dialect.layout))) {
        throw new TypeError('execOnEachShard runs statements on each shard\'s rows; send DDL through exec, which already runs it on every shard.');
      }
    }
    await this.track(
      (async () => {
        for (const statement of statements) {
          const results = await Promise.allSettled(this.shards.map((shard) => this.command(shard.client, shard.url, statement, signal)));
          const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failure !== undefined) throw failure.reason;
        }
      })(),
    );
  }

  /**
   * Rows in batches of `batchSize` as the server sends them: memory holds one
   * result block (at most max_block_size rows) and one batch. Each stream is
   * its own HTTP request; leaving it early ends the request and kills the query.
   */
  async *stream<R extends Row = Row>(sql: string, params?: SqlParams, options?: StreamOptions): AsyncIterable<R[]> {
    const signal = options?.signal;
    const batchSize = options?.batchSize ?? 2048;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new TypeError(`batchSize must be a positive integer, got ${batchSize}`);
    const statements = this.prepare(sql, params, signal);
    const last = statements.pop();
    for (const statement of statements) await this.runSteps(planStatement(statement, this.dialect.layout), signal);
    if (last === undefined) return;
    const steps = planStatement(last, this.dialect.layout);
    if (this.isDdl(steps)) {
      await this.runSteps(steps, signal);
      return;
    }
    let batch: Row[] = [];
    for await (const block of this.blocks(this.entry, last, signal)) {
      for (let at = 0; at < block.rowCount; ) {
        const take = Math.min(batchSize - batch.length, block.rowCount - at);
        for (const row of block.rows(at, at + take)) batch.push(row);
        at += take;
        if (batch.length < batchSize) continue;
        yield batch as R[];
        batch = [];
        if (signal?.aborted) throw cancelled();
      }
    }
    if (batch.length > 0) yield batch as R[];
  }

  private qualified(table: string): string {
    return `${quoteIdent(this.dialect.layout.database)}.${quoteIdent(table)}`;
  }

  async describe(table: string): Promise<ColumnInfo[]> {
    let rows: Array<{ name: string; type: string }>;
    try {
      rows = await this.query(`DESCRIBE TABLE ${this.qualified(table)}`);
    } catch (error) {
      if (serverErrorCode(error) !== UNKNOWN_TABLE) throw error;
      throw new UserError('table_missing', `The table ${table} is not in the store.`, {
        hint: 'Run `cxray import` first, or check that a source feeds this table.',
        cause: error,
      });
    }
    return rows.map((r) => ({ name: r.name, engineType: r.type, ...canonicalOf(r.type) }));
  }

  async hasTable(table: string): Promise<boolean> {
    const rows = await this.query<{ n: bigint }>('SELECT count() AS n FROM system.tables WHERE database = $db AND name = $t', {
      db: this.dialect.layout.database,
      t: table,
    });
    return (rows[0]?.n ?? 0n) > 0n;
  }

  /**
   * One RowBinary insert into the table (on a cluster: its Distributed table,
   * which places each row on its customer's shard before returning). Values
   * are encoded by the table's declared types and all checked first.
   */
  async insertRows(table: string, columns: string[], rows: RowValue[][]): Promise<void> {
    this.assertOpen();
    assertRowShape(columns, rows);
    if (rows.length === 0) return;
    const declared = new Map((await this.describe(table)).map((c) => [c.name, c.engineType]));
    const encoders = columns.map((name) => {
      const type = declared.get(name);
      if (type === undefined) throw new CxrayError('query_failed', `The table ${table} has no column ${JSON.stringify(name)}.`);
      return columnEncoder(type, name);
    });
    const chunks = encodeRows(encoders, rows);
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const sql = `INSERT INTO ${this.qualified(table)} (${columns.map(quoteIdent).join(', ')}) FORMAT RowBinary`;
    await this.track(
      (async () => {
        try {
          const result = await this.entry.exec({
            query: sql,
            values: Readable.from(chunks),
            clickhouse_settings: this.settings,
            http_headers: fixedLength(bytes),
          });
          for await (const chunk of result.stream) void chunk;
        } catch (error) {
          throw toCxrayError(error, sql, undefined, this.entryUrl);
        }
      })(),
    );
  }

  /**
   * Bulk insert of a TabSeparated file (ClickHouse's escaping: `\t`, `\n`,
   * `\\`, NULL as `\N`) into the table (on a cluster: its Distributed
   * table), streamed from disk: memory holds one buffer. The caller vouches
   * for the text (src/ingest/ship-table.ts writes it from typed columns and
   * checks what the server would clamp); the server parses each value by the
   * column's type and rejects the whole insert on a bad one.
   */
  async insertTabSeparatedFile(table: string, columns: string[], path: string): Promise<void> {
    this.assertOpen();
    const sql = `INSERT INTO ${this.qualified(table)} (${columns.map(quoteIdent).join(', ')}) FORMAT TabSeparated`;
    await this.track(
      (async () => {
        try {
          const bytes = (await stat(path)).size;
          const result = await this.entry.exec({
            query: sql,
            values: createReadStream(path, { highWaterMark: 1 << 20 }),
            clickhouse_settings: this.settings,
            http_headers: fixedLength(bytes),
          });
          for await (const chunk of result.stream) void chunk;
        } catch (error) {
          throw toCxrayError(error, sql, undefined, this.entryUrl);
        }
      })(),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Calls already running finish; open streams end; then the connections go.
    await Promise.allSettled([...this.running]);
    for (const stop of this.streams) stop();
    await Promise.allSettled([...this.kills]);
    const clients = new Set([this.entry, ...this.shards.map((s) => s.client)]);
    await Promise.allSettled([...clients].map((c) => c.close()));
  }
}
