/** How to reach a ClickHouse server or cluster (`ClickHouseEngine.open`). */
export interface ClickHouseOpenOptions {
  /** HTTP URL of the server that queries and inserts go to, e.g. `http://127.0.0.1:18123`. */
  url: string;
  /**
   * The cluster's name in the servers' `remote_servers`. With it, every table
   * is a MergeTree part on each shard plus a Distributed table over them
   * (layout.ts); without it, tables are plain MergeTree on `url`.
   */
  cluster?: string;
  /** Database of the workspace's tables (created if missing). Default `cxray`. */
  database?: string;
  /** Database of the shard-local MergeTree parts. Default `<database>_local`. */
  localDatabase?: string;
  user?: string;
  password?: string;
  /**
   * HTTP URLs of every shard of the cluster, in `remote_servers` order: DDL
   * is sent to each (no ZooKeeper, so no ON CLUSTER). Default `[url]`.
   */
  shards?: string[];
  /** Per-query memory cap in bytes (`max_memory_usage`); the server's default otherwise. */
  maxMemoryUsage?: number;
  /** HTTP request timeout. Default 10 minutes. */
  requestTimeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 600_000;
