import { compileSegment, formatSegment, parseSegment, resolveSegment, type ResolvedSegment } from '../segment/index.js';
import type { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import type { ChangeDefinition } from './change.js';

/** The customers a change touched and those it is compared with, as SQL over customer_facts. */
export interface ChangeGroups {
  /** 1 for the treated customers (the segment), 0 for the comparison group; only meaningful where `member` holds. */
  flag: string;
  /** The flag is the constant 1 (no segment: one group): statements do not GROUP BY it (ClickHouse refuses a constant there). */
  single: boolean;
  /** The customer is in one of the two groups. */
  member: string;
  /** The segment rule in normal form; null: the change touched every customer (no comparison group). */
  segment: string | null;
  /** The comparison rule in normal form; null: the rest of the customers. */
  compare: string | null;
  /** The treated group in words: `region = 'North'`, `all customers`. */
  treatedWords: string;
  /** The comparison group in words: `the customers whose region is not 'North'`. */
  comparisonWords: string;
}

function compiled(ctx: AnalysisContext, values: SqlValues, rule: string): { sql: string; tree: ResolvedSegment; rule: string } {
  const tree = resolveSegment(parseSegment(rule), ctx.facts.columns);
  return { sql: compileSegment(tree, ctx.engine.dialect, values), tree, rule: formatSegment(tree) };
}

function restWords(tree: ResolvedSegment): string {
  if (tree.kind === 'compare' && tree.op === '=' && typeof tree.value === 'string') {
    return `the customers whose ${tree.column.name} is not '${tree.value.replaceAll("'", "''")}'`;
  }
  return 'the rest of the customers';
}

/**
 * The change's groups: treated = its segment rule; comparison = customers
 * matching its comparison rule but not the segment (a customer matching
 * both counts as treated), or else every customer the segment does not
 * match (a customer whose segment column is empty included). A rule's
 * values are bound through `values`; a rule naming an unknown column is a
 * UserError naming the nearest.
 */
export function changeGroups(ctx: AnalysisContext, values: SqlValues, change: ChangeDefinition): ChangeGroups {
  if (change.segment === undefined) {
    return { flag: '1', single: true, member: '1 = 1', segment: null, compare: null, treatedWords: 'all customers', comparisonWords: 'no comparison group' };
  }
  const segment = compiled(ctx, values, change.segment);
  const flag = `CASE WHEN ${segment.sql} THEN 1 ELSE 0 END`;
  if (change.compare === undefined) {
    return { flag, single: false, member: '1 = 1', segment: segment.rule, compare: null, treatedWords: segment.rule, comparisonWords: restWords(segment.tree) };
  }
  const compare = compiled(ctx, values, change.compare);
  return {
    flag,
    single: false,
    member: `(${segment.sql} OR ${compare.sql})`,
    segment: segment.rule,
    compare: compare.rule,
    treatedWords: segment.rule,
    comparisonWords: `customers matching ${compare.rule}`,
  };
}
