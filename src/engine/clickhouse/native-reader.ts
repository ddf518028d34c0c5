/**
 * Reads ClickHouse's Native output format (column blocks, each column with
 * its name and type) into rows that follow the Engine contract
 * (engine/types.ts): Int64/UInt64 -> bigint, Decimal -> exact string,
 * DateTime -> ISO UTC text, Date -> 'YYYY-MM-DD', the boolean enum -> boolean.
 *
 * Why Native: 18.16 has no JSONCompactEachRow and no RowBinaryWithNamesAndTypes;
 * text formats lose nothing on output but carry DateTime in the server's zone,
 * and an error raised mid-stream is appended to the body as text, which a
 * one-column String result would take for a row. In Native that text cannot
 * form a valid block, so it is always caught. DateTime arrives as epoch
 * seconds, Float64 as its bits.
 *
 * Incremental: `push` chunks as they arrive and take the rows of every block
 * completed so far; memory holds one block (at most max_block_size rows).
 */
import type { Row, RowValue } from '../types.js';
import { isBooleanEnum, parseTypeName, typeArg, type TypeNode } from './type-name.js';

class NeedMore extends Error {}

/** The stream is not a valid Native result: usually a server error appended mid-stream. */
export class NativeFormatError extends Error {}

const DAY_MS = 86_400_000;

