/**
 * Rows for `insertRows`, encoded in ClickHouse's RowBinary format by the
 * target columns' declared types. Binary, because 18.16 parses floats in text
 * formats (TSV, CSV, JSON, the VALUES fast path) up to one ULP off for about
 * one random double in five; RowBinary carries the bits.
 *
 * Accepts what `query` returns for each type (engine/types.ts), plus the
 * obvious spellings (numbers for integer and decimal columns, 'true'/'false'
 * for booleans, 'YYYY-MM-DD HH:MM:SS' taken as UTC). Every value is checked
 * before anything is sent, so a bad value inserts nothing.
 */
import { CxrayError } from '../../errors.js';
import { assertRenderableText } from '../dialect.js';
import type { RowValue } from '../types.js';
import { dateTimeSeconds } from './literal.js';
import { isBooleanEnum, parseTypeName, typeArg, type TypeNode } from './type-name.js';

export class BinaryWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  private readonly done: Buffer[] = [];

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    this.done.push(this.buf.subarray(0, this.length));
    this.buf = Buffer.allocUnsafe(Math.max(64 * 1024, n));
    this.length = 0;
  }

  byte(v: number): void {
    this.room(1);
    this.buf[this.length] = v;
    this.length += 1;
  }

  varint(v: number): void {
    let rest = v;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.length);
    this.length += b.length;
  }

  fixed(n: number, write: (buf: Buffer, at: number) => void): void {
    this.room(n);
    write(this.buf, this.length);
    this.length += n;
  }

  /** The encoded bytes so far, as chunks. */
  chunks(): Buffer[] {
    return [...this.done, this.buf.subarray(0, this.length)];
  }
}

export type ValueEncoder = (value: RowValue, out: BinaryWriter) => void;

function describeValue(value: RowValue): string {
  const text = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function mismatch(value: RowValue, type: string, column: string): TypeError {
  return new TypeError(`Column ${JSON.stringify(column)} (${type}) cannot hold ${describeValue(value)}`);
}

function integerOf(value: RowValue): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

const INTEGERS: Record<string, { bits: number; signed: boolean }> = {
  Int8: { bits: 8, signed: true },
  Int16: { bits: 16, signed: true },
  Int32: { bits: 32, signed: true },
  Int64: { bits: 64, signed: true },
  UInt8: { bits: 8, signed: false },
  UInt16: { bits: 16, signed: false },
  UInt32: { bits: 32, signed: false },
  UInt64: { bits: 64, signed: false },
};

function integerEncoder(name: string, column: string): ValueEncoder {
  const spec = INTEGERS[name] as { bits: number; signed: boolean };
  const min = spec.signed ? -(2n ** BigInt(spec.bits - 1)) : 0n;
  const max = spec.signed ? 2n ** BigInt(spec.bits - 1) - 1n : 2n ** BigInt(spec.bits) - 1n;
  const bytes = spec.bits / 8;
  return (value, out) => {
    const n = integerOf(value);
    if (n === undefined || n < min || n > max) throw mismatch(value, name, column);
    out.fixed(bytes, (buf, at) => {
      // Two's complement, little-endian, whatever the width.
      let rest = BigInt.asUintN(spec.bits, n);
      for (let k = 0; k < bytes; k += 1) {
        buf[at + k] = Number(rest & 0xffn);
        rest >>= 8n;
      }
    });
  };
}

function floatEncoder(name: 'Float32' | 'Float64', column: string): ValueEncoder {
  return (value, out) => {
    let n: number;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'bigint') n = Number(value);
    else if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) n = Number(value);
    else throw mismatch(value, name, column);
    if (name === 'Float64') out.fixed(8, (buf, at) => buf.writeDoubleLE(n, at));
    else out.fixed(4, (buf, at) => buf.writeFloatLE(n, at));
  };
}

/** Exact decimal text (or a number's shortest form) as an integer count of 10^-scale, rounded half away from zero. */
export function scaledDecimal(value: RowValue, scale: number): bigint | undefined {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint') text = value.toString();
  else return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null || `${m[2] ?? ''}${m[3] ?? ''}` === '') return undefined;
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  // value = digits * 10^(exponent - fraction length); scaled = value * 10^scale
  const shift = Number(m[4] ?? 0) - (m[3] ?? '').length + scale;
  let units: bigint;
  if (shift >= 0) {
    units = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    const whole = BigInt(digits);
    units = whole / divisor;
    if ((whole % divisor) * 2n >= divisor) units += 1n;
  }
  return m[1] === '-' ? -units : units;
}

function decimalEncoder(node: TypeNode, type: string, column: string): ValueEncoder {
  const precision = node.name === 'Decimal' ? (node.args[0] as number) : { Decimal32: 9, Decimal64: 18, Decimal128: 38 }[node.name] ?? 38;
  const scale = (node.name === 'Decimal' ? node.args[1] : node.args[0]) as number;
  const width = precision <= 9 ? 4 : precision <= 18 ? 8 : 16;
  const limit = 10n ** BigInt(precision);
  return (value, out) => {
    const units = scaledDecimal(value, scale);
    if (units === undefined || units <= -limit || units >= limit) throw mismatch(value, type, column);
    out.fixed(width, (buf, at) => {
      if (width === 4) buf.writeInt32LE(Number(units), at);
      else if (width === 8) buf.writeBigInt64LE(units, at);
      else {
        buf.writeBigUInt64LE(BigInt.asUintN(64, units), at);
        buf.writeBigInt64LE(BigInt.asIntN(64, units >> 64n), at + 8);
      }
    });
  };
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds from 1970 of a timestamp or date text; without an offset it is UTC. */
function parseInstant(text: string): number | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  // Date.UTC maps years 0..99 to 1900..1999: set the year explicitly.
  const at = new Date(ms);
  at.setUTCFullYear(Number(y));
  ms = at.getTime();
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(ms) ? undefined : ms;
}

