import type { SqlDialect } from '../../engine/dialect.js';
import { poissonOneThresholds } from '../../stats/index.js';

/**
 * An unsigned 64-bit constant of ours as bare digits. Both engines read bare
 * digits exactly: ClickHouse types a positive literal as the smallest unsigned
 * type holding it (UInt64 at most), DuckDB as an integer literal that fits
 * UBIGINT or HUGEINT. dialect.literal would make it Int64 on ClickHouse, and
 * a UInt64 hash compared with or reduced by an Int64 is read as signed there.
 * Only for constants computed in code, never for user input.
 */
export function unsignedConstant(value: bigint): string {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`${value} is not an unsigned 64-bit constant`);
  return value.toString();
}

/** Bootstrap units are keyed by 40 bits of their portable hash, so that 2²² replicate numbers fit beside them in an int64. */
const UNIT_MODULUS = 1n << 40n;
const REPLICATE_BITS = 22n;
/** Replicates per run at most: the seed takes the 12 bits above them. */
export const MAX_REPLICATES = 1024;

/**
 * The bootstrap unit of a row as an int64 SQL expression: 40 bits of the
 * portable hash of `key` (a customer id), the same on every engine. Every
 * row of one customer gets the same weight in a replicate, so a customer's
 * several survey responses are resampled together (a cluster bootstrap).
 */
export function unitKeySql(d: SqlDialect, key: string): string {
  return `CAST(${d.hashString(key)} % ${unsignedConstant(UNIT_MODULUS)} AS ${d.columnType('int64', false)})`;
}

/**
 * The key of (unit, replicate) as an int64 expression: unit·2²² + (seed mod
 * 4096)·1024 + replicate, below 2⁶² so no engine overflows; its splitmix64
 * hash (dialect.hashInteger) is the uniform draw of that unit in that replicate.
 */
export function replicateKeySql(d: SqlDialect, unit: string, replicate: string, seed: number): string {
  const offset = (seed % 4096) * MAX_REPLICATES;
  return `(${unit} * ${unsignedConstant(1n << REPLICATE_BITS)} + ${offset} + CAST(${replicate} AS ${d.columnType('int64', false)}))`;
}

/**
 * The Poisson(1) weight of a uniform 64-bit hash in SQL: the number of
 * thresholds at or below it, exactly what poissonWeightFromHash returns for
 * the same hash (so TypeScript can check any engine's draws).
 */
export function poissonWeightSql(d: SqlDialect, hash: string): string {
  return `(${poissonOneThresholds()
    .map((t) => d.ifThen(`${hash} >= ${unsignedConstant(t)}`, '1', '0'))
    .join(' + ')})`;
}

/** The replicate key in TypeScript, for tests: the same arithmetic as replicateKeySql. */
export function replicateKey(unitHash: bigint, replicate: number, seed: number): bigint {
  return (unitHash % UNIT_MODULUS) * (1n << REPLICATE_BITS) + BigInt((seed % 4096) * MAX_REPLICATES + replicate);
}
