import type { CxrayConfig } from '../config/schema.js';
import { ClickHouseEngine, type ClickHouseOpenOptions } from '../engine/clickhouse/engine.js';
import type { Engine } from '../engine/types.js';
import { UserError } from '../errors.js';
import type { StoreLocation } from '../model/ledger.js';
import { versionName } from './paths.js';


/** The HTTP ports of scripts/clickhouse-cluster.sh: the defaults of `engine: clickhouse`. */
export const LOCAL_CLUSTER_SHARDS = ['http://127.0.0.1:18123', 'http://127.0.0.1:18124'] as const;

export type StoreEngineConfig =
  | { kind: 'duckdb'; memoryLimit: string }
  | {
      kind: 'clickhouse';
      /** Connection without the database: each version has its own databases. */
      connection: Omit<ClickHouseOpenOptions, 'database' | 'localDatabase'>;
      /** Prefix of the version databases (`<database>_v000003`). */
      database: string;
      /** For messages: where the password came from. */
      passwordEnv: string;
    };

/**
 * The store a workspace's config asks for. `engine: clickhouse` (or an
 * `engine: {clickhouse: {...}}` block with defaults) means the local
 * two-shard cluster of scripts/clickhouse-cluster.sh; the password is read
 * from the environment variable the config names, never from the file.
 * Databases are named after the workspace's id (workspace-id.ts) unless the
 * config names a prefix, so two workspaces on one cluster never meet.
 */
export function storeEngineConfig(config: CxrayConfig, workspaceId: string, env: NodeJS.ProcessEnv = process.env): StoreEngineConfig {
  const engine = config.engine;
  if (engine === 'duckdb') return { kind: 'duckdb', memoryLimit: '4GB' };
  const block = engine === 'clickhouse' ? { clickhouse: undefined } : engine;
  if (!('clickhouse' in block)) return { kind: 'duckdb', memoryLimit: block.duckdb?.memory_limit ?? '4GB' };
  const ch = block.clickhouse ?? {
    url: LOCAL_CLUSTER_SHARDS[0],
    cluster: 'cxray',
    database: undefined,
    user: 'default',
    password_env: 'CXRAY_CLICKHOUSE_PASSWORD',
  };
  const cluster = ch.cluster ?? undefined;
  let shards = ch.shards;
  if (shards === undefined) {
    if (cluster === undefined) shards = [ch.url];
    else if (ch.url === LOCAL_CLUSTER_SHARDS[0]) shards = [...LOCAL_CLUSTER_SHARDS];
    else {
      throw new UserError('clickhouse_config', `engine.clickhouse: the cluster ${cluster} is named but its shards are not listed.`, {
        hint: 'List the HTTP URL of every shard under engine.clickhouse.shards, in remote_servers order (or set cluster: null for one server).',
      });
    }
  }
  return {
    kind: 'clickhouse',
    connection: {
      url: ch.url,
      ...(cluster === undefined ? {} : { cluster }),
      shards,
      user: ch.user,
      password: env[ch.password_env] ?? '',
      ...(ch.max_memory_usage === undefined ? {} : { maxMemoryUsage: ch.max_memory_usage }),
    },
    database: ch.database ?? `cxray_${workspaceId}`,
    passwordEnv: ch.password_env,
  };
}

/** The databases of one version on ClickHouse. */
export function clickhouseVersionLocation(store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>, version: number): Extract<StoreLocation, { engine: 'clickhouse' }> {
  const database = `${store.database}_${versionName(version)}`;
  return { engine: 'clickhouse', database, localDatabase: store.connection.cluster === undefined ? null : `${database}_local` };
}

/** Open one version's databases on the cluster (created on every shard if missing). */
export async function openClickHouseVersion(
  store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>,
  location: Extract<StoreLocation, { engine: 'clickhouse' }>,
): Promise<ClickHouseEngine> {
  // An unreachable server is a UserError naming the URL and how to start the local cluster.
  return ClickHouseEngine.open({
    ...store.connection,
    database: location.database,
    ...(location.localDatabase === null ? {} : { localDatabase: location.localDatabase }),
  });
}

/**
 * Drop one version's databases on every shard. Run from a connection to the
 * base database: a connection does not drop the database it stands in.
 */
export async function dropClickHouseVersion(store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>, location: Extract<StoreLocation, { engine: 'clickhouse' }>): Promise<void> {
  const admin = await ClickHouseEngine.open({ ...store.connection, database: store.database });
  try {
    for (const db of [location.database, location.localDatabase]) {
      if (db !== null) await admin.exec(`DROP DATABASE IF EXISTS ${admin.dialect.quoteIdent(db)}`);
    }
  } finally {
    await admin.close();
  }
}

/** Version numbers that have databases on the cluster (complete or not). */
export async function clickhouseVersionsPresent(store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>): Promise<number[]> {
  const admin = await ClickHouseEngine.open({ ...store.connection, database: store.database });
  try {
    const rows = await admin.query<{ name: string }>('SELECT name FROM system.databases WHERE startsWith(name, $prefix)', { prefix: `${store.database}_v` });
    const re = new RegExp(`^${store.database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_v(\\d{6})(_local)?$`);
    return [...new Set(rows.map((r) => re.exec(r.name)?.[1]).filter((v): v is string => v !== undefined).map(Number))].sort((a, b) => a - b);
  } finally {
    await admin.close();
  }
}

/** Drop the databases of every version on the cluster under this store's prefix, but those in `keep`. */
export async function dropClickHouseVersions(store: Extract<StoreEngineConfig, { kind: 'clickhouse' }>, keep: ReadonlySet<number> = new Set()): Promise<void> {
  for (const version of await clickhouseVersionsPresent(store)) {
    if (!keep.has(version)) await dropClickHouseVersion(store, clickhouseVersionLocation(store, version));
  }
}

/** Open a ClickHouse version for reading with the connection cxray.yaml gives. */
export async function openRemoteVersion(store: StoreEngineConfig, location: Extract<StoreLocation, { engine: 'clickhouse' }>): Promise<Engine> {
  if (store.kind !== 'clickhouse') {
    throw new UserError('engine_mismatch', `This version was imported into ClickHouse (${location.database}), but cxray.yaml now names the embedded store.`, {
      hint: 'Put the engine.clickhouse block back, or run `cxray import` again to write a version into the embedded store.',
    });
  }
  return openClickHouseVersion(store, location);
}
