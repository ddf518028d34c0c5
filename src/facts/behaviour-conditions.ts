import type { CanonicalType, SqlValue } from '../engine/types.js';
import { UserError } from '../errors.js';
import type { FactsSqlContext } from './facts-part.js';
import type { AttributeValue, BehaviourColumns } from './layout.js';

const TRUE_TEXT = new Set(['true', 'yes', 'y', '1']);
const FALSE_TEXT = new Set(['false', 'no', 'n', '0']);

/** A declared value as the attribute column's type, so the comparison never depends on implicit casts. */
function typedValue(ctx: FactsSqlContext, behaviour: BehaviourColumns, type: CanonicalType, value: Exclude<AttributeValue, null>): { expr: string; asText: boolean } {
  const fail = (): never => {
    throw new UserError('behaviour_value_type', `The behaviour ${behaviour.key} compares the ${type} attribute ${behaviour.attribute ?? ''} with ${JSON.stringify(value)}.`, {
      hint: `Under behaviours.${behaviour.key}.values in cxray.yaml, write values of the attribute's type (${type}).`,
    });
  };
  const bind = (v: SqlValue): string => ctx.values.bind(v);
  switch (type) {
    case 'string':
      return { expr: bind(String(value)), asText: false };
    case 'boolean': {
      if (typeof value === 'boolean') return { expr: bind(value), asText: false };
      const text = String(value).trim().toLowerCase();
      if (TRUE_TEXT.has(text)) return { expr: bind(true), asText: false };
      if (FALSE_TEXT.has(text)) return { expr: bind(false), asText: false };
      return fail();
    }
    case 'int32':
    case 'int64':
    case 'double':
    case 'money': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) return fail();
      return { expr: type === 'money' ? ctx.d.toMoney(bind(String(value).trim())) : bind(n), asText: false };
    }
    default:
      // Dates and lists: compared as text.
      return { expr: bind(String(value)), asText: true };
  }
}

/**
 * SQL condition for a behaviour adopted through an attribute: the attribute
 * (internal column `attributeRef`) has one of the declared values; a declared
 * null matches a missing value.
 */
export function attributeCondition(ctx: FactsSqlContext, behaviour: BehaviourColumns, attributeRef: string, type: CanonicalType): string {
  const terms: string[] = [];
  const listed = behaviour.values.filter((v): v is Exclude<AttributeValue, null> => v !== null).map((v) => typedValue(ctx, behaviour, type, v));
  const direct = listed.filter((v) => !v.asText).map((v) => v.expr);
  const text = listed.filter((v) => v.asText).map((v) => v.expr);
  // Equalities, not IN: ClickHouse 18.16 refuses a computed value in an IN
  // list (a money cast is a Decimal64 there, not the column's Decimal(18, 4)).
  for (const value of direct) terms.push(`${attributeRef} = ${value}`);
  for (const value of text) terms.push(`${ctx.d.toString(attributeRef)} = ${value}`);
  if (behaviour.values.includes(null)) terms.push(`${attributeRef} IS NULL`);
  return terms.length === 0 ? '1 = 0' : terms.join(' OR ');
}
