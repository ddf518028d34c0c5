import type { AttributeSpec, ColumnSpec, CxrayConfig } from '../config/schema.js';
import { nearest } from '../config/suggest.js';
import type { SqlDialect } from '../engine/dialect.js';
import type { CanonicalType } from '../engine/types.js';
import { UserError } from '../errors.js';
import type { CoercionReason, QuarantineReason } from '../model/ledger.js';
import { inline, isBlank, parseBoolean, parseEnum, parseInteger, parseMoney, parseNumber, parseTimestamp, trimmed, type Bind, type ParsedValue } from './expressions.js';
import { normaliseHeader } from './header.js';

// One column of a feed (cxray.yaml's column spec) compiled to typed SQL over
// the raw row, with the checks that quarantine a row it cannot read and the
// coercions it counts; compile-feed.ts assembles a feed's columns.

/** A row-level check: the first that holds quarantines the source row. */
export interface RowCheck {
  when: string;
  reason: QuarantineReason;
  column: string | null;
  detail: string;
}

export interface CoercionCount {
  column: string;
  reason: CoercionReason;
  when: string;
}

export interface FeedContext {
  dialect: SqlDialect;
  config: CxrayConfig;
  sourceName: string;
  feedIndex: number;
  /** Normalised header name -> SQL reference of the raw column. */
  columnsByHeader: Map<string, string>;
  /** Header names as written, for messages. */
  headerNames: string[];
  /** Display path of the first file, for messages. */
  file: string;
  asOf: string;
  /** How parsers name intermediate values (compileFeed sets it; inline otherwise). */
  bind?: Bind;
}

export function rawColumn(ctx: FeedContext, column: string, path: string): string {
  const ref = ctx.columnsByHeader.get(normaliseHeader(column));
  if (ref !== undefined) return ref;
  const near = nearest(column, ctx.headerNames);
  throw new UserError('column_missing', `cxray.yaml: ${path}: the column "${column}" is not in ${ctx.file}.${near === undefined ? '' : ` Did you mean "${near}"?`}`, {
    hint: `Use one of the file's columns: ${ctx.headerNames.slice(0, 30).map((n) => JSON.stringify(n)).join(', ')}${ctx.headerNames.length > 30 ? ', ...' : ''}.`,
    file: ctx.file,
    column,
  });
}

export function specObject(spec: ColumnSpec | AttributeSpec): Exclude<ColumnSpec, string> & { type?: string; at_acquisition?: boolean } {
  return typeof spec === 'string' ? { column: spec } : spec;
}

export interface Typed {
  sql: string;
  checks: RowCheck[];
  coercions: CoercionCount[];
  raw: string | null;
}

export function constant(d: SqlDialect, value: unknown, type: CanonicalType, asOf: string): string {
  if (value === '$as_of') return `CAST(${d.literal(asOf)} AS TIMESTAMP)`;
  if (value === null || value === undefined) return `CAST(NULL AS ${d.columnType(type)})`;
  return `CAST(${d.literal(value as string | number | boolean)} AS ${d.columnType(type)})`;
}

/**
 * Compile one column spec to a typed SQL expression plus the checks that
 * quarantine a row whose value cannot be read.
 */
