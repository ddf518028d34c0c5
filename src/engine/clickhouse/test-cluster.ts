/**
 * The local two-shard test cluster (scripts/clickhouse-cluster.sh), shared by
 * this folder's test files. Each file takes a lease: the first starts the
 * cluster if it is down, the last to leave stops it, and a cluster someone
 * started by hand is left running.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClickHouseEngine, type ClickHouseOpenOptions } from './engine.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/clickhouse-cluster.sh', import.meta.url));
const SERVER = '/usr/sbin/clickhouse-server';

export const CLICKHOUSE_INSTALL_HINT = 'Install it with: apt-get install -y clickhouse-server clickhouse-client';

export const SHARD_URLS = ['http://127.0.0.1:18123', 'http://127.0.0.1:18124'] as const;

export function clickhouseInstalled(): boolean {
  return existsSync(SERVER);
}

/** Connection options for the test cluster, in a database of the caller's. */
export function clusterOptions(database: string): ClickHouseOpenOptions {
  return {
    url: SHARD_URLS[0],
    cluster: 'cxray',
    database,
    shards: [...SHARD_URLS],
    password: process.env['CXRAY_CLICKHOUSE_PASSWORD'] ?? '',
    maxMemoryUsage: 2_000_000_000,
  };
}

function run(command: 'start' | 'stop'): void {
  execFileSync(SCRIPT, [command, '--lease', String(process.pid)], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
}

export function leaseCluster(): void {
  run('start');
}

export function releaseCluster(): void {
  run('stop');
}

/**
 * Drops a test database and its shard parts (`<database>_local`) on the
 * local cluster, from a connection of its own (a connection does not drop
 * the database it stands in).
 */
export async function dropClusterDatabases(database: string): Promise<void> {
  const engine = await ClickHouseEngine.open(clusterOptions(database));
  try {
    await engine.exec(`DROP DATABASE IF EXISTS ${engine.dialect.quoteIdent(`${database}_local`)}`);
    await engine.exec(`DROP DATABASE IF EXISTS ${engine.dialect.quoteIdent(database)}`);
  } finally {
    await engine.close();
  }
}
