import type { SqlDialect } from '../../engine/dialect.js';
import type { SqlValues } from '../sql-values.js';
import type { ResolvedSegment, SegmentColumn, SegmentValue } from './resolve.js';

/**
 * A resolved rule as a SQL condition: identifiers through `dialect.quoteIdent`,
 * every value through `values.bind` (a bound parameter, or the audited
 * escaper where the engine cannot bind). Nothing the user wrote is pasted.
 * NULL follows SQL: a customer with no value matches neither `= x` nor `!= x`.
 */
export function compileSegment(tree: ResolvedSegment, d: SqlDialect, values: SqlValues): string {
  const col = (c: SegmentColumn): string => (c.type === 'boolean' ? d.boolToInt(d.quoteIdent(c.name)) : d.quoteIdent(c.name));
  const value = (c: SegmentColumn, v: SegmentValue): string => {
    if (typeof v === 'boolean') return v ? '1' : '0';
    if (c.type === 'date' && typeof v === 'string') return `CAST(${values.bind(v)} AS ${d.columnType('date')})`;
    return values.bind(v);
  };
  const walk = (node: ResolvedSegment): string => {
    switch (node.kind) {
      case 'and':
        return `(${node.items.map(walk).join(' AND ')})`;
      case 'or':
        return `(${node.items.map(walk).join(' OR ')})`;
      case 'not':
        return `(NOT ${walk(node.item)})`;
      case 'null':
        return `(${d.quoteIdent(node.column.name)} IS ${node.negated ? 'NOT ' : ''}NULL)`;
      case 'compare':
        return `(${col(node.column)} ${node.op === '!=' ? '<>' : node.op} ${value(node.column, node.value)})`;
      case 'in':
        return `(${col(node.column)} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.map((v) => value(node.column, v)).join(', ')}))`;
      case 'between':
        return `(${col(node.column)} >= ${value(node.column, node.low)} AND ${col(node.column)} <= ${value(node.column, node.high)})`;
    }
  };
  return walk(tree);
}