class ByteReader {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  need(n: number): void {
    if (this.offset + n > this.buf.length) throw new NeedMore();
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      this.need(1);
      const byte = this.buf[this.offset] as number;
      this.offset += 1;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 49) throw new NativeFormatError('varint too long');
    }
  }

  string(): string {
    const length = this.varint();
    this.need(length);
    const text = this.buf.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return text;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function dateText(days: number): string {
  const d = new Date(days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A scaled integer as exact decimal text with `scale` digits after the point ("-0.0001", "12.3400"). */
export function decimalText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale === 0 ? whole : `${whole}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

function decimalShape(node: TypeNode): { width: number; scale: number } {
  const num = (i: number): number => {
    const arg = node.args[i];
    if (typeof arg !== 'number') throw new NativeFormatError(`Bad decimal type ${node.name}`);
    return arg;
  };
  switch (node.name) {
    case 'Decimal32':
      return { width: 4, scale: num(0) };
    case 'Decimal64':
      return { width: 8, scale: num(0) };
    case 'Decimal128':
      return { width: 16, scale: num(0) };
    default: {
      const precision = num(0);
      return { width: precision <= 9 ? 4 : precision <= 18 ? 8 : 16, scale: num(1) };
    }
  }
}

function uuidText(b: Buffer): string {
  // Two little-endian UInt64 halves, the high one first.
  const hex = Buffer.concat([Buffer.from(b.subarray(0, 8)).reverse(), Buffer.from(b.subarray(8, 16)).reverse()]).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Fixed = (buf: Buffer, at: number) => RowValue;

/** A column of a block, read on demand: value i is decoded only when a row needs it. */
type ColumnView = (i: number) => RowValue;

const FIXED: Record<string, [number, Fixed]> = {
  Int8: [1, (b, at) => b.readInt8(at)],
  UInt8: [1, (b, at) => b.readUInt8(at)],
  Int16: [2, (b, at) => b.readInt16LE(at)],
  UInt16: [2, (b, at) => b.readUInt16LE(at)],
  Int32: [4, (b, at) => b.readInt32LE(at)],
  UInt32: [4, (b, at) => b.readUInt32LE(at)],
  Int64: [8, (b, at) => b.readBigInt64LE(at)],
  UInt64: [8, (b, at) => b.readBigUInt64LE(at)],
  Float32: [4, (b, at) => b.readFloatLE(at)],
  Float64: [8, (b, at) => b.readDoubleLE(at)],
  Date: [2, (b, at) => dateText(b.readUInt16LE(at))],
  DateTime: [4, (b, at) => new Date(b.readUInt32LE(at) * 1000).toISOString()],
  UUID: [16, (b, at) => uuidText(b.subarray(at, at + 16))],
};

function fixedView(r: ByteReader, rows: number, width: number, read: Fixed): ColumnView {
  const buf = r.bytes(rows * width);
  return (i) => read(buf, i * width);
}

/**
 * Walks a column's bytes (checking they are all there) and returns a view of
 * it. Only typed arrays are allocated here, so a block's columns cost no
 * garbage-collected objects until rows are asked for.
 */
function viewColumn(r: ByteReader, node: TypeNode, rows: number): ColumnView {
  const fixed = FIXED[node.name];
  if (fixed !== undefined) return fixedView(r, rows, fixed[0], fixed[1]);
  switch (node.name) {
    case 'String': {
      const starts = new Uint32Array(rows);
      const ends = new Uint32Array(rows);
      for (let i = 0; i < rows; i += 1) {
        const length = r.varint();
        r.need(length);
        starts[i] = r.offset;
        r.offset += length;
        ends[i] = r.offset;
      }
      const buf = r.buf;
      return (i) => buf.toString('utf8', starts[i], ends[i]);
    }
    case 'FixedString': {
      const n = node.args[0];
      if (typeof n !== 'number') throw new NativeFormatError('Bad FixedString type');
      return fixedView(r, rows, n, (b, at) => b.toString('utf8', at, at + n));
    }
    case 'Nullable': {
      const nulls = r.bytes(rows);
      const values = viewColumn(r, typeArg(node, 0), rows);
      return (i) => (nulls[i] !== 0 ? null : values(i));
    }
    case 'Nothing':
      // Only ever NULL; the server still sends one placeholder byte per row.
      r.bytes(rows);
      return () => null;
    case 'Array': {
      const offsets = r.bytes(rows * 8);
      const end = (i: number): number => (i < 0 ? 0 : Number(offsets.readBigUInt64LE(i * 8)));
      const items = viewColumn(r, typeArg(node, 0), end(rows - 1));
      return (i) => {
        const out: RowValue[] = [];
        for (let k = end(i - 1); k < end(i); k += 1) out.push(items(k));
        return out;
      };
    }
    case 'Tuple': {
      const parts = node.args.map((_, k) => viewColumn(r, typeArg(node, k), rows));
      return (i) => parts.map((part) => part(i));
    }
    case 'Enum8':
    case 'Enum16': {
      const labels = new Map<number, string>();
      for (const arg of node.args) if (typeof arg === 'object' && 'label' in arg) labels.set(arg.value, arg.label);
      const boolean = isBooleanEnum(node);
      const eight = node.name === 'Enum8';
      return fixedView(r, rows, eight ? 1 : 2, (b, at) => {
        const v = eight ? b.readInt8(at) : b.readInt16LE(at);
        return boolean ? v !== 0 : (labels.get(v) ?? String(v));
      });
    }
    case 'Decimal':
    case 'Decimal32':
    case 'Decimal64':
    case 'Decimal128': {
      const { width, scale } = decimalShape(node);
      return fixedView(r, rows, width, (b, at) => {
        const units =
          width === 4 ? BigInt(b.readInt32LE(at)) : width === 8 ? b.readBigInt64LE(at) : (b.readBigInt64LE(at + 8) << 64n) + b.readBigUInt64LE(at);
        return decimalText(units, scale);
      });
    }
    default:
      throw new NativeFormatError(`The ClickHouse type ${node.name} cannot be read (cast it in SQL)`);
  }
}

/**
 * One decoded block. Rows are made on demand, so a stream holds the block's
 * columns and one batch of row objects, never the whole block as rows.
 */
export class NativeBlock {
  private readonly plain: boolean;

  constructor(
    readonly names: readonly string[],
    private readonly columns: readonly ColumnView[],
    readonly rowCount: number,
  ) {
    this.plain = !names.includes('__proto__');
  }

  /** Row objects for rows [start, end); a column named `__proto__` becomes an own property, not a prototype change. */
  rows(start = 0, end = this.rowCount): Row[] {
    const out: Row[] = [];
    for (let i = start; i < end; i += 1) {
      const row: Row = {};
      for (let c = 0; c < this.names.length; c += 1) {
        const name = this.names[c] as string;
        const value = (this.columns[c] as ColumnView)(i);
        if (this.plain || name !== '__proto__') row[name] = value;
        else Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
      }
      out.push(row);
    }
    return out;
  }
}

export class NativeReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Try to cut a block only once this many bytes wait: doubling keeps re-reading a large block linear overall. */
  private attemptAt = 0;
  private readonly types = new Map<string, TypeNode>();

  private typeNode(text: string): TypeNode {
    let node = this.types.get(text);
    if (node === undefined) {
      try {
        node = parseTypeName(text);
      } catch (error) {
        throw new NativeFormatError(error instanceof Error ? error.message : String(error));
      }
      this.types.set(text, node);
    }
    return node;
  }

  /** Add bytes; returns every block now complete (possibly none). */
  push(chunk: Buffer): NativeBlock[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.attemptAt) return [];
    return this.drain();
  }

  /** The stream ended: the blocks left, or a NativeFormatError if bytes remain that are no block. */
  end(): NativeBlock[] {
    const blocks = this.drain();
    if (this.pendingBytes > 0) throw this.garbage();
    return blocks;
  }

  private garbage(): NativeFormatError {
    const text = Buffer.concat(this.pending).toString('utf8');
    const at = text.indexOf('Code: ');
    return new NativeFormatError(at >= 0 ? text.slice(at).trim() : `The server sent ${this.pendingBytes} bytes that are not a result block`);
  }

  private drain(): NativeBlock[] {
    const buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    const r = new ByteReader(buf);
    const blocks: NativeBlock[] = [];
    let consumed = 0;
    try {
      while (r.offset < buf.length) {
        blocks.push(this.readBlock(r));
        consumed = r.offset;
      }
    } catch (error) {
      if (!(error instanceof NeedMore)) {
        // Not a block (a bad type, an impossible size): what is left is the server's error text, or garbage.
        this.pending = [buf.subarray(consumed)];
        this.pendingBytes = buf.length - consumed;
        throw this.garbage();
      }
    }
    const rest = buf.subarray(consumed);
    this.pending = rest.length === 0 ? [] : [rest];
    this.pendingBytes = rest.length;
    this.attemptAt = rest.length === 0 ? 0 : rest.length * 2;
    return blocks;
  }

  private readBlock(r: ByteReader): NativeBlock {
    const columnCount = r.varint();
    const rowCount = r.varint();
    const names: string[] = [];
    const columns: ColumnView[] = [];
    for (let c = 0; c < columnCount; c += 1) {
      names.push(r.string());
      columns.push(viewColumn(r, this.typeNode(r.string()), rowCount));
    }
    return new NativeBlock(names, columns, rowCount);
  }
}
