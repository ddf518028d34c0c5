import type { Engine, SqlParams } from '../../engine/types.js';
import { SqlValues } from '../sql-values.js';
import { compileSegment } from './compile.js';
import { formatSegment } from './format.js';
import { parseSegment } from './parser.js';
import { resolveSegment, type ResolvedSegment, type SegmentColumn } from './resolve.js';

/** A segment rule ready to use: its normal form, and a SQL condition with its parameters. */
export interface SegmentCondition {
  /** The normal form (see `formatSegment`): what results record and hash. */
  rule: string;
  tree: ResolvedSegment;
  /** A condition over customer_facts columns, parenthesised. */
  sql: string;
  /** Parameters of `sql`, named `s_0`, `s_1`, ... */
  params: SqlParams;
}

/**
 * Parse, check and compile `--segment RULE` against the columns of
 * customer_facts.
 *
 * @example
 * const s = segmentCondition('segment = retail AND age >= 25', columns, engine);
 * await engine.query(`SELECT count(*) FROM customer_facts WHERE ${s.sql}`, s.params);
 */
export function segmentCondition(rule: string, columns: readonly SegmentColumn[], engine: Pick<Engine, 'dialect' | 'capabilities'>): SegmentCondition {
  const tree = resolveSegment(parseSegment(rule), columns);
  const values = new SqlValues(engine, 's');
  const sql = compileSegment(tree, engine.dialect, values);
  return { rule: formatSegment(tree), tree, sql, params: values.params };
}
