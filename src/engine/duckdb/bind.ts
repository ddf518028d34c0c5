// SqlValue -> DuckDB bound values with explicit types. The driver's own type
// inference would bind 1e308 as BIGINT (and fail), -0 as INTEGER 0, 2^40 as
// BIGINT (read back as a bigint) and a lone surrogate as U+FFFD; explicit
// types keep bound values and `duckdbDialect.literal` in step.
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  HUGEINT,
  INTEGER,
  LIST,
  SQLNULL,
  TIMESTAMP,
  VARCHAR,
  listValue,
  timestampValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { assertRenderableText } from '../dialect.js';
import type { RowValue, SqlParams, SqlValue } from '../types.js';
import { assertHugeint, isInt32Number, isInt64 } from './dialect.js';
import { assertParameterName, findNamedParameters } from './named-params.js';

export interface BoundValue {
  value: DuckDBValue;
  type: DuckDBType;
}

/** One value, checked by the same rules as the literal escaper. */
export function bindValue(value: SqlValue | RowValue): BoundValue {
  if (value === null) return { value: null, type: SQLNULL };
  switch (typeof value) {
    case 'boolean':
      return { value, type: BOOLEAN };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Non-finite number ${value} cannot be bound`);
      return isInt32Number(value) ? { value, type: INTEGER } : { value, type: DOUBLE };
    case 'bigint':
      if (isInt64(value)) return { value, type: BIGINT };
      assertHugeint(value);
      return { value, type: HUGEINT };
    case 'string':
      assertRenderableText(value, 'String value');
      return { value, type: VARCHAR };
    case 'object':
      if (value instanceof Date) {
        const ms = value.getTime();
        if (Number.isNaN(ms)) throw new TypeError('Invalid Date cannot be bound');
        return { value: timestampValue(BigInt(ms) * 1000n), type: TIMESTAMP };
      }
      if (Array.isArray(value)) {
        for (const item of value) {
          if (typeof item !== 'string') throw new TypeError('Only arrays of strings can be bound');
          assertRenderableText(item, 'String value');
        }
        return { value: listValue(value as string[]), type: LIST(VARCHAR) };
      }
      throw new TypeError('Unsupported SQL value of type object');
    default:
      throw new TypeError(`Unsupported SQL value of type ${typeof value}`);
  }
}

export interface BoundParameters {
  values: Record<string, DuckDBValue> | undefined;
  types: Record<string, DuckDBType> | undefined;
}

/**
 * The parameters the statement names, bound; the rest are ignored (DuckDB
 * rejects unused named parameters). A placeholder without a value is the
 * caller's bug: a TypeError before anything runs.
 */
export function bindParameters(sql: string, params: SqlParams | undefined): BoundParameters {
  const given = params ?? {};
  for (const name of Object.keys(given)) assertParameterName(name);
  const names = new Set(findNamedParameters(sql).map((p) => p.name));
  if (names.size === 0) return { values: undefined, types: undefined };
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const name of names) {
    if (!Object.hasOwn(given, name)) throw new TypeError(`No value given for SQL parameter $${name}`);
    const bound = bindValue(given[name] as SqlValue);
    values[name] = bound.value;
    types[name] = bound.type;
  }
  return { values, types };
}
