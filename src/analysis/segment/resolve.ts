import { nearest } from '../../config/suggest.js';
import type { CanonicalType } from '../../engine/types.js';
import { UserError } from '../../errors.js';
import type { ColumnRef, CompareOp, Literal, SegmentExpr } from './ast.js';

/** A column a rule may name: a customer_facts column and its portable type. */
export interface SegmentColumn {
  name: string;
  type: CanonicalType;
}

/** A value typed for its column: text, number, boolean, a date `YYYY-MM-DD`, or an instant. */
export type SegmentValue = string | number | boolean | Date;

export type ResolvedSegment =
  | { kind: 'and'; items: ResolvedSegment[] }
  | { kind: 'or'; items: ResolvedSegment[] }
  | { kind: 'not'; item: ResolvedSegment }
  | { kind: 'compare'; column: SegmentColumn; op: CompareOp; value: SegmentValue }
  | { kind: 'in'; column: SegmentColumn; negated: boolean; values: SegmentValue[] }
  | { kind: 'between'; column: SegmentColumn; low: SegmentValue; high: SegmentValue }
  | { kind: 'null'; column: SegmentColumn; negated: boolean };

const NUMERIC: ReadonlySet<CanonicalType> = new Set(['int32', 'int64', 'double', 'money']);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?Z$/;

function literalText(literal: Literal): string {
  if (literal.kind === 'string') return literal.value;
  if (literal.kind === 'number') return literal.text;
  return String(literal.value);
}

function badValue(column: SegmentColumn, literal: Literal, expected: string): UserError {
  return new UserError('segment_bad_value', `Segment rule: ${column.name} holds ${expected}, so ${JSON.stringify(literalText(literal))} cannot be compared with it.`, {
    hint: `Give ${column.name} ${expected}.`,
  });
}

function typedValue(column: SegmentColumn, literal: Literal): SegmentValue {
  if (NUMERIC.has(column.type)) {
    if (literal.kind === 'number') return literal.value;
    const n = literal.kind === 'string' && /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(literal.value.trim()) ? Number(literal.value) : Number.NaN;
    if (!Number.isFinite(n)) throw badValue(column, literal, 'numbers');
    return n;
  }
  if (column.type === 'boolean') {
    if (literal.kind === 'boolean') return literal.value;
    const text = literalText(literal).toLowerCase();
    if (text === 'yes' || text === '1' || text === 'true') return true;
    if (text === 'no' || text === '0' || text === 'false') return false;
    throw badValue(column, literal, 'true or false');
  }
  if (column.type === 'date' || column.type === 'timestamp') {
    const text = literalText(literal);
    const m = DATE.exec(text);
    if (m !== null) {
      const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      if (day.toISOString().slice(0, 10) !== text) throw badValue(column, literal, 'dates written YYYY-MM-DD');
      return column.type === 'date' ? text : day;
    }
    if (column.type === 'timestamp' && INSTANT.test(text) && !Number.isNaN(Date.parse(text))) return new Date(text);
    throw badValue(column, literal, column.type === 'date' ? 'dates written YYYY-MM-DD' : 'dates (YYYY-MM-DD) or UTC instants (YYYY-MM-DDTHH:MM:SSZ)');
  }
  if (column.type === 'string') return literalText(literal);
  throw new UserError('segment_unsupported_column', `Segment rule: ${column.name} is a list column and cannot be used in a segment rule.`, {
    hint: 'Use a column holding one value per customer.',
  });
}

/**
 * Checks a parsed rule against the columns customer_facts has: every name
 * must exist (an unknown one is a UserError naming the nearest), and every
 * value must suit its column's type. Names resolve case-insensitively.
 */
export function resolveSegment(tree: SegmentExpr, columns: readonly SegmentColumn[]): ResolvedSegment {
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const column = (ref: ColumnRef): SegmentColumn => {
    const found = byName.get(ref.name.toLowerCase());
    if (found !== undefined) return found;
    const near = nearest(ref.name, columns.map((c) => c.name));
    throw new UserError('segment_unknown_column', `Segment rule: customer_facts has no column ${JSON.stringify(ref.name)}.`, {
      hint:
        near === undefined
          ? `Name one of: ${columns.slice(0, 40).map((c) => c.name).join(', ')}${columns.length > 40 ? ', ...' : ''}.`
          : `Did you mean ${near}?`,
      column: ref.name,
    });
  };
  const walk = (node: SegmentExpr): ResolvedSegment => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, items: node.items.map(walk) };
      case 'not':
        return { kind: 'not', item: walk(node.item) };
      case 'null':
        return { kind: 'null', column: column(node.column), negated: node.negated };
      case 'compare': {
        const c = column(node.column);
        if (c.type === 'boolean' && node.op !== '=' && node.op !== '!=') {
          throw new UserError('segment_bad_operator', `Segment rule: ${c.name} is true or false, so it takes = or !=, not ${node.op}.`, {
            hint: `Write ${c.name} = true or ${c.name} = false.`,
          });
        }
        return { kind: 'compare', column: c, op: node.op, value: typedValue(c, node.value) };
      }
      case 'in': {
        const c = column(node.column);
        return { kind: 'in', column: c, negated: node.negated, values: node.values.map((v) => typedValue(c, v)) };
      }
      case 'between': {
        const c = column(node.column);
        if (c.type === 'boolean') {
          throw new UserError('segment_bad_operator', `Segment rule: ${c.name} is true or false; BETWEEN needs numbers, dates or text.`, {
            hint: `Write ${c.name} = true or ${c.name} = false.`,
          });
        }
        return { kind: 'between', column: c, low: typedValue(c, node.low), high: typedValue(c, node.high) };
      }
    }
  };
  return walk(tree);
}
