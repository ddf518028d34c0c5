import type { ResolvedSegment, SegmentValue } from './resolve.js';

function valueText(v: SegmentValue): string {
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `'${v.toISOString().replace('.000Z', 'Z')}'`;
}

/**
 * The normal form of a rule: canonical column names, quoted text, upper-case
 * keywords, parentheses only where needed. Two spellings of one rule share a
 * normal form, so they share stored results; it parses back to the same rule.
 */
export function formatSegment(tree: ResolvedSegment): string {
  const walk = (node: ResolvedSegment, parent: 'and' | 'or' | 'not' | 'top'): string => {
    switch (node.kind) {
      case 'and': {
        const text = node.items.map((i) => walk(i, 'and')).join(' AND ');
        return parent === 'not' ? `(${text})` : text;
      }
      case 'or': {
        const text = node.items.map((i) => walk(i, 'or')).join(' OR ');
        return parent === 'top' || parent === 'or' ? text : `(${text})`;
      }
      case 'not':
        return `NOT ${walk(node.item, 'not')}`;
      case 'null':
        return `${node.column.name} IS ${node.negated ? 'NOT ' : ''}NULL`;
      case 'compare':
        return `${node.column.name} ${node.op} ${valueText(node.value)}`;
      case 'in':
        return `${node.column.name} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.map(valueText).join(', ')})`;
      case 'between':
        return `${node.column.name} BETWEEN ${valueText(node.low)} AND ${valueText(node.high)}`;
    }
  };
  return walk(tree, 'top');
}
