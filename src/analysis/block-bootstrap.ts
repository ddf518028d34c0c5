import type { SqlDialect } from '../engine/dialect.js';
import { splitmix64 } from '../engine/portable-hash.js';
import { poissonWeightFromHash } from '../stats/index.js';
import { scopeQuery } from './scope-query.js';
import { numberOf, type SqlValues } from './sql-values.js';
import type { AnalysisContext } from './types.js';

/**
 * The Poisson bootstrap of cxray's SQL-side statistics, by hash blocks.
 *
 * Every bootstrapped statistic here is a smooth function of sums over
 * customers (moments, score sums, influence sums). Customers are dealt into
 * BOOTSTRAP_BLOCKS blocks by the portable hash of their id, the engine sums
 * each block in one GROUP BY (which merges across shards like any
 * aggregate: a few thousand rows leave the engine, whatever the number of
 * customers), and each replicate reweights the blocks with Poisson(1) draws
 * (Hanley & MacGibbon 2006) taken here from the splitmix64 hash of (block,
 * replicate, seed). A replicate's sum is Σ_b w_b·S_b.
 *
 * Why blocks rather than a weight per customer drawn in SQL: that needed the
 * rows crossed with the replicates, 200 times the rows, which at a million
 * customers took half a minute on DuckDB and did not fit ClickHouse's memory
 * (the cross join ran on the entry server). Blocks are sums over disjoint
 * random sets of independent customers, so they are independent too, and
 * the bootstrap over them has the customers' first-order variance (the
 * cross terms of independent centred customers have mean zero); with up to
 * a few thousand customers a block is mostly one customer, and all rows of
 * a customer (several survey answers) always fall in one block (a cluster
 * bootstrap). Weights are drawn in TypeScript from the block number, so
 * both engines draw the same replicates and their intervals agree.
 */
export const BOOTSTRAP_BLOCKS = 4096;

/** Replicates per run at most: the seed takes the bits above them. */
export const MAX_REPLICATES = 1024;

/** Replicate numbers take 22 bits of the key, the seed's 12 bits the upper part of them (seed mod 4096 × 1024 + replicate). */
const REPLICATE_BITS = 22n;

/**
 * The bootstrap block of a customer id as an int64 SQL expression: the
 * portable hash of `key` modulo BOOTSTRAP_BLOCKS, the same on every engine.
 * Every bootstrapped row set carries it as its `_u` column.
 */
export function blockKeySql(d: SqlDialect, key: string): string {
  return `CAST(${d.hashString(key)} % ${BOOTSTRAP_BLOCKS} AS ${d.columnType('int64', false)})`;
}

/** The key of (block, replicate) whose splitmix64 hash is the block's uniform draw in that replicate. */
export function replicateKey(block: bigint, replicate: number, seed: number): bigint {
  return block * (1n << REPLICATE_BITS) + BigInt((seed % 4096) * MAX_REPLICATES + replicate);
}

const weightCache = new Map<string, Float64Array>();

/**
 * The Poisson(1) weight of every block in every replicate, replicate-major
 * ([r · BOOTSTRAP_BLOCKS + b]); 200 replicates take about 0.2 s, so they are
 * kept per (replicates, seed).
 */
export function blockWeights(replicates: number, seed: number): Float64Array {
  if (!Number.isInteger(replicates) || replicates < 1 || replicates > MAX_REPLICATES) throw new RangeError(`replicates must be 1..${MAX_REPLICATES}`);
  const key = `${replicates}:${seed}`;
  const cached = weightCache.get(key);
  if (cached !== undefined) return cached;
  const weights = new Float64Array(replicates * BOOTSTRAP_BLOCKS);
  for (let r = 0; r < replicates; r += 1) {
    for (let b = 0; b < BOOTSTRAP_BLOCKS; b += 1) weights[r * BOOTSTRAP_BLOCKS + b] = poissonWeightFromHash(splitmix64(replicateKey(BigInt(b), r, seed)));
  }
  weightCache.set(key, weights);
  return weights;
}

/** One block's sums, by name. */
export interface BlockSums {
  block: number;
  sums: Record<string, number>;
}

/**
 * The sums of `items` (aggregate expressions `sum(...) AS name`, or
 * `count(*) AS name`) per bootstrap block, over `from`, a SELECT with the
 * block in its `_u` column (blockKeySql), restricted by `where` when given.
 */
export async function blockSums(ctx: Pick<AnalysisContext, 'engine' | 'scope' | 'signal'>, from: string, items: readonly string[], where: string | null, ...values: SqlValues[]): Promise<BlockSums[]> {
  const q = ctx.engine.dialect.quoteIdent;
  const sql = `SELECT ${q('_u')}, ${items.join(', ')} FROM (${from}) AS ${q('_bb')}${where === null ? '' : ` WHERE ${where}`} GROUP BY ${q('_u')}`;
  const rows = await scopeQuery(ctx, sql, ...values);
  return rows.map((row) => {
    const sums: Record<string, number> = {};
    for (const [name, value] of Object.entries(row)) if (name !== '_u') sums[name] = numberOf(value) ?? 0;
    return { block: numberOf(row['_u']) ?? 0, sums };
  });
}

/** Each replicate's sums: Σ_b w_rb·S_b by name, for replicates 0..replicates-1. */
export function replicateTotals(blocks: readonly BlockSums[], replicates: number, seed: number): Record<string, number>[] {
  const weights = blockWeights(replicates, seed);
  const names = [...new Set(blocks.flatMap((b) => Object.keys(b.sums)))];
  const matrix = blocks.map((b) => Float64Array.from(names, (name) => b.sums[name] ?? 0));
  return Array.from({ length: replicates }, (_, r) => {
    const totals = new Float64Array(names.length);
    blocks.forEach((b, i) => {
      const w = weights[r * BOOTSTRAP_BLOCKS + b.block] ?? 0;
      if (w === 0) return;
      const row = matrix[i] as Float64Array;
      for (let k = 0; k < row.length; k += 1) totals[k] = (totals[k] ?? 0) + w * (row[k] ?? 0);
    });
    return Object.fromEntries(names.map((name, k) => [name, totals[k] ?? 0]));
  });
}
