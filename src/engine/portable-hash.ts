/**
 * Reference implementations of the portable hashes every dialect must
 * reproduce in SQL (`SqlDialect.hashInteger`, `SqlDialect.hashString`).
 *
 * Why these two: FNV-1a over a string needs a fold over its bytes, which
 * DuckDB could do (list_reduce) but ClickHouse 18.16 cannot (no arrayFold).
 * Both engines have MD5 and wrapping 64-bit integer arithmetic, so:
 *
 * - `splitmix64(key)`: the splitmix64 finaliser (Steele, Lea & Flood,
 *   "Fast splittable pseudorandom number generators", OOPSLA 2014) of the
 *   key modulo 2^64: only +, *, xor and >> modulo 2^64. ClickHouse computes
 *   it on UInt64, which wraps; DuckDB with UHUGEINT products masked to 64 bits.
 * - `md5Hash64(text)`: the first 8 bytes of MD5 over the UTF-8 text, read
 *   big-endian (ClickHouse: `reinterpretAsUInt64(reverse(substring(MD5(s), 1, 8)))`).
 *
 * Both return an unsigned 64-bit value as a bigint.
 */
import { createHash } from 'node:crypto';

const MASK = (1n << 64n) - 1n;

export function splitmix64(key: bigint): bigint {
  let z = (BigInt.asUintN(64, key) + 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

export function md5Hash64(text: string): bigint {
  return createHash('md5').update(text, 'utf8').digest().readBigUInt64BE(0);
}