function dateTimeEncoder(type: string, column: string): ValueEncoder {
  return (value, out) => {
    const ms = typeof value === 'string' ? parseInstant(value) : undefined;
    if (ms === undefined) throw mismatch(value, type, column);
    const seconds = dateTimeSeconds(new Date(ms));
    out.fixed(4, (buf, at) => buf.writeUInt32LE(seconds, at));
  };
}

function dateEncoder(column: string): ValueEncoder {
  return (value, out) => {
    const ms = typeof value === 'string' ? parseInstant(value) : undefined;
    if (ms === undefined) throw mismatch(value, 'Date', column);
    // The range of timestamps (1970 through 2105), then whole days.
    dateTimeSeconds(new Date(ms));
    const days = Math.floor(ms / 86_400_000);
    out.fixed(2, (buf, at) => buf.writeUInt16LE(days, at));
  };
}

function stringEncoder(column: string): ValueEncoder {
  return (value, out) => {
    if (Array.isArray(value) || value === null) throw mismatch(value, 'String', column);
    const text = typeof value === 'string' ? value : String(value);
    assertRenderableText(text, 'String value');
    const bytes = Buffer.from(text, 'utf8');
    out.varint(bytes.length);
    out.bytes(bytes);
  };
}

function enumEncoder(node: TypeNode, type: string, column: string): ValueEncoder {
  const values = new Map<string, number>();
  for (const arg of node.args) if (typeof arg === 'object' && 'label' in arg) values.set(arg.label, arg.value);
  const boolean = isBooleanEnum(node);
  return (value, out) => {
    let v: number | undefined;
    if (boolean && (typeof value === 'boolean' || value === 0 || value === 1)) v = value === true || value === 1 ? 1 : 0;
    else if (typeof value === 'string') v = values.get(value);
    if (v === undefined) throw mismatch(value, type, column);
    const n = v;
    if (node.name === 'Enum8') out.fixed(1, (buf, at) => buf.writeInt8(n, at));
    else out.fixed(2, (buf, at) => buf.writeInt16LE(n, at));
  };
}

function encoderFor(node: TypeNode, type: string, column: string, nullable: boolean): ValueEncoder {
  if (node.name === 'Nullable') {
    const inner = encoderFor(typeArg(node, 0), type, column, true);
    return (value, out) => {
      if (value === null) {
        out.byte(1);
        return;
      }
      out.byte(0);
      inner(value, out);
    };
  }
  const plain = plainEncoder(node, type, column);
  // Lists take NULL themselves (as []); other NOT NULL columns refuse it.
  if (nullable || node.name === 'Array') return plain;
  return (value, out) => {
    if (value === null) {
      throw new CxrayError('query_failed', `NULL cannot be stored in column ${JSON.stringify(column)} (${type}), which is NOT NULL.`, {
        hint: 'Give the column a value, or declare it nullable.',
      });
    }
    plain(value, out);
  };
}

function plainEncoder(node: TypeNode, type: string, column: string): ValueEncoder {
  if (node.name in INTEGERS) return integerEncoder(node.name, column);
  switch (node.name) {
    case 'Float32':
    case 'Float64':
      return floatEncoder(node.name, column);
    case 'String':
      return stringEncoder(column);
    case 'Decimal':
    case 'Decimal32':
    case 'Decimal64':
    case 'Decimal128':
      return decimalEncoder(node, type, column);
    case 'DateTime':
      return dateTimeEncoder(type, column);
    case 'Date':
      return dateEncoder(column);
    case 'Enum8':
    case 'Enum16':
      return enumEncoder(node, type, column);
    case 'Array': {
      const item = encoderFor(typeArg(node, 0), type, column, false);
      return (value, out) => {
        // A list column cannot be Nullable in ClickHouse: NULL is stored as [] (nullableLists: false).
        const list = value === null ? [] : value;
        if (!Array.isArray(list)) throw mismatch(value, type, column);
        out.varint(list.length);
        for (const v of list) item(v, out);
      };
    }
    default:
      throw new CxrayError('query_failed', `insertRows cannot write the ClickHouse type ${type} (column ${JSON.stringify(column)}).`, {
        hint: 'Insert into such columns with SQL (INSERT ... SELECT).',
      });
  }
}

/** The encoder for one column, from its declared type (`DESCRIBE TABLE`). */
export function columnEncoder(type: string, column: string): ValueEncoder {
  return encoderFor(parseTypeName(type), type, column, false);
}

/** Every row encoded (all values checked before the first byte is sent). */
export function encodeRows(encoders: readonly ValueEncoder[], rows: readonly RowValue[][]): Buffer[] {
  const out = new BinaryWriter();
  for (const row of rows) {
    for (let c = 0; c < encoders.length; c += 1) (encoders[c] as ValueEncoder)(row[c] ?? null, out);
  }
  return out.chunks();
}
