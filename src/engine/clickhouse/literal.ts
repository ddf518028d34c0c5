/**
 * The one audited escaper of the ClickHouse dialect: values into SQL text
 * (`literal`) and names into quoted identifiers (`quoteIdent`), for a server
 * without server-side parameters (18.16). Checked against the live server by
 * dialect.test.ts and the conformance suite's hostile corpus.
 *
 * Every rendering is an atom (a quoted string, digits, or a call in
 * parentheses), so it is safe after any operator: `1-${literal(-1)}` is
 * `1-(-1)`, never the comment `1--1`.
 */
import { UnsupportedCapability } from '../../errors.js';
import { assertRenderableText } from '../dialect.js';
import type { SqlValue } from '../types.js';

/**
 * ClickHouse 18.16 has no boolean type: booleans are stored as this enum, so
 * they read back as `true`/`false` (a UInt8 would read back as a number, like
 * every comparison does).
 */
export const BOOLEAN_TYPE = "Enum8('false' = 0, 'true' = 1)";

/**
 * DateTime is seconds since 1970 in a UInt32, but 18.16's calendar tables end
 * with 2105: the last second it reads and truncates correctly is
 * 2105-12-31T23:59:59Z (measured: '2106-01-01 00:00:00' parses as 0).
 */
export const MAX_DATETIME_SECONDS = 4_291_747_199;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const INT64_MAX = 2n ** 63n - 1n;
const MIN_NORMAL_DOUBLE = 2.2250738585072014e-308;
/** 2^537: a subnormal d is m * 2^-1074 with an integer m, and m / 2^537 / 2^537 rebuilds it exactly. */
const HALF_SUBNORMAL_SCALE = String(2 ** 537);

/** Whether a JS number travels as a 32-bit integer (else a Float64): the same rule as DuckDB's. */
export function isInt32Number(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0);
}

function hex2(code: number): string {
  return `\\x${code.toString(16).padStart(2, '0').toUpperCase()}`;
}

/**
 * Backslash escapes, which ClickHouse reads in strings and quoted identifiers
 * alike: the backslash, the quote, and ASCII control characters (as \xHH, so
 * no raw tab, newline or escape byte ever sits in the SQL text).
 */
function escapeQuoted(text: string, quote: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (code < 0x20 || code === 0x7f) out += hex2(code);
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

export function stringLiteral(value: string): string {
  assertRenderableText(value, 'String value');
  return escapeQuoted(value, "'");
}

/** Quote a table or column name with backticks. Throws a TypeError on NUL, lone surrogates and the empty name. */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string') throw new TypeError('Identifier must be a string');
  assertRenderableText(name, 'Identifier');
  if (name.length === 0) throw new TypeError('Empty identifier');
  return escapeQuoted(name, '`');
}

const UNESCAPE: Record<string, string> = { a: '\u0007', b: '\b', e: '\u001B', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\u0000' };

/**
 * The name inside a quoted identifier (`...` or "..."), read as ClickHouse
 * reads it: backslash escapes and a doubled quote. The inverse of quoteIdent.
 */
export function unquoteIdentifier(token: string): string {
  const quote = token[0];
  if ((quote !== '`' && quote !== '"') || token.length < 2 || token[token.length - 1] !== quote) {
    throw new TypeError(`Not a quoted identifier: ${token}`);
  }
  let out = '';
  for (let i = 1; i < token.length - 1; i += 1) {
    const c = token[i] as string;
    if (c === '\\') {
      const next = token[i + 1] ?? '';
      if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(token.slice(i + 2, i + 4))) {
        out += String.fromCharCode(Number.parseInt(token.slice(i + 2, i + 4), 16));
        i += 3;
      } else {
        out += UNESCAPE[next] ?? next;
        i += 1;
      }
    } else if (c === quote && token[i + 1] === quote) {
      out += quote;
      i += 1;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * DateTime holds whole seconds from 1970 through 2105: anything else would be
 * clamped or wrapped by the server, so it is refused here instead.
 */
export function dateTimeSeconds(value: Date): number {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new TypeError('Invalid Date cannot be rendered in SQL');
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0) throw new UnsupportedCapability('timestamps before 1970-01-01', 'ClickHouse');
  if (seconds > MAX_DATETIME_SECONDS) throw new UnsupportedCapability('timestamps after 2105-12-31T23:59:59Z', 'ClickHouse');
  return seconds;
}

function dateLiteral(value: Date): string {
  const seconds = dateTimeSeconds(value);
  const text = new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `toDateTime('${text}', 'UTC')`;
}

/**
 * Doubles go through the SQL parser, which reads them exactly; the VALUES
 * fast path and toFloat64('...') do not (measured on 18.16: one ULP off for
 * about one random double in five). Hence toFloat64(<number>): in VALUES the
 * call sends the row through the parser too. The parser rejects subnormal
 * literals, so those are rebuilt by exact division by powers of two.
 */
function doubleLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`Non-finite number ${value} cannot be rendered in SQL`);
  if (Object.is(value, -0)) return 'toFloat64(-0.)';
  if (value !== 0 && Math.abs(value) < MIN_NORMAL_DOUBLE) {
    const units = BigInt(Math.round(Math.abs(value) * 2 ** 537 * 2 ** 537));
    return `toFloat64(${value < 0 ? '-' : ''}${units} / ${HALF_SUBNORMAL_SCALE} / ${HALF_SUBNORMAL_SCALE})`;
  }
  return `toFloat64(${String(value)})`;
}

function bigintLiteral(value: bigint): string {
  if (value >= INT64_MIN && value <= INT64_MAX) return `toInt64(${value})`;
  if (value > INT64_MAX && value <= UINT64_MAX) return `toUInt64(${value})`;
  throw new TypeError(`Integer ${value} is outside the 64-bit range and cannot be rendered in SQL`);
}

/**
 * Render a value as SQL text.
 *
 * - booleans are the text 'true'/'false', which the server converts where a
 *   boolean belongs (insert into a boolean column, CAST to BOOLEAN_TYPE,
 *   comparison with a boolean column); see `booleanExpressions` in Capabilities
 * - 32-bit integers are plain digits (typed UInt8..Int32 by the server: numbers
 *   when read back); bigints are Int64 (UInt64 above 2^63 - 1)
 * - string[] is Array(String), the empty list typed too
 */
export function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return value ? "'true'" : "'false'";
    case 'bigint':
      return bigintLiteral(value);
    case 'number':
      if (isInt32Number(value)) return value < 0 ? `(${value})` : String(value);
      return doubleLiteral(value);
    case 'string':
      return stringLiteral(value);
    case 'object':
      if (value instanceof Date) return dateLiteral(value);
      if (Array.isArray(value)) {
        const items = value.map((item: unknown) => {
          if (typeof item !== 'string') throw new TypeError('Only arrays of strings can be rendered in SQL');
          return stringLiteral(item);
        });
        return items.length === 0 ? 'CAST([] AS Array(String))' : `[${items.join(', ')}]`;
      }
      throw new TypeError('Unsupported SQL value of type object');
    default:
      throw new TypeError(`Unsupported SQL value of type ${typeof value}`);
  }
}
