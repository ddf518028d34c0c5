/**
 * Where a ClickHouse workspace keeps its tables.
 *
 * On a cluster (no ZooKeeper, so no `ON CLUSTER`), every table `t` exists
 * twice on EACH shard:
 *
 *   <localDatabase>.t   MergeTree: the shard's own rows
 *   <database>.t        Distributed('<cluster>', '<localDatabase>', 't', key)
 *
 * Queries and inserts name `t` unqualified and so reach `<database>.t` (the
 * connection's default database): a read fans out to every shard and merges
 * there; an insert is split by the sharding key and sent to the shards
 * (synchronously: `insert_distributed_sync = 1`). DDL is sent to every shard
 * by the engine, one shard after another. Both names being the same means a
 * table-qualified column (`t.x`) still resolves after the Distributed engine
 * rewrites the query for the shards.
 *
 * Rows are placed by the portable hash of `customer_id` (dialect.hashString /
 * hashInteger, modulo the shard count with equal weights), so all of one
 * customer's rows, in every table, sit on one shard; tables without a
 * customer spread at random.
 *
 * Joins, and how data moves:
 * - `a JOIN b` with both Distributed is refused by the server
 *   (distributed_product_mode = deny): each shard would read all of `b`.
 * - `a GLOBAL JOIN b`: the entry server runs `b` once over all shards, then
 *   ships the whole result to every shard as a temporary table; each shard
 *   joins its part of `a` with it. Cost: |b| over the network per shard; use
 *   it for small right sides (dimension tables, per-customer aggregates).
 * - Co-located: `a JOIN (SELECT ... FROM <localDatabase>.b) USING customer_id`
 *   runs on each shard against its own part of `b`; nothing moves, and it is
 *   exact because both tables place a customer on the same shard.
 * - Shard-local statements: `engine.execOnEachShard(sql)` sends one statement
 *   to every shard's own server at once; naming tables by
 *   `dialect.shardLocalTable(t)` (`<localDatabase>.t`), each shard reads and
 *   writes only its part, so per-customer work (e.g. customer_facts: INSERT
 *   INTO its local part SELECT ... GROUP BY customer_id) runs on all shards in
 *   parallel and nothing moves. Rows keyed by something else than their own
 *   customer_id (referrals) must come through a Distributed table instead.
 * Each shard answers an aggregate partially; the entry server merges.
 *
 * On a single server (no cluster) `<database>.t` is the MergeTree table itself.
 */
import { UserError } from '../../errors.js';

export interface ClickHouseCluster {
  /** The cluster's name in the servers' `remote_servers` config. */
  name: string;
  /** The database holding each shard's MergeTree part of every table. */
  localDatabase: string;
}

export interface ClickHouseLayout {
  /** The database queries name tables in (the Distributed tables on a cluster). */
  database: string;
  cluster?: ClickHouseCluster;
}

/**
 * The longest table or column name accepted, in UTF-8 bytes. ClickHouse names
 * a table's folder and metadata file, and each column's data files, after the
 * name with every byte outside [A-Za-z0-9_] written as %XX (three bytes), and
 * appends up to 15 bytes (`.size0.mrk`, `.sql.tmp`, ...); file names stop at
 * 255 bytes. (255 - 15) / 3 = 80 bytes fit whatever the name holds (measured
 * on 18.16: 247 escaped bytes for a table, 245 for an array column).
 */
export const MAX_IDENTIFIER_BYTES = 80;

/** Throws UserError `identifier_too_long` for a name the server could not store as files. */
export function assertStorableName(name: string, what: 'table' | 'column'): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes <= MAX_IDENTIFIER_BYTES) return;
  throw new UserError(
    'identifier_too_long',
    `The ${what} name ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)} is ${bytes} bytes long; ClickHouse stores at most ${MAX_IDENTIFIER_BYTES}.`,
    { hint: `Use a ${what} name of at most ${MAX_IDENTIFIER_BYTES} bytes (UTF-8); ClickHouse names files after it.` },
  );
}

/** The column whose hash places a row on a shard, so that one customer's rows share a shard. */
export const SHARDING_COLUMN = 'customer_id';
