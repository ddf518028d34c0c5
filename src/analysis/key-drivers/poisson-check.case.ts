import { md5Hash64, splitmix64 } from '../../engine/conformance/portable-hash.js';
import type { Engine } from '../../engine/types.js';
import { poissonWeightFromHash } from '../../stats/index.js';
import { poissonWeightSql, replicateKey, replicateKeySql, unitKeySql } from './poisson-weight-sql.js';

/**
 * The Poisson(1) bootstrap weights an engine draws for units 0..units-1
 * (keyed by the text of the number, as customer ids are) in replicates
 * 0..replicates-1, against what TypeScript draws from the reference hashes.
 * Returns the disagreements (none expected) and how many distinct weights came out.
 */
export async function checkPoissonWeights(engine: Engine, units: number, replicates: number, seed: number): Promise<{ rows: number; wrong: string[]; distinct: number }> {
  const d = engine.dialect;
  const q = d.quoteIdent;
  const unit = unitKeySql(d, d.toString(`${q('s')}.${q('i')}`));
  const sql =
    `SELECT ${q('i')}, ${q('r')}, ${poissonWeightSql(d, q('h'))} AS ${q('w')} FROM (` +
    `SELECT ${q('i')}, ${q('r')}, ${d.hashInteger(replicateKeySql(d, q('u'), q('r'), seed))} AS ${q('h')} FROM (` +
    `SELECT ${q('s')}.${q('i')} AS ${q('i')}, ${unit} AS ${q('u')} FROM ${d.integerSeries(units, 'i')} AS ${q('s')}) AS ${q('a')} ` +
    `CROSS JOIN ${d.integerSeries(replicates, 'r')} AS ${q('b')}) AS ${q('c')}`;
  const rows = await engine.query<{ i: bigint | number; r: bigint | number; w: bigint | number }>(sql);
  const wrong = rows
    .filter((row) => Number(row.w) !== poissonWeightFromHash(splitmix64(replicateKey(md5Hash64(String(row.i)), Number(row.r), seed))))
    .map((row) => `unit ${String(row.i)} replicate ${String(row.r)}: ${String(row.w)}`);
  return { rows: rows.length, wrong, distinct: new Set(rows.map((row) => Number(row.w))).size };
}
