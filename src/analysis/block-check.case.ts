import { md5Hash64 } from '../engine/portable-hash.js';
import type { Engine } from '../engine/types.js';
import { BOOTSTRAP_BLOCKS, blockKeySql } from './block-bootstrap.js';

/**
 * The bootstrap block an engine computes for ids "0".."units-1" (customer
 * ids are text), against the block TypeScript derives from the reference
 * hash: the replicates' weights are drawn from the block, so equal blocks
 * mean equal replicates on every engine. Returns the disagreements (none
 * expected) and how many distinct blocks came out.
 */
export async function checkBlockKeys(engine: Engine, units: number): Promise<{ rows: number; wrong: string[]; distinct: number }> {
  const d = engine.dialect;
  const q = d.quoteIdent;
  const sql = `SELECT ${q('s')}.${q('i')} AS ${q('i')}, ${blockKeySql(d, d.toString(`${q('s')}.${q('i')}`))} AS ${q('b')} FROM ${d.integerSeries(units, 'i')} AS ${q('s')}`;
  const rows = await engine.query<{ i: bigint | number; b: bigint | number }>(sql);
  const wrong = rows.filter((row) => BigInt(row.b) !== md5Hash64(String(row.i)) % BigInt(BOOTSTRAP_BLOCKS)).map((row) => `unit ${String(row.i)}: block ${String(row.b)}`);
  return { rows: rows.length, wrong, distinct: new Set(rows.map((row) => Number(row.b))).size };
}