export function typedColumn(
  ctx: FeedContext,
  spec: ColumnSpec | AttributeSpec,
  type: CanonicalType,
  allowed: readonly string[] | undefined,
  path: string,
  label: string,
): Typed {
  const d = ctx.dialect;
  const bind = ctx.bind ?? inline;
  const s = specObject(spec);
  if (s.column === undefined) {
    if (s.value === undefined) {
      throw new UserError('config_invalid', `cxray.yaml: ${path}: give a source column (column: ...) or a constant (value: ...).`, {
        hint: 'See the cxray.yaml reference in the README.',
      });
    }
    return { sql: constant(d, s.value, type, ctx.asOf), checks: [], coercions: [], raw: null };
  }
  const raw = rawColumn(ctx, s.column, path);
  const coercions: CoercionCount[] = [{ column: label, reason: 'trimmed', when: `(${raw} IS NOT NULL AND ${raw} <> trim(${raw}) AND trim(${raw}) <> '')` }];
  const decimal = s.decimal ?? '.';
  let parsed: ParsedValue & { unmapped?: string };
  if (s.months_before_as_of === true) {
    const months = parseInteger(d, raw, { decimal }, bind);
    parsed = {
      value: `CAST(CAST(${d.literal(ctx.asOf)} AS TIMESTAMP) - to_months(CAST(${months.value} AS INTEGER)) AS TIMESTAMP)`,
      invalid: months.invalid,
      reason: months.reason,
    };
  } else if (s.map !== undefined && type !== 'boolean' && allowed === undefined) {
    const castTo = d.columnType(type);
    const mapped = parseEnum(d, raw, [], s.map, s.default);
    parsed = { ...mapped, value: `TRY_CAST(${mapped.value} AS ${castTo})` };
  } else {
    switch (type) {
      case 'timestamp':
      case 'date':
        parsed = parseTimestamp(d, raw, { format: s.format ?? 'auto', timezone: ctx.config.timezone, dateOrder: ctx.config.date_order }, bind);
        break;
      case 'money':
        parsed = parseMoney(d, raw, { decimal, unit: s.unit ?? 'major' }, bind);
        break;
      case 'double':
        parsed = parseNumber(d, raw, { decimal }, bind);
        if (s.scale !== undefined) {
          const [lo, hi] = s.scale;
          parsed = { ...parsed, value: `((${parsed.value} - ${d.literal(lo)}) / ${d.literal(hi - lo)})` };
        }
        break;
      case 'int32':
      case 'int64':
        parsed = parseInteger(d, raw, { decimal }, bind);
        break;
      case 'boolean':
        parsed = parseBoolean(d, raw, s.map, s.default);
        break;
      default:
        if (allowed !== undefined) {
          parsed = parseEnum(d, raw, allowed, s.map, s.default);
          for (const target of Object.values(s.map ?? {})) {
            if (target !== null && !allowed.includes(String(target))) {
              throw new UserError('config_invalid', `cxray.yaml: ${path}.map: "${String(target)}" is not an allowed value; expected one of ${allowed.join(', ')}.`, {
                hint: `Map each source value to one of: ${allowed.join(', ')}.`,
              });
            }
          }
        } else {
          parsed = { value: trimmed(raw), invalid: 'FALSE', reason: 'invalid_value' };
        }
    }
  }
  const extraChecks: RowCheck[] = [];
  if (s.multiply_by !== undefined && (type === 'money' || type === 'double')) {
    const factorColumn = s.multiply_by;
    const factor = parseNumber(d, rawColumn(ctx, factorColumn, `${path}.multiply_by`), { decimal }, bind);
    const product = `(${parsed.value} * ${factor.value})`;
    parsed = { ...parsed, value: type === 'money' ? `TRY_CAST(${product} AS DECIMAL(18,4))` : product };
    extraChecks.push({ when: factor.invalid, reason: factor.reason, column: factorColumn, detail: `${factorColumn}: the value cannot be read as a number` });
  }
  if (parsed.unmapped !== undefined && parsed.unmapped !== 'FALSE') coercions.push({ column: label, reason: 'unmapped_to_default', when: parsed.unmapped });
  const when = parsed.nullIsInvalid === true ? `(NOT ${isBlank(raw)} AND ${valueRef(d, label)} IS NULL)` : parsed.invalid;
  const checks: RowCheck[] =
    parsed.invalid === 'FALSE'
      ? []
      : [{ when, reason: parsed.reason, column: s.column, detail: `${s.column}: the value cannot be read as ${allowed !== undefined ? `one of ${allowed.join(', ')}` : describe(type)}` }];
  return { sql: parsed.value, checks: [...extraChecks, ...checks], coercions, raw };
}

/**
 * Checks run on the computed columns (`v_<name>`) of an inner SELECT, so each
 * value is parsed once per row however many checks read it.
 */
export function valueRef(d: SqlDialect, name: string): string {
  return `r.${d.quoteIdent(`v_${name}`)}`;
}

function describe(type: CanonicalType): string {
  return { timestamp: 'a date', date: 'a date', money: 'an amount', double: 'a number', int32: 'a whole number', int64: 'a whole number', boolean: 'yes/no', string: 'text', 'string[]': 'a list' }[type];
}
